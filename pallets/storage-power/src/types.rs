//! Types stored and exchanged by the storage-power pallet.
//!
//! Everything stored derives `MaxEncodedLen`; the views at the end (`ProviderView`, `EraView`,
//! `RewardEstimate`, `PenaltyPreview`, `PendingReward`) are only returned by the runtime API.

use crate::pallet::{BalanceOf, Config};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::{BoundedVec, ConstU32},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
pub use medchain_merkle::sum::SumNode;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;
use sp_runtime::{Debug, Perbill};

/// Index of an era: era `e` covers blocks `[e × EraLength, (e + 1) × EraLength)`.
pub type EraIndex = u32;
/// Identifier of an audit challenge, assigned in issue order.
pub type ChallengeId = u64;
/// Storage power, a dimensionless index (see [`PowerParameters`]).
pub type Power = u128;

/// Bytes in a GiB: bandwidth is reported in bytes and counted in whole GiB.
pub const GIB: u64 = 1 << 30;
/// GiB in a TiB: the stake is [`crate::Config::MinStakePerTiB`] per started TiB of capacity.
pub const GIB_PER_TIB: u64 = 1 << 10;
/// Deepest Merkle proof accepted: 32 levels cover every `u32` leaf count.
pub use medchain_merkle::MAX_PROOF_DEPTH;

/// The governance-set parameters of the power formula (see the README):
///
/// `raw = floor(alpha × audited_bytes / GiB) + beta × bandwidth_gib`,
/// `power = min(cap, audit_factor ⋅ (uptime_factor ⋅ raw))`, each `⋅` rounding down.
///
/// `audited_bytes` are the bytes of the replicas whose audit the provider passed in the era:
/// declared space earns nothing.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PowerParameters {
	/// Power per GiB of replicas that passed their audit in the era (counted to the byte).
	pub alpha: u64,
	/// Power per whole GiB served to clients, backed by receipts committed in the report.
	pub beta: u64,
	/// Largest power one provider can have in one era.
	pub cap: Power,
	/// Uptime (heartbeats sent / heartbeats expected) below which the uptime factor is 0; at or
	/// above it the factor is the uptime itself.
	pub min_uptime: Perbill,
	/// Audit-factor reduction per failed audit in the era: factor = 1 − failures × this.
	pub audit_penalty: Perbill,
	/// Failed audits in one era at which the audit factor is 0 and the stake is slashed.
	pub failure_threshold: u32,
}

impl Default for PowerParameters {
	fn default() -> Self {
		Self {
			// One power per audited KiB, an eighth of that per GiB served, and at most 1 PiB of
			// audited replicas' power for one provider.
			alpha: 1 << 20,
			beta: 1 << 17,
			cap: 1 << 50,
			min_uptime: Perbill::from_percent(50),
			audit_penalty: Perbill::from_percent(50),
			failure_threshold: 1,
		}
	}
}

impl PowerParameters {
	/// `floor(alpha × audited_bytes / GiB) + beta × bandwidth_gib` (saturating at `u128::MAX`).
	pub fn raw_power(&self, audited_bytes: u64, bandwidth_gib: u64) -> Power {
		let space = u128::from(self.alpha)
			.saturating_mul(audited_bytes.into())
			.checked_div(u128::from(GIB))
			.unwrap_or_default();
		space.saturating_add(u128::from(self.beta).saturating_mul(bandwidth_gib.into()))
	}

	/// The uptime factor for `heartbeats` out of `expected` (full in maintenance).
	pub fn uptime_factor(&self, heartbeats: u32, expected: u32, in_maintenance: bool) -> Perbill {
		if in_maintenance || expected == 0 {
			return Perbill::one();
		}
		let uptime = Perbill::from_rational(heartbeats.min(expected), expected);
		if uptime < self.min_uptime {
			Perbill::zero()
		} else {
			uptime
		}
	}

	/// The audit factor after `failures` failed audits in the era.
	pub fn audit_factor(&self, failures: u32) -> Perbill {
		if failures >= self.failure_threshold {
			return Perbill::zero();
		}
		let lost = self.audit_penalty.deconstruct().saturating_mul(failures);
		Perbill::from_parts(Perbill::one().deconstruct().saturating_sub(lost))
	}

