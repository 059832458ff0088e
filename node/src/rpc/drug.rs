//! `drug_*`: read methods over the `DrugProvenanceApi` runtime API: batches, their trace,
//! holdings, recalls and a dry-run pack check.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use medchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash};
use pallet_drug_provenance::{
	BatchId, BatchInfo, MerkleProof, PackCheck, PackRecord, RecallStatus, Transfer, TransferIndex,
};
use pallet_drug_provenance_runtime_api::DrugProvenanceApi as DrugRuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{Bytes, H256};

use super::{at_or_best, runtime_error};

type Info = BatchInfo<AccountId, Balance, BlockNumber>;
type Hop = (TransferIndex, Transfer<AccountId, Balance, BlockNumber>);

#[rpc(server, namespace = "drug")]
pub trait DrugApi {
	/// The batch of product `gtin` (14 ASCII digits) with lot `lot` (bytes).
	#[method(name = "batch")]
	fn batch(&self, gtin: String, lot: Bytes, at: Option<Hash>) -> RpcResult<Option<Info>>;

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

	/// Dry-run check of a pack; changes nothing.
	#[method(name = "verifyPack")]
	fn verify_pack(
		&self,
		batch_id: BatchId,
		serial: Bytes,
		scratch_code: Bytes,
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

/// The `drug_*` methods, answered from the client's state.
pub struct Drug<C> {
	client: Arc<C>,
}

impl<C> Drug<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> DrugApiServer for Drug<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DrugRuntimeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn batch(&self, gtin: String, lot: Bytes, at: Option<Hash>) -> RpcResult<Option<Info>> {
		let gtin = <[u8; 14]>::try_from(gtin.as_bytes()).map_err(|_| {
			super::invalid_params(format!("`gtin` must be 14 digits, got {:?}", gtin))
		})?;
		let at = at_or_best(&*self.client, at);
		self.client.runtime_api().batch(at, gtin, lot.to_vec()).map_err(runtime_error)
	}

	fn batch_by_id(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Option<Info>> {
		let at = at_or_best(&*self.client, at);
		self.client.runtime_api().batch_by_id(at, batch_id).map_err(runtime_error)
	}

	fn trace(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Vec<Hop>> {
		let at = at_or_best(&*self.client, at);
		self.client.runtime_api().trace(at, batch_id).map_err(runtime_error)
	}

	fn holdings(&self, batch_id: BatchId, at: Option<Hash>) -> RpcResult<Vec<(AccountId, u32)>> {
		let at = at_or_best(&*self.client, at);
		self.client.runtime_api().holdings(at, batch_id).map_err(runtime_error)
	}

	fn code_status(
		&self,
		batch_id: BatchId,
		leaf: H256,
		at: Option<Hash>,
	) -> RpcResult<Option<PackRecord<BlockNumber>>> {
		let at = at_or_best(&*self.client, at);
		self.client.runtime_api().code_status(at, batch_id, leaf).map_err(runtime_error)
	}

	fn verify_pack(
		&self,
		batch_id: BatchId,
		serial: Bytes,
		scratch_code: Bytes,
		salt: H256,
		proof: MerkleProof,
		at: Option<Hash>,
	) -> RpcResult<PackCheck<BlockNumber>> {
		let at = at_or_best(&*self.client, at);
		self.client
			.runtime_api()
			.verify_pack(at, batch_id, serial.to_vec(), scratch_code.to_vec(), salt.0, proof)
			.map_err(runtime_error)
	}

	fn recall_status(
		&self,
		batch_id: BatchId,
		at: Option<Hash>,
	) -> RpcResult<Option<RecallStatus<AccountId, BlockNumber>>> {
		let at = at_or_best(&*self.client, at);
		self.client.runtime_api().recall_status(at, batch_id).map_err(runtime_error)
	}
}
