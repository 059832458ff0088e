//! Types stored, passed and returned by the DNA-wallet pallet.
//!
//! Nothing here holds genomic data or a data key in the clear: a dataset is a ciphertext hash,
//! an encrypted locator, a format and a size; a share is the data key wrapped (encrypted) to a
//! recipient's public key; accounts are pseudonymous.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, traits::fungible, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{Debug, Deserialize, Serialize};

/// Identifier of a registered public key, assigned sequentially by the pallet (never reused).
pub type KeyId = u64;
/// Identifier of a dataset, assigned sequentially by the pallet.
pub type DatasetId = u64;
/// Identifier of a research study, assigned sequentially by the pallet.
pub type StudyId = u64;

/// The longest public key accepted: an uncompressed SEC1 point (`0x04 ‖ x ‖ y`).
pub const MAX_PUBLIC_KEY_LEN: u32 = 65;
/// The number of [`DatasetFormat`]s, the most a study can accept.
pub const MAX_FORMATS: u32 = 5;

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// Public key bytes of a key-agreement key.
pub type PublicKey = BoundedVec<u8, ConstU32<MAX_PUBLIC_KEY_LEN>>;
/// An encrypted locator: where the ciphertext lives, encrypted to the owner.
pub type LocatorOf<T> = BoundedVec<u8, <T as Config>::MaxLocatorLen>;
/// A data key wrapped (encrypted) to a recipient's public key.
pub type WrappedKeyOf<T> = BoundedVec<u8, <T as Config>::MaxWrappedKeyLen>;
/// The data-use codes of one dataset or one study.
pub type DataUsesOf<T> = BoundedVec<DataUse, <T as Config>::MaxUseCodes>;
/// The dataset formats a study accepts.
pub type FormatList = BoundedVec<DatasetFormat, ConstU32<MAX_FORMATS>>;
/// Data-use terms as stored and passed to calls.
pub type UseTermsOf<T> = UseTerms<DataUsesOf<T>>;
/// The registered keys of one account.
pub type KeyListOf<T> =
	BoundedVec<KeyInfo<BalanceOf<T>, BlockNumberFor<T>>, <T as Config>::MaxKeysPerAccount>;
/// One registered key.
pub type KeyInfoOf<T> = KeyInfo<BalanceOf<T>, BlockNumberFor<T>>;
/// A stored dataset.
pub type DatasetOf<T> =
	Dataset<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, LocatorOf<T>, UseTermsOf<T>>;
/// A stored key share.
pub type ShareOf<T> = Share<BalanceOf<T>, BlockNumberFor<T>, WrappedKeyOf<T>>;
/// A registered organisation.
pub type OrganisationOf<T> = Organisation<BlockNumberFor<T>>;
/// A stored study.
pub type StudyOf<T> = Study<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, UseTermsOf<T>>;
/// A stored consent of a dataset to a study.
pub type ConsentOf<T> = Consent<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
/// The guardians of one owner.
pub type GuardianListOf<T> = BoundedVec<AccountIdOf<T>, <T as Config>::MaxGuardians>;
/// A stored guardian set.
pub type GuardianSetOf<T> = GuardianSet<GuardianListOf<T>, BalanceOf<T>>;
/// A stored recovery in progress.
pub type RecoveryOf<T> = Recovery<
	BoundedVec<RecoveryVote<AccountIdOf<T>, BlockNumberFor<T>>, <T as Config>::MaxGuardians>,
	BlockNumberFor<T>,
>;
/// A key as returned by the runtime API.
pub type KeyViewOf<T> = KeyView<BlockNumberFor<T>>;
/// A dataset as returned by the runtime API.
pub type DatasetViewOf<T> = DatasetView<AccountIdOf<T>, BlockNumberFor<T>>;
/// A share as returned by the runtime API.
pub type ShareViewOf<T> = ShareView<AccountIdOf<T>, BlockNumberFor<T>>;
/// A study as returned by the runtime API.
pub type StudyViewOf<T> = StudyView<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>>;

/// The algorithm of a public key-agreement key; fixes the accepted key lengths.
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
pub enum KeyType {
	/// Curve25519 Diffie-Hellman (RFC 7748): 32 bytes.
	X25519,
	/// secp256k1 ECDH: a SEC1 point, 33 bytes compressed or 65 uncompressed.
	Secp256k1,
	/// NIST P-256 ECDH: a SEC1 point, 33 bytes compressed or 65 uncompressed.
	P256,
}