	/// The power: `min(cap, audit_factor ⋅ (uptime_factor ⋅ raw))`, each product rounded down.
	pub fn power(&self, raw: Power, uptime: Perbill, audit: Perbill) -> Power {
		audit.mul_floor(uptime.mul_floor(raw)).min(self.cap)
	}
}

/// Whether a provider is active or leaving.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all_fields = "camelCase")]
pub enum ProviderStatus {
	/// Reports, heartbeats and earns rewards.
	Active,
	/// Unbonding: no reports, no rewards; the stake can be withdrawn from era `until` on.
	Unbonding {
		/// First era in which `withdraw_unbonded` succeeds.
		until: EraIndex,
	},
}

/// A registered storage provider. Its held stake is also the deposit for this record, its
/// reports and its unclaimed-era list.
#[derive(
	CloneNoBound, EqNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Provider<T: Config> {
	/// Declared capacity in GiB, effective in the current era.
	pub capacity_gib: u64,
	/// A declared capacity and the era from which it applies.
	pub pending_capacity: Option<(EraIndex, u64)>,
	/// Stake held under [`crate::HoldReason::ProviderStake`].
	pub stake: BalanceOf<T>,
	/// Commitment (salted hash) to the provider's endpoint; the endpoint itself stays off chain.
	pub endpoint_commitment: H256,
	/// Active or unbonding.
	pub status: ProviderStatus,
	/// Announced maintenance window: eras `from..=to` in which missed heartbeats cost nothing.
	pub maintenance: Option<(EraIndex, EraIndex)>,
	/// The era the heartbeat counters below belong to.
	pub heartbeat_era: EraIndex,
	/// Heartbeats sent in `heartbeat_era`.
	pub heartbeats: u32,
	/// The last heartbeat slot used in `heartbeat_era` (`None`: none yet).
	pub last_heartbeat_slot: Option<u32>,
	/// The era of registration.
	pub registered_era: EraIndex,
}

impl<T: Config> Provider<T> {
	/// Declared capacity in effect in `era`.
	pub fn capacity_in(&self, era: EraIndex) -> u64 {
		match self.pending_capacity {
			Some((from, capacity)) if era >= from => capacity,
			_ => self.capacity_gib,
		}
	}

	/// Heartbeats sent in `era`.
	pub fn heartbeats_in(&self, era: EraIndex) -> u32 {
		if self.heartbeat_era == era {
			self.heartbeats
		} else {
			0
		}
	}

	/// Whether `era` is inside the announced maintenance window.
	pub fn in_maintenance(&self, era: EraIndex) -> bool {
		self.maintenance.is_some_and(|(from, to)| era >= from && era <= to)
	}

	/// Whether the provider is active.
	pub fn is_active(&self) -> bool {
		self.status == ProviderStatus::Active
	}
}

/// A provider's report for one era and its audit state.
#[derive(
	CloneNoBound, EqNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Report<T: Config> {
	/// Space holding client data, GiB.
	pub used_space_gib: u64,
	/// Space offered but free, GiB.
	pub free_space_gib: u64,
	/// Bytes served to readers in the previous era: the sum of the receipts tree.
	pub bytes_served: u64,
	/// Root hash of the Merkle-sum tree of the reader-signed receipts (see [`Receipt`]).
	pub receipts_root: H256,
	/// Number of receipts under `receipts_root`.
	pub leaf_count: u32,
	/// Block of submission; challenges can only be issued after it.
	pub submitted_at: BlockNumberFor<T>,
	/// `alpha × audited GiB + beta × bandwidth` with the era's parameters, as of the last audit
	/// passed in the era.
	pub raw_power: Power,
	/// The power currently counted in the era's total.
	pub power: Power,
	/// Failed audits in the era.
	pub failures: u32,
	/// Challenges issued on this report.
	pub challenges_issued: u32,
	/// Challenges neither answered nor reported missed.
	pub open_challenges: u32,
	/// The reward of this report is forfeited (an audit failed after the era closed); its share
	/// goes to the next era with the dust.
	pub forfeited: bool,
	/// Its slot in [`crate::AuditPool`] while the chain has not drawn it for an audit; `None`
	/// once drawn.
	pub audit_slot: Option<u32>,
}

