//! Runtime API of the EHR pallet: what a patient's wallet, a provider's gateway and
//! polkadot.js need to read without decoding storage. Exposed over JSON-RPC by the node as
//! `ehr_records`, `ehr_activeGrants`, `ehr_accessLog`, `ehr_canAccess`, `ehr_readTicket`
//! (version 3, what a vault asks before it serves a record's sealed object) and
//! `ehr_reviewAccesses` (version 4, who reads for a claim's review); `request_terms`
//! (version 2) is read with `state_call` (polkadot.js: `api.call.ehrApi.requestTerms`).
//!
//! Each method maps one-to-one onto a read helper of `pallet_ehr::Pallet` (`Ehr::records`,
//! `Ehr::active_grants`, `Ehr::access_log`, `Ehr::can_access`), so the runtime implementation
//! (`runtime/src/apis.rs`) is one line per method.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

pub use pallet_ehr::{
	AccessAction, AccessBasis, AccessEntry, ContentId, GrantScopeView, GrantView, PurposeOfUse,
	ReadRefusal, ReadTicket, ReadVerdict, RecordId, RecordStatus, RecordView, RecordViewV2,
	ReviewAccessView, TermsHash,
};

sp_api::decl_runtime_apis! {
	/// Read access to EHR record pointers, grants and access logs.
	///
	/// Version 2 adds `request_terms`. Version 3 adds `read_ticket`, and `records` returns each
	/// record's content id. Version 4 adds `review_accesses`. Version 5: `read_ticket` names the
	/// object's uploader, and answers with the record that uploader issued. Every method is in the
	/// latest version (a `changed_in` needs the trait at that version); a node asks `api_version`
	/// before calling at blocks of an older runtime.
	#[api_version(5)]
	pub trait EhrApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The record pointers of `patient` as versions 1 and 2 returned them (no content id);
		/// a node calls it at blocks of an older runtime (`records_before_version_3`).
		#[changed_in(3)]
		fn records(patient: AccountId) -> Vec<RecordViewV2<AccountId, BlockNumber>>;

		/// The record pointers of `patient`, oldest first (erased records are gone). Pointers
		/// only: salted commitments, content ids and encrypted locators.
		fn records(patient: AccountId) -> Vec<RecordView<AccountId, BlockNumber>>;

		/// The grants of `patient` that are not dead (expired, or out of reads without append).
		fn active_grants(patient: AccountId) -> Vec<GrantView<AccountId, BlockNumber>>;

		/// Up to `limit` entries of `patient`'s access log from index `from`, oldest first.
		fn access_log(patient: AccountId, from: u32, limit: u32) -> Vec<AccessEntry<AccountId, BlockNumber>>;

		/// Whether `grantee` may do `action` on record `record_id` now.
		fn can_access(grantee: AccountId, record_id: RecordId, action: AccessAction) -> bool;

		/// The terms hash of `requester`'s pending request to `patient`: what
		/// `Ehr::respond_request` must name to approve it (blake2-256 of the SCALE-encoded
		/// `(scope, actions, purpose, duration)`), or `None` without a request.
		fn request_terms(patient: AccountId, requester: AccountId) -> Option<TermsHash>;

		/// `read_ticket` as versions 3 and 4 answered it, when one record at most named a
		/// content id; a node calls it at blocks of an older runtime
		/// (`read_ticket_before_version_5`) and keeps the answer only if `uploader` issued it.
		#[changed_in(5)]
		fn read_ticket(reader: AccountId, content_id: ContentId) -> Option<ReadTicket<AccountId, BlockNumber>>;

		/// What a vault holding the sealed object `content_id`, uploaded by `uploader`, may do
		/// for `reader` at this block: the record `uploader` issued naming the object, its
		/// patient and issuer, and whether `reader` may have the object and its key envelope (the
		/// patient; or a reader with a live grant or break-glass access who logged a read of this
		/// record within the pallet's `ReadWindow`). `None` when no record of `uploader` names
		/// the object (never added, erased, or named only by another issuer's record).
		fn read_ticket(reader: AccountId, content_id: ContentId, uploader: AccountId) -> Option<ReadTicket<AccountId, BlockNumber>>;

		/// The review accesses to `patient`'s records that still read or will: a claim panel's
		/// reviewers, the records each may read and until when (every read is also logged).
		fn review_accesses(patient: AccountId) -> Vec<ReviewAccessView<AccountId, BlockNumber>>;
	}
}
