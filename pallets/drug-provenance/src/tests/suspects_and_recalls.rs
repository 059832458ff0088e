//! Suspect reports, quarantine, confirmation and recalls with acknowledgements.

use super::*;
use frame_support::traits::fungible::Inspect;
use sp_runtime::{DispatchError, TokenError};

fn report(who: AccountId, batch_id: BatchId) -> frame_support::dispatch::DispatchResult {
	report_with(who, batch_id, None)
}

fn report_with(
	who: AccountId,
	batch_id: BatchId,
	custody: Option<TransferIndex>,
) -> frame_support::dispatch::DispatchResult {
	DrugProvenance::report_suspect(
		RuntimeOrigin::signed(who),
		batch_id,
		H256::repeat_byte(0xe1),
		custody,
	)
}

fn clear(origin: RuntimeOrigin, batch_id: BatchId) -> frame_support::dispatch::DispatchResult {
	DrugProvenance::clear_suspect(origin, batch_id, ReportFinding::GoodFaith)
}

fn recall(origin: RuntimeOrigin, ids: Vec<BatchId>) -> frame_support::dispatch::DispatchResult {
	DrugProvenance::initiate_recall(
		origin,
		ids.try_into().unwrap(),
		RecallClass::ClassI,
		H256::repeat_byte(0xc1),
	)
}

#[test]
fn partner_report_quarantines_the_batch_with_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 5);
		run_to_block(3);
		assert_ok!(report(PHARMACY, batch_id));
		assert_eq!(status(batch_id), BatchStatus::Quarantined);
		assert_eq!(
			SuspectReports::<Test>::get(batch_id),
			Some(SuspectReport {
				reporter: PHARMACY,
				evidence_commitment: H256::repeat_byte(0xe1),
				reported_at: 3,
				deposit: REPORT_DEPOSIT,
			})
		);
		assert_eq!(held(PHARMACY, HoldReason::SuspectReportDeposit), REPORT_DEPOSIT);
		System::assert_has_event(
			Event::SuspectReported {
				batch_id,
				reporter: PHARMACY,
				evidence_commitment: H256::repeat_byte(0xe1),
			}
			.into(),
		);
		System::assert_last_event(
			Event::BatchQuarantined { batch_id, cause: QuarantineCause::SuspectReport }.into(),
		);
		assert_noop!(report(MANUFACTURER, batch_id), Error::<Test>::ReportAlreadyOpen);
	});
}

#[test]
fn report_on_a_batch_quarantined_by_alarms_keeps_it_quarantined() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 5);
		for i in 0..3 {
			assert_ok!(verify(batch_id, &packs, i));
			assert_ok!(scan(PHARMACY, batch_id, &packs, i));
		}
		assert_eq!(status(batch_id), BatchStatus::Quarantined);
		assert_ok!(report(WHOLESALER, batch_id));
		System::assert_last_event(
			Event::SuspectReported {
				batch_id,
				reporter: WHOLESALER,
				evidence_commitment: H256::repeat_byte(0xe1),
			}
			.into(),
		);
	});
}

#[test]
fn reports_need_an_active_partner_and_a_reportable_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let packs = Packs::new(4, 1);
		let recalled = batch_with("R", &packs);
		let destroyed = batch_with("D", &packs);
		assert_ok!(recall(RuntimeOrigin::root(), vec![recalled]));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			destroyed,
			4,
			DestructionReason::Damaged
		));
		assert_noop!(report(PATIENT, recalled), Error::<Test>::PartnerNotFound);
		assert_noop!(report(WHOLESALER, 99), Error::<Test>::BatchNotFound);
		assert_noop!(report(MANUFACTURER, recalled), Error::<Test>::BatchRecalled);
		assert_noop!(report(MANUFACTURER, destroyed), Error::<Test>::BatchDestroyed);
	});
}

