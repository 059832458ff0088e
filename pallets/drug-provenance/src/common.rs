//! Helpers of more than one area: holding, releasing and slashing deposits.

use crate::*;
use frame_support::traits::{
	fungible::MutateHold,
	tokens::{Fortitude, Precision},
};
use sp_runtime::{traits::Zero, DispatchError};

/// Deposits and stake are held and released one way in every Medchain pallet
/// ([`medchain_deposits`]).
impl<T: Config> Deposits<T::AccountId> for Pallet<T> {
	type Currency = T::Currency;
	type Reason = HoldReason;
}

impl<T: Config> Pallet<T> {
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
