//! Research: organisations and compute services, studies with escrow, consents (pending until
//! accepted, or rejected and settled through the dispute path) and withdrawals.

use crate::*;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Zero},
	ArithmeticError, DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_organisation(
		organisation: T::AccountId,
		kind: OrganisationKind,
	) -> DispatchResult {
		ensure!(
			!Organisations::<T>::contains_key(&organisation),
			Error::<T>::OrganisationAlreadyExists
		);
		Organisations::<T>::insert(
			&organisation,
			Organisation { kind, registered_at: Self::now() },
		);
		Self::deposit_event(Event::OrganisationRegistered { organisation, kind });
		Ok(())
	}

	pub(crate) fn do_deregister_organisation(organisation: T::AccountId) -> DispatchResult {
		ensure!(Organisations::<T>::contains_key(&organisation), Error::<T>::OrganisationNotFound);
		ensure!(
			OrganisationStudies::<T>::get(&organisation) == 0,
			Error::<T>::OrganisationHasStudies
		);
		Organisations::<T>::remove(&organisation);
		Self::deposit_event(Event::OrganisationDeregistered { organisation });
		Ok(())
	}

	/// The recipient of a study's shares may receive them: the organisation itself (direct) or
	/// a registered compute service (aggregate-only), with a live key.
	fn ensure_study_recipient(
		organisation: &T::AccountId,
		mode: StudyMode,
		recipient: &T::AccountId,
		recipient_key_id: KeyId,
	) -> DispatchResult {
		match mode {
			StudyMode::Direct => {
				ensure!(recipient == organisation, Error::<T>::RecipientNotAllowed)
			},
			StudyMode::AggregateOnly => {
				let service =
					Organisations::<T>::get(recipient).ok_or(Error::<T>::OrganisationNotFound)?;
				ensure!(service.kind == OrganisationKind::Compute, Error::<T>::RecipientNotAllowed);
			},
		}
		Self::live_key(recipient, recipient_key_id).map(|_| ())
	}

	pub(crate) fn do_create_study(
		organisation: T::AccountId,
		terms: UseTermsOf<T>,
		formats: FormatList,
		ethics_commitment: H256,
		budget: BalanceOf<T>,
		max_participants: u32,
		mode: StudyMode,
		recipient: T::AccountId,
		recipient_key_id: KeyId,
		expires_at: BlockNumberFor<T>,
	) -> Result<StudyId, DispatchError> {
		let org = Organisations::<T>::get(&organisation).ok_or(Error::<T>::OrganisationNotFound)?;
		ensure!(org.kind == OrganisationKind::Research, Error::<T>::NotResearchOrganisation);
		ensure!(!terms.uses.is_empty() && !formats.is_empty(), Error::<T>::EmptyTerms);
		ensure!(!ethics_commitment.is_zero(), Error::<T>::InvalidCommitment);
		ensure!(
			max_participants > 0 && max_participants <= T::MaxParticipants::get(),
			Error::<T>::InvalidParticipants
		);
		let price = budget
			.checked_div(&BalanceOf::<T>::from(max_participants))
			.ok_or(Error::<T>::InvalidParticipants)?;
		ensure!(!price.is_zero(), Error::<T>::InvalidBudget);
		ensure!(expires_at > Self::now(), Error::<T>::Expired);
		Self::ensure_study_recipient(&organisation, mode, &recipient, recipient_key_id)?;
		let owned = OrganisationStudies::<T>::get(&organisation);
		ensure!(
			owned < T::MaxStudiesPerOrganisation::get(),
			Error::<T>::TooManyOrganisationStudies
		);
		let study = NextStudyId::<T>::get();
		let next = study.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut index = StudyIndex::<T>::get();
		index.try_push(study).map_err(|_| Error::<T>::TooManyStudies)?;
		// The study and one consent record (and owner entry) per possible participant.
		let deposit = T::StudyDepositPerParticipant::get()
			.checked_mul(&BalanceOf::<T>::from(max_participants))
			.and_then(|records| records.checked_add(&T::StudyDeposit::get()))
			.ok_or(ArithmeticError::Overflow)?;
		Self::hold(HoldReason::StudyDeposit, &organisation, deposit)?;
		Self::hold(HoldReason::StudyEscrow, &organisation, budget)?;

		OrganisationStudies::<T>::insert(&organisation, owned.saturating_add(1));
		StudyIndex::<T>::put(index);
		NextStudyId::<T>::put(next);
		Studies::<T>::insert(
			study,
			Study {
				organisation: organisation.clone(),
				terms,
				formats,
				ethics_commitment,
				budget,
				price,
				max_participants,
				participants: 0,
				pending: 0,
				accepted: 0,
				escrow: budget,
				mode,
				recipient: recipient.clone(),
				recipient_key_id,
				expires_at,
				status: StudyStatus::Open,
				deposit,
			},
		);
		Self::deposit_event(Event::StudyCreated {
			study,
			organisation,
			budget,
			price,
			max_participants,
			mode,
			recipient,
			expires_at,
		});
		Ok(study)
	}

	pub(crate) fn do_consent(
		owner: T::AccountId,
		study_id: StudyId,
		dataset: DatasetId,
		wrapped_key: WrappedKeyOf<T>,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		let mut study = Studies::<T>::get(study_id).ok_or(Error::<T>::StudyNotFound)?;
		ensure!(study.status == StudyStatus::Open, Error::<T>::StudyClosed);
		let now = Self::now();
		ensure!(now < study.expires_at, Error::<T>::Expired);
		ensure!(study.participants < study.max_participants, Error::<T>::StudyFull);
		// One consent per dataset and one per owner: a second account is needed for a second
		// payment, each with its own deposits.
		ensure!(
			!Consents::<T>::contains_key(study_id, dataset)
				&& !StudyParticipants::<T>::contains_key(study_id, &owner),
			Error::<T>::AlreadyConsented
		);
		ensure!(study.formats.contains(&info.format), Error::<T>::FormatNotAccepted);
		ensure!(info.allowed_uses.allow(&study.terms), Error::<T>::UseNotAllowed);
		if study.mode == StudyMode::AggregateOnly {
			ensure!(
				Organisations::<T>::get(&study.recipient)
					.is_some_and(|o| o.kind == OrganisationKind::Compute),
				Error::<T>::OrganisationNotFound
			);
		}
		ensure!(!wrapped_key.is_empty(), Error::<T>::InvalidWrappedKey);
		Self::live_key(&study.recipient, study.recipient_key_id)?;
		ensure!(
			!Shares::<T>::contains_key(dataset, &study.recipient),
			Error::<T>::ShareAlreadyExists
		);
		ensure!(info.share_count < T::MaxSharesPerDataset::get(), Error::<T>::TooManyShares);
		let participants = study.participants.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let pending = study.pending.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let accept_by =
			now.checked_add(&T::AcceptanceWindow::get()).ok_or(ArithmeticError::Overflow)?;

		// Everything is checked: deposits, share and consent record now happen together. The
		// price stays in the escrow, set aside (`pending`) until the consent is accepted.
		let share_deposit = T::ShareDeposit::get();
		Self::hold(HoldReason::ShareDeposit, &owner, share_deposit)?;
		let deposit = T::ConsentDeposit::get();
		Self::hold(HoldReason::ConsentDeposit, &owner, deposit)?;
		let key_version = info.key_version;
		info.share_count = info.share_count.saturating_add(1);
		Datasets::<T>::insert(dataset, info);
		Shares::<T>::insert(
			dataset,
			&study.recipient,
			Share {
				recipient_key_id: study.recipient_key_id,
				wrapped_key,
				key_version,
				expires_at: study.expires_at,
				purpose: SharePurpose::Research,
				study: Some(study_id),
				created_at: now,
				deposit: share_deposit,
			},
		);
		Consents::<T>::insert(
			study_id,
			dataset,
			Consent {
				owner: owner.clone(),
				paid: Zero::zero(),
				at: now,
				status: ConsentStatus::Pending { accept_by },
				deposit,
				rejection_deposit: Zero::zero(),
				withdrawn_at: None,
			},
		);
		StudyParticipants::<T>::insert(study_id, &owner, dataset);
		let recipient = study.recipient.clone();
		study.participants = participants;
		study.pending = pending;
		Studies::<T>::insert(study_id, study);
		Self::deposit_event(Event::ConsentGiven {
			study: study_id,
			dataset,
			owner,
			recipient,
			key_version,
			accept_by,
		});
		Ok(())
	}

	/// The consent of `dataset` to `study_id` and its study.
	fn consent_and_study(
		study_id: StudyId,
		dataset: DatasetId,
	) -> Result<(ConsentOf<T>, StudyOf<T>), DispatchError> {
		let consent = Consents::<T>::get(study_id, dataset).ok_or(Error::<T>::ConsentNotFound)?;
		let study = Studies::<T>::get(study_id).ok_or(Error::<T>::StudyNotFound)?;
		Ok((consent, study))
	}

	/// Remove `study_id`'s share of `dataset`, if it is still there and still the study's.
	fn take_study_share(study_id: StudyId, study: &StudyOf<T>, dataset: DatasetId) {
		if let Some(mut info) = Datasets::<T>::get(dataset) {
			if let Some(share) = Shares::<T>::get(dataset, &study.recipient) {
				if share.study == Some(study_id) {
					Self::take_share(&mut info, dataset, &study.recipient, &share);
					Datasets::<T>::insert(dataset, info);
				}
			}
		}
	}

	/// Pay `consent` the study's price from the escrow and release the owner's consent
	/// deposit. Both are written by the caller.
	fn pay_consent(study: &mut StudyOf<T>, consent: &mut ConsentOf<T>) -> DispatchResult {
		let price = study.price;
		let escrow = study.escrow.checked_sub(&price).ok_or(ArithmeticError::Underflow)?;
		let pending = study.pending.checked_sub(1).ok_or(ArithmeticError::Underflow)?;
		let accepted = study.accepted.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		T::Currency::transfer_on_hold(
			&HoldReason::StudyEscrow.into(),
			&study.organisation,
			&consent.owner,
			price,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Self::release(HoldReason::ConsentDeposit, &consent.owner, consent.deposit);
		study.escrow = escrow;
		study.pending = pending;
		study.accepted = accepted;
		consent.paid = price;
		consent.deposit = Zero::zero();
		consent.status = ConsentStatus::Accepted;
		Ok(())
	}

	/// The price set aside for an unsettled consent is no longer needed: it stays in the
	/// escrow of an open study and goes back to the organisation of a closed one.
	fn free_price(study: &mut StudyOf<T>) -> DispatchResult {
		study.pending = study.pending.checked_sub(1).ok_or(ArithmeticError::Underflow)?;
		if study.status == StudyStatus::Closed {
			study.escrow =
				study.escrow.checked_sub(&study.price).ok_or(ArithmeticError::Underflow)?;
			Self::release(HoldReason::StudyEscrow, &study.organisation, study.price);
		}
		Ok(())
	}

	/// The rejection of `consent` stands: the owner's consent deposit goes to the organisation,
	/// the organisation's rejection deposit comes back, the price is freed.
	fn refuse_consent(study: &mut StudyOf<T>, consent: &mut ConsentOf<T>) -> DispatchResult {
		Self::free_price(study)?;
		T::Currency::transfer_on_hold(
			&HoldReason::ConsentDeposit.into(),
			&consent.owner,
			&study.organisation,
			consent.deposit,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Self::release(HoldReason::ConsentDeposit, &study.organisation, consent.rejection_deposit);
		consent.deposit = Zero::zero();
		consent.rejection_deposit = Zero::zero();
		consent.status = ConsentStatus::Refused;
		Ok(())
	}

	pub(crate) fn do_accept_consent(
		who: T::AccountId,
		study_id: StudyId,
		dataset: DatasetId,
	) -> DispatchResult {
		let (mut consent, mut study) = Self::consent_and_study(study_id, dataset)?;
		let ConsentStatus::Pending { accept_by } = consent.status else {
			return Err(Error::<T>::ConsentNotPending.into());
		};
		ensure!(
			who == study.organisation || Self::now() >= accept_by,
			Error::<T>::AcceptanceWindowOpen
		);
		Self::pay_consent(&mut study, &mut consent)?;
		let (owner, paid) = (consent.owner.clone(), consent.paid);
		Consents::<T>::insert(study_id, dataset, consent);
		Studies::<T>::insert(study_id, study);
		Self::deposit_event(Event::ConsentAccepted { study: study_id, dataset, owner, paid });
		Ok(())
	}

	pub(crate) fn do_reject_consent(
		organisation: T::AccountId,
		study_id: StudyId,
		dataset: DatasetId,
		reason: H256,
	) -> DispatchResult {
		ensure!(!reason.is_zero(), Error::<T>::ZeroReason);
		let study = Self::own_study(&organisation, study_id)?;
		let mut consent =
			Consents::<T>::get(study_id, dataset).ok_or(Error::<T>::ConsentNotFound)?;
		let ConsentStatus::Pending { accept_by } = consent.status else {
			return Err(Error::<T>::ConsentNotPending.into());
		};
		let now = Self::now();
		ensure!(now < accept_by, Error::<T>::Expired);
		let dispute_by =
			now.checked_add(&T::DisputeWindow::get()).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::ConsentDeposit::get();
		Self::hold(HoldReason::ConsentDeposit, &organisation, deposit)?;
		// The organisation says the data is unusable: it keeps no key to it.
		Self::take_study_share(study_id, &study, dataset);
		consent.status = ConsentStatus::Rejected { reason, dispute_by };
		consent.rejection_deposit = deposit;
		Consents::<T>::insert(study_id, dataset, consent);
		Self::deposit_event(Event::ConsentRejected {
			study: study_id,
			dataset,
			reason,
			dispute_by,
		});
		Ok(())
	}

	pub(crate) fn do_dispute_rejection(
		owner: T::AccountId,
		study_id: StudyId,
		dataset: DatasetId,
	) -> DispatchResult {
		let mut consent =
			Consents::<T>::get(study_id, dataset).ok_or(Error::<T>::ConsentNotFound)?;
		ensure!(consent.owner == owner, Error::<T>::NotAuthorized);
		let ConsentStatus::Rejected { reason, dispute_by } = consent.status else {
			return Err(Error::<T>::ConsentNotRejected.into());
		};
		ensure!(Self::now() < dispute_by, Error::<T>::ConsentNotRejected);
		consent.status = ConsentStatus::Disputed { reason };
		Consents::<T>::insert(study_id, dataset, consent);
		Self::deposit_event(Event::RejectionDisputed { study: study_id, dataset });
		Ok(())
	}

	pub(crate) fn do_resolve_dispute(
		study_id: StudyId,
		dataset: DatasetId,
		owner_wins: bool,
	) -> DispatchResult {
		let (mut consent, mut study) = Self::consent_and_study(study_id, dataset)?;
		ensure!(
			matches!(consent.status, ConsentStatus::Disputed { .. }),
			Error::<T>::ConsentNotDisputed
		);
		if owner_wins {
			T::Currency::transfer_on_hold(
				&HoldReason::ConsentDeposit.into(),
				&study.organisation,
				&consent.owner,
				consent.rejection_deposit,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
			consent.rejection_deposit = Zero::zero();
			Self::pay_consent(&mut study, &mut consent)?;
		} else {
			Self::refuse_consent(&mut study, &mut consent)?;
		}
		Consents::<T>::insert(study_id, dataset, consent);
		Studies::<T>::insert(study_id, study);
		Self::deposit_event(Event::DisputeResolved { study: study_id, dataset, owner_wins });
		Ok(())
	}

	pub(crate) fn do_settle_rejection(study_id: StudyId, dataset: DatasetId) -> DispatchResult {
		let (mut consent, mut study) = Self::consent_and_study(study_id, dataset)?;
		let ConsentStatus::Rejected { dispute_by, .. } = consent.status else {
			return Err(Error::<T>::ConsentNotRejected.into());
		};
		ensure!(Self::now() >= dispute_by, Error::<T>::DisputeWindowOpen);
		Self::refuse_consent(&mut study, &mut consent)?;
		Consents::<T>::insert(study_id, dataset, consent);
		Studies::<T>::insert(study_id, study);
		Self::deposit_event(Event::RejectionSettled { study: study_id, dataset });
		Ok(())
	}

	pub(crate) fn do_withdraw_consent(
		owner: T::AccountId,
		study_id: StudyId,
		dataset: DatasetId,
	) -> DispatchResult {
		let (mut consent, mut study) = Self::consent_and_study(study_id, dataset)?;
		ensure!(consent.owner == owner, Error::<T>::NotAuthorized);
		match consent.status {
			ConsentStatus::Pending { .. } => {
				// Not accepted yet: cancelled, never paid. The consent deposit goes to the
				// organisation as a standing rejection's would, or withdrawing ahead of a
				// rejection would make junk consents free.
				Self::free_price(&mut study)?;
				T::Currency::transfer_on_hold(
					&HoldReason::ConsentDeposit.into(),
					&owner,
					&study.organisation,
					consent.deposit,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?;
				consent.deposit = Zero::zero();
				consent.status = ConsentStatus::Cancelled;
				Studies::<T>::insert(study_id, study.clone());
			},
			ConsentStatus::Accepted => {
				ensure!(consent.withdrawn_at.is_none(), Error::<T>::ConsentWithdrawn)
			},
			ConsentStatus::Cancelled => return Err(Error::<T>::ConsentWithdrawn.into()),
			ConsentStatus::Rejected { .. }
			| ConsentStatus::Disputed { .. }
			| ConsentStatus::Refused => return Err(Error::<T>::ConsentRejected.into()),
		}
		// The study's share may be gone already (revoked, cleaned up, dataset removed) or
		// replaced by a direct share; only the study's own share is removed.
		Self::take_study_share(study_id, &study, dataset);
		consent.withdrawn_at = Some(Self::now());
		Consents::<T>::insert(study_id, dataset, consent);
		Self::deposit_event(Event::ConsentWithdrawn { study: study_id, dataset, owner });
		Ok(())
	}

	/// The study `study_id`, if `organisation` runs it.
	fn own_study(
		organisation: &T::AccountId,
		study_id: StudyId,
	) -> Result<StudyOf<T>, DispatchError> {
		let study = Studies::<T>::get(study_id).ok_or(Error::<T>::StudyNotFound)?;
		ensure!(study.organisation == *organisation, Error::<T>::NotAuthorized);
		Ok(study)
	}

	/// Close the open `study`: the escrow not set aside for unsettled consents goes back to the
	/// organisation. The caller stores the study.
	fn close(study_id: StudyId, study: &mut StudyOf<T>) -> DispatchResult {
		let kept = study
			.price
			.checked_mul(&BalanceOf::<T>::from(study.pending))
			.ok_or(ArithmeticError::Overflow)?;
		let refunded = study.escrow.checked_sub(&kept).ok_or(ArithmeticError::Underflow)?;
		Self::release(HoldReason::StudyEscrow, &study.organisation, refunded);
		study.escrow = kept;
		study.status = StudyStatus::Closed;
		Self::deposit_event(Event::StudyClosed { study: study_id, refunded });
		Ok(())
	}

	pub(crate) fn do_close_study(organisation: T::AccountId, study_id: StudyId) -> DispatchResult {
		let mut study = Self::own_study(&organisation, study_id)?;
		ensure!(study.status == StudyStatus::Open, Error::<T>::StudyClosed);
		Self::close(study_id, &mut study)?;
		Studies::<T>::insert(study_id, study);
		Ok(())
	}

	/// Remove the closed `study` whose consents are all settled, with its consent records;
	/// returns how many records were removed.
	fn remove(study_id: StudyId, study: StudyOf<T>) -> u32 {
		let mut index = StudyIndex::<T>::get();
		index.retain(|id| *id != study_id);
		// Exactly `participants` (≤ `max_participants` ≤ `MaxParticipants`) records of each
		// kind: one per consent, whatever became of it.
		let removed = study.participants;
		let consents = Consents::<T>::clear_prefix(study_id, study.max_participants, None);
		let owners = StudyParticipants::<T>::clear_prefix(study_id, study.max_participants, None);
		if consents.maybe_cursor.is_some() || owners.maybe_cursor.is_some() {
			frame_support::defensive!("a study had more consent records than participants");
		}
		Self::release(HoldReason::StudyDeposit, &study.organisation, study.deposit);
		let owned = OrganisationStudies::<T>::get(&study.organisation).saturating_sub(1);
		if owned == 0 {
			OrganisationStudies::<T>::remove(&study.organisation);
		} else {
			OrganisationStudies::<T>::insert(&study.organisation, owned);
		}
		StudyIndex::<T>::put(index);
		Studies::<T>::remove(study_id);
		Self::deposit_event(Event::StudyRemoved { study: study_id, consents_removed: removed });
		removed
	}

	/// Returns the number of consent records removed.
	pub(crate) fn do_remove_study(
		organisation: T::AccountId,
		study_id: StudyId,
	) -> Result<u32, DispatchError> {
		let study = Self::own_study(&organisation, study_id)?;
		ensure!(study.status == StudyStatus::Closed, Error::<T>::StudyOpen);
		ensure!(study.pending == 0, Error::<T>::ConsentsPending);
		Ok(Self::remove(study_id, study))
	}

	/// Returns the number of consent records removed (zero if the study stays).
	pub(crate) fn do_force_close_study(study_id: StudyId) -> Result<u32, DispatchError> {
		let mut study = Studies::<T>::get(study_id).ok_or(Error::<T>::StudyNotFound)?;
		ensure!(
			study.status == StudyStatus::Open || study.pending == 0,
			Error::<T>::ConsentsPending
		);
		Self::deposit_event(Event::StudyForceClosed { study: study_id });
		if study.status == StudyStatus::Open {
			Self::close(study_id, &mut study)?;
		}
		if study.pending == 0 {
			Ok(Self::remove(study_id, study))
		} else {
			Studies::<T>::insert(study_id, study);
			Ok(0)
		}
	}
}