#[test]
fn report_deposit_that_cannot_be_held_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		assert_ok!(DrugProvenance::register_partner(
			RuntimeOrigin::root(),
			POOR,
			PartnerRole::Regulator,
			GLN,
			H256::zero(),
			100
		));
		assert_noop!(report(POOR, batch_id), TokenError::FundsUnavailable);
	});
}

#[test]
fn regulator_clears_a_suspect_and_the_reporter_gets_the_deposit_back() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 5);
		assert_ok!(report(PHARMACY, batch_id));
		assert_ok!(clear(RuntimeOrigin::signed(REGULATOR), batch_id));
		assert_eq!(status(batch_id), BatchStatus::Active);
		assert!(!SuspectReports::<Test>::contains_key(batch_id));
		assert_eq!(held(PHARMACY, HoldReason::SuspectReportDeposit), 0);
		System::assert_last_event(
			Event::SuspectCleared { batch_id, by: Actor::Partner(REGULATOR), reactivated: true }
				.into(),
		);
		assert_noop!(clear(RuntimeOrigin::root(), batch_id), Error::<Test>::NotQuarantined);
	});
}

#[test]
fn only_a_regulator_or_the_registrar_decides_on_suspects() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 5);
		assert_ok!(report(PHARMACY, batch_id));
		for who in [MANUFACTURER, PHARMACY] {
			assert_noop!(clear(RuntimeOrigin::signed(who), batch_id), Error::<Test>::NotAuthorized);
			assert_noop!(
				DrugProvenance::confirm_illegitimate(
					RuntimeOrigin::signed(who),
					batch_id,
					RecallClass::ClassI,
					H256::zero()
				),
				Error::<Test>::NotAuthorized
			);
		}
		assert_noop!(
			clear(RuntimeOrigin::signed(PATIENT), batch_id),
			Error::<Test>::PartnerNotFound
		);
		assert_noop!(clear(RuntimeOrigin::none(), batch_id), DispatchError::BadOrigin);
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), REGULATOR));
		assert_noop!(
			clear(RuntimeOrigin::signed(REGULATOR), batch_id),
			Error::<Test>::PartnerSuspended
		);
		assert_ok!(clear(RuntimeOrigin::root(), batch_id));
		System::assert_last_event(
			Event::SuspectCleared { batch_id, by: Actor::Registrar, reactivated: true }.into(),
		);
	});
}

#[test]
fn clear_and_confirm_need_a_quarantined_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		assert_noop!(clear(RuntimeOrigin::root(), batch_id), Error::<Test>::NotQuarantined);
		assert_noop!(
			DrugProvenance::confirm_illegitimate(
				RuntimeOrigin::root(),
				batch_id,
				RecallClass::ClassI,
				H256::zero()
			),
			Error::<Test>::NotQuarantined
		);
		assert_noop!(clear(RuntimeOrigin::root(), 42), Error::<Test>::BatchNotFound);
		assert_noop!(
			DrugProvenance::confirm_illegitimate(
				RuntimeOrigin::root(),
				42,
				RecallClass::ClassI,
				H256::zero()
			),
			Error::<Test>::BatchNotFound
		);
	});
}

#[test]
fn confirmed_illegitimate_batch_is_recalled() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 10);
		assert_ok!(report(WHOLESALER, batch_id));
		run_to_block(4);
		assert_ok!(DrugProvenance::confirm_illegitimate(
			RuntimeOrigin::signed(REGULATOR),
			batch_id,
			RecallClass::ClassI,
			H256::repeat_byte(0xc2)
		));
		assert_eq!(status(batch_id), BatchStatus::Recalled);
		assert_eq!(held(WHOLESALER, HoldReason::SuspectReportDeposit), 0);
		assert!(!SuspectReports::<Test>::contains_key(batch_id));
		assert_eq!(
			Recalls::<Test>::get(batch_id),
			Some(Recall {
				initiator: Actor::Partner(REGULATOR),
				class: RecallClass::ClassI,
				reason_commitment: H256::repeat_byte(0xc2),
				initiated_at: 4,
				acknowledged: 0,
			})
		);
		System::assert_has_event(
			Event::IllegitimateConfirmed { batch_id, by: Actor::Partner(REGULATOR) }.into(),
		);
		System::assert_last_event(
			Event::RecallInitiated {
				batch_id,
				initiator: Actor::Partner(REGULATOR),
				class: RecallClass::ClassI,
				reason_commitment: H256::repeat_byte(0xc2),
			}
			.into(),
		);
		// Holders must acknowledge.
		let status = DrugProvenance::recall_status(batch_id).unwrap();
		assert_eq!(status.outstanding.len(), 2);
	});
}