impl KeyType {
	/// Whether `key` has a length and prefix this algorithm's public keys can have.
	pub fn accepts(&self, key: &[u8]) -> bool {
		match self {
			Self::X25519 => key.len() == 32 && key.iter().any(|b| *b != 0),
			Self::Secp256k1 | Self::P256 => {
				matches!(
					(key.len(), key.first().copied()),
					(33, Some(0x02 | 0x03)) | (65, Some(0x04))
				)
			},
		}
	}
}

/// A public key-agreement key an account registered. Kept after revocation (so that its id is
/// never mistaken for another key) until the owner removes it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct KeyInfo<Balance, BlockNumber> {
	/// The key's id, unique on the chain.
	pub id: KeyId,
	/// Its algorithm.
	pub key_type: KeyType,
	/// The public key bytes.
	pub public_key: PublicKey,
	/// The block it was registered in.
	pub created_at: BlockNumber,
	/// The block it was revoked or retired in; a revoked key never receives new shares and its
	/// shares are dead.
	pub revoked_at: Option<BlockNumber>,
	/// The [`crate::HoldReason::KeyDeposit`] held from the account for it.
	pub deposit: Balance,
}

impl<Balance, BlockNumber> KeyInfo<Balance, BlockNumber> {
	/// Not revoked.
	pub fn is_live(&self) -> bool {
		self.revoked_at.is_none()
	}
}

/// The file format of a genomic dataset.
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
pub enum DatasetFormat {
	/// Variant Call Format.
	Vcf,
	/// Compressed reference-oriented alignment map.
	Cram,
	/// Binary alignment map.
	Bam,
	/// Raw reads.
	Fastq,
	/// Anything else.
	Other,
}

/// A research purpose, after the GA4GH Data Use Ontology (DUO).
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
pub enum DataUse {
	/// DUO:0000042 general research use: permits every purpose below.
	GeneralResearch,
	/// DUO:0000006 health, medical or biomedical research: permits itself and every
	/// disease-specific purpose.
	HealthMedicalBiomedical,
	/// DUO:0000007 research on one disease, given as its MONDO number (e.g. 5148 for type 2
	/// diabetes, MONDO:0005148).
	DiseaseSpecific(u32),
	/// DUO:0000011 population origins or ancestry research.
	PopulationAncestry,
	/// DUO:0000015 development of methods, algorithms or software.
	MethodsDevelopment,
}

impl DataUse {
	/// Whether an owner who allows `self` allows a study to do `wanted`.
	pub fn permits(&self, wanted: &DataUse) -> bool {
		match (self, wanted) {
			(Self::GeneralResearch, _) => true,
			(
				Self::HealthMedicalBiomedical,
				Self::HealthMedicalBiomedical | Self::DiseaseSpecific(_),
			) => true,
			(Self::DiseaseSpecific(allowed), Self::DiseaseSpecific(wanted)) => allowed == wanted,
			(Self::PopulationAncestry, Self::PopulationAncestry) => true,
			(Self::MethodsDevelopment, Self::MethodsDevelopment) => true,
			_ => false,
		}
	}
}

/// Data-use terms. For a dataset: what its owner allows (`commercial`: commercial use allowed,
/// DUO:0000046 "no commercial use" when false). For a study: what it will do (`commercial`:
/// the study is commercial).
#[derive(
	Clone,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct UseTerms<Uses> {
	/// The research purposes.
	pub uses: Uses,
	/// Commercial use.
	pub commercial: bool,
}

impl<Uses: AsRef<[DataUse]>> UseTerms<Uses> {
	/// Whether an owner's `self` allows a study's `wanted` terms: commercial only if allowed,
	/// and every wanted purpose permitted by an allowed one.
	pub fn allow(&self, wanted: &UseTerms<Uses>) -> bool {
		(self.commercial || !wanted.commercial)
			&& wanted
				.uses
				.as_ref()
				.iter()
				.all(|w| self.uses.as_ref().iter().any(|allowed| allowed.permits(w)))
	}
}

