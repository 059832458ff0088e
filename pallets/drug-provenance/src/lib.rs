//! # Drug-batch provenance pallet
//!
//! Traceability of medicines from manufacturer to patient, in the vocabulary of GS1/EPCIS and the
//! US Drug Supply Chain Security Act (DSCSA): licensed trading partners, products by GTIN, batches
//! by lot, custody moved by two-phase transfers, one-time verification of the scratch-off code
//! under each pack, suspect-product investigations and recalls.
//!
//! ## Terms
//!
//! - **Partner**: an account licensed by the registrar with a role (manufacturer, repackager,
//!   wholesaler, logistics, dispenser, regulator), a GLN and a licence end block. A suspended
//!   partner or one whose licence ended cannot act.
//! - **Product**: a GTIN owned by a manufacturer.
//! - **Batch**: a lot of a product with an expiry block, a quantity of packs, a certificate hash
//!   and `codes_root`, the Merkle root of one leaf per pack (see [`merkle`]).
//! - **Holding**: how many packs of a batch a partner holds. For every batch, holdings + pending +
//!   dispensed + destroyed = registered quantity.
//! - **Transfer**: a dispatch of packs to another partner, pending until the addressee receives or
//!   rejects it, or until it expires.
//! - **Pack verification**: anyone holding a pack proves its serial and scratch code belong to the
//!   batch; the first verification is free and recorded. A repeat is refused (the code is public
//!   from then on); only a licensed dispenser or regulator reporting a second physical scan raises
//!   a clone alarm.
//!
//! ## Calls
//!
//! Registrar: [`Pallet::register_partner`], [`Pallet::suspend_partner`],
//! [`Pallet::reinstate_partner`], [`Pallet::renew_licence`]. Manufacturers:
//! [`Pallet::register_product`], [`Pallet::deregister_product`], [`Pallet::register_batch`].
//! Custody: [`Pallet::dispatch`], [`Pallet::receive`], [`Pallet::reject`],
//! [`Pallet::expire_transfer`], [`Pallet::mark_dispensed`], [`Pallet::destroy`]. Anyone:
//! [`Pallet::verify_pack`] (unsigned and feeless, or signed with the fee refunded on a first
//! verification). Investigations: [`Pallet::report_suspect`], [`Pallet::clear_suspect`],
//! [`Pallet::confirm_illegitimate`], [`Pallet::initiate_recall`], [`Pallet::ack_recall`].
//! Manufacturers, long after expiry: [`Pallet::retire_batch`].
//!
//! ## Time
//!
//! Licence ends, batch expiry and transfer expiry are block numbers: the pallet needs no
//! timestamp. Clients convert dates with the block time (6 s on Medchain). Each is exclusive: a
//! licence ending at block `b` is valid up to `b - 1`; a batch with expiry `b` is expired at `b`.
//!
//! ## Privacy
//!
//! Serials, scratch codes and salts are never stored nor emitted: verified packs are keyed by
//! their leaf hash. Commitments (`metadata_commitment`, `certificate_hash`,
//! `shipment_commitment`, `evidence_commitment`, `reason_commitment`) are salted hashes of
//! documents kept off chain. The call data of a verification does carry that pack's serial and
//! scratch code: after it the code is spent, and a replay of it is refused.

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
// Every area holds and releases with `Self::hold` and `Self::release` (common.rs).
use medchain_deposits::Deposits;

pub mod gs1;
pub mod merkle;

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

/// Tag prefix of the unsigned `verify_pack` transactions in the pool.
const UNSIGNED_TAG_PREFIX: &str = "DrugProvenanceVerifyPack";

