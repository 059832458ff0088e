//! Guardian recovery: M-of-N guardians approve a new key, which waits a delay and then replaces
//! the owner's keys. Approvals and a pending key expire after
//! [`Config::RecoveryApprovalWindow`]: an old approval never combines with a new one.

use crate::*;
use frame_support::{ensure, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, Saturating},
	ArithmeticError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// Whether something done at `at` still counts at `now`.
	fn within_approval_window(at: BlockNumberFor<T>, now: BlockNumberFor<T>) -> bool {
		now < at.saturating_add(T::RecoveryApprovalWindow::get())
	}

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
		let now = Self::now();
		let mut recovery = Recoveries::<T>::get(&owner)
			.unwrap_or(Recovery { votes: BoundedVec::new(), pending: None });
		// A pending key not registered within the window is dropped; a live one blocks.
		if let Some(pending) = &recovery.pending {
			ensure!(
				!Self::within_approval_window(pending.ready_at, now),
				Error::<T>::RecoveryPending
			);
			recovery.pending = None;
		}
		// Only current guardians vote (the set is replaced together with the votes), one vote
		// each: at most `MaxGuardians`. Stale approvals are dropped, so they never combine with
		// new ones.
		recovery
			.votes
			.retain(|v| v.guardian != guardian && Self::within_approval_window(v.approved_at, now));
		recovery
			.votes
			.try_push(RecoveryVote {
				guardian: guardian.clone(),
				key_type,
				public_key: public_key.clone(),
				approved_at: now,
			})
			.map_err(|_| Error::<T>::NotGuardian)?;
		let approvals = recovery
			.votes
			.iter()
			.filter(|v| v.key_type == key_type && v.public_key == public_key)
			.count() as u32;
		let key_hash = Self::key_hash(&public_key);
		if approvals >= set.threshold {
			let ready_at =
				now.checked_add(&T::RecoveryDelay::get()).ok_or(ArithmeticError::Overflow)?;
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
		ensure!(Self::within_approval_window(pending.ready_at, now), Error::<T>::Expired);
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
}