/// A genomic dataset: the pointer to the owner's encrypted data and the version of its data key.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Dataset<AccountId, Balance, BlockNumber, Locator, Terms> {
	/// The owner (the person whose genome it is, or their wallet).
	pub owner: AccountId,
	/// Hash of the ciphertext under the current data key.
	pub ciphertext_hash: H256,
	/// File format.
	pub format: DatasetFormat,
	/// Ciphertext size in bytes.
	pub size: u64,
	/// Where the ciphertext lives, encrypted to the owner.
	pub encrypted_locator: Locator,
	/// Version of the data key, 1 at registration, +1 per rotation. Only shares of this version
	/// decrypt.
	pub key_version: u32,
	/// The research uses the owner allows (none at registration).
	pub allowed_uses: Terms,
	/// Number of key shares of this dataset, dead ones included until removed.
	pub share_count: u32,
	/// The block it was registered in.
	pub created_at: BlockNumber,
	/// The [`crate::HoldReason::DatasetDeposit`] held from the owner.
	pub deposit: Balance,
}

/// Why a dataset's key is shared.
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
pub enum SharePurpose {
	/// Diagnosis or treatment by a clinician.
	Clinical,
	/// Genetic counselling.
	Counselling,
	/// Research (every share made by [`crate::Pallet::consent`]).
	Research,
	/// The owner's own use (another device, a family member).
	Personal,
	/// Anything else.
	Other,
}

/// The dataset's data key wrapped to one of a recipient's keys. Decryptable only while its
/// `key_version` is the dataset's, it has not expired and the key is not revoked.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Share<Balance, BlockNumber, WrappedKey> {
	/// The recipient's key the data key is wrapped to.
	pub recipient_key_id: KeyId,
	/// The wrapped data key (ciphertext).
	pub wrapped_key: WrappedKey,
	/// The data-key version it wraps.
	pub key_version: u32,
	/// Dead from this block on.
	pub expires_at: BlockNumber,
	/// Why it was given.
	pub purpose: SharePurpose,
	/// The study it was given to by [`crate::Pallet::consent`], if any.
	pub study: Option<StudyId>,
	/// The block it was (last) given in.
	pub created_at: BlockNumber,
	/// The [`crate::HoldReason::ShareDeposit`] held from the dataset owner.
	pub deposit: Balance,
}

/// What a registered organisation is.
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
pub enum OrganisationKind {
	/// A research organisation: creates studies.
	Research,
	/// An attested compute service (e.g. a TEE enclave): its keys receive the shares of
	/// aggregate-only studies; it creates no studies.
	Compute,
}

/// An organisation registered by [`crate::Config::RegistrarOrigin`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Organisation<BlockNumber> {
	/// Research or compute.
	pub kind: OrganisationKind,
	/// The block it was registered in.
	pub registered_at: BlockNumber,
}

/// Who receives the data keys of a study's participants.
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
pub enum StudyMode {
	/// The research organisation's own key.
	Direct,
	/// Only an attested compute service's key: the organisation gets aggregate results, never
	/// the data.
	AggregateOnly,
}

/// Whether a study takes consents.
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
pub enum StudyStatus {
	/// Takes consents until `expires_at` or `max_participants`.
	Open,
	/// Closed by its organisation; the unused escrow went back.
	Closed,
}

/// A research study with an escrowed budget.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Study<AccountId, Balance, BlockNumber, Terms> {
	/// The research organisation that created it and pays.
	pub organisation: AccountId,
	/// What the study will do with the data.
	pub terms: Terms,
	/// The dataset formats it accepts.
	pub formats: FormatList,
	/// Commitment to the ethics approval (hash of the approval document).
	pub ethics_commitment: H256,
	/// The budget escrowed at creation.
	pub budget: Balance,
	/// What each participant is paid: `budget / max_participants`, rounded down; the dust is
	/// returned with the unused escrow at closing.
	pub price: Balance,
	/// How many datasets it pays for at most.
	pub max_participants: u32,
	/// How many datasets consented so far, whatever became of the consent (one consent
	/// record each): at most `max_participants`.
	pub participants: u32,
	/// Consents whose price is set aside but not paid yet: pending, rejected or disputed.
	pub pending: u32,
	/// Consents accepted and paid.
	pub accepted: u32,
	/// What is still held from the organisation as [`crate::HoldReason::StudyEscrow`]:
	/// `budget - price * accepted` while open, `price * pending` once closed.
	pub escrow: Balance,
	/// Direct or aggregate-only.
	pub mode: StudyMode,
	/// The account whose key receives the participants' shares: the organisation (direct) or
	/// a compute service (aggregate-only).
	pub recipient: AccountId,
	/// That account's key.
	pub recipient_key_id: KeyId,
	/// Consents are accepted before this block; their shares expire at it.
	pub expires_at: BlockNumber,
	/// Open or closed.
	pub status: StudyStatus,
	/// The [`crate::HoldReason::StudyDeposit`] held from the organisation for the study and its
	/// consent records: [`crate::Config::StudyDeposit`] plus
	/// [`crate::Config::StudyDepositPerParticipant`] per possible participant.
	pub deposit: Balance,
}

