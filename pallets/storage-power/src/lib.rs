//! # Storage-power pallet
//!
//! Pays people who keep users' sealed objects and serve them, by the seed's formula
//! `reward = own power / total power × era emission`, and makes the power index behind it
//! auditable.
//!
//! ## Terms
//!
//! - **Era**: [`Config::EraLength`] blocks; era `e` covers blocks `[e × EraLength, (e + 1) ×
//!   EraLength)`. The era changes in `on_initialize` of its first block at O(1) cost: the closing
//!   era's totals are frozen, the new era's order revenue moves from the prepaid orders into its
//!   emission and its subsidy ([`Subsidy`]) is minted, pending parameters take effect.
//! - **Storage order**: whoever uploads a sealed object pays for `replicas` copies of it for a
//!   number of eras at the governance-set [`StoragePrice`], up front
//!   ([`Pallet::place_order`]); each era receives its part when it starts. Era amount = order
//!   revenue + subsidy (halving on a published schedule) + slashes + carried dust.
//! - **Provider**: an account that registered a declared capacity and holds a stake of
//!   [`Config::MinStakePerTiB`] per started TiB. It takes replicas of ordered objects, reports
//!   once per era, sends heartbeats, and answers audits. Unbonding providers earn nothing; their
//!   stake is released [`Config::UnbondingEras`] eras later.
//! - **Replica**: a provider's copy of an ordered object ([`Pallet::take_replica`]), within the
//!   order's places and the bytes its stake backs. The chain audits every replica once per era at
//!   a block and a segment drawn from the parent block hash ([`ReplicaPool`]); the provider shows
//!   the segment and its path to the order's content id ([`Pallet::prove_replica`]). A pass adds
//!   the object's bytes to the provider's audited bytes of the era ([`AuditedBytes`]); a miss or a
//!   wrong answer slashes [`Config::SlashFraction`] of the stake and ends the replica.
//! - **Report**: declared space (shown, not paid), bytes served, and `receipts_root`, the root
//!   of a Merkle-sum tree over the reader-signed receipts of the reads the provider's vault served
//!   in the previous era, whose sum is the bytes served (see [`receipts`]).
//! - **Power**: `min(cap, audit_factor ⋅ (uptime_factor ⋅ (alpha × audited GiB + beta ×
//!   bandwidth)))`
//!   with [`PowerParameters`] set by [`Config::GovernanceOrigin`], effective the next era. Each
//!   report's power is kept up to date as heartbeats and audit results arrive, and so is the era's
//!   running total: closing an era reads one record.
//! - **Audit**: the chain itself audits: in `on_initialize` it draws up to
//!   [`Config::AuditsPerBlock`] of the current era's reports not yet drawn ([`AuditPool`]) with the
//!   parent block hash and challenges them without issuer or deposit; such a challenge unanswered
//!   at its deadline is settled as a failure in `on_initialize` of the next block
//!   ([`ChallengeExpiries`]). Anyone may also challenge a report with a deposit. The challenged
//!   byte of the bytes served is drawn from the parent block hash (the provider could not know it
//!   when committing the root); the provider shows the receipt covering it, which the chain checks
//!   against the reader's signature. A wrong proof, an invalid receipt or a missed deadline is a
//!   failure; at [`PowerParameters::failure_threshold`] failures
//!   the era's power is zero and [`Config::SlashFraction`] of the stake goes to the current era's
//!   pot.
//! - **Pot**: the [`Config::PalletId`] account. It holds the existential deposit plus exactly
//!   [`PotLiability`] (for every era still tracked, `emission − paid`) and [`PrepaidRevenue`]
//!   (what orders paid for eras not yet started).
//! - **Rewards** are pulled: [`Pallet::claim_rewards`] pays closed eras, `floor(power × emission /
//!   total_power)` each. When every positive-power report of an era is claimed, the rounding dust
//!   (`emission − paid`) joins the current era's emission. Rewards never expire.
//!
//! ## Calls
//!
//! Providers: [`Pallet::register_provider`], [`Pallet::declare_capacity`], [`Pallet::unbond`],
//! [`Pallet::withdraw_unbonded`], [`Pallet::announce_maintenance`], [`Pallet::submit_report`],
//! [`Pallet::heartbeat`], [`Pallet::respond_challenge`], [`Pallet::claim_rewards`],
//! [`Pallet::take_replica`], [`Pallet::drop_replica`], [`Pallet::prove_replica`]. Storage
//! buyers: [`Pallet::place_order`], [`Pallet::renew_order`]. Anyone:
//! [`Pallet::issue_challenge`], [`Pallet::report_missed_challenge`], [`Pallet::remove_order`].
//! Governance: [`Pallet::set_parameters`], [`Pallet::set_storage_price`],
//! [`Pallet::set_subsidy`].
//!
//! ## Privacy
//!
//! Endpoints are commitments (salted hashes); reports carry numbers and a Merkle root; a challenge
//! response reveals two receipts (who read which object when, as the pseudonymous reader signed
//! it) and a replica audit one segment of ciphertext, never plaintext.
//! Events carry accounts, numbers and hashes only.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod api;
mod common;
mod features;
mod genesis;
pub mod migrations;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;
// Every area holds and releases with `Self::hold` and `Self::release` (common.rs).
use medchain_deposits::Deposits;

pub mod receipts;

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

pub use api::{MAX_OPEN_ORDERS, OPEN_ORDERS_SCAN};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

