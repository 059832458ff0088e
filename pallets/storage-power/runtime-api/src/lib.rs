//! Runtime API of the storage-power pallet: what a provider's dashboard, a storage buyer and
//! polkadot.js need to read without decoding storage. Exposed over JSON-RPC by the node as
//! `storagePower_provider`, `storagePower_era`, `storagePower_estimateReward`,
//! `storagePower_penaltyPreview`, `storagePower_pendingRewards` and (version 2)
//! `storagePower_order`, `storagePower_ordersOf`, `storagePower_quote`,
//! `storagePower_economics`, (version 3) `storagePower_replicasOf`, (version 4)
//! `storagePower_openOrders` and (version 5) `storagePower_ordersOfContent`.
//!
//! Each method maps one-to-one onto a read helper of `pallet_storage_power::Pallet`, so the
//! runtime implementation (`runtime/src/apis.rs`) is one line per method.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

pub use pallet_storage_power::{
	ContentId, EconomicsView, EraIndex, EraView, OpenOrdersPage, OrderId, OrderQuote, OrderView,
	PenaltyPreview, PendingReward, Power, PowerParameters, ProviderStatus, ProviderView,
	ReplicaView, RewardEstimate, SubsidySchedule,
};

sp_api::decl_runtime_apis! {
	/// Read access to providers, eras, reward estimates and penalty previews. Version 2 adds
	/// storage orders and the economics (price, subsidy, order revenue); a node asks
	/// `api_version` before calling them at blocks of an older runtime. Version 3 adds the
	/// replicas a provider holds, with their open audits; version 4 the orders with a free place
	/// (and the provider view's heartbeat slots); version 5 the orders of a content id by owner.
	#[api_version(5)]
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

		/// Storage order `id`, live or expired (until removed).
		fn order(id: OrderId) -> Option<OrderView<AccountId, Balance>>;

		/// The orders of `owner`, by id.
		fn orders_of(owner: AccountId) -> Vec<OrderView<AccountId, Balance>>;

		/// What an order placed now would pay; `None` if it would be refused.
		fn quote(size_bytes: u64, replicas: u32, eras: u32) -> Option<OrderQuote<Balance>>;

		/// Where the era amount comes from: price, subsidy schedule, order revenue, prepaid.
		fn economics() -> EconomicsView<Balance>;

		/// The replicas `provider` holds and their open audits (what its vault must answer);
		/// version 3.
		fn replicas_of(provider: AccountId) -> Vec<ReplicaView>;

		/// The live orders with a free place, by id from `from`: at most `limit` (capped at
		/// `MAX_OPEN_ORDERS`), and where the next page starts; version 4.
		fn open_orders(from: OrderId, limit: u32) -> OpenOrdersPage<AccountId, Balance>;

		/// The orders of `content_id` placed by `owner`, by id: the order a record's issuer
		/// placed for its object; version 5.
		fn orders_of_content(content_id: ContentId, owner: AccountId) -> Vec<OrderView<AccountId, Balance>>;
	}
}
