//! `ehr_*`: read methods over the `EhrApi` runtime API. Pointers, grants and the access log
//! only; the chain holds no record content.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use medchain_runtime::{opaque::Block, AccountId, BlockNumber, Hash};
use pallet_ehr_runtime_api::{
	AccessAction, AccessEntry, ContentId, EhrApi as EhrRuntimeApi, GrantView, ReadTicket, RecordId,
	RecordView, ReviewAccessView,
};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;

use super::query_runtime;

#[rpc(server, namespace = "ehr")]
pub trait EhrApi {
	/// The record pointers of `patient` (salted commitments and encrypted locators).
	#[method(name = "records")]
	fn records(
		&self,
		patient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<RecordView<AccountId, BlockNumber>>>;

	/// The live grants of `patient`.
	#[method(name = "activeGrants")]
	fn active_grants(
		&self,
		patient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<GrantView<AccountId, BlockNumber>>>;

	/// Up to `limit` entries of `patient`'s access log from index `from`.
	#[method(name = "accessLog")]
	fn access_log(
		&self,
		patient: AccountId,
		from: u32,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<Vec<AccessEntry<AccountId, BlockNumber>>>;

	/// Whether `grantee` may do `action` on record `record_id` now.
	#[method(name = "canAccess")]
	fn can_access(
		&self,
		grantee: AccountId,
		record_id: RecordId,
		action: AccessAction,
		at: Option<Hash>,
	) -> RpcResult<bool>;

	/// Whether a vault may serve the sealed object `content_id`, uploaded by `uploader`, to
	/// `reader`: the record `uploader` issued naming it, its patient and issuer, and the verdict
	/// (`null` when no record of `uploader` names the object).
	#[method(name = "readTicket")]
	fn read_ticket(
		&self,
		reader: AccountId,
		content_id: ContentId,
		uploader: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<ReadTicket<AccountId, BlockNumber>>>;

	/// Who may read `patient`'s records for a claim's review, which records and until when.
	#[method(name = "reviewAccesses")]
	fn review_accesses(
		&self,
		patient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<ReviewAccessView<AccountId, BlockNumber>>>;
}

/// The `ehr_*` methods, answered from the client's state.
pub struct Ehr<C> {
	client: Arc<C>,
}

impl<C> Ehr<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> EhrApiServer for Ehr<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EhrRuntimeApi<Block, AccountId, BlockNumber>,
{
	fn records(
		&self,
		patient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<RecordView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| {
			let version = api
				.api_version::<dyn EhrRuntimeApi<Block, AccountId, BlockNumber>>(at)?
				.unwrap_or_default();
			if version >= 3 {
				return api.records(at, patient);
			}
			// A block of a runtime before records named their sealed object.
			#[allow(deprecated)]
			let old = api.records_before_version_3(at, patient)?;
			Ok(old.into_iter().map(Into::into).collect())
		})
	}

	fn active_grants(
		&self,
		patient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<GrantView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.active_grants(at, patient))
	}

	fn access_log(
		&self,
		patient: AccountId,
		from: u32,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<Vec<AccessEntry<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.access_log(at, patient, from, limit))
	}

	fn can_access(
		&self,
		grantee: AccountId,
		record_id: RecordId,
		action: AccessAction,
		at: Option<Hash>,
	) -> RpcResult<bool> {
		query_runtime(&*self.client, at, |api, at| api.can_access(at, grantee, record_id, action))
	}

	fn read_ticket(
		&self,
		reader: AccountId,
		content_id: ContentId,
		uploader: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<ReadTicket<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| {
			let version = api
				.api_version::<dyn EhrRuntimeApi<Block, AccountId, BlockNumber>>(at)?
				.unwrap_or_default();
			if version >= 5 {
				return api.read_ticket(at, reader, content_id, uploader);
			}
			// A block of a runtime where one record at most named a content id: it governs the
			// object only if the uploader issued it.
			#[allow(deprecated)]
			let old = api.read_ticket_before_version_5(at, reader, content_id)?;
			Ok(old.filter(|ticket| ticket.issuer == uploader))
		})
	}

	fn review_accesses(
		&self,
		patient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<ReviewAccessView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.review_accesses(at, patient))
	}
}
