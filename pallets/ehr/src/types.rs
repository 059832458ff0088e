//! Types stored, passed and returned by the EHR pallet.
//!
//! Nothing here holds plaintext health data: a record is a salted commitment, an encrypted
//! locator, a FHIR document type code (a category code such as a LOINC code, not patient data) and
//! a size; accounts are pseudonymous.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::{Get, H256};
use sp_runtime::{Debug, Deserialize, Serialize};

/// Identifier of a record pointer, assigned sequentially by the pallet.
pub type RecordId = u64;
/// The hash of an access request's terms that a patient names to approve it
/// ([`AccessRequest::terms_hash`]).
pub type TermsHash = H256;
/// The sealing-v1 content id of a sealed object (`docs/sealing-v1.md` §2): the hash of its
/// ciphertext that a record names and a vault stores the object under.
pub type ContentId = H256;

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// A FHIR document type code (for example the LOINC code `11488-4`, "Consult note").
pub type TypeCodeOf<T> = BoundedVec<u8, <T as Config>::MaxTypeCodeLen>;
/// An encrypted locator: where the ciphertext lives, encrypted to the patient.
pub type LocatorOf<T> = BoundedVec<u8, <T as Config>::MaxLocatorLen>;
/// A reference to a provider's credential (for example the hash or DID of a licence).
pub type CredentialOf<T> = BoundedVec<u8, <T as Config>::MaxCredentialLen>;
/// The guardians of one patient.
pub type GuardianListOf<T> = BoundedVec<AccountIdOf<T>, <T as Config>::MaxGuardians>;
/// The scope of a grant as stored and passed to calls.
pub type GrantScopeOf<T> = GrantScope<
	BoundedVec<TypeCodeOf<T>, <T as Config>::MaxScopeItems>,
	BoundedVec<RecordId, <T as Config>::MaxScopeItems>,
>;
/// The scope of a grant as returned by the runtime API.
pub type GrantScopeView = GrantScope<Vec<Vec<u8>>, Vec<RecordId>>;
/// A registered provider.
pub type ProviderInfoOf<T> = ProviderInfo<CredentialOf<T>, BlockNumberFor<T>>;
/// A stored record pointer.
pub type RecordOf<T> =
	Record<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, TypeCodeOf<T>, LocatorOf<T>>;
/// A stored grant.
pub type GrantOf<T> = Grant<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, GrantScopeOf<T>>;
/// A stored access request.
pub type AccessRequestOf<T> = AccessRequest<BalanceOf<T>, BlockNumberFor<T>, GrantScopeOf<T>>;
/// A stored access log entry.
pub type AccessEntryOf<T> = AccessEntry<AccountIdOf<T>, BlockNumberFor<T>>;
/// The records one review access covers.
pub type ReviewRecordsOf<T> = BoundedVec<RecordId, <T as Config>::MaxScopeItems>;
/// A stored review access.
pub type ReviewAccessOf<T> = ReviewAccess<BlockNumberFor<T>, ReviewRecordsOf<T>>;
/// A stored break-glass emergency access.
pub type BreakGlassOf<T> = BreakGlass<BalanceOf<T>, BlockNumberFor<T>>;
/// A stored guardian set.
pub type GuardianSetOf<T> = GuardianSet<GuardianListOf<T>, BalanceOf<T>>;
/// An action guardians may take for a patient.
pub type GuardianActionOf<T> = GuardianAction<AccountIdOf<T>, BlockNumberFor<T>, GrantScopeOf<T>>;
/// A stored guardian proposal.
pub type GuardianProposalOf<T> = GuardianProposal<
	AccountIdOf<T>,
	BalanceOf<T>,
	BlockNumberFor<T>,
	GuardianActionOf<T>,
	GuardianListOf<T>,
>;
/// A record pointer as returned by the runtime API.
pub type RecordViewOf<T> = RecordView<AccountIdOf<T>, BlockNumberFor<T>>;
/// A grant as returned by the runtime API.
pub type GrantViewOf<T> = GrantView<AccountIdOf<T>, BlockNumberFor<T>>;
/// [`ReviewAccessView`] for a runtime.
pub type ReviewAccessViewOf<T> = ReviewAccessView<AccountIdOf<T>, BlockNumberFor<T>>;
/// A vault's answer from the runtime API: may this reader have this object now.
pub type ReadTicketOf<T> = ReadTicket<AccountIdOf<T>, BlockNumberFor<T>>;

