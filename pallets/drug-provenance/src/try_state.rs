//! The storage invariants, checked by the `try_state` hook and after every test.

use crate::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_runtime::traits::Saturating;

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Check every invariant of the pallet's storage. Iterates all of it: for `try-runtime` and
	/// tests only, never called by a hook in production.
	///
	/// - per batch: holdings + pending + dispensed + destroyed = quantity; no zero holding;
	///   `holder_count`, `transfer_count`, `pending`, `verified_packs`, `clone_alarms` match the
	///   maps (a retiring batch's maps may hold fewer, a retired one none and no deposit); the lot
	///   index points back; a `Destroyed` batch has every pack destroyed;
	/// - per product: `batch_count` matches;
	/// - reports only on non-active batches, recalls only on recalled or destroyed batches,
	///   acknowledgements only for recalls and counted;
	/// - the held balance of every account under every reason equals its recorded deposits;
	/// - no record refers to a missing batch.
	pub(crate) fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let mut held: BTreeMap<(T::AccountId, u8), BalanceOf<T>> = BTreeMap::new();
		let mut add_held = |who: &T::AccountId, reason: u8, amount: BalanceOf<T>| {
			let entry = held.entry((who.clone(), reason)).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(amount);
		};
		let next_batch_id = NextBatchId::<T>::get();
		let mut batches_per_product: BTreeMap<Gtin, u32> = BTreeMap::new();

		for (batch_id, batch) in Batches::<T>::iter() {
			ensure!(batch_id < next_batch_id, "batch id not below NextBatchId");
			ensure!(
				BatchIds::<T>::get(batch.gtin, &batch.lot) == Some(batch_id),
				"lot index does not point to the batch"
			);
			ensure!(Products::<T>::contains_key(batch.gtin), "batch of a missing product");
			let count = batches_per_product.entry(batch.gtin).or_insert(0);
			*count = count.saturating_add(1);
			add_held(&batch.manufacturer, 1, batch.deposit);

			let (mut holders, mut held_packs) = (0u32, 0u64);
			for (_, amount) in Holdings::<T>::iter_prefix(batch_id) {
				ensure!(amount > 0, "zero holding stored");
				holders = holders.saturating_add(1);
				held_packs = held_packs.saturating_add(amount.into());
			}
			ensure!(holders == batch.holder_count, "holder_count mismatch");
			let accounted = held_packs
				.saturating_add(batch.pending.into())
				.saturating_add(batch.dispensed.into())
				.saturating_add(batch.destroyed.into());
			ensure!(
				accounted == u64::from(batch.quantity),
				"holdings + pending + dispensed + destroyed != quantity"
			);
			// A retiring batch loses its records while its counts stay as they were.
			let retired = batch.is_retired();
			ensure!(
				retired
					|| (batch.status == BatchStatus::Destroyed)
						== (batch.destroyed == batch.quantity),
				"Destroyed status iff every pack destroyed"
			);
			ensure!(
				batch.status != BatchStatus::Retired || batch.in_custody() == 0,
				"retired batch with packs in custody"
			);
			ensure!(batch.status != BatchStatus::Expired, "Expired is never stored");

			let (mut transfers, mut pending) = (0u32, 0u64);
			for (index, transfer) in Transfers::<T>::iter_prefix(batch_id) {
				ensure!(index < batch.transfer_count, "transfer index beyond transfer_count");
				transfers = transfers.saturating_add(1);
				if transfer.state == TransferState::Pending {
					pending = pending.saturating_add(transfer.quantity.into());
				}
				// Every trace record keeps its deposit until the batch is retired.
				add_held(&transfer.from, 2, transfer.deposit);
			}
			ensure!(
				transfers == batch.transfer_count || (retired && transfers < batch.transfer_count),
				"transfer_count mismatch"
			);
			ensure!(transfers <= T::MaxTransfersPerBatch::get(), "too many transfers");
			ensure!(
				Transfers::<T>::iter_prefix_values(batch_id).all(|t| !t.deposit.is_zero()),
				"a transfer record without its deposit"
			);
			ensure!(pending == u64::from(batch.pending), "pending mismatch");

			let (mut verified, mut alarms, mut alarmed) = (0u32, 0u32, 0u32);
			for (_, record) in VerifiedPacks::<T>::iter_prefix(batch_id) {
				verified = verified.saturating_add(1);
				alarms = alarms.saturating_add(record.alarms);
				if record.alarms > 0 {
					alarmed = alarmed.saturating_add(1);
				}
				ensure!(
					(record.alarms > 0) == record.last_alarm_at.is_some(),
					"an alarmed pack records its last alarm, and only it"
				);
				ensure!(
					record.last_alarm_at.is_none_or(|at| at >= record.first_verified_at),
					"an alarm before the first verification"
				);
			}
			ensure!(
				verified == batch.verified_packs || (retired && verified < batch.verified_packs),
				"verified_packs mismatch"
			);
			ensure!(verified <= batch.code_count, "more verified packs than codes");
			ensure!(
				alarms == batch.clone_alarms || (retired && alarms < batch.clone_alarms),
				"clone_alarms mismatch"
			);
			ensure!(
				retired || batch.alarmed_packs <= alarmed,
				"alarmed_packs above packs with alarms"
			);
			if batch.status == BatchStatus::Retired {
				ensure!(
					transfers == 0 && verified == 0 && batch.deposit.is_zero(),
					"retired batch keeps records or a deposit"
				);
			}

			if let Some(report) = SuspectReports::<T>::get(batch_id) {
				ensure!(batch.status != BatchStatus::Active, "open report on an active batch");
				add_held(&report.reporter, 3, report.deposit);
			}
			let acks = RecallAcks::<T>::iter_prefix(batch_id).count();
			match Recalls::<T>::get(batch_id) {
				Some(recall) => {
					ensure!(
						matches!(
							batch.status,
							BatchStatus::Recalled | BatchStatus::Destroyed | BatchStatus::Retiring
						),
						"recall on a batch neither recalled nor destroyed"
					);
					ensure!(
						acks == recall.acknowledged as usize
							|| (retired && acks < recall.acknowledged as usize),
						"acknowledged mismatch"
					);
				},
				None => {
					ensure!(batch.status != BatchStatus::Recalled, "recalled batch without recall");
					ensure!(acks == 0, "acknowledgement without recall");
				},
			}
		}

		for (gtin, product) in Products::<T>::iter() {
			ensure!(
				batches_per_product.get(&gtin).copied().unwrap_or(0) == product.batch_count,
				"product batch_count mismatch"
			);
			add_held(&product.manufacturer, 0, product.deposit);
		}
		for (_, _, batch_id) in BatchIds::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "lot index to a missing batch");
		}
		for (batch_id, _, _) in Holdings::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "holding of a missing batch");
		}
		for (batch_id, _, _) in Transfers::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "transfer of a missing batch");
		}
		for (batch_id, _, _) in VerifiedPacks::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "pack record of a missing batch");
		}
		for batch_id in SuspectReports::<T>::iter_keys() {
			ensure!(Batches::<T>::contains_key(batch_id), "report on a missing batch");
		}
		for batch_id in Recalls::<T>::iter_keys() {
			ensure!(Batches::<T>::contains_key(batch_id), "recall of a missing batch");
		}

		let reasons = [
			HoldReason::ProductDeposit,
			HoldReason::BatchDeposit,
			HoldReason::TransferDeposit,
			HoldReason::SuspectReportDeposit,
		];
		let mut accounts: Vec<T::AccountId> = held.keys().map(|(who, _)| who.clone()).collect();
		accounts.extend(Partners::<T>::iter_keys());
		accounts.sort();
		accounts.dedup();
		for who in accounts {
			for (code, reason) in (0u8..).zip(reasons) {
				let expected = held.get(&(who.clone(), code)).copied().unwrap_or_else(Zero::zero);
				let actual = T::Currency::balance_on_hold(&reason.into(), &who);
				ensure!(actual == expected, "held deposit differs from recorded deposits");
			}
		}
		Ok(())
	}
}
