//! What a pallet that cites health records as evidence (`pallet-mutual-aid`'s claims) may learn
//! about them from the pallet that holds them (`pallet-ehr`): who the record is about, who
//! issued it, when, whether it is current, and whether its issuer is a provider. The holding
//! pallet implements [`EvidenceRecords`]; the runtime names it in the citing pallet's Config.

#![cfg_attr(not(feature = "std"), no_std)]

/// The id of a health record (`pallet-ehr`'s `RecordId`).
pub type RecordId = u64;

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

/// Reads of the records cited as evidence and of the provider registry. `()` knows no record
/// (every citation is refused), for a runtime without a record pallet.
pub trait EvidenceRecords<AccountId, BlockNumber> {
	/// Record `record_id`, if it exists (one storage read).
	fn evidence_record(record_id: RecordId) -> Option<EvidenceRecord<AccountId, BlockNumber>>;

	/// Whether `who` is a registered, active provider that can diagnose (one storage read).
	fn is_active_provider(who: &AccountId) -> bool;

	/// Create the `index`-th distinct record of `patient`, issued now by an active registered
	/// provider, for the citing pallet's benchmarks; returns its id.
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

	#[cfg(feature = "runtime-benchmarks")]
	fn create_benchmark_record(_patient: &AccountId, _index: u32) -> Option<RecordId> {
		None
	}
}
