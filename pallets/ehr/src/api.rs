//! Read helpers behind the `EhrApi` runtime API. Each is bounded by a per-patient cap.

use crate::*;
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The record pointers of `patient`, oldest first; erased records are gone.
	/// Pointers only: commitment and encrypted locator, never keys or content.
	pub fn records(patient: T::AccountId) -> Vec<RecordViewOf<T>> {
		PatientRecords::<T>::get(&patient)
			.into_iter()
			.filter_map(|id| {
				Records::<T>::get(id).map(|r| RecordView {
					id,
					patient: r.patient,
					issuer: r.issuer,
					type_code: r.type_code.into_inner(),
					commitment: r.commitment,
					content_id: r.content_id,
					locator: r.locator.into_inner(),
					size: r.size,
					version: r.version,
					supersedes: r.supersedes,
					status: r.status,
					created_at: r.created_at,
				})
			})
			.collect()
	}

	/// The grants of `patient` that are not dead (including those whose `not_before` is still
	/// ahead).
	pub fn active_grants(patient: T::AccountId) -> Vec<GrantViewOf<T>> {
		let now = Self::now();
		Grants::<T>::iter_prefix(&patient)
			.filter(|(_, grant)| !grant.is_dead(&now))
			.map(|(grantee, grant)| GrantView {
				grantee,
				scope: grant.scope.to_view(),
				actions: grant.actions,
				purpose: grant.purpose,
				not_before: grant.not_before,
				expires_at: grant.expires_at,
				reads_left: grant.reads_left,
				granted_by: grant.granted_by,
			})
			.collect()
	}

	/// The review accesses to `patient`'s records that still read or will (a claim's panel
	/// reading the records the claim cites), by reviewer. The map is keyed by reviewer, so this
	/// scans it whole: at most [`Config::MaxReviewAccessPerReviewer`] per reviewer, and only the
	/// citing pallet's few reviewers hold any.
	pub fn review_accesses(patient: T::AccountId) -> Vec<ReviewAccessViewOf<T>> {
		let now = Self::now();
		ReviewAccesses::<T>::iter()
			.filter(|(_, of, access)| *of == patient && now < access.expires_at)
			.map(|(reviewer, _, access)| ReviewAccessView {
				reviewer,
				review: access.review,
				records: access.records.into_inner(),
				granted_at: access.granted_at,
				expires_at: access.expires_at,
			})
			.collect()
	}

	/// Up to `limit` entries of `patient`'s access log from index `from`, oldest first. Only
	/// the last [`Config::MaxAccessLogLen`] entries are kept; older indexes are skipped.
	pub fn access_log(patient: T::AccountId, from: u32, limit: u32) -> Vec<AccessEntryOf<T>> {
		let max = T::MaxAccessLogLen::get();
		let next = AccessLogNext::<T>::get(&patient);
		let start = from.max(next.saturating_sub(max));
		let end = start.saturating_add(limit.min(max)).min(next);
		(start..end)
			.filter_map(|index| {
				let slot = index.checked_rem(max)?;
				AccessLog::<T>::get(&patient, slot).filter(|entry| entry.index == index)
			})
			.collect()
	}

	/// The terms hash of `requester`'s pending request to `patient` (what
	/// [`Pallet::respond_request`] must name to approve it), or `None` without a request.
	pub fn request_terms(patient: T::AccountId, requester: T::AccountId) -> Option<TermsHash> {
		Requests::<T>::get(&patient, &requester).map(|request| request.terms_hash())
	}

	/// What a vault holding the sealed object `content_id`, uploaded by `uploader`, may do for
	/// `reader` now: the record `uploader` issued naming the object, its patient and issuer, and
	/// whether `reader` may have the object and its key envelope ([`ReadVerdict`]). `None` when
	/// no record of `uploader` names the object (never added, erased, or only another issuer's
	/// record names it: that record is not about these bytes).
	pub fn read_ticket(
		reader: T::AccountId,
		content_id: ContentId,
		uploader: T::AccountId,
	) -> Option<ReadTicketOf<T>> {
		let record_id = ContentRecords::<T>::get(content_id, uploader)?;
		let record = Records::<T>::get(record_id)?;
		let verdict = Self::read_verdict(&reader, record_id, &record, &Self::now());
		Some(ReadTicket { record_id, patient: record.patient, issuer: record.issuer, verdict })
	}

	/// Whether `grantee` may do `action` on record `record_id` now: `Read` as
	/// [`Pallet::log_access`] would allow it (any purpose), `Append` as
	/// [`Pallet::amend_record`] would.
	pub fn can_access(grantee: T::AccountId, record_id: RecordId, action: AccessAction) -> bool {
		let Some(record) = Records::<T>::get(record_id) else { return false };
		match action {
			AccessAction::Read => {
				Self::read_basis(&grantee, record_id, &record, None, &Self::now()).is_ok()
			},
			AccessAction::Append => {
				record.status == RecordStatus::Active
					&& (grantee == record.patient
						|| Self::ensure_can_append(&grantee, &record.patient, |scope| {
							scope.covers_record(record_id, &record.type_code)
						})
						.is_ok())
			},
		}
	}
}

