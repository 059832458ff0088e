//! # DNA-wallet pallet
//!
//! A genome is the most private data a person has and cannot be changed once leaked. This pallet
//! keeps it encrypted off chain and puts on chain only what is needed to share it safely.
//!
//! ## Overview
//!
//! - **Keys**: every account registers public key-agreement keys (X25519, secp256k1, P-256), each
//!   with an id, creation block and revocation block. [`Pallet::rotate_key`] adds a new key and
//!   retires the old one atomically; [`Pallet::revoke_key`] marks a lost or leaked key revoked at
//!   once. A revoked key never receives new shares, and its shares are dead.
//! - **Datasets**: the owner registers a ciphertext hash, a format (VCF, CRAM, BAM, FASTQ, other),
//!   a size and an encrypted locator; the data key is at version 1.
//! - **Shares**: the owner wraps the dataset's data key to one of a recipient's live keys
//!   ([`Pallet::share_key`]); the chain never sees the data key. One share per (dataset,
//!   recipient). [`Pallet::rotate_data_key`] records that the owner re-encrypted the data under a
//!   new data key: the version increments and every share of an older version is dead, so
//!   revocation is real. Dead shares (older version, expired, or to a revoked key) are removable by
//!   anyone in small batches, the deposit going back to the owner.
//! - **Research**: [`Config::RegistrarOrigin`] registers research organisations and attested
//!   compute services. A research organisation creates a study with data-use terms (GA4GH DUO
//!   codes, commercial or not, accepted formats), an ethics-approval commitment and a budget held
//!   in escrow. The owner sets what uses a dataset allows; [`Pallet::consent`] (one per owner per
//!   study) checks the study's terms against them and, in the same call, records the share to the
//!   study's key and sets the price aside. The owner is paid once the organisation accepts
//!   ([`Pallet::accept_consent`]) or lets the acceptance window pass; a rejection
//!   ([`Pallet::reject_consent`]) can be disputed and the registrar decides
//!   ([`Pallet::resolve_dispute`]); both sides put up a consent deposit the loser forfeits.
//!   Withdrawing kills the share; payments are not clawed back. Closing returns the unused escrow;
//!   the registrar can force-close a study ([`Pallet::force_close_study`]). An aggregate-only
//!   study's shares go only to an attested compute service's key.
//! - **Guardian recovery**: an owner names M-of-N guardians; when M approve the same new key within
//!   [`Config::RecoveryApprovalWindow`] it waits [`Config::RecoveryDelay`] blocks (the owner can
//!   cancel) and then anyone registers it for the owner (within the window again), retiring the
//!   owner's other keys.
//!
//! Every stored item a user adds holds a deposit ([`HoldReason`]) released when it is removed.
//! Expiry and versions are checked on read, so no hook iterates storage, and every loop is
//! bounded by a [`Config`] constant.
//!
//! ## Terms
//!
//! - *Live share*: its version is the dataset's current data-key version, `now < expires_at`, the
//!   recipient's key is registered and not revoked, and (for a study's share) the recipient is a
//!   registered organisation. Otherwise *dead*.
//! - *Escrow*: the study budget, held from the organisation's account
//!   ([`HoldReason::StudyEscrow`]); each accepted consent transfers `price = budget /
//!   max_participants` from the hold to the owner. The rounding dust returns with the unused escrow
//!   at closing.
//! - *Crypto-shredding*: [`Pallet::remove_dataset`] removes the pointer and every share; the owner
//!   destroys the ciphertext and the data key off chain.
//!
//! ## Calls
//!
//! Keys: [`Pallet::register_key`], [`Pallet::rotate_key`], [`Pallet::revoke_key`],
//! [`Pallet::remove_key`]. Datasets: [`Pallet::register_dataset`], [`Pallet::set_allowed_uses`],
//! [`Pallet::share_key`], [`Pallet::revoke_share`], [`Pallet::rotate_data_key`],
//! [`Pallet::remove_dataset`], [`Pallet::remove_expired_shares`]. Research:
//! [`Pallet::register_organisation`], [`Pallet::deregister_organisation`],
//! [`Pallet::create_study`], [`Pallet::consent`], [`Pallet::withdraw_consent`],
//! [`Pallet::close_study`], [`Pallet::remove_study`], [`Pallet::accept_consent`],
//! [`Pallet::reject_consent`], [`Pallet::dispute_rejection`], [`Pallet::resolve_dispute`],
//! [`Pallet::settle_rejection`], [`Pallet::force_close_study`]. Recovery:
//! [`Pallet::set_guardians`], [`Pallet::remove_guardians`], [`Pallet::approve_recovery`],
//! [`Pallet::cancel_recovery`], [`Pallet::finish_recovery`].
//!
//! ## Read path
//!
//! [`Pallet::keys`], [`Pallet::datasets`], [`Pallet::shares`], [`Pallet::can_decrypt`] and
//! [`Pallet::studies`] back the `DnaWalletApi` runtime API (crate `pallet-dna-wallet-runtime-api`).

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

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::dna-wallet";