#[test]
fn clearing_a_recalled_batch_only_closes_its_report() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 5);
		assert_ok!(report(WHOLESALER, batch_id));
		assert_ok!(recall(RuntimeOrigin::signed(MANUFACTURER), vec![batch_id]));
		assert_ok!(clear(RuntimeOrigin::root(), batch_id));
		assert_eq!(status(batch_id), BatchStatus::Recalled);
		assert_eq!(held(WHOLESALER, HoldReason::SuspectReportDeposit), 0);
		System::assert_last_event(
			Event::SuspectCleared { batch_id, by: Actor::Registrar, reactivated: false }.into(),
		);
	});
}

#[test]
fn manufacturer_recalls_its_batches() {
	ExtBuilder::default().build_and_execute(|| {
		let packs = Packs::new(10, 1);
		let ids: Vec<BatchId> = ["A", "B", "C"].iter().map(|l| batch_with(l, &packs)).collect();
		// Exactly the maximum number of batches.
		assert_eq!(ids.len() as u32, MAX_BATCHES_PER_RECALL);
		assert_ok!(recall(RuntimeOrigin::signed(MANUFACTURER), ids.clone()));
		for id in &ids {
			assert_eq!(status(*id), BatchStatus::Recalled);
			System::assert_has_event(
				Event::RecallInitiated {
					batch_id: *id,
					initiator: Actor::Partner(MANUFACTURER),
					class: RecallClass::ClassI,
					reason_commitment: H256::repeat_byte(0xc1),
				}
				.into(),
			);
		}
	});
}

#[test]
fn recall_checks_the_initiator_and_every_batch_before_writing() {
	ExtBuilder::default().build_and_execute(|| {
		let packs = Packs::new(10, 1);
		let a = batch_with("A", &packs);
		let b = batch_with("B", &packs);
		assert_noop!(recall(RuntimeOrigin::signed(MANUFACTURER), vec![]), Error::<Test>::NoBatches);
		assert_noop!(
			recall(RuntimeOrigin::signed(MANUFACTURER), vec![a, b, a]),
			Error::<Test>::DuplicateBatch
		);
		assert_noop!(
			recall(RuntimeOrigin::signed(MANUFACTURER), vec![a, 7]),
			Error::<Test>::BatchNotFound
		);
		assert_noop!(
			recall(RuntimeOrigin::signed(MANUFACTURER_2), vec![a]),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			recall(RuntimeOrigin::signed(WHOLESALER), vec![a]),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			recall(RuntimeOrigin::signed(PATIENT), vec![a]),
			Error::<Test>::PartnerNotFound
		);
		assert_noop!(recall(RuntimeOrigin::none(), vec![a]), DispatchError::BadOrigin);
		assert_ok!(recall(RuntimeOrigin::signed(REGULATOR), vec![b]));
		System::assert_last_event(
			Event::RecallInitiated {
				batch_id: b,
				initiator: Actor::Partner(REGULATOR),
				class: RecallClass::ClassI,
				reason_commitment: H256::repeat_byte(0xc1),
			}
			.into(),
		);
		// `a` is fine but `b` is already recalled: nothing is written.
		assert_noop!(
			recall(RuntimeOrigin::signed(MANUFACTURER), vec![a, b]),
			Error::<Test>::BatchRecalled
		);
		assert_eq!(status(a), BatchStatus::Active);
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			a,
			10,
			DestructionReason::Damaged
		));
		assert_noop!(recall(RuntimeOrigin::root(), vec![a]), Error::<Test>::BatchDestroyed);
	});
}

