//! Types stored, passed and returned by the mutual-aid pallet.
//!
//! Nothing here holds plaintext health data: a claim names a coarse condition code chosen by the
//! pool (an ICD-10 chapter or category such as `C50`), EHR record ids and a salted commitment to
//! the evidence; objections and votes are commitments until revealed; accounts are pseudonymous.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, ConstU32},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{Debug, Deserialize, Serialize};

/// Identifier of a pool, assigned sequentially.
pub type PoolId = u32;
/// Identifier of a claim, assigned sequentially across pools.
pub type ClaimId = u64;
// Records cited as evidence, and the interface to the pallet that holds them.
pub use medchain_evidence::{EvidenceRecord, EvidenceRecords, RecordId, ReviewId};
/// Index of an apportioning period: `block / ApportionPeriod`.
pub type PeriodIndex = u32;
/// Longest condition code: an ICD-10 code such as `C50.911` has at most 7 characters.
pub const MAX_CONDITION_CODE_LEN: u32 = 8;
/// A coarse, public condition code chosen by the pool: an ICD-10 chapter letter, category or
/// code (`C`, `C50`, `C50.9`), upper-case letters, digits and `.` only.
pub type ConditionCode = BoundedVec<u8, ConstU32<MAX_CONDITION_CODE_LEN>>;
/// Basis points in a whole (100 %).
pub const BPS_DENOMINATOR: u16 = 10_000;

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The covered condition codes of a pool.
pub type ConditionsOf<T> = BoundedVec<ConditionCode, <T as Config>::MaxConditions>;
/// The rules of a pool as stored and passed to calls.
pub type PoolRulesOf<T> = PoolRules<BalanceOf<T>, BlockNumberFor<T>, ConditionsOf<T>>;
/// A stored pool.
pub type PoolOf<T> = Pool<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, ConditionsOf<T>>;
/// A stored membership.
pub type MemberOf<T> = Member<BalanceOf<T>, BlockNumberFor<T>>;
/// Evidence of a claim: EHR record ids.
pub type EvidenceOf<T> = BoundedVec<RecordId, <T as Config>::MaxEvidence>;
/// A stored objection.
pub type ObjectionOf<T> = Objection<AccountIdOf<T>, BalanceOf<T>>;
/// A review panel (sized for the larger, appeal-level panel).
pub type PanelOf<T> =
	BoundedVec<Seat<AccountIdOf<T>, BalanceOf<T>>, <T as Config>::AppealPanelSize>;
/// A stored claim.
pub type ClaimOf<T> = Claim<
	AccountIdOf<T>,
	BalanceOf<T>,
	BlockNumberFor<T>,
	EvidenceOf<T>,
	BoundedVec<ObjectionOf<T>, <T as Config>::MaxObjections>,
	PanelOf<T>,
>;
/// A reviewer's vote.
pub type VoteOf<T> = Vote<BalanceOf<T>>;
/// A claim's outcome.
pub type OutcomeOf<T> = Outcome<BalanceOf<T>>;
/// A stored per-period ledger.
pub type LedgerOf<T> = Ledger<BalanceOf<T>>;
/// A stored apportioning in progress.
pub type ApportionmentOf<T> = Apportionment<AccountIdOf<T>, BalanceOf<T>>;
/// The registered reviewers.
pub type ReviewersOf<T> = BoundedVec<AccountIdOf<T>, <T as Config>::MaxReviewers>;
/// A pool as the runtime API returns it.
pub type PoolViewOf<T> = PoolView<AccountIdOf<T>, BlockNumberFor<T>>;
/// A membership as the runtime API returns it.
pub type MemberViewOf<T> = MemberView<BlockNumberFor<T>>;
/// A claim as the runtime API returns it.
pub type ClaimViewOf<T> = ClaimView<AccountIdOf<T>, BlockNumberFor<T>>;

