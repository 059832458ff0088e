//! Helpers every area uses: the current block, holding and releasing deposits, counters.

use crate::*;
use frame_system::pallet_prelude::BlockNumberFor;

/// Decrement a per-patient counter, removing it at zero.
pub(crate) fn decrement(count: &mut Option<u32>) {
	let left = count.unwrap_or_default().saturating_sub(1);
	*count = (left > 0).then_some(left);
}

/// Deposits and stake are held and released one way in every Medchain pallet
/// ([`medchain_deposits`]).
impl<T: Config> Deposits<T::AccountId> for Pallet<T> {
	type Currency = T::Currency;
	type Reason = HoldReason;
}

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}
}