#[test]
fn every_current_holder_acknowledges_a_recall() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 60);
		move_packs(WHOLESALER, batch_id, PHARMACY, 10);
		assert_noop!(
			DrugProvenance::ack_recall(RuntimeOrigin::signed(PHARMACY), batch_id),
			Error::<Test>::RecallNotFound
		);
		assert_ok!(recall(RuntimeOrigin::signed(MANUFACTURER), vec![batch_id]));

		let status = DrugProvenance::recall_status(batch_id).unwrap();
		let mut outstanding = status.outstanding.clone();
		outstanding.sort();
		assert_eq!(outstanding, vec![(MANUFACTURER, 40), (WHOLESALER, 50), (PHARMACY, 10)]);
		assert!(status.acknowledged.is_empty());

		run_to_block(6);
		assert_ok!(DrugProvenance::ack_recall(RuntimeOrigin::signed(PHARMACY), batch_id));
		System::assert_last_event(Event::RecallAcknowledged { batch_id, holder: PHARMACY }.into());
		assert_noop!(
			DrugProvenance::ack_recall(RuntimeOrigin::signed(PHARMACY), batch_id),
			Error::<Test>::AlreadyAcknowledged
		);
		assert_noop!(
			DrugProvenance::ack_recall(RuntimeOrigin::signed(LOGISTICS), batch_id),
			Error::<Test>::NotHolder
		);
		assert_noop!(
			DrugProvenance::ack_recall(RuntimeOrigin::signed(PATIENT), batch_id),
			Error::<Test>::PartnerNotFound
		);

		let status = DrugProvenance::recall_status(batch_id).unwrap();
		assert_eq!(status.acknowledged, vec![(PHARMACY, 6)]);
		assert_eq!(status.recall.acknowledged, 1);
		let mut outstanding = status.outstanding;
		outstanding.sort();
		assert_eq!(outstanding, vec![(MANUFACTURER, 40), (WHOLESALER, 50)]);

		// A holder who destroys its stock is no longer outstanding.
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(WHOLESALER),
			batch_id,
			50,
			DestructionReason::Recalled
		));
		assert_eq!(
			DrugProvenance::recall_status(batch_id).unwrap().outstanding,
			vec![(MANUFACTURER, 40)]
		);
	});
}

#[test]
fn suspended_holder_must_still_acknowledge() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 60);
		assert_ok!(recall(RuntimeOrigin::root(), vec![batch_id]));
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), WHOLESALER));
		assert_ok!(DrugProvenance::ack_recall(RuntimeOrigin::signed(WHOLESALER), batch_id));
	});
}

#[test]
fn packs_in_transit_at_recall_come_back_and_their_sender_acknowledges() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 100);
		assert_ok!(recall(RuntimeOrigin::root(), vec![batch_id]));
		assert!(DrugProvenance::recall_status(batch_id).unwrap().outstanding.is_empty());
		assert_noop!(
			DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0),
			Error::<Test>::BatchRecalled
		);
		assert_ok!(DrugProvenance::reject(RuntimeOrigin::signed(WHOLESALER), batch_id, 0));
		assert_eq!(
			DrugProvenance::recall_status(batch_id).unwrap().outstanding,
			vec![(MANUFACTURER, 100)]
		);
		assert_ok!(DrugProvenance::ack_recall(RuntimeOrigin::signed(MANUFACTURER), batch_id));
	});
}