/// How a pool pays its claims.
#[derive(
	Copy,
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub enum FundingModel {
	/// Members contribute in advance; approved claims are paid from the pool's balance, never
	/// beyond it.
	Prefunded,
	/// Approved claims of a period are split equally among the eligible members when the period
	/// is apportioned, plus the management fee.
	ShareAfterClaims,
}

/// The published rules of a pool. Changing them takes [`Config::RuleChangeTimelock`] blocks.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct PoolRules<Balance, BlockNumber, Conditions> {
	/// How claims are funded. Fixed for the life of the pool.
	pub funding: FundingModel,
	/// Blocks from joining until a member is covered (the observation period).
	pub waiting_period: BlockNumber,
	/// Largest amount of one claim.
	pub per_claim_cap: Balance,
	/// Largest total of approved claims of one member over the membership.
	pub lifetime_cap: Balance,
	/// Covered condition codes; a claim names exactly one of these (never a finer code).
	pub covered_conditions: Conditions,
	/// Management fee in basis points of the per-member share, at most [`Config::MaxFeeBps`].
	pub fee_bps: u16,
	/// Members the pool needs before claims can be filed.
	pub min_members: u32,
	/// Blocks of public notice after a claim is filed, during which members may object; also
	/// the window to appeal a first decision.
	pub notice_period: BlockNumber,
	/// Blocks reviewers have to commit their votes, and again to reveal them.
	pub review_period: BlockNumber,
	/// Deposit held from a claimant until the claim is closed; slashed to the pool if denied.
	pub claim_deposit: Balance,
	/// Contribution each member of a prefunded pool owes per apportioning period, from the
	/// period of joining on; a member behind on it cannot claim. Zero: no schedule (and always
	/// zero in a share-after-claims pool, whose members pay shares instead).
	pub contribution: Balance,
	/// The most each member of a share-after-claims pool can be made to owe for the claims
	/// open at once: a claim that would raise the open claims' total above `max_share ×
	/// members` is refused. Positive in a share-after-claims pool, zero in a prefunded one
	/// (whose open claims must fit in its balance instead).
	pub max_share: Balance,
}

/// A rule change waiting for its time-lock.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingRules<Balance, BlockNumber, Conditions> {
	/// The new rules.
	pub rules: PoolRules<Balance, BlockNumber, Conditions>,
	/// First block at which they can be applied.
	pub applies_at: BlockNumber,
}

/// A mutual-aid pool.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Pool<AccountId, Balance, BlockNumber, Conditions> {
	/// The manager: proposes rule changes and receives the management fee.
	pub manager: AccountId,
	/// The rules in force.
	pub rules: PoolRules<Balance, BlockNumber, Conditions>,
	/// A proposed rule change, if any.
	pub pending: Option<PendingRules<Balance, BlockNumber, Conditions>>,
	/// Block of creation.
	pub created_at: BlockNumber,
	/// Current members.
	pub member_count: u32,
	/// Open claims (filed and not yet paid or closed).
	pub open_claims: u32,
	/// Approved claims waiting for their period's apportioning.
	pub unapportioned_claims: u32,
	/// Sum of the amounts claimed by the open claims: what the pool may still have to pay.
	pub exposure: Balance,
}

/// A member of a pool.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Member<Balance, BlockNumber> {
	/// Block of (the latest) joining.
	pub joined_at: BlockNumber,
	/// First block at which the member is covered: `joined_at + waiting_period`.
	pub eligible_from: BlockNumber,
	/// Membership deposit held.
	pub deposit: Balance,
	/// Total of the member's approved claims.
	pub claimed_total: Balance,
	/// Total the member contributed (contributions and shares paid).
	pub contributed: Balance,
	/// Shares the member could not pay. A member in arrears is no longer covered.
	pub arrears: Balance,
	/// The member's open claim.
	pub open_claim: Option<ClaimId>,
}

