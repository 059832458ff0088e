//! `MutualAid`: medical mutual-aid pools with time-locked rules, waiting periods, publicly noticed
//! and jury-reviewed claims, automatic payout and per-period cost sharing.
//!
//! `RuleChangeTimelock` (7 days), `ApportionPeriod` (30 days), the deposits and the caps on a
//! pool's fee and periods are parameters (see [`super::parameters`]); the development and local
//! presets shorten the two timings to 10 and 20 blocks so that the end-to-end test
//! (`tests/e2e/mutual-aid.test.mjs`) runs in minutes. Pools choose their own waiting, notice and
//! review periods, up to the caps.

use super::{
	governance::EnsureHalfCouncil,
	parameters::{mutual_aid, AtLeastOneBlock, Deposit, MutualAidMaxFeeBps},
};
use crate::{Balances, Runtime, RuntimeHoldReason};
use frame_support::{parameter_types, traits::ConstU32, PalletId};

parameter_types! {
	/// Pool accounts are `PalletId.into_sub_account_truncating(pool_id)`.
	pub const MutualAidPalletId: PalletId = PalletId(*b"mc/mutai");
}

impl pallet_mutual_aid::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type PoolCreatorOrigin = EnsureHalfCouncil;
	type RegistrarOrigin = EnsureHalfCouncil;
	// Claims cite EHR records; pallet-ehr implements the evidence interface itself.
	type EvidenceRecords = crate::Ehr;
	type PalletId = MutualAidPalletId;
	// Deposits and the caps on a pool's rules are parameters the council sets (see
	// `super::parameters`).
	type MembershipDeposit = Deposit<mutual_aid::MembershipDeposit>;
	type ObjectionDeposit = Deposit<mutual_aid::ObjectionDeposit>;
	type AppealDeposit = Deposit<mutual_aid::AppealDeposit>;
	type RuleChangeTimelock = mutual_aid::RuleChangeTimelock;
	type ApportionPeriod = mutual_aid::ApportionPeriod;
	type MaxWaitingPeriod = AtLeastOneBlock<mutual_aid::MaxWaitingPeriod>;
	type MaxNoticePeriod = AtLeastOneBlock<mutual_aid::MaxNoticePeriod>;
	type MaxReviewPeriod = AtLeastOneBlock<mutual_aid::MaxReviewPeriod>;
	type MaxFeeBps = MutualAidMaxFeeBps;
	type MaxMembersPerPool = ConstU32<1_000>;
	type MaxOpenClaimsPerPool = ConstU32<64>;
	type MaxClaimsPerPeriod = ConstU32<32>;
	type MaxConditions = ConstU32<16>;
	type MaxEvidence = ConstU32<16>;
	type MaxObjections = ConstU32<8>;
	type MaxReviewers = ConstU32<64>;
	type PanelSize = ConstU32<3>;
	type AppealPanelSize = ConstU32<5>;
	type MaxEscalations = ConstU32<2>;
	type MaxApportionBatch = ConstU32<100>;
	type WeightInfo = pallet_mutual_aid::weights::SubstrateWeight<Runtime>;
}
