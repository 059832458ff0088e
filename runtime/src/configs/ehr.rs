//! `Ehr`: patient-owned pointers to encrypted off-chain records, consented access, access log,
//! break-glass emergency access and guardians.

use super::{
	governance::EnsureHalfCouncil,
	parameters::{ehr, Deposit, EhrBreakGlassDeposit},
};
use crate::{Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS, MINUTES};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
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
	// The one key-agreement registry is the DNA wallet's; EHR asks it before a read grant.
	type KeyRegistry = crate::DnaWallet;
	// Deposits are parameters the council sets (see `super::parameters`).
	type RecordDeposit = Deposit<ehr::RecordDeposit>;
	type GrantDeposit = Deposit<ehr::GrantDeposit>;
	type RequestDeposit = Deposit<ehr::RequestDeposit>;
	type BreakGlassDeposit = EhrBreakGlassDeposit;
	type GuardianDeposit = Deposit<ehr::GuardianDeposit>;
	type ProposalDeposit = Deposit<ehr::ProposalDeposit>;
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
