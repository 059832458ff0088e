//! The logic behind the calls, by area. Each `do_*` checks everything before it writes.

use crate::*;
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Defensive, Get,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, CheckedAdd, CheckedDiv, CheckedSub, Hash, Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Hold `amount` of `who` for `reason`.
	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
	}

	/// Release `amount` held from `who` for `reason`.
	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort)
			.defensive_proof("the pallet releases only what it held and recorded; qed");
	}

	/// `blake2_256` of a public key, as events name keys.
	pub(crate) fn key_hash(public_key: &PublicKey) -> H256 {
		<BlakeTwo256 as Hash>::hash(public_key)
	}

	// ----- Keys -----

	/// Check a new key for `who`'s `keys` and hold its deposit; returns the key to push and the
	/// next key id. Writes nothing but the hold.
	fn new_key(
		who: &T::AccountId,
		keys: &KeyListOf<T>,
		public_key: PublicKey,
		key_type: KeyType,
	) -> Result<(KeyInfoOf<T>, KeyId), DispatchError> {
		ensure!(key_type.accepts(&public_key), Error::<T>::InvalidPublicKey);
		ensure!(!keys.iter().any(|k| k.public_key == public_key), Error::<T>::KeyAlreadyExists);
		ensure!((keys.len() as u32) < T::MaxKeysPerAccount::get(), Error::<T>::TooManyKeys);
		let id = NextKeyId::<T>::get();
		let next = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::KeyDeposit::get();
		Self::hold(HoldReason::KeyDeposit, who, deposit)?;
		Ok((
			KeyInfo {
				id,
				key_type,
				public_key,
				created_at: Self::now(),
				revoked_at: None,
				deposit,
			},
			next,
		))
	}

	/// Push a key checked by [`Self::new_key`] and store the list.
	fn store_new_key(
		who: &T::AccountId,
		mut keys: KeyListOf<T>,
		key: KeyInfoOf<T>,
		next: KeyId,
	) -> DispatchResult {
		keys.try_push(key).map_err(|_| Error::<T>::TooManyKeys)?;
		NextKeyId::<T>::put(next);
		Keys::<T>::insert(who, keys);
		Ok(())
	}

	pub(crate) fn do_register_key(
		who: T::AccountId,
		public_key: PublicKey,
		key_type: KeyType,
	) -> Result<KeyId, DispatchError> {
		let keys = Keys::<T>::get(&who);
		let (key, next) = Self::new_key(&who, &keys, public_key, key_type)?;
		let key_id = key.id;
		Self::store_new_key(&who, keys, key, next)?;
		Self::deposit_event(Event::KeyRegistered { who, key_id, key_type });
		Ok(key_id)
	}

	pub(crate) fn do_rotate_key(
		who: T::AccountId,
		old_key_id: KeyId,
		public_key: PublicKey,
		key_type: KeyType,
	) -> DispatchResult {
		let mut keys = Keys::<T>::get(&who);
		let old = keys.iter_mut().find(|k| k.id == old_key_id).ok_or(Error::<T>::KeyNotFound)?;
		ensure!(old.is_live(), Error::<T>::KeyRevoked);
		old.revoked_at = Some(Self::now());
		let (key, next) = Self::new_key(&who, &keys, public_key, key_type)?;
		let new_key_id = key.id;
		Self::store_new_key(&who, keys, key, next)?;
		Self::deposit_event(Event::KeyRotated { who, old_key_id, new_key_id });
		Ok(())
	}

	pub(crate) fn do_revoke_key(who: T::AccountId, key_id: KeyId) -> DispatchResult {
		let mut keys = Keys::<T>::get(&who);
		let key = keys.iter_mut().find(|k| k.id == key_id).ok_or(Error::<T>::KeyNotFound)?;
		ensure!(key.is_live(), Error::<T>::KeyRevoked);
		key.revoked_at = Some(Self::now());
		Keys::<T>::insert(&who, keys);
		Self::deposit_event(Event::KeyRevoked { who, key_id });
		Ok(())
	}

	pub(crate) fn do_remove_key(who: T::AccountId, key_id: KeyId) -> DispatchResult {
		let mut keys = Keys::<T>::get(&who);
		let index = keys.iter().position(|k| k.id == key_id).ok_or(Error::<T>::KeyNotFound)?;
		let key = keys.remove(index);
		ensure!(!key.is_live(), Error::<T>::KeyNotRevoked);
		Self::release(HoldReason::KeyDeposit, &who, key.deposit);
		if keys.is_empty() {
			Keys::<T>::remove(&who);
		} else {
			Keys::<T>::insert(&who, keys);
		}
		Self::deposit_event(Event::KeyRemoved { who, key_id });
		Ok(())
	}

	/// `who`'s key `key_id`, if it is registered and live.
	pub(crate) fn live_key(
		who: &T::AccountId,
		key_id: KeyId,
	) -> Result<KeyInfoOf<T>, DispatchError> {
		let key = Keys::<T>::get(who)
			.into_iter()
			.find(|k| k.id == key_id)
			.ok_or(Error::<T>::KeyNotFound)?;
		ensure!(key.is_live(), Error::<T>::KeyRevoked);
		Ok(key)
	}

	// ----- Datasets -----

	pub(crate) fn do_register_dataset(
		owner: T::AccountId,
		ciphertext_hash: H256,
		format: DatasetFormat,
		size: u64,
		encrypted_locator: LocatorOf<T>,
	) -> Result<DatasetId, DispatchError> {
		ensure!(!ciphertext_hash.is_zero(), Error::<T>::InvalidCiphertextHash);
		ensure!(!encrypted_locator.is_empty(), Error::<T>::InvalidLocator);
		let dataset = NextDatasetId::<T>::get();
		let next = dataset.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut ids = OwnerDatasets::<T>::get(&owner);
		ids.try_push(dataset).map_err(|_| Error::<T>::TooManyDatasets)?;
		let deposit = T::DatasetDeposit::get();
		Self::hold(HoldReason::DatasetDeposit, &owner, deposit)?;

		OwnerDatasets::<T>::insert(&owner, ids);
		NextDatasetId::<T>::put(next);
		Datasets::<T>::insert(
			dataset,
			Dataset {
				owner: owner.clone(),
				ciphertext_hash,
				format,
				size,
				encrypted_locator,
				key_version: 1,
				allowed_uses: Default::default(),
				share_count: 0,
				created_at: Self::now(),
				deposit,
			},
		);
		Self::deposit_event(Event::DatasetRegistered { dataset, owner, format, ciphertext_hash });
		Ok(dataset)
	}

	/// The dataset `dataset`, if `owner` owns it.
	fn owned_dataset(
		owner: &T::AccountId,
		dataset: DatasetId,
	) -> Result<DatasetOf<T>, DispatchError> {
		let info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		ensure!(info.owner == *owner, Error::<T>::NotAuthorized);
		Ok(info)
	}

	pub(crate) fn do_set_allowed_uses(
		owner: T::AccountId,
		dataset: DatasetId,
		allowed: UseTermsOf<T>,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		info.allowed_uses = allowed;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::AllowedUsesSet { dataset, owner });
		Ok(())
	}

	pub(crate) fn do_share_key(
		owner: T::AccountId,
		dataset: DatasetId,
		recipient: T::AccountId,
		recipient_key_id: KeyId,
		wrapped_key: WrappedKeyOf<T>,
		expires_at: BlockNumberFor<T>,
		purpose: SharePurpose,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		ensure!(!wrapped_key.is_empty(), Error::<T>::InvalidWrappedKey);
		let now = Self::now();
		ensure!(expires_at > now, Error::<T>::Expired);
		Self::live_key(&recipient, recipient_key_id)?;
		let deposit = match Shares::<T>::get(dataset, &recipient) {
			Some(old) => {
				ensure!(old.study.is_none(), Error::<T>::ShareExists);
				old.deposit
			},
			None => {
				ensure!(
					info.share_count < T::MaxSharesPerDataset::get(),
					Error::<T>::TooManyShares
				);
				let deposit = T::ShareDeposit::get();
				Self::hold(HoldReason::ShareDeposit, &owner, deposit)?;
				info.share_count = info.share_count.saturating_add(1);
				deposit
			},
		};
		let key_version = info.key_version;
		Datasets::<T>::insert(dataset, info);
		Shares::<T>::insert(
			dataset,
			&recipient,
			Share {
				recipient_key_id,
				wrapped_key,
				key_version,
				expires_at,
				purpose,
				study: None,
				created_at: now,
				deposit,
			},
		);
		Self::deposit_event(Event::KeyShared {
			dataset,
			recipient,
			recipient_key_id,
			key_version,
			expires_at,
			purpose,
		});
		Ok(())
	}

	/// Remove the share of `dataset` to `recipient` from storage and `info`'s count and release
	/// its deposit to the owner. The caller stores `info`.
	fn take_share(
		info: &mut DatasetOf<T>,
		dataset: DatasetId,
		recipient: &T::AccountId,
		share: &ShareOf<T>,
	) {
		Shares::<T>::remove(dataset, recipient);
		info.share_count = info.share_count.saturating_sub(1);
		Self::release(HoldReason::ShareDeposit, &info.owner, share.deposit);
	}

	pub(crate) fn do_revoke_share(
		owner: T::AccountId,
		dataset: DatasetId,
		recipient: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		let share = Shares::<T>::get(dataset, &recipient).ok_or(Error::<T>::ShareNotFound)?;
		Self::take_share(&mut info, dataset, &recipient, &share);
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::ShareRevoked { dataset, recipient });
		Ok(())
	}

	pub(crate) fn do_rotate_data_key(
		owner: T::AccountId,
		dataset: DatasetId,
		new_ciphertext_hash: H256,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		ensure!(
			!new_ciphertext_hash.is_zero() && new_ciphertext_hash != info.ciphertext_hash,
			Error::<T>::InvalidCiphertextHash
		);
		let key_version = info.key_version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		info.key_version = key_version;
		info.ciphertext_hash = new_ciphertext_hash;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DataKeyRotated {
			dataset,
			key_version,
			ciphertext_hash: new_ciphertext_hash,
		});
		Ok(())
	}

	/// Returns the number of shares removed.
	pub(crate) fn do_remove_dataset(
		owner: T::AccountId,
		dataset: DatasetId,
	) -> Result<u32, DispatchError> {
		let info = Self::owned_dataset(&owner, dataset)?;
		let mut ids = OwnerDatasets::<T>::get(&owner);
		ids.retain(|id| *id != dataset);

		// At most `MaxSharesPerDataset` entries: the dataset's own bounded count.
		let mut removed: u32 = 0;
		let mut deposits = BalanceOf::<T>::zero();
		for (_, share) in Shares::<T>::drain_prefix(dataset) {
			removed = removed.saturating_add(1);
			deposits = deposits.saturating_add(share.deposit);
		}
		Self::release(HoldReason::ShareDeposit, &owner, deposits);
		Self::release(HoldReason::DatasetDeposit, &owner, info.deposit);
		if ids.is_empty() {
			OwnerDatasets::<T>::remove(&owner);
		} else {
			OwnerDatasets::<T>::insert(&owner, ids);
		}
		Datasets::<T>::remove(dataset);
		Self::deposit_event(Event::DatasetRemoved { dataset, owner, shares_removed: removed });
		Ok(removed)
	}

	/// Whether `share` (of `info`, to `recipient`) decrypts the current ciphertext at `now`.
	pub(crate) fn share_is_live(
		info: &DatasetOf<T>,
		recipient: &T::AccountId,
		share: &ShareOf<T>,
		now: &BlockNumberFor<T>,
	) -> bool {
		share.key_version == info.key_version
			&& *now < share.expires_at
			&& Self::live_key(recipient, share.recipient_key_id).is_ok()
	}

	pub(crate) fn do_remove_expired_shares(
		dataset: DatasetId,
		recipients: BoundedVec<T::AccountId, T::MaxCleanupBatch>,
	) -> DispatchResult {
		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		let now = Self::now();
		let mut seen = BTreeSet::new();
		let mut dead = Vec::with_capacity(recipients.len());
		for recipient in recipients {
			ensure!(seen.insert(recipient.clone()), Error::<T>::DuplicateTarget);
			let share = Shares::<T>::get(dataset, &recipient).ok_or(Error::<T>::ShareNotFound)?;
			ensure!(!Self::share_is_live(&info, &recipient, &share, &now), Error::<T>::ShareLive);
			dead.push((recipient, share));
		}
		for (recipient, share) in dead {
			Self::take_share(&mut info, dataset, &recipient, &share);
			Self::deposit_event(Event::DeadShareRemoved { dataset, recipient });
		}
		Datasets::<T>::insert(dataset, info);
		Ok(())
	}

	// ----- Organisations and studies -----

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

	// ----- Guardian recovery -----

	pub(crate) fn do_set_guardians(
		owner: T::AccountId,
		guardians: GuardianListOf<T>,
		threshold: u32,
	) -> DispatchResult {
		ensure!(threshold > 0 && threshold <= guardians.len() as u32, Error::<T>::InvalidThreshold);
		ensure!(!guardians.contains(&owner), Error::<T>::CannotTargetSelf);
		let len = guardians.len();
		let mut sorted = guardians.into_inner();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == len, Error::<T>::DuplicateGuardian);
		let sorted = GuardianListOf::<T>::truncate_from(sorted);
		let deposit = match Guardians::<T>::get(&owner) {
			Some(old) => old.deposit,
			None => {
				let deposit = T::GuardianDeposit::get();
				Self::hold(HoldReason::GuardianDeposit, &owner, deposit)?;
				deposit
			},
		};
		Recoveries::<T>::remove(&owner);
		Guardians::<T>::insert(
			&owner,
			GuardianSet { guardians: sorted.clone(), threshold, deposit },
		);
		Self::deposit_event(Event::GuardiansSet { owner, guardians: sorted, threshold });
		Ok(())
	}

	pub(crate) fn do_remove_guardians(owner: T::AccountId) -> DispatchResult {
		let set = Guardians::<T>::get(&owner).ok_or(Error::<T>::GuardiansNotFound)?;
		Self::release(HoldReason::GuardianDeposit, &owner, set.deposit);
		Guardians::<T>::remove(&owner);
		Recoveries::<T>::remove(&owner);
		Self::deposit_event(Event::GuardiansRemoved { owner });
		Ok(())
	}

	pub(crate) fn do_approve_recovery(
		guardian: T::AccountId,
		owner: T::AccountId,
		public_key: PublicKey,
		key_type: KeyType,
	) -> DispatchResult {
		let set = Guardians::<T>::get(&owner).ok_or(Error::<T>::GuardiansNotFound)?;
		ensure!(set.guardians.contains(&guardian), Error::<T>::NotGuardian);
		ensure!(key_type.accepts(&public_key), Error::<T>::InvalidPublicKey);
		ensure!(
			!Keys::<T>::get(&owner).iter().any(|k| k.public_key == public_key),
			Error::<T>::KeyAlreadyExists
		);
		let mut recovery = Recoveries::<T>::get(&owner)
			.unwrap_or(Recovery { votes: BoundedVec::new(), pending: None });
		ensure!(recovery.pending.is_none(), Error::<T>::RecoveryPending);
		// Only current guardians vote (the set is replaced together with the votes), one vote
		// each: at most `MaxGuardians`.
		recovery.votes.retain(|v| v.guardian != guardian);
		recovery
			.votes
			.try_push(RecoveryVote {
				guardian: guardian.clone(),
				key_type,
				public_key: public_key.clone(),
			})
			.map_err(|_| Error::<T>::NotGuardian)?;
		let approvals = recovery
			.votes
			.iter()
			.filter(|v| v.key_type == key_type && v.public_key == public_key)
			.count() as u32;
		let key_hash = Self::key_hash(&public_key);
		if approvals >= set.threshold {
			let ready_at = Self::now()
				.checked_add(&T::RecoveryDelay::get())
				.ok_or(ArithmeticError::Overflow)?;
			recovery.votes = BoundedVec::new();
			recovery.pending = Some(PendingRecovery { key_type, public_key, ready_at });
			Recoveries::<T>::insert(&owner, recovery);
			Self::deposit_event(Event::RecoveryInitiated { owner, key_hash, ready_at });
		} else {
			Recoveries::<T>::insert(&owner, recovery);
			Self::deposit_event(Event::RecoveryApproved { owner, guardian, key_hash, approvals });
		}
		Ok(())
	}

	pub(crate) fn do_cancel_recovery(owner: T::AccountId) -> DispatchResult {
		ensure!(Recoveries::<T>::contains_key(&owner), Error::<T>::RecoveryNotFound);
		Recoveries::<T>::remove(&owner);
		Self::deposit_event(Event::RecoveryCancelled { owner });
		Ok(())
	}

	pub(crate) fn do_finish_recovery(owner: T::AccountId) -> DispatchResult {
		let pending = Recoveries::<T>::get(&owner)
			.and_then(|r| r.pending)
			.ok_or(Error::<T>::RecoveryNotFound)?;
		let now = Self::now();
		ensure!(now >= pending.ready_at, Error::<T>::RecoveryNotReady);
		let mut keys = Keys::<T>::get(&owner);
		let mut retired: u32 = 0;
		for key in keys.iter_mut().filter(|k| k.is_live()) {
			key.revoked_at = Some(now);
			retired = retired.saturating_add(1);
		}
		let (key, next) = Self::new_key(&owner, &keys, pending.public_key, pending.key_type)?;
		let key_id = key.id;
		Self::store_new_key(&owner, keys, key, next)?;
		Recoveries::<T>::remove(&owner);
		Self::deposit_event(Event::RecoveryFinished { owner, key_id, retired });
		Ok(())
	}

	// ----- Invariants -----

	/// The pallet's invariants: counters match their maps, every deposit and escrow recorded
	/// is exactly what is held, no orphans, every cap respected.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::traits::CheckedMul;

		type Sums<T> = BTreeMap<(u8, AccountIdOf<T>), BalanceOf<T>>;
		fn add<T: Config>(
			sums: &mut Sums<T>,
			reason: u8,
			who: &AccountIdOf<T>,
			amount: BalanceOf<T>,
		) {
			let sum = sums.entry((reason, who.clone())).or_default();
			*sum = sum.saturating_add(amount);
		}
		let mut sums = Sums::<T>::new();
		const KEY: u8 = 0;
		const DATASET: u8 = 1;
		const SHARE: u8 = 2;
		const STUDY: u8 = 3;
		const ESCROW: u8 = 4;
		const GUARDIAN: u8 = 5;

		// Keys.
		let next_key = NextKeyId::<T>::get();
		let mut key_ids = BTreeSet::new();
		for (who, keys) in Keys::<T>::iter() {
			ensure!(!keys.is_empty(), "an empty key list is stored");
			for key in keys.iter() {
				ensure!(key.id < next_key, "a key id is not below NextKeyId");
				ensure!(key_ids.insert(key.id), "a key id is used twice");
				ensure!(key.key_type.accepts(&key.public_key), "a stored key is malformed");
				add::<T>(&mut sums, KEY, &who, key.deposit);
			}
		}

		// Datasets and shares.
		let next_dataset = NextDatasetId::<T>::get();
		let mut datasets: u64 = 0;
		for (id, info) in Datasets::<T>::iter() {
			datasets = datasets.saturating_add(1);
			ensure!(id < next_dataset, "a dataset id is not below NextDatasetId");
			ensure!(
				OwnerDatasets::<T>::get(&info.owner).contains(&id),
				"a dataset is not listed under its owner"
			);
			ensure!(info.key_version >= 1, "a data-key version is zero");
			add::<T>(&mut sums, DATASET, &info.owner, info.deposit);
			let mut shares: u32 = 0;
			for (_, share) in Shares::<T>::iter_prefix(id) {
				shares = shares.saturating_add(1);
				ensure!(share.key_version <= info.key_version, "a share is of a future version");
				add::<T>(&mut sums, SHARE, &info.owner, share.deposit);
			}
			ensure!(shares == info.share_count, "a dataset's share count differs from its shares");
			ensure!(shares <= T::MaxSharesPerDataset::get(), "a dataset has too many shares");
		}
		let mut listed: u64 = 0;
		for (owner, ids) in OwnerDatasets::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty dataset list is stored");
			for id in ids.iter() {
				ensure!(
					Datasets::<T>::get(id).is_some_and(|d| d.owner == owner),
					"a listed dataset is missing or another owner's"
				);
			}
			listed = listed.saturating_add(ids.len() as u64);
		}
		ensure!(listed == datasets, "datasets and owner lists differ");
		for (id, _, _) in Shares::<T>::iter() {
			ensure!(Datasets::<T>::contains_key(id), "a share of a removed dataset");
		}

		// Studies and consents.
		let next_study = NextStudyId::<T>::get();
		let index = StudyIndex::<T>::get();
		let mut studies: usize = 0;
		for (id, study) in Studies::<T>::iter() {
			studies = studies.saturating_add(1);
			ensure!(id < next_study, "a study id is not below NextStudyId");
			ensure!(index.contains(&id), "a study is not in StudyIndex");
			ensure!(
				study.participants <= study.max_participants,
				"a study has too many participants"
			);
			ensure!(
				study.max_participants <= T::MaxParticipants::get(),
				"a study's cap is too high"
			);
			let spent = study
				.price
				.checked_mul(&BalanceOf::<T>::from(study.participants))
				.ok_or("a study's payments overflow")?;
			match study.status {
				StudyStatus::Open => ensure!(
					study.escrow.checked_add(&spent) == Some(study.budget),
					"an open study's escrow is not budget minus payments"
				),
				StudyStatus::Closed => {
					ensure!(study.escrow.is_zero(), "a closed study keeps escrow")
				},
			}
			let consents = Consents::<T>::iter_prefix(id).count();
			ensure!(
				consents == study.participants as usize,
				"a study's consent records differ from its participants"
			);
			add::<T>(&mut sums, STUDY, &study.organisation, study.deposit);
			add::<T>(&mut sums, ESCROW, &study.organisation, study.escrow);
		}
		ensure!(studies == index.len(), "StudyIndex lists a missing study");
		for (id, _, _) in Consents::<T>::iter() {
			ensure!(Studies::<T>::contains_key(id), "a consent of a removed study");
		}

		// Guardians.
		for (owner, set) in Guardians::<T>::iter() {
			ensure!(
				set.threshold > 0 && set.threshold as usize <= set.guardians.len(),
				"a guardian threshold is out of range"
			);
			add::<T>(&mut sums, GUARDIAN, &owner, set.deposit);
		}
		for (owner, recovery) in Recoveries::<T>::iter() {
			let set = Guardians::<T>::get(&owner).ok_or("a recovery without guardians")?;
			ensure!(
				recovery.votes.iter().all(|v| set.guardians.contains(&v.guardian)),
				"a recovery vote of a non-guardian"
			);
			ensure!(
				recovery.pending.is_none() || recovery.votes.is_empty(),
				"a pending recovery keeps votes"
			);
		}

		// Holds: for every account seen, every reason holds exactly what is recorded (zero
		// included, so a hold left behind by a removed item is caught).
		let accounts: BTreeSet<AccountIdOf<T>> = sums.keys().map(|(_, who)| who.clone()).collect();
		for who in accounts {
			for (code, reason) in [
				(KEY, HoldReason::KeyDeposit),
				(DATASET, HoldReason::DatasetDeposit),
				(SHARE, HoldReason::ShareDeposit),
				(STUDY, HoldReason::StudyDeposit),
				(ESCROW, HoldReason::StudyEscrow),
				(GUARDIAN, HoldReason::GuardianDeposit),
			] {
				let recorded = sums.get(&(code, who.clone())).copied().unwrap_or_default();
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), &who) == recorded,
					"a hold differs from the deposits and escrow recorded"
				);
			}
		}
		Ok(())
	}
}
