//! Requests: providers asking for access, and the patient approving or denying.

use crate::{common::decrement, *};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_request_access(
		requester: T::AccountId,
		patient: T::AccountId,
		scope: GrantScopeOf<T>,
		actions: AccessActions,
		purpose: PurposeOfUse,
		duration: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(requester != patient, Error::<T>::CannotTargetSelf);
		Self::ensure_active_provider(&requester)?;
		ensure!(!actions.is_empty(), Error::<T>::InvalidActions);
		Self::ensure_can_receive_keys(&requester, &actions)?;
		ensure!(!scope.is_empty(), Error::<T>::EmptyScope);
		ensure!(!duration.is_zero(), Error::<T>::InvalidPeriod);
		let now = Self::now();
		let expires_at = now.saturating_add(T::RequestTtl::get());
		let deposit = match Requests::<T>::get(&patient, &requester) {
			// A pending request cannot be changed under the patient's answer; once it can no
			// longer be approved it may be replaced.
			Some(old) => {
				ensure!(now >= old.expires_at, Error::<T>::RequestAlreadyExists);
				old.deposit
			},
			None => {
				let count = RequestCount::<T>::get(&patient);
				ensure!(count < T::MaxPendingRequests::get(), Error::<T>::TooManyRequests);
				let deposit = T::RequestDeposit::get();
				Self::hold(HoldReason::RequestDeposit, &requester, deposit)?;
				RequestCount::<T>::insert(&patient, count.saturating_add(1));
				deposit
			},
		};
		Requests::<T>::insert(
			&patient,
			&requester,
			AccessRequest { scope, actions, purpose, duration, expires_at, deposit },
		);
		Self::deposit_event(Event::AccessRequested { patient, requester, expires_at });
		Ok(())
	}

	pub(crate) fn do_respond_request(
		patient: T::AccountId,
		requester: T::AccountId,
		approve: bool,
		terms_hash: H256,
	) -> DispatchResult {
		let request =
			Requests::<T>::get(&patient, &requester).ok_or(Error::<T>::RequestNotFound)?;
		if approve {
			let now = Self::now();
			ensure!(now < request.expires_at, Error::<T>::Expired);
			ensure!(request.terms_hash() == terms_hash, Error::<T>::TermsMismatch);
			let expires_at = now.checked_add(&request.duration).ok_or(ArithmeticError::Overflow)?;
			Self::do_grant_access(
				patient.clone(),
				patient.clone(),
				requester.clone(),
				request.scope.clone(),
				request.actions,
				request.purpose,
				now,
				expires_at,
				None,
			)?;
			Self::remove_request(&patient, &requester, &request);
			Self::deposit_event(Event::RequestApproved { patient, requester });
		} else {
			Self::remove_request(&patient, &requester, &request);
			Self::deposit_event(Event::RequestDenied { patient, requester });
		}
		Ok(())
	}

	pub(crate) fn do_cancel_request(
		requester: T::AccountId,
		patient: T::AccountId,
	) -> DispatchResult {
		let request =
			Requests::<T>::get(&patient, &requester).ok_or(Error::<T>::RequestNotFound)?;
		Self::remove_request(&patient, &requester, &request);
		Self::deposit_event(Event::RequestCancelled { patient, requester });
		Ok(())
	}

	pub(crate) fn remove_request(
		patient: &T::AccountId,
		requester: &T::AccountId,
		request: &AccessRequestOf<T>,
	) {
		Requests::<T>::remove(patient, requester);
		RequestCount::<T>::mutate_exists(patient, decrement);
		Self::release(HoldReason::RequestDeposit, requester, request.deposit);
	}
}
