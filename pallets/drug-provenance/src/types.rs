//! Types stored and exchanged by the drug-provenance pallet.
//!
//! Everything stored derives `MaxEncodedLen`; the views at the end (`BatchInfo`, `RecallStatus`,
//! `PackCheck`) are only returned by the runtime API and are not stored.

use crate::pallet::BalanceOf;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// A GS1 Global Trade Item Number as its 14 ASCII digits (GTIN-8/12/13 left-padded with `0`),
/// the last one being the GS1 mod-10 check digit.
pub type Gtin = [u8; 14];
/// A GS1 Global Location Number (13 ASCII digits, the last one the check digit) identifying a
/// partner's legal entity or site.
pub type Gln = [u8; 13];
/// Identifier of a batch, assigned by the pallet in registration order.
pub type BatchId = u32;
/// Position of a transfer in its batch's trace, assigned in dispatch order from 0.
pub type TransferIndex = u32;
/// The salt hashed into a pack leaf (see [`crate::merkle::leaf_hash`]).
pub type Salt = [u8; 32];
/// Coarse region where a pack was verified: ISO 3166-1 numeric country code.
pub type RegionCode = u16;

/// Longest lot number: GS1 Application Identifier (10) allows 20 characters.
pub const MAX_LOT_LEN: u32 = 20;
/// Longest serial number: GS1 Application Identifier (21) allows 20 characters.
pub const MAX_SERIAL_LEN: u32 = 20;
/// Longest scratch code accepted by `verify_pack`.
pub const MAX_SCRATCH_CODE_LEN: u32 = 32;
/// Deepest Merkle proof accepted: 32 levels cover every `u32` leaf count (4,294,967,295
/// packs).
pub use medchain_merkle::MAX_PROOF_DEPTH;

/// A lot (batch) number in the GS1 character set 82, 1 to [`MAX_LOT_LEN`] characters.
pub type Lot = BoundedVec<u8, ConstU32<MAX_LOT_LEN>>;
/// A pack serial number as printed on the pack.
pub type Serial = BoundedVec<u8, ConstU32<MAX_SERIAL_LEN>>;
/// The code revealed under a pack's scratch-off surface.
pub type ScratchCode = BoundedVec<u8, ConstU32<MAX_SCRATCH_CODE_LEN>>;

/// Inclusion proof of one pack leaf in a batch's `codes_root`.
#[derive(
	Clone,
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
#[serde(rename_all = "camelCase")]
pub struct MerkleProof {
	/// Position of the leaf among the batch's `code_count` leaves, from 0.
	pub index: u32,
	/// Sibling hashes from the leaf level up to (not including) the root.
	pub siblings: BoundedVec<H256, ConstU32<MAX_PROOF_DEPTH>>,
}

/// What a partner is licensed to do in the supply chain.
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
pub enum PartnerRole {
	/// Makes products; registers products and batches.
	Manufacturer,
	/// Relabels or repackages under its own GTIN; registers products and batches.
	Repackager,
	/// Buys and sells stock between partners.
	Wholesaler,
	/// Carries stock on behalf of others (third-party logistics).
	Logistics,
	/// Pharmacy or hospital: the only role that may mark packs as dispensed to patients.
	Dispenser,
	/// Medicines regulator: clears or confirms suspects and may recall any batch.
	Regulator,
}

impl PartnerRole {
	/// Whether this role may register products and batches.
	pub fn can_register_products(&self) -> bool {
		matches!(self, Self::Manufacturer | Self::Repackager)
	}

	/// Whether this role may report a second scan of an already verified pack (a clone alarm):
	/// the partners that open packs, dispensers at hand-out and regulators' inspectors.
	pub fn can_raise_clone_alarm(&self) -> bool {
		matches!(self, Self::Dispenser | Self::Regulator)
	}
}

/// A licensed trading partner.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Partner<BlockNumber> {
	/// What the partner is licensed for.
	pub role: PartnerRole,
	/// The partner's GS1 Global Location Number.
	pub gln: Gln,
	/// Hash of the licence document held by the registrar.
	pub licence_ref: H256,
	/// The licence is valid for blocks strictly before this one.
	pub licensed_until: BlockNumber,
	/// Suspended by the registrar; a suspended partner cannot act.
	pub suspended: bool,
}

impl<BlockNumber: PartialOrd> Partner<BlockNumber> {
	/// Whether the partner may act at block `now`: not suspended and licence not expired.
	pub fn is_active(&self, now: &BlockNumber) -> bool {
		!self.suspended && *now < self.licensed_until
	}
}

