//! Records: adding, amending and erasing record pointers.

use crate::*;
use frame_support::{ensure, traits::Get};
use sp_core::H256;
use sp_runtime::{traits::Zero, ArithmeticError, DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_record(
		issuer: T::AccountId,
		patient: T::AccountId,
		type_code: TypeCodeOf<T>,
		commitment: H256,
		content_id: ContentId,
		locator: LocatorOf<T>,
		size: u64,
	) -> Result<RecordId, DispatchError> {
		ensure!(!type_code.is_empty(), Error::<T>::InvalidTypeCode);
		Self::ensure_pointer(&issuer, &commitment, &content_id, &locator)?;
		if issuer != patient {
			Self::ensure_can_append(&issuer, &patient, |scope| scope.covers_type(&type_code))?;
		}
		let record_id = Self::insert_record(
			issuer.clone(),
			patient.clone(),
			type_code,
			commitment,
			content_id,
			locator,
			size,
			1,
			None,
		)?;
		Self::deposit_event(Event::RecordAdded { record_id, patient, issuer });
		Ok(record_id)
	}

	pub(crate) fn do_amend_record(
		issuer: T::AccountId,
		record_id: RecordId,
		commitment: H256,
		content_id: ContentId,
		locator: LocatorOf<T>,
		size: u64,
	) -> Result<RecordId, DispatchError> {
		let mut old = Records::<T>::get(record_id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(old.status == RecordStatus::Active, Error::<T>::RecordNotActive);
		Self::ensure_pointer(&issuer, &commitment, &content_id, &locator)?;
		if issuer != old.patient {
			Self::ensure_can_append(&issuer, &old.patient, |scope| {
				scope.covers_record(record_id, &old.type_code)
			})?;
		}
		let version = old.version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let patient = old.patient.clone();
		let new_id = Self::insert_record(
			issuer.clone(),
			patient.clone(),
			old.type_code.clone(),
			commitment,
			content_id,
			locator,
			size,
			version,
			Some(record_id),
		)?;
		old.status = RecordStatus::Amended;
		Records::<T>::insert(record_id, old);
		Self::deposit_event(Event::RecordAmended {
			record_id: new_id,
			supersedes: record_id,
			patient,
			issuer,
			version,
		});
		Ok(new_id)
	}

	/// Remove the record (a tombstone left by an earlier runtime too) and its id from the
	/// patient's list, freeing its slot, and release its deposit. Nothing of it stays in state;
	/// its id is never reused. Erasing the current version makes the version it superseded
	/// current again, so a junk amendment cannot strand the document it superseded.
	pub(crate) fn do_erase_record(patient: T::AccountId, record_id: RecordId) -> DispatchResult {
		let record = Records::<T>::get(record_id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(record.patient == patient, Error::<T>::NotAuthorized);
		let restored = match (record.status, record.supersedes) {
			(RecordStatus::Active, Some(previous)) => Records::<T>::get(previous)
				.filter(|p| p.status == RecordStatus::Amended)
				.map(|p| (previous, p)),
			_ => None,
		};
		Records::<T>::remove(record_id);
		if let Some(content_id) = record.content_id {
			// A vault asking about the object from now on learns that no record names it.
			ContentRecords::<T>::remove(content_id, &record.issuer);
		}
		if let Some((previous, mut prior)) = restored {
			prior.status = RecordStatus::Active;
			Records::<T>::insert(previous, prior);
		}
		PatientRecords::<T>::mutate_exists(&patient, |ids| {
			if let Some(list) = ids {
				list.retain(|id| *id != record_id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
		if !record.deposit.is_zero() {
			Self::release(HoldReason::RecordDeposit, &record.depositor, record.deposit);
		}
		Self::deposit_event(Event::RecordErased { record_id, patient });
		Ok(())
	}

	/// A pointer is a non-zero commitment, a non-zero content id no other record of `issuer`
	/// names, and a non-empty locator. One record per content id and issuer: a vault asks for
	/// the record the object's uploader issued, so another issuer naming the same content id
	/// (read off the chain) neither takes it from the rightful record nor governs the object.
	fn ensure_pointer(
		issuer: &T::AccountId,
		commitment: &H256,
		content_id: &ContentId,
		locator: &LocatorOf<T>,
	) -> DispatchResult {
		ensure!(!commitment.is_zero(), Error::<T>::InvalidCommitment);
		ensure!(!content_id.is_zero(), Error::<T>::InvalidContentId);
		ensure!(!locator.is_empty(), Error::<T>::InvalidLocator);
		ensure!(!ContentRecords::<T>::contains_key(content_id, issuer), Error::<T>::ContentIdInUse);
		Ok(())
	}

	/// Check the patient's record cap and hold the deposit, then store a new record version.
	fn insert_record(
		issuer: T::AccountId,
		patient: T::AccountId,
		type_code: TypeCodeOf<T>,
		commitment: H256,
		content_id: ContentId,
		locator: LocatorOf<T>,
		size: u64,
		version: u32,
		supersedes: Option<RecordId>,
	) -> Result<RecordId, DispatchError> {
		let record_id = NextRecordId::<T>::get();
		let next_id = record_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut ids = PatientRecords::<T>::get(&patient);
		ids.try_push(record_id).map_err(|_| Error::<T>::TooManyRecords)?;
		let deposit = T::RecordDeposit::get();
		Self::hold(HoldReason::RecordDeposit, &issuer, deposit)?;

		PatientRecords::<T>::insert(&patient, ids);
		NextRecordId::<T>::put(next_id);
		ContentRecords::<T>::insert(content_id, &issuer, record_id);
		Records::<T>::insert(
			record_id,
			Record {
				patient,
				issuer: issuer.clone(),
				type_code,
				commitment,
				content_id: Some(content_id),
				locator,
				size,
				version,
				supersedes,
				status: RecordStatus::Active,
				created_at: Self::now(),
				depositor: issuer,
				deposit,
			},
		);
		Ok(record_id)
	}
}
