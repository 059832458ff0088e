//! Retirement: removing a finished batch's records in bounded steps and releasing its deposit.

use crate::*;
use frame_support::pallet_prelude::*;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Start or continue the retirement of `batch_id`; returns the number of records removed.
	///
	/// The first call checks that the batch is finished (no pack in transit, no open report,
	/// not quarantined) and past `expiry + TraceRetention`, and marks it `Retiring`. Every call
	/// removes up to [`Config::RetireBatchLimit`] records (pack records, then transfers,
	/// releasing each sender's transfer deposit, then holdings, written off as destroyed, then
	/// recall acknowledgements); the call that finds none left removes the
	/// recall, releases the deposit and leaves the batch record as a `Retired` tombstone.
	pub(crate) fn do_retire_batch(
		who: T::AccountId,
		batch_id: BatchId,
	) -> Result<u32, DispatchError> {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		ensure!(batch.manufacturer == who, Error::<T>::NotAuthorized);
		match batch.status {
			BatchStatus::Retired => return Err(Error::<T>::BatchRetired.into()),
			BatchStatus::Retiring => {},
			BatchStatus::Quarantined => return Err(Error::<T>::BatchQuarantined.into()),
			BatchStatus::Active
			| BatchStatus::Recalled
			| BatchStatus::Destroyed
			| BatchStatus::Expired => {
				// Packs still held this long after expiry are written off below: a holder who
				// never disposes of them (or can no longer act) cannot keep the deposits.
				ensure!(batch.pending == 0, Error::<T>::BatchNotFinished);
				ensure!(
					!SuspectReports::<T>::contains_key(batch_id),
					Error::<T>::ReportAlreadyOpen
				);
				let now = frame_system::Pallet::<T>::block_number();
				ensure!(
					now >= batch.expiry.saturating_add(T::TraceRetention::get()),
					Error::<T>::RetentionNotOver
				);
			},
		}

		let limit = T::RetireBatchLimit::get();
		let mut removed = VerifiedPacks::<T>::drain_prefix(batch_id).take(limit as usize).count();
		let mut left = (limit as usize).saturating_sub(removed);
		// Each transfer record gives its sender's deposit back.
		let mut transfers = 0usize;
		for (_, transfer) in Transfers::<T>::drain_prefix(batch_id).take(left) {
			Self::release(HoldReason::TransferDeposit, &transfer.from, transfer.deposit);
			transfers = transfers.saturating_add(1);
		}
		removed = removed.saturating_add(transfers);
		left = left.saturating_sub(transfers);
		let mut holdings = 0usize;
		for (holder, quantity) in Holdings::<T>::drain_prefix(batch_id).take(left) {
			// Holdings + pending + dispensed + destroyed = quantity: this cannot overflow.
			batch.destroyed = batch.destroyed.saturating_add(quantity);
			batch.holder_count = batch.holder_count.saturating_sub(1);
			Self::deposit_event(Event::Destroyed {
				batch_id,
				holder,
				quantity,
				reason: DestructionReason::Expired,
			});
			holdings = holdings.saturating_add(1);
		}
		removed = removed.saturating_add(holdings);
		left = left.saturating_sub(holdings);
		let acks = RecallAcks::<T>::drain_prefix(batch_id).take(left).count();
		removed = removed.saturating_add(acks);
		left = left.saturating_sub(acks);
		let removed = u32::try_from(removed).unwrap_or(limit);

		// Records may remain only if the limit was used up: check before finishing.
		let finished = left > 0
			|| (VerifiedPacks::<T>::iter_prefix(batch_id).next().is_none()
				&& Transfers::<T>::iter_prefix(batch_id).next().is_none()
				&& Holdings::<T>::iter_prefix(batch_id).next().is_none()
				&& RecallAcks::<T>::iter_prefix(batch_id).next().is_none());
		if !finished {
			batch.status = BatchStatus::Retiring;
			Batches::<T>::insert(batch_id, batch);
			Self::deposit_event(Event::BatchRetirementProgressed { batch_id, removed });
			return Ok(removed);
		}

		let deposit = core::mem::replace(&mut batch.deposit, Zero::zero());
		Self::release(HoldReason::BatchDeposit, &who, deposit);
		Recalls::<T>::remove(batch_id);
		batch.status = BatchStatus::Retired;
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::BatchRetired { batch_id, removed, deposit_released: deposit });
		Ok(removed)
	}
}