/// A registered product (GTIN).
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Product<AccountId, Balance> {
	/// The manufacturer (or repackager) that owns the GTIN.
	pub manufacturer: AccountId,
	/// Salted commitment to the product master data kept off chain (name, strength, form).
	pub metadata_commitment: H256,
	/// Number of batches registered under this GTIN.
	pub batch_count: u32,
	/// Deposit held from `manufacturer` while the product is registered.
	pub deposit: Balance,
}

/// Status of a batch.
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
)]
pub enum BatchStatus {
	/// In circulation.
	Active,
	/// Under investigation (suspect report or clone alarms): cannot move or be dispensed.
	Quarantined,
	/// Recalled: cannot move or be dispensed; every holder must acknowledge.
	Recalled,
	/// Past its expiry block. Never stored: derived from `Active` and the current block.
	Expired,
	/// Every pack of the batch was destroyed.
	Destroyed,
	/// Finished and past its trace retention: its records are being removed by
	/// `retire_batch`; nothing can happen to it any more.
	Retiring,
	/// A tombstone: every record of the batch is removed and its deposit released; the batch
	/// record stays with its final counts, and its lot can never be registered again.
	Retired,
}

/// A batch (lot) of a product.
#[derive(
	Clone,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
)]
#[serde(bound(
	serialize = "AccountId: Serialize, BlockNumber: Serialize, Balance: core::fmt::Display"
))]
#[serde(rename_all = "camelCase")]
pub struct Batch<AccountId, Balance, BlockNumber> {
	/// The product.
	#[serde(with = "medchain_json::text")]
	pub gtin: Gtin,
	/// The lot number, unique per GTIN.
	#[serde(with = "medchain_json::text")]
	pub lot: Lot,
	/// Who registered the batch (owner of the GTIN).
	pub manufacturer: AccountId,
	/// The batch is expired from this block on.
	pub expiry: BlockNumber,
	/// Number of packs registered.
	pub quantity: u32,
	/// Hash of the batch release certificate (certificate of analysis) kept off chain.
	pub certificate_hash: H256,
	/// Merkle root of the packs' leaves (see [`crate::merkle`]).
	pub codes_root: H256,
	/// Number of leaves under `codes_root` (at least `quantity`).
	pub code_count: u32,
	/// Stored status; `Expired` is derived, see [`Batch::effective_status`].
	pub status: BatchStatus,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Deposit held from `manufacturer`; pays for the batch and every record attached to it.
	#[serde(with = "medchain_json::balance")]
	pub deposit: Balance,
	/// Packs in pending transfers.
	pub pending: u32,
	/// Packs dispensed to patients.
	pub dispensed: u32,
	/// Packs destroyed.
	pub destroyed: u32,
	/// Number of accounts holding packs of this batch.
	pub holder_count: u32,
	/// Number of transfers ever dispatched; the next transfer gets this index.
	pub transfer_count: u32,
	/// Number of distinct packs verified.
	pub verified_packs: u32,
	/// Number of distinct packs with at least one clone alarm since the batch was last cleared.
	pub alarmed_packs: u32,
	/// Total clone alarms raised on this batch.
	pub clone_alarms: u32,
}

impl<AccountId, Balance, BlockNumber: PartialOrd> Batch<AccountId, Balance, BlockNumber> {
	/// The status as users see it at block `now`: an `Active` batch past its expiry is `Expired`.
	pub fn effective_status(&self, now: &BlockNumber) -> BatchStatus {
		match self.status {
			BatchStatus::Active if *now >= self.expiry => BatchStatus::Expired,
			status => status,
		}
	}

	/// Whether the batch is being or has been retired (see `retire_batch`).
	pub fn is_retired(&self) -> bool {
		matches!(self.status, BatchStatus::Retiring | BatchStatus::Retired)
	}

	/// Packs currently held by partners (neither pending, dispensed nor destroyed).
	pub fn in_custody(&self) -> u32 {
		self.quantity
			.saturating_sub(self.pending)
			.saturating_sub(self.dispensed)
			.saturating_sub(self.destroyed)
	}
}

/// Where a transfer stands.
#[derive(
	Clone,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
)]
#[serde(rename_all_fields = "camelCase")]
pub enum TransferState<BlockNumber> {
	/// Dispatched, waiting for the addressee.
	Pending,
	/// Received by the addressee at the block.
	Received {
		/// Block of receipt.
		at: BlockNumber,
	},
	/// Rejected by the addressee at the block; the quantity went back to the sender.
	Rejected {
		/// Block of rejection.
		at: BlockNumber,
	},
	/// Not settled in time; the quantity went back to the sender at the block.
	Expired {
		/// Block at which the expiry was processed.
		at: BlockNumber,
	},
}

