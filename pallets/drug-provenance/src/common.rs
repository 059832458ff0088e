//! Helpers of more than one area: holding, releasing and slashing deposits.

use crate::*;
use frame_support::{
	dispatch::DispatchResult,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision},
	},
};
use sp_runtime::{traits::Zero, DispatchError};

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

	/// Burn up to `amount` held from `who` for `reason` (best effort); returns the amount burned.
	pub(crate) fn slash(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if amount.is_zero() {
			return Ok(amount);
		}
		T::Currency::burn_held(&reason.into(), who, amount, Precision::BestEffort, Fortitude::Force)
	}
}
