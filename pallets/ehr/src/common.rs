//! Helpers every area uses: the current block, holding and releasing deposits, counters.

use crate::*;
use frame_support::traits::{fungible::MutateHold, tokens::Precision, Defensive};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::DispatchResult;

/// Decrement a per-patient counter, removing it at zero.
pub(crate) fn decrement(count: &mut Option<u32>) {
	let left = count.unwrap_or_default().saturating_sub(1);
	*count = (left > 0).then_some(left);
}

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Hold `amount` of `who` for `reason`.
	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
	}

	/// Release `amount` held from `who` for `reason`.
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort)
			.defensive_proof("the pallet releases only what it held and recorded; qed");
	}
}