#[test]
fn attack_partner_without_custody_cannot_report_a_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		// Active partners of every role holding none of the batch.
		for who in [LOGISTICS, PHARMACY, WHOLESALER, MANUFACTURER_2] {
			assert_noop!(report(who, batch_id), Error::<Test>::NotAuthorized);
		}
		// Naming a transfer it had no part in, or one that does not exist, does not help.
		let index = dispatch(MANUFACTURER, batch_id, WHOLESALER, 5);
		assert_noop!(report_with(LOGISTICS, batch_id, Some(index)), Error::<Test>::NotAuthorized);
		assert_noop!(report_with(LOGISTICS, batch_id, Some(9)), Error::<Test>::TransferNotFound);
		// The addressee of a transfer that expired unsettled never had the packs.
		run_to_block(1 + TRANSFER_TIMEOUT);
		assert_ok!(DrugProvenance::expire_transfer(RuntimeOrigin::signed(LOGISTICS), batch_id, 0));
		assert_noop!(report_with(WHOLESALER, batch_id, Some(index)), Error::<Test>::NotAuthorized);
		assert_eq!(status(batch_id), BatchStatus::Active);
	});
}

#[test]
fn custodians_and_regulators_may_report() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		let check = |who: AccountId, custody: Option<TransferIndex>| {
			assert_ok!(report_with(who, batch_id, custody));
			assert_eq!(status(batch_id), BatchStatus::Quarantined);
			assert_ok!(clear(RuntimeOrigin::root(), batch_id));
		};
		// The manufacturer, and a regulator holding nothing.
		check(MANUFACTURER, None);
		check(REGULATOR, None);
		// The addressee of a pending transfer, then the sender and addressee of a received one
		// after every pack left them.
		let index = dispatch(MANUFACTURER, batch_id, WHOLESALER, 10);
		check(WHOLESALER, Some(index));
		assert_ok!(DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, index));
		let onward = dispatch(WHOLESALER, batch_id, PHARMACY, 10);
		assert_ok!(DrugProvenance::receive(RuntimeOrigin::signed(PHARMACY), batch_id, onward));
		check(WHOLESALER, Some(onward));
		check(WHOLESALER, Some(index));
		assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 10));
		check(PHARMACY, Some(onward));
	});
}

#[test]
fn attack_unfounded_report_costs_the_reporter_its_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 10);
		let before = Balances::total_balance(&WHOLESALER);
		let issuance = Balances::total_issuance();
		assert_ok!(report(WHOLESALER, batch_id));
		assert_ok!(DrugProvenance::clear_suspect(
			RuntimeOrigin::signed(REGULATOR),
			batch_id,
			ReportFinding::Unfounded
		));
		assert_eq!(Balances::total_balance(&WHOLESALER), before - REPORT_DEPOSIT);
		assert_eq!(Balances::total_issuance(), issuance - REPORT_DEPOSIT);
		assert_eq!(held(WHOLESALER, HoldReason::SuspectReportDeposit), 0);
		assert!(!SuspectReports::<Test>::contains_key(batch_id));
		assert_eq!(status(batch_id), BatchStatus::Active);
		System::assert_has_event(
			Event::ReportDepositSlashed { batch_id, reporter: WHOLESALER, amount: REPORT_DEPOSIT }
				.into(),
		);
		System::assert_last_event(
			Event::SuspectCleared { batch_id, by: Actor::Partner(REGULATOR), reactivated: true }
				.into(),
		);
		// Reporting again costs a new deposit, lost again if unfounded.
		assert_ok!(report(WHOLESALER, batch_id));
		assert_eq!(held(WHOLESALER, HoldReason::SuspectReportDeposit), REPORT_DEPOSIT);
	});
}

#[test]
fn confirmed_or_good_faith_report_returns_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 10);
		let before = Balances::total_balance(&WHOLESALER);
		assert_ok!(report(WHOLESALER, batch_id));
		assert_ok!(clear(RuntimeOrigin::root(), batch_id));
		assert_eq!(Balances::total_balance(&WHOLESALER), before);
		assert_ok!(report(WHOLESALER, batch_id));
		assert_ok!(DrugProvenance::confirm_illegitimate(
			RuntimeOrigin::root(),
			batch_id,
			RecallClass::ClassII,
			H256::zero()
		));
		assert_eq!(Balances::total_balance(&WHOLESALER), before);
		assert_eq!(held(WHOLESALER, HoldReason::SuspectReportDeposit), 0);
	});
}
