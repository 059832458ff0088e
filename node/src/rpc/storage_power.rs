//! `storagePower_*`: read methods over the `StoragePowerApi` runtime API: a provider's state,
//! an era's totals, this era's reward estimate, the penalty calculator and pending rewards; storage
//! orders, a price quote and where the era amount comes from; the replicas a provider holds and the
//! orders with a free place.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use medchain_runtime::{opaque::Block, AccountId, Balance, Hash};
use pallet_storage_power_runtime_api::{
	ContentId, EconomicsView, EraIndex, EraView, OpenOrdersPage, OrderId, OrderQuote, OrderView,
	PenaltyPreview, PendingReward, ProviderView, ReplicaView, RewardEstimate,
	StoragePowerApi as StoragePowerRuntimeApi,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;

use super::query_runtime;

#[rpc(server, namespace = "storagePower")]
pub trait StoragePowerApi {
	/// The provider record of `who` with this era's heartbeats and power.
	#[method(name = "provider")]
	fn provider(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<ProviderView<Balance>>>;

	/// Totals of `era`: total power, emission, paid, closed?
	#[method(name = "era")]
	fn era(&self, era: EraIndex, at: Option<Hash>) -> RpcResult<Option<EraView<Balance>>>;

	/// What `who` would receive for the current era if it closed now.
	#[method(name = "estimateReward")]
	fn estimate_reward(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<RewardEstimate<Balance>>>;

	/// What a missed heartbeat or one more failed audit would cost `who` now.
	#[method(name = "penaltyPreview")]
	fn penalty_preview(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<PenaltyPreview<Balance>>>;

	/// The unclaimed eras of `who` with their rewards.
	#[method(name = "pendingRewards")]
	fn pending_rewards(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<PendingReward<Balance>>>;

	/// Storage order `id`, live or expired (until removed).
	#[method(name = "order")]
	fn order(
		&self,
		id: OrderId,
		at: Option<Hash>,
	) -> RpcResult<Option<OrderView<AccountId, Balance>>>;

	/// The storage orders of `owner`.
	#[method(name = "ordersOf")]
	fn orders_of(
		&self,
		owner: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<OrderView<AccountId, Balance>>>;

	/// The storage orders of `content_id` placed by `owner`.
	#[method(name = "ordersOfContent")]
	fn orders_of_content(
		&self,
		content_id: ContentId,
		owner: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<OrderView<AccountId, Balance>>>;

	/// What an order of `replicas` copies of `size_bytes` for `eras` eras would pay now.
	#[method(name = "quote")]
	fn quote(
		&self,
		size_bytes: u64,
		replicas: u32,
		eras: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<OrderQuote<Balance>>>;

	/// Where the era amount comes from: price, subsidy schedule, order revenue, prepaid.
	#[method(name = "economics")]
	fn economics(&self, at: Option<Hash>) -> RpcResult<EconomicsView<Balance>>;

	/// The replicas `provider` holds and their open audits: segment and last block.
	#[method(name = "replicasOf")]
	fn replicas_of(&self, provider: AccountId, at: Option<Hash>) -> RpcResult<Vec<ReplicaView>>;

	/// The live orders with a free place, by id from `from` (at most `limit`, capped at 128),
	/// and the id the next page starts from.
	#[method(name = "openOrders")]
	fn open_orders(
		&self,
		from: OrderId,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<OpenOrdersPage<AccountId, Balance>>;
}

/// The `storagePower_*` methods, answered from the client's state.
pub struct StoragePower<C> {
	client: Arc<C>,
}

impl<C> StoragePower<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> StoragePowerApiServer for StoragePower<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StoragePowerRuntimeApi<Block, AccountId, Balance>,
{
	fn provider(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<ProviderView<Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.provider(at, who))
	}

	fn era(&self, era: EraIndex, at: Option<Hash>) -> RpcResult<Option<EraView<Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.era(at, era))
	}

	fn estimate_reward(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<RewardEstimate<Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.estimate_reward(at, who))
	}

	fn penalty_preview(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<PenaltyPreview<Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.penalty_preview(at, who))
	}

	fn pending_rewards(
		&self,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<PendingReward<Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.pending_rewards(at, who))
	}

	fn order(
		&self,
		id: OrderId,
		at: Option<Hash>,
	) -> RpcResult<Option<OrderView<AccountId, Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.order(at, id))
	}

	fn orders_of(
		&self,
		owner: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<OrderView<AccountId, Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.orders_of(at, owner))
	}

	fn orders_of_content(
		&self,
		content_id: ContentId,
		owner: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<OrderView<AccountId, Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.orders_of_content(at, content_id, owner))
	}

	fn quote(
		&self,
		size_bytes: u64,
		replicas: u32,
		eras: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<OrderQuote<Balance>>> {
		query_runtime(&*self.client, at, |api, at| api.quote(at, size_bytes, replicas, eras))
	}

	fn economics(&self, at: Option<Hash>) -> RpcResult<EconomicsView<Balance>> {
		query_runtime(&*self.client, at, |api, at| api.economics(at))
	}

	fn replicas_of(&self, provider: AccountId, at: Option<Hash>) -> RpcResult<Vec<ReplicaView>> {
		query_runtime(&*self.client, at, |api, at| api.replicas_of(at, provider))
	}

	fn open_orders(
		&self,
		from: OrderId,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<OpenOrdersPage<AccountId, Balance>> {
		query_runtime(&*self.client, at, |api, at| api.open_orders(at, from, limit))
	}
}
