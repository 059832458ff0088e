//! Review access: a claim review panel's read access to exactly the records a claim cites,
//! granted and ended by the citing pallet through `medchain_evidence::EvidenceRecords`.

use crate::{common::decrement, *};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use medchain_evidence::ReviewId;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// Whether [`Self::do_grant_review_access`] of `patient`'s records to `reviewer` would pass
	/// the checks that do not depend on the records and the period.
	pub(crate) fn review_access_open(patient: &T::AccountId, reviewer: &T::AccountId) -> bool {
		if patient == reviewer {
			return false;
		}
		match ReviewAccesses::<T>::get(reviewer, patient) {
			Some(access) => !access.is_live(&Self::now()),
			None => ReviewAccessCount::<T>::get(reviewer) < T::MaxReviewAccessPerReviewer::get(),
		}
	}

	/// Let `reviewer` read exactly `records` of `patient` for review `review` until before
	/// `expires_at`. Replaces an expired review access of `reviewer` to `patient` (whose review
	/// has not closed yet); never a live one.
	pub(crate) fn do_grant_review_access(
		patient: &T::AccountId,
		reviewer: &T::AccountId,
		review: ReviewId,
		records: &[RecordId],
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let now = Self::now();
		ensure!(patient != reviewer, Error::<T>::CannotTargetSelf);
		ensure!(!records.is_empty(), Error::<T>::EmptyScope);
		let records: ReviewRecordsOf<T> =
			records.to_vec().try_into().map_err(|_| Error::<T>::TooManyScopeItems)?;
		ensure!(expires_at > now, Error::<T>::Expired);
		// Only the patient's own records: a record of anybody else is refused, so a claim citing
		// another patient's record never opens it. An erased record stays listed but never reads.
		for id in records.iter() {
			if let Some(record) = Records::<T>::get(id) {
				ensure!(record.patient == *patient, Error::<T>::RecordNotFound);
			}
		}
		let replaced = match ReviewAccesses::<T>::get(reviewer, patient) {
			Some(old) => {
				ensure!(!old.is_live(&now), Error::<T>::ReviewAccessAlreadyExists);
				Some(old.review)
			},
			None => {
				let count = ReviewAccessCount::<T>::get(reviewer);
				ensure!(
					count < T::MaxReviewAccessPerReviewer::get(),
					Error::<T>::TooManyReviewAccesses
				);
				ReviewAccessCount::<T>::insert(reviewer, count.saturating_add(1));
				None
			},
		};
		ReviewAccesses::<T>::insert(
			reviewer,
			patient,
			ReviewAccess { review, records, granted_at: now, expires_at },
		);
		if let Some(old_review) = replaced {
			Self::deposit_event(Event::ReviewAccessEnded {
				patient: patient.clone(),
				reviewer: reviewer.clone(),
				review: old_review,
			});
		}
		Self::deposit_event(Event::ReviewAccessGranted {
			patient: patient.clone(),
			reviewer: reviewer.clone(),
			review,
		});
		Ok(())
	}

	/// End `reviewer`'s access to `patient`'s records for `review`, if it exists.
	pub(crate) fn do_end_review_access(
		patient: &T::AccountId,
		reviewer: &T::AccountId,
		review: ReviewId,
	) -> bool {
		match ReviewAccesses::<T>::get(reviewer, patient) {
			Some(access) if access.review == review => {
				ReviewAccesses::<T>::remove(reviewer, patient);
				ReviewAccessCount::<T>::mutate_exists(reviewer, decrement);
				Self::deposit_event(Event::ReviewAccessEnded {
					patient: patient.clone(),
					reviewer: reviewer.clone(),
					review,
				});
				true
			},
			_ => false,
		}
	}

	/// End every review access of `reviewer`: at most [`Config::MaxReviewAccessPerReviewer`].
	pub(crate) fn do_end_all_review_access(reviewer: &T::AccountId) -> u32 {
		let mut ended = 0u32;
		for (patient, access) in ReviewAccesses::<T>::drain_prefix(reviewer)
			.take(T::MaxReviewAccessPerReviewer::get() as usize)
		{
			ended = ended.saturating_add(1);
			Self::deposit_event(Event::ReviewAccessEnded {
				patient,
				reviewer: reviewer.clone(),
				review: access.review,
			});
		}
		ReviewAccessCount::<T>::mutate_exists(reviewer, |count| {
			let left = count.unwrap_or_default().saturating_sub(ended);
			*count = (left > 0).then_some(left);
		});
		ended
	}
}