/// An objection raised during a claim's public notice.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Objection<AccountId, Balance> {
	/// The objecting member.
	pub objector: AccountId,
	/// Salted commitment to the reason, shared with the reviewers off chain.
	pub reason_commitment: H256,
	/// Deposit held; slashed to the pool if the claim is approved.
	pub deposit: Balance,
}

/// A reviewer's vote.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub enum Vote<Balance> {
	/// Approve the amount claimed.
	Approve,
	/// Approve a smaller, positive amount.
	ApprovePartial(Balance),
	/// Deny the claim.
	Deny,
}

/// A reviewer's seat on a claim's panel.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Seat<AccountId, Balance> {
	/// The reviewer.
	pub reviewer: AccountId,
	/// `H(claim_id ‖ reviewer ‖ vote ‖ salt)`, once committed.
	pub commitment: Option<H256>,
	/// The vote, once revealed.
	pub vote: Option<Vote<Balance>>,
}

/// The level of a review.
#[derive(
	Copy,
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub enum ReviewLevel {
	/// The first panel of [`Config::PanelSize`] reviewers.
	First,
	/// An appeal-level panel of [`Config::AppealPanelSize`] reviewers; its decision is final.
	Appeal,
}

/// Where a claim is in its life.
#[derive(
	Copy,
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub enum ClaimStatus {
	/// Public notice: members may object until `notice_ends`.
	Notice,
	/// Waiting for a panel to be drawn (after notice, an escalation or an appeal).
	AwaitingPanel,
	/// The panel commits, then reveals, its votes.
	Voting,
	/// Decided; waiting for the appeal window (first level) and `finalize_claim`.
	Decided,
	/// Approved in a share-after-claims pool; paid when its period is apportioned.
	AwaitingApportion,
	/// Approved but the pool's balance cannot cover it yet; paid by a later `finalize_claim`.
	AwaitingFunds,
}

/// What a panel decided.
#[derive(
	Copy,
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub enum Outcome<Balance> {
	/// Approved for this amount.
	Approved(Balance),
	/// Denied.
	Denied,
	/// No decision after every escalation: closed without payout, every deposit returned.
	Undecided,
}

impl<Balance: Copy + Default> Outcome<Balance> {
	/// The amount approved, zero unless approved.
	pub fn approved_amount(&self) -> Balance {
		match self {
			Outcome::Approved(amount) => *amount,
			_ => Balance::default(),
		}
	}
}

/// An appeal against a first decision.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Appeal<AccountId, Balance> {
	/// The claimant or an objector.
	pub appellant: AccountId,
	/// Deposit held; returned if the appellant prevails, else slashed to the pool.
	pub deposit: Balance,
	/// The first decision.
	pub first_outcome: Outcome<Balance>,
}

