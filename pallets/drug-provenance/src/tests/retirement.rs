//! `retire_batch`: finished batches past their trace retention release their deposit in bounded
//! steps and stay as tombstones.

use super::*;

/// First block at which a batch expiring at [`EXPIRY`] may be retired.
const RETIRABLE_AT: u64 = EXPIRY + TRACE_RETENTION;

fn retire(who: AccountId, batch_id: BatchId) -> DispatchResultWithPostInfo {
	DrugProvenance::retire_batch(RuntimeOrigin::signed(who), batch_id)
}

fn full_deposit() -> Balance {
	BATCH_DEPOSIT + 100 * PACK_RECORD_DEPOSIT
}

/// [`batch`] with `verified` packs verified, 40 packs shipped to the pharmacy and dispensed
/// (one transfer) and the other 60 destroyed by the manufacturer: finished, with
/// `verified + 1` records.
fn finished_batch(verified: usize) -> (BatchId, Packs) {
	let (batch_id, packs) = batch();
	for i in 0..verified {
		assert_ok!(verify(batch_id, &packs, i));
	}
	move_packs(MANUFACTURER, batch_id, PHARMACY, 40);
	assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 40));
	assert_ok!(DrugProvenance::destroy(
		RuntimeOrigin::signed(MANUFACTURER),
		batch_id,
		60,
		DestructionReason::Expired
	));
	(batch_id, packs)
}

#[test]
fn finished_batch_is_retired_and_its_deposit_released() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = finished_batch(2);
		assert_eq!(held(MANUFACTURER, HoldReason::BatchDeposit), full_deposit());
		// The one transfer's record kept its sender's deposit until now.
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), TRANSFER_DEPOSIT);
		run_to_block(RETIRABLE_AT);

		assert_ok!(retire(MANUFACTURER, batch_id));
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), 0);

		System::assert_last_event(
			Event::BatchRetired { batch_id, removed: 3, deposit_released: full_deposit() }.into(),
		);
		assert_eq!(held(MANUFACTURER, HoldReason::BatchDeposit), 0);
		assert!(DrugProvenance::trace(batch_id).is_empty());
		assert_eq!(VerifiedPacks::<Test>::iter_prefix(batch_id).count(), 0);
		// The tombstone keeps the batch's final counts and its lot.
		let tombstone = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!(tombstone.status, BatchStatus::Retired);
		assert_eq!(
			(tombstone.dispensed, tombstone.destroyed, tombstone.transfer_count),
			(40, 60, 1)
		);
		assert_eq!((tombstone.verified_packs, tombstone.deposit), (2, 0));
		assert_eq!(BatchIds::<Test>::get(GTIN, lot("LOT1")), Some(batch_id));
		assert_eq!(
			DrugProvenance::batch_info(batch_id).unwrap().effective_status,
			BatchStatus::Retired
		);
	});
}

#[test]
fn retired_lot_can_never_be_registered_again() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = finished_batch(0);
		run_to_block(RETIRABLE_AT);
		assert_ok!(retire(MANUFACTURER, batch_id));
		assert_noop!(
			DrugProvenance::register_batch(
				RuntimeOrigin::signed(MANUFACTURER),
				GTIN,
				lot("LOT1"),
				RETIRABLE_AT + 10,
				100,
				H256::repeat_byte(0xce),
				packs.root,
				100,
			),
			Error::<Test>::BatchAlreadyExists
		);
		assert_noop!(retire(MANUFACTURER, batch_id), Error::<Test>::BatchRetired);
	});
}

#[test]
fn retention_ends_exactly_at_expiry_plus_trace_retention() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = finished_batch(0);
		run_to_block(RETIRABLE_AT - 1);
		assert_noop!(retire(MANUFACTURER, batch_id), Error::<Test>::RetentionNotOver);
		run_to_block(RETIRABLE_AT);
		assert_ok!(retire(MANUFACTURER, batch_id));
		assert_eq!(status(batch_id), BatchStatus::Retired);
	});
}

#[test]
fn many_records_are_removed_over_several_calls() {
	ExtBuilder::default().build_and_execute(|| {
		// 8 verified packs + 1 transfer = 9 records, 4 per call.
		let (batch_id, packs) = finished_batch(8);
		run_to_block(RETIRABLE_AT);

		let first = retire(MANUFACTURER, batch_id).unwrap();
		System::assert_last_event(Event::BatchRetirementProgressed { batch_id, removed: 4 }.into());
		assert_eq!(first.actual_weight, Some(<() as crate::WeightInfo>::retire_batch(4)));
		assert_eq!(status(batch_id), BatchStatus::Retiring);
		assert_eq!(held(MANUFACTURER, HoldReason::BatchDeposit), full_deposit());

		// A retiring batch can no longer be verified, reported or recalled.
		assert_noop!(verify(batch_id, &packs, 9), Error::<Test>::BatchRetired);
		assert_eq!(
			DrugProvenance::check_pack(
				batch_id,
				&packs.serials[9],
				&packs.codes[9],
				&packs.salt,
				&packs.proof(9)
			),
			PackCheck::BatchRetired
		);
		assert_noop!(
			DrugProvenance::report_suspect(
				RuntimeOrigin::signed(MANUFACTURER),
				batch_id,
				H256::repeat_byte(0xe1),
				None
			),
			Error::<Test>::BatchRetired
		);
		assert_noop!(
			DrugProvenance::initiate_recall(
				RuntimeOrigin::root(),
				vec![batch_id].try_into().unwrap(),
				RecallClass::ClassIII,
				H256::repeat_byte(0xc1)
			),
			Error::<Test>::BatchRetired
		);

		assert_ok!(retire(MANUFACTURER, batch_id));
		System::assert_last_event(Event::BatchRetirementProgressed { batch_id, removed: 4 }.into());
		assert_ok!(retire(MANUFACTURER, batch_id));
		System::assert_last_event(
			Event::BatchRetired { batch_id, removed: 1, deposit_released: full_deposit() }.into(),
		);
		assert_eq!(held(MANUFACTURER, HoldReason::BatchDeposit), 0);
	});
}

