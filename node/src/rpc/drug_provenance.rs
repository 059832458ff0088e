//! `drugProvenance_*`: read methods over the `DrugProvenanceApi` runtime API: batches, their trace,
//! holdings, recalls and a dry-run pack check.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use medchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash};
use pallet_drug_provenance_runtime_api::{
	BatchId, BatchInfo, DrugProvenanceApi as DrugProvenanceRuntimeApi, MerkleProof, PackCheck,
	PackRecord, RecallStatus, Transfer, TransferIndex,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;

use super::query_runtime;

type Info = BatchInfo<AccountId, Balance, BlockNumber>;
type Hop = (TransferIndex, Transfer<AccountId, Balance, BlockNumber>);

#[rpc(server, namespace = "drugProvenance")]
pub trait DrugProvenanceApi {
	/// The batch of product `gtin` with lot `lot`, both as printed on the pack
	/// (`"09506000134352"`, `"LOT-2024/07A"`).
	#[method(name = "batch")]
	fn batch(&self, gtin: String, lot: String, at: Option<Hash>) -> RpcResult<Option<Info>>;

	/// The batch with id `batch_id`.
	#[method(name = "batchById")]
	fn batch_by_id(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Option<Info>>;

	/// Every hop of the batch in dispatch order.
	#[method(name = "trace")]
	fn trace(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Vec<Hop>>;

	/// Every current holder of the batch with its quantity.
	#[method(name = "holdings")]
	fn holdings(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Vec<(AccountId, u32)>>;

	/// The verification record of the pack with `leaf`, if it was ever verified.
	#[method(name = "codeStatus")]
	fn code_status(
		&self,
		batch_id: BatchId,
		leaf: H256,
		at: Option<Hash>,
	) -> RpcResult<Option<PackRecord<BlockNumber>>>;

	/// Dry-run check of a pack; changes nothing. `serial` and `scratch_code` are the text on
	/// the pack and under its label.
	#[method(name = "verifyPack")]
	fn verify_pack(
		&self,
		batch_id: BatchId,
		serial: String,
		scratch_code: String,
		salt: H256,
		proof: MerkleProof,
		at: Option<Hash>,
	) -> RpcResult<PackCheck<BlockNumber>>;

	/// The recall of the batch and its acknowledgements.
	#[method(name = "recallStatus")]
	fn recall_status(
		&self,
		batch_id: BatchId,
		at: Option<Hash>,
	) -> RpcResult<Option<RecallStatus<AccountId, BlockNumber>>>;
}

/// The `drugProvenance_*` methods, answered from the client's state.
pub struct DrugProvenance<C> {
	client: Arc<C>,
}

impl<C> DrugProvenance<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> DrugProvenanceApiServer for DrugProvenance<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DrugProvenanceRuntimeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn batch(&self, gtin: String, lot: String, at: Option<Hash>) -> RpcResult<Option<Info>> {
		let gtin = <[u8; 14]>::try_from(gtin.as_bytes()).map_err(|_| {
			super::invalid_params(format!("`gtin` must be 14 digits, got {:?}", gtin))
		})?;
		query_runtime(&*self.client, at, |api, at| api.batch(at, gtin, lot.into_bytes()))
	}

	fn batch_by_id(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Option<Info>> {
		query_runtime(&*self.client, at, |api, at| api.batch_by_id(at, batch_id))
	}

	fn trace(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Vec<Hop>> {
		query_runtime(&*self.client, at, |api, at| api.trace(at, batch_id))
	}

	fn holdings(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Vec<(AccountId, u32)>> {
		query_runtime(&*self.client, at, |api, at| api.holdings(at, batch_id))
	}

	fn code_status(
		&self,
		batch_id: BatchId,
		leaf: H256,
		at: Option<Hash>,
	) -> RpcResult<Option<PackRecord<BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.code_status(at, batch_id, leaf))
	}

	fn verify_pack(
		&self,
		batch_id: BatchId,
		serial: String,
		scratch_code: String,
		salt: H256,
		proof: MerkleProof,
		at: Option<Hash>,
	) -> RpcResult<PackCheck<BlockNumber>> {
		query_runtime(&*self.client, at, |api, at| {
			api.verify_pack(
				at,
				batch_id,
				serial.into_bytes(),
				scratch_code.into_bytes(),
				salt.0,
				proof,
			)
		})
	}

	fn recall_status(
		&self,
		batch_id: BatchId,
		at: Option<Hash>,
	) -> RpcResult<Option<RecallStatus<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.recall_status(at, batch_id))
	}
}