/// A claim.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Claim<AccountId, Balance, BlockNumber, Evidence, Objections, Panel> {
	/// The pool.
	pub pool: PoolId,
	/// The member claiming.
	pub claimant: AccountId,
	/// Salted commitment to the covered condition code claimed:
	/// `blake2_256(SCALE(b"mutual-aid/condition", pool, code, salt))`. The code and salt go to
	/// the reviewers with the evidence, off chain; the chain never holds the code of a claim.
	pub condition_commitment: H256,
	/// Amount claimed.
	pub amount: Balance,
	/// Block of diagnosis: the issue block of the earliest evidence record (as the EHR records
	/// it, not as the claimant says), at or after the claimant's `eligible_from`.
	pub diagnosis_block: BlockNumber,
	/// EHR record ids of the claimant, each issued by a registered provider other than the
	/// claimant. Each reviewer of a drawn panel gets read access to exactly these, through the
	/// EHR pallet (`EvidenceRecords::grant_review_access`), until the commit window closes.
	pub evidence: Evidence,
	/// Salted commitment to the evidence bundle.
	pub evidence_commitment: H256,
	/// Claim deposit held.
	pub deposit: Balance,
	/// Block of filing.
	pub filed_at: BlockNumber,
	/// First block after the public notice.
	pub notice_ends: BlockNumber,
	/// The pool's notice period (and appeal window) when the claim was filed; later rule
	/// changes do not affect the claim.
	pub notice_period: BlockNumber,
	/// The pool's review period when the claim was filed (commit and reveal windows, and the
	/// window to draw a panel).
	pub review_period: BlockNumber,
	/// Members of the pool when the claim was filed: a leaver's share of the claim is divided
	/// among at most this many (members joining later cannot dilute it).
	pub members: u32,
	/// Objections raised during the notice.
	pub objections: Objections,
	/// Where the claim is.
	pub status: ClaimStatus,
	/// The level of the current or last review.
	pub level: ReviewLevel,
	/// Panels drawn so far (escalations and appeals draw again).
	pub draws: u32,
	/// The block whose hash seeds the next draw; the draw is possible once it is sealed.
	pub seed_block: BlockNumber,
	/// The current panel.
	pub panel: Panel,
	/// First block at which commits are closed.
	pub commit_ends: BlockNumber,
	/// First block at which reveals are closed.
	pub reveal_ends: BlockNumber,
	/// The decision, once taken.
	pub outcome: Option<Outcome<Balance>>,
	/// Block of the decision.
	pub decided_at: BlockNumber,
	/// The appeal, if one was made.
	pub appeal: Option<Appeal<AccountId, Balance>>,
	/// The period in which an approved claim of a share-after-claims pool is apportioned.
	pub period: Option<PeriodIndex>,
}

/// The public ledger of one pool and period. Amounts are exact; rounding dust stays in the
/// pool account and is shown as `dust`.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct Ledger<Balance> {
	/// Paid into the pool account: contributions, shares, slashed deposits.
	pub inflow: Balance,
	/// Paid out to claimants.
	pub payouts: Balance,
	/// Management fees paid to the manager.
	pub fees: Balance,
	/// Approved claims apportioned in this period.
	pub approved_total: Balance,
	/// Number of approved claims apportioned.
	pub claims: u32,
	/// Share each eligible member owed (rounded up).
	pub per_member_share: Balance,
	/// Fee each eligible member owed on top of the share.
	pub per_member_fee: Balance,
	/// Eligible members the approved claims were split among.
	pub members: u32,
	/// Of them, members who could not pay and are now in arrears.
	pub members_in_arrears: u32,
	/// Shares not paid by members in arrears.
	pub shortfall: Balance,
	/// Collected beyond the approved total by rounding the share up; kept in the pool account.
	pub dust: Balance,
	/// Whether the period has been apportioned completely.
	pub apportioned: bool,
}

/// The phase of an apportioning.
#[derive(Copy, Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum ApportionPhase {
	/// Counting the eligible members.
	Counting,
	/// Charging each eligible member the share and fee.
	Charging,
}

/// An apportioning in progress; resumable batch by batch.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Apportionment<AccountId, Balance> {
	/// The period apportioned.
	pub period: PeriodIndex,
	/// Counting or charging.
	pub phase: ApportionPhase,
	/// The last member processed in this phase.
	pub cursor: Option<AccountId>,
	/// Approved total of the period.
	pub total: Balance,
	/// Eligible members counted.
	pub eligible: u32,
	/// Share per eligible member (set when charging starts).
	pub share: Balance,
	/// Fee per eligible member (set when charging starts).
	pub fee: Balance,
	/// Members charged so far (paid or in arrears).
	pub charged: u32,
	/// Shares collected so far.
	pub collected: Balance,
}

