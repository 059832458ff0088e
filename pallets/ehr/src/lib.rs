//! # EHR pointers pallet
//!
//! The patient, not an institution, owns the pointers to their encrypted off-chain health records
//! and decides who may read them.
//!
//! ## Overview
//!
//! - **Providers** (hospitals, clinics, laboratories, clinicians, insurers, researchers) are
//!   registered, suspended, resumed and removed by [`Config::RegistrarOrigin`].
//! - **Records** are pointers, never data: a FHIR document type code, a salted commitment `H(salt ‖
//!   content-hash)`, the content id of the sealed object (its ciphertext hash, the key a vault
//!   serves it under), an encrypted locator and a ciphertext size. A record is added by the patient
//!   or by an active provider the patient granted append rights; amending it adds a new version
//!   that supersedes the old one; erasing it removes the pointer from state and frees its slot (the
//!   patient's client destroys the key and ciphertext off chain: crypto-shredding).
//! - **Grants** say who may read and/or append which records, for what purpose, from when until
//!   when, and optionally how many times. One grant per (patient, grantee); granting again replaces
//!   it. Providers may **request** access; the patient approves, naming the hash of the terms
//!   approved ([`AccessRequest::terms_hash`]), or denies. A pending request cannot be replaced.
//! - **Access log**: a vault serves a record's sealed object (and the envelope of its key) to a
//!   grantee only after the grantee's [`Pallet::log_access`] is finalized, and only for
//!   [`Config::ReadWindow`] blocks ([`Pallet::read_ticket`]), so every read leaves an entry the
//!   patient can list. `log_access` fails, logging nothing, without a live grant covering the
//!   record.
//! - **Review access**: the reviewers of a mutual-aid claim's panel, who need not be providers,
//!   read exactly the records the claim cites, for [`PurposeOfUse::ClaimReview`] only, until the
//!   end of the review's commit window. It is granted and ended by the citing pallet through
//!   [`medchain_evidence::EvidenceRecords`] (the patient consents by filing the claim), never by a
//!   user call; every read is logged like any other ([`AccessBasis::Review`]).
//! - **Break-glass**: an active clinical provider (hospital, clinic, clinician) may take short
//!   emergency read access without consent, holding a large deposit; [`Config::ReviewerOrigin`]
//!   later finds it justified (deposit returned) or unjustified (deposit paid to the patient).
//! - **Guardians**: a patient may name M-of-N guardians who grant and revoke for them once M
//!   approve within [`Config::GuardianProposalTtl`].
//! - **Cleanup**: anyone may remove dead grants, expired requests and expired guardian proposals,
//!   releasing their deposits.
//! - **Privacy of events**: events say that a patient's file changed, not what or why; the terms
//!   are in storage and every read is in the patient's access log.
//!
//! Every stored item a user adds holds a deposit ([`HoldReason`]) released when it is removed.
//! Expiry is checked on use, so no hook iterates storage.
//!
//! ## Terms
//!
//! - *Live grant*: `not_before <= now < expires_at`, reads left. *Dead grant*: expired, or out of
//!   reads with no append right.
//! - *Salted commitment*: `H(salt ‖ content-hash)` with a random salt kept off chain, so a
//!   guessable document cannot be confirmed by hashing candidates.
//!
//! ## Calls
//!
//! Registrar: [`Pallet::register_provider`], [`Pallet::suspend_provider`],
//! [`Pallet::resume_provider`], [`Pallet::deregister_provider`]. Records: [`Pallet::add_record`],
//! [`Pallet::amend_record`], [`Pallet::erase_record`]. Access: [`Pallet::grant_access`],
//! [`Pallet::revoke_access`], [`Pallet::request_access`], [`Pallet::respond_request`],
//! [`Pallet::cancel_request`], [`Pallet::log_access`], [`Pallet::cleanup_expired`]. Emergency:
//! [`Pallet::break_glass`], [`Pallet::review_break_glass`]. Guardians: [`Pallet::set_guardians`],
//! [`Pallet::remove_guardians`], [`Pallet::guardian_approve`], [`Pallet::guardian_cancel`].
//!
//! ## Read path
//!
//! [`Pallet::records`], [`Pallet::active_grants`], [`Pallet::access_log`],
//! [`Pallet::can_access`], [`Pallet::request_terms`] and [`Pallet::read_ticket`] back the `EhrApi`
//! runtime API (crate `pallet-ehr-runtime-api`).

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
pub const LOG_TARGET: &str = "runtime::ehr";

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

	/// The in-code storage version. Version 2: a record names its sealed object
	/// ([`Record::content_id`]); see [`crate::migrations::v2`]. Version 3: [`ContentRecords`] is
	/// keyed by content id and issuer; see [`crate::migrations::v3`].
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that registers, suspends, resumes and removes providers.
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The origin that reviews break-glass accesses.
		type ReviewerOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The key-agreement registry (pallet-dna-wallet's): a read grant needs a grantee with a
		/// live X25519 key, or no record key could ever reach it.
		type KeyRegistry: medchain_keys::KeyAgreementRegistry<Self::AccountId>;

		/// Deposit held from the issuer for each record pointer, released when it is erased.
		#[pallet::constant]
		type RecordDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the granter for each grant, released when it is revoked or cleaned
		/// up.
		#[pallet::constant]
		type GrantDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the requester for each pending access request, released when it is
		/// answered, cancelled or cleaned up.
		#[pallet::constant]
		type RequestDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from a provider for each break-glass access, returned or paid to the
		/// patient at review. Larger than [`Config::GrantDeposit`], at least the existential
		/// deposit.
		#[pallet::constant]
		type BreakGlassDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the patient for their guardian set, released when it is removed.
		#[pallet::constant]
		type GuardianDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the proposing guardian for a pending guardian proposal, released
		/// when it executes or is cancelled.
		#[pallet::constant]
		type ProposalDeposit: Get<BalanceOf<Self>>;

		/// Maximum record pointers per patient: current and amended versions; an erased record
		/// frees its slot.
		#[pallet::constant]
		type MaxRecordsPerPatient: Get<u32>;

		/// Maximum grants per patient, dead ones included until removed.
		#[pallet::constant]
		type MaxGrantsPerPatient: Get<u32>;

		/// Maximum pending access requests per patient.
		#[pallet::constant]
		type MaxPendingRequests: Get<u32>;

		/// Maximum type codes or record ids in a grant scope.
		#[pallet::constant]
		type MaxScopeItems: Get<u32>;

		/// Maximum length in bytes of a FHIR document type code.
		#[pallet::constant]
		type MaxTypeCodeLen: Get<u32>;

		/// Maximum length in bytes of an encrypted locator.
		#[pallet::constant]
		type MaxLocatorLen: Get<u32>;

		/// Maximum length in bytes of a provider credential reference.
		#[pallet::constant]
		type MaxCredentialLen: Get<u32>;

		/// Maximum guardians per patient.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// Maximum pending guardian proposals per patient.
		#[pallet::constant]
		type MaxGuardianProposals: Get<u32>;

		/// How many access log entries are kept per patient; older ones are overwritten (the
		/// `log_access` calls in block history keep the full history; events name only the
		/// patient and the index).
		#[pallet::constant]
		type MaxAccessLogLen: Get<u32>;

		/// Maximum items one [`Pallet::cleanup_expired`] call removes.
		#[pallet::constant]
		type MaxCleanupBatch: Get<u32>;

		/// For how many blocks an access request can be approved.
		#[pallet::constant]
		type RequestTtl: Get<BlockNumberFor<Self>>;

		/// For how many blocks a break-glass access reads.
		#[pallet::constant]
		type BreakGlassDuration: Get<BlockNumberFor<Self>>;

		/// For how many blocks from its first approval a guardian proposal collects approvals.
		/// After that its approvals no longer count: a new approval starts it afresh, and anyone
		/// may remove it with [`Pallet::cleanup_expired`].
		#[pallet::constant]
		type GuardianProposalTtl: Get<BlockNumberFor<Self>>;

		/// For how many blocks after a logged read the record's object is served to its reader
		/// (runtime API `read_ticket`, asked by a vault at the chain's finalized head). It must
		/// cover the time from the `log_access` block being finalized to the fetch; longer lets
		/// one logged read be fetched again for longer. Revocation, expiry, suspension and
		/// erasure end reads at once regardless.
		#[pallet::constant]
		type ReadWindow: Get<BlockNumberFor<Self>>;

		/// Most review accesses one reviewer holds at a time (one per patient whose claim it
		/// reviews; see [`ReviewAccesses`]). Bounds the work of ending all of a reviewer's
		/// access when it leaves the review panels.
		#[pallet::constant]
		type MaxReviewAccessPerReviewer: Get<u32>;

		/// Weight information for the calls of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// A reason for this pallet placing a hold on funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A record pointer's deposit.
		#[codec(index = 0)]
		RecordDeposit,
		/// A grant's deposit.
		#[codec(index = 1)]
		GrantDeposit,
		/// A pending access request's deposit.
		#[codec(index = 2)]
		RequestDeposit,
		/// A break-glass access's deposit, pending review.
		#[codec(index = 3)]
		BreakGlassDeposit,
		/// A guardian set's deposit.
		#[codec(index = 4)]
		GuardianDeposit,
		/// A pending guardian proposal's deposit.
		#[codec(index = 5)]
		ProposalDeposit,
	}

	/// Registered providers.
	#[pallet::storage]
	pub type Providers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProviderInfoOf<T>, OptionQuery>;

	/// The id the next record pointer gets.
	#[pallet::storage]
	pub type NextRecordId<T: Config> = StorageValue<_, RecordId, ValueQuery>;

	/// Record pointers by id (ids are assigned by the pallet, hence `Twox64Concat`).
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, RecordId, RecordOf<T>, OptionQuery>;

	/// The record each issuer added naming a content id: how a vault holding an object finds the
	/// record that governs it, the one its uploader issued. An issuer names a content id in at
	/// most one record; another issuer naming the same id (content ids are public) neither blocks
	/// that record nor governs the object. Removed when the record is erased.
	#[pallet::storage]
	pub type ContentRecords<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ContentId,
		Blake2_128Concat,
		T::AccountId,
		RecordId,
		OptionQuery,
	>;

	/// The record ids of each patient, oldest first (erased records removed).
	#[pallet::storage]
	pub type PatientRecords<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<RecordId, T::MaxRecordsPerPatient>,
		ValueQuery,
	>;

	/// Grants: patient → grantee → grant.
	#[pallet::storage]
	pub type Grants<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		GrantOf<T>,
		OptionQuery,
	>;

	/// Number of grants (dead ones included) of each patient.
	#[pallet::storage]
	pub type GrantCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Pending access requests: patient → requesting provider → request.
	#[pallet::storage]
	pub type Requests<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		AccessRequestOf<T>,
		OptionQuery,
	>;

	/// Number of pending requests to each patient.
	#[pallet::storage]
	pub type RequestCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Each patient's access log, a ring of [`Config::MaxAccessLogLen`] slots: patient → slot
	/// (`index % MaxAccessLogLen`) → entry.
	#[pallet::storage]
	pub type AccessLog<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		u32,
		AccessEntryOf<T>,
		OptionQuery,
	>;

	/// The index the next access log entry of each patient gets (= entries ever logged).
	#[pallet::storage]
	pub type AccessLogNext<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Review access: reviewer → patient → access to the records a claim of the patient cites,
	/// for the reviewer's seat on the claim's panel. Granted and ended only through
	/// [`medchain_evidence::EvidenceRecords`] (by pallet-mutual-aid), never by a user call; at
	/// most [`Config::MaxReviewAccessPerReviewer`] per reviewer and one per (reviewer,
	/// patient). No deposit: the access lives only while the claim's review runs, and the
	/// claim's deposit (held by the citing pallet for the claim's life) pays for it.
	#[pallet::storage]
	pub type ReviewAccesses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		ReviewAccessOf<T>,
		OptionQuery,
	>;

	/// Number of review accesses (expired ones included until ended) of each reviewer.
	#[pallet::storage]
	pub type ReviewAccessCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Break-glass accesses not yet reviewed: patient → provider → access. Listed here until
	/// [`Pallet::review_break_glass`], even after they stop reading.
	#[pallet::storage]
	pub type BreakGlasses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		BreakGlassOf<T>,
		OptionQuery,
	>;

	/// Number of break-glass accesses awaiting review.
	#[pallet::storage]
	pub type PendingReviews<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Guardian sets by patient.
	#[pallet::storage]
	pub type Guardians<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, GuardianSetOf<T>, OptionQuery>;

	/// Pending guardian proposals: patient → hash of the action → proposal.
	#[pallet::storage]
	pub type GuardianProposals<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::Hash,
		GuardianProposalOf<T>,
		OptionQuery,
	>;

	/// Number of pending guardian proposals of each patient.
	#[pallet::storage]
	pub type ProposalCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider was registered.
		ProviderRegistered {
			/// The provider's account.
			provider: T::AccountId,
			/// What kind of provider.
			kind: ProviderKind,
		},
		/// A provider was suspended.
		ProviderSuspended {
			/// The provider's account.
			provider: T::AccountId,
		},
		/// A suspended provider was resumed.
		ProviderResumed {
			/// The provider's account.
			provider: T::AccountId,
		},
		/// A provider was removed from the registry.
		ProviderDeregistered {
			/// The provider's account.
			provider: T::AccountId,
		},
		/// A record pointer was added. Its type code is in [`Records`] (while the record
		/// exists), not in the event.
		RecordAdded {
			/// The new record's id.
			record_id: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// Who added it.
			issuer: T::AccountId,
		},
		/// A new version of a record was added; the old one is now `Amended`.
		RecordAmended {
			/// The new version's id.
			record_id: RecordId,
			/// The id of the version it supersedes.
			supersedes: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// Who amended it.
			issuer: T::AccountId,
			/// The new version number.
			version: u32,
		},
		/// A record was erased and removed from state.
		RecordErased {
			/// The record's id.
			record_id: RecordId,
			/// The patient.
			patient: T::AccountId,
		},
		/// A patient (or their guardians) granted access, replacing any earlier grant. Its
		/// terms (scope, actions, purpose, period) are in [`Grants`], not in the event.
		AccessGranted {
			/// The patient.
			patient: T::AccountId,
			/// Who may access.
			grantee: T::AccountId,
			/// The patient or the guardian that completed the approvals.
			granted_by: T::AccountId,
		},
		/// A grant was revoked.
		AccessRevoked {
			/// The patient.
			patient: T::AccountId,
			/// The former grantee.
			grantee: T::AccountId,
			/// The patient or the guardian that completed the approvals.
			revoked_by: T::AccountId,
		},
		/// A provider requested access. The terms are in [`Requests`], not in the event.
		AccessRequested {
			/// The patient asked.
			patient: T::AccountId,
			/// The requesting provider.
			requester: T::AccountId,
			/// The request can be approved until before this block.
			expires_at: BlockNumberFor<T>,
		},
		/// The patient approved a request; [`Event::AccessGranted`] follows from it.
		RequestApproved {
			/// The patient.
			patient: T::AccountId,
			/// The requesting provider.
			requester: T::AccountId,
		},
		/// The patient denied a request.
		RequestDenied {
			/// The patient.
			patient: T::AccountId,
			/// The requesting provider.
			requester: T::AccountId,
		},
		/// The requester withdrew a request.
		RequestCancelled {
			/// The patient.
			patient: T::AccountId,
			/// The requesting provider.
			requester: T::AccountId,
		},
		/// An access to a record was logged. Who read which record, for what and on which basis
		/// is in the patient's log ([`AccessLog`], runtime API `access_log`), not in the
		/// event.
		AccessLogged {
			/// The patient.
			patient: T::AccountId,
			/// The entry's index in the patient's log.
			index: u32,
		},
		/// A provider took break-glass emergency access; it awaits review.
		BreakGlassOpened {
			/// The patient.
			patient: T::AccountId,
			/// The provider.
			provider: T::AccountId,
			/// Emergency reads work until before this block.
			expires_at: BlockNumberFor<T>,
		},
		/// A break-glass access was reviewed.
		BreakGlassReviewed {
			/// The patient.
			patient: T::AccountId,
			/// The provider.
			provider: T::AccountId,
			/// Justified or unjustified.
			verdict: BreakGlassVerdict,
			/// The deposit returned to the provider (justified) or paid to the patient
			/// (unjustified).
			amount: BalanceOf<T>,
		},
		/// A patient set (or replaced) their guardians.
		GuardiansSet {
			/// The patient.
			patient: T::AccountId,
			/// The guardians, sorted.
			guardians: GuardianListOf<T>,
			/// Approvals needed.
			threshold: u32,
		},
		/// A patient removed their guardians.
		GuardiansRemoved {
			/// The patient.
			patient: T::AccountId,
		},
		/// A guardian approved a proposal that needs more approvals.
		GuardianApproved {
			/// The patient.
			patient: T::AccountId,
			/// The approving guardian.
			guardian: T::AccountId,
			/// Hash of the proposed action.
			proposal: T::Hash,
			/// Approvals by current guardians so far.
			approvals: u32,
		},
		/// A guardian action reached its threshold and was executed.
		GuardianActionExecuted {
			/// The patient.
			patient: T::AccountId,
			/// Hash of the executed action.
			proposal: T::Hash,
			/// Approvals it had.
			approvals: u32,
		},
		/// A pending guardian proposal was cancelled.
		GuardianProposalCancelled {
			/// The patient.
			patient: T::AccountId,
			/// Hash of the cancelled action.
			proposal: T::Hash,
			/// The proposer or the patient.
			cancelled_by: T::AccountId,
		},
		/// A dead grant was removed by [`Pallet::cleanup_expired`].
		ExpiredGrantRemoved {
			/// The patient.
			patient: T::AccountId,
			/// The former grantee.
			grantee: T::AccountId,
		},
		/// An expired request was removed by [`Pallet::cleanup_expired`].
		ExpiredRequestRemoved {
			/// The patient.
			patient: T::AccountId,
			/// The requester.
			requester: T::AccountId,
		},
		/// An expired guardian proposal was removed by [`Pallet::cleanup_expired`].
		ExpiredProposalRemoved {
			/// The patient.
			patient: T::AccountId,
			/// Hash of the proposed action.
			proposal: T::Hash,
		},
		/// A claim review panel's reviewer was given read access to the records the patient's
		/// claim cites (the records and period are in [`ReviewAccesses`], not in the event).
		ReviewAccessGranted {
			/// The patient (the claimant).
			patient: T::AccountId,
			/// The reviewer.
			reviewer: T::AccountId,
			/// The citing pallet's id of the review (the claim id).
			review: medchain_evidence::ReviewId,
		},
		/// A reviewer's review access ended: the review closed or the reviewer left the panel.
		ReviewAccessEnded {
			/// The patient (the claimant).
			patient: T::AccountId,
			/// The former reviewer.
			reviewer: T::AccountId,
			/// The citing pallet's id of the review (the claim id).
			review: medchain_evidence::ReviewId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered provider.
		ProviderAlreadyExists,
		/// The account is not a registered provider.
		ProviderNotFound,
		/// The provider is suspended.
		ProviderSuspended,
		/// The provider is not suspended.
		ProviderNotSuspended,
		/// No record with this id (for this patient).
		RecordNotFound,
		/// Only the current (`Active`) version of a record can be amended.
		RecordNotActive,
		/// The record is a tombstone left by an earlier runtime (erase it to remove it).
		RecordErased,
		/// The FHIR document type code is empty.
		InvalidTypeCode,
		/// The commitment is zero (the erased marker).
		InvalidCommitment,
		/// The encrypted locator is empty.
		InvalidLocator,
		/// The content id is zero.
		InvalidContentId,
		/// Another record of the same issuer already names this content id (an object its
		/// issuer uploaded belongs to one record; a new version is a new sealed object).
		ContentIdInUse,
		/// The patient has [`Config::MaxRecordsPerPatient`] records.
		TooManyRecords,
		/// The caller may not do this: not the owner, or no live grant covering the record and
		/// action.
		NotAuthorized,
		/// The caller named themselves where another account is required.
		CannotTargetSelf,
		/// No grant from this patient to this grantee.
		GrantNotFound,
		/// Neither read nor append was granted.
		InvalidActions,
		/// A `Types` or `Records` scope lists nothing.
		EmptyScope,
		/// `not_before` is not before `expires_at`, or the duration is zero.
		InvalidPeriod,
		/// The grant or request has expired, or `expires_at` is not in the future.
		Expired,
		/// The grant is not valid yet (`now < not_before`).
		NotYetValid,
		/// A read limit of zero.
		InvalidReadLimit,
		/// The grant's read limit is used up.
		ReadLimitReached,
		/// The purpose differs from the purpose the grant was given for.
		PurposeMismatch,
		/// The patient has [`Config::MaxGrantsPerPatient`] grants.
		TooManyGrants,
		/// No pending request from this provider to this patient.
		RequestNotFound,
		/// The patient has [`Config::MaxPendingRequests`] pending requests.
		TooManyRequests,
		/// The caller's earlier request to this patient is still pending; cancel it first.
		RequestAlreadyExists,
		/// The terms hash names other terms than the pending request's.
		TermsMismatch,
		/// Only clinical providers (hospital, clinic, clinician) may break glass.
		ProviderNotClinical,
		/// This provider has an unreviewed break-glass access to this patient.
		BreakGlassAlreadyExists,
		/// No unreviewed break-glass access of this provider to this patient.
		BreakGlassNotFound,
		/// The patient has no guardians.
		GuardiansNotFound,
		/// The threshold is zero or larger than the number of guardians.
		InvalidThreshold,
		/// A guardian is listed twice.
		DuplicateGuardian,
		/// This guardian already approved this proposal.
		AlreadyApproved,
		/// No such pending guardian proposal.
		ProposalNotFound,
		/// The patient has [`Config::MaxGuardianProposals`] pending proposals.
		TooManyProposals,
		/// Guardians cannot be removed while proposals are pending; cancel them first.
		ProposalsPending,
		/// The grant or request is still live.
		NotExpired,
		/// The same item is listed twice.
		DuplicateTarget,
		/// The reviewer already has live review access to this patient's records (for another
		/// review).
		ReviewAccessAlreadyExists,
		/// The reviewer holds [`Config::MaxReviewAccessPerReviewer`] review accesses.
		TooManyReviewAccesses,
		/// More records than [`Config::MaxScopeItems`] for one review access.
		TooManyScopeItems,
		/// The grantee (or requester) of read access has no live X25519 key in the
		/// key-agreement registry (`dnaWallet.registerKey`), so no record key can be sent to it.
		GranteeHasNoKey,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Providers registered at genesis: `(account, kind, credential reference)`.
		pub providers: Vec<(T::AccountId, ProviderKind, Vec<u8>)>,
		/// Demo grants, scope `All`, no read limit, valid from genesis:
		/// `(patient, grantee, actions, purpose, expires_at)`. The deposit is held from the
		/// patient. The grantee must be in `providers`.
		pub grants:
			Vec<(T::AccountId, T::AccountId, AccessActions, PurposeOfUse, BlockNumberFor<T>)>,
		/// Demo record pointers: `(patient, issuer, type code, commitment, content id, encrypted
		/// locator, size)`. The deposit is held from the issuer; a provider issuer needs an
		/// append grant in `grants`.
		pub records: Vec<(T::AccountId, T::AccountId, Vec<u8>, H256, ContentId, Vec<u8>, u64)>,
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
			assert!(!T::RecordDeposit::get().is_zero(), "RecordDeposit must be non-zero");
			assert!(!T::GrantDeposit::get().is_zero(), "GrantDeposit must be non-zero");
			assert!(!T::RequestDeposit::get().is_zero(), "RequestDeposit must be non-zero");
			assert!(!T::GuardianDeposit::get().is_zero(), "GuardianDeposit must be non-zero");
			assert!(!T::ProposalDeposit::get().is_zero(), "ProposalDeposit must be non-zero");
			assert!(
				T::BreakGlassDeposit::get() > T::GrantDeposit::get(),
				"BreakGlassDeposit must exceed GrantDeposit"
			);
			assert!(
				T::BreakGlassDeposit::get()
					>= <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance(),
				"BreakGlassDeposit must be at least the existential deposit (it may be paid to \
				 an empty patient account)"
			);
			assert!(T::MaxRecordsPerPatient::get() > 0, "MaxRecordsPerPatient must be non-zero");
			assert!(T::MaxGrantsPerPatient::get() > 0, "MaxGrantsPerPatient must be non-zero");
			assert!(T::MaxPendingRequests::get() > 0, "MaxPendingRequests must be non-zero");
			assert!(T::MaxScopeItems::get() > 0, "MaxScopeItems must be non-zero");
			assert!(T::MaxTypeCodeLen::get() > 0, "MaxTypeCodeLen must be non-zero");
			assert!(T::MaxLocatorLen::get() > 0, "MaxLocatorLen must be non-zero");
			assert!(T::MaxCredentialLen::get() > 0, "MaxCredentialLen must be non-zero");
			assert!(T::MaxGuardians::get() > 0, "MaxGuardians must be non-zero");
			assert!(T::MaxGuardianProposals::get() > 0, "MaxGuardianProposals must be non-zero");
			assert!(T::MaxAccessLogLen::get() > 0, "MaxAccessLogLen must be non-zero");
			assert!(T::MaxCleanupBatch::get() > 0, "MaxCleanupBatch must be non-zero");
			assert!(
				T::MaxReviewAccessPerReviewer::get() > 0,
				"MaxReviewAccessPerReviewer must be non-zero"
			);
			assert!(!T::RequestTtl::get().is_zero(), "RequestTtl must be non-zero");
			assert!(!T::BreakGlassDuration::get().is_zero(), "BreakGlassDuration must be non-zero");
			assert!(!T::ReadWindow::get().is_zero(), "ReadWindow must be non-zero");
			assert!(
				!T::GuardianProposalTtl::get().is_zero(),
				"GuardianProposalTtl must be non-zero"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register `provider` as a provider of `kind` with a `credential` reference.
		///
		/// Origin: [`Config::RegistrarOrigin`]. The provider starts active. Emits
		/// [`Event::ProviderRegistered`]. Errors: [`Error::ProviderAlreadyExists`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(
			origin: OriginFor<T>,
			provider: T::AccountId,
			kind: ProviderKind,
			credential: CredentialOf<T>,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_register_provider(provider, kind, credential)
		}

		/// Suspend `provider`: until resumed it cannot add records, read, request, receive
		/// grants or break glass.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::ProviderSuspended`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderSuspended`] if already suspended.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend_provider())]
		pub fn suspend_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_set_provider_status(provider, ProviderStatus::Suspended)
		}

		/// Resume a suspended `provider`.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::ProviderResumed`]. Errors:
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotSuspended`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::resume_provider())]
		pub fn resume_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_set_provider_status(provider, ProviderStatus::Active)
		}

		/// Remove `provider` from the registry. Grants to it stay until revoked or cleaned up
		/// but cannot be used; its unreviewed break-glass accesses stay reviewable.
		///
		/// Origin: [`Config::RegistrarOrigin`]. Emits [`Event::ProviderDeregistered`]. Errors:
		/// [`Error::ProviderNotFound`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::deregister_provider())]
		pub fn deregister_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_deregister_provider(provider)
		}

		/// Add a pointer to an encrypted document of `patient`.
		///
		/// Origin: signed by `patient`, or by an active provider holding a live append grant of
		/// `patient` whose scope covers `type_code`. `commitment` must be the salted
		/// `H(salt ‖ content-hash)`, `content_id` the sealing-v1 content id of the sealed object
		/// (what a vault serves it under), `locator` encrypted to the patient. Holds
		/// [`Config::RecordDeposit`] from the caller until the record is erased.
		///
		/// Emits [`Event::RecordAdded`]. Errors: [`Error::InvalidTypeCode`],
		/// [`Error::InvalidCommitment`], [`Error::InvalidContentId`], [`Error::InvalidLocator`],
		/// [`Error::ContentIdInUse`], [`Error::ProviderNotFound`],
		/// [`Error::ProviderSuspended`], [`Error::NotAuthorized`], [`Error::NotYetValid`],
		/// [`Error::Expired`], [`Error::TooManyRecords`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::add_record())]
		pub fn add_record(
			origin: OriginFor<T>,
			patient: T::AccountId,
			type_code: TypeCodeOf<T>,
			commitment: H256,
			content_id: ContentId,
			locator: LocatorOf<T>,
			size: u64,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_add_record(issuer, patient, type_code, commitment, content_id, locator, size)
				.map(|_| ())
		}

		/// Add a new version of the active record `record_id`; the old version becomes
		/// `Amended` and both stay readable to grantees.
		///
		/// Origin: signed by the patient, or by an active provider holding a live append grant
		/// whose scope covers the record. Holds [`Config::RecordDeposit`] from the caller for
		/// the new version, whose sealed object is a new one (`content_id`). Emits
		/// [`Event::RecordAmended`]. Errors: [`Error::RecordNotFound`],
		/// [`Error::RecordNotActive`], [`Error::InvalidCommitment`],
		/// [`Error::InvalidContentId`], [`Error::InvalidLocator`], [`Error::ContentIdInUse`],
		/// [`Error::NotAuthorized`], [`Error::NotYetValid`], [`Error::Expired`],
		/// [`Error::TooManyRecords`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::amend_record())]
		pub fn amend_record(
			origin: OriginFor<T>,
			record_id: RecordId,
			commitment: H256,
			content_id: ContentId,
			locator: LocatorOf<T>,
			size: u64,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_amend_record(issuer, record_id, commitment, content_id, locator, size)
				.map(|_| ())
		}

		/// Erase record `record_id` (right to erasure): remove the pointer from state and free
		/// its slot under [`Config::MaxRecordsPerPatient`]; its id is never reused. A tombstone
		/// left by an earlier runtime is removed the same way. The patient's client destroys
		/// the off-chain key and ciphertext. Other versions of the document stay until erased.
		///
		/// Origin: signed by the patient. Releases the record's deposit to its depositor.
		/// Emits [`Event::RecordErased`]. Errors: [`Error::RecordNotFound`] (also once erased),
		/// [`Error::NotAuthorized`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::erase_record())]
		pub fn erase_record(origin: OriginFor<T>, record_id: RecordId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_erase_record(patient, record_id)
		}

		/// Grant the active provider `grantee` `actions` on the caller's records in `scope`,
		/// for `purpose`, in blocks `not_before <= now < expires_at`, with at most `max_reads`
		/// reads (`None`: unlimited). Replaces an earlier grant to `grantee`.
		///
		/// Origin: signed patient. Holds [`Config::GrantDeposit`] until the grant is revoked
		/// or cleaned up (kept when replacing). Emits [`Event::AccessGranted`]. Errors:
		/// [`Error::CannotTargetSelf`], [`Error::ProviderNotFound`],
		/// [`Error::ProviderSuspended`], [`Error::InvalidActions`], [`Error::GranteeHasNoKey`]
		/// for read access to an account without a live X25519 key, [`Error::EmptyScope`],
		/// [`Error::InvalidPeriod`], [`Error::Expired`] if `expires_at` is not in the future,
		/// [`Error::InvalidReadLimit`], [`Error::TooManyGrants`] at
		/// [`Config::MaxGrantsPerPatient`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::grant_access())]
		pub fn grant_access(
			origin: OriginFor<T>,
			grantee: T::AccountId,
			scope: GrantScopeOf<T>,
			actions: AccessActions,
			purpose: PurposeOfUse,
			not_before: BlockNumberFor<T>,
			expires_at: BlockNumberFor<T>,
			max_reads: Option<u32>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_grant_access(
				patient.clone(),
				patient,
				grantee,
				scope,
				actions,
				purpose,
				not_before,
				expires_at,
				max_reads,
			)
		}

		/// Revoke the caller's grant to `grantee`, effective immediately.
		///
		/// Origin: signed patient (guardians use [`Pallet::guardian_approve`]). Releases the
		/// grant's deposit. Emits [`Event::AccessRevoked`]. Errors: [`Error::GrantNotFound`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::revoke_access())]
		pub fn revoke_access(origin: OriginFor<T>, grantee: T::AccountId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_revoke_access(patient.clone(), patient, grantee)
		}

		/// Ask `patient` for `actions` on records in `scope` for `purpose`, for `duration`
		/// blocks from approval. The request can be approved for [`Config::RequestTtl`]
		/// blocks; until then it cannot be replaced (cancel it first), after that a new
		/// request replaces it.
		///
		/// Origin: signed active provider. Holds [`Config::RequestDeposit`] until answered,
		/// cancelled or cleaned up. Emits [`Event::AccessRequested`]. Errors:
		/// [`Error::CannotTargetSelf`], [`Error::ProviderNotFound`],
		/// [`Error::ProviderSuspended`], [`Error::InvalidActions`], [`Error::GranteeHasNoKey`]
		/// for read access without a live X25519 key of the caller's, [`Error::EmptyScope`],
		/// [`Error::InvalidPeriod`] for a zero duration, [`Error::RequestAlreadyExists`] while
		/// the caller's earlier request is pending, [`Error::TooManyRequests`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::request_access())]
		pub fn request_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			scope: GrantScopeOf<T>,
			actions: AccessActions,
			purpose: PurposeOfUse,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_request_access(requester, patient, scope, actions, purpose, duration)
		}

		/// Approve or deny the pending request of `requester`. Approving grants exactly what
		/// was requested, from now for the requested duration, without a read limit, and only
		/// if `terms_hash` names those terms: blake2-256 of the SCALE encoding of `(scope,
		/// actions, purpose, duration)` ([`AccessRequest::terms_hash`], runtime API
		/// `request_terms`), so an approval never grants terms the patient did not see.
		/// Denying ignores `terms_hash`.
		///
		/// Origin: signed patient. Releases the request deposit; approving holds
		/// [`Config::GrantDeposit`] from the patient. Emits [`Event::RequestApproved`] and
		/// [`Event::AccessGranted`], or [`Event::RequestDenied`]. Errors:
		/// [`Error::RequestNotFound`]; when approving, [`Error::Expired`],
		/// [`Error::TermsMismatch`] and the errors of [`Pallet::grant_access`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::respond_request())]
		pub fn respond_request(
			origin: OriginFor<T>,
			requester: T::AccountId,
			approve: bool,
			terms_hash: H256,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_respond_request(patient, requester, approve, terms_hash)
		}

		/// Withdraw the caller's pending request to `patient`.
		///
		/// Origin: signed requester. Releases the request deposit. Emits
		/// [`Event::RequestCancelled`]. Errors: [`Error::RequestNotFound`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::cancel_request())]
		pub fn cancel_request(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_cancel_request(requester, patient)
		}

		/// Log that the caller reads record `record_id` of `patient` for `purpose`. A vault
		/// serves the record's sealed object and key envelope to a grantee only once this is
		/// finalized, for [`Config::ReadWindow`] blocks (runtime API `read_ticket`). Counts down
		/// the grant's read limit.
		///
		/// Origin: signed by the patient, or by an active provider with a live read grant
		/// covering the record for this purpose, or with a live break-glass access (then the
		/// purpose must be `Emergency`), or by a claim reviewer (provider or not) with live
		/// review access listing the record (then the purpose must be `ClaimReview`). Nothing is
		/// logged when it fails. Emits [`Event::AccessLogged`]. Errors:
		/// [`Error::RecordNotFound`], [`Error::RecordErased`], [`Error::ProviderNotFound`],
		/// [`Error::ProviderSuspended`], [`Error::NotAuthorized`], [`Error::NotYetValid`],
		/// [`Error::Expired`], [`Error::PurposeMismatch`], [`Error::ReadLimitReached`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::log_access())]
		pub fn log_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			record_id: RecordId,
			purpose: PurposeOfUse,
		) -> DispatchResult {
			let accessor = ensure_signed(origin)?;
			Self::do_log_access(accessor, patient, record_id, purpose)
		}

		/// Take emergency read access to all records of `patient` without consent, for
		/// [`Config::BreakGlassDuration`] blocks. `reason_commitment` is a salted commitment to
		/// the reason, disclosed to the reviewer off chain. The access is logged in the
		/// patient's access log and awaits [`Pallet::review_break_glass`].
		///
		/// Origin: signed active clinical provider ([`ProviderKind::is_clinical`]: hospital,
		/// clinic, clinician). Holds [`Config::BreakGlassDeposit`] until review.
		/// Emits [`Event::BreakGlassOpened`]. Errors: [`Error::CannotTargetSelf`],
		/// [`Error::ProviderNotFound`], [`Error::ProviderSuspended`],
		/// [`Error::ProviderNotClinical`],
		/// [`Error::InvalidCommitment`], [`Error::BreakGlassAlreadyExists`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::break_glass())]
		pub fn break_glass(
			origin: OriginFor<T>,
			patient: T::AccountId,
			reason_commitment: H256,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_break_glass(provider, patient, reason_commitment)
		}

		/// Review the break-glass access of `provider` to `patient`, ending it if still live.
		/// `Justified` returns the deposit to the provider; `Unjustified` pays it to the
		/// patient.
		///
		/// Origin: [`Config::ReviewerOrigin`]. Emits [`Event::BreakGlassReviewed`]. Errors:
		/// [`Error::BreakGlassNotFound`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::review_break_glass())]
		pub fn review_break_glass(
			origin: OriginFor<T>,
			patient: T::AccountId,
			provider: T::AccountId,
			verdict: BreakGlassVerdict,
		) -> DispatchResult {
			T::ReviewerOrigin::ensure_origin(origin)?;
			Self::do_review_break_glass(patient, provider, verdict)
		}

		/// Set the caller's guardians: any `threshold` of `guardians` may then grant and revoke
		/// for the caller through [`Pallet::guardian_approve`]. Replaces an earlier set;
		/// pending proposals stay, and only approvals of current guardians count.
		///
		/// Origin: signed patient. Holds [`Config::GuardianDeposit`] until removed (kept when
		/// replacing). Emits [`Event::GuardiansSet`]. Errors: [`Error::InvalidThreshold`],
		/// [`Error::CannotTargetSelf`], [`Error::DuplicateGuardian`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::set_guardians(guardians.len() as u32))]
		pub fn set_guardians(
			origin: OriginFor<T>,
			guardians: GuardianListOf<T>,
			threshold: u32,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_set_guardians(patient, guardians, threshold)
		}

		/// Remove the caller's guardians.
		///
		/// Origin: signed patient. Releases the guardian deposit. Emits
		/// [`Event::GuardiansRemoved`]. Errors: [`Error::GuardiansNotFound`],
		/// [`Error::ProposalsPending`] (cancel them with [`Pallet::guardian_cancel`]).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::remove_guardians())]
		pub fn remove_guardians(origin: OriginFor<T>) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_remove_guardians(patient)
		}

		/// Approve `action` for `patient`. The first approval proposes it; when approvals of
		/// current guardians reach the threshold the action executes (the executing guardian
		/// pays the grant deposit) and the proposal is removed. Approvals count for
		/// [`Config::GuardianProposalTtl`] blocks from the first: approving an older proposal
		/// replaces it by a fresh one with this approval only (the old proposer's deposit is
		/// released, the caller's held).
		///
		/// Origin: signed guardian of `patient`. A new proposal below the threshold holds
		/// [`Config::ProposalDeposit`] from the proposer until it executes or is cancelled.
		/// Emits [`Event::GuardianApproved`], or [`Event::GuardianActionExecuted`] after the
		/// action's own event. Errors: [`Error::GuardiansNotFound`], [`Error::NotAuthorized`],
		/// [`Error::AlreadyApproved`], [`Error::TooManyProposals`], and the errors of
		/// [`Pallet::grant_access`] / [`Pallet::revoke_access`] for the action.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::guardian_approve())]
		pub fn guardian_approve(
			origin: OriginFor<T>,
			patient: T::AccountId,
			action: GuardianActionOf<T>,
		) -> DispatchResult {
			let guardian = ensure_signed(origin)?;
			Self::do_guardian_approve(guardian, patient, action)
		}

		/// Cancel the pending guardian proposal `proposal` (the action hash) of `patient`.
		///
		/// Origin: signed by the proposer or the patient. Releases the proposal deposit. Emits
		/// [`Event::GuardianProposalCancelled`]. Errors: [`Error::ProposalNotFound`],
		/// [`Error::NotAuthorized`].
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::guardian_cancel())]
		pub fn guardian_cancel(
			origin: OriginFor<T>,
			patient: T::AccountId,
			proposal: T::Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_guardian_cancel(who, patient, proposal)
		}

		/// Remove dead grants, expired requests and expired guardian proposals, releasing their
		/// deposits to whoever paid them. All targets are checked before any is removed.
		///
		/// Origin: any signed account. Emits [`Event::ExpiredGrantRemoved`] /
		/// [`Event::ExpiredRequestRemoved`] / [`Event::ExpiredProposalRemoved`] per target.
		/// Errors: [`Error::DuplicateTarget`], [`Error::GrantNotFound`],
		/// [`Error::RequestNotFound`], [`Error::ProposalNotFound`], [`Error::NotExpired`].
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::cleanup_expired(targets.len() as u32))]
		pub fn cleanup_expired(
			origin: OriginFor<T>,
			targets: BoundedVec<CleanupTarget<T::AccountId, T::Hash>, T::MaxCleanupBatch>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_cleanup_expired(targets)
		}
	}
}
