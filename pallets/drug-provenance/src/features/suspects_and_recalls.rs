//! Suspects and recalls: suspect reports, clearing or confirming them, recalls and their
//! acknowledgements.

use crate::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Whether `who` (an active `partner`) has or had custody of `batch`: a regulator, the
	/// manufacturer, a current holder, or the sender or addressee of transfer `custody` (an
	/// addressee of an expired transfer never had the packs).
	fn ensure_custodian(
		who: &T::AccountId,
		partner: &PartnerOf<T>,
		batch_id: BatchId,
		batch: &BatchOf<T>,
		custody: Option<TransferIndex>,
	) -> DispatchResult {
		if partner.role == PartnerRole::Regulator
			|| batch.manufacturer == *who
			|| Holdings::<T>::contains_key(batch_id, who)
		{
			return Ok(());
		}
		let index = custody.ok_or(Error::<T>::NotAuthorized)?;
		let transfer = Transfers::<T>::get(batch_id, index).ok_or(Error::<T>::TransferNotFound)?;
		let expired = matches!(transfer.state, TransferState::Expired { .. });
		ensure!(
			transfer.from == *who || (transfer.to == *who && !expired),
			Error::<T>::NotAuthorized
		);
		Ok(())
	}

	pub(crate) fn do_report_suspect(
		who: T::AccountId,
		batch_id: BatchId,
		evidence_commitment: H256,
		custody: Option<TransferIndex>,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_custodian(&who, &partner, batch_id, &batch, custody)?;
		match batch.status {
			BatchStatus::Recalled => return Err(Error::<T>::BatchRecalled.into()),
			BatchStatus::Destroyed => return Err(Error::<T>::BatchDestroyed.into()),
			BatchStatus::Retiring | BatchStatus::Retired => {
				return Err(Error::<T>::BatchRetired.into())
			},
			BatchStatus::Active | BatchStatus::Quarantined | BatchStatus::Expired => {},
		}
		ensure!(!SuspectReports::<T>::contains_key(batch_id), Error::<T>::ReportAlreadyOpen);

		let deposit = T::SuspectReportDeposit::get();
		Self::hold(HoldReason::SuspectReportDeposit, &who, deposit)?;
		let newly_quarantined = batch.status != BatchStatus::Quarantined;
		batch.status = BatchStatus::Quarantined;
		Batches::<T>::insert(batch_id, batch);
		SuspectReports::<T>::insert(
			batch_id,
			SuspectReport {
				reporter: who.clone(),
				evidence_commitment,
				reported_at: frame_system::Pallet::<T>::block_number(),
				deposit,
			},
		);
		Self::deposit_event(Event::SuspectReported {
			batch_id,
			reporter: who,
			evidence_commitment,
		});
		if newly_quarantined {
			Self::deposit_event(Event::BatchQuarantined {
				batch_id,
				cause: QuarantineCause::SuspectReport,
			});
		}
		Ok(())
	}

	/// Close the open report of `batch_id`, if any: release its deposit, or slash it for an
	/// unfounded report.
	fn close_report(batch_id: BatchId, finding: ReportFinding) -> DispatchResult {
		let Some(report) = SuspectReports::<T>::take(batch_id) else { return Ok(()) };
		match finding {
			ReportFinding::GoodFaith => {
				Self::release(HoldReason::SuspectReportDeposit, &report.reporter, report.deposit);
				Ok(())
			},
			ReportFinding::Unfounded => {
				let amount = Self::slash(
					HoldReason::SuspectReportDeposit,
					&report.reporter,
					report.deposit,
				)?;
				Self::deposit_event(Event::ReportDepositSlashed {
					batch_id,
					reporter: report.reporter,
					amount,
				});
				Ok(())
			},
		}
	}

	pub(crate) fn do_clear_suspect(
		by: ActorOf<T>,
		batch_id: BatchId,
		finding: ReportFinding,
	) -> DispatchResult {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		let reactivated = batch.status == BatchStatus::Quarantined;
		ensure!(
			reactivated || SuspectReports::<T>::contains_key(batch_id),
			Error::<T>::NotQuarantined
		);

		Self::close_report(batch_id, finding)?;
		if reactivated {
			batch.status = BatchStatus::Active;
			batch.alarmed_packs = 0;
			Batches::<T>::insert(batch_id, batch);
		}
		Self::deposit_event(Event::SuspectCleared { batch_id, by, reactivated });
		Ok(())
	}

	pub(crate) fn do_confirm_illegitimate(
		by: ActorOf<T>,
		batch_id: BatchId,
		class: RecallClass,
		reason_commitment: H256,
	) -> DispatchResult {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		ensure!(batch.status == BatchStatus::Quarantined, Error::<T>::NotQuarantined);

		// A confirmed report was right: its deposit is returned.
		Self::close_report(batch_id, ReportFinding::GoodFaith)?;
		batch.status = BatchStatus::Recalled;
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::IllegitimateConfirmed { batch_id, by: by.clone() });
		Self::start_recall(batch_id, by, class, reason_commitment);
		Ok(())
	}

	/// Write the recall record of `batch_id` (whose status is already `Recalled`) and emit.
	fn start_recall(
		batch_id: BatchId,
		initiator: ActorOf<T>,
		class: RecallClass,
		reason_commitment: H256,
	) {
		Recalls::<T>::insert(
			batch_id,
			Recall {
				initiator: initiator.clone(),
				class,
				reason_commitment,
				initiated_at: frame_system::Pallet::<T>::block_number(),
				acknowledged: 0,
			},
		);
		Self::deposit_event(Event::RecallInitiated {
			batch_id,
			initiator,
			class,
			reason_commitment,
		});
	}

	pub(crate) fn do_initiate_recall(
		(by, partner): (ActorOf<T>, Option<PartnerOf<T>>),
		batch_ids: BoundedVec<BatchId, T::MaxBatchesPerRecall>,
		class: RecallClass,
		reason_commitment: H256,
	) -> DispatchResult {
		ensure!(!batch_ids.is_empty(), Error::<T>::NoBatches);
		let mut seen = alloc::collections::BTreeSet::new();
		let mut batches = Vec::with_capacity(batch_ids.len());
		for batch_id in batch_ids {
			ensure!(seen.insert(batch_id), Error::<T>::DuplicateBatch);
			let batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
			if let (Actor::Partner(who), Some(partner)) = (&by, &partner) {
				ensure!(
					partner.role == PartnerRole::Regulator || batch.manufacturer == *who,
					Error::<T>::NotAuthorized
				);
			}
			match batch.status {
				BatchStatus::Recalled => return Err(Error::<T>::BatchRecalled.into()),
				BatchStatus::Destroyed => return Err(Error::<T>::BatchDestroyed.into()),
				BatchStatus::Retiring | BatchStatus::Retired => {
					return Err(Error::<T>::BatchRetired.into())
				},
				BatchStatus::Active | BatchStatus::Quarantined | BatchStatus::Expired => {},
			}
			batches.push((batch_id, batch));
		}

		for (batch_id, mut batch) in batches {
			batch.status = BatchStatus::Recalled;
			Batches::<T>::insert(batch_id, batch);
			Self::start_recall(batch_id, by.clone(), class, reason_commitment);
		}
		Ok(())
	}

	pub(crate) fn do_ack_recall(who: T::AccountId, batch_id: BatchId) -> DispatchResult {
		ensure!(Partners::<T>::contains_key(&who), Error::<T>::PartnerNotFound);
		let mut recall = Recalls::<T>::get(batch_id).ok_or(Error::<T>::RecallNotFound)?;
		ensure!(Holdings::<T>::contains_key(batch_id, &who), Error::<T>::NotHolder);
		ensure!(!RecallAcks::<T>::contains_key(batch_id, &who), Error::<T>::AlreadyAcknowledged);
		// Bounded by the batch's holders, themselves bounded by its transfers.
		recall.acknowledged = recall.acknowledged.saturating_add(1);

		RecallAcks::<T>::insert(batch_id, &who, frame_system::Pallet::<T>::block_number());
		Recalls::<T>::insert(batch_id, recall);
		Self::deposit_event(Event::RecallAcknowledged { batch_id, holder: who });
		Ok(())
	}
}