/// The rules as the runtime API returns them. Balances are strings in JSON (they exceed 2^53).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct RulesView<BlockNumber> {
	/// Funding model.
	pub funding: FundingModel,
	/// Waiting period in blocks.
	pub waiting_period: BlockNumber,
	/// Per-claim cap.
	#[serde(with = "medchain_json::balance")]
	pub per_claim_cap: u128,
	/// Lifetime cap per member.
	#[serde(with = "medchain_json::balance")]
	pub lifetime_cap: u128,
	/// Covered condition codes (ASCII).
	#[serde(with = "medchain_json::byte_strings")]
	pub covered_conditions: Vec<Vec<u8>>,
	/// Fee in basis points.
	pub fee_bps: u16,
	/// Minimum members to file claims.
	pub min_members: u32,
	/// Public notice (and appeal window) in blocks.
	pub notice_period: BlockNumber,
	/// Commit and reveal windows in blocks.
	pub review_period: BlockNumber,
	/// Claim deposit.
	#[serde(with = "medchain_json::balance")]
	pub claim_deposit: u128,
	/// Contribution owed per period by each member of a prefunded pool.
	#[serde(with = "medchain_json::balance")]
	pub contribution: u128,
	/// Most a member of a share-after-claims pool owes for the claims open at once.
	#[serde(with = "medchain_json::balance")]
	pub max_share: u128,
}

/// A pool as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct PoolView<AccountId, BlockNumber> {
	/// The pool id.
	pub id: PoolId,
	/// The manager.
	pub manager: AccountId,
	/// The pool account holding its funds.
	pub account: AccountId,
	/// Free balance of the pool account.
	#[serde(with = "medchain_json::balance")]
	pub balance: u128,
	/// Rules in force.
	pub rules: RulesView<BlockNumber>,
	/// Proposed rules and the block from which they apply.
	pub pending: Option<(RulesView<BlockNumber>, BlockNumber)>,
	/// Block of creation.
	pub created_at: BlockNumber,
	/// Members.
	pub member_count: u32,
	/// Open claims.
	pub open_claims: u32,
	/// Approved claims waiting for apportioning.
	pub unapportioned_claims: u32,
	/// Sum of the amounts of the open claims.
	#[serde(with = "medchain_json::balance")]
	pub exposure: u128,
	/// The current period.
	pub current_period: PeriodIndex,
	/// The period being apportioned, if an apportioning is in progress.
	pub apportioning: Option<PeriodIndex>,
}

/// A membership as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct MemberView<BlockNumber> {
	/// Block of joining.
	pub joined_at: BlockNumber,
	/// First covered block.
	pub eligible_from: BlockNumber,
	/// Whether the member is covered now.
	pub eligible_now: bool,
	/// Membership deposit held.
	#[serde(with = "medchain_json::balance")]
	pub deposit: u128,
	/// Approved claims so far.
	#[serde(with = "medchain_json::balance")]
	pub claimed_total: u128,
	/// Lifetime cap left.
	#[serde(with = "medchain_json::balance")]
	pub lifetime_remaining: u128,
	/// Contributions and shares paid.
	#[serde(with = "medchain_json::balance")]
	pub contributed: u128,
	/// Unpaid shares.
	#[serde(with = "medchain_json::balance")]
	pub arrears: u128,
	/// Contributions due so far (prefunded pools); covered only while `contributed` reaches it.
	#[serde(with = "medchain_json::balance")]
	pub contributions_due: u128,
	/// Open claim.
	pub open_claim: Option<ClaimId>,
}

