//! Grants: granting and revoking access, and the checks on a grant's terms.

use crate::{common::decrement, *};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_grant_access(
		granted_by: T::AccountId,
		patient: T::AccountId,
		grantee: T::AccountId,
		scope: GrantScopeOf<T>,
		actions: AccessActions,
		purpose: PurposeOfUse,
		not_before: BlockNumberFor<T>,
		expires_at: BlockNumberFor<T>,
		max_reads: Option<u32>,
	) -> DispatchResult {
		let now = Self::now();
		Self::ensure_valid_grant(
			&patient,
			&grantee,
			&scope,
			&actions,
			&not_before,
			&expires_at,
			max_reads,
			&now,
		)?;
		Self::ensure_can_receive_keys(&grantee, &actions)?;
		Self::store_grant(
			granted_by, patient, grantee, scope, actions, purpose, not_before, expires_at,
			max_reads,
		)
	}

	/// Store a grant whose terms were checked: hold its deposit (or adjust the replaced grant's)
	/// and emit [`Event::AccessGranted`].
	pub(crate) fn store_grant(
		granted_by: T::AccountId,
		patient: T::AccountId,
		grantee: T::AccountId,
		scope: GrantScopeOf<T>,
		actions: AccessActions,
		purpose: PurposeOfUse,
		not_before: BlockNumberFor<T>,
		expires_at: BlockNumberFor<T>,
		max_reads: Option<u32>,
	) -> DispatchResult {
		let now = Self::now();
		let deposit = T::GrantDeposit::get();
		match Grants::<T>::get(&patient, &grantee) {
			None => {
				let count = GrantCount::<T>::get(&patient);
				ensure!(count < T::MaxGrantsPerPatient::get(), Error::<T>::TooManyGrants);
				Self::hold(HoldReason::GrantDeposit, &granted_by, deposit)?;
				GrantCount::<T>::insert(&patient, count.saturating_add(1));
			},
			Some(old) if old.granted_by == granted_by => {
				if deposit > old.deposit {
					Self::hold(
						HoldReason::GrantDeposit,
						&granted_by,
						deposit.saturating_sub(old.deposit),
					)?;
				} else if deposit < old.deposit {
					Self::release(
						HoldReason::GrantDeposit,
						&granted_by,
						old.deposit.saturating_sub(deposit),
					);
				}
			},
			Some(old) => {
				Self::hold(HoldReason::GrantDeposit, &granted_by, deposit)?;
				Self::release(HoldReason::GrantDeposit, &old.granted_by, old.deposit);
			},
		}
		Grants::<T>::insert(
			&patient,
			&grantee,
			Grant {
				scope,
				actions,
				purpose,
				not_before,
				expires_at,
				reads_left: max_reads,
				granted_by: granted_by.clone(),
				granted_at: now,
				deposit,
			},
		);
		Self::deposit_event(Event::AccessGranted { patient, grantee, granted_by });
		Ok(())
	}

	/// The terms of a grant are acceptable.
	pub(crate) fn ensure_valid_grant(
		patient: &T::AccountId,
		grantee: &T::AccountId,
		scope: &GrantScopeOf<T>,
		actions: &AccessActions,
		not_before: &BlockNumberFor<T>,
		expires_at: &BlockNumberFor<T>,
		max_reads: Option<u32>,
		now: &BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(patient != grantee, Error::<T>::CannotTargetSelf);
		Self::ensure_active_provider(grantee)?;
		ensure!(!actions.is_empty(), Error::<T>::InvalidActions);
		ensure!(!scope.is_empty(), Error::<T>::EmptyScope);
		ensure!(not_before < expires_at, Error::<T>::InvalidPeriod);
		ensure!(expires_at > now, Error::<T>::Expired);
		ensure!(max_reads != Some(0), Error::<T>::InvalidReadLimit);
		Ok(())
	}

	/// A reader must be able to receive record keys: read access needs a live sealing key in
	/// the registry (append access does not; the appender seals to the patient's key).
	pub(crate) fn ensure_can_receive_keys(
		reader: &T::AccountId,
		actions: &AccessActions,
	) -> DispatchResult {
		use medchain_keys::KeyAgreementRegistry;
		ensure!(
			!actions.read || T::KeyRegistry::has_sealing_key(reader),
			Error::<T>::GranteeHasNoKey
		);
		Ok(())
	}

	pub(crate) fn do_revoke_access(
		revoked_by: T::AccountId,
		patient: T::AccountId,
		grantee: T::AccountId,
	) -> DispatchResult {
		let grant = Grants::<T>::get(&patient, &grantee).ok_or(Error::<T>::GrantNotFound)?;
		Self::remove_grant(&patient, &grantee, &grant);
		Self::deposit_event(Event::AccessRevoked { patient, grantee, revoked_by });
		Ok(())
	}

	pub(crate) fn remove_grant(patient: &T::AccountId, grantee: &T::AccountId, grant: &GrantOf<T>) {
		Grants::<T>::remove(patient, grantee);
		GrantCount::<T>::mutate_exists(patient, decrement);
		Self::release(HoldReason::GrantDeposit, &grant.granted_by, grant.deposit);
	}
}