/// Running totals of an era. Kept until every positive-power report of the closed era is
/// claimed; then the dust goes to the current era and the entry is removed.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct EraInfo<Balance> {
	/// Amount to share: order revenue, subsidy, slashes and carried dust.
	pub emission: Balance,
	/// Paid out so far.
	pub paid: Balance,
	/// Sum of the `power` of the era's reports.
	pub total_power: Power,
	/// Reports submitted.
	pub reports: u32,
	/// Reports with positive power.
	pub powered: u32,
	/// Positive-power reports claimed.
	pub claimed: u32,
}

/// Identifier of a storage order, assigned in placement order.
pub type OrderId = u64;

/// The content id of a sealed object: its size and segment root, hashed
/// ([`medchain_merkle::segments::content_id_of`]).
pub type ContentId = H256;

/// A paid storage order: `replicas` copies of the sealed object `content_id` (`size_bytes` of
/// ciphertext) kept from era `start_era` up to, not including, era `end_era`. The order pays
/// `per_era` into the pot for each of those eras: the whole amount up front, credited to each
/// era's emission when the era starts.
#[derive(
	CloneNoBound, EqNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct StorageOrder<T: Config> {
	/// Who paid; the only account that may renew it, and the one its deposit returns to.
	pub owner: T::AccountId,
	/// The sealed object's content id (the Merkle root of its ciphertext segments).
	pub content_id: H256,
	/// Ciphertext size, bytes.
	pub size_bytes: u64,
	/// Copies the providers keep.
	pub replicas: u32,
	/// First era paid for (the era in which it was placed).
	pub start_era: EraIndex,
	/// First era no longer paid for.
	pub end_era: EraIndex,
	/// Paid per era from the next era on (the price of the last placement or renewal).
	pub per_era: BalanceOf<T>,
	/// The deposit held for this record until it is removed after expiry.
	pub deposit: BalanceOf<T>,
}

impl<T: Config> StorageOrder<T> {
	/// Whether `era` is paid for.
	pub fn is_live(&self, era: EraIndex) -> bool {
		self.start_era <= era && era < self.end_era
	}
}

/// The order-revenue rate: what the live orders pay each era.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct OrderRevenueState<Balance> {
	/// The era `credited` belongs to (the current one).
	pub era: EraIndex,
	/// Paid to the current era by the orders live in it.
	pub rate: Balance,
	/// Order revenue credited to era `era` so far (the rate, and what orders placed in the era
	/// paid for it).
	pub credited: Balance,
}

/// A change of the order-revenue rate when an era starts.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct RateChange<Balance> {
	/// Added: renewed orders' new price.
	pub rises: Balance,
	/// Removed: orders ending, and renewed orders' old price.
	pub falls: Balance,
}

/// The governance-set subsidy added to every era's order revenue: `initial` in era
/// `start_era`, halved every `half_life_eras` eras (`initial >> ((era − start_era) /
/// half_life_eras)`), so the total ever paid is bounded by `2 × initial × half_life_eras` and
/// anyone can compute any era's amount in advance.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Default,
	Serialize,
)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct SubsidySchedule<Balance> {
	/// Subsidy of era `start_era`.
	#[serde(with = "medchain_json::balance")]
	pub initial: Balance,
	/// The era the schedule starts.
	pub start_era: EraIndex,
	/// Eras per halving; positive.
	pub half_life_eras: u32,
}

impl<Balance: sp_runtime::traits::AtLeast32BitUnsigned + Copy> SubsidySchedule<Balance> {
	/// The subsidy of `era`: zero before the schedule starts or after 128 halvings.
	pub fn amount(&self, era: EraIndex) -> Balance {
		use sp_runtime::SaturatedConversion;
		let Some(elapsed) = era.checked_sub(self.start_era) else { return Balance::zero() };
		let halvings = elapsed.checked_div(self.half_life_eras).unwrap_or(u32::MAX);
		let initial: u128 = self.initial.saturated_into();
		initial.checked_shr(halvings).unwrap_or_default().saturated_into()
	}
}