/// A claim as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct ClaimView<AccountId, BlockNumber> {
	/// The claim id.
	pub id: ClaimId,
	/// The pool.
	pub pool: PoolId,
	/// The claimant.
	pub claimant: AccountId,
	/// Salted commitment to the condition code.
	pub condition_commitment: H256,
	/// Amount claimed.
	#[serde(with = "medchain_json::balance")]
	pub amount: u128,
	/// Block of diagnosis.
	pub diagnosis_block: BlockNumber,
	/// EHR record ids.
	pub evidence: Vec<RecordId>,
	/// Commitment to the evidence.
	pub evidence_commitment: H256,
	/// Block of filing.
	pub filed_at: BlockNumber,
	/// End of the public notice.
	pub notice_ends: BlockNumber,
	/// Objectors.
	pub objectors: Vec<AccountId>,
	/// Status.
	pub status: ClaimStatus,
	/// Review level.
	pub level: ReviewLevel,
	/// Seed block of the next draw.
	pub seed_block: BlockNumber,
	/// Panel members.
	pub panel: Vec<AccountId>,
	/// Commits on the panel.
	pub commits: u32,
	/// Reveals on the panel.
	pub reveals: u32,
	/// End of commits.
	pub commit_ends: BlockNumber,
	/// End of reveals.
	pub reveal_ends: BlockNumber,
	/// Approved amount, if approved.
	#[serde(with = "medchain_json::option_balance")]
	pub approved: Option<u128>,
	/// Whether the claim was denied (or closed undecided).
	pub denied: bool,
	/// Block of the decision.
	pub decided_at: BlockNumber,
	/// Whether it was appealed.
	pub appealed: bool,
	/// Period of apportioning.
	pub period: Option<PeriodIndex>,
}

/// The estimated share of the current period, as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct Quote {
	/// The current period.
	pub period: PeriodIndex,
	/// Approved claims recorded for it so far.
	#[serde(with = "medchain_json::balance")]
	pub approved_total: u128,
	/// Members that would be charged if it were apportioned now.
	pub eligible_members: u32,
	/// Estimated share per member.
	#[serde(with = "medchain_json::balance")]
	pub per_member_share: u128,
	/// Estimated fee per member.
	#[serde(with = "medchain_json::balance")]
	pub per_member_fee: u128,
}

/// A ledger as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct LedgerView {
	/// The period.
	pub period: PeriodIndex,
	/// Paid into the pool.
	#[serde(with = "medchain_json::balance")]
	pub inflow: u128,
	/// Paid to claimants.
	#[serde(with = "medchain_json::balance")]
	pub payouts: u128,
	/// Paid to the manager.
	#[serde(with = "medchain_json::balance")]
	pub fees: u128,
	/// Approved claims apportioned.
	#[serde(with = "medchain_json::balance")]
	pub approved_total: u128,
	/// Number of approved claims apportioned.
	pub claims: u32,
	/// Share per eligible member.
	#[serde(with = "medchain_json::balance")]
	pub per_member_share: u128,
	/// Fee per eligible member.
	#[serde(with = "medchain_json::balance")]
	pub per_member_fee: u128,
	/// Eligible members.
	pub members: u32,
	/// Members in arrears.
	pub members_in_arrears: u32,
	/// Unpaid shares.
	#[serde(with = "medchain_json::balance")]
	pub shortfall: u128,
	/// Rounding dust kept in the pool account.
	#[serde(with = "medchain_json::balance")]
	pub dust: u128,
	/// Whether apportioning completed.
	pub apportioned: bool,
}

/// A pool created at genesis (demo data).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct GenesisPool<AccountId, Balance, BlockNumber> {
	/// The manager.
	pub manager: AccountId,
	/// Funding model.
	pub funding: FundingModel,
	/// Waiting period.
	pub waiting_period: BlockNumber,
	/// Per-claim cap.
	pub per_claim_cap: Balance,
	/// Lifetime cap.
	pub lifetime_cap: Balance,
	/// Covered codes (ASCII).
	pub covered_conditions: Vec<Vec<u8>>,
	/// Fee in basis points.
	pub fee_bps: u16,
	/// Minimum members.
	pub min_members: u32,
	/// Notice period.
	pub notice_period: BlockNumber,
	/// Review period.
	pub review_period: BlockNumber,
	/// Claim deposit.
	pub claim_deposit: Balance,
	/// Contribution per period (prefunded pools).
	#[serde(default)]
	pub contribution: Balance,
	/// Most owed per member for the open claims (share-after-claims pools).
	#[serde(default)]
	pub max_share: Balance,
	/// Members joining at genesis (their membership deposit is held).
	pub members: Vec<AccountId>,
}