// The pallet macros expand, at the spans of our attributes, to fully qualified paths the prelude
// already imports (`core::marker::PhantomData`) and to `expect`s on the runtime's pallet info.
// The logic lives outside this module (`features/`, `common.rs`, `api.rs`, `genesis.rs`,
// `try_state.rs`), where both lints apply.
#[allow(unused_qualifications, clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits and study escrows are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that registers research organisations and attested compute services.
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit held from an account for each registered key, released when it is removed.
		#[pallet::constant]
		type KeyDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the owner for each dataset, released when it is removed.
		#[pallet::constant]
		type DatasetDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the dataset owner for each key share, released when the share is
		/// revoked, withdrawn, cleaned up or removed with its dataset.
		#[pallet::constant]
		type ShareDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the organisation for each study, released when the study is
		/// removed.
		#[pallet::constant]
		type StudyDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the organisation per participant a study can take (its consent
		/// record and owner entry), on top of [`Config::StudyDeposit`], released when the study
		/// is removed.
		#[pallet::constant]
		type StudyDepositPerParticipant: Get<BalanceOf<Self>>;

		/// Deposit held from an owner for each consent until it is settled, and from the
		/// organisation for each rejection while it can be disputed. Whoever loses a rejection
		/// (undisputed, or decided by the registrar) forfeits theirs to the other side.
		#[pallet::constant]
		type ConsentDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the owner for a guardian set and its recovery state, released
		/// when the guardians are removed.
		#[pallet::constant]
		type GuardianDeposit: Get<BalanceOf<Self>>;

		/// Maximum keys per account, revoked ones included until removed.
		#[pallet::constant]
		type MaxKeysPerAccount: Get<u32>;

		/// Maximum datasets per owner.
		#[pallet::constant]
		type MaxDatasetsPerOwner: Get<u32>;

		/// Maximum key shares per dataset, dead ones included until removed.
		#[pallet::constant]
		type MaxSharesPerDataset: Get<u32>;

		/// Maximum length in bytes of an encrypted locator.
		#[pallet::constant]
		type MaxLocatorLen: Get<u32>;

		/// Maximum length in bytes of a wrapped data key.
		#[pallet::constant]
		type MaxWrappedKeyLen: Get<u32>;

		/// Maximum data-use codes in a dataset's or a study's terms.
		#[pallet::constant]
		type MaxUseCodes: Get<u32>;

		/// Maximum participants of one study.
		#[pallet::constant]
		type MaxParticipants: Get<u32>;

		/// Maximum studies on chain (open or closed, until removed).
		#[pallet::constant]
		type MaxStudies: Get<u32>;

		/// Maximum studies one organisation has on chain (open or closed, until removed), so
		/// that no organisation fills [`Config::MaxStudies`].
		#[pallet::constant]
		type MaxStudiesPerOrganisation: Get<u32>;

		/// How many blocks an organisation has to accept or reject a consent; from then on
		/// anyone can accept it and it is paid.
		#[pallet::constant]
		type AcceptanceWindow: Get<BlockNumberFor<Self>>;

		/// How many blocks an owner has to dispute a rejection.
		#[pallet::constant]
		type DisputeWindow: Get<BlockNumberFor<Self>>;

		/// Maximum guardians per owner.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// Maximum shares one [`Pallet::remove_expired_shares`] call removes.
		#[pallet::constant]
		type MaxCleanupBatch: Get<u32>;

		/// How many blocks a recovery key approved by the guardians waits before it can be
		/// registered, during which the owner can cancel it.
		#[pallet::constant]
		type RecoveryDelay: Get<BlockNumberFor<Self>>;

		/// How many blocks a guardian's approval counts, and how many blocks after its delay a
		/// pending recovery key can be registered: stale approvals never combine with new ones.
		#[pallet::constant]
		type RecoveryApprovalWindow: Get<BlockNumberFor<Self>>;

		/// Weight information for the calls of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// A reason for this pallet placing a hold on funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A registered key's deposit.
		#[codec(index = 0)]
		KeyDeposit,
		/// A dataset's deposit.
		#[codec(index = 1)]
		DatasetDeposit,
		/// A key share's deposit.
		#[codec(index = 2)]
		ShareDeposit,
		/// A study's deposit.
		#[codec(index = 3)]
		StudyDeposit,
		/// A study's escrowed budget, paid out to consenting owners.
		#[codec(index = 4)]
		StudyEscrow,
		/// A guardian set's deposit.
		#[codec(index = 5)]
		GuardianDeposit,
		/// A consent's deposit (from the owner) or a rejection's (from the organisation).
		#[codec(index = 6)]
		ConsentDeposit,
	}

	/// The id the next key gets.
	#[pallet::storage]
	pub type NextKeyId<T: Config> = StorageValue<_, KeyId, ValueQuery>;

	/// The keys of each account, oldest first, revoked ones included until removed.
	#[pallet::storage]
	pub type Keys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, KeyListOf<T>, ValueQuery>;

	/// The id the next dataset gets.
	#[pallet::storage]
	pub type NextDatasetId<T: Config> = StorageValue<_, DatasetId, ValueQuery>;

	/// Datasets by id (ids are assigned by the pallet, hence `Twox64Concat`).
	#[pallet::storage]
	pub type Datasets<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, DatasetOf<T>, OptionQuery>;

	/// The dataset ids of each owner, oldest first.
	#[pallet::storage]
	pub type OwnerDatasets<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<DatasetId, T::MaxDatasetsPerOwner>,
		ValueQuery,
	>;

	/// Key shares: dataset → recipient → share. At most [`Config::MaxSharesPerDataset`] per
	/// dataset ([`Dataset::share_count`]).
	#[pallet::storage]
	pub type Shares<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		DatasetId,
		Blake2_128Concat,
		T::AccountId,
		ShareOf<T>,
		OptionQuery,
	>;

	/// Registered research organisations and attested compute services.
	#[pallet::storage]
	pub type Organisations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrganisationOf<T>, OptionQuery>;

	/// The id the next study gets.
	#[pallet::storage]
	pub type NextStudyId<T: Config> = StorageValue<_, StudyId, ValueQuery>;

	/// Studies by id, open or closed, until removed.
	#[pallet::storage]
	pub type Studies<T: Config> = StorageMap<_, Twox64Concat, StudyId, StudyOf<T>, OptionQuery>;

	/// How many studies each organisation has in [`Studies`] (at most
	/// [`Config::MaxStudiesPerOrganisation`]).
	#[pallet::storage]
	pub type OrganisationStudies<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The ids of all studies in [`Studies`], oldest first: what the read path lists.
	#[pallet::storage]
	pub type StudyIndex<T: Config> =
		StorageValue<_, BoundedVec<StudyId, T::MaxStudies>, ValueQuery>;

	/// Consents: study → dataset → consent. At most the study's `max_participants`.
	#[pallet::storage]
	pub type Consents<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		StudyId,
		Twox64Concat,
		DatasetId,
		ConsentOf<T>,
		OptionQuery,
	>;

	/// The dataset each owner consented to a study: one consent per (study, owner).
	#[pallet::storage]
	pub type StudyParticipants<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		StudyId,
		Blake2_128Concat,
		T::AccountId,
		DatasetId,
		OptionQuery,
	>;

	/// Guardian sets by owner.
	#[pallet::storage]
	pub type Guardians<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, GuardianSetOf<T>, OptionQuery>;

	/// Recoveries in progress by owner.
	#[pallet::storage]
	pub type Recoveries<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, RecoveryOf<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account registered a public key.
		KeyRegistered {
			/// The account.
			who: T::AccountId,
			/// The new key's id.
			key_id: KeyId,
			/// Its algorithm.
			key_type: KeyType,
		},
		/// An account replaced a key with a new one; the old one is retired.
		KeyRotated {
			/// The account.
			who: T::AccountId,
			/// The retired key.
			old_key_id: KeyId,
			/// The new key.
			new_key_id: KeyId,
		},
		/// An account revoked a key.
		KeyRevoked {
			/// The account.
			who: T::AccountId,
			/// The revoked key.
			key_id: KeyId,
		},
		/// An account removed a revoked key and got its deposit back.
		KeyRemoved {
			/// The account.
			who: T::AccountId,
			/// The removed key.
			key_id: KeyId,
		},
		/// An owner registered a dataset.
		DatasetRegistered {
			/// The new dataset's id.
			dataset: DatasetId,
			/// The owner.
			owner: T::AccountId,
			/// Its format.
			format: DatasetFormat,
			/// Hash of the ciphertext.
			ciphertext_hash: H256,
		},
		/// An owner changed the research uses a dataset allows.
		AllowedUsesSet {
			/// The dataset.
			dataset: DatasetId,
			/// The owner.
			owner: T::AccountId,
		},
		/// An owner shared a dataset's data key, wrapped to a recipient's key.
		KeyShared {
			/// The dataset.
			dataset: DatasetId,
			/// The recipient.
			recipient: T::AccountId,
			/// The recipient's key.
			recipient_key_id: KeyId,
			/// The data-key version shared.
			key_version: u32,
			/// Dead from this block on.
			expires_at: BlockNumberFor<T>,
			/// Why.
			purpose: SharePurpose,
		},
		/// An owner revoked a share.
		ShareRevoked {
			/// The dataset.
			dataset: DatasetId,
			/// The former recipient.
			recipient: T::AccountId,
		},
		/// An owner rotated a dataset's data key: every share of an older version is dead.
		DataKeyRotated {
			/// The dataset.
			dataset: DatasetId,
			/// The new data-key version.
			key_version: u32,
			/// Hash of the re-encrypted ciphertext.
			ciphertext_hash: H256,
		},
		/// An owner removed a dataset and all its shares (crypto-shredding).
		DatasetRemoved {
			/// The dataset.
			dataset: DatasetId,
			/// The owner.
			owner: T::AccountId,
			/// How many shares were removed with it.
			shares_removed: u32,
		},
		/// A dead share was removed by [`Pallet::remove_expired_shares`].
		DeadShareRemoved {
			/// The dataset.
			dataset: DatasetId,
			/// The former recipient.
			recipient: T::AccountId,
		},
		/// The registrar registered an organisation.
		OrganisationRegistered {
			/// The organisation's account.
			organisation: T::AccountId,
			/// Research or compute.
			kind: OrganisationKind,
		},
		/// The registrar deregistered an organisation.
		OrganisationDeregistered {
			/// The organisation's account.
			organisation: T::AccountId,
		},
		/// A research organisation created a study and escrowed its budget.
		StudyCreated {
			/// The new study's id.
			study: StudyId,
			/// The organisation.
			organisation: T::AccountId,
			/// The escrowed budget.
			budget: BalanceOf<T>,
			/// Payment per participant.
			price: BalanceOf<T>,
			/// Participants paid for at most.
			max_participants: u32,
			/// Direct or aggregate-only.
			mode: StudyMode,
			/// Whose key receives the shares.
			recipient: T::AccountId,
			/// Consents are accepted before this block.
			expires_at: BlockNumberFor<T>,
		},
		/// An owner consented a dataset to a study: the share to the study's key is recorded
		/// and the price set aside; it is paid once the consent is accepted.
		ConsentGiven {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
			/// The owner.
			owner: T::AccountId,
			/// Whose key received the share.
			recipient: T::AccountId,
			/// The data-key version shared.
			key_version: u32,
			/// The organisation accepts or rejects before this block; from it on anyone can
			/// accept.
			accept_by: BlockNumberFor<T>,
		},
		/// A consent was accepted and the owner paid from the escrow.
		ConsentAccepted {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
			/// The owner, who was paid.
			owner: T::AccountId,
			/// What was paid.
			paid: BalanceOf<T>,
		},
		/// The organisation rejected a consent; the study's share is gone.
		ConsentRejected {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
			/// Hash of the organisation's reason.
			reason: H256,
			/// The owner can dispute before this block.
			dispute_by: BlockNumberFor<T>,
		},
		/// The owner disputed a rejection; the registrar decides.
		RejectionDisputed {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
		},
		/// The registrar decided a disputed rejection.
		DisputeResolved {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
			/// The owner won: paid, and given the organisation's rejection deposit. Otherwise
			/// the rejection stands and the organisation got the owner's consent deposit.
			owner_wins: bool,
		},
		/// An undisputed rejection stood after the dispute window: not paid, the owner's consent
		/// deposit went to the organisation.
		RejectionSettled {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
		},
		/// An owner withdrew a consent; the share is gone, a payment made stays.
		ConsentWithdrawn {
			/// The study.
			study: StudyId,
			/// The dataset.
			dataset: DatasetId,
			/// The owner.
			owner: T::AccountId,
		},
		/// The registrar closed a study (its unused escrow went back to the organisation).
		StudyForceClosed {
			/// The study.
			study: StudyId,
		},
		/// A study was closed and its unused escrow returned to the organisation.
		StudyClosed {
			/// The study.
			study: StudyId,
			/// What went back to the organisation.
			refunded: BalanceOf<T>,
		},
		/// A closed study and its consent records were removed.
		StudyRemoved {
			/// The study.
			study: StudyId,
			/// How many consent records were removed.
			consents_removed: u32,
		},
		/// An owner set (or replaced) their guardians.
		GuardiansSet {
			/// The owner.
			owner: T::AccountId,
			/// The guardians, sorted.
			guardians: GuardianListOf<T>,
			/// Approvals needed.
			threshold: u32,
		},
		/// An owner removed their guardians.
		GuardiansRemoved {
			/// The owner.
			owner: T::AccountId,
		},
		/// A guardian approved a recovery key that needs more approvals.
		RecoveryApproved {
			/// The owner.
			owner: T::AccountId,
			/// The guardian.
			guardian: T::AccountId,
			/// `blake2_256` of the approved public key.
			key_hash: H256,
			/// Approvals of this key so far.
			approvals: u32,
		},
		/// A recovery key reached the threshold; it can be registered from `ready_at`.
		RecoveryInitiated {
			/// The owner.
			owner: T::AccountId,
			/// `blake2_256` of the public key.
			key_hash: H256,
			/// [`Pallet::finish_recovery`] works from this block on.
			ready_at: BlockNumberFor<T>,
		},
		/// The owner cancelled the recovery in progress.
		RecoveryCancelled {
			/// The owner.
			owner: T::AccountId,
		},
		/// A recovery key was registered for the owner; their other keys are retired.
		RecoveryFinished {
			/// The owner.
			owner: T::AccountId,
			/// The new key.
			key_id: KeyId,
			/// How many live keys were retired.
			retired: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The public key has a length or prefix its key type cannot have.
		InvalidPublicKey,
		/// The account already registered this public key.
		KeyAlreadyExists,
		/// The account has [`Config::MaxKeysPerAccount`] keys.
		TooManyKeys,
		/// The account has no key with this id.
		KeyNotFound,
		/// The key is revoked.
		KeyRevoked,
		/// Only a revoked key can be removed.
		KeyNotRevoked,
		/// The ciphertext hash is zero, or unchanged by a rotation.
		InvalidCiphertextHash,
		/// The encrypted locator is empty.
		InvalidLocator,
		/// The owner has [`Config::MaxDatasetsPerOwner`] datasets.
		TooManyDatasets,
		/// No dataset with this id.
		DatasetNotFound,
		/// The caller is not the dataset's owner or the study's organisation.
		NotAuthorized,
		/// The wrapped key is empty.
		InvalidWrappedKey,
		/// The study, share, acceptance window or pending recovery key has expired, or
		/// `expires_at` is not in the future.
		Expired,
		/// The dataset has [`Config::MaxSharesPerDataset`] shares.
		TooManyShares,
		/// No share of this dataset to this recipient.
		ShareNotFound,
		/// The share still decrypts the current ciphertext.
		ShareLive,
		/// The recipient holds a share given through a study consent, or (for a consent) another
		/// share of this dataset; one share per (dataset, recipient).
		ShareAlreadyExists,
		/// The same recipient is listed twice.
		DuplicateTarget,
		/// The account is already a registered organisation.
		OrganisationAlreadyExists,
		/// The account is not a registered organisation.
		OrganisationNotFound,
		/// Only a registered research organisation creates studies.
		NotResearchOrganisation,
		/// A direct study's recipient must be the organisation itself, an aggregate-only study's
		/// a registered compute service.
		RecipientNotAllowed,
		/// The terms name no research use, or the study accepts no format.
		EmptyTerms,
		/// The ethics commitment is zero.
		InvalidCommitment,
		/// `max_participants` is zero or above [`Config::MaxParticipants`].
		InvalidParticipants,
		/// The budget pays less than one unit per participant.
		InvalidBudget,
		/// There are [`Config::MaxStudies`] studies.
		TooManyStudies,
		/// The organisation has [`Config::MaxStudiesPerOrganisation`] studies.
		TooManyOrganisationStudies,
		/// The organisation still has studies on chain; the registrar force-closes them first.
		OrganisationHasStudies,
		/// No study with this id.
		StudyNotFound,
		/// The study is closed.
		StudyClosed,
		/// The study is open; close it first.
		StudyOpen,
		/// The study has all its participants.
		StudyFull,
		/// The dataset, or another dataset of the owner, already consented to this study.
		AlreadyConsented,
		/// The consent is not waiting for acceptance.
		ConsentNotPending,
		/// The consent is not rejected (or its rejection can no longer be disputed).
		ConsentNotRejected,
		/// The consent is not disputed.
		ConsentNotDisputed,
		/// The consent was rejected; it is settled through the dispute path.
		ConsentRejected,
		/// The acceptance window is still open: only the organisation accepts.
		AcceptanceWindowOpen,
		/// The dispute window is still open.
		DisputeWindowOpen,
		/// The study has unsettled consents (pending, rejected or disputed).
		ConsentsPending,
		/// The rejection reason hash is zero.
		ZeroReason,
		/// No consent of this dataset to this study.
		ConsentNotFound,
		/// The consent was already withdrawn.
		ConsentWithdrawn,
		/// The study does not accept the dataset's format.
		FormatNotAccepted,
		/// The study's terms ask for a use the owner does not allow.
		UseNotAllowed,
		/// The owner has no guardians.
		GuardiansNotFound,
		/// The threshold is zero or larger than the number of guardians.
		InvalidThreshold,
		/// An owner cannot be their own guardian.
		CannotTargetSelf,
		/// A guardian is listed twice.
		DuplicateGuardian,
		/// The caller is not a guardian of the owner.
		NotGuardian,
		/// A recovery key already reached the threshold and waits out the delay.
		RecoveryPending,
		/// No recovery (or no pending recovery key) for this owner.
		RecoveryNotFound,
		/// The recovery delay has not passed yet.
		RecoveryNotReady,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Keys registered at genesis: `(account, key type, public key)`. The deposit is held
		/// from the account.
		pub keys: Vec<(T::AccountId, KeyType, Vec<u8>)>,
		/// Organisations registered at genesis: `(account, kind)`.
		pub organisations: Vec<(T::AccountId, OrganisationKind)>,
		/// Datasets registered at genesis: `(owner, ciphertext hash, format, size, encrypted
		/// locator, allowed research uses)`; commercial use not allowed. The deposit is held
		/// from the owner.
		pub datasets: Vec<(T::AccountId, H256, DatasetFormat, u64, Vec<u8>, Vec<DataUse>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use sp_runtime::traits::Zero;
			assert!(!T::KeyDeposit::get().is_zero(), "KeyDeposit must be non-zero");
			assert!(!T::DatasetDeposit::get().is_zero(), "DatasetDeposit must be non-zero");
			assert!(!T::ShareDeposit::get().is_zero(), "ShareDeposit must be non-zero");
			assert!(!T::StudyDeposit::get().is_zero(), "StudyDeposit must be non-zero");
			assert!(!T::GuardianDeposit::get().is_zero(), "GuardianDeposit must be non-zero");
			assert!(T::MaxKeysPerAccount::get() > 1, "MaxKeysPerAccount must allow a rotation");
			assert!(T::MaxDatasetsPerOwner::get() > 0, "MaxDatasetsPerOwner must be non-zero");
			assert!(T::MaxSharesPerDataset::get() > 0, "MaxSharesPerDataset must be non-zero");
			assert!(T::MaxLocatorLen::get() > 0, "MaxLocatorLen must be non-zero");
			assert!(T::MaxWrappedKeyLen::get() > 0, "MaxWrappedKeyLen must be non-zero");
			assert!(T::MaxUseCodes::get() > 0, "MaxUseCodes must be non-zero");
			assert!(T::MaxParticipants::get() > 0, "MaxParticipants must be non-zero");
			assert!(T::MaxStudies::get() > 0, "MaxStudies must be non-zero");
			assert!(T::MaxGuardians::get() > 0, "MaxGuardians must be non-zero");
			assert!(T::MaxCleanupBatch::get() > 0, "MaxCleanupBatch must be non-zero");
			assert!(!T::RecoveryDelay::get().is_zero(), "RecoveryDelay must be non-zero");
			assert!(!T::ConsentDeposit::get().is_zero(), "ConsentDeposit must be non-zero");
			assert!(
				T::MaxStudiesPerOrganisation::get() > 0,
				"MaxStudiesPerOrganisation must be non-zero"
			);
			assert!(!T::AcceptanceWindow::get().is_zero(), "AcceptanceWindow must be non-zero");
			assert!(!T::DisputeWindow::get().is_zero(), "DisputeWindow must be non-zero");
			assert!(
				!T::RecoveryApprovalWindow::get().is_zero(),
				"RecoveryApprovalWindow must be non-zero"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a public key-agreement key of the caller.
		///
		/// Origin: signed. Holds [`Config::KeyDeposit`] until the key is removed. Emits
		/// [`Event::KeyRegistered`]. Errors: [`Error::InvalidPublicKey`],
		/// [`Error::KeyAlreadyExists`], [`Error::TooManyKeys`] at
		/// [`Config::MaxKeysPerAccount`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_key())]
		pub fn register_key(
			origin: OriginFor<T>,
			public_key: PublicKey,
			key_type: KeyType,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_key(who, public_key, key_type).map(|_| ())
		}

		/// Replace the caller's live key `old_key_id` with a new key, atomically: the new key is
		/// registered and the old one retired (revoked) in the same call. Shares to the old key
		/// are dead; the owners re-share to the new one.
		///
		/// Origin: signed. Holds [`Config::KeyDeposit`] for the new key. Emits
		/// [`Event::KeyRotated`]. Errors: [`Error::KeyNotFound`], [`Error::KeyRevoked`], and
		/// those of [`Pallet::register_key`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::rotate_key())]
		pub fn rotate_key(
			origin: OriginFor<T>,
			old_key_id: KeyId,
			public_key: PublicKey,
			key_type: KeyType,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_key(who, old_key_id, public_key, key_type)
		}

		/// Revoke the caller's key `key_id` (lost or leaked), effective at once: it receives no
		/// new shares and its shares are dead.
		///
		/// Origin: signed. Emits [`Event::KeyRevoked`]. Errors: [`Error::KeyNotFound`],
		/// [`Error::KeyRevoked`] if already revoked.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revoke_key())]
		pub fn revoke_key(origin: OriginFor<T>, key_id: KeyId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_key(who, key_id)
		}

		/// Remove the caller's revoked key `key_id`, freeing its slot.
		///
		/// Origin: signed. Releases the key deposit. Emits [`Event::KeyRemoved`]. Errors:
		/// [`Error::KeyNotFound`], [`Error::KeyNotRevoked`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_key())]
		pub fn remove_key(origin: OriginFor<T>, key_id: KeyId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_key(who, key_id)
		}

		/// Register a dataset of the caller: the hash of its ciphertext, its format, size and
		/// an encrypted locator. The data key is at version 1; no research use is allowed until
		/// [`Pallet::set_allowed_uses`].
		///
		/// Origin: signed owner. Holds [`Config::DatasetDeposit`] until the dataset is removed.
		/// Emits [`Event::DatasetRegistered`]. Errors: [`Error::InvalidCiphertextHash`],
		/// [`Error::InvalidLocator`], [`Error::TooManyDatasets`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::register_dataset())]
		pub fn register_dataset(
			origin: OriginFor<T>,
			ciphertext_hash: H256,
			format: DatasetFormat,
			size: u64,
			encrypted_locator: LocatorOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_dataset(owner, ciphertext_hash, format, size, encrypted_locator)
				.map(|_| ())
		}

		/// Set the research uses `dataset` allows; [`Pallet::consent`] accepts only studies
		/// whose terms they cover. Existing consents are not affected.
		///
		/// Origin: signed owner. Emits [`Event::AllowedUsesSet`]. Errors:
		/// [`Error::DatasetNotFound`], [`Error::NotAuthorized`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_allowed_uses())]
		pub fn set_allowed_uses(
			origin: OriginFor<T>,
			dataset: DatasetId,
			allowed: UseTermsOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_set_allowed_uses(owner, dataset, allowed)
		}

		/// Share `dataset`'s current data key with `recipient`: `wrapped_key` is the data key
		/// encrypted to the recipient's live key `recipient_key_id` (the chain never sees the
		/// data key). Replaces an earlier direct share to `recipient` (e.g. after a rotation).
		///
		/// Origin: signed owner. Holds [`Config::ShareDeposit`] from the owner until the share
		/// is removed (kept when replacing). Emits [`Event::KeyShared`]. Errors:
		/// [`Error::DatasetNotFound`], [`Error::NotAuthorized`], [`Error::InvalidWrappedKey`],
		/// [`Error::Expired`] if `expires_at` is not in the future, [`Error::KeyNotFound`],
		/// [`Error::KeyRevoked`], [`Error::ShareAlreadyExists`] over a study's share,
		/// [`Error::TooManyShares`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::share_key())]
		pub fn share_key(
			origin: OriginFor<T>,
			dataset: DatasetId,
			recipient: T::AccountId,
			recipient_key_id: KeyId,
			wrapped_key: WrappedKeyOf<T>,
			expires_at: BlockNumberFor<T>,
			purpose: SharePurpose,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_share_key(
				owner,
				dataset,
				recipient,
				recipient_key_id,
				wrapped_key,
				expires_at,
				purpose,
			)
		}

		/// Revoke the share of `dataset` to `recipient`, effective at once (any share, a
		/// study's included; the consent record stays).
		///
		/// Origin: signed owner. Releases the share deposit. Emits [`Event::ShareRevoked`].
		/// Errors: [`Error::DatasetNotFound`], [`Error::NotAuthorized`], [`Error::ShareNotFound`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_share())]
		pub fn revoke_share(
			origin: OriginFor<T>,
			dataset: DatasetId,
			recipient: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_revoke_share(owner, dataset, recipient)
		}

		/// Record that the owner re-encrypted `dataset` under a new data key: the ciphertext
		/// hash becomes `new_ciphertext_hash` and the data-key version increments, so every
		/// existing share is dead. The owner re-shares to whoever should keep access.
		///
		/// Origin: signed owner. Emits [`Event::DataKeyRotated`]. Errors:
		/// [`Error::DatasetNotFound`], [`Error::NotAuthorized`],
		/// [`Error::InvalidCiphertextHash`] if zero or unchanged.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::rotate_data_key())]
		pub fn rotate_data_key(
			origin: OriginFor<T>,
			dataset: DatasetId,
			new_ciphertext_hash: H256,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_rotate_data_key(owner, dataset, new_ciphertext_hash)
		}

		/// Remove `dataset` and all its shares (at most [`Config::MaxSharesPerDataset`], so the
		/// call is bounded): crypto-shredding, the owner destroys ciphertext and data key off
		/// chain. Consent records stay with their studies.
		///
		/// Origin: signed owner. Releases the dataset and share deposits. Emits
		/// [`Event::DatasetRemoved`]. Errors: [`Error::DatasetNotFound`],
		/// [`Error::NotAuthorized`]. Weight: charged for the maximum number of shares, refunded
		/// down to the shares removed.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_dataset(T::MaxSharesPerDataset::get()))]
		pub fn remove_dataset(
			origin: OriginFor<T>,
			dataset: DatasetId,
		) -> DispatchResultWithPostInfo {
			let owner = ensure_signed(origin)?;
			let removed = Self::do_remove_dataset(owner, dataset)?;
			Ok(Some(T::WeightInfo::remove_dataset(removed)).into())
		}

		/// Remove dead shares of `dataset` (older data-key version, expired, to a revoked or
		/// removed key, or a study's share to a deregistered organisation), returning their
		/// deposits to the owner. All are checked before any is removed.
		///
		/// Origin: any signed account. Emits [`Event::DeadShareRemoved`] per share. Errors:
		/// [`Error::DatasetNotFound`], [`Error::DuplicateTarget`], [`Error::ShareNotFound`],
		/// [`Error::ShareLive`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::remove_expired_shares(recipients.len() as u32))]
		pub fn remove_expired_shares(
			origin: OriginFor<T>,
			dataset: DatasetId,
			recipients: BoundedVec<T::AccountId, T::MaxCleanupBatch>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_remove_expired_shares(dataset, recipients)
		}

		/// Register `organisation` as a research organisation or an attested compute service.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::OrganisationRegistered`].
		/// Errors: [`Error::OrganisationAlreadyExists`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::register_organisation())]
		pub fn register_organisation(
			origin: OriginFor<T>,
			organisation: T::AccountId,
			kind: OrganisationKind,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_register_organisation(organisation, kind)
		}

		/// Deregister `organisation`: it creates no more studies and, as a compute service,
		/// receives no more consents; the study shares it holds are dead at once. Refused while the
		/// organisation has studies on chain: the registrar force-closes them first
		/// ([`Pallet::force_close_study`]), so no study is left behind without its organisation.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::OrganisationDeregistered`].
		/// Errors: [`Error::OrganisationNotFound`], [`Error::OrganisationHasStudies`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::deregister_organisation())]
		pub fn deregister_organisation(
			origin: OriginFor<T>,
			organisation: T::AccountId,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_deregister_organisation(organisation)
		}

		/// Create a study paying `budget / max_participants` per consenting dataset until
		/// `expires_at`, for research under `terms` on datasets of `formats`, with the ethics
		/// approval committed to by `ethics_commitment`. Participants' data keys are wrapped to
		/// `recipient`'s key `recipient_key_id`: the caller's own key (`Direct`) or a registered
		/// compute service's key (`AggregateOnly`).
		///
		/// Origin: signed registered research organisation. Holds `budget` as escrow
		/// ([`HoldReason::StudyEscrow`]) and [`Config::StudyDeposit`] plus
		/// [`Config::StudyDepositPerParticipant`] × `max_participants`. Emits
		/// [`Event::StudyCreated`]. Errors: [`Error::OrganisationNotFound`],
		/// [`Error::NotResearchOrganisation`], [`Error::EmptyTerms`],
		/// [`Error::InvalidCommitment`], [`Error::InvalidParticipants`],
		/// [`Error::InvalidBudget`], [`Error::Expired`], [`Error::RecipientNotAllowed`],
		/// [`Error::KeyNotFound`], [`Error::KeyRevoked`], [`Error::TooManyStudies`],
		/// [`Error::TooManyOrganisationStudies`] at [`Config::MaxStudiesPerOrganisation`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::create_study())]
		pub fn create_study(
			origin: OriginFor<T>,
			terms: UseTermsOf<T>,
			formats: FormatList,
			ethics_commitment: H256,
			budget: BalanceOf<T>,
			max_participants: u32,
			mode: StudyMode,
			recipient: T::AccountId,
			recipient_key_id: KeyId,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let organisation = ensure_signed(origin)?;
			Self::do_create_study(
				organisation,
				terms,
				formats,
				ethics_commitment,
				budget,
				max_participants,
				mode,
				recipient,
				recipient_key_id,
				expires_at,
			)
			.map(|_| ())
		}

		/// Consent `dataset` to `study`. Only if the study accepts the dataset's format and the
		/// owner's allowed uses cover the study's terms, and the owner has no other consent to
		/// the study; then, atomically: the share of the current data key wrapped to the
		/// study's key (`wrapped_key`, purpose research, expiring with the study) is recorded
		/// and the study's price set aside in the escrow. Nothing is paid yet: the organisation
		/// checks that the wrapped key opens the ciphertext and accepts
		/// ([`Pallet::accept_consent`]) or rejects ([`Pallet::reject_consent`]) within
		/// [`Config::AcceptanceWindow`]; after that anyone can accept and the owner is paid.
		///
		/// Origin: signed owner. Holds [`Config::ShareDeposit`] and [`Config::ConsentDeposit`]
		/// from the owner. Emits [`Event::ConsentGiven`]. Errors: [`Error::DatasetNotFound`],
		/// [`Error::NotAuthorized`], [`Error::StudyNotFound`], [`Error::StudyClosed`],
		/// [`Error::Expired`], [`Error::StudyFull`], [`Error::AlreadyConsented`] (this dataset
		/// or another of the owner's),
		/// [`Error::FormatNotAccepted`], [`Error::UseNotAllowed`],
		/// [`Error::OrganisationNotFound`] (compute service deregistered),
		/// [`Error::InvalidWrappedKey`], [`Error::KeyNotFound`], [`Error::KeyRevoked`],
		/// [`Error::ShareAlreadyExists`], [`Error::TooManyShares`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::consent())]
		pub fn consent(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
			wrapped_key: WrappedKeyOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_consent(owner, study, dataset, wrapped_key)
		}

		/// Withdraw the consent of `dataset` to `study`: the study's share dies at once (if it
		/// is still the study's). A payment made is not clawed back; a consent not accepted yet
		/// is cancelled, will not be paid, and its consent deposit goes to the organisation (as
		/// if its rejection stood: withdrawing ahead of a rejection does not make junk free).
		///
		/// Origin: signed owner who consented. Releases the share deposit. Emits
		/// [`Event::ConsentWithdrawn`]. Errors: [`Error::ConsentNotFound`],
		/// [`Error::NotAuthorized`], [`Error::ConsentWithdrawn`], [`Error::ConsentRejected`] (a
		/// rejected consent is settled through the dispute path).
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::withdraw_consent())]
		pub fn withdraw_consent(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_withdraw_consent(owner, study, dataset)
		}

		/// Close `study`: it takes no more consents and the unused escrow (rounding dust
		/// included) returns to the organisation; the price of each unsettled consent stays
		/// held until it is settled. Shares already given stay until they expire or are
		/// withdrawn.
		///
		/// Origin: signed organisation of the study. Emits [`Event::StudyClosed`]. Errors:
		/// [`Error::StudyNotFound`], [`Error::NotAuthorized`], [`Error::StudyClosed`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::close_study())]
		pub fn close_study(origin: OriginFor<T>, study: StudyId) -> DispatchResult {
			let organisation = ensure_signed(origin)?;
			Self::do_close_study(organisation, study)
		}

		/// Remove the closed `study` and its consent records (at most its `max_participants`)
		/// once every consent is settled. Owners can still revoke the study's shares with
		/// [`Pallet::revoke_share`].
		///
		/// Origin: signed organisation of the study. Releases the study deposit. Emits
		/// [`Event::StudyRemoved`]. Errors: [`Error::StudyNotFound`], [`Error::NotAuthorized`],
		/// [`Error::StudyOpen`], [`Error::ConsentsPending`]. Weight: charged for
		/// [`Config::MaxParticipants`] consents, refunded down to those removed.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::remove_study(T::MaxParticipants::get()))]
		pub fn remove_study(origin: OriginFor<T>, study: StudyId) -> DispatchResultWithPostInfo {
			let organisation = ensure_signed(origin)?;
			let removed = Self::do_remove_study(organisation, study)?;
			Ok(Some(T::WeightInfo::remove_study(removed)).into())
		}

		/// Set the caller's guardians: any `threshold` of `guardians` approving the same new
		/// key start a recovery. Replaces an earlier set and cancels a recovery in progress.
		///
		/// Origin: signed owner. Holds [`Config::GuardianDeposit`] until removed (kept when
		/// replacing). Emits [`Event::GuardiansSet`]. Errors: [`Error::InvalidThreshold`],
		/// [`Error::CannotTargetSelf`], [`Error::DuplicateGuardian`].
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::set_guardians(guardians.len() as u32))]
		pub fn set_guardians(
			origin: OriginFor<T>,
			guardians: GuardianListOf<T>,
			threshold: u32,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_set_guardians(owner, guardians, threshold)
		}

		/// Remove the caller's guardians and any recovery in progress.
		///
		/// Origin: signed owner. Releases the guardian deposit. Emits
		/// [`Event::GuardiansRemoved`]. Errors: [`Error::GuardiansNotFound`].
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::remove_guardians())]
		pub fn remove_guardians(origin: OriginFor<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_remove_guardians(owner)
		}

		/// Approve `public_key` as `owner`'s recovery key (replacing the caller's earlier
		/// approval). An approval counts for [`Config::RecoveryApprovalWindow`] blocks; when
		/// `threshold` guardians approved the same key within it, the key becomes pending and
		/// can be registered after [`Config::RecoveryDelay`] blocks (and for
		/// [`Config::RecoveryApprovalWindow`] blocks after that). A pending key that was not
		/// registered in time is dropped by the next approval.
		///
		/// Origin: signed guardian of `owner`. Emits [`Event::RecoveryApproved`], or
		/// [`Event::RecoveryInitiated`] at the threshold. Errors: [`Error::GuardiansNotFound`],
		/// [`Error::NotGuardian`], [`Error::InvalidPublicKey`], [`Error::KeyAlreadyExists`],
		/// [`Error::RecoveryPending`].
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::approve_recovery())]
		pub fn approve_recovery(
			origin: OriginFor<T>,
			owner: T::AccountId,
			public_key: PublicKey,
			key_type: KeyType,
		) -> DispatchResult {
			let guardian = ensure_signed(origin)?;
			Self::do_approve_recovery(guardian, owner, public_key, key_type)
		}

		/// Cancel the recovery in progress for the caller (approvals and a pending key).
		///
		/// Origin: signed owner. Emits [`Event::RecoveryCancelled`]. Errors:
		/// [`Error::RecoveryNotFound`].
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::cancel_recovery())]
		pub fn cancel_recovery(origin: OriginFor<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_cancel_recovery(owner)
		}

		/// Register `owner`'s pending recovery key once the delay has passed (and before
		/// [`Config::RecoveryApprovalWindow`] more blocks have), retiring the owner's other live
		/// keys.
		///
		/// Origin: any signed account. Holds [`Config::KeyDeposit`] from the owner. Emits
		/// [`Event::RecoveryFinished`]. Errors: [`Error::RecoveryNotFound`],
		/// [`Error::RecoveryNotReady`], [`Error::Expired`] once the window has passed,
		/// [`Error::KeyAlreadyExists`], [`Error::TooManyKeys`].
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::finish_recovery())]
		pub fn finish_recovery(origin: OriginFor<T>, owner: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finish_recovery(owner)
		}

		/// Accept the consent of `dataset` to `study`: the owner is paid the study's price from
		/// the escrow and gets the consent deposit back. The organisation accepts once it has
		/// checked the data (the wrapped key opens the ciphertext); from the consent's
		/// `accept_by` on, anyone can accept it (an organisation that neither accepts nor
		/// rejects in time pays).
		///
		/// Origin: signed organisation of the study, or any signed account from `accept_by`.
		/// Emits [`Event::ConsentAccepted`]. Errors: [`Error::ConsentNotFound`],
		/// [`Error::StudyNotFound`], [`Error::ConsentNotPending`],
		/// [`Error::AcceptanceWindowOpen`] for anyone but the organisation before `accept_by`.
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::accept_consent())]
		pub fn accept_consent(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_consent(who, study, dataset)
		}

		/// Reject the consent of `dataset` to `study` for `reason` (hash of the reason, e.g.
		/// "the wrapped key does not open the ciphertext"), before the consent's `accept_by`.
		/// The study's share is removed; the price stays set aside while the owner can dispute
		/// ([`Config::DisputeWindow`]).
		///
		/// Origin: signed organisation of the study. Holds [`Config::ConsentDeposit`] from the
		/// organisation until the rejection is settled (forfeited to the owner if the registrar
		/// rules for them). Emits [`Event::ConsentRejected`]. Errors: [`Error::ZeroReason`],
		/// [`Error::StudyNotFound`], [`Error::NotAuthorized`], [`Error::ConsentNotFound`],
		/// [`Error::ConsentNotPending`], [`Error::Expired`] from `accept_by` on.
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::reject_consent())]
		pub fn reject_consent(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
			reason: H256,
		) -> DispatchResult {
			let organisation = ensure_signed(origin)?;
			Self::do_reject_consent(organisation, study, dataset, reason)
		}

		/// Dispute the rejection of the consent of `dataset` to `study`, before its
		/// `dispute_by`; the registrar decides ([`Pallet::resolve_dispute`]).
		///
		/// Origin: signed owner who consented. Emits [`Event::RejectionDisputed`]. Errors:
		/// [`Error::ConsentNotFound`], [`Error::NotAuthorized`], [`Error::ConsentNotRejected`]
		/// (also once the dispute window has passed).
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::dispute_rejection())]
		pub fn dispute_rejection(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_dispute_rejection(owner, study, dataset)
		}

		/// Decide a disputed rejection. `owner_wins`: the owner is paid the price, gets the
		/// consent deposit back and the organisation's rejection deposit. Otherwise the
		/// rejection stands: the organisation gets the owner's consent deposit and its own back,
		/// and the price returns to the escrow (to the organisation if the study is closed).
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::DisputeResolved`]. Errors:
		/// [`Error::ConsentNotFound`], [`Error::StudyNotFound`], [`Error::ConsentNotDisputed`].
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
			owner_wins: bool,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_resolve_dispute(study, dataset, owner_wins)
		}

		/// Settle an undisputed rejection once its dispute window has passed: the organisation
		/// gets the owner's consent deposit and its own back; the price returns to the escrow
		/// (to the organisation if the study is closed).
		///
		/// Origin: any signed account. Emits [`Event::RejectionSettled`]. Errors:
		/// [`Error::ConsentNotFound`], [`Error::StudyNotFound`], [`Error::ConsentNotRejected`],
		/// [`Error::DisputeWindowOpen`].
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::settle_rejection())]
		pub fn settle_rejection(
			origin: OriginFor<T>,
			study: StudyId,
			dataset: DatasetId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_rejection(study, dataset)
		}

		/// Close `study` as the registrar (e.g. an organisation squatting the study list, or
		/// before deregistering it): the unused escrow returns to the organisation; then, if no
		/// consent is unsettled, the study and its consent records are removed and the study
		/// deposit released. Otherwise call again once they are settled.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::StudyForceClosed`], then
		/// [`Event::StudyClosed`] if it was open and [`Event::StudyRemoved`] if removed.
		/// Errors: [`Error::StudyNotFound`], [`Error::ConsentsPending`] if it is closed already
		/// and still has unsettled consents. Weight: charged for [`Config::MaxParticipants`]
		/// consent records, refunded down to those removed.
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::force_close_study(T::MaxParticipants::get()))]
		pub fn force_close_study(
			origin: OriginFor<T>,
			study: StudyId,
		) -> DispatchResultWithPostInfo {
			T::RegistrarOrigin::ensure_origin(origin)?;
			let removed = Self::do_force_close_study(study)?;
			Ok(Some(T::WeightInfo::force_close_study(removed)).into())
		}
	}
}