/// One hop of a batch: a two-phase custody transfer.
#[derive(
	Clone,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
)]
#[serde(bound(
	serialize = "AccountId: Serialize, BlockNumber: Serialize, Balance: core::fmt::Display"
))]
#[serde(rename_all = "camelCase")]
pub struct Transfer<AccountId, Balance, BlockNumber> {
	/// Sender.
	pub from: AccountId,
	/// Addressee.
	pub to: AccountId,
	/// Number of packs.
	pub quantity: u32,
	/// Salted commitment to the shipment documents (EPCIS ship event, transaction statement).
	pub shipment_commitment: H256,
	/// Block of dispatch.
	pub dispatched_at: BlockNumber,
	/// The transfer can be received or rejected strictly before this block; from it on, it can
	/// only be expired.
	pub expires_at: BlockNumber,
	/// Current state.
	pub state: TransferState<BlockNumber>,
	/// Deposit held from `from` for this trace record, until the batch is retired.
	#[serde(with = "medchain_json::balance")]
	pub deposit: Balance,
}

/// Who made the first verification of a pack.
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
)]
pub enum Verifier {
	/// Anyone: an unsigned check (typically the patient) or a signed account that is not a
	/// licensed dispenser or regulator.
	Public,
	/// An active licensed dispenser or regulator, with a signed check (for instance the pharmacy
	/// checking the pack at hand-out); the patient's later check then reads "already verified by
	/// a licensed partner at block X".
	LicensedPartner,
}

/// Record of a pack that was verified at least once. Keyed by its leaf, never by serial or code.
#[derive(
	Clone,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PackRecord<BlockNumber> {
	/// Block of the first verification.
	pub first_verified_at: BlockNumber,
	/// Region given at the first verification.
	pub region: Option<RegionCode>,
	/// Who made the first verification.
	pub first_verifier: Verifier,
	/// Number of clone alarms: second scans reported by licensed dispensers or regulators.
	pub alarms: u32,
	/// Block of the latest clone alarm.
	pub last_alarm_at: Option<BlockNumber>,
}

/// What a verification tells the person holding the pack.
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
)]
#[serde(rename_all_fields = "camelCase")]
pub enum PackVerdict {
	/// The pack belongs to an active, unexpired batch.
	Genuine,
	/// The pack belongs to the batch but must not be used.
	DoNotUse {
		/// Why: `Quarantined`, `Recalled`, `Expired`, `Destroyed` (a verification never
		/// reaches a `Retiring` or `Retired` batch).
		reason: BatchStatus,
	},
}

/// Dry-run result of checking a pack (runtime API `verify_pack`); changes nothing.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug, Serialize,
)]
#[serde(rename_all_fields = "camelCase")]
pub enum PackCheck<BlockNumber> {
	/// No batch has this id.
	UnknownBatch,
	/// The serial, scratch code, salt and proof do not match the batch's `codes_root`.
	Invalid,
	/// A pack of the batch that was never verified: a verification now is the first.
	NotYetVerified {
		/// The pack's leaf.
		leaf: H256,
		/// Use or do not use.
		verdict: PackVerdict,
	},
	/// A pack already verified (at `record.first_verified_at`): an unsigned or public repeat is
	/// refused; only a licensed dispenser or regulator can report a second scan (a clone alarm).
	AlreadyVerified {
		/// The pack's leaf.
		leaf: H256,
		/// When it was first verified and how many alarms it raised.
		record: PackRecord<BlockNumber>,
		/// Use or do not use (ignoring the alarm itself).
		verdict: PackVerdict,
	},
	/// The batch is retired (long past its expiry): its pack records are gone and its packs
	/// must not be used.
	BatchRetired,
}

/// An open suspect-product report (DSCSA suspect product investigation).
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct SuspectReport<AccountId, Balance, BlockNumber> {
	/// The partner who reported.
	pub reporter: AccountId,
	/// Salted commitment to the evidence kept off chain.
	pub evidence_commitment: H256,
	/// Block of the report.
	pub reported_at: BlockNumber,
	/// Deposit held from `reporter` until the regulator closes the report.
	pub deposit: Balance,
}

/// The regulator's finding on a suspect report it clears.
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
)]
pub enum ReportFinding {
	/// The report was made in good faith on real evidence: the deposit is returned.
	GoodFaith,
	/// The report had no ground: the reporter's deposit is slashed (burned).
	Unfounded,
}

/// Recall classification (as FDA): I most serious, III least.
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
)]
pub enum RecallClass {
	/// Reasonable probability of serious adverse health consequences or death.
	ClassI,
	/// May cause temporary or medically reversible adverse health consequences.
	ClassII,
	/// Not likely to cause adverse health consequences.
	ClassIII,
}

/// Who took a privileged action.
#[derive(
	Clone,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
)]
pub enum Actor<AccountId> {
	/// The registrar origin (governance).
	Registrar,
	/// A partner acting with its own account.
	Partner(AccountId),
}

