//! The pallet's invariants, checked by the `try_state` hook and after every unit test.

use crate::*;
use frame_support::{ensure, traits::Get};
use sp_runtime::traits::{Hash, Saturating, Zero};

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Check the pallet's invariants:
	///
	/// - every record is listed under its patient and every listed id is a record of that patient;
	///   ids are below [`NextRecordId`]; an amendment's predecessor, unless erased (removed), is
	///   the same patient's and not active; tombstones left by an earlier runtime keep no data and
	///   no deposit; no empty record list is stored;
	/// - [`ContentRecords`] maps exactly the (content id, issuer) pairs of the stored records to
	///   their ids;
	/// - [`GrantCount`], [`RequestCount`], [`ProposalCount`] equal the sizes of their maps and
	///   respect their caps; [`PendingReviews`] equals the size of [`BreakGlasses`];
	/// - [`ReviewAccessCount`] equals the number of each reviewer's [`ReviewAccesses`] and respects
	///   [`Config::MaxReviewAccessPerReviewer`]; a review access lists at least one record, only
	///   records of its patient (or erased ones), never the reviewer's own, with a non-empty
	///   period;
	/// - each patient's access log holds `min(next, MaxAccessLogLen)` entries in their slots;
	/// - guardian sets are sorted, distinct, exclude the patient, with a threshold in range;
	///   proposals exist only for patients with guardians and were not created in the future;
	/// - every account's held deposit per [`HoldReason`] equals the sum of its items' deposits.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		type Sums<T> = BTreeMap<AccountIdOf<T>, BalanceOf<T>>;
		fn add<T: Config>(sums: &mut Sums<T>, who: &AccountIdOf<T>, amount: BalanceOf<T>) {
			let sum = sums.entry(who.clone()).or_default();
			*sum = sum.saturating_add(amount);
		}
		fn count<T: Config>(counts: &mut BTreeMap<AccountIdOf<T>, u32>, who: &AccountIdOf<T>) {
			let n = counts.entry(who.clone()).or_default();
			*n = n.saturating_add(1);
		}
		fn ensure_counts<T: Config>(
			stored: impl Iterator<Item = (AccountIdOf<T>, u32)>,
			actual: &BTreeMap<AccountIdOf<T>, u32>,
			max: u32,
		) -> Result<(), sp_runtime::TryRuntimeError> {
			let stored: BTreeMap<_, _> = stored.collect();
			ensure!(stored == *actual, "a per-patient counter differs from its map");
			ensure!(actual.values().all(|n| *n <= max), "a per-patient cap is exceeded");
			Ok(())
		}

		// Records.
		let mut record_holds = Sums::<T>::new();
		let next_id = NextRecordId::<T>::get();
		let mut records: u64 = 0;
		let mut named: u64 = 0;
		for (id, record) in Records::<T>::iter() {
			records = records.saturating_add(1);
			ensure!(id < next_id, "a record id is not below NextRecordId");
			ensure!(
				PatientRecords::<T>::get(&record.patient).contains(&id),
				"a record is not listed under its patient"
			);
			if record.status == RecordStatus::Erased {
				ensure!(
					record.commitment.is_zero()
						&& record.content_id.is_none()
						&& record.locator.is_empty()
						&& record.size == 0
						&& record.deposit.is_zero(),
					"an erased record keeps data or a deposit"
				);
			} else {
				add::<T>(&mut record_holds, &record.depositor, record.deposit);
			}
			if let Some(content_id) = record.content_id {
				ensure!(!content_id.is_zero(), "a record names the zero content id");
				ensure!(
					ContentRecords::<T>::get(content_id, &record.issuer) == Some(id),
					"a record's content id and issuer do not lead back to it"
				);
				named = named.saturating_add(1);
			}
			// An erased predecessor is gone (its id is never reused).
			if let Some(old) = record.supersedes.and_then(Records::<T>::get) {
				ensure!(old.patient == record.patient, "an amendment changed patient");
				ensure!(old.status != RecordStatus::Active, "a superseded record is still active");
			}
		}
		let mut listed: u64 = 0;
		for (patient, ids) in PatientRecords::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty record list is stored");
			for id in ids.iter() {
				ensure!(
					Records::<T>::get(id).is_some_and(|r| r.patient == patient),
					"a listed record is missing or another patient's"
				);
			}
			listed = listed.saturating_add(ids.len() as u64);
		}
		ensure!(listed == records, "PatientRecords and Records differ in size");
		ensure!(
			ContentRecords::<T>::iter().count() as u64 == named,
			"ContentRecords names a record that does not name its content id"
		);

		// Grants.
		let mut grant_holds = Sums::<T>::new();
		let mut grants = BTreeMap::new();
		for (patient, grantee, grant) in Grants::<T>::iter() {
			ensure!(patient != grantee, "a patient granted themselves");
			ensure!(grant.not_before < grant.expires_at, "a grant has an empty period");
			count::<T>(&mut grants, &patient);
			add::<T>(&mut grant_holds, &grant.granted_by, grant.deposit);
		}
		ensure_counts::<T>(GrantCount::<T>::iter(), &grants, T::MaxGrantsPerPatient::get())?;

		// Requests.
		let mut request_holds = Sums::<T>::new();
		let mut requests = BTreeMap::new();
		for (patient, requester, request) in Requests::<T>::iter() {
			ensure!(patient != requester, "a patient requested from themselves");
			ensure!(!request.duration.is_zero(), "a request has a zero duration");
			count::<T>(&mut requests, &patient);
			add::<T>(&mut request_holds, &requester, request.deposit);
		}
		ensure_counts::<T>(RequestCount::<T>::iter(), &requests, T::MaxPendingRequests::get())?;

		// Access log.
		let max_log = T::MaxAccessLogLen::get();
		let mut expected_entries: u64 = 0;
		for (patient, next) in AccessLogNext::<T>::iter() {
			expected_entries = expected_entries.saturating_add(u64::from(next.min(max_log)));
			for (slot, entry) in AccessLog::<T>::iter_prefix(&patient) {
				ensure!(entry.index < next, "an access log entry is ahead of its counter");
				ensure!(
					entry.index >= next.saturating_sub(max_log),
					"an overwritten access log entry survived"
				);
				ensure!(
					entry.index.checked_rem(max_log) == Some(slot),
					"an access log entry is in the wrong slot"
				);
			}
		}
		ensure!(
			AccessLog::<T>::iter().count() as u64 == expected_entries,
			"access log entries differ from their counters"
		);

		// Break-glass.
		let mut break_glass_holds = Sums::<T>::new();
		let mut pending: u32 = 0;
		for (patient, provider, access) in BreakGlasses::<T>::iter() {
			ensure!(patient != provider, "a provider broke glass on themselves");
			ensure!(access.opened_at < access.expires_at, "a break-glass has an empty period");
			pending = pending.saturating_add(1);
			add::<T>(&mut break_glass_holds, &provider, access.deposit);
		}
		ensure!(pending == PendingReviews::<T>::get(), "PendingReviews differs from BreakGlasses");

		// Guardians and proposals.
		let mut guardian_holds = Sums::<T>::new();
		for (patient, set) in Guardians::<T>::iter() {
			ensure!(
				set.guardians.windows(2).all(|w| matches!(w, [a, b] if a < b)),
				"guardians are not sorted and distinct"
			);
			ensure!(!set.guardians.contains(&patient), "a patient is their own guardian");
			ensure!(
				set.threshold > 0 && set.threshold as usize <= set.guardians.len(),
				"a guardian threshold is out of range"
			);
			add::<T>(&mut guardian_holds, &patient, set.deposit);
		}
		let mut proposal_holds = Sums::<T>::new();
		let mut proposals = BTreeMap::new();
		for (patient, id, proposal) in GuardianProposals::<T>::iter() {
			ensure!(Guardians::<T>::contains_key(&patient), "a proposal outlived its guardians");
			ensure!(T::Hashing::hash_of(&proposal.action) == id, "a proposal is under a wrong id");
			ensure!(!proposal.approvals.is_empty(), "a proposal has no approvals");
			ensure!(
				proposal.created_at <= frame_system::Pallet::<T>::block_number(),
				"a proposal was created in the future"
			);
			count::<T>(&mut proposals, &patient);
			add::<T>(&mut proposal_holds, &proposal.proposer, proposal.deposit);
		}
		ensure_counts::<T>(ProposalCount::<T>::iter(), &proposals, T::MaxGuardianProposals::get())?;

		// Review access: no deposit (the citing pallet's claim deposit pays for it).
		let mut reviews = BTreeMap::new();
		for (reviewer, patient, access) in ReviewAccesses::<T>::iter() {
			ensure!(reviewer != patient, "a patient has review access to their own records");
			ensure!(!access.records.is_empty(), "a review access lists no record");
			ensure!(access.granted_at < access.expires_at, "a review access has an empty period");
			ensure!(
				access.records.iter().all(|id| {
					Records::<T>::get(id).is_none_or(|record| record.patient == patient)
				}),
				"a review access lists another patient's record"
			);
			count::<T>(&mut reviews, &reviewer);
		}
		ensure_counts::<T>(
			ReviewAccessCount::<T>::iter(),
			&reviews,
			T::MaxReviewAccessPerReviewer::get(),
		)?;

		// Holds.
		for (reason, sums) in [
			(HoldReason::RecordDeposit, record_holds),
			(HoldReason::GrantDeposit, grant_holds),
			(HoldReason::RequestDeposit, request_holds),
			(HoldReason::BreakGlassDeposit, break_glass_holds),
			(HoldReason::GuardianDeposit, guardian_holds),
			(HoldReason::ProposalDeposit, proposal_holds),
		] {
			for (who, amount) in sums {
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), &who) == amount,
					"a held deposit differs from the sum of its items"
				);
			}
		}
		Ok(())
	}
}