/// What kind of organisation or person a provider is.
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
pub enum ProviderKind {
	/// A hospital.
	Hospital,
	/// A clinic or practice.
	Clinic,
	/// A laboratory or imaging centre.
	Laboratory,
	/// A pharmacy.
	Pharmacy,
	/// An individual clinician (doctor, nurse, therapist).
	Clinician,
	/// An insurer or mutual-aid assessor.
	Insurer,
	/// A research institution.
	Researcher,
	/// Any other kind of registered provider.
	Other,
}

impl ProviderKind {
	/// Whether this kind treats patients and so may take break-glass emergency access:
	/// hospitals, clinics and clinicians. Laboratories, pharmacies, insurers, researchers and
	/// other kinds need the patient's consent for every read.
	pub fn is_clinical(&self) -> bool {
		matches!(self, Self::Hospital | Self::Clinic | Self::Clinician)
	}
}

/// Whether a provider may currently act.
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
)]
pub enum ProviderStatus {
	/// The provider may add records, receive grants and read.
	Active,
	/// The provider was suspended by the registrar; every action of it fails.
	Suspended,
}

/// A provider registered by the registrar origin.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ProviderInfo<Credential, BlockNumber> {
	/// What kind of provider this is.
	pub kind: ProviderKind,
	/// A reference to the provider's credential (a licence hash or DID), never personal data.
	pub credential: Credential,
	/// Whether the provider is active or suspended.
	pub status: ProviderStatus,
	/// The block in which the provider was registered.
	pub registered_at: BlockNumber,
}

/// The lifecycle state of a record pointer.
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
pub enum RecordStatus {
	/// The current version of the document.
	Active,
	/// Superseded by a newer version; still readable by grantees.
	Amended,
	/// A tombstone left by storage version 1, which kept erased records (commitment and
	/// locator cleared). Erasing now removes a record; [`crate::Pallet::erase_record`] removes
	/// such a tombstone too.
	Erased,
}

/// A pointer to one encrypted off-chain document of a patient (a FHIR `DocumentReference`).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Record<AccountId, Balance, BlockNumber, TypeCode, Locator> {
	/// The patient the document is about and who owns the pointer.
	pub patient: AccountId,
	/// Who added this version (the patient or a provider with append rights).
	pub issuer: AccountId,
	/// FHIR document type code (a category code, not patient data).
	pub type_code: TypeCode,
	/// Salted commitment `H(salt ‖ content-hash)`; zero only in a version-1 tombstone.
	pub commitment: H256,
	/// The content id of the sealed object (the ciphertext hash), under which a vault stores
	/// and serves it; unique among records. `None` for records added before storage version 2,
	/// which no vault serves.
	pub content_id: Option<ContentId>,
	/// Where the ciphertext lives, encrypted to the patient; empty only in a version-1 tombstone.
	pub locator: Locator,
	/// Ciphertext size in bytes; zero only in a version-1 tombstone.
	pub size: u64,
	/// Version number, 1 for a new document, +1 per amendment.
	pub version: u32,
	/// The record this version supersedes, if it is an amendment.
	pub supersedes: Option<RecordId>,
	/// Active or Amended (Erased: a version-1 tombstone).
	pub status: RecordStatus,
	/// The block in which this version was added.
	pub created_at: BlockNumber,
	/// The account whose [`crate::HoldReason::RecordDeposit`] pays for this record.
	pub depositor: AccountId,
	/// The amount held; zero only in a version-1 tombstone.
	pub deposit: Balance,
}

/// What a grantee may do with the records in scope.
#[derive(
	Copy,
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
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct AccessActions {
	/// May read (log an access to) records in scope.
	pub read: bool,
	/// May add records of the types in scope and amend records in scope.
	pub append: bool,
}

impl AccessActions {
	/// Read only.
	pub const READ: Self = Self { read: true, append: false };
	/// Append only.
	pub const APPEND: Self = Self { read: false, append: true };
	/// Read and append.
	pub const READ_APPEND: Self = Self { read: true, append: true };

	/// Whether no action at all is granted.
	pub fn is_empty(&self) -> bool {
		!self.read && !self.append
	}

	/// Whether `action` is among these actions.
	pub fn allows(&self, action: AccessAction) -> bool {
		match action {
			AccessAction::Read => self.read,
			AccessAction::Append => self.append,
		}
	}
}

