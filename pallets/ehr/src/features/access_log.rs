//! Access: who may read or append a record now, and the patient's access log every read
//! leaves.

use crate::*;
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, ArithmeticError, DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// `provider` is active and holds a live append grant of `patient` whose scope `covers`.
	pub(crate) fn ensure_can_append(
		provider: &T::AccountId,
		patient: &T::AccountId,
		covers: impl FnOnce(&GrantScopeOf<T>) -> bool,
	) -> DispatchResult {
		Self::ensure_active_provider(provider)?;
		let grant = Grants::<T>::get(patient, provider).ok_or(Error::<T>::NotAuthorized)?;
		Self::ensure_in_period(&grant, &Self::now())?;
		ensure!(grant.actions.append && covers(&grant.scope), Error::<T>::NotAuthorized);
		Ok(())
	}

	/// `not_before <= now < expires_at`.
	fn ensure_in_period(grant: &GrantOf<T>, now: &BlockNumberFor<T>) -> DispatchResult {
		ensure!(*now >= grant.not_before, Error::<T>::NotYetValid);
		ensure!(*now < grant.expires_at, Error::<T>::Expired);
		Ok(())
	}

	/// On what basis `accessor` may read `record` now (for `purpose`, if given), or why not.
	pub(crate) fn read_basis(
		accessor: &T::AccountId,
		record_id: RecordId,
		record: &RecordOf<T>,
		purpose: Option<PurposeOfUse>,
		now: &BlockNumberFor<T>,
	) -> Result<AccessBasis, DispatchError> {
		ensure!(record.status != RecordStatus::Erased, Error::<T>::RecordErased);
		if *accessor == record.patient {
			return Ok(AccessBasis::Owner);
		}
		// A claim reviewer (provider or not) reads the records the claim cites, for the review
		// only.
		let review = Self::review_covers(accessor, record_id, record, now);
		if review && purpose.is_none_or(|p| p == PurposeOfUse::ClaimReview) {
			return Ok(AccessBasis::Review);
		}
		let kind = match Self::ensure_active_provider(accessor) {
			Ok(kind) => kind,
			Err(_) if review => return Err(Error::<T>::PurposeMismatch.into()),
			Err(e) => return Err(e),
		};
		match Self::ensure_grant_reads(accessor, record_id, record, purpose, now) {
			Ok(()) => Ok(AccessBasis::Grant),
			Err(_)
				if kind.is_clinical() && Self::break_glass_live(&record.patient, accessor, now) =>
			{
				// Emergency access is for emergency treatment only.
				if let Some(purpose) = purpose {
					ensure!(purpose == PurposeOfUse::Emergency, Error::<T>::PurposeMismatch);
				}
				Ok(AccessBasis::BreakGlass)
			},
			// Review access covers the record, for another purpose than the one stated.
			Err(_) if review => Err(Error::<T>::PurposeMismatch.into()),
			Err(e) => Err(e),
		}
	}

	/// `accessor` holds a live read grant covering `record` (for `purpose`) with reads left.
	fn ensure_grant_reads(
		accessor: &T::AccountId,
		record_id: RecordId,
		record: &RecordOf<T>,
		purpose: Option<PurposeOfUse>,
		now: &BlockNumberFor<T>,
	) -> DispatchResult {
		let grant = Grants::<T>::get(&record.patient, accessor).ok_or(Error::<T>::NotAuthorized)?;
		Self::ensure_in_period(&grant, now)?;
		ensure!(
			grant.actions.read && grant.scope.covers_record(record_id, &record.type_code),
			Error::<T>::NotAuthorized
		);
		if let Some(purpose) = purpose {
			ensure!(purpose == grant.purpose, Error::<T>::PurposeMismatch);
		}
		ensure!(grant.reads_left != Some(0), Error::<T>::ReadLimitReached);
		Ok(())
	}

	/// `reader` holds live review access to `record`'s patient listing `record_id`.
	fn review_covers(
		reader: &T::AccountId,
		record_id: RecordId,
		record: &RecordOf<T>,
		now: &BlockNumberFor<T>,
	) -> bool {
		ReviewAccesses::<T>::get(reader, &record.patient)
			.is_some_and(|access| access.covers(record_id, now))
	}

	/// `provider` has an unreviewed break-glass access to `patient` that still reads.
	fn break_glass_live(
		patient: &T::AccountId,
		provider: &T::AccountId,
		now: &BlockNumberFor<T>,
	) -> bool {
		BreakGlasses::<T>::get(patient, provider).is_some_and(|access| *now < access.expires_at)
	}

	pub(crate) fn do_log_access(
		accessor: T::AccountId,
		patient: T::AccountId,
		record_id: RecordId,
		purpose: PurposeOfUse,
	) -> DispatchResult {
		let record = Records::<T>::get(record_id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(record.patient == patient, Error::<T>::RecordNotFound);
		let now = Self::now();
		let basis = Self::read_basis(&accessor, record_id, &record, Some(purpose), &now)?;
		let (index, next) = Self::next_log_index(&patient)?;

		if basis == AccessBasis::Grant {
			if let Some(mut grant) = Grants::<T>::get(&patient, &accessor) {
				if let Some(reads) = grant.reads_left.as_mut() {
					*reads = reads.saturating_sub(1);
					Grants::<T>::insert(&patient, &accessor, grant);
				}
			}
		}
		Self::write_log(
			&patient,
			next,
			AccessEntry { index, accessor, record_id: Some(record_id), purpose, basis, at: now },
		);
		Self::deposit_event(Event::AccessLogged { patient, index });
		Ok(())
	}

	/// The index the next log entry of `patient` gets, and the one after.
	pub(crate) fn next_log_index(patient: &T::AccountId) -> Result<(u32, u32), DispatchError> {
		let index = AccessLogNext::<T>::get(patient);
		let next = index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Ok((index, next))
	}

	/// Store `entry` in its ring slot, overwriting the oldest entry when the ring is full.
	pub(crate) fn write_log(patient: &T::AccountId, next: u32, entry: AccessEntryOf<T>) {
		let slot = entry.index.checked_rem(T::MaxAccessLogLen::get()).unwrap_or_default();
		AccessLog::<T>::insert(patient, slot, entry);
		AccessLogNext::<T>::insert(patient, next);
	}
}