/// What another pallet may learn of a record it cites as evidence (`pallet-mutual-aid`'s
/// claims): who it is about, who issued it, when, and whether it is current; never its type,
/// commitment or locator. Only an active provider other than an insurer counts as able to
/// diagnose. The citing pallet also grants and ends its review panel's read access to exactly
/// the cited records ([`ReviewAccesses`]).
impl<T: Config> medchain_evidence::EvidenceRecords<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn evidence_record(
		record_id: RecordId,
	) -> Option<medchain_evidence::EvidenceRecord<T::AccountId, BlockNumberFor<T>>> {
		Records::<T>::get(record_id).map(|record| medchain_evidence::EvidenceRecord {
			patient: record.patient,
			issuer: record.issuer,
			issued_at: record.created_at,
			active: record.status == RecordStatus::Active,
		})
	}

	fn is_active_provider(who: &T::AccountId) -> bool {
		Providers::<T>::get(who).is_some_and(|provider| {
			provider.status == ProviderStatus::Active && provider.kind != ProviderKind::Insurer
		})
	}

	fn can_grant_review_access(patient: &T::AccountId, reviewer: &T::AccountId) -> bool {
		Self::review_access_open(patient, reviewer)
	}

	fn grant_review_access(
		patient: &T::AccountId,
		reviewer: &T::AccountId,
		review: medchain_evidence::ReviewId,
		records: &[RecordId],
		until: BlockNumberFor<T>,
	) -> sp_runtime::DispatchResult {
		Self::do_grant_review_access(patient, reviewer, review, records, until)
	}

	fn end_review_access(
		patient: &T::AccountId,
		reviewer: &T::AccountId,
		review: medchain_evidence::ReviewId,
	) -> bool {
		Self::do_end_review_access(patient, reviewer, review)
	}

	fn end_all_review_access(reviewer: &T::AccountId) -> u32 {
		Self::do_end_all_review_access(reviewer)
	}

	fn review_access(
		patient: &T::AccountId,
		reviewer: &T::AccountId,
	) -> Option<medchain_evidence::ReviewId> {
		ReviewAccesses::<T>::get(reviewer, patient).map(|access| access.review)
	}

	fn max_review_access() -> u32 {
		T::MaxReviewAccessPerReviewer::get()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_benchmark_record(patient: &T::AccountId, index: u32) -> Option<RecordId> {
		let provider: T::AccountId = frame_benchmarking::account("evidence-issuer", index, 0);
		Providers::<T>::insert(
			&provider,
			ProviderInfo {
				kind: ProviderKind::Hospital,
				credential: Default::default(),
				status: ProviderStatus::Active,
				registered_at: Self::now(),
			},
		);
		// Ids far above any the pallet assigns, so they never collide with real records.
		let id = (u64::MAX / 2).saturating_add(u64::from(index));
		Records::<T>::insert(
			id,
			Record {
				patient: patient.clone(),
				issuer: provider.clone(),
				type_code: Default::default(),
				commitment: sp_core::H256::repeat_byte(1),
				content_id: None,
				locator: Default::default(),
				size: 0,
				version: 1,
				supersedes: None,
				status: RecordStatus::Active,
				created_at: Self::now(),
				depositor: provider,
				deposit: Default::default(),
			},
		);
		Some(id)
	}
}