// The FRAME macros expand `#[pallet::pallet]`, `#[pallet::storage]`, `#[pallet::error]` and
// `#[pallet::genesis_build]` to paths such as `frame_support::__private::Vec`
// (`unused_qualifications`) and to `expect` in metadata and storage-info code that runs off chain.
// The calls below only delegate to the `features/` modules, which have neither allowance.
#[allow(unused_qualifications, clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			BuildGenesisConfig,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::Zero;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency in which deposits are held.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that licenses partners (registrar, regulator or governance). It may also
		/// act as a regulator: clear or confirm suspects and initiate recalls.
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit held from a manufacturer for each registered product; pays for the product
		/// record and is released when the product is deregistered.
		#[pallet::constant]
		type ProductDeposit: Get<BalanceOf<Self>>;

		/// Base deposit held from a manufacturer for each batch; pays for the batch record, its
		/// lot index, holdings, recall and acknowledgements (each transfer record is paid by its
		/// sender's [`Config::TransferDeposit`]).
		#[pallet::constant]
		type BatchDeposit: Get<BalanceOf<Self>>;

		/// Deposit per pack code added to [`Config::BatchDeposit`] (`code_count` times); pays for
		/// the record written when a pack is verified, which nobody else pays for.
		#[pallet::constant]
		type PackRecordDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the sender of each transfer; pays for its trace record and is released
		/// when the batch is retired (`retire_batch` removes the record). Filling a batch's trace
		/// up to [`Config::MaxTransfersPerBatch`] therefore locks that many deposits.
		#[pallet::constant]
		type TransferDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the reporter of a suspect batch; released when the regulator confirms
		/// the report or clears it as made in good faith, slashed (burned) when it clears it as
		/// unfounded.
		#[pallet::constant]
		type SuspectReportDeposit: Get<BalanceOf<Self>>;

		/// Blocks after dispatch during which a transfer can be received or rejected; from then
		/// on anyone can expire it and the packs return to the sender.
		#[pallet::constant]
		type TransferTimeout: Get<BlockNumberFor<Self>>;

		/// Number of distinct packs of a batch with clone alarms (second scans reported by
		/// licensed dispensers or regulators since the batch was last cleared) at which the batch
		/// is quarantined automatically.
		#[pallet::constant]
		type CloneAlarmThreshold: Get<u32>;

		/// Largest `code_count` of a batch.
		#[pallet::constant]
		type MaxCodesPerBatch: Get<u32>;

		/// Most transfers a batch can have over its life; this also bounds its holders (at most
		/// one more than its transfers) and its trace.
		#[pallet::constant]
		type MaxTransfersPerBatch: Get<u32>;

		/// Most batches in one recall.
		#[pallet::constant]
		type MaxBatchesPerRecall: Get<u32>;

		/// Blocks after a batch's expiry during which its trace (transfers, pack records,
		/// recall acknowledgements) must stay on chain; only then can it be retired.
		#[pallet::constant]
		type TraceRetention: Get<BlockNumberFor<Self>>;

		/// Most records one `retire_batch` call removes.
		#[pallet::constant]
		type RetireBatchLimit: Get<u32>;

		/// Priority of unsigned `verify_pack` transactions.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Blocks an unsigned `verify_pack` transaction stays valid in the pool.
		#[pallet::constant]
		type UnsignedLongevity: Get<TransactionLongevity>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a registered product.
		ProductDeposit,
		/// Deposit for a registered batch and its pack records.
		BatchDeposit,
		/// Deposit for a transfer record (a hop of a batch's trace), until the batch is retired.
		TransferDeposit,
		/// Deposit for an open suspect report; slashed if the regulator finds it unfounded.
		SuspectReportDeposit,
	}

	/// Licensed trading partners.
	#[pallet::storage]
	pub type Partners<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, PartnerOf<T>>;

	/// Registered products by GTIN.
	#[pallet::storage]
	pub type Products<T: Config> = StorageMap<_, Blake2_128Concat, Gtin, ProductOf<T>>;

	/// The id the next registered batch gets.
	#[pallet::storage]
	pub type NextBatchId<T: Config> = StorageValue<_, BatchId, ValueQuery>;

	/// Batches by id.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<_, Twox64Concat, BatchId, BatchOf<T>>;

	/// Batch id by GTIN and lot.
	#[pallet::storage]
	pub type BatchIds<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Gtin, Blake2_128Concat, Lot, BatchId>;

	/// Packs of a batch held by a partner; only non-zero holdings are stored.
	#[pallet::storage]
	pub type Holdings<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BatchId, Blake2_128Concat, T::AccountId, u32>;

	/// Transfers of a batch by index: the batch's trace.
	#[pallet::storage]
	pub type Transfers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BatchId, Twox64Concat, TransferIndex, TransferOf<T>>;

	/// Packs verified at least once, by batch and leaf.
	#[pallet::storage]
	pub type VerifiedPacks<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BatchId, Blake2_128Concat, H256, PackRecordOf<T>>;

	/// The open suspect report of a batch.
	#[pallet::storage]
	pub type SuspectReports<T: Config> = StorageMap<_, Twox64Concat, BatchId, SuspectReportOf<T>>;

	/// The recall of a batch.
	#[pallet::storage]
	pub type Recalls<T: Config> = StorageMap<_, Twox64Concat, BatchId, RecallOf<T>>;

	/// Recall acknowledgements by batch and holder, with the block.
	#[pallet::storage]
	pub type RecallAcks<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BatchId,
		Blake2_128Concat,
		T::AccountId,
		BlockNumberFor<T>,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A partner was licensed.
		PartnerRegistered {
			/// The partner.
			account: T::AccountId,
			/// Its role.
			role: PartnerRole,
			/// Its GLN.
			gln: Gln,
			/// Licence end block (exclusive).
			licensed_until: BlockNumberFor<T>,
		},
		/// A partner was suspended.
		PartnerSuspended {
			/// The partner.
			account: T::AccountId,
		},
		/// A suspended partner was reinstated.
		PartnerReinstated {
			/// The partner.
			account: T::AccountId,
		},
		/// A partner's licence end was changed.
		LicenceRenewed {
			/// The partner.
			account: T::AccountId,
			/// New licence end block (exclusive).
			licensed_until: BlockNumberFor<T>,
		},
		/// A product was registered.
		ProductRegistered {
			/// Its GTIN.
			gtin: Gtin,
			/// Its manufacturer.
			manufacturer: T::AccountId,
			/// Commitment to its master data.
			metadata_commitment: H256,
		},
		/// A product without batches was deregistered and its deposit released.
		ProductDeregistered {
			/// Its GTIN.
			gtin: Gtin,
		},
		/// A batch was registered; the manufacturer holds all of it.
		BatchRegistered {
			/// The new batch.
			batch_id: BatchId,
			/// Its product.
			gtin: Gtin,
			/// Its lot number.
			lot: Lot,
			/// Its manufacturer.
			manufacturer: T::AccountId,
			/// Packs registered.
			quantity: u32,
			/// Expiry block.
			expiry: BlockNumberFor<T>,
			/// Merkle root of the pack leaves.
			codes_root: H256,
			/// Number of leaves.
			code_count: u32,
		},
		/// Packs were dispatched; the transfer is pending.
		Dispatched {
			/// The batch.
			batch_id: BatchId,
			/// The transfer.
			transfer_index: TransferIndex,
			/// Sender.
			from: T::AccountId,
			/// Addressee.
			to: T::AccountId,
			/// Packs.
			quantity: u32,
			/// First block at which the transfer can no longer be received.
			expires_at: BlockNumberFor<T>,
		},
		/// The addressee received a transfer.
		Received {
			/// The batch.
			batch_id: BatchId,
			/// The transfer.
			transfer_index: TransferIndex,
			/// Sender.
			from: T::AccountId,
			/// Addressee, now holding the packs.
			to: T::AccountId,
			/// Packs.
			quantity: u32,
		},
		/// The addressee rejected a transfer; the packs went back to the sender.
		Rejected {
			/// The batch.
			batch_id: BatchId,
			/// The transfer.
			transfer_index: TransferIndex,
			/// Sender, holding the packs again.
			from: T::AccountId,
			/// Addressee.
			to: T::AccountId,
			/// Packs.
			quantity: u32,
		},
		/// A transfer expired unsettled; the packs went back to the sender.
		TransferExpired {
			/// The batch.
			batch_id: BatchId,
			/// The transfer.
			transfer_index: TransferIndex,
			/// Sender, holding the packs again.
			from: T::AccountId,
			/// Addressee.
			to: T::AccountId,
			/// Packs.
			quantity: u32,
		},
		/// A dispenser dispensed packs to patients.
		Dispensed {
			/// The batch.
			batch_id: BatchId,
			/// The dispenser.
			dispenser: T::AccountId,
			/// Packs.
			quantity: u32,
		},
		/// A holder destroyed packs.
		Destroyed {
			/// The batch.
			batch_id: BatchId,
			/// The holder.
			holder: T::AccountId,
			/// Packs.
			quantity: u32,
			/// Why.
			reason: DestructionReason,
		},
		/// Every pack of a batch is destroyed; its status is now `Destroyed`.
		BatchFullyDestroyed {
			/// The batch.
			batch_id: BatchId,
		},
		/// A pack was verified for the first time.
		PackVerified {
			/// The batch.
			batch_id: BatchId,
			/// The pack's leaf (never its serial or code).
			leaf: H256,
			/// Region given by the verifier.
			region: Option<RegionCode>,
			/// Use or do not use.
			verdict: PackVerdict,
		},
		/// A licensed dispenser or regulator scanned an already verified pack: its code may be
		/// cloned.
		CloneAlarmRaised {
			/// The batch.
			batch_id: BatchId,
			/// The pack's leaf.
			leaf: H256,
			/// The dispenser or regulator who reported the second scan.
			reporter: T::AccountId,
			/// When the pack was first verified.
			first_verified_at: BlockNumberFor<T>,
			/// Region of the first verification.
			first_region: Option<RegionCode>,
			/// Region given by this verifier.
			region: Option<RegionCode>,
			/// Alarms raised by this pack so far.
			alarms: u32,
			/// Distinct packs of the batch with alarms since it was last cleared.
			alarmed_packs: u32,
		},
		/// A batch was quarantined; the regulator must clear it or confirm it illegitimate.
		BatchQuarantined {
			/// The batch.
			batch_id: BatchId,
			/// Why.
			cause: QuarantineCause,
		},
		/// A partner reported a batch as suspect.
		SuspectReported {
			/// The batch.
			batch_id: BatchId,
			/// The reporter.
			reporter: T::AccountId,
			/// Commitment to the evidence.
			evidence_commitment: H256,
		},
		/// The regulator cleared a batch: the open report (if any) is closed and a quarantined
		/// batch is active again.
		SuspectCleared {
			/// The batch.
			batch_id: BatchId,
			/// Who cleared it.
			by: ActorOf<T>,
			/// Whether the batch went from quarantined to active.
			reactivated: bool,
		},
		/// The regulator cleared a report as unfounded: the reporter's deposit was slashed.
		ReportDepositSlashed {
			/// The batch.
			batch_id: BatchId,
			/// The reporter.
			reporter: T::AccountId,
			/// The amount slashed (burned).
			amount: BalanceOf<T>,
		},
		/// The regulator confirmed a quarantined batch illegitimate; it is recalled.
		IllegitimateConfirmed {
			/// The batch.
			batch_id: BatchId,
			/// Who confirmed.
			by: ActorOf<T>,
		},
		/// A batch was recalled; every holder must acknowledge.
		RecallInitiated {
			/// The batch.
			batch_id: BatchId,
			/// Who recalled.
			initiator: ActorOf<T>,
			/// Seriousness.
			class: RecallClass,
			/// Commitment to the recall notice.
			reason_commitment: H256,
		},
		/// A holder acknowledged a recall.
		RecallAcknowledged {
			/// The batch.
			batch_id: BatchId,
			/// The holder.
			holder: T::AccountId,
		},
		/// Records of a retiring batch were removed; more remain, call `retire_batch` again.
		BatchRetirementProgressed {
			/// The batch.
			batch_id: BatchId,
			/// Records removed by this call.
			removed: u32,
		},
		/// A batch was retired: its records are removed, its deposit released, and its record
		/// stays as a tombstone.
		BatchRetired {
			/// The batch.
			batch_id: BatchId,
			/// Records removed by this call.
			removed: u32,
			/// Deposit released to the manufacturer.
			deposit_released: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is not a registered partner.
		PartnerNotFound,
		/// The account is already a registered partner.
		PartnerAlreadyExists,
		/// The partner is suspended.
		PartnerSuspended,
		/// The partner's licence has ended.
		LicenceExpired,
		/// The licence end must be after the current block.
		InvalidLicencePeriod,
		/// The partner is already suspended.
		AlreadySuspended,
		/// The partner is not suspended.
		NotSuspended,
		/// The caller's role, ownership or addressee position does not allow this.
		NotAuthorized,
		/// The GLN is not 13 digits with a correct GS1 check digit.
		InvalidGln,
		/// The GTIN is not 14 digits with a correct GS1 check digit.
		InvalidGtin,
		/// The lot is empty or has characters outside GS1 character set 82.
		InvalidLot,
		/// No product has this GTIN.
		ProductNotFound,
		/// A product with this GTIN exists.
		ProductAlreadyExists,
		/// The product still has batches.
		ProductInUse,
		/// No batch has this id.
		BatchNotFound,
		/// The product already has a batch with this lot.
		BatchAlreadyExists,
		/// The expiry must be after the current block.
		InvalidExpiry,
		/// The quantity must be positive.
		ZeroQuantity,
		/// `code_count` must be at least the quantity and at most [`Config::MaxCodesPerBatch`].
		InvalidCodeCount,
		/// The batch is past its expiry.
		BatchExpired,
		/// The batch is quarantined.
		BatchQuarantined,
		/// The batch is recalled.
		BatchRecalled,
		/// The batch is destroyed.
		BatchDestroyed,
		/// The caller holds fewer packs of the batch than asked.
		InsufficientHoldings,
		/// The addressee is not an active partner (suspended or licence ended).
		RecipientInactive,
		/// A transfer to oneself.
		TransferToSelf,
		/// The batch reached [`Config::MaxTransfersPerBatch`].
		TooManyTransfers,
		/// No transfer has this index in the batch.
		TransferNotFound,
		/// The transfer is already received, rejected or expired.
		TransferNotPending,
		/// The transfer expired: it can only be expired with `expire_transfer`.
		TransferExpired,
		/// The transfer has not expired yet.
		TransferNotExpired,
		/// The serial, scratch code, salt and proof do not match the batch's codes root.
		InvalidProof,
		/// The pack was already verified (see its record for when and where); only an active
		/// licensed dispenser or regulator can report a second scan.
		AlreadyVerified,
		/// The batch already has an open suspect report.
		ReportAlreadyOpen,
		/// The batch is neither quarantined nor has an open report.
		NotQuarantined,
		/// The batch is not recalled.
		RecallNotFound,
		/// The caller holds no packs of the batch.
		NotHolder,
		/// The caller already acknowledged this recall.
		AlreadyAcknowledged,
		/// A recall needs at least one batch.
		NoBatches,
		/// A batch appears twice in the recall.
		DuplicateBatch,
		/// The batch is retiring or retired.
		BatchRetired,
		/// Packs of the batch are in transit: the transfers must be settled or expired first.
		BatchNotFinished,
		/// The batch's trace must be kept until [`Config::TraceRetention`] blocks after its
		/// expiry.
		RetentionNotOver,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::ProductDeposit::get().is_zero(), "ProductDeposit must be positive");
			assert!(!T::BatchDeposit::get().is_zero(), "BatchDeposit must be positive");
			assert!(!T::PackRecordDeposit::get().is_zero(), "PackRecordDeposit must be positive");
			assert!(!T::TransferDeposit::get().is_zero(), "TransferDeposit must be positive");
			assert!(
				!T::SuspectReportDeposit::get().is_zero(),
				"SuspectReportDeposit must be positive"
			);
			assert!(!T::TransferTimeout::get().is_zero(), "TransferTimeout must be positive");
			assert!(T::CloneAlarmThreshold::get() > 0, "CloneAlarmThreshold must be positive");
			assert!(T::MaxCodesPerBatch::get() > 0, "MaxCodesPerBatch must be positive");
			assert!(T::MaxTransfersPerBatch::get() > 0, "MaxTransfersPerBatch must be positive");
			assert!(T::MaxTransfersPerBatch::get() < u32::MAX, "holders must fit in a u32");
			assert!(T::MaxBatchesPerRecall::get() > 0, "MaxBatchesPerRecall must be positive");
			assert!(T::RetireBatchLimit::get() > 0, "RetireBatchLimit must be positive");
			assert!(T::UnsignedLongevity::get() > 0, "UnsignedLongevity must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// License `account` as a partner with `role`, GS1 location `gln`, licence document hash
		/// `licence_ref`, valid before block `licensed_until`.
		///
		/// Origin: [`Config::RegistrarOrigin`]. No deposit (the registrar adds partners).
		/// Emits [`Event::PartnerRegistered`]. Errors: [`Error::PartnerAlreadyExists`],
		/// [`Error::InvalidGln`], [`Error::InvalidLicencePeriod`] if `licensed_until` is not after
		/// the current block.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_partner())]
		pub fn register_partner(
			origin: OriginFor<T>,
			account: T::AccountId,
			role: PartnerRole,
			gln: Gln,
			licence_ref: H256,
			licensed_until: BlockNumberFor<T>,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_register_partner(account, role, gln, licence_ref, licensed_until)
		}

		/// Suspend `account`: it can no longer act until reinstated.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::PartnerSuspended`]. Errors:
		/// [`Error::PartnerNotFound`], [`Error::AlreadySuspended`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend_partner())]
		pub fn suspend_partner(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_set_suspended(account, true)
		}

		/// Lift the suspension of `account`.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::PartnerReinstated`]. Errors:
		/// [`Error::PartnerNotFound`], [`Error::NotSuspended`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reinstate_partner())]
		pub fn reinstate_partner(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_set_suspended(account, false)
		}

		/// Set the licence of `account` to end at block `licensed_until` (exclusive).
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::LicenceRenewed`]. Errors:
		/// [`Error::PartnerNotFound`], [`Error::InvalidLicencePeriod`] if `licensed_until` is not
		/// after the current block.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::renew_licence())]
		pub fn renew_licence(
			origin: OriginFor<T>,
			account: T::AccountId,
			licensed_until: BlockNumberFor<T>,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_renew_licence(account, licensed_until)
		}

		/// Register product `gtin` with a commitment to its master data.
		///
		/// Origin: signed active manufacturer or repackager. Holds [`Config::ProductDeposit`]
		/// until the product is deregistered. Emits [`Event::ProductRegistered`]. Errors:
		/// [`Error::PartnerNotFound`], [`Error::PartnerSuspended`], [`Error::LicenceExpired`],
		/// [`Error::NotAuthorized`] for other roles, [`Error::InvalidGtin`],
		/// [`Error::ProductAlreadyExists`]; a currency error if the deposit cannot be held.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::register_product())]
		pub fn register_product(
			origin: OriginFor<T>,
			gtin: Gtin,
			metadata_commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_product(who, gtin, metadata_commitment)
		}

		/// Deregister product `gtin`, which has no batches, and release its deposit.
		///
		/// Origin: signed owner of the product (licence not checked: this only frees storage).
		/// Emits [`Event::ProductDeregistered`]. Errors: [`Error::ProductNotFound`],
		/// [`Error::NotAuthorized`] if not the owner, [`Error::ProductInUse`] if it has batches.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::deregister_product())]
		pub fn deregister_product(origin: OriginFor<T>, gtin: Gtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister_product(who, gtin)
		}

		/// Register lot `lot` of product `gtin`: `quantity` packs expiring at block `expiry`,
		/// release certificate `certificate_hash`, and `codes_root`, the Merkle root of
		/// `code_count` pack leaves (see [`merkle`]). The caller holds the whole quantity.
		///
		/// Origin: signed active manufacturer owning the product. Holds [`Config::BatchDeposit`]
		/// plus `code_count` × [`Config::PackRecordDeposit`] for the life of the batch. Emits
		/// [`Event::BatchRegistered`]. Errors: [`Error::PartnerNotFound`],
		/// [`Error::PartnerSuspended`], [`Error::LicenceExpired`], [`Error::ProductNotFound`],
		/// [`Error::NotAuthorized`] if the caller does not own the product, [`Error::InvalidLot`],
		/// [`Error::BatchAlreadyExists`], [`Error::InvalidExpiry`] if `expiry` is not after the
		/// current block, [`Error::ZeroQuantity`], [`Error::InvalidCodeCount`],
		/// `ArithmeticError::Overflow`; a currency error if the deposit cannot be held.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::register_batch())]
		pub fn register_batch(
			origin: OriginFor<T>,
			gtin: Gtin,
			lot: Lot,
			expiry: BlockNumberFor<T>,
			quantity: u32,
			certificate_hash: H256,
			codes_root: H256,
			code_count: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_batch(
				who,
				gtin,
				lot,
				expiry,
				quantity,
				certificate_hash,
				codes_root,
				code_count,
			)
		}

		/// Dispatch `quantity` packs of `batch_id` to partner `to`, with a commitment to the
		/// shipment documents. The packs leave the caller's holding and are pending until `to`
		/// receives or rejects them, or until [`Config::TransferTimeout`] blocks have passed.
		///
		/// Origin: signed active partner holding the packs. Holds [`Config::TransferDeposit`]
		/// for the transfer record until the batch is retired. Emits [`Event::Dispatched`]. Errors:
		/// [`Error::PartnerNotFound`], [`Error::PartnerSuspended`], [`Error::LicenceExpired`],
		/// [`Error::BatchNotFound`], [`Error::BatchExpired`], [`Error::BatchQuarantined`],
		/// [`Error::BatchRecalled`], [`Error::BatchDestroyed`], [`Error::TransferToSelf`],
		/// [`Error::RecipientInactive`] (or [`Error::PartnerNotFound`] for an unknown `to`),
		/// [`Error::ZeroQuantity`], [`Error::InsufficientHoldings`], [`Error::TooManyTransfers`];
		/// a currency error if the deposit cannot be held.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::dispatch())]
		pub fn dispatch(
			origin: OriginFor<T>,
			batch_id: BatchId,
			to: T::AccountId,
			quantity: u32,
			shipment_commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispatch(who, batch_id, to, quantity, shipment_commitment)
		}

		/// Receive pending transfer `transfer_index` of `batch_id`: the packs join the caller's
		/// holding. The sender's deposit stays held for the trace record.
		///
		/// Origin: signed active partner, the addressee. Emits [`Event::Received`]. Errors:
		/// [`Error::TransferNotFound`], [`Error::TransferNotPending`], [`Error::NotAuthorized`]
		/// if not the addressee, [`Error::PartnerSuspended`], [`Error::LicenceExpired`],
		/// [`Error::TransferExpired`] from the transfer's `expires_at` block on,
		/// [`Error::BatchExpired`], [`Error::BatchQuarantined`], [`Error::BatchRecalled`],
		/// [`Error::BatchDestroyed`] (reject instead).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::receive())]
		pub fn receive(
			origin: OriginFor<T>,
			batch_id: BatchId,
			transfer_index: TransferIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_receive(who, batch_id, transfer_index)
		}

		/// Reject pending transfer `transfer_index` of `batch_id`: the packs return to the
		/// sender (whose deposit stays held for the trace record). Allowed whatever the batch
		/// status.
		///
		/// Origin: signed active partner, the addressee. Emits [`Event::Rejected`]. Errors:
		/// [`Error::TransferNotFound`], [`Error::TransferNotPending`], [`Error::NotAuthorized`],
		/// [`Error::PartnerSuspended`], [`Error::LicenceExpired`], [`Error::TransferExpired`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(
			origin: OriginFor<T>,
			batch_id: BatchId,
			transfer_index: TransferIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reject(who, batch_id, transfer_index)
		}

		/// Expire pending transfer `transfer_index` of `batch_id` once its `expires_at` block
		/// is reached: the packs return to the sender (whose deposit stays held for the trace
		/// record).
		///
		/// Origin: any signed account (permissionless cleanup). Emits
		/// [`Event::TransferExpired`]. Errors: [`Error::TransferNotFound`],
		/// [`Error::TransferNotPending`], [`Error::TransferNotExpired`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::expire_transfer())]
		pub fn expire_transfer(
			origin: OriginFor<T>,
			batch_id: BatchId,
			transfer_index: TransferIndex,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire_transfer(batch_id, transfer_index)
		}

		/// Record that `quantity` packs of `batch_id` held by the caller were dispensed to
		/// patients.
		///
		/// Origin: signed active dispenser. Emits [`Event::Dispensed`]. Errors:
		/// [`Error::PartnerNotFound`], [`Error::PartnerSuspended`], [`Error::LicenceExpired`],
		/// [`Error::NotAuthorized`] for other roles, [`Error::BatchNotFound`],
		/// [`Error::BatchExpired`], [`Error::BatchQuarantined`], [`Error::BatchRecalled`],
		/// [`Error::BatchDestroyed`], [`Error::ZeroQuantity`], [`Error::InsufficientHoldings`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::mark_dispensed())]
		pub fn mark_dispensed(
			origin: OriginFor<T>,
			batch_id: BatchId,
			quantity: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_mark_dispensed(who, batch_id, quantity)
		}

		/// Record that the caller destroyed `quantity` of its packs of `batch_id`, for `reason`.
		/// Allowed whatever the batch status. When every pack of the batch is destroyed the batch
		/// becomes `Destroyed`.
		///
		/// Origin: signed active partner holding the packs. Emits [`Event::Destroyed`], and
		/// [`Event::BatchFullyDestroyed`] for the last packs. Errors: [`Error::PartnerNotFound`],
		/// [`Error::PartnerSuspended`], [`Error::LicenceExpired`], [`Error::BatchNotFound`],
		/// [`Error::ZeroQuantity`], [`Error::InsufficientHoldings`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::destroy())]
		pub fn destroy(
			origin: OriginFor<T>,
			batch_id: BatchId,
			quantity: u32,
			reason: DestructionReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_destroy(who, batch_id, quantity, reason)
		}

		/// Verify the pack of `batch_id` whose label shows `serial` and, under the scratch-off
		/// surface, `scratch_code`; `salt` and `proof` come from the manufacturer's verification
		/// service; `region` is the ISO 3166-1 numeric code where the pack is, if the verifier
		/// shares it.
		///
		/// The leaf `H(serial ‖ scratch_code ‖ salt)` is recomputed and checked against the
		/// batch's `codes_root`. The first verification records the pack (block, region, and
		/// whether a licensed dispenser or regulator made it) and emits [`Event::PackVerified`]
		/// with the verdict: `Genuine`, or `DoNotUse` with the reason for a quarantined, recalled,
		/// expired or destroyed batch.
		///
		/// A pack is verified once. Its code is public from then on, so a repeat proves nothing:
		/// unsigned it is refused by the pool (`Stale`), signed by anyone else it fails with
		/// [`Error::AlreadyVerified`]; the record answers "already verified at block X". Only an
		/// active licensed dispenser or regulator, signing for a second physical scan, raises
		/// [`Event::CloneAlarmRaised`]; when [`Config::CloneAlarmThreshold`] distinct packs of an
		/// active batch have alarms, the batch is quarantined ([`Event::BatchQuarantined`]).
		///
		/// Origin: none (an unsigned first verification, free, validated in the pool; a bad proof
		/// or a repeat never reaches a block) or signed (the fee is refunded for a first
		/// verification). Errors: [`Error::BatchNotFound`], [`Error::BatchRetired`],
		/// [`Error::InvalidProof`], [`Error::AlreadyVerified`].
		#[pallet::call_index(13)]
		#[pallet::weight(Pallet::<T>::verify_pack_weight(proof.siblings.len()))]
		pub fn verify_pack(
			origin: OriginFor<T>,
			batch_id: BatchId,
			serial: Serial,
			scratch_code: ScratchCode,
			salt: Salt,
			proof: MerkleProof,
			region: Option<RegionCode>,
		) -> DispatchResultWithPostInfo {
			let who = match ensure_none(origin.clone()) {
				Ok(()) => None,
				Err(_) => Some(ensure_signed(origin)?),
			};
			let first =
				Self::do_verify_pack(who, batch_id, &serial, &scratch_code, &salt, &proof, region)?;
			Ok(if first { Pays::No } else { Pays::Yes }.into())
		}

		/// Report `batch_id` as suspect with a commitment to the evidence: the batch is
		/// quarantined until the regulator clears it or confirms it illegitimate.
		///
		/// Only a partner with custody of the batch may report: a regulator, the batch's
		/// manufacturer, a current holder, or the sender or addressee of transfer `custody` of
		/// the batch (an addressee of a transfer that expired unsettled never had the packs).
		///
		/// Origin: signed active partner. Holds [`Config::SuspectReportDeposit`] until the report
		/// is closed: returned if the regulator confirms it or clears it as made in good faith,
		/// slashed if it clears it as unfounded. Emits [`Event::SuspectReported`] and, if the
		/// batch was active, [`Event::BatchQuarantined`]. Errors: [`Error::PartnerNotFound`],
		/// [`Error::PartnerSuspended`], [`Error::LicenceExpired`], [`Error::BatchNotFound`],
		/// [`Error::TransferNotFound`] for an unknown `custody`, [`Error::NotAuthorized`] without
		/// custody, [`Error::BatchRecalled`], [`Error::BatchDestroyed`],
		/// [`Error::BatchRetired`], [`Error::ReportAlreadyOpen`]; a currency error if the deposit
		/// cannot be held.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::report_suspect())]
		pub fn report_suspect(
			origin: OriginFor<T>,
			batch_id: BatchId,
			evidence_commitment: H256,
			custody: Option<TransferIndex>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_suspect(who, batch_id, evidence_commitment, custody)
		}

		/// Clear `batch_id` after investigation: a quarantined batch becomes active again (its
		/// alarmed-pack count restarts from zero) and the open report, if any, is closed. With
		/// `finding` [`ReportFinding::GoodFaith`] the reporter's deposit is released; with
		/// [`ReportFinding::Unfounded`] it is slashed (burned): a false report costs its
		/// reporter.
		///
		/// Origin: [`Config::RegistrarOrigin`] or a signed active regulator partner. Emits
		/// [`Event::ReportDepositSlashed`] for an unfounded report, then
		/// [`Event::SuspectCleared`]. Errors: [`Error::NotAuthorized`] (or the partner errors)
		/// for other signed accounts, [`Error::BatchNotFound`], [`Error::NotQuarantined`] if the
		/// batch is neither quarantined nor reported.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::clear_suspect())]
		pub fn clear_suspect(
			origin: OriginFor<T>,
			batch_id: BatchId,
			finding: ReportFinding,
		) -> DispatchResult {
			let by = Self::ensure_regulator(origin)?;
			Self::do_clear_suspect(by, batch_id, finding)
		}

		/// Confirm quarantined `batch_id` illegitimate: it is recalled with `class` (every
		/// holder must acknowledge) and the open report, if any, is closed with its deposit
		/// released.
		///
		/// Origin: [`Config::RegistrarOrigin`] or a signed active regulator partner. Emits
		/// [`Event::IllegitimateConfirmed`] and [`Event::RecallInitiated`]. Errors:
		/// [`Error::NotAuthorized`] (or the partner errors) for other signed accounts,
		/// [`Error::BatchNotFound`], [`Error::NotQuarantined`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::confirm_illegitimate())]
		pub fn confirm_illegitimate(
			origin: OriginFor<T>,
			batch_id: BatchId,
			class: RecallClass,
			reason_commitment: H256,
		) -> DispatchResult {
			let by = Self::ensure_regulator(origin)?;
			Self::do_confirm_illegitimate(by, batch_id, class, reason_commitment)
		}

		/// Recall `batches` with `class` and a commitment to the recall notice. Each batch
		/// becomes `Recalled`: no dispatch, receipt or dispensing; every current holder must
		/// acknowledge with [`Pallet::ack_recall`].
		///
		/// Origin: [`Config::RegistrarOrigin`], a signed active regulator partner, or the signed
		/// active manufacturer of every batch. Emits [`Event::RecallInitiated`] per batch.
		/// Errors: [`Error::NoBatches`], [`Error::DuplicateBatch`], [`Error::BatchNotFound`],
		/// [`Error::NotAuthorized`], [`Error::BatchRecalled`], [`Error::BatchDestroyed`], and
		/// the partner errors for a signed caller.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::initiate_recall(batches.len() as u32))]
		pub fn initiate_recall(
			origin: OriginFor<T>,
			batches: BoundedVec<BatchId, T::MaxBatchesPerRecall>,
			class: RecallClass,
			reason_commitment: H256,
		) -> DispatchResult {
			let by = Self::ensure_registrar_or_partner(origin)?;
			Self::do_initiate_recall(by, batches, class, reason_commitment)
		}

		/// Acknowledge the recall of `batch_id` as a current holder.
		///
		/// Origin: signed registered partner holding packs of the batch; a suspended partner or
		/// one whose licence ended must still acknowledge. Emits [`Event::RecallAcknowledged`].
		/// Errors: [`Error::PartnerNotFound`], [`Error::RecallNotFound`], [`Error::NotHolder`],
		/// [`Error::AlreadyAcknowledged`].
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::ack_recall())]
		pub fn ack_recall(origin: OriginFor<T>, batch_id: BatchId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_ack_recall(who, batch_id)
		}

		/// Retire finished batch `batch_id`, releasing its deposit. A batch is finished when no
		/// pack is in transit, it is not quarantined nor under an open report, and
		/// [`Config::TraceRetention`] blocks have passed since its expiry. Packs still held then
		/// are written off as destroyed ([`Event::Destroyed`] with reason `Expired` per holder):
		/// a holder who never disposes of its packs, or can no longer act, cannot keep the
		/// deposits locked.
		///
		/// Each call removes up to [`Config::RetireBatchLimit`] of its records (pack records,
		/// transfers, whose senders get their transfer deposits back, holdings, recall
		/// acknowledgements); while some remain the batch is `Retiring` (it can no longer be
		/// verified, recalled or reported) and the caller calls again. The call that
		/// removes the last record releases the deposit and leaves the batch record, with its
		/// final counts and lot, as a `Retired` tombstone: the lot can never be registered again.
		///
		/// Origin: signed manufacturer of the batch. Emits [`Event::BatchRetirementProgressed`]
		/// or [`Event::BatchRetired`]. Errors: [`Error::BatchNotFound`], [`Error::NotAuthorized`]
		/// if not its manufacturer, [`Error::BatchRetired`] if already retired,
		/// [`Error::BatchQuarantined`], [`Error::BatchNotFinished`], [`Error::ReportAlreadyOpen`],
		/// [`Error::RetentionNotOver`].
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::retire_batch(T::RetireBatchLimit::get()))]
		pub fn retire_batch(origin: OriginFor<T>, batch_id: BatchId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let removed = Self::do_retire_batch(who, batch_id)?;
			Ok(Some(T::WeightInfo::retire_batch(removed)).into())
		}
	}

	/// Unsigned `verify_pack` transactions are checked here before they enter the pool or a
	/// block: an unknown or retired batch or a bad proof is rejected for free; a first
	/// verification provides the tag `(batch_id, leaf)` so that one pack is verified once per
	/// pool; a pack already verified is refused as `Stale` (a replay of public call data costs
	/// the chain nothing and raises nothing). A verified pack yields no further free
	/// transaction.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let Call::verify_pack { batch_id, serial, scratch_code, salt, proof, region: _ } = call
			else {
				return InvalidTransaction::Call.into();
			};
			Self::validate_verify_pack(*batch_id, serial, scratch_code, salt, proof)
		}
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Partners licensed at genesis.
		pub partners: Vec<GenesisPartner<T::AccountId, BlockNumberFor<T>>>,
		/// Products registered at genesis; their manufacturers must be genesis partners.
		pub products: Vec<GenesisProduct<T::AccountId>>,
		/// Batches registered at genesis, held by their product's manufacturer.
		pub batches: Vec<GenesisBatch<BlockNumberFor<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}
}