/// An audit challenge: the provider must show the reader-signed receipt that covers one byte of
/// its report's `bytes_served`.
#[derive(
	CloneNoBound, EqNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Challenge<T: Config> {
	/// The challenged provider.
	pub provider: T::AccountId,
	/// The era of the challenged report.
	pub era: EraIndex,
	/// Who issued it: an account whose [`crate::Config::ChallengeDeposit`] is held until
	/// resolution, or `None` for an audit drawn by the chain.
	pub issuer: Option<T::AccountId>,
	/// The deposit held from `issuer` (zero for the chain).
	pub deposit: BalanceOf<T>,
	/// Where the challenged byte lies, in 2^-32 of the report's `bytes_served`: the byte is
	/// [`crate::Pallet::challenged_byte`] `= floor(point × bytes_served / 2^32)`.
	pub point: u32,
	/// Last block at which a response is accepted.
	pub deadline: BlockNumberFor<T>,
}

/// Why an audit failed.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum AuditFailure {
	/// The proof did not verify against the report's root, or the receipt does not cover the
	/// challenged byte, or the next leaf does not follow it in key order.
	WrongProof,
	/// The receipt is in the tree but is not one a reader signed for this provider in the
	/// report's window (see [`Receipt`]).
	InvalidReceipt,
	/// No response before the deadline.
	Missed,
}

/// A reader's signed GET request that a provider's vault served: the leaf of a report's
/// receipts tree. It is valid for provider `p`'s report of era `e` when `signature` is the
/// reader's sr25519 signature over the vault request [`crate::receipts::request_payload`] (as
/// is, or wrapped in `<Bytes>…</Bytes>` by a browser wallet) with vault id = `p`, method `GET`,
/// path `/objects/0x<content id, lowercase hex>`, body length 0, `timestamp_ms` and `range`;
/// the reader is not `p`; `timestamp_ms` lies in era `e − 1` (see
/// [`crate::EraStartedAt`]); and `bytes` is at least 1, at most [`crate::Config::MaxObjectSize`]
/// and, with a `range`, at most its length.
#[derive(Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct Receipt<AccountId, Signature> {
	/// Who read.
	pub reader: AccountId,
	/// The request's timestamp, unix milliseconds, as signed.
	pub timestamp_ms: u64,
	/// The object read.
	pub content_id: H256,
	/// The request's `Range` header value as sent and signed; empty without one.
	pub range: BoundedVec<u8, ConstU32<MAX_RANGE_LEN>>,
	/// Bytes the vault served for it.
	pub bytes: u64,
	/// The reader's signature.
	pub signature: Signature,
}

/// Eras whose start time [`crate::EraStartedAt`] keeps: the current one and the one before, the
/// two ends of the window of the receipts the current era's reports count. (A report's challenges
/// all end within its era.)
pub const ERA_STARTS_KEPT: EraIndex = 2;

/// Signs receipts in the benchmarks: a reader account and its signature of `message`.
#[cfg(feature = "runtime-benchmarks")]
pub trait ReceiptSigner<AccountId, Signature> {
	fn sign(message: &[u8]) -> (AccountId, Signature);
}

/// Longest `Range` header value a receipt carries.
pub const MAX_RANGE_LEN: u32 = 64;

/// The answer to a challenge of a report's receipts: the leaf covering the challenged byte, its
/// path to the root, and (unless it is the last leaf) the next leaf with its path, which shows
/// that the leaves are in strictly increasing key order and so that no receipt is counted twice.
#[derive(Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ReceiptAnswer<AccountId, Signature> {
	/// The leaf's index in the report's tree.
	pub leaf_index: u32,
	/// The leaf's receipt.
	pub receipt: Receipt<AccountId, Signature>,
	/// The leaf's siblings, bottom first.
	pub proof: SumProof,
	/// The next leaf's receipt and siblings; `None` for the last leaf.
	pub next: Option<(Receipt<AccountId, Signature>, SumProof)>,
}