/// One action, as asked about by [`crate::Pallet::can_access`].
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
pub enum AccessAction {
	/// Read a record.
	Read,
	/// Amend a record (or add one of its type).
	Append,
}

/// Why data is accessed: the HL7 v3 `PurposeOfUse` codes a FHIR `Consent` names.
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
pub enum PurposeOfUse {
	/// `TREAT`: treatment.
	Treatment,
	/// `HPAYMT`: payment (claims, insurance).
	Payment,
	/// `HOPERAT`: healthcare operations.
	Operations,
	/// `HRESCH`: research.
	Research,
	/// `ETREAT`: emergency treatment.
	Emergency,
	/// `PUBHLTH`: public health.
	PublicHealth,
	/// `HLEGAL`: legal.
	Legal,
	/// `PATRQT`: at the patient's request.
	PatientRequest,
	/// `CLMATTCH`: review of a claim's evidence by the panel a mutual-aid claim drew (the only
	/// purpose review access reads for; see [`ReviewAccess`]).
	ClaimReview,
}

/// Which records a grant covers.
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
#[serde(
	crate = "sp_runtime::serde",
	bound(
		serialize = "TypeCodes: medchain_json::ByteStrings, RecordIds: Serialize",
		deserialize = "TypeCodes: medchain_json::ByteStrings, RecordIds: Deserialize<'de>"
	)
)]
pub enum GrantScope<TypeCodes, RecordIds> {
	/// Every record of the patient, present and future.
	All,
	/// Records whose FHIR type code is one of these (0x-hex strings in JSON).
	Types(#[serde(with = "medchain_json::byte_strings")] TypeCodes),
	/// Exactly these records (ids of other patients' records never match).
	Records(RecordIds),
}

impl<L: Get<u32>, S: Get<u32>>
	GrantScope<BoundedVec<BoundedVec<u8, L>, S>, BoundedVec<RecordId, S>>
{
	/// Whether a `Types` or `Records` scope lists nothing.
	pub fn is_empty(&self) -> bool {
		match self {
			Self::All => false,
			Self::Types(codes) => codes.is_empty(),
			Self::Records(ids) => ids.is_empty(),
		}
	}

	/// Whether a new record of type `code` is covered (for appending).
	pub fn covers_type(&self, code: &[u8]) -> bool {
		match self {
			Self::All => true,
			Self::Types(codes) => codes.iter().any(|c| c.as_slice() == code),
			Self::Records(_) => false,
		}
	}

	/// Whether the existing record `id` of type `code` is covered.
	pub fn covers_record(&self, id: RecordId, code: &[u8]) -> bool {
		match self {
			Self::All => true,
			Self::Types(codes) => codes.iter().any(|c| c.as_slice() == code),
			Self::Records(ids) => ids.contains(&id),
		}
	}

	/// The scope with plain vectors, as the runtime API returns it.
	pub fn to_view(&self) -> GrantScopeView {
		match self {
			Self::All => GrantScope::All,
			Self::Types(codes) => GrantScope::Types(codes.iter().map(|c| c.to_vec()).collect()),
			Self::Records(ids) => GrantScope::Records(ids.to_vec()),
		}
	}
}

/// A patient's consent for one grantee (a FHIR `Consent` with a `permit` provision).
///
/// Live in blocks `not_before <= now < expires_at` while reads are left.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Grant<AccountId, Balance, BlockNumber, Scope> {
	/// Which records are covered.
	pub scope: Scope,
	/// Read and/or append.
	pub actions: AccessActions,
	/// The only purpose reads may be logged for.
	pub purpose: PurposeOfUse,
	/// First block in which the grant may be used.
	pub not_before: BlockNumber,
	/// First block in which the grant is dead.
	pub expires_at: BlockNumber,
	/// Reads left, `None` for unlimited.
	pub reads_left: Option<u32>,
	/// Who granted (the patient, or the guardian that completed the approvals); their
	/// [`crate::HoldReason::GrantDeposit`] is held.
	pub granted_by: AccountId,
	/// The block in which the grant was made.
	pub granted_at: BlockNumber,
	/// The amount held from `granted_by`.
	pub deposit: Balance,
}