/// Where a consent stands. A consent is paid only once accepted: by the organisation, or by
/// default when the organisation neither accepts nor rejects within the acceptance window.
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
#[serde(crate = "sp_runtime::serde", rename_all_fields = "camelCase")]
pub enum ConsentStatus<BlockNumber> {
	/// Given; the organisation checks the data (the wrapped key opens the ciphertext) and
	/// accepts or rejects before `accept_by`. From `accept_by` on anyone can accept it.
	Pending {
		/// The end of the acceptance window.
		accept_by: BlockNumber,
	},
	/// Accepted and paid.
	Accepted,
	/// Rejected by the organisation for `reason` (hash of the reason document); the owner can
	/// dispute before `dispute_by`, otherwise the rejection stands from then on.
	Rejected {
		/// Hash of the organisation's reason.
		reason: H256,
		/// The end of the dispute window.
		dispute_by: BlockNumber,
	},
	/// Rejected and disputed by the owner; the registrar decides.
	Disputed {
		/// Hash of the organisation's reason.
		reason: H256,
	},
	/// The rejection stands: not paid, the owner's consent deposit went to the organisation.
	Refused,
	/// Withdrawn by the owner before it was accepted: not paid.
	Cancelled,
}

impl<BlockNumber> ConsentStatus<BlockNumber> {
	/// Whether the study's price is still set aside for this consent.
	pub fn is_unsettled(&self) -> bool {
		matches!(self, Self::Pending { .. } | Self::Rejected { .. } | Self::Disputed { .. })
	}
}

/// A dataset's consent to a study. Kept until the study is removed, so that a dataset and an
/// owner take part at most once per study.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Consent<AccountId, Balance, BlockNumber> {
	/// The dataset owner who consented.
	pub owner: AccountId,
	/// What was paid from the escrow: zero until accepted.
	pub paid: Balance,
	/// The block of the consent.
	pub at: BlockNumber,
	/// Where it stands.
	pub status: ConsentStatus<BlockNumber>,
	/// The [`crate::HoldReason::ConsentDeposit`] held from the owner until the consent is
	/// settled (zero after).
	pub deposit: Balance,
	/// The [`crate::HoldReason::ConsentDeposit`] held from the organisation while its rejection
	/// can be disputed (zero otherwise).
	pub rejection_deposit: Balance,
	/// The block the consent was withdrawn in.
	pub withdrawn_at: Option<BlockNumber>,
}

/// The guardians of an owner: any `threshold` of them may register a new key for the owner.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct GuardianSet<Guardians, Balance> {
	/// The guardians, sorted, without duplicates.
	pub guardians: Guardians,
	/// How many must approve the same key.
	pub threshold: u32,
	/// The [`crate::HoldReason::GuardianDeposit`] held from the owner, covering the set and
	/// its recovery state.
	pub deposit: Balance,
}

/// One guardian's approval of a recovery key. It counts for
/// [`crate::Config::RecoveryApprovalWindow`] blocks.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RecoveryVote<AccountId, BlockNumber> {
	/// The guardian.
	pub guardian: AccountId,
	/// The key's algorithm.
	pub key_type: KeyType,
	/// The key the guardian approves.
	pub public_key: PublicKey,
	/// The block of the approval.
	pub approved_at: BlockNumber,
}

/// A recovery key that reached the threshold and waits out the delay.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingRecovery<BlockNumber> {
	/// The key's algorithm.
	pub key_type: KeyType,
	/// The key to register.
	pub public_key: PublicKey,
	/// [`crate::Pallet::finish_recovery`] works from this block on, for
	/// [`crate::Config::RecoveryApprovalWindow`] blocks.
	pub ready_at: BlockNumber,
}