#[test]
fn exactly_the_limit_of_records_retires_in_one_call() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = finished_batch(RETIRE_BATCH_LIMIT as usize - 1);
		run_to_block(RETIRABLE_AT);
		assert_ok!(retire(MANUFACTURER, batch_id));
		System::assert_last_event(
			Event::BatchRetired {
				batch_id,
				removed: RETIRE_BATCH_LIMIT,
				deposit_released: full_deposit(),
			}
			.into(),
		);
	});
}

#[test]
fn recalled_batch_retires_with_its_recall_and_acknowledgements() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 30);
		assert_ok!(DrugProvenance::initiate_recall(
			RuntimeOrigin::root(),
			vec![batch_id].try_into().unwrap(),
			RecallClass::ClassI,
			H256::repeat_byte(0xc1)
		));
		assert_ok!(DrugProvenance::ack_recall(RuntimeOrigin::signed(WHOLESALER), batch_id));
		assert_ok!(DrugProvenance::ack_recall(RuntimeOrigin::signed(MANUFACTURER), batch_id));
		for (who, quantity) in [(WHOLESALER, 30), (MANUFACTURER, 70)] {
			assert_ok!(DrugProvenance::destroy(
				RuntimeOrigin::signed(who),
				batch_id,
				quantity,
				DestructionReason::Recalled
			));
		}
		run_to_block(RETIRABLE_AT);

		// 1 transfer + 2 acknowledgements.
		assert_ok!(retire(MANUFACTURER, batch_id));
		System::assert_last_event(
			Event::BatchRetired { batch_id, removed: 3, deposit_released: full_deposit() }.into(),
		);
		assert!(!Recalls::<Test>::contains_key(batch_id));
		assert_eq!(RecallAcks::<Test>::iter_prefix(batch_id).count(), 0);
	});
}

#[test]
fn only_a_finished_batch_of_ones_own_can_be_retired() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		run_to_block(RETIRABLE_AT);
		assert_noop!(retire(MANUFACTURER, 7), Error::<Test>::BatchNotFound);
		assert_noop!(retire(WHOLESALER, batch_id), Error::<Test>::NotAuthorized);
	});
}

#[test]
fn packs_in_transit_keep_a_batch_from_retiring() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		dispatch(MANUFACTURER, batch_id, PHARMACY, 100);
		run_to_block(RETIRABLE_AT);
		assert_noop!(retire(MANUFACTURER, batch_id), Error::<Test>::BatchNotFinished);
		// Back with the sender and destroyed: now it retires.
		assert_ok!(DrugProvenance::expire_transfer(RuntimeOrigin::signed(PATIENT), batch_id, 0));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			batch_id,
			100,
			DestructionReason::Expired
		));
		assert_ok!(retire(MANUFACTURER, batch_id));
		assert_eq!(status(batch_id), BatchStatus::Retired);
	});
}

#[test]
fn quarantined_or_reported_batch_cannot_retire() {
	ExtBuilder::default().build_and_execute(|| {
		let (quarantined, _) = finished_batch(0);
		assert_ok!(DrugProvenance::report_suspect(
			RuntimeOrigin::signed(MANUFACTURER),
			quarantined,
			H256::repeat_byte(0xe1),
			None
		));
		// Recalled while the report is still open.
		let reported = batch_with("LOT2", &Packs::new(10, 2));
		assert_ok!(DrugProvenance::report_suspect(
			RuntimeOrigin::signed(MANUFACTURER),
			reported,
			H256::repeat_byte(0xe2),
			None
		));
		assert_ok!(DrugProvenance::initiate_recall(
			RuntimeOrigin::root(),
			vec![reported].try_into().unwrap(),
			RecallClass::ClassI,
			H256::repeat_byte(0xc1)
		));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			reported,
			10,
			DestructionReason::Recalled
		));
		run_to_block(RETIRABLE_AT);
		assert_noop!(retire(MANUFACTURER, quarantined), Error::<Test>::BatchQuarantined);
		assert_noop!(retire(MANUFACTURER, reported), Error::<Test>::ReportAlreadyOpen);
	});
}

#[test]
fn attack_holder_that_never_disposes_cannot_lock_the_deposits() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		// The wholesaler keeps 3 packs for ever and is then suspended (or its licence ends): it
		// can no longer destroy them, and would hold the batch deposit and every transfer
		// deposit hostage.
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 3);
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), WHOLESALER));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			batch_id,
			97,
			DestructionReason::Expired
		));
		run_to_block(RETIRABLE_AT);
		assert_ok!(retire(MANUFACTURER, batch_id));
		assert_eq!(status(batch_id), BatchStatus::Retired);
		assert_eq!(held(MANUFACTURER, HoldReason::BatchDeposit), 0);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), 0);
		// Packs still in custody years after expiry are written off as destroyed.
		System::assert_has_event(
			Event::Destroyed {
				batch_id,
				holder: WHOLESALER,
				quantity: 3,
				reason: DestructionReason::Expired,
			}
			.into(),
		);
		let tombstone = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((tombstone.destroyed, tombstone.holder_count), (100, 0));
		assert_eq!(Holdings::<Test>::iter_prefix(batch_id).count(), 0);
	});
}
