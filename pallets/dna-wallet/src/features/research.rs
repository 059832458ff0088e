//! Research: organisations and compute services, studies with escrow, consents and withdrawals.

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
	traits::{CheckedDiv, CheckedSub, Zero},
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
		let study = NextStudyId::<T>::get();
		let next = study.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut index = StudyIndex::<T>::get();
		index.try_push(study).map_err(|_| Error::<T>::TooManyStudies)?;
		let deposit = T::StudyDeposit::get();
		Self::hold(HoldReason::StudyDeposit, &organisation, deposit)?;
		Self::hold(HoldReason::StudyEscrow, &organisation, budget)?;

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
		ensure!(!Consents::<T>::contains_key(study_id, dataset), Error::<T>::AlreadyConsented);
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
		ensure!(!Shares::<T>::contains_key(dataset, &study.recipient), Error::<T>::ShareExists);
		ensure!(info.share_count < T::MaxSharesPerDataset::get(), Error::<T>::TooManyShares);
		let participants = study.participants.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let paid = study.price;
		let escrow = study.escrow.checked_sub(&paid).ok_or(ArithmeticError::Underflow)?;

		// Everything is checked: deposit, payment and share now happen together. The call is
		// transactional, so a failing transfer leaves nothing behind.
		let deposit = T::ShareDeposit::get();
		Self::hold(HoldReason::ShareDeposit, &owner, deposit)?;
		T::Currency::transfer_on_hold(
			&HoldReason::StudyEscrow.into(),
			&study.organisation,
			&owner,
			paid,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
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
				deposit,
			},
		);
		Consents::<T>::insert(
			study_id,
			dataset,
			Consent { owner: owner.clone(), paid, at: now, withdrawn_at: None },
		);
		let recipient = study.recipient.clone();
		study.participants = participants;
		study.escrow = escrow;
		Studies::<T>::insert(study_id, study);
		Self::deposit_event(Event::ConsentGiven {
			study: study_id,
			dataset,
			owner,
			recipient,
			key_version,
			paid,
		});
		Ok(())
	}

	pub(crate) fn do_withdraw_consent(
		owner: T::AccountId,
		study_id: StudyId,
		dataset: DatasetId,
	) -> DispatchResult {
		let mut consent =
			Consents::<T>::get(study_id, dataset).ok_or(Error::<T>::ConsentNotFound)?;
		ensure!(consent.owner == owner, Error::<T>::NotAuthorized);
		ensure!(consent.withdrawn_at.is_none(), Error::<T>::ConsentWithdrawn);
		let study = Studies::<T>::get(study_id).ok_or(Error::<T>::StudyNotFound)?;
		// The study's share may be gone already (revoked, cleaned up, dataset removed) or
		// replaced by a direct share; only the study's own share is removed.
		if let Some(mut info) = Datasets::<T>::get(dataset) {
			if let Some(share) = Shares::<T>::get(dataset, &study.recipient) {
				if share.study == Some(study_id) {
					Self::take_share(&mut info, dataset, &study.recipient, &share);
					Datasets::<T>::insert(dataset, info);
				}
			}
		}
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

	pub(crate) fn do_close_study(organisation: T::AccountId, study_id: StudyId) -> DispatchResult {
		let mut study = Self::own_study(&organisation, study_id)?;
		ensure!(study.status == StudyStatus::Open, Error::<T>::StudyClosed);
		let refunded = study.escrow;
		Self::release(HoldReason::StudyEscrow, &organisation, refunded);
		study.escrow = Zero::zero();
		study.status = StudyStatus::Closed;
		Studies::<T>::insert(study_id, study);
		Self::deposit_event(Event::StudyClosed { study: study_id, refunded });
		Ok(())
	}

	/// Returns the number of consent records removed.
	pub(crate) fn do_remove_study(
		organisation: T::AccountId,
		study_id: StudyId,
	) -> Result<u32, DispatchError> {
		let study = Self::own_study(&organisation, study_id)?;
		ensure!(study.status == StudyStatus::Closed, Error::<T>::StudyOpen);
		let mut index = StudyIndex::<T>::get();
		index.retain(|id| *id != study_id);
		// Exactly `participants` (≤ `max_participants` ≤ `MaxParticipants`) records: one per paid
		// consent, withdrawn ones included.
		let removed = study.participants;
		let result = Consents::<T>::clear_prefix(study_id, study.max_participants, None);
		if result.maybe_cursor.is_some() {
			frame_support::defensive!("a study had more consent records than participants");
		}
		Self::release(HoldReason::StudyDeposit, &organisation, study.deposit);
		StudyIndex::<T>::put(index);
		Studies::<T>::remove(study_id);
		Self::deposit_event(Event::StudyRemoved { study: study_id, consents_removed: removed });
		Ok(removed)
	}
}