/// The siblings of a Merkle-sum proof, bottom first.
pub type SumProof = BoundedVec<SumNode, ConstU32<MAX_PROOF_DEPTH>>;

/// A provider's replica of an ordered object (stored under the order and the provider).
#[derive(Clone, Copy, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Replica {
	/// Its slot in [`crate::ReplicaPool`].
	pub slot: u32,
	/// The era it was taken in.
	pub since: EraIndex,
}

/// The replica audits a provider passed and failed in one era (a failed one lost its replica).
#[derive(Clone, Copy, Default, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ReplicaAuditTally {
	/// The era counted.
	pub era: EraIndex,
	/// Audits answered with the right segment.
	pub passed: u32,
	/// Audits missed or answered wrongly.
	pub failed: u32,
}

/// The chain's audit of one replica: the provider must show segment `segment` of the object.
#[derive(
	CloneNoBound, EqNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct ReplicaAudit<T: Config> {
	/// The era of the audit: a pass counts the replica's bytes in this era's power.
	pub era: EraIndex,
	/// The segment to show.
	pub segment: u32,
	/// Last block at which an answer is accepted.
	pub deadline: BlockNumberFor<T>,
}

/// The pool of every replica, audited once per era: slots `0..audited` were drawn in era `era`,
/// slots `audited..size` wait for their draw.
#[derive(Clone, Copy, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct ReplicaPoolState {
	/// Replicas in the pool.
	pub size: u32,
	/// The era `audited` counts for.
	pub era: EraIndex,
	/// Replicas drawn for an audit in `era`.
	pub audited: u32,
}

impl ReplicaPoolState {
	/// The state in `era`: a new era starts with nothing audited.
	pub fn in_era(self, era: EraIndex) -> Self {
		if self.era == era {
			self
		} else {
			Self { size: self.size, era, audited: 0 }
		}
	}
}

/// Why a replica ended.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum ReplicaEnd {
	/// The provider dropped it.
	Dropped,
	/// Its order expired or was removed.
	OrderEnded,
	/// It failed its audit (the provider was slashed).
	AuditFailed(AuditFailure),
}

/// A replica as shown by the runtime API, with its open audit.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaView {
	/// The order.
	pub order_id: OrderId,
	/// The object's content id.
	pub content_id: H256,
	/// The object's size, bytes.
	pub size_bytes: u64,
	/// The era it was taken in.
	pub since: EraIndex,
	/// The open audit: segment to show and last block for the answer.
	pub audit: Option<(u32, u64)>,
}

/// A provider registered at genesis (demo data). Its stake is held from its free balance.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisProvider<AccountId> {
	/// The provider's account.
	pub account: AccountId,
	/// Declared capacity, GiB.
	pub capacity_gib: u64,
	/// Commitment to its endpoint.
	pub endpoint_commitment: H256,
}

/// A provider as shown by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct ProviderView<Balance> {
	/// Capacity in effect this era, GiB.
	pub capacity_gib: u64,
	/// A declared capacity and the era from which it applies.
	pub pending_capacity: Option<(EraIndex, u64)>,
	/// Held stake.
	#[serde(with = "medchain_json::balance")]
	pub stake: Balance,
	/// Stake the capacity requires.
	#[serde(with = "medchain_json::balance")]
	pub required_stake: Balance,
	/// Endpoint commitment.
	pub endpoint_commitment: H256,
	/// Active or unbonding.
	pub status: ProviderStatus,
	/// Maintenance window (eras, inclusive).
	pub maintenance: Option<(EraIndex, EraIndex)>,
	/// Current era.
	pub era: EraIndex,
	/// Heartbeats sent this era.
	pub heartbeats: u32,
	/// Heartbeats expected per era.
	pub expected_heartbeats: u32,
	/// The heartbeat slot of the current block.
	pub heartbeat_slot: u32,
	/// The slot of this era's last heartbeat (`None`: none yet). A heartbeat is due while it is
	/// below `heartbeat_slot` and fewer than `expected_heartbeats` were sent.
	pub last_heartbeat_slot: Option<u32>,
	/// Power of this era's report (`None`: no report yet).
	pub power: Option<Power>,
	/// Failed audits this era.
	pub failures: u32,
	/// Eras with an unclaimed report.
	pub unclaimed_eras: u32,
	/// Bytes of the replicas held.
	pub replica_bytes: u64,
	/// Bytes of replicas the capacity and stake back: `take_replica` keeps `replica_bytes`
	/// within it.
	pub backed_bytes: u64,
	/// Bytes of replicas whose audit passed this era (the space term of its power).
	pub audited_bytes: u64,
	/// Replica audits passed this era.
	pub replica_audits_passed: u32,
	/// Replica audits failed this era (missed or wrong: each slashed and lost its replica).
	pub replica_audits_failed: u32,
}