// The FRAME macros expand `#[pallet::pallet]`, `#[pallet::storage]`, `#[pallet::error]` and
// `#[pallet::genesis_build]` to paths such as `frame_support::__private::Vec`
// (`unused_qualifications`) and to `expect` in metadata and storage-info code that runs off chain.
// The calls below only delegate to `features/`, which has neither allowance.
#[allow(unused_qualifications, clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::DispatchResultWithPostInfo,
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			BuildGenesisConfig, Contains, UnixTime,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{IdentifyAccount, Saturating, Verify, Zero},
		Perbill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// A receipt as the chain's signature type carries it.
	pub type ReceiptOf<T> =
		Receipt<<T as frame_system::Config>::AccountId, <T as Config>::ReceiptSignature>;
	/// An answer to a challenge of a report's receipts.
	pub type ReceiptAnswerOf<T> =
		ReceiptAnswer<<T as frame_system::Config>::AccountId, <T as Config>::ReceiptSignature>;

	/// The siblings of a Merkle proof, bottom first.
	pub type ProofOf = BoundedVec<H256, ConstU32<MAX_PROOF_DEPTH>>;
	/// One segment of a sealed object, as shown in a replica audit.
	pub type SegmentOf = BoundedVec<u8, ConstU32<{ medchain_merkle::segments::SEGMENT_LEN }>>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency of stakes, deposits, fees and rewards.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that sets the power parameters (governance).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Derives the pot account that holds the era emissions.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Blocks per era.
		#[pallet::constant]
		type EraLength: Get<BlockNumberFor<Self>>;

		/// Stake held per started TiB of declared capacity; it also pays for the provider's
		/// record, its reports and its unclaimed-era list.
		#[pallet::constant]
		type MinStakePerTiB: Get<BalanceOf<Self>>;

		/// Largest declared capacity, GiB.
		#[pallet::constant]
		type MaxCapacityGiB: Get<u64>;

		/// Deposit held from the issuer of an audit challenge until it is answered or reported
		/// missed; pays for the challenge record.
		#[pallet::constant]
		type ChallengeDeposit: Get<BalanceOf<Self>>;

		/// Eras between `unbond` and the first era in which the stake can be withdrawn.
		#[pallet::constant]
		type UnbondingEras: Get<EraIndex>;

		/// Blocks per heartbeat slot: one heartbeat per slot counts, and an era expects
		/// `EraLength / HeartbeatInterval` of them.
		#[pallet::constant]
		type HeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// Longest maintenance window, in eras.
		#[pallet::constant]
		type MaxMaintenanceEras: Get<u32>;

		/// Blocks after issue during which a challenge can be answered (the deadline block
		/// included).
		#[pallet::constant]
		type ChallengeDeadline: Get<BlockNumberFor<Self>>;

		/// Most challenges on one report.
		#[pallet::constant]
		type MaxChallengesPerEra: Get<u32>;

		/// Part of the stake slashed to the pot when a report's failures reach the threshold.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;

		/// Most eras with an unclaimed report per provider; also the bound of one claim.
		#[pallet::constant]
		type MaxUnclaimedEras: Get<u32>;

		/// Most reports the chain draws for an audit in one block (each draw challenges the
		/// report unless it already has [`Config::MaxChallengesPerEra`] challenges); also the
		/// bound of one block's [`ChallengeExpiries`]. 0 turns chain-issued audits off.
		#[pallet::constant]
		type AuditsPerBlock: Get<u32>;

		/// Deposit held for a storage order's record until it is removed after expiry.
		#[pallet::constant]
		type OrderDeposit: Get<BalanceOf<Self>>;

		/// Largest object one order may cover, bytes.
		#[pallet::constant]
		type MaxObjectSize: Get<u64>;

		/// Most replicas one order may ask for.
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// Most eras an order may be paid ahead, counting the current one: bounds the prepaid
		/// horizon and the order-revenue schedule.
		#[pallet::constant]
		type MaxOrderEras: Get<u32>;

		/// Bytes served that count per byte of replicas audited in the era: bandwidth power is
		/// backed by data the provider shows it holds, so a claimed `bytes_served` beyond this
		/// multiple earns nothing.
		#[pallet::constant]
		type ServedPerAuditedByte: Get<u32>;

		/// Most replicas one provider may hold.
		#[pallet::constant]
		type MaxReplicasPerProvider: Get<u32>;

		/// Most replica audits the chain issues in one block; also the bound of one block's
		/// [`ReplicaAuditExpiries`]. Every replica is audited once per era while
		/// `EraLength − ChallengeDeadline` blocks × this covers the pool.
		#[pallet::constant]
		type ReplicaAuditsPerBlock: Get<u32>;

		/// Who, besides its owner, may end a live order (`(account, order owner, content id)`):
		/// the object's data subject when the owner placed the order for them — in Medchain the
		/// patient of the EHR record naming the content id, issued by the owner — so that erasing
		/// a record a hospital paid to store does not wait on the hospital. The refund still goes
		/// to the owner. Its check may read at most two storage items: `cancel_order`'s weight
		/// adds two reads to the benchmarked owner's cancel.
		type DataSubjects: Contains<(Self::AccountId, Self::AccountId, H256)>;

		/// The signature of a reader on a receipt (a vault GET request); its signer is the
		/// reader's account (Medchain: `MultiSignature`, sr25519 from wallets and the CLI).
		type ReceiptSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter;

		/// Wall-clock time, to bound the receipts of a report to the era they were served in.
		type Time: UnixTime;

		/// Signs receipts in the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: ReceiptSigner<Self::AccountId, Self::ReceiptSignature>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A provider's stake.
		ProviderStake,
		/// A challenge issuer's deposit.
		ChallengeDeposit,
		/// A storage order's record deposit.
		OrderDeposit,
	}

	/// The current era.
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraIndex, ValueQuery>;

	/// The wall-clock start of each of the last [`ERA_STARTS_KEPT`] eras, unix milliseconds (the
	/// time of the block before the era's first): the receipts a report of era `e` may count were
	/// served from the start of era `e − 1` to the start of era `e`.
	#[pallet::storage]
	pub type EraStartedAt<T: Config> = StorageMap<_, Twox64Concat, EraIndex, u64>;

	/// Registered providers.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Provider<T>>;

	/// Number of registered providers.
	#[pallet::storage]
	pub type ProviderCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Reports by provider and era; removed when claimed.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, EraIndex, Report<T>>;

	/// The eras of a provider's unclaimed reports, oldest first.
	#[pallet::storage]
	pub type UnclaimedEras<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<EraIndex, T::MaxUnclaimedEras>,
		ValueQuery,
	>;

	/// Running totals of the current era and of closed eras not yet fully claimed.
	#[pallet::storage]
	pub type Eras<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraInfoOf<T>>;

	/// The power parameters in effect this era.
	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, PowerParameters, ValueQuery>;

	/// Parameters set by governance and the era from which they apply.
	#[pallet::storage]
	pub type PendingParameters<T: Config> = StorageValue<_, (EraIndex, PowerParameters)>;

	/// Open audit challenges.
	#[pallet::storage]
	pub type Challenges<T: Config> = StorageMap<_, Twox64Concat, ChallengeId, Challenge<T>>;

	/// The id the next challenge gets.
	#[pallet::storage]
	pub type NextChallengeId<T: Config> = StorageValue<_, ChallengeId, ValueQuery>;

	/// Reports the chain has not yet drawn for an audit, by era and slot: `submit_report` appends
	/// the reporter, a draw swap-removes it (the report's [`Report::audit_slot`] follows its
	/// entry). The current era's slots are `0..AuditPoolSize`; entries left in a closed era are
	/// removed with their report when it is claimed. Paid for by the provider's stake (one entry
	/// per report at most).
	#[pallet::storage]
	pub type AuditPool<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EraIndex, Twox64Concat, u32, T::AccountId>;

	/// `(era, size)` of the current era's [`AuditPool`]; a size recorded for an older era counts
	/// as 0.
	#[pallet::storage]
	pub type AuditPoolSize<T: Config> = StorageValue<_, (EraIndex, u32), ValueQuery>;

	/// Chain-issued challenges by deadline block, settled (a missed one is a failure) in
	/// `on_initialize` of the block after it. At most [`Config::AuditsPerBlock`] per block.
	#[pallet::storage]
	pub type ChallengeExpiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<ChallengeId, T::AuditsPerBlock>,
		ValueQuery,
	>;

	/// What the pot owes: for every era in [`Eras`], `emission − paid`. The pot's balance is the
	/// existential deposit plus this.
	#[pallet::storage]
	pub type PotLiability<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Price of one GiB kept for one era, per replica, set by governance; orders placed or renewed
	/// pay it.
	#[pallet::storage]
	pub type StoragePrice<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The subsidy schedule in effect (the default pays nothing).
	#[pallet::storage]
	pub type Subsidy<T: Config> = StorageValue<_, SubsidyScheduleOf<T>, ValueQuery>;

	/// A subsidy schedule set by governance, taking effect at its `start_era`.
	#[pallet::storage]
	pub type PendingSubsidy<T: Config> = StorageValue<_, SubsidyScheduleOf<T>>;

	/// Storage orders, live and expired (until removed).
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, StorageOrder<T>>;

	/// The orders of each owner (for reads; each entry is paid for by its order's deposit).
	#[pallet::storage]
	pub type OwnerOrders<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, OrderId, ()>;

	/// The orders of each content id, by owner and id (each entry is paid for by its order's
	/// deposit): the one read that finds the order a record's issuer placed for its object.
	/// Keyed by owner under the content id, so that nobody's orders of an object can hide
	/// another owner's.
	#[pallet::storage]
	pub type ContentOrders<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, H256>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, OrderId>,
		),
		(),
	>;

	/// The id the next order gets.
	#[pallet::storage]
	pub type NextOrderId<T: Config> = StorageValue<_, OrderId, ValueQuery>;

	/// Order revenue: what the live orders pay the current era, and what it was credited.
	#[pallet::storage]
	pub type OrderRevenue<T: Config> = StorageValue<_, OrderRevenueOf<T>, ValueQuery>;

	/// Changes of the order-revenue rate at the start of future eras: orders ending (falls) and
	/// renewals at a new price (rises and falls). At most two entries per order and era of
	/// `MaxOrderEras`; each taken when its era starts.
	#[pallet::storage]
	pub type OrderRevenueChanges<T: Config> =
		StorageMap<_, Twox64Concat, EraIndex, RateChangeOf<T>, ValueQuery>;

	/// Paid by orders for eras not yet started: held by the pot on top of what it owes.
	#[pallet::storage]
	pub type PrepaidRevenue<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Replicas: an order's copy kept by a provider. Paid for by the order's deposit (at most
	/// [`Config::MaxReplicas`] per order) and backed by the provider's stake.
	#[pallet::storage]
	pub type Replicas<T: Config> =
		StorageDoubleMap<_, Twox64Concat, OrderId, Blake2_128Concat, T::AccountId, Replica>;

	/// The providers holding a replica of an order.
	#[pallet::storage]
	pub type OrderHolders<T: Config> =
		StorageMap<_, Twox64Concat, OrderId, BoundedVec<T::AccountId, T::MaxReplicas>, ValueQuery>;

	/// The orders a provider holds a replica of.
	#[pallet::storage]
	pub type ProviderReplicas<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<OrderId, T::MaxReplicasPerProvider>,
		ValueQuery,
	>;

	/// The objects a provider holds a replica of, by content id, with the order it holds it
	/// under: one replica of an object per provider, so that bytes stored once are not audited
	/// and paid for twice under two orders of the same content id.
	#[pallet::storage]
	pub type ProviderContent<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, H256, OrderId>;

	/// Bytes of the replicas a provider holds (at most its capacity).
	#[pallet::storage]
	pub type ReplicaBytes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u64, ValueQuery>;

	/// Every replica, by slot, for the chain's draws (see [`ReplicaPoolState`]).
	#[pallet::storage]
	pub type ReplicaPool<T: Config> = StorageMap<_, Twox64Concat, u32, (OrderId, T::AccountId)>;

	/// Size of the [`ReplicaPool`] and what was drawn from it this era.
	#[pallet::storage]
	pub type ReplicaPoolInfo<T: Config> = StorageValue<_, ReplicaPoolState, ValueQuery>;

	/// Open replica audits, by order and provider (at most one per replica).
	#[pallet::storage]
	pub type ReplicaAudits<T: Config> =
		StorageDoubleMap<_, Twox64Concat, OrderId, Blake2_128Concat, T::AccountId, ReplicaAudit<T>>;

	/// The replica audits due at a block, settled at the next one.
	#[pallet::storage]
	pub type ReplicaAuditExpiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(OrderId, T::AccountId), T::ReplicaAuditsPerBlock>,
		ValueQuery,
	>;

	/// Bytes of the replicas a provider proved in an era: `(era, bytes)`, reset when a later era's
	/// first audit passes (one entry per provider, removed when it withdraws). They are the space
	/// term of the era's power.
	#[pallet::storage]
	pub type AuditedBytes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (EraIndex, u64), ValueQuery>;

	/// The replica audits a provider passed and failed in an era, reset by the first audit
	/// settled in a later era (one entry per provider, removed when it withdraws): what its
	/// dashboard shows when an era paid it little or nothing.
	#[pallet::storage]
	pub type ReplicaAuditTallies<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ReplicaAuditTally, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered and its stake was held.
		ProviderRegistered {
			/// The provider.
			provider: T::AccountId,
			/// Declared capacity, GiB.
			capacity_gib: u64,
			/// Stake held.
			stake: BalanceOf<T>,
			/// Commitment to its endpoint.
			endpoint_commitment: H256,
		},
		/// A provider declared a new capacity, effective from `from_era`.
		CapacityDeclared {
			/// The provider.
			provider: T::AccountId,
			/// Declared capacity, GiB.
			capacity_gib: u64,
			/// First era it applies to.
			from_era: EraIndex,
			/// Stake held after the declaration.
			stake: BalanceOf<T>,
		},
		/// A provider started unbonding.
		Unbonding {
			/// The provider.
			provider: T::AccountId,
			/// First era in which the stake can be withdrawn.
			until: EraIndex,
		},
		/// An unbonded provider withdrew its stake and left.
		Withdrawn {
			/// The former provider.
			provider: T::AccountId,
			/// Stake released.
			stake: BalanceOf<T>,
		},
		/// A provider announced a maintenance window.
		MaintenanceAnnounced {
			/// The provider.
			provider: T::AccountId,
			/// First era of the window.
			from_era: EraIndex,
			/// Last era of the window.
			to_era: EraIndex,
		},
		/// A provider reported for an era.
		ReportSubmitted {
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
			/// Used space, GiB.
			used_space_gib: u64,
			/// Free space, GiB.
			free_space_gib: u64,
			/// Bytes served.
			bytes_served: u64,
			/// Merkle root of the report's chunks.
			receipts_root: H256,
			/// Leaves under the root.
			leaf_count: u32,
			/// The report's power now.
			power: Power,
		},
		/// A provider sent a heartbeat.
		HeartbeatReceived {
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
			/// Heartbeats in the era so far.
			heartbeats: u32,
			/// The power of the era's report after it (`None`: no report yet).
			power: Option<Power>,
		},
		/// An audit challenge was issued.
		ChallengeIssued {
			/// The challenge.
			challenge_id: ChallengeId,
			/// The challenged provider.
			provider: T::AccountId,
			/// The era of the report.
			era: EraIndex,
			/// Who issued it: an account holding [`Config::ChallengeDeposit`], or `None` for an
			/// audit drawn by the chain (no deposit).
			issuer: Option<T::AccountId>,
			/// Where the challenged byte lies, in 2^-32 of the report's bytes served.
			point: u32,
			/// The challenged byte of the report's bytes served.
			byte: u64,
			/// Last block for the answer.
			deadline: BlockNumberFor<T>,
		},
		/// A provider showed a valid receipt covering the challenged byte.
		ChallengePassed {
			/// The challenge.
			challenge_id: ChallengeId,
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
		},
		/// An audit failed.
		AuditFailed {
			/// The challenge.
			challenge_id: ChallengeId,
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
			/// Wrong proof or missed deadline.
			reason: AuditFailure,
			/// Failures of the report so far.
			failures: u32,
			/// The report's power now.
			power: Power,
		},
		/// A provider's stake was slashed into the current era's pot.
		Slashed {
			/// The provider.
			provider: T::AccountId,
			/// The era of the failed report.
			era: EraIndex,
			/// Amount moved to the pot.
			amount: BalanceOf<T>,
		},
		/// An era ended: its totals are final and its rewards claimable.
		EraClosed {
			/// The era.
			era: EraIndex,
			/// Total power.
			total_power: Power,
			/// Amount to share.
			emission: BalanceOf<T>,
			/// Reports submitted.
			reports: u32,
		},
		/// An era started.
		EraStarted {
			/// The era.
			era: EraIndex,
			/// Minted: the subsidy schedule's amount for the era.
			minted: BalanceOf<T>,
			/// Moved from the orders' prepaid revenue.
			order_revenue: BalanceOf<T>,
			/// Carried from the previous era (nobody had power in it).
			carried: BalanceOf<T>,
		},
		/// Every positive-power report of a closed era was claimed: the dust joined the current
		/// era's emission and the era's record was removed.
		EraSettled {
			/// The era.
			era: EraIndex,
			/// Its emission.
			emission: BalanceOf<T>,
			/// Paid to providers.
			paid: BalanceOf<T>,
			/// `emission − paid`, moved to `to_era`.
			dust: BalanceOf<T>,
			/// The era that received the dust.
			to_era: EraIndex,
		},
		/// A provider claimed the reward of an era.
		RewardClaimed {
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
			/// The report's power.
			power: Power,
			/// The reward paid.
			reward: BalanceOf<T>,
		},
		/// A storage order was placed and paid.
		OrderPlaced {
			/// The order.
			order_id: OrderId,
			/// Who paid.
			owner: T::AccountId,
			/// The sealed object's content id.
			content_id: H256,
			/// Ciphertext size, bytes.
			size_bytes: u64,
			/// Copies ordered.
			replicas: u32,
			/// First era no longer paid for.
			end_era: EraIndex,
			/// Paid per era.
			per_era: BalanceOf<T>,
			/// Paid in all (`per_era` × eras).
			paid: BalanceOf<T>,
		},
		/// A live order was extended; its future eras are repriced at the current price.
		OrderRenewed {
			/// The order.
			order_id: OrderId,
			/// The new first era no longer paid for.
			end_era: EraIndex,
			/// Paid per era from the next era on.
			per_era: BalanceOf<T>,
			/// Paid by the owner now.
			paid: BalanceOf<T>,
			/// Returned to the owner (the price fell below what its future eras had paid).
			refunded: BalanceOf<T>,
		},
		/// An expired order was removed and its deposit released.
		OrderRemoved {
			/// The order.
			order_id: OrderId,
			/// Its owner.
			owner: T::AccountId,
		},
		/// A live order was ended by its owner or its object's data subject: its replicas ended,
		/// its deposit was released and the eras after the current one were refunded to the
		/// owner.
		OrderCancelled {
			/// The order.
			order_id: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// Who ended it: the owner, or the data subject ([`Config::DataSubjects`]).
			by: T::AccountId,
			/// What the owner got back.
			refunded: BalanceOf<T>,
		},
		/// Governance set the storage price.
		StoragePriceSet {
			/// Price of one GiB for one era, per replica.
			price: BalanceOf<T>,
		},
		/// Governance set a subsidy schedule, effective from its `start_era`.
		SubsidyScheduled {
			/// The schedule.
			schedule: SubsidyScheduleOf<T>,
		},
		/// A provider took a replica of an order; the chain audits it from now on.
		ReplicaTaken {
			/// The order.
			order_id: OrderId,
			/// The provider.
			provider: T::AccountId,
		},
		/// A replica ended; its order can take another.
		ReplicaEnded {
			/// The order.
			order_id: OrderId,
			/// The provider that held it.
			provider: T::AccountId,
			/// Why.
			reason: ReplicaEnd,
		},
		/// The chain drew a replica for its era audit.
		ReplicaAuditIssued {
			/// The order.
			order_id: OrderId,
			/// The provider.
			provider: T::AccountId,
			/// The segment to show.
			segment: u32,
			/// Last block for the answer.
			deadline: BlockNumberFor<T>,
		},
		/// A provider showed the audited segment of a replica.
		ReplicaAuditPassed {
			/// The order.
			order_id: OrderId,
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
			/// Bytes of replicas the provider proved in the era so far.
			audited_bytes: u64,
			/// The power of its report of the era now (`None`: no report yet; the report will
			/// count the audited bytes).
			power: Option<Power>,
		},
		/// A provider failed the audit of a replica: its stake is slashed and the replica ends.
		ReplicaAuditFailed {
			/// The order.
			order_id: OrderId,
			/// The provider.
			provider: T::AccountId,
			/// The era.
			era: EraIndex,
			/// Wrong segment or proof, or missed deadline.
			reason: AuditFailure,
			/// Failures of the era's report so far (0 without a report).
			failures: u32,
			/// The report's power now (0 without a report).
			power: Power,
		},
		/// Governance set the power parameters, effective from `from_era`.
		ParametersScheduled {
			/// First era they apply to.
			from_era: EraIndex,
			/// The parameters.
			parameters: PowerParameters,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a provider.
		ProviderAlreadyExists,
		/// The account is not a provider.
		ProviderNotFound,
		/// The capacity must be positive.
		ZeroCapacity,
		/// The capacity exceeds [`Config::MaxCapacityGiB`].
		CapacityTooLarge,
		/// The provider is unbonding.
		ProviderNotActive,
		/// The provider is not unbonding.
		ProviderNotUnbonding,
		/// The unbonding period is not over.
		UnbondingNotOver,
		/// The provider still has unclaimed reports: claim them first.
		UnclaimedRewards,
		/// The window must be 1 to [`Config::MaxMaintenanceEras`] eras.
		InvalidMaintenance,
		/// A maintenance window is announced and not over.
		MaintenanceAlreadyAnnounced,
		/// The era is in the future.
		EraNotStarted,
		/// The era is closed: its reports are final.
		EraClosed,
		/// Too late in the era to report: challenges could no longer be answered in it.
		ReportWindowClosed,
		/// The provider already reported for this era.
		AlreadyReported,
		/// Used plus free space, or the replicas held, would exceed the declared capacity.
		ExceedsCapacity,
		/// Bytes served and receipt leaves go together: a report claiming bytes must commit at
		/// least one receipt, and one committing receipts must claim their bytes.
		EmptyCommitment,
		/// A report with no receipt leaves must have the zero root.
		RootWithoutLeaves,
		/// The provider has [`Config::MaxUnclaimedEras`] unclaimed reports: claim first.
		TooManyUnclaimedEras,
		/// A heartbeat was already counted in this slot.
		HeartbeatTooSoon,
		/// Every heartbeat of the era is already counted.
		TooManyHeartbeats,
		/// No report for this provider in the current era.
		ReportNotFound,
		/// The report is in this block: challenge it from the next one.
		ReportTooRecent,
		/// The report commits no receipts (it claims no bytes served): nothing to challenge.
		NoReceipts,
		/// Too late in the era to issue a challenge.
		ChallengeWindowClosed,
		/// The report has [`Config::MaxChallengesPerEra`] challenges (signed ones leave one of them
		/// to the chain's audit until the chain has drawn the report).
		TooManyChallenges,
		/// No open challenge has this id.
		ChallengeNotFound,
		/// Only the challenged provider can answer.
		NotAuthorized,
		/// The deadline has passed.
		ChallengeExpired,
		/// The deadline has not passed.
		ChallengeNotExpired,
		/// `max_eras` must be 1 to [`Config::MaxUnclaimedEras`].
		InvalidMaxEras,
		/// No closed era to claim.
		NothingToClaim,
		/// The oldest unclaimed report has an open challenge: resolve it first.
		ChallengePending,
		/// An order must cover at least one byte.
		ZeroSize,
		/// The object exceeds [`Config::MaxObjectSize`].
		ObjectTooLarge,
		/// Replicas must be 1 to [`Config::MaxReplicas`].
		InvalidReplicas,
		/// Eras must be positive, and the order may end at most [`Config::MaxOrderEras`] eras
		/// from the current one (counting it).
		InvalidOrderEras,
		/// No order has this id.
		OrderNotFound,
		/// Only the order's owner can renew it.
		NotOrderOwner,
		/// The order has expired: place a new one.
		OrderExpired,
		/// The order is still paid for: it can be removed once it has expired.
		OrderNotExpired,
		/// A subsidy's half-life must be positive.
		InvalidSubsidy,
		/// `cap` and `failure_threshold` must be positive.
		InvalidParameters,
		/// The provider already holds a replica of this order.
		ReplicaAlreadyHeld,
		/// The provider already holds a replica of this object (its content id) under another
		/// order: bytes stored once count once.
		ContentAlreadyHeld,
		/// The order has all the replicas it paid for.
		ReplicasFull,
		/// The provider holds [`Config::MaxReplicasPerProvider`] replicas.
		TooManyReplicas,
		/// The provider holds no replica of this order.
		ReplicaNotFound,
		/// The replica is under audit: answer it first.
		ReplicaAuditPending,
		/// The replica has no open audit.
		ReplicaAuditNotFound,
		/// The provider still holds replicas: drop them first.
		ProviderHoldsReplicas,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Settles the chain-issued challenges whose deadline was the previous block, starts a
		/// new era at its first block, then draws up to [`Config::AuditsPerBlock`] reports of the
		/// era to audit. Bounded: O(`AuditsPerBlock`).
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::on_new_block(now)
		}

		fn integrity_test() {
			assert!(!T::EraLength::get().is_zero(), "EraLength must be positive");
			assert!(!T::HeartbeatInterval::get().is_zero(), "HeartbeatInterval must be positive");
			assert!(
				T::HeartbeatInterval::get() <= T::EraLength::get(),
				"an era needs at least one heartbeat slot"
			);
			assert!(
				T::ChallengeDeadline::get().saturating_add(2u32.into()) < T::EraLength::get(),
				"reports and challenges need room in an era"
			);
			assert!(!T::MinStakePerTiB::get().is_zero(), "MinStakePerTiB must be positive");
			assert!(!T::ChallengeDeposit::get().is_zero(), "ChallengeDeposit must be positive");
			assert!(T::MaxCapacityGiB::get() > 0, "MaxCapacityGiB must be positive");
			assert!(T::UnbondingEras::get() > 0, "UnbondingEras must be positive");
			assert!(T::MaxMaintenanceEras::get() > 0, "MaxMaintenanceEras must be positive");
			assert!(T::MaxChallengesPerEra::get() > 0, "MaxChallengesPerEra must be positive");
			assert!(T::MaxUnclaimedEras::get() > 0, "MaxUnclaimedEras must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register the caller as a provider of `capacity_gib` GiB, reachable at the endpoint
		/// committed to by `endpoint_commitment` (a salted hash; the endpoint stays off chain).
		///
		/// Origin: signed. Holds [`Config::MinStakePerTiB`] per started TiB until the stake is
		/// withdrawn. Emits [`Event::ProviderRegistered`]. Errors: [`Error::ProviderAlreadyExists`],
		/// [`Error::ZeroCapacity`], [`Error::CapacityTooLarge`], `ArithmeticError::Overflow`; a currency
		/// error if the stake cannot be held.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(
			origin: OriginFor<T>,
			capacity_gib: u64,
			endpoint_commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_provider(who, capacity_gib, endpoint_commitment)
		}

		/// Declare a new capacity of `capacity_gib` GiB, effective from the next era. If it
		/// needs more stake than held, the difference is held now; a smaller capacity keeps the
		/// stake until withdrawal.
		///
		/// Origin: signed active provider. Emits [`Event::CapacityDeclared`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotActive`], [`Error::ZeroCapacity`],
		/// [`Error::CapacityTooLarge`], `ArithmeticError::Overflow`; a currency error if the extra
		/// stake cannot be held.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::declare_capacity())]
		pub fn declare_capacity(origin: OriginFor<T>, capacity_gib: u64) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare_capacity(who, capacity_gib)
		}

		/// Start unbonding: the report of the current era (if any) loses its power, no further
		/// reports or heartbeats are accepted, and the stake can be withdrawn
		/// [`Config::UnbondingEras`] eras later.
		///
		/// Origin: signed active provider. Emits [`Event::Unbonding`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotActive`], `ArithmeticError::Overflow`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who)
		}

		/// Release the stake of an unbonded provider and remove it.
		///
		/// Origin: signed unbonding provider whose unbonding era is reached and whose reports
		/// are all claimed. Emits [`Event::Withdrawn`]. Errors: [`Error::ProviderNotFound`],
		/// [`Error::ProviderNotUnbonding`], [`Error::UnbondingNotOver`], [`Error::UnclaimedRewards`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Announce maintenance for the next `eras` eras: missed heartbeats in them do not lower
		/// the uptime factor.
		///
		/// Origin: signed active provider. Emits [`Event::MaintenanceAnnounced`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotActive`], [`Error::InvalidMaintenance`] for
		/// 0 or more than [`Config::MaxMaintenanceEras`], [`Error::MaintenanceAlreadyAnnounced`]
		/// while a window is pending or running, `ArithmeticError::Overflow`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::announce_maintenance())]
		pub fn announce_maintenance(origin: OriginFor<T>, eras: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_announce_maintenance(who, eras)
		}

		/// Report for the current `era`: `used_space_gib` and `free_space_gib` (GiB, together at
		/// most the declared capacity), `bytes_served`, and `receipts_root`, the root of the
		/// Merkle-sum tree (see [`receipts`]) of `leaf_count` reader-signed receipts of the
		/// previous era whose sum is `bytes_served` (none, and the zero root, for a report that
		/// claims no bytes served: such a report has nothing to challenge and is not drawn for the
		/// chain's audits). The declared space is shown, not
		/// paid: the space term of the power is the bytes of the replicas audited in the era
		/// ([`Self::prove_replica`]). The report's power counts into the era's total at once and
		/// follows later heartbeats, replica audits and challenges.
		///
		/// Origin: signed active provider. Emits [`Event::ReportSubmitted`]. Errors:
		/// [`Error::EraClosed`] for a past era, [`Error::EraNotStarted`] for a future one,
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotActive`], [`Error::ReportWindowClosed`] in
		/// the last `ChallengeDeadline + 1` blocks of the era, [`Error::AlreadyReported`],
		/// [`Error::ExceedsCapacity`], [`Error::EmptyCommitment`] for bytes served without leaves
		/// or leaves without bytes,
		/// [`Error::RootWithoutLeaves`], [`Error::TooManyUnclaimedEras`],
		/// `ArithmeticError::Overflow`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::submit_report())]
		pub fn submit_report(
			origin: OriginFor<T>,
			era: EraIndex,
			used_space_gib: u64,
			free_space_gib: u64,
			bytes_served: u64,
			receipts_root: H256,
			leaf_count: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_report(
				who,
				era,
				used_space_gib,
				free_space_gib,
				bytes_served,
				receipts_root,
				leaf_count,
			)
		}

		/// Count a heartbeat in the current slot of the era (one per
		/// [`Config::HeartbeatInterval`] blocks). Updates the power of the era's report.
		///
		/// Origin: signed active provider. Emits [`Event::HeartbeatReceived`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotActive`], [`Error::HeartbeatTooSoon`],
		/// [`Error::TooManyHeartbeats`], `ArithmeticError::Overflow`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::heartbeat())]
		pub fn heartbeat(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_heartbeat(who)
		}

		/// Challenge `provider`'s report of the current era: a byte of its bytes served is drawn
		/// from the parent block hash, the provider, the era and the challenge id; the provider
		/// must show the receipt covering it within [`Config::ChallengeDeadline`] blocks.
		///
		/// Origin: signed (anyone). Holds [`Config::ChallengeDeposit`] until the challenge is
		/// answered or reported missed. Emits [`Event::ChallengeIssued`]. Errors:
		/// [`Error::ReportNotFound`], [`Error::NoReceipts`] for a report that commits no
		/// receipts, [`Error::ReportTooRecent`] in the report's own block,
		/// [`Error::ChallengeWindowClosed`] when the deadline would fall in the next era,
		/// [`Error::TooManyChallenges`], `ArithmeticError::Overflow`; a currency error if the deposit
		/// cannot be held.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::issue_challenge())]
		pub fn issue_challenge(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_issue_challenge(issuer, provider)
		}

		/// Answer challenge `challenge_id` with the receipt covering the challenged byte, its
		/// Merkle-sum path, and the next receipt with its path (see [`ReceiptAnswer`]). The
		/// challenge passes when both paths lead to the report's root and sum, the receipt covers
		/// the byte, the next receipt's key is greater, and the receipt is valid (see [`Receipt`]:
		/// the reader's signature, the era window, the bytes). A wrong path is an audit failure
		/// [`AuditFailure::WrongProof`], a receipt that is not valid one of
		/// [`AuditFailure::InvalidReceipt`] (the call succeeds and records it). Either way the
		/// issuer's deposit is released.
		///
		/// Origin: signed challenged provider. Emits [`Event::ChallengePassed`], or
		/// [`Event::AuditFailed`] (and [`Event::Slashed`] at the threshold). Errors:
		/// [`Error::ChallengeNotFound`], [`Error::NotAuthorized`], [`Error::ChallengeExpired`]
		/// after the deadline block, [`Error::ReportNotFound`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::respond_challenge(answer.proof.len() as u32))]
		pub fn respond_challenge(
			origin: OriginFor<T>,
			challenge_id: ChallengeId,
			answer: ReceiptAnswerOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_respond_challenge(who, challenge_id, answer)
		}

		/// Record challenge `challenge_id`, unanswered after its deadline, as an audit failure
		/// and release the issuer's deposit. In the challenge's era the report's power drops;
		/// after the era closed, the report's reward is forfeited to the next era's pot. (A
		/// chain-issued challenge needs no call: `on_initialize` of the block after its deadline
		/// settles it before any transaction of that block.)
		///
		/// Origin: signed (anyone). Emits [`Event::AuditFailed`] (and [`Event::Slashed`] at the
		/// threshold). Errors: [`Error::ChallengeNotFound`], [`Error::ChallengeNotExpired`] up
		/// to the deadline block.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::report_missed_challenge())]
		pub fn report_missed_challenge(
			origin: OriginFor<T>,
			challenge_id: ChallengeId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_report_missed_challenge(challenge_id)
		}

		/// Claim the rewards of up to `max_eras` of the caller's oldest unclaimed closed eras:
		/// `floor(power × emission / total_power)` each, paid from the pot. The report is
		/// removed; when an era's last positive-power report is claimed, its dust joins the
		/// current era.
		///
		/// Origin: signed provider (also after unbonding). Emits [`Event::RewardClaimed`] per
		/// era and [`Event::EraSettled`] per settled era. Errors: [`Error::InvalidMaxEras`],
		/// [`Error::NothingToClaim`], [`Error::ChallengePending`] if the oldest report has an
		/// open challenge, `ArithmeticError::Overflow`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::claim_rewards(*max_eras))]
		pub fn claim_rewards(origin: OriginFor<T>, max_eras: u32) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let claimed = Self::do_claim_rewards(who, max_eras)?;
			Ok(Some(T::WeightInfo::claim_rewards(claimed)).into())
		}

		/// Set the power parameters, effective from the next era (replacing any pending set).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Emits [`Event::ParametersScheduled`]. Errors:
		/// [`Error::InvalidParameters`] for a zero `cap` or `failure_threshold`,
		/// `ArithmeticError::Overflow`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: PowerParameters) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_parameters(parameters)
		}

		/// Order `replicas` copies of the sealed object `content_id` (`size_bytes` of ciphertext)
		/// kept for `eras` eras, the current one first, and pay for them now:
		/// `per_era = ceil(size_bytes × replicas × price / GiB)` for each era, at the
		/// [`StoragePrice`] in effect. Each era's part joins that era's emission when it starts
		/// (the current era's at once), so providers are paid from what users pay for storage.
		///
		/// Origin: signed (whoever uploads the object). Holds [`Config::OrderDeposit`] until the
		/// expired order is removed. Emits [`Event::OrderPlaced`]. Errors: [`Error::ZeroSize`],
		/// [`Error::ObjectTooLarge`], [`Error::InvalidReplicas`], [`Error::InvalidOrderEras`],
		/// `ArithmeticError::Overflow`; a currency error if the payment or deposit fails.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::place_order())]
		pub fn place_order(
			origin: OriginFor<T>,
			content_id: H256,
			size_bytes: u64,
			replicas: u32,
			eras: u32,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_place_order(owner, content_id, size_bytes, replicas, eras)
		}

		/// Extend live order `order_id` by `eras` eras. All its eras after the current one are
		/// repriced at the current [`StoragePrice`]: the owner pays the new total less what those
		/// eras had paid, or is refunded the difference if the price fell.
		///
		/// Origin: signed owner of the order. Emits [`Event::OrderRenewed`]. Errors:
		/// [`Error::OrderNotFound`], [`Error::NotOrderOwner`], [`Error::OrderExpired`],
		/// [`Error::InvalidOrderEras`] for 0 or an end beyond [`Config::MaxOrderEras`],
		/// `ArithmeticError::Overflow`/`Underflow`; a currency error if the payment fails.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::renew_order())]
		pub fn renew_order(origin: OriginFor<T>, order_id: OrderId, eras: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_renew_order(who, order_id, eras)
		}

		/// Remove expired order `order_id` and release its deposit to its owner. Vaults may
		/// delete the object's replicas once no live order covers it.
		///
		/// Origin: signed (anyone: the deposit goes to the owner). Emits
		/// [`Event::OrderRemoved`]. Errors: [`Error::OrderNotFound`], [`Error::OrderNotExpired`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::remove_order())]
		pub fn remove_order(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_remove_order(order_id)
		}

		/// End live order `order_id` now, before erasing its object: its replicas end (so that
		/// no provider is audited, or slashed, for an object its vault deletes), the eras after
		/// the current one are refunded at what they paid, the deposit is released and the order
		/// removed. The current era stays paid to the providers who held the object in it. The
		/// refund and the deposit go to the owner, whoever ends the order.
		///
		/// Origin: signed owner of the order, or the data subject of its object
		/// ([`Config::DataSubjects`]: the patient of the EHR record naming it). Emits [`Event::OrderCancelled`] (and
		/// [`Event::ReplicaEnded`] for each replica). Errors: [`Error::OrderNotFound`],
		/// [`Error::NotOrderOwner`], [`Error::OrderExpired`] (an expired order is removed with
		/// `remove_order`), `ArithmeticError::Overflow`/`Underflow`; a currency error if the
		/// refund fails.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::cancel_order().saturating_add(T::DbWeight::get().reads(2)))]
		pub fn cancel_order(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(who, order_id)
		}

		/// Set the price of one GiB kept for one era, per replica, for orders placed or renewed
		/// from now on (orders already paid keep what they paid).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Emits [`Event::StoragePriceSet`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::set_storage_price())]
		pub fn set_storage_price(origin: OriginFor<T>, price: BalanceOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			StoragePrice::<T>::put(price);
			Self::deposit_event(Event::StoragePriceSet { price });
			Ok(())
		}

		/// Set the subsidy schedule from the next era on: `initial` in that era, halved every
		/// `half_life_eras` eras (replacing any pending schedule).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Emits [`Event::SubsidyScheduled`]. Errors:
		/// [`Error::InvalidSubsidy`] for a zero half-life, `ArithmeticError::Overflow`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::set_subsidy())]
		pub fn set_subsidy(
			origin: OriginFor<T>,
			initial: BalanceOf<T>,
			half_life_eras: u32,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_subsidy(initial, half_life_eras)
		}

		/// Take a replica of live order `order_id`: the caller's vault has fetched the object and
		/// checked it against the order's content id and size. From now on the chain audits the
		/// replica once per era (a segment drawn at a block nobody can choose); each audit passed
		/// adds the object's bytes to the era's audited bytes (the space term of the provider's
		/// power), a miss or a wrong answer slashes the stake and ends the replica.
		///
		/// Origin: signed active provider. Emits [`Event::ReplicaTaken`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotActive`], [`Error::OrderNotFound`],
		/// [`Error::OrderExpired`], [`Error::ReplicaAlreadyHeld`], [`Error::ContentAlreadyHeld`]
		/// when it holds the same object under another order, [`Error::ReplicasFull`],
		/// [`Error::TooManyReplicas`], [`Error::ExceedsCapacity`] when the replicas held would
		/// exceed the declared capacity, `ArithmeticError::Overflow`.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::take_replica())]
		pub fn take_replica(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_take_replica(who, order_id)
		}

		/// Drop the caller's replica of order `order_id`, freeing the order's place for another
		/// provider. A replica under audit cannot be dropped until the audit is answered.
		///
		/// Origin: signed provider holding the replica. Emits [`Event::ReplicaEnded`] (reason
		/// `Dropped`). Errors: [`Error::ReplicaNotFound`], [`Error::ReplicaAuditPending`].
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::drop_replica())]
		pub fn drop_replica(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_drop_replica(who, order_id)
		}

		/// Answer the audit of the caller's replica of order `order_id` with the audited
		/// `segment`, the `root` of the object's segment tree and the `siblings` from the
		/// segment's leaf up (`docs/sealing-v1.md` §2: the content id is
		/// `blake2_256(0x02 ‖ u64 size ‖ root)`). A valid answer adds the object's bytes to the
		/// era's audited bytes and the report's power; a wrong one is an audit failure (the
		/// call succeeds and records it: the stake is slashed and the replica ends).
		///
		/// Origin: signed provider holding the audited replica. Emits
		/// [`Event::ReplicaAuditPassed`], or [`Event::ReplicaAuditFailed`], [`Event::Slashed`]
		/// and [`Event::ReplicaEnded`]. Errors: [`Error::ReplicaAuditNotFound`] (also after the
		/// deadline block, which settles the audit as missed), `ArithmeticError::Overflow`.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::prove_replica(siblings.len() as u32))]
		pub fn prove_replica(
			origin: OriginFor<T>,
			order_id: OrderId,
			root: H256,
			segment: SegmentOf,
			siblings: ProofOf,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_prove_replica(who, order_id, root, segment, siblings)
		}
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The power parameters of era 0 (the defaults if `None`).
		pub parameters: Option<PowerParameters>,
		/// Providers registered at genesis; their stake is held from their genesis balance.
		pub providers: Vec<GenesisProvider<T::AccountId>>,
		/// The storage price of era 0 (per GiB, era and replica).
		pub storage_price: BalanceOf<T>,
		/// The subsidy of era 0, halved every `subsidy_half_life_eras` eras (none if zero).
		pub subsidy: BalanceOf<T>,
		/// Eras per halving of the subsidy; positive if `subsidy` is.
		pub subsidy_half_life_eras: u32,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}
}
