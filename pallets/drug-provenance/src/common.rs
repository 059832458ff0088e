//! Helpers of more than one area: holding and releasing deposits.

use crate::*;
use frame_support::{
	dispatch::DispatchResult,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Hold `amount` from `who` for `reason`; nothing for a zero amount.
	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
	}

	/// Release up to `amount` held from `who` for `reason` (best effort); nothing for a zero
	/// amount. A failed release is returned to the caller.
	pub(crate) fn release(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&reason.into(), who, amount, Precision::BestEffort).map(|_| ())
	}
}
