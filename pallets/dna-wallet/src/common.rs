//! Helpers every area uses: the current block, holding and releasing deposits, key hashes.

use crate::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Hash};

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

	/// `blake2_256` of a public key, as events name keys.
	pub(crate) fn key_hash(public_key: &PublicKey) -> H256 {
		<BlakeTwo256 as Hash>::hash(public_key)
	}
}