/// An era as shown by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct EraView<Balance> {
	/// The era.
	pub era: EraIndex,
	/// Sum of report powers.
	pub total_power: Power,
	/// Amount shared.
	#[serde(with = "medchain_json::balance")]
	pub emission: Balance,
	/// Paid out so far.
	#[serde(with = "medchain_json::balance")]
	pub paid: Balance,
	/// Reports submitted.
	pub reports: u32,
	/// Reports with positive power.
	pub powered: u32,
	/// Positive-power reports claimed.
	pub claimed: u32,
	/// Whether the era is over (reports rejected, rewards claimable).
	pub closed: bool,
}

/// A reward as it would be paid for the current era if it closed now.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct RewardEstimate<Balance> {
	/// The era.
	pub era: EraIndex,
	/// The provider's power.
	pub power: Power,
	/// The era's total power.
	pub total_power: Power,
	/// The share, `power / total_power`.
	pub share: Perbill,
	/// The era's emission so far.
	#[serde(with = "medchain_json::balance")]
	pub emission: Balance,
	/// `floor(power × emission / total_power)`.
	#[serde(with = "medchain_json::balance")]
	pub reward: Balance,
}

/// What a missed heartbeat or a failed audit would cost the provider now.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct PenaltyPreview<Balance> {
	/// The era.
	pub era: EraIndex,
	/// Power with every remaining heartbeat of the era sent.
	pub projected_power: Power,
	/// Reward for `projected_power` with the current emission and other providers' power.
	#[serde(with = "medchain_json::balance")]
	pub projected_reward: Balance,
	/// Power if one of those heartbeats is missed.
	pub power_if_heartbeat_missed: Power,
	/// Reward lost by missing one heartbeat.
	#[serde(with = "medchain_json::balance")]
	pub heartbeat_cost: Balance,
	/// Power after one more failed audit.
	pub power_if_audit_failed: Power,
	/// Reward lost by one more failed audit.
	#[serde(with = "medchain_json::balance")]
	pub audit_reward_cost: Balance,
	/// Stake slashed if one more failed audit reaches the threshold (else 0).
	#[serde(with = "medchain_json::balance")]
	pub audit_slash: Balance,
}

/// An unclaimed era of a provider.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct PendingReward<Balance> {
	/// The era.
	pub era: EraIndex,
	/// The report's power.
	pub power: Power,
	/// The reward (exact for a closed era, an estimate for the current one).
	#[serde(with = "medchain_json::balance")]
	pub reward: Balance,
	/// Whether `claim_rewards` would pay it now.
	pub claimable: bool,
}

/// A storage order as shown by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "AccountId: Serialize, Balance: core::fmt::Display"))]
pub struct OrderView<AccountId, Balance> {
	/// The order.
	pub id: OrderId,
	/// Who paid.
	pub owner: AccountId,
	/// The sealed object's content id.
	pub content_id: H256,
	/// Ciphertext size, bytes.
	pub size_bytes: u64,
	/// Copies ordered.
	pub replicas: u32,
	/// First era paid for.
	pub start_era: EraIndex,
	/// First era no longer paid for.
	pub end_era: EraIndex,
	/// Paid per era.
	#[serde(with = "medchain_json::balance")]
	pub per_era: Balance,
	/// Deposit held for the record.
	#[serde(with = "medchain_json::balance")]
	pub deposit: Balance,
	/// Whether the current era is paid for (else the order has expired and may be removed).
	pub live: bool,
	/// The providers holding a replica.
	pub holders: Vec<AccountId>,
}

