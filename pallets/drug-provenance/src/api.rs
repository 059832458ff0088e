//! The reads behind the runtime API (`DrugProvenanceApi`): batches, their trace and holdings,
//! pack records and checks, recalls.

use crate::*;
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// The batch `batch_id` with its status at the current block.
	pub fn batch_info(batch_id: BatchId) -> Option<BatchInfoOf<T>> {
		let batch = Batches::<T>::get(batch_id)?;
		let effective_status = batch.effective_status(&frame_system::Pallet::<T>::block_number());
		let in_custody = batch.in_custody();
		Some(BatchInfo { id: batch_id, batch, effective_status, in_custody })
	}

	/// The batch of product `gtin` with lot `lot`.
	pub fn batch_by_lot(gtin: Gtin, lot: Vec<u8>) -> Option<BatchInfoOf<T>> {
		let lot = Lot::try_from(lot).ok()?;
		Self::batch_info(BatchIds::<T>::get(gtin, lot)?)
	}

	/// Every transfer of `batch_id` in dispatch order (at most
	/// [`Config::MaxTransfersPerBatch`]).
	pub fn trace(batch_id: BatchId) -> Vec<(TransferIndex, TransferOf<T>)> {
		let count = Batches::<T>::get(batch_id).map(|b| b.transfer_count).unwrap_or(0);
		(0..count).filter_map(|i| Transfers::<T>::get(batch_id, i).map(|t| (i, t))).collect()
	}

	/// Every current holder of `batch_id` with its quantity.
	pub fn holdings(batch_id: BatchId) -> Vec<(T::AccountId, u32)> {
		Holdings::<T>::iter_prefix(batch_id).collect()
	}

	/// The record of the pack with `leaf` in `batch_id`, if it was ever verified.
	pub fn code_status(batch_id: BatchId, leaf: H256) -> Option<PackRecordOf<T>> {
		VerifiedPacks::<T>::get(batch_id, leaf)
	}

	/// The recall of `batch_id` with who acknowledged and which holders have not.
	pub fn recall_status(batch_id: BatchId) -> Option<RecallStatusOf<T>> {
		let recall = Recalls::<T>::get(batch_id)?;
		let acknowledged = RecallAcks::<T>::iter_prefix(batch_id).collect();
		let outstanding = Holdings::<T>::iter_prefix(batch_id)
			.filter(|(who, _)| !RecallAcks::<T>::contains_key(batch_id, who))
			.collect();
		Some(RecallStatus { recall, acknowledged, outstanding })
	}

	/// Check a pack without changing anything (the runtime API `verify_pack` and the unsigned
	/// validation).
	pub fn check_pack(
		batch_id: BatchId,
		serial: &[u8],
		scratch_code: &[u8],
		salt: &Salt,
		proof: &MerkleProof,
	) -> PackCheck<BlockNumberFor<T>> {
		let Some(batch) = Batches::<T>::get(batch_id) else { return PackCheck::UnknownBatch };
		if batch.is_retired() {
			return PackCheck::BatchRetired;
		}
		let leaf = merkle::leaf_hash(serial, scratch_code, salt);
		if !merkle::verify(&batch.codes_root, leaf, proof.index, batch.code_count, &proof.siblings)
		{
			return PackCheck::Invalid;
		}
		let verdict = Self::verdict(&batch);
		match VerifiedPacks::<T>::get(batch_id, leaf) {
			None => PackCheck::NotYetVerified { leaf, verdict },
			Some(record) => PackCheck::AlreadyVerified { leaf, record, verdict },
		}
	}
}
