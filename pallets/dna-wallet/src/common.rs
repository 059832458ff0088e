//! Helpers every area uses: the current block, holding and releasing deposits, key hashes.

use crate::*;
use frame_support::traits::{fungible::MutateHold, tokens::Precision, Defensive};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash, Zero},
	DispatchResult,
};

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
}
