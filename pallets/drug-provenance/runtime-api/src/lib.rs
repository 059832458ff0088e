//! Runtime API of `pallet-drug-provenance`: the read path behind the node's `drug_*` JSON-RPC
//! methods. Each method is a one-line call to a helper on `pallet_drug_provenance::Pallet`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_drug_provenance::{
	BatchId, BatchInfo, Gtin, MerkleProof, PackCheck, PackRecord, RecallStatus, Salt, Transfer,
	TransferIndex,
};
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Read access to batches, their trace, holdings, recalls and pack verification.
	pub trait DrugProvenanceApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The batch of product `gtin` (14 ASCII digits) with lot `lot`, with its status at
		/// this block.
		fn batch(gtin: Gtin, lot: Vec<u8>) -> Option<BatchInfo<AccountId, Balance, BlockNumber>>;

		/// The batch with id `batch_id`.
		fn batch_by_id(batch_id: BatchId) -> Option<BatchInfo<AccountId, Balance, BlockNumber>>;

		/// Every transfer (hop) of the batch in dispatch order: parties, quantity, blocks, state.
		fn trace(batch_id: BatchId) -> Vec<(TransferIndex, Transfer<AccountId, Balance, BlockNumber>)>;

		/// Every current holder of the batch with its quantity.
		fn holdings(batch_id: BatchId) -> Vec<(AccountId, u32)>;

		/// The verification record of the pack with `leaf`, if it was ever verified.
		fn code_status(batch_id: BatchId, leaf: H256) -> Option<PackRecord<BlockNumber>>;

		/// Dry-run check of a pack (no state change): unknown batch, invalid, not yet verified
		/// or already verified, with the verdict.
		fn verify_pack(
			batch_id: BatchId,
			serial: Vec<u8>,
			scratch_code: Vec<u8>,
			salt: Salt,
			proof: MerkleProof,
		) -> PackCheck<BlockNumber>;

		/// The recall of the batch, who acknowledged it and which holders have not.
		fn recall_status(batch_id: BatchId) -> Option<RecallStatus<AccountId, BlockNumber>>;
	}
}
