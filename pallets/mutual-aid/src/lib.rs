//! # Mutual-aid pallet
//!
//! Medical mutual aid in the open: pools whose rules, claims and money flows are all on chain and
//! enforced by it. Members share the cost of serious illness; every claim is publicly noticed,
//! reviewed by a randomly drawn jury with commit–reveal voting and an appeal, paid automatically,
//! and every period's costs are split equally and written to a public ledger.
//!
//! ## Terms
//!
//! - **Pool**: created by [`Config::PoolCreatorOrigin`] with a manager and [`PoolRules`]: waiting
//!   period, per-claim cap, lifetime cap, covered condition codes, funding model, fee cap, minimum
//!   members, notice and review periods (with maxima), claim deposit, contribution schedule
//!   (prefunded) or share cap (share-after-claims). Its funds live in
//!   `PalletId.into_sub_account_truncating(pool_id)`. Rules change only after
//!   [`Config::RuleChangeTimelock`] blocks, announced by event, and never for claims already filed;
//!   members may leave meanwhile, paying what they owe.
//! - **Member**: joins with [`Config::MembershipDeposit`] held; covered from `eligible_from =
//!   joined_at + waiting_period`, while not in arrears nor behind on contributions. Re-joining
//!   resets the waiting period, not the lifetime cap. Leaving pays the member's share of every
//!   claim filed while it was a member and not yet apportioned.
//! - **Claim**: filed by a covered member within the caps and the pool's solvency, one open claim
//!   per member, with the pool's claim deposit held. Evidence is EHR record ids issued by
//!   registered providers other than the claimant (the earliest dates the diagnosis, at or after
//!   `eligible_from`) plus a salted commitment, never documents; the condition code is a salted
//!   commitment too.
//! - **Notice**: for `notice_period` blocks any other member may object with
//!   [`Config::ObjectionDeposit`] held.
//! - **Review**: a panel of [`Config::PanelSize`] registered reviewers (never the claimant, an
//!   objector, the appellant or an issuer of the evidence) is drawn from the hash of the block at
//!   the end of the notice, commits `H(claim ‖ reviewer ‖ vote ‖ salt)` for `review_period` blocks
//!   and reveals for as long again. When the panel is drawn, each reviewer gets read access,
//!   through the EHR pallet ([`Config::EvidenceRecords`]), to exactly the evidence records of the
//!   claimant, read only, for the purpose "claim review", until the commit window closes; it ends
//!   when the review closes (decision or escalation) or the reviewer is removed. Filing the claim
//!   is the claimant's consent to that access. Majority of revealed votes wins; a partial approval
//!   pays the median approved amount; no quorum or a tie escalates to an appeal-level panel of
//!   [`Config::AppealPanelSize`]. A claim no panel can be drawn for closes undecided after its draw
//!   window.
//! - **Appeal**: the claimant, an objector or another member may appeal a first decision within
//!   `notice_period` blocks with [`Config::AppealDeposit`] held; the appeal-level decision is
//!   final.
//! - **Payout**: [`Pallet::finalize_claim`] pays an approved claim from a prefunded pool if its
//!   balance allows (else the claim waits, visibly, as `AwaitingFunds`), or records it for its
//!   period in a share-after-claims pool; deposits are returned or slashed to the pool.
//! - **Apportioning**: [`Pallet::apportion`] splits a finished period's approved claims equally
//!   among the members eligible in it, plus the capped fee, in bounded resumable batches, pays the
//!   claimants and writes the period's [`Ledger`].
//!
//! ## Calls
//!
//! Pool creator / manager: [`Pallet::create_pool`], [`Pallet::propose_rule_change`]. Anyone:
//! [`Pallet::apply_rule_change`], [`Pallet::draw_panel`], [`Pallet::close_review`],
//! [`Pallet::finalize_claim`], [`Pallet::apportion`]. Members: [`Pallet::join`],
//! [`Pallet::leave`], [`Pallet::contribute`], [`Pallet::file_claim`], [`Pallet::object`],
//! [`Pallet::appeal`]. Reviewers: [`Pallet::commit_vote`], [`Pallet::reveal_vote`]. Registrar:
//! [`Pallet::add_reviewer`], [`Pallet::remove_reviewer`].
//!
//! ## Randomness of panels
//!
//! A panel is drawn from `blake2(claim ‖ draw ‖ hash(seed_block))`, where `seed_block` is fixed
//! before anybody can know its hash: the last notice block for the first panel, the block after
//! an escalation or appeal for later ones. The only influence the author of that block has is to
//! withhold it and lose the slot (and its reward); nobody else has any. The draw itself is a
//! permissionless call that may come at any later time without changing the result, as long as
//! the seed block is within the runtime's `BlockHashCount` and the eligible reviewers did not
//! change meanwhile (registrations, removals, and the review access a reviewer holds for another
//! claim of the same claimant, which ends when that review closes); after that the seed moves to
//! the block of the late call (a pruned hash would read as zero, a seed anyone could compute).
//!
//! ## Privacy
//!
//! A claim carries a salted commitment to its covered condition code, never the code; evidence is
//! record ids and a salted commitment; objections carry a salted reason commitment; votes are
//! hidden until revealed. No call, stored claim, view or event carries a claim's condition code
//! or any document.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod api;
mod common;
mod features;
mod genesis;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
#[allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::panic
)]
mod benchmarking;
#[cfg(test)]
#[allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::panic
)]
mod mock;
#[cfg(test)]
#[allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::panic
)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