impl<T: Config> Pallet<T> {
	/// Whether a vault may serve the object of `record` to `reader` at block `now`: the patient
	/// always; anyone else only while a grant, break-glass or review access covers the record
	/// (a suspended or removed provider never under a grant or break-glass) *and* a read of
	/// exactly this record by `reader`, under that access and for the purpose it names, is in
	/// the patient's log from the last [`Config::ReadWindow`] blocks. The grant's read limit is
	/// not checked again: the logged read already counted against it.
	pub(crate) fn read_verdict(
		reader: &T::AccountId,
		record_id: RecordId,
		record: &RecordOf<T>,
		now: &BlockNumberFor<T>,
	) -> ReadVerdict<BlockNumberFor<T>> {
		if *reader == record.patient {
			return ReadVerdict::Owner;
		}
		let review = Self::review_covers(reader, record_id, record, now);
		let provider = Providers::<T>::get(reader);
		let active = provider.as_ref().filter(|p| p.status == ProviderStatus::Active);
		if !review {
			match provider {
				None => return ReadVerdict::Refused(ReadRefusal::NotAuthorized),
				Some(_) if active.is_none() => {
					return ReadVerdict::Refused(ReadRefusal::ProviderSuspended)
				},
				Some(_) => {},
			}
		}
		let grant =
			active.and_then(|_| Grants::<T>::get(&record.patient, reader)).filter(|grant| {
				*now >= grant.not_before
					&& *now < grant.expires_at
					&& grant.actions.read
					&& grant.scope.covers_record(record_id, &record.type_code)
			});
		let emergency = active.is_some_and(|p| p.kind.is_clinical())
			&& Self::break_glass_live(&record.patient, reader, now);
		if grant.is_none() && !emergency && !review {
			return ReadVerdict::Refused(ReadRefusal::NotAuthorized);
		}
		let still_covers = |entry: &AccessEntryOf<T>| match entry.basis {
			AccessBasis::Grant => grant.as_ref().is_some_and(|g| g.purpose == entry.purpose),
			AccessBasis::BreakGlass => emergency && entry.purpose == PurposeOfUse::Emergency,
			AccessBasis::Review => review && entry.purpose == PurposeOfUse::ClaimReview,
			AccessBasis::Owner => false,
		};
		Self::fresh_reads(&record.patient, now)
			.find(|entry| {
				entry.accessor == *reader
					&& entry.record_id == Some(record_id)
					&& still_covers(entry)
			})
			.map_or(ReadVerdict::Refused(ReadRefusal::NotLogged), |entry| ReadVerdict::Logged {
				index: entry.index,
				at: entry.at,
				basis: entry.basis,
			})
	}

	/// The entries of `patient`'s log from the last [`Config::ReadWindow`] blocks before `now`,
	/// newest first: at most [`Config::MaxAccessLogLen`] reads, fewer as soon as an entry is
	/// older than the window (entries are logged in block order).
	fn fresh_reads<'a>(
		patient: &'a T::AccountId,
		now: &'a BlockNumberFor<T>,
	) -> impl Iterator<Item = AccessEntryOf<T>> + 'a {
		let max = T::MaxAccessLogLen::get();
		let next = AccessLogNext::<T>::get(patient);
		let oldest = next.saturating_sub(max);
		(oldest..next)
			.rev()
			.map_while(move |index| {
				let slot = index.checked_rem(max)?;
				AccessLog::<T>::get(patient, slot).filter(|entry| entry.index == index)
			})
			.take_while(move |entry| entry.at.saturating_add(T::ReadWindow::get()) > *now)
	}
}