/// The recovery state of an owner: guardians' current approvals, or a key waiting out the delay.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Recovery<Votes, BlockNumber> {
	/// Approvals so far, one per guardian (a guardian's new approval replaces their old one).
	pub votes: Votes,
	/// The key that reached the threshold, if any.
	pub pending: Option<PendingRecovery<BlockNumber>>,
}

/// A key as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct KeyView<BlockNumber> {
	/// The key id.
	pub id: KeyId,
	/// Its algorithm.
	pub key_type: KeyType,
	/// The public key bytes.
	#[serde(with = "medchain_json::bytes")]
	pub public_key: Vec<u8>,
	/// Registered in this block.
	pub created_at: BlockNumber,
	/// Revoked or retired in this block.
	pub revoked_at: Option<BlockNumber>,
}

/// A dataset as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct DatasetView<AccountId, BlockNumber> {
	/// The dataset id.
	pub id: DatasetId,
	/// The owner.
	pub owner: AccountId,
	/// Hash of the current ciphertext.
	pub ciphertext_hash: H256,
	/// File format.
	pub format: DatasetFormat,
	/// Ciphertext size in bytes.
	pub size: u64,
	/// Encrypted locator.
	#[serde(with = "medchain_json::bytes")]
	pub encrypted_locator: Vec<u8>,
	/// Current data-key version.
	pub key_version: u32,
	/// Research purposes the owner allows.
	pub allowed_uses: Vec<DataUse>,
	/// Whether the owner allows commercial use.
	pub commercial_allowed: bool,
	/// Key shares, dead ones included until removed.
	pub share_count: u32,
	/// Registered in this block.
	pub created_at: BlockNumber,
}

/// A key share as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct ShareView<AccountId, BlockNumber> {
	/// The recipient.
	pub recipient: AccountId,
	/// The recipient's key it is wrapped to.
	pub recipient_key_id: KeyId,
	/// The wrapped data key.
	#[serde(with = "medchain_json::bytes")]
	pub wrapped_key: Vec<u8>,
	/// The data-key version it wraps.
	pub key_version: u32,
	/// Dead from this block on.
	pub expires_at: BlockNumber,
	/// Why it was given.
	pub purpose: SharePurpose,
	/// The study it was given to, if any.
	pub study: Option<StudyId>,
	/// Whether it decrypts the current ciphertext now (see [`crate::Pallet::can_decrypt`]).
	pub decryptable: bool,
}

/// A study as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, BlockNumber: Serialize, Balance: core::fmt::Display",
	deserialize = "AccountId: Deserialize<'de>, BlockNumber: Deserialize<'de>, Balance: core::str::FromStr, <Balance as core::str::FromStr>::Err: core::fmt::Display"
))]
pub struct StudyView<AccountId, Balance, BlockNumber> {
	/// The study id.
	pub id: StudyId,
	/// The paying research organisation.
	pub organisation: AccountId,
	/// The research purposes.
	pub uses: Vec<DataUse>,
	/// Whether the study is commercial.
	pub commercial: bool,
	/// Accepted dataset formats.
	pub formats: Vec<DatasetFormat>,
	/// Commitment to the ethics approval.
	pub ethics_commitment: H256,
	/// Escrowed budget.
	#[serde(with = "medchain_json::balance")]
	pub budget: Balance,
	/// Payment per participant.
	#[serde(with = "medchain_json::balance")]
	pub price: Balance,
	/// Participants paid for at most.
	pub max_participants: u32,
	/// Consents so far (one per participant, whatever became of it).
	pub participants: u32,
	/// Consents waiting for acceptance, or rejected and disputable.
	pub pending: u32,
	/// Consents accepted and paid.
	pub accepted: u32,
	/// Escrow still held.
	#[serde(with = "medchain_json::balance")]
	pub escrow: Balance,
	/// Direct or aggregate-only.
	pub mode: StudyMode,
	/// Whose key receives the shares.
	pub recipient: AccountId,
	/// That key.
	pub recipient_key_id: KeyId,
	/// Consents accepted before this block.
	pub expires_at: BlockNumber,
	/// Open or closed.
	pub status: StudyStatus,
}