impl<AccountId, Balance, BlockNumber: PartialOrd, Scope>
	Grant<AccountId, Balance, BlockNumber, Scope>
{
	/// Whether the grant can never be used again: it expired, or its reads ran out and it
	/// grants no append. Dead grants may be removed by anyone.
	pub fn is_dead(&self, now: &BlockNumber) -> bool {
		*now >= self.expires_at || (self.reads_left == Some(0) && !self.actions.append)
	}
}

/// Read access of one reviewer of a claim's panel to the records the claim cites (of the
/// claimant, who consented by filing the claim). Granted and ended only by the pallet that
/// cites the records (`EvidenceRecords::grant_review_access`, pallet-mutual-aid when it draws a
/// panel), never by a user call: read only, exactly `records`, purpose
/// [`PurposeOfUse::ClaimReview`], no deposit (it lives only as long as the claim's review, whose
/// storage the claim deposit pays for), every read logged.
///
/// Live in blocks `granted_at <= now < expires_at`.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ReviewAccess<BlockNumber, Records> {
	/// The citing pallet's id of the review (a claim id).
	pub review: medchain_evidence::ReviewId,
	/// Exactly the records that may be read, all of the patient.
	pub records: Records,
	/// The block in which access was granted.
	pub granted_at: BlockNumber,
	/// First block in which the access no longer reads (the end of the review's commit
	/// window).
	pub expires_at: BlockNumber,
}

impl<BlockNumber: PartialOrd, Records> ReviewAccess<BlockNumber, Records> {
	/// Whether the access reads at `now`.
	pub fn is_live(&self, now: &BlockNumber) -> bool {
		*now >= self.granted_at && *now < self.expires_at
	}
}

impl<BlockNumber: PartialOrd, S: Get<u32>> ReviewAccess<BlockNumber, BoundedVec<RecordId, S>> {
	/// Whether the access reads record `id` at `now`.
	pub fn covers(&self, id: RecordId, now: &BlockNumber) -> bool {
		self.is_live(now) && self.records.contains(&id)
	}
}

/// A provider's pending request for access, answered by the patient.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct AccessRequest<Balance, BlockNumber, Scope> {
	/// The records wanted.
	pub scope: Scope,
	/// The actions wanted.
	pub actions: AccessActions,
	/// Why access is wanted; becomes the grant's purpose.
	pub purpose: PurposeOfUse,
	/// For how many blocks from approval the grant would last.
	pub duration: BlockNumber,
	/// First block in which the request can no longer be approved.
	pub expires_at: BlockNumber,
	/// The amount of [`crate::HoldReason::RequestDeposit`] held from the requester.
	pub deposit: Balance,
}

impl<Balance, BlockNumber: Encode, Scope: Encode> AccessRequest<Balance, BlockNumber, Scope> {
	/// The hash a patient names to approve exactly these terms: blake2-256 of the SCALE
	/// encoding of `(scope, actions, purpose, duration)` (the fields in this order, nothing
	/// else).
	pub fn terms_hash(&self) -> H256 {
		let terms = (&self.scope, &self.actions, &self.purpose, &self.duration);
		<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash_of(&terms)
	}
}

/// On what basis an access was allowed.
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
pub enum AccessBasis {
	/// The patient read their own record.
	Owner,
	/// A live grant of the patient.
	Grant,
	/// A break-glass emergency access, pending review.
	BreakGlass,
	/// Review access: the reader sits on the review panel of a claim the patient filed, which
	/// cites the record as evidence ([`ReviewAccess`]).
	Review,
}

/// One line of a patient's access log (a FHIR `AuditEvent`).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Serialize, Deserialize,
)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct AccessEntry<AccountId, BlockNumber> {
	/// Position in the patient's log, counting from 0 and never reused.
	pub index: u32,
	/// Who accessed.
	pub accessor: AccountId,
	/// The record read; `None` for the opening of a break-glass access.
	pub record_id: Option<RecordId>,
	/// The purpose stated.
	pub purpose: PurposeOfUse,
	/// Owner, grant or break-glass.
	pub basis: AccessBasis,
	/// The block of the access.
	pub at: BlockNumber,
}

/// A break-glass emergency access of one provider to one patient's records, pending review.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct BreakGlass<Balance, BlockNumber> {
	/// Salted commitment to the reason, which the provider discloses to the reviewer off chain.
	pub reason_commitment: H256,
	/// The block in which emergency access was taken.
	pub opened_at: BlockNumber,
	/// First block in which emergency access no longer reads.
	pub expires_at: BlockNumber,
	/// The amount of [`crate::HoldReason::BreakGlassDeposit`] held from the provider.
	pub deposit: Balance,
}

