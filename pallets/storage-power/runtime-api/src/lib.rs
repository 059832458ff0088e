//! Runtime API of the storage-power pallet: what a provider's dashboard, a storage buyer and
//! polkadot.js need to read without decoding storage. Exposed over JSON-RPC by the node as
//! `storagePower_provider`, `storagePower_era`, `storagePower_estimateReward`,
//! `storagePower_penaltyPreview` and `storagePower_pendingRewards`.
//!
//! Each method maps one-to-one onto a read helper of `pallet_storage_power::Pallet`, so the
//! runtime implementation (`runtime/src/apis.rs`) is one line per method.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

pub use pallet_storage_power::{
	EraIndex, EraView, PenaltyPreview, PendingReward, Power, PowerParameters, ProviderStatus,
	ProviderView, RewardEstimate,
};

sp_api::decl_runtime_apis! {
	/// Read access to providers, eras, reward estimates and penalty previews.
	pub trait StoragePowerApi<AccountId, Balance>
	where
		AccountId: Codec,
		Balance: Codec,
	{
		/// The provider record of `who` with this era's heartbeats and power.
		fn provider(who: AccountId) -> Option<ProviderView<Balance>>;

		/// Totals of `era` (total power, emission, paid, closed?) while it is tracked.
		fn era(era: EraIndex) -> Option<EraView<Balance>>;

		/// What `who` would receive for the current era if it closed now.
		fn estimate_reward(who: AccountId) -> Option<RewardEstimate<Balance>>;

		/// What a missed heartbeat or one more failed audit would cost `who` now.
		fn penalty_preview(who: AccountId) -> Option<PenaltyPreview<Balance>>;

		/// The unclaimed eras of `who` with their rewards, oldest first.
		fn pending_rewards(who: AccountId) -> Vec<PendingReward<Balance>>;
	}
}
