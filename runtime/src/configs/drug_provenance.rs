//! `DrugProvenance`: licensed partners, products and batches, two-phase custody, one-time
//! scratch-code verification of packs, suspect reports and recalls.

use super::governance::EnsureHalfCouncil;
use crate::{
	currency::{MILLI_UNIT, UNIT},
	Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS,
};
use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::transaction_validity::{TransactionLongevity, TransactionPriority};

parameter_types! {
	/// Held per registered product: 1 MED.
	pub const DrugProductDeposit: Balance = UNIT;
	/// Held per registered batch: 10 MED (plus the per-pack deposit below).
	pub const DrugBatchDeposit: Balance = 10 * UNIT;
	/// Held per pack code of a batch: 0.0001 MED, prepaying the storage of its free verification.
	pub const DrugPackRecordDeposit: Balance = MILLI_UNIT / 10;
	/// Held per transfer record, from its sender until the batch is retired: 0.1 MED.
	pub const DrugTransferDeposit: Balance = UNIT / 10;
	/// Held per suspect report: 5 MED, burned if the regulator finds the report unfounded.
	pub const DrugSuspectReportDeposit: Balance = 5 * UNIT;
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
	type ProductDeposit = DrugProductDeposit;
	type BatchDeposit = DrugBatchDeposit;
	type PackRecordDeposit = DrugPackRecordDeposit;
	type TransferDeposit = DrugTransferDeposit;
	type SuspectReportDeposit = DrugSuspectReportDeposit;
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