/// The reviewer's finding on a break-glass access.
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
)]
pub enum BreakGlassVerdict {
	/// The emergency was real: the deposit returns to the provider.
	Justified,
	/// The emergency was not justified: the deposit goes to the patient.
	Unjustified,
}

/// The guardians of a patient (parents of a minor, carers in incapacity).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct GuardianSet<Guardians, Balance> {
	/// The guardians, sorted, without duplicates.
	pub guardians: Guardians,
	/// How many of them must approve an action.
	pub threshold: u32,
	/// The amount of [`crate::HoldReason::GuardianDeposit`] held from the patient.
	pub deposit: Balance,
}

/// An action guardians take for a patient once `threshold` of them approved it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum GuardianAction<AccountId, BlockNumber, Scope> {
	/// Grant access as [`crate::Pallet::grant_access`] would.
	Grant {
		/// The provider to grant to.
		grantee: AccountId,
		/// Which records.
		scope: Scope,
		/// Read and/or append.
		actions: AccessActions,
		/// Purpose of use.
		purpose: PurposeOfUse,
		/// First block of validity.
		not_before: BlockNumber,
		/// First block of invalidity.
		expires_at: BlockNumber,
		/// Optional read limit.
		max_reads: Option<u32>,
	},
	/// Revoke the patient's grant to `grantee`.
	Revoke {
		/// The provider whose grant is revoked.
		grantee: AccountId,
	},
}

/// A guardian action collecting approvals.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct GuardianProposal<AccountId, Balance, BlockNumber, Action, Approvals> {
	/// The action to take.
	pub action: Action,
	/// The guardian who proposed it; their [`crate::HoldReason::ProposalDeposit`] is held.
	pub proposer: AccountId,
	/// The guardians who approved so far.
	pub approvals: Approvals,
	/// The amount held from `proposer`.
	pub deposit: Balance,
	/// The block in which it was proposed; from `created_at + GuardianProposalTtl` on its
	/// approvals no longer count.
	pub created_at: BlockNumber,
}

/// An expired item that anyone may remove with [`crate::Pallet::cleanup_expired`].
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum CleanupTarget<AccountId, Hash = H256> {
	/// The grant of `patient` to `grantee`.
	Grant {
		/// The patient who granted.
		patient: AccountId,
		/// The grantee.
		grantee: AccountId,
	},
	/// The request of `requester` to `patient`.
	Request {
		/// The patient asked.
		patient: AccountId,
		/// The requesting provider.
		requester: AccountId,
	},
	/// The guardian proposal `proposal` (its action hash) of `patient`, once older than
	/// [`crate::Config::GuardianProposalTtl`].
	Proposal {
		/// The patient.
		patient: AccountId,
		/// The hash of the proposed action.
		proposal: Hash,
	},
}

/// A record pointer as the runtime API returns it: no deposit bookkeeping, plain vectors.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct RecordView<AccountId, BlockNumber> {
	/// The record id.
	pub id: RecordId,
	/// The patient.
	pub patient: AccountId,
	/// Who added this version.
	pub issuer: AccountId,
	/// FHIR document type code.
	#[serde(with = "medchain_json::bytes")]
	pub type_code: Vec<u8>,
	/// Salted commitment; zero only in a version-1 tombstone.
	pub commitment: H256,
	/// Content id of the sealed object a vault serves; `None` for records added before storage
	/// version 2 (not served by a vault).
	pub content_id: Option<ContentId>,
	/// Encrypted locator; empty only in a version-1 tombstone.
	#[serde(with = "medchain_json::bytes")]
	pub locator: Vec<u8>,
	/// Ciphertext size in bytes.
	pub size: u64,
	/// Version number.
	pub version: u32,
	/// The record this version supersedes.
	pub supersedes: Option<RecordId>,
	/// Active or Amended (Erased: a version-1 tombstone).
	pub status: RecordStatus,
	/// The block in which this version was added.
	pub created_at: BlockNumber,
}

