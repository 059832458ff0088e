//! `Ehr`: patient-owned pointers to encrypted off-chain records, consented access, access log,
//! break-glass emergency access and guardians.

use super::governance::EnsureHalfCouncil;
use crate::{
	currency::UNIT, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS, MINUTES,
};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Held per record pointer: 0.1 MED.
	pub const EhrRecordDeposit: Balance = UNIT / 10;
	/// Held per access grant: 0.05 MED.
	pub const EhrGrantDeposit: Balance = UNIT / 20;
	/// Held per pending access request: 0.05 MED.
	pub const EhrRequestDeposit: Balance = UNIT / 20;
	/// Held per break-glass access until it is reviewed; slashed to the patient if unjustified.
	pub const EhrBreakGlassDeposit: Balance = 10 * UNIT;
	/// Held per guardian set: 0.2 MED.
	pub const EhrGuardianDeposit: Balance = UNIT / 5;
	/// Held per open guardian proposal: 0.05 MED.
	pub const EhrProposalDeposit: Balance = UNIT / 20;
	/// Unanswered access requests lapse after a week.
	pub const EhrRequestTtl: BlockNumber = 7 * DAYS;
	/// Break-glass access lasts 15 minutes (150 blocks).
	pub const EhrBreakGlassDuration: BlockNumber = 15 * MINUTES;
	/// Guardian approvals count for a week from a proposal's first approval.
	pub const EhrGuardianProposalTtl: BlockNumber = 7 * DAYS;
	/// A logged read opens the record's object in a vault for 10 blocks (1 minute): the vault
	/// asks at the finalized head, so the window starts once `log_access` is finalized and only
	/// has to cover the reader's fetch of the object and its key envelope; a log entry cannot
	/// be replayed later.
	pub const EhrReadWindow: BlockNumber = 10;
}

impl pallet_ehr::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrarOrigin = EnsureHalfCouncil;
	type ReviewerOrigin = EnsureHalfCouncil;
	type RecordDeposit = EhrRecordDeposit;
	type GrantDeposit = EhrGrantDeposit;
	type RequestDeposit = EhrRequestDeposit;
	type BreakGlassDeposit = EhrBreakGlassDeposit;
	type GuardianDeposit = EhrGuardianDeposit;
	type ProposalDeposit = EhrProposalDeposit;
	type MaxRecordsPerPatient = ConstU32<512>;
	type MaxGrantsPerPatient = ConstU32<64>;
	type MaxPendingRequests = ConstU32<16>;
	type MaxScopeItems = ConstU32<16>;
	type MaxTypeCodeLen = ConstU32<64>;
	type MaxLocatorLen = ConstU32<256>;
	type MaxCredentialLen = ConstU32<128>;
	type MaxGuardians = ConstU32<5>;
	type MaxGuardianProposals = ConstU32<8>;
	type MaxAccessLogLen = ConstU32<256>;
	type MaxCleanupBatch = ConstU32<16>;
	type RequestTtl = EhrRequestTtl;
	type BreakGlassDuration = EhrBreakGlassDuration;
	type GuardianProposalTtl = EhrGuardianProposalTtl;
	type ReadWindow = EhrReadWindow;
	// A reviewer sits on at most this many open panels of different claimants at a time; more
	// are simply not drawn for it.
	type MaxReviewAccessPerReviewer = ConstU32<32>;
	type WeightInfo = pallet_ehr::weights::SubstrateWeight<Runtime>;
}