/// One page of the orders a provider may take a replica of, as shown by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "AccountId: Serialize, Balance: core::fmt::Display"))]
pub struct OpenOrdersPage<AccountId, Balance> {
	/// Live orders with fewer holders than replicas, by id.
	pub orders: Vec<OrderView<AccountId, Balance>>,
	/// The id the next page starts from; `None` once every order id has been scanned.
	pub next: Option<OrderId>,
}

/// What an order placed now would pay.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct OrderQuote<Balance> {
	/// Paid for each era.
	#[serde(with = "medchain_json::balance")]
	pub per_era: Balance,
	/// Paid in all, up front.
	#[serde(with = "medchain_json::balance")]
	pub total: Balance,
}

/// Where the era amount comes from, as shown by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(serialize = "Balance: core::fmt::Display"))]
pub struct EconomicsView<Balance> {
	/// The current era.
	pub era: EraIndex,
	/// Price of one GiB kept for one era, per replica.
	#[serde(with = "medchain_json::balance")]
	pub price_per_gib_era: Balance,
	/// The subsidy schedule in effect.
	pub subsidy: SubsidySchedule<Balance>,
	/// A schedule set by governance for a later era, if any.
	pub pending_subsidy: Option<SubsidySchedule<Balance>>,
	/// The subsidy the next era gets.
	#[serde(with = "medchain_json::balance")]
	pub next_subsidy: Balance,
	/// Order revenue credited to the current era.
	#[serde(with = "medchain_json::balance")]
	pub order_revenue: Balance,
	/// Order revenue the next era gets (orders known now).
	#[serde(with = "medchain_json::balance")]
	pub next_order_revenue: Balance,
	/// Paid by orders for eras not yet started.
	#[serde(with = "medchain_json::balance")]
	pub prepaid: Balance,
}

/// Alias of [`OrderView`] for a runtime.
pub type OrderViewOf<T> = OrderView<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
/// Alias of [`OpenOrdersPage`] for a runtime.
pub type OpenOrdersPageOf<T> = OpenOrdersPage<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
/// Alias of [`OrderQuote`] for a runtime.
pub type OrderQuoteOf<T> = OrderQuote<BalanceOf<T>>;
/// Alias of [`EconomicsView`] for a runtime.
pub type EconomicsViewOf<T> = EconomicsView<BalanceOf<T>>;
/// Alias of [`OrderRevenueState`] for a runtime.
pub type OrderRevenueOf<T> = OrderRevenueState<BalanceOf<T>>;
/// Alias of [`RateChange`] for a runtime.
pub type RateChangeOf<T> = RateChange<BalanceOf<T>>;
/// Alias of [`SubsidySchedule`] for a runtime.
pub type SubsidyScheduleOf<T> = SubsidySchedule<BalanceOf<T>>;
/// Alias of [`ProviderView`] for a runtime.
pub type ProviderViewOf<T> = ProviderView<BalanceOf<T>>;
/// Alias of [`EraView`] for a runtime.
pub type EraViewOf<T> = EraView<BalanceOf<T>>;
/// Alias of [`RewardEstimate`] for a runtime.
pub type RewardEstimateOf<T> = RewardEstimate<BalanceOf<T>>;
/// Alias of [`PenaltyPreview`] for a runtime.
pub type PenaltyPreviewOf<T> = PenaltyPreview<BalanceOf<T>>;
/// Alias of [`PendingReward`] for a runtime.
pub type PendingRewardOf<T> = PendingReward<BalanceOf<T>>;
/// Alias of [`EraInfo`] for a runtime.
pub type EraInfoOf<T> = EraInfo<BalanceOf<T>>;