/// A recall of one batch.
#[derive(
	Clone,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Recall<AccountId, BlockNumber> {
	/// The manufacturer, a regulator partner or the registrar.
	pub initiator: Actor<AccountId>,
	/// Seriousness.
	pub class: RecallClass,
	/// Salted commitment to the recall notice kept off chain.
	pub reason_commitment: H256,
	/// Block of the recall.
	pub initiated_at: BlockNumber,
	/// Number of holders who acknowledged.
	pub acknowledged: u32,
}

/// Why a batch was quarantined.
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
)]
pub enum QuarantineCause {
	/// A partner reported the batch as suspect.
	SuspectReport,
	/// [`crate::Config::CloneAlarmThreshold`] distinct packs raised clone alarms.
	CloneAlarms,
}

/// Why packs were destroyed.
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
)]
pub enum DestructionReason {
	/// Past expiry.
	Expired,
	/// Damaged in storage or transport.
	Damaged,
	/// Disposal following a recall.
	Recalled,
	/// Confirmed illegitimate (counterfeit, diverted, stolen).
	Illegitimate,
	/// Any other reason documented off chain.
	Other,
}

/// A partner seeded at genesis (no deposit is taken for genesis items).
#[derive(Clone, Eq, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisPartner<AccountId, BlockNumber> {
	/// The partner's account.
	pub account: AccountId,
	/// Its role.
	pub role: PartnerRole,
	/// Its GLN (13 ASCII digits).
	pub gln: Gln,
	/// Hash of its licence document.
	pub licence_ref: H256,
	/// Licence end block (exclusive).
	pub licensed_until: BlockNumber,
}

/// A product seeded at genesis.
#[derive(Clone, Eq, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisProduct<AccountId> {
	/// The GTIN (14 ASCII digits).
	pub gtin: Gtin,
	/// The owning manufacturer, which must be a genesis partner allowed to register products.
	pub manufacturer: AccountId,
	/// Commitment to the product master data.
	pub metadata_commitment: H256,
}

/// A batch seeded at genesis; the product's manufacturer holds all of it.
#[derive(Clone, Eq, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisBatch<BlockNumber> {
	/// The GTIN of a genesis product.
	pub gtin: Gtin,
	/// The lot number.
	pub lot: Vec<u8>,
	/// Expiry block.
	pub expiry: BlockNumber,
	/// Number of packs.
	pub quantity: u32,
	/// Hash of the release certificate.
	pub certificate_hash: H256,
	/// Merkle root of the pack leaves.
	pub codes_root: H256,
	/// Number of leaves.
	pub code_count: u32,
}

/// A batch as returned by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(bound(
	serialize = "AccountId: Serialize, BlockNumber: Serialize, Balance: core::fmt::Display"
))]
#[serde(rename_all = "camelCase")]
pub struct BatchInfo<AccountId, Balance, BlockNumber> {
	/// Its id.
	pub id: BatchId,
	/// The stored batch.
	pub batch: Batch<AccountId, Balance, BlockNumber>,
	/// Its status at the queried block (`Expired` derived).
	pub effective_status: BatchStatus,
	/// Packs currently held by partners.
	pub in_custody: u32,
}

/// The recall of a batch and its acknowledgements, as returned by the runtime API.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecallStatus<AccountId, BlockNumber> {
	/// The recall.
	pub recall: Recall<AccountId, BlockNumber>,
	/// Holders who acknowledged, with the block.
	pub acknowledged: Vec<(AccountId, BlockNumber)>,
	/// Current holders who have not acknowledged, with the quantity they hold.
	pub outstanding: Vec<(AccountId, u32)>,
}

/// A partner as stored for runtime `T`.
pub type PartnerOf<T> = Partner<BlockNumberFor<T>>;
/// A product as stored for runtime `T`.
pub type ProductOf<T> = Product<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
/// A batch as stored for runtime `T`.
pub type BatchOf<T> =
	Batch<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A transfer as stored for runtime `T`.
pub type TransferOf<T> =
	Transfer<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A pack record as stored for runtime `T`.
pub type PackRecordOf<T> = PackRecord<BlockNumberFor<T>>;
/// A suspect report as stored for runtime `T`.
pub type SuspectReportOf<T> =
	SuspectReport<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A recall as stored for runtime `T`.
pub type RecallOf<T> = Recall<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// An actor for runtime `T`.
pub type ActorOf<T> = Actor<<T as frame_system::Config>::AccountId>;
/// A batch view for runtime `T`.
pub type BatchInfoOf<T> =
	BatchInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A recall view for runtime `T`.
pub type RecallStatusOf<T> =
	RecallStatus<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
