//! What a pallet that cites health records as evidence (`pallet-mutual-aid`'s claims) may learn
//! about them from the pallet that holds them (`pallet-ehr`): who the record is about, who
//! issued it, when, whether it is current, and whether its issuer is a provider; and how the
//! citing pallet's review panel gets read access to exactly the cited records for the time of a
//! review. The holding pallet implements [`EvidenceRecords`]; the runtime names it in the citing
//! pallet's Config.

#![cfg_attr(not(feature = "std"), no_std)]

use sp_runtime::{DispatchError, DispatchResult};

/// The id of a health record (`pallet-ehr`'s `RecordId`).
pub type RecordId = u64;

/// The citing pallet's id of one review (`pallet-mutual-aid`'s claim id): which review a
/// reviewer's read access belongs to, so that ending one review never ends another.
pub type ReviewId = u64;

/// What a citing pallet may know about a record: no content, no type, no location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceRecord<AccountId, BlockNumber> {
	/// The patient the record is about.
	pub patient: AccountId,
	/// Who added the record (the patient or a provider).
	pub issuer: AccountId,
	/// The block in which the record was added.
	pub issued_at: BlockNumber,
	/// Whether the record is the current version (not amended or erased).
	pub active: bool,
}

/// Reads of the records cited as evidence and of the provider registry, and the review access
/// of a panel. `()` knows no record (every citation is refused) and grants nothing, for a
/// runtime without a record pallet.
///
/// Review access is the one way a reviewer who is not a provider reads a patient's records: the
/// citing pallet grants it when it draws a panel and ends it when the review closes or the
/// reviewer leaves the panel. It covers exactly the listed records of one patient, for reading
/// only, until a block; every read is logged in the patient's access log. No user call of the
/// holding pallet can create it.
pub trait EvidenceRecords<AccountId, BlockNumber> {
	/// Record `record_id`, if it exists (one storage read).
	fn evidence_record(record_id: RecordId) -> Option<EvidenceRecord<AccountId, BlockNumber>>;

	/// Whether `who` is a registered, active provider that can diagnose (one storage read).
	fn is_active_provider(who: &AccountId) -> bool;

	/// Whether [`Self::grant_review_access`] of `patient`'s records to `reviewer` would be
	/// accepted now (not the patient, no live review access to this patient, below the
	/// per-reviewer bound). At most two storage reads.
	fn can_grant_review_access(patient: &AccountId, reviewer: &AccountId) -> bool;

	/// Let `reviewer` read `records` of `patient` (and nothing else) for review `review`, from
	/// now until before block `until`. Fails if a listed record exists but is not `patient`'s,
	/// if the list is empty or too long, if `until` is not in the future, if `reviewer` already
	/// has live review access to `patient` or holds the most review accesses allowed. Records
	/// that no longer exist (erased) are listed but can never be read.
	fn grant_review_access(
		patient: &AccountId,
		reviewer: &AccountId,
		review: ReviewId,
		records: &[RecordId],
		until: BlockNumber,
	) -> DispatchResult;

	/// End `reviewer`'s access to `patient`'s records for review `review`, if it exists (access
	/// for another review is left alone). Returns whether access was ended.
	fn end_review_access(patient: &AccountId, reviewer: &AccountId, review: ReviewId) -> bool;

	/// End every review access of `reviewer` (it left every panel). Returns how many ended; at
	/// most [`Self::max_review_access`].
	fn end_all_review_access(reviewer: &AccountId) -> u32;

	/// The review this `reviewer`'s access to `patient` belongs to, if any (live or expired but
	/// not yet ended).
	fn review_access(patient: &AccountId, reviewer: &AccountId) -> Option<ReviewId>;

	/// The most review accesses one reviewer holds at a time: bounds
	/// [`Self::end_all_review_access`].
	fn max_review_access() -> u32;

	/// Create the `index`-th distinct record of `patient`, issued now by an active registered
	/// provider of its own (each record's issuer is read: distinct issuers are the worst case),
	/// for the citing pallet's benchmarks; returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn create_benchmark_record(patient: &AccountId, index: u32) -> Option<RecordId>;
}

impl<AccountId, BlockNumber> EvidenceRecords<AccountId, BlockNumber> for () {
	fn evidence_record(_record_id: RecordId) -> Option<EvidenceRecord<AccountId, BlockNumber>> {
		None
	}

	fn is_active_provider(_who: &AccountId) -> bool {
		false
	}

	fn can_grant_review_access(_patient: &AccountId, _reviewer: &AccountId) -> bool {
		false
	}

	fn grant_review_access(
		_patient: &AccountId,
		_reviewer: &AccountId,
		_review: ReviewId,
		_records: &[RecordId],
		_until: BlockNumber,
	) -> DispatchResult {
		Err(DispatchError::Other("no record pallet"))
	}

	fn end_review_access(_patient: &AccountId, _reviewer: &AccountId, _review: ReviewId) -> bool {
		false
	}

	fn end_all_review_access(_reviewer: &AccountId) -> u32 {
		0
	}

	fn review_access(_patient: &AccountId, _reviewer: &AccountId) -> Option<ReviewId> {
		None
	}

	fn max_review_access() -> u32 {
		0
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_benchmark_record(_patient: &AccountId, _index: u32) -> Option<RecordId> {
		None
	}
}