// The FRAME macros expand `#[pallet::pallet]`, `#[pallet::storage]`, `#[pallet::error]` and
// `#[pallet::genesis_build]` to paths such as `frame_support::__private::Vec`
// (`unused_qualifications`) and to `expect` in metadata and storage-info code that runs off chain.
// The calls below only delegate to the `features` modules, which have neither allowance.
#[allow(unused_qualifications, clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			BuildGenesisConfig,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::Zero;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency of deposits, contributions, shares and payouts.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that creates pools (and may also propose their rule changes).
		type PoolCreatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The origin that registers and removes reviewers.
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Reads the EHR records cited as evidence (patient, issuer, issue block) and the
		/// provider registry.
		type EvidenceRecords: EvidenceRecords<Self::AccountId, BlockNumberFor<Self>>;

		/// Derives the pool accounts: `PalletId.into_sub_account_truncating(pool_id)`.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Deposit held from each member; pays for the membership record and is released on
		/// leaving (minus unpaid shares, which go to the pool).
		#[pallet::constant]
		type MembershipDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from each objector; pays for the objection and is slashed to the pool if
		/// the claim is approved.
		#[pallet::constant]
		type ObjectionDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from an appellant; returned if the appeal prevails, else slashed to the
		/// pool. Larger than claim deposits: an appeal draws a larger panel.
		#[pallet::constant]
		type AppealDeposit: Get<BalanceOf<Self>>;

		/// Blocks between a rule-change proposal and the first block it can apply.
		#[pallet::constant]
		type RuleChangeTimelock: Get<BlockNumberFor<Self>>;

		/// Length of an apportioning period in blocks; period `p` is blocks
		/// `[p × ApportionPeriod, (p + 1) × ApportionPeriod)`.
		#[pallet::constant]
		type ApportionPeriod: Get<BlockNumberFor<Self>>;

		/// Longest waiting period a pool may set.
		#[pallet::constant]
		type MaxWaitingPeriod: Get<BlockNumberFor<Self>>;

		/// Longest notice period (and appeal window) a pool may set.
		#[pallet::constant]
		type MaxNoticePeriod: Get<BlockNumberFor<Self>>;

		/// Longest review period a pool may set.
		#[pallet::constant]
		type MaxReviewPeriod: Get<BlockNumberFor<Self>>;

		/// Highest management fee a pool may set, in basis points of the share.
		#[pallet::constant]
		type MaxFeeBps: Get<u16>;

		/// Most members of one pool.
		#[pallet::constant]
		type MaxMembersPerPool: Get<u32>;

		/// Most open claims of one pool.
		#[pallet::constant]
		type MaxOpenClaimsPerPool: Get<u32>;

		/// Most approved claims apportioned in one period of one pool.
		#[pallet::constant]
		type MaxClaimsPerPeriod: Get<u32>;

		/// Most covered condition codes of a pool.
		#[pallet::constant]
		type MaxConditions: Get<u32>;

		/// Most evidence record ids of a claim.
		#[pallet::constant]
		type MaxEvidence: Get<u32>;

		/// Most objections to one claim.
		#[pallet::constant]
		type MaxObjections: Get<u32>;

		/// Most registered reviewers.
		#[pallet::constant]
		type MaxReviewers: Get<u32>;

		/// Reviewers on a first-level panel.
		#[pallet::constant]
		type PanelSize: Get<u32>;

		/// Reviewers on an appeal-level panel (at least [`Config::PanelSize`]).
		#[pallet::constant]
		type AppealPanelSize: Get<u32>;

		/// Appeal-level panels drawn again after no quorum before a claim is closed undecided.
		#[pallet::constant]
		type MaxEscalations: Get<u32>;

		/// Members processed by one [`Pallet::apportion`] call.
		#[pallet::constant]
		type MaxApportionBatch: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a membership.
		MembershipDeposit,
		/// Deposit for an open claim.
		ClaimDeposit,
		/// Deposit for an objection.
		ObjectionDeposit,
		/// Deposit for an appeal.
		AppealDeposit,
	}

	/// The id the next pool gets.
	#[pallet::storage]
	pub type NextPoolId<T: Config> = StorageValue<_, PoolId, ValueQuery>;

	/// Pools by id.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, PoolId, PoolOf<T>>;

	/// Members by pool and account.
	#[pallet::storage]
	pub type Members<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Blake2_128Concat, T::AccountId, MemberOf<T>>;

	/// The id the next claim gets.
	#[pallet::storage]
	pub type NextClaimId<T: Config> = StorageValue<_, ClaimId, ValueQuery>;

	/// Open claims by id; removed when paid or closed.
	#[pallet::storage]
	pub type Claims<T: Config> = StorageMap<_, Twox64Concat, ClaimId, ClaimOf<T>>;

	/// The open claims of each pool, oldest first.
	#[pallet::storage]
	pub type PoolClaims<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PoolId,
		BoundedVec<ClaimId, T::MaxOpenClaimsPerPool>,
		ValueQuery,
	>;

	/// Approved claims of a share-after-claims pool recorded for a period's apportioning.
	#[pallet::storage]
	pub type PeriodClaims<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Twox64Concat,
		PeriodIndex,
		BoundedVec<ClaimId, T::MaxClaimsPerPeriod>,
		ValueQuery,
	>;

	/// The public ledger of each pool and period.
	#[pallet::storage]
	pub type Ledgers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Twox64Concat, PeriodIndex, LedgerOf<T>>;

	/// The apportioning in progress of a pool, if any.
	#[pallet::storage]
	pub type Apportionments<T: Config> = StorageMap<_, Twox64Concat, PoolId, ApportionmentOf<T>>;

	/// The registered reviewers.
	#[pallet::storage]
	pub type Reviewers<T: Config> = StorageValue<_, ReviewersOf<T>, ValueQuery>;

	/// Approved claims of former members by pool and account, restored when they re-join: the
	/// lifetime cap spans memberships. Written only for accounts that were paid by the pool.
	#[pallet::storage]
	pub type FormerClaims<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Blake2_128Concat, T::AccountId, BalanceOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A pool was created.
		PoolCreated {
			/// The pool.
			pool_id: PoolId,
			/// Its manager.
			manager: T::AccountId,
			/// The account holding its funds.
			account: T::AccountId,
			/// Its funding model.
			funding: FundingModel,
		},
		/// A rule change was proposed; members may leave before it applies.
		RuleChangeProposed {
			/// The pool.
			pool_id: PoolId,
			/// First block at which it can apply.
			applies_at: BlockNumberFor<T>,
		},
		/// A proposed rule change took effect.
		RuleChangeApplied {
			/// The pool.
			pool_id: PoolId,
		},
		/// A member joined.
		Joined {
			/// The pool.
			pool_id: PoolId,
			/// The member.
			who: T::AccountId,
			/// First covered block.
			eligible_from: BlockNumberFor<T>,
		},
		/// A member left; the deposit was released.
		Left {
			/// The pool.
			pool_id: PoolId,
			/// The former member.
			who: T::AccountId,
			/// Arrears (unpaid shares of apportioned periods) paid to the pool.
			arrears_settled: BalanceOf<T>,
			/// Its share of the claims not yet apportioned, paid to the pool.
			shares_settled: BalanceOf<T>,
		},
		/// A member contributed to the pool.
		Contributed {
			/// The pool.
			pool_id: PoolId,
			/// The member.
			who: T::AccountId,
			/// Amount.
			amount: BalanceOf<T>,
		},
		/// A claim was filed; its public notice runs until `notice_ends`.
		ClaimFiled {
			/// The claim.
			claim_id: ClaimId,
			/// The pool.
			pool_id: PoolId,
			/// The claimant.
			claimant: T::AccountId,
			/// Amount claimed.
			amount: BalanceOf<T>,
			/// Commitment to the evidence.
			evidence_commitment: H256,
			/// End of the notice.
			notice_ends: BlockNumberFor<T>,
		},
		/// A member objected to a claim.
		Objected {
			/// The claim.
			claim_id: ClaimId,
			/// The objector.
			objector: T::AccountId,
			/// Commitment to the reason.
			reason_commitment: H256,
		},
		/// A review panel was drawn.
		PanelDrawn {
			/// The claim.
			claim_id: ClaimId,
			/// First or appeal level.
			level: ReviewLevel,
			/// The reviewers.
			panel: Vec<T::AccountId>,
			/// End of commits.
			commit_ends: BlockNumberFor<T>,
			/// End of reveals.
			reveal_ends: BlockNumberFor<T>,
		},
		/// A reviewer committed a hidden vote.
		VoteCommitted {
			/// The claim.
			claim_id: ClaimId,
			/// The reviewer.
			reviewer: T::AccountId,
		},
		/// A reviewer revealed a vote.
		VoteRevealed {
			/// The claim.
			claim_id: ClaimId,
			/// The reviewer.
			reviewer: T::AccountId,
			/// The vote.
			vote: VoteOf<T>,
		},
		/// A panel decided a claim.
		ClaimDecided {
			/// The claim.
			claim_id: ClaimId,
			/// The level.
			level: ReviewLevel,
			/// The decision.
			outcome: OutcomeOf<T>,
		},
		/// A review had no quorum or a tie; an appeal-level panel will be drawn.
		ReviewEscalated {
			/// The claim.
			claim_id: ClaimId,
			/// The block whose hash seeds the new panel.
			seed_block: BlockNumberFor<T>,
		},
		/// A claim's draw came too late to read its seed block's hash; the seed moved to this
		/// block, and the panel can be drawn from the next one.
		SeedRefreshed {
			/// The claim.
			claim_id: ClaimId,
			/// The new seed block.
			seed_block: BlockNumberFor<T>,
		},
		/// A first decision was appealed.
		Appealed {
			/// The claim.
			claim_id: ClaimId,
			/// The claimant or objector appealing.
			appellant: T::AccountId,
			/// The block whose hash seeds the appeal panel.
			seed_block: BlockNumberFor<T>,
		},
		/// An approved claim was paid from the pool account.
		ClaimPaid {
			/// The claim.
			claim_id: ClaimId,
			/// The pool.
			pool_id: PoolId,
			/// The claimant.
			claimant: T::AccountId,
			/// Amount paid.
			amount: BalanceOf<T>,
		},
		/// An approved claim waits for the pool to have enough funds.
		ClaimAwaitingFunds {
			/// The claim.
			claim_id: ClaimId,
			/// The pool.
			pool_id: PoolId,
			/// Amount owed.
			amount: BalanceOf<T>,
		},
		/// An approved claim was recorded for its period's apportioning.
		ClaimAwaitingApportion {
			/// The claim.
			claim_id: ClaimId,
			/// The pool.
			pool_id: PoolId,
			/// The period.
			period: PeriodIndex,
			/// Amount approved.
			amount: BalanceOf<T>,
		},
		/// A denied or undecided claim was closed without payout.
		ClaimClosed {
			/// The claim.
			claim_id: ClaimId,
			/// The pool.
			pool_id: PoolId,
			/// The final outcome.
			outcome: OutcomeOf<T>,
		},
		/// A deposit was slashed to the pool.
		DepositSlashed {
			/// The claim it was for.
			claim_id: ClaimId,
			/// Whose deposit.
			who: T::AccountId,
			/// Amount moved to the pool account.
			amount: BalanceOf<T>,
		},
		/// A batch of an apportioning was processed; call again to continue.
		ApportionProgressed {
			/// The pool.
			pool_id: PoolId,
			/// The period.
			period: PeriodIndex,
			/// Members processed in this call.
			processed: u32,
		},
		/// A member could not pay its share and is in arrears, no longer covered.
		MemberInArrears {
			/// The pool.
			pool_id: PoolId,
			/// The period.
			period: PeriodIndex,
			/// The member.
			who: T::AccountId,
			/// The unpaid share.
			owed: BalanceOf<T>,
		},
		/// A period was apportioned; its ledger is final.
		PeriodApportioned {
			/// The pool.
			pool_id: PoolId,
			/// The period.
			period: PeriodIndex,
			/// Members charged.
			members: u32,
			/// Share per member.
			per_member_share: BalanceOf<T>,
			/// Fee per member.
			per_member_fee: BalanceOf<T>,
			/// Unpaid shares.
			shortfall: BalanceOf<T>,
		},
		/// A reviewer was registered.
		ReviewerAdded {
			/// The reviewer.
			reviewer: T::AccountId,
		},
		/// A reviewer was removed (existing panel seats are kept).
		ReviewerRemoved {
			/// The reviewer.
			reviewer: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No pool has this id.
		PoolNotFound,
		/// The caller may not do this (not the manager, claimant, objector or panel member).
		NotAuthorized,
		/// The rules are inconsistent: a cap, period or deposit is zero, the lifetime cap is
		/// below the per-claim cap, no condition is covered, or `min_members` is zero or above
		/// [`Config::MaxMembersPerPool`], or the funding fields do not fit the model: a
		/// share-after-claims pool needs a positive `max_share` and no contribution, a
		/// prefunded pool no `max_share`.
		InvalidRules,
		/// A condition code is empty or has characters other than `A`–`Z`, `0`–`9` and `.`.
		InvalidConditionCode,
		/// The fee is above [`Config::MaxFeeBps`].
		FeeAboveCap,
		/// A rule change cannot change the funding model.
		FundingModelFixed,
		/// The pool has no pending rule change.
		NoPendingRuleChange,
		/// The rule change's time-lock has not elapsed.
		RuleChangeLocked,
		/// The account is already a member.
		MemberAlreadyExists,
		/// The account is not a member of the pool.
		MemberNotFound,
		/// The pool has [`Config::MaxMembersPerPool`] members.
		TooManyMembers,
		/// The member has an open claim.
		ClaimOpen,
		/// The pool is being apportioned.
		ApportionInProgress,
		/// The member cannot pay what it owes on leaving: its arrears and its share of the
		/// claims filed while it was a member that are not yet apportioned.
		SharesOutstanding,
		/// The amount is zero.
		ZeroAmount,
		/// The member is still in the waiting period.
		NotEligible,
		/// The diagnosis is before the member's eligibility (or in the future).
		DiagnosisNotCovered,
		/// The member is in arrears.
		InArrears,
		/// The condition is not covered by the pool.
		ConditionNotCovered,
		/// The amount is above the per-claim cap.
		AboveClaimCap,
		/// The amount is above what is left of the member's lifetime cap.
		AboveLifetimeCap,
		/// The pool has fewer members than its `min_members`.
		TooFewMembers,
		/// The pool has [`Config::MaxOpenClaimsPerPool`] open claims.
		TooManyOpenClaims,
		/// An evidence record does not exist, is not the claimant's or is not active.
		InvalidEvidence,
		/// A claim cites no evidence record.
		NoEvidence,
		/// A claim cites the same evidence record twice.
		DuplicateEvidence,
		/// An evidence record was issued by the claimant or by an account that is not an
		/// active registered provider.
		EvidenceNotFromProvider,
		/// The member of a prefunded pool has not paid the contributions due so far.
		BehindOnContributions,
		/// The pool cannot cover the claim on top of its open claims: a prefunded pool's
		/// balance, or in a share-after-claims pool `max_share` per member.
		PoolCannotCover,
		/// A waiting, notice or review period is above its maximum
		/// ([`Config::MaxWaitingPeriod`], [`Config::MaxNoticePeriod`],
		/// [`Config::MaxReviewPeriod`]).
		PeriodTooLong,
		/// A panel can be drawn: draw it rather than closing the claim.
		PanelCanBeDrawn,
		/// No open claim has this id.
		ClaimNotFound,
		/// Objections are taken only while the claim's notice runs.
		ClaimNotInNotice,
		/// A panel is drawn only for a claim in notice or awaiting its panel.
		ClaimNotAwaitingPanel,
		/// Votes are committed and revealed, and a review closed, only while the panel reviews.
		ClaimNotInReview,
		/// The claim has no decision yet to appeal or finalize.
		ClaimNotDecided,
		/// The public notice has ended.
		NoticeEnded,
		/// The claimant cannot object to the claim.
		OwnClaim,
		/// The member already objected.
		AlreadyObjected,
		/// The claim has [`Config::MaxObjections`] objections.
		TooManyObjections,
		/// The seed block of the draw is not sealed yet.
		TooEarly,
		/// Fewer eligible reviewers than the panel size.
		NotEnoughReviewers,
		/// The caller is not on the claim's panel, or was removed from the reviewers since.
		NotOnPanel,
		/// The commit window has closed.
		CommitClosed,
		/// The reviewer already committed.
		AlreadyCommitted,
		/// The reviewer did not commit.
		NotCommitted,
		/// Reveals are not open yet.
		RevealNotOpen,
		/// The reveal window has closed.
		RevealClosed,
		/// The reviewer already revealed.
		AlreadyRevealed,
		/// The vote and salt do not match the commitment.
		CommitmentMismatch,
		/// A partial approval must be positive and below the amount claimed.
		InvalidPartialAmount,
		/// The review is still open.
		ReviewNotOver,
		/// The appeal window has closed.
		AppealWindowClosed,
		/// The decision is final: already appealed or decided at appeal level.
		AlreadyAppealed,
		/// The appeal window of the decision is still open.
		AppealWindowOpen,
		/// The pool does not share costs after claims.
		NotShareAfterClaims,
		/// The period has not ended.
		PeriodNotEnded,
		/// The period has no approved claims to apportion.
		NothingToApportion,
		/// The period was already apportioned.
		AlreadyApportioned,
		/// The current period has [`Config::MaxClaimsPerPeriod`] approved claims; finalize in
		/// the next period.
		TooManyClaimsInPeriod,
		/// The account is already a reviewer.
		ReviewerAlreadyExists,
		/// The account is not a reviewer.
		ReviewerNotFound,
		/// There are [`Config::MaxReviewers`] reviewers.
		TooManyReviewers,
		/// The pool's balance cannot cover the approved claim yet.
		InsufficientPoolFunds,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::MembershipDeposit::get().is_zero(), "MembershipDeposit must be positive");
			assert!(!T::ObjectionDeposit::get().is_zero(), "ObjectionDeposit must be positive");
			assert!(!T::AppealDeposit::get().is_zero(), "AppealDeposit must be positive");
			assert!(!T::ApportionPeriod::get().is_zero(), "ApportionPeriod must be positive");
			assert!(T::MaxFeeBps::get() <= BPS_DENOMINATOR, "MaxFeeBps must be at most 10000");
			assert!(T::MaxMembersPerPool::get() > 0, "MaxMembersPerPool must be positive");
			assert!(T::MaxOpenClaimsPerPool::get() > 0, "MaxOpenClaimsPerPool must be positive");
			assert!(T::MaxClaimsPerPeriod::get() > 0, "MaxClaimsPerPeriod must be positive");
			assert!(T::MaxConditions::get() > 0, "MaxConditions must be positive");
			assert!(T::MaxObjections::get() > 0, "MaxObjections must be positive");
			assert!(T::MaxReviewers::get() > 0, "MaxReviewers must be positive");
			assert!(T::PanelSize::get() > 0, "PanelSize must be positive");
			assert!(
				T::AppealPanelSize::get() >= T::PanelSize::get(),
				"AppealPanelSize must be at least PanelSize"
			);
			assert!(T::MaxApportionBatch::get() > 0, "MaxApportionBatch must be positive");
			assert!(T::MaxEvidence::get() > 0, "MaxEvidence must be positive");
			assert!(!T::MaxNoticePeriod::get().is_zero(), "MaxNoticePeriod must be positive");
			assert!(!T::MaxReviewPeriod::get().is_zero(), "MaxReviewPeriod must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a pool managed by `manager` with `rules`. Its funds live in the pool account.
		///
		/// Origin: [`Config::PoolCreatorOrigin`]. No deposit. Emits [`Event::PoolCreated`].
		/// Errors: [`Error::InvalidRules`], [`Error::InvalidConditionCode`],
		/// [`Error::FeeAboveCap`], [`Error::PeriodTooLong`], `ArithmeticError::Overflow`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_pool())]
		pub fn create_pool(
			origin: OriginFor<T>,
			manager: T::AccountId,
			rules: PoolRulesOf<T>,
		) -> DispatchResult {
			T::PoolCreatorOrigin::ensure_origin(origin)?;
			Self::do_create_pool(manager, rules)
		}

		/// Propose `rules` for pool `pool_id`; they can apply from now +
		/// [`Config::RuleChangeTimelock`]. Replaces an earlier proposal (restarting the lock).
		///
		/// Origin: the signed manager or [`Config::PoolCreatorOrigin`]. Emits
		/// [`Event::RuleChangeProposed`]. Errors: [`Error::PoolNotFound`],
		/// [`Error::NotAuthorized`], [`Error::InvalidRules`], [`Error::InvalidConditionCode`],
		/// [`Error::FeeAboveCap`], [`Error::PeriodTooLong`], [`Error::FundingModelFixed`].
		/// Claims already filed keep the notice and review periods they were filed under.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::propose_rule_change())]
		pub fn propose_rule_change(
			origin: OriginFor<T>,
			pool_id: PoolId,
			rules: PoolRulesOf<T>,
		) -> DispatchResult {
			let manager = match T::PoolCreatorOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_propose_rule_change(manager, pool_id, rules)
		}

		/// Apply the pending rule change of `pool_id` once its time-lock has elapsed. Members
		/// keep their join and eligibility blocks.
		///
		/// Origin: any signed account. Emits [`Event::RuleChangeApplied`]. Errors:
		/// [`Error::PoolNotFound`], [`Error::NoPendingRuleChange`], [`Error::RuleChangeLocked`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::apply_rule_change())]
		pub fn apply_rule_change(origin: OriginFor<T>, pool_id: PoolId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_apply_rule_change(pool_id)
		}

		/// Join pool `pool_id`: covered from now + the waiting period.
		///
		/// Origin: signed. Holds [`Config::MembershipDeposit`] until leaving. Emits
		/// [`Event::Joined`]. Errors: [`Error::PoolNotFound`], [`Error::MemberAlreadyExists`],
		/// [`Error::TooManyMembers`], `ArithmeticError::Overflow`; a currency error if the deposit cannot
		/// be held.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::join())]
		pub fn join(origin: OriginFor<T>, pool_id: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_join(who, pool_id)
		}

		/// Leave pool `pool_id`, paying to the pool what the member owes: its arrears and, in a
		/// share-after-claims pool, its share (amount ÷ members, rounded up; members as at the
		/// claim's filing if fewer than today, so late joiners cannot dilute it) of every open
		/// claim filed while it was a member (the claimed amount until a final decision, then the
		/// approved one) and of every approved claim its period would charge it for. Paid from
		/// the free balance, then from the deposit; the rest of the deposit is released.
		/// Re-joining starts a new waiting period.
		///
		/// Origin: signed member. Emits [`Event::Left`]. Errors: [`Error::MemberNotFound`],
		/// [`Error::ClaimOpen`], [`Error::ApportionInProgress`], [`Error::SharesOutstanding`] if
		/// the member cannot pay what it owes, `ArithmeticError::Overflow`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::leave())]
		pub fn leave(origin: OriginFor<T>, pool_id: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_leave(who, pool_id)
		}

		/// Contribute `amount` to pool `pool_id` (a prefunded pool's funding, or a top-up that
		/// covers waiting claims in either model). Recorded as inflow in the current ledger.
		///
		/// Origin: signed member. Emits [`Event::Contributed`]. Errors: [`Error::MemberNotFound`],
		/// [`Error::ZeroAmount`], `ArithmeticError::Overflow`; a currency error if the transfer fails.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::contribute())]
		pub fn contribute(
			origin: OriginFor<T>,
			pool_id: PoolId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_contribute(who, pool_id, amount)
		}

		/// File a claim on pool `pool_id` for `amount`, with `condition_commitment` =
		/// [`Pallet::condition_commitment`] of a covered code and a random salt (both given to
		/// the reviewers off chain, who deny a claim whose commitment does not open to a covered
		/// code), EHR record ids `evidence` and a salted `evidence_commitment`. The diagnosis
		/// block is the issue block of the earliest evidence record. Public notice starts.
		///
		/// Origin: signed member, covered now. Holds the pool's claim deposit until the claim
		/// is closed. Emits [`Event::ClaimFiled`]. Errors: [`Error::PoolNotFound`],
		/// [`Error::MemberNotFound`], [`Error::NotEligible`], [`Error::InArrears`],
		/// [`Error::BehindOnContributions`], [`Error::ClaimOpen`], [`Error::TooFewMembers`],
		/// [`Error::ZeroAmount`], [`Error::AboveClaimCap`], [`Error::AboveLifetimeCap`],
		/// [`Error::NoEvidence`], [`Error::DuplicateEvidence`], [`Error::InvalidEvidence`],
		/// [`Error::EvidenceNotFromProvider`], [`Error::DiagnosisNotCovered`],
		/// [`Error::PoolCannotCover`], [`Error::TooManyOpenClaims`], `ArithmeticError::Overflow`; a
		/// currency error if the deposit cannot be held.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::file_claim(evidence.len() as u32))]
		pub fn file_claim(
			origin: OriginFor<T>,
			pool_id: PoolId,
			condition_commitment: H256,
			amount: BalanceOf<T>,
			evidence: EvidenceOf<T>,
			evidence_commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_file_claim(
				who,
				pool_id,
				condition_commitment,
				amount,
				evidence,
				evidence_commitment,
			)
		}

		/// Object to claim `claim_id` during its notice, with a salted commitment to the reason.
		///
		/// Origin: signed member of the claim's pool, not the claimant. Holds
		/// [`Config::ObjectionDeposit`]. Emits [`Event::Objected`]. Errors:
		/// [`Error::ClaimNotFound`], [`Error::ClaimNotInNotice`], [`Error::NoticeEnded`],
		/// [`Error::MemberNotFound`], [`Error::OwnClaim`], [`Error::AlreadyObjected`],
		/// [`Error::TooManyObjections`]; a currency error if the deposit cannot be held.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::object())]
		pub fn object(
			origin: OriginFor<T>,
			claim_id: ClaimId,
			reason_commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_object(who, claim_id, reason_commitment)
		}

		/// Draw the review panel of claim `claim_id` from the registered reviewers, excluding
		/// the claimant, objectors, the appellant, the providers who issued the evidence and
		/// reviewers the EHR pallet cannot give read access now (already reviewing another claim
		/// of the claimant, or at its bound of review accesses), seeded by the hash of the
		/// claim's seed block. Each reviewer drawn gets read access to exactly the evidence
		/// records, of the claimant only, read only, for "claim review", until the commit window
		/// closes (no deposit: the claim deposit pays for it). If the seed hash is no longer kept
		/// (`BlockHashCount` blocks later), the seed moves to the current block instead and the
		/// panel is drawn by a call from the next block on.
		///
		/// Origin: any signed account. Emits [`Event::PanelDrawn`] (after the EHR pallet's
		/// `ReviewAccessGranted` per reviewer) or [`Event::SeedRefreshed`]. Errors:
		/// [`Error::ClaimNotFound`], [`Error::ClaimNotAwaitingPanel`], [`Error::TooEarly`] until the seed
		/// block is sealed, [`Error::NotEnoughReviewers`], `ArithmeticError::Overflow`; an EHR error if
		/// the evidence can no longer be granted.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::draw_panel())]
		pub fn draw_panel(origin: OriginFor<T>, claim_id: ClaimId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_draw_panel(claim_id)
		}

		/// Commit a hidden vote on claim `claim_id`: `commitment = blake2_256(SCALE(claim_id,
		/// reviewer, vote, salt))` with a 32-byte random salt.
		///
		/// Origin: signed panel member. Emits [`Event::VoteCommitted`]. Errors:
		/// [`Error::ClaimNotFound`], [`Error::ClaimNotInReview`], [`Error::NotOnPanel`],
		/// [`Error::CommitClosed`], [`Error::AlreadyCommitted`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::commit_vote())]
		pub fn commit_vote(
			origin: OriginFor<T>,
			claim_id: ClaimId,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_vote(who, claim_id, commitment)
		}

		/// Reveal the vote committed on claim `claim_id`. Reveals open when the commit window
		/// closes or every seat has committed; the last reveal decides the claim at once.
		///
		/// Origin: signed panel member who committed. Emits [`Event::VoteRevealed`], and on the
		/// last reveal [`Event::ClaimDecided`] or [`Event::ReviewEscalated`], ending the panel's
		/// read access to the evidence. Errors:
		/// [`Error::ClaimNotFound`], [`Error::ClaimNotInReview`], [`Error::NotOnPanel`],
		/// [`Error::NotCommitted`], [`Error::AlreadyRevealed`], [`Error::RevealNotOpen`],
		/// [`Error::RevealClosed`], [`Error::CommitmentMismatch`],
		/// [`Error::InvalidPartialAmount`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::reveal_vote())]
		pub fn reveal_vote(
			origin: OriginFor<T>,
			claim_id: ClaimId,
			vote: VoteOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_vote(who, claim_id, vote, salt)
		}

		/// Tally claim `claim_id` after its reveal window: a majority of the revealed votes
		/// (more than half of the panel must reveal) decides; otherwise the review escalates to
		/// an appeal-level panel, or after [`Config::MaxEscalations`] closes undecided. A claim
		/// waiting for a panel that cannot be drawn (too few eligible reviewers) from its seed
		/// block until the claim's review period has passed is decided undecided (final; every
		/// deposit is returned at finalization).
		///
		/// Origin: any signed account. Emits [`Event::ClaimDecided`] or
		/// [`Event::ReviewEscalated`]; the panel's read access to the evidence ends. Errors:
		/// [`Error::ClaimNotFound`], [`Error::ClaimNotInReview`], [`Error::ReviewNotOver`],
		/// [`Error::PanelCanBeDrawn`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::close_review().max(T::WeightInfo::draw_panel()))]
		pub fn close_review(origin: OriginFor<T>, claim_id: ClaimId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_close_review(claim_id)
		}

		/// Appeal the first decision on claim `claim_id` within the notice period it was filed
		/// under: an appeal-level panel is drawn (without the appellant) and its decision is
		/// final. The claimant appeals anything short of full approval; an objector or any other
		/// member of the pool appeals an approval.
		///
		/// Origin: signed claimant, objector or pool member. Holds [`Config::AppealDeposit`]. Emits
		/// [`Event::Appealed`]. Errors: [`Error::ClaimNotFound`], [`Error::ClaimNotDecided`],
		/// [`Error::AlreadyAppealed`], [`Error::NotAuthorized`], [`Error::AppealWindowClosed`];
		/// a currency error if the deposit cannot be held.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::appeal())]
		pub fn appeal(origin: OriginFor<T>, claim_id: ClaimId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_appeal(who, claim_id)
		}

		/// Carry out the decision on claim `claim_id` once final: pay an approved claim from a
		/// prefunded pool (or mark it `AwaitingFunds` if the balance is short; calling again
		/// pays it), record it for the current period in a share-after-claims pool, or close a
		/// denied one. Deposits are returned or slashed to the pool by the outcome.
		///
		/// Origin: any signed account. Emits [`Event::ClaimPaid`],
		/// [`Event::ClaimAwaitingFunds`], [`Event::ClaimAwaitingApportion`] or
		/// [`Event::ClaimClosed`], and [`Event::DepositSlashed`] per slashed deposit. Errors:
		/// [`Error::ClaimNotFound`], [`Error::ClaimNotDecided`], [`Error::AppealWindowOpen`],
		/// [`Error::TooManyClaimsInPeriod`], `ArithmeticError::Overflow`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::finalize_claim())]
		pub fn finalize_claim(origin: OriginFor<T>, claim_id: ClaimId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finalize_claim(claim_id)
		}

		/// Apportion `period` of share-after-claims pool `pool_id`, processing up to
		/// [`Config::MaxApportionBatch`] members; call again until [`Event::PeriodApportioned`].
		/// Eligible members (covered at some block of the period, not in arrears) each pay the
		/// share (approved total ÷ members, rounded up; the dust stays in the pool) plus the fee;
		/// a member who cannot pay is put in arrears. When done, claimants are paid in order as
		/// far as the pool's balance allows (the rest wait as `AwaitingFunds`) and the ledger is
		/// written.
		///
		/// Origin: any signed account. Emits [`Event::ApportionProgressed`],
		/// [`Event::MemberInArrears`], [`Event::ClaimPaid`], [`Event::ClaimAwaitingFunds`],
		/// [`Event::PeriodApportioned`]. Errors: [`Error::PoolNotFound`],
		/// [`Error::NotShareAfterClaims`], [`Error::PeriodNotEnded`],
		/// [`Error::AlreadyApportioned`], [`Error::NothingToApportion`],
		/// [`Error::ApportionInProgress`] for another period, `ArithmeticError::Overflow`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::apportion(T::MaxApportionBatch::get()))]
		pub fn apportion(
			origin: OriginFor<T>,
			pool_id: PoolId,
			period: PeriodIndex,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let processed = Self::do_apportion(pool_id, period)?;
			Ok(Some(T::WeightInfo::apportion(processed)).into())
		}

		/// Register `reviewer`.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::ReviewerAdded`]. Errors:
		/// [`Error::ReviewerAlreadyExists`], [`Error::TooManyReviewers`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::add_reviewer())]
		pub fn add_reviewer(origin: OriginFor<T>, reviewer: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_add_reviewer(reviewer)
		}

		/// Remove `reviewer` from future draws. Seats already held are kept but can no longer
		/// vote, and the reviewer's read access to every claimant's evidence ends at once.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::ReviewerRemoved`]. Errors:
		/// [`Error::ReviewerNotFound`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::remove_reviewer())]
		pub fn remove_reviewer(origin: OriginFor<T>, reviewer: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_remove_reviewer(reviewer)
		}
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Reviewers registered at genesis.
		pub reviewers: Vec<T::AccountId>,
		/// Pools created at genesis, with their members.
		pub pools: Vec<GenesisPool<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}
}