/// A record pointer as versions 1 and 2 of the runtime API returned it, before records named
/// their sealed object: what a node decodes from blocks of an older runtime.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RecordViewV2<AccountId, BlockNumber> {
	/// The record id.
	pub id: RecordId,
	/// The patient.
	pub patient: AccountId,
	/// Who added this version.
	pub issuer: AccountId,
	/// FHIR document type code.
	pub type_code: Vec<u8>,
	/// Salted commitment.
	pub commitment: H256,
	/// Encrypted locator.
	pub locator: Vec<u8>,
	/// Ciphertext size in bytes.
	pub size: u64,
	/// Version number.
	pub version: u32,
	/// The record this version supersedes.
	pub supersedes: Option<RecordId>,
	/// Active, Amended or Erased.
	pub status: RecordStatus,
	/// The block in which this version was added.
	pub created_at: BlockNumber,
}

impl<AccountId, BlockNumber> From<RecordViewV2<AccountId, BlockNumber>>
	for RecordView<AccountId, BlockNumber>
{
	/// Records of an older runtime name no sealed object.
	fn from(old: RecordViewV2<AccountId, BlockNumber>) -> Self {
		Self {
			id: old.id,
			patient: old.patient,
			issuer: old.issuer,
			type_code: old.type_code,
			commitment: old.commitment,
			content_id: None,
			locator: old.locator,
			size: old.size,
			version: old.version,
			supersedes: old.supersedes,
			status: old.status,
			created_at: old.created_at,
		}
	}
}

/// A grant as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct GrantView<AccountId, BlockNumber> {
	/// Who may access.
	pub grantee: AccountId,
	/// Which records.
	pub scope: GrantScopeView,
	/// Read and/or append.
	pub actions: AccessActions,
	/// The purpose of use.
	pub purpose: PurposeOfUse,
	/// First block of validity.
	pub not_before: BlockNumber,
	/// First block of invalidity.
	pub expires_at: BlockNumber,
	/// Reads left, `None` for unlimited.
	pub reads_left: Option<u32>,
	/// Who granted.
	pub granted_by: AccountId,
}

/// A claim reviewer's read access to a patient's records, as the runtime API shows it to the
/// patient: who may read which records, for which review, until when. JSON keys camelCase.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct ReviewAccessView<AccountId, BlockNumber> {
	/// The panel's reviewer.
	pub reviewer: AccountId,
	/// The citing pallet's id of the review (a mutual-aid claim id).
	pub review: medchain_evidence::ReviewId,
	/// Exactly the records the reviewer may read.
	pub records: Vec<RecordId>,
	/// The block in which access was granted.
	pub granted_at: BlockNumber,
	/// First block in which the access no longer reads.
	pub expires_at: BlockNumber,
}

/// What the chain tells a vault about the sealed object a record names (runtime API
/// `read_ticket`): whose record it is, who issued it, and whether the asking reader may have it
/// now.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase")]
pub struct ReadTicket<AccountId, BlockNumber> {
	/// The record that names the object.
	pub record_id: RecordId,
	/// Its patient: the only account that delivers its key and may erase the object.
	pub patient: AccountId,
	/// Who added it: with the patient, the only account whose upload of the object counts.
	pub issuer: AccountId,
	/// Whether the reader may have the object now.
	pub verdict: ReadVerdict<BlockNumber>,
}

/// Whether a vault may serve a record's object to a reader at this block.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(crate = "sp_runtime::serde", rename_all_fields = "camelCase")]
pub enum ReadVerdict<BlockNumber> {
	/// The reader is the record's patient.
	Owner,
	/// The reader logged a read of this record at block `at` (entry `index` of the patient's
	/// log), fewer than [`crate::Config::ReadWindow`] blocks ago, and the grant or break-glass
	/// access it logged under still covers the record.
	Logged {
		/// The log entry's index.
		index: u32,
		/// The block it was logged in.
		at: BlockNumber,
		/// A grant or a break-glass access.
		basis: AccessBasis,
	},
	/// The reader may not have the object now.
	Refused(ReadRefusal),
}

/// Why a vault must not serve a record's object to a reader.
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
pub enum ReadRefusal {
	/// No live read grant covering the record and no live break-glass access: never granted,
	/// revoked, expired, not yet valid, or the reader is not a registered provider.
	NotAuthorized,
	/// The reader is a suspended provider.
	ProviderSuspended,
	/// The reader may read but logged no read of this record (with the purpose its grant names)
	/// in the last [`crate::Config::ReadWindow`] blocks: log it with
	/// [`crate::Pallet::log_access`] first.
	NotLogged,
}
