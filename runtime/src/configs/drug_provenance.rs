//! `DrugProvenance`: licensed partners, products and batches, two-phase custody, one-time
//! scratch-code verification of packs, suspect reports and recalls.

use super::{
	governance::EnsureHalfCouncil,
	parameters::{drug_provenance, Deposit},
};
use crate::{Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS};
use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::transaction_validity::{TransactionLongevity, TransactionPriority};

parameter_types! {
	/// A dispatched transfer not received within 14 days can be expired back to the sender.
	pub const DrugTransferTimeout: BlockNumber = 14 * DAYS;
	/// A batch's trace stays on chain six years after its expiry (DSCSA's record-keeping period)
	/// before it can be retired.
	pub const DrugTraceRetention: BlockNumber = 6 * 365 * DAYS;
	/// Free (unsigned) first verifications of packs rank above ordinary transactions; a
	/// verified pack yields no further free transaction.
	pub const DrugUnsignedPriority: TransactionPriority = TransactionPriority::MAX / 2;
	/// Free pack verifications stay valid in the pool for 64 blocks.
	pub const DrugUnsignedLongevity: TransactionLongevity = 64;
}

impl pallet_drug_provenance::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// The registrar regulator: half of the council (see `governance`).
	type RegistrarOrigin = EnsureHalfCouncil;
	// Deposits are parameters the council sets (see `super::parameters`).
	type ProductDeposit = Deposit<drug_provenance::ProductDeposit>;
	type BatchDeposit = Deposit<drug_provenance::BatchDeposit>;
	type PackRecordDeposit = Deposit<drug_provenance::PackRecordDeposit>;
	type TransferDeposit = Deposit<drug_provenance::TransferDeposit>;
	type SuspectReportDeposit = Deposit<drug_provenance::SuspectReportDeposit>;
	type TransferTimeout = DrugTransferTimeout;
	type CloneAlarmThreshold = ConstU32<5>;
	type MaxCodesPerBatch = ConstU32<10_000_000>;
	type MaxTransfersPerBatch = ConstU32<4_096>;
	type MaxBatchesPerRecall = ConstU32<32>;
	type TraceRetention = DrugTraceRetention;
	type RetireBatchLimit = ConstU32<256>;
	type UnsignedPriority = DrugUnsignedPriority;
	type UnsignedLongevity = DrugUnsignedLongevity;
	type WeightInfo = pallet_drug_provenance::weights::SubstrateWeight<Runtime>;
}
