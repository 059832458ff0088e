//! `mutualAid_*`: read methods over the `MutualAidApi` runtime API: pools, memberships, open
//! claims, per-period ledgers and the current share quote. Balances are decimal strings.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use medchain_runtime::{opaque::Block, AccountId, BlockNumber, Hash};
use pallet_mutual_aid_runtime_api::{
	ClaimStatus, ClaimView, LedgerView, MemberView, MutualAidApi as MutualAidRuntimeApi,
	PeriodIndex, PoolId, PoolView, Quote,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;

use super::query_runtime;

#[rpc(server, namespace = "mutualAid")]
pub trait MutualAidApi {
	/// Pool `pool_id`: rules, pending rule change, counters, balance, current period.
	#[method(name = "pool")]
	fn pool(
		&self,
		pool_id: PoolId,
		at: Option<Hash>,
	) -> RpcResult<Option<PoolView<AccountId, BlockNumber>>>;

	/// The membership of `who` in `pool_id`.
	#[method(name = "member")]
	fn member(
		&self,
		pool_id: PoolId,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<MemberView<BlockNumber>>>;

	/// The open claims of `pool_id`, optionally only those in `status`.
	#[method(name = "claims")]
	fn claims(
		&self,
		pool_id: PoolId,
		status: Option<ClaimStatus>,
		at: Option<Hash>,
	) -> RpcResult<Vec<ClaimView<AccountId, BlockNumber>>>;

	/// The ledger of `pool_id` for `period`.
	#[method(name = "ledger")]
	fn ledger(
		&self,
		pool_id: PoolId,
		period: PeriodIndex,
		at: Option<Hash>,
	) -> RpcResult<Option<LedgerView>>;

	/// The estimated share and fee per member of the current period.
	#[method(name = "quote")]
	fn quote(&self, pool_id: PoolId, at: Option<Hash>) -> RpcResult<Option<Quote>>;
}

/// The `mutualAid_*` methods, answered from the client's state.
pub struct MutualAid<C> {
	client: Arc<C>,
}

impl<C> MutualAid<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> MutualAidApiServer for MutualAid<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MutualAidRuntimeApi<Block, AccountId, BlockNumber>,
{
	fn pool(
		&self,
		pool_id: PoolId,
		at: Option<Hash>,
	) -> RpcResult<Option<PoolView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.pool(at, pool_id))
	}

	fn member(
		&self,
		pool_id: PoolId,
		who: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<MemberView<BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.member(at, pool_id, who))
	}

	fn claims(
		&self,
		pool_id: PoolId,
		status: Option<ClaimStatus>,
		at: Option<Hash>,
	) -> RpcResult<Vec<ClaimView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.claims(at, pool_id, status))
	}

	fn ledger(
		&self,
		pool_id: PoolId,
		period: PeriodIndex,
		at: Option<Hash>,
	) -> RpcResult<Option<LedgerView>> {
		query_runtime(&*self.client, at, |api, at| api.ledger(at, pool_id, period))
	}

	fn quote(&self, pool_id: PoolId, at: Option<Hash>) -> RpcResult<Option<Quote>> {
		query_runtime(&*self.client, at, |api, at| api.quote(at, pool_id))
	}
}
