//! `MutualAid`: medical mutual-aid pools with time-locked rules, waiting periods, publicly noticed
//! and jury-reviewed claims, automatic payout and per-period cost sharing.
//!
//! `RuleChangeTimelock` (7 days) and `ApportionPeriod` (30 days) are parameters (see
//! [`super::parameters`]); the development and local presets shorten them to 10 and 20 blocks so
//! that the end-to-end test (`tests/e2e/mutual-aid.test.mjs`) runs in minutes. Pools choose their
//! own waiting, notice and review periods.

use super::{governance::EnsureHalfCouncil, parameters::mutual_aid};
use crate::{currency::UNIT, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS};
use frame_support::{
	parameter_types,
	traits::{ConstU16, ConstU32},
	PalletId,
};

parameter_types! {
	/// Pool accounts are `PalletId.into_sub_account_truncating(pool_id)`.
	pub const MutualAidPalletId: PalletId = PalletId(*b"mc/mutai");
	/// Held per membership: 1 MED.
	pub const MutualAidMembershipDeposit: Balance = UNIT;
	/// Held per objection: 5 MED, lost if the claim is approved.
	pub const MutualAidObjectionDeposit: Balance = 5 * UNIT;
	/// Held per appeal: 50 MED, lost if the appeal does not prevail.
	pub const MutualAidAppealDeposit: Balance = 50 * UNIT;
	/// A pool's waiting period is at most a year of 6-second blocks.
	pub const MutualAidMaxWaitingPeriod: BlockNumber = 365 * DAYS;
	/// A pool's notice period (and appeal window) is at most 30 days.
	pub const MutualAidMaxNoticePeriod: BlockNumber = 30 * DAYS;
	/// A pool's review period (commit, reveal and draw windows) is at most 14 days.
	pub const MutualAidMaxReviewPeriod: BlockNumber = 14 * DAYS;
}

impl pallet_mutual_aid::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type PoolCreatorOrigin = EnsureHalfCouncil;
	type RegistrarOrigin = EnsureHalfCouncil;
	// Claims cite EHR records; pallet-ehr implements the evidence interface itself.
	type EvidenceRecords = crate::Ehr;
	type PalletId = MutualAidPalletId;
	type MembershipDeposit = MutualAidMembershipDeposit;
	type ObjectionDeposit = MutualAidObjectionDeposit;
	type AppealDeposit = MutualAidAppealDeposit;
	type RuleChangeTimelock = mutual_aid::RuleChangeTimelock;
	type ApportionPeriod = mutual_aid::ApportionPeriod;
	type MaxWaitingPeriod = MutualAidMaxWaitingPeriod;
	type MaxNoticePeriod = MutualAidMaxNoticePeriod;
	type MaxReviewPeriod = MutualAidMaxReviewPeriod;
	// A pool's management fee is at most 10 % of the share.
	type MaxFeeBps = ConstU16<1_000>;
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
