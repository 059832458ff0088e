//! Two-phase custody: dispatch, receive, reject, expiry, dispensing, destruction.

use super::*;

#[test]
fn dispatch_makes_a_pending_transfer_with_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		let index = dispatch(MANUFACTURER, batch_id, WHOLESALER, 60);
		assert_eq!(index, 0);
		assert_eq!(holding(batch_id, MANUFACTURER), 40);
		assert_eq!(holding(batch_id, WHOLESALER), 0);
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.pending, b.transfer_count, b.holder_count), (60, 1, 1));
		assert_eq!(
			Transfers::<Test>::get(batch_id, 0),
			Some(Transfer {
				from: MANUFACTURER,
				to: WHOLESALER,
				quantity: 60,
				shipment_commitment: H256::repeat_byte(0x5e),
				dispatched_at: 1,
				expires_at: 1 + TRANSFER_TIMEOUT,
				state: TransferState::Pending,
				deposit: TRANSFER_DEPOSIT,
			})
		);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), TRANSFER_DEPOSIT);
		System::assert_last_event(
			Event::Dispatched {
				batch_id,
				transfer_index: 0,
				from: MANUFACTURER,
				to: WHOLESALER,
				quantity: 60,
				expires_at: 1 + TRANSFER_TIMEOUT,
			}
			.into(),
		);
	});
}

#[test]
fn receive_moves_the_packs_and_keeps_the_deposit_for_the_trace() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 60);
		run_to_block(5);
		assert_ok!(DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0));
		assert_eq!(holding(batch_id, WHOLESALER), 60);
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.pending, b.holder_count), (0, 2));
		let t = Transfers::<Test>::get(batch_id, 0).unwrap();
		assert_eq!(t.state, TransferState::Received { at: 5 });
		assert_eq!(t.deposit, TRANSFER_DEPOSIT);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), TRANSFER_DEPOSIT);
		System::assert_last_event(
			Event::Received {
				batch_id,
				transfer_index: 0,
				from: MANUFACTURER,
				to: WHOLESALER,
				quantity: 60,
			}
			.into(),
		);
	});
}

#[test]
fn reject_returns_the_packs_to_the_sender() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		// The whole holding: the sender stops being a holder while the transfer is pending.
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 100);
		assert!(!Holdings::<Test>::contains_key(batch_id, MANUFACTURER));
		assert_eq!(Batches::<Test>::get(batch_id).unwrap().holder_count, 0);
		assert_ok!(DrugProvenance::reject(RuntimeOrigin::signed(WHOLESALER), batch_id, 0));
		assert_eq!(holding(batch_id, MANUFACTURER), 100);
		assert_eq!(holding(batch_id, WHOLESALER), 0);
		assert_eq!(Batches::<Test>::get(batch_id).unwrap().holder_count, 1);
		assert_eq!(
			Transfers::<Test>::get(batch_id, 0).unwrap().state,
			TransferState::Rejected { at: 1 }
		);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), TRANSFER_DEPOSIT);
		System::assert_last_event(
			Event::Rejected {
				batch_id,
				transfer_index: 0,
				from: MANUFACTURER,
				to: WHOLESALER,
				quantity: 100,
			}
			.into(),
		);
	});
}

#[test]
fn only_the_addressee_settles_a_transfer() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 60);
		for who in [PHARMACY, MANUFACTURER] {
			assert_noop!(
				DrugProvenance::receive(RuntimeOrigin::signed(who), batch_id, 0),
				Error::<Test>::NotAuthorized
			);
			assert_noop!(
				DrugProvenance::reject(RuntimeOrigin::signed(who), batch_id, 0),
				Error::<Test>::NotAuthorized
			);
		}
	});
}

#[test]
fn unknown_or_settled_transfers_cannot_be_settled() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		assert_noop!(
			DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0),
			Error::<Test>::TransferNotFound
		);
		assert_noop!(
			DrugProvenance::expire_transfer(RuntimeOrigin::signed(PATIENT), batch_id, 0),
			Error::<Test>::TransferNotFound
		);
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 60);
		assert_noop!(
			DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0),
			Error::<Test>::TransferNotPending
		);
		assert_noop!(
			DrugProvenance::reject(RuntimeOrigin::signed(WHOLESALER), batch_id, 0),
			Error::<Test>::TransferNotPending
		);
		run_to_block(100);
		assert_noop!(
			DrugProvenance::expire_transfer(RuntimeOrigin::signed(PATIENT), batch_id, 0),
			Error::<Test>::TransferNotPending
		);
	});
}

#[test]
fn transfer_can_be_received_until_the_block_before_it_expires() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 10);
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 10);
		let expires_at = 1 + TRANSFER_TIMEOUT;
		run_to_block(expires_at - 1);
		assert_noop!(
			DrugProvenance::expire_transfer(RuntimeOrigin::signed(PATIENT), batch_id, 0),
			Error::<Test>::TransferNotExpired
		);
		assert_ok!(DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0));
		run_to_block(expires_at);
		assert_noop!(
			DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 1),
			Error::<Test>::TransferExpired
		);
		assert_noop!(
			DrugProvenance::reject(RuntimeOrigin::signed(WHOLESALER), batch_id, 1),
			Error::<Test>::TransferExpired
		);
	});
}

#[test]
fn anyone_expires_a_transfer_and_the_sender_gets_the_packs_back() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 30);
		let expires_at = 1 + TRANSFER_TIMEOUT;
		run_to_block(expires_at);
		assert_ok!(DrugProvenance::expire_transfer(RuntimeOrigin::signed(PATIENT), batch_id, 0));
		assert_eq!(holding(batch_id, MANUFACTURER), 100);
		assert_eq!(Batches::<Test>::get(batch_id).unwrap().pending, 0);
		assert_eq!(
			Transfers::<Test>::get(batch_id, 0).unwrap().state,
			TransferState::Expired { at: expires_at }
		);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), TRANSFER_DEPOSIT);
		System::assert_last_event(
			Event::TransferExpired {
				batch_id,
				transfer_index: 0,
				from: MANUFACTURER,
				to: WHOLESALER,
				quantity: 30,
			}
			.into(),
		);
	});
}

#[test]
fn dispatch_of_exactly_the_holding_works_and_one_more_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 60);
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(WHOLESALER),
				batch_id,
				PHARMACY,
				61,
				H256::zero()
			),
			Error::<Test>::InsufficientHoldings
		);
		dispatch(WHOLESALER, batch_id, PHARMACY, 60);
		assert!(!Holdings::<Test>::contains_key(batch_id, WHOLESALER));
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(WHOLESALER),
				batch_id,
				PHARMACY,
				1,
				H256::zero()
			),
			Error::<Test>::InsufficientHoldings
		);
	});
}

#[test]
fn dispatch_checks_parties_and_quantity() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		let call = |from: AccountId, id: BatchId, to: AccountId, q: u32| {
			DrugProvenance::dispatch(RuntimeOrigin::signed(from), id, to, q, H256::zero())
		};
		assert_noop!(call(PATIENT, batch_id, WHOLESALER, 1), Error::<Test>::PartnerNotFound);
		assert_noop!(call(MANUFACTURER, 9, WHOLESALER, 1), Error::<Test>::BatchNotFound);
		assert_noop!(call(MANUFACTURER, batch_id, MANUFACTURER, 1), Error::<Test>::TransferToSelf);
		assert_noop!(call(MANUFACTURER, batch_id, PATIENT, 1), Error::<Test>::PartnerNotFound);
		assert_noop!(call(MANUFACTURER, batch_id, WHOLESALER, 0), Error::<Test>::ZeroQuantity);
		assert_noop!(call(WHOLESALER, batch_id, PHARMACY, 1), Error::<Test>::InsufficientHoldings);
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), WHOLESALER));
		assert_noop!(call(MANUFACTURER, batch_id, WHOLESALER, 1), Error::<Test>::RecipientInactive);
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), MANUFACTURER));
		assert_noop!(call(MANUFACTURER, batch_id, PHARMACY, 1), Error::<Test>::PartnerSuspended);
	});
}

#[test]
fn recipient_with_an_ended_licence_cannot_be_shipped_to() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		run_to_block(20);
		assert_ok!(DrugProvenance::renew_licence(RuntimeOrigin::root(), WHOLESALER, 21));
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 1);
		run_to_block(21);
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(MANUFACTURER),
				batch_id,
				WHOLESALER,
				1,
				H256::zero()
			),
			Error::<Test>::RecipientInactive
		);
		// Nor can it receive what was shipped before its licence ended.
		assert_noop!(
			DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0),
			Error::<Test>::LicenceExpired
		);
	});
}

#[test]
fn transfers_per_batch_are_capped() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		for _ in 0..MAX_TRANSFERS_PER_BATCH {
			dispatch(MANUFACTURER, batch_id, WHOLESALER, 1);
		}
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(MANUFACTURER),
				batch_id,
				WHOLESALER,
				1,
				H256::zero()
			),
			Error::<Test>::TooManyTransfers
		);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), 6 * TRANSFER_DEPOSIT);
	});
}

#[test]
fn transfer_deposit_that_cannot_be_held_fails() {
	use frame_support::traits::fungible::Mutate;
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 10);
		let free = Balances::free_balance(WHOLESALER);
		Balances::set_balance(&WHOLESALER, TRANSFER_DEPOSIT);
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(WHOLESALER),
				batch_id,
				PHARMACY,
				1,
				H256::zero()
			),
			sp_runtime::TokenError::FundsUnavailable
		);
		Balances::set_balance(&WHOLESALER, free);
	});
}

#[test]
fn no_movement_of_an_expired_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		run_to_block(EXPIRY - 5);
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 10);
		run_to_block(EXPIRY - 1);
		dispatch(MANUFACTURER, batch_id, WHOLESALER, 10);
		run_to_block(EXPIRY);
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(MANUFACTURER),
				batch_id,
				WHOLESALER,
				1,
				H256::zero()
			),
			Error::<Test>::BatchExpired
		);
		assert_noop!(
			DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), batch_id, 0),
			Error::<Test>::BatchExpired
		);
		// Rejection and destruction stay possible.
		assert_ok!(DrugProvenance::reject(RuntimeOrigin::signed(WHOLESALER), batch_id, 1));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			batch_id,
			10,
			DestructionReason::Expired
		));
		assert_eq!(
			DrugProvenance::batch_info(batch_id).unwrap().effective_status,
			BatchStatus::Expired
		);
	});
}

#[test]
fn no_movement_of_a_quarantined_recalled_or_destroyed_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let packs = Packs::new(10, 1);
		let quarantined = batch_with("Q", &packs);
		let recalled = batch_with("R", &packs);
		let destroyed = batch_with("D", &packs);
		for id in [quarantined, recalled] {
			dispatch(MANUFACTURER, id, WHOLESALER, 1);
		}
		// The addressee of the pending transfer 0 reports what it was sent.
		assert_ok!(DrugProvenance::report_suspect(
			RuntimeOrigin::signed(WHOLESALER),
			quarantined,
			H256::zero(),
			Some(0)
		));
		assert_ok!(DrugProvenance::initiate_recall(
			RuntimeOrigin::signed(MANUFACTURER),
			vec![recalled].try_into().unwrap(),
			RecallClass::ClassII,
			H256::zero()
		));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			destroyed,
			10,
			DestructionReason::Damaged
		));
		let error = |id: BatchId| match id {
			id if id == quarantined => Error::<Test>::BatchQuarantined,
			id if id == recalled => Error::<Test>::BatchRecalled,
			_ => Error::<Test>::BatchDestroyed,
		};
		for id in [quarantined, recalled, destroyed] {
			assert_noop!(
				DrugProvenance::dispatch(
					RuntimeOrigin::signed(MANUFACTURER),
					id,
					WHOLESALER,
					1,
					H256::zero()
				),
				error(id)
			);
			if id != destroyed {
				assert_noop!(
					DrugProvenance::receive(RuntimeOrigin::signed(WHOLESALER), id, 0),
					error(id)
				);
				assert_ok!(DrugProvenance::reject(RuntimeOrigin::signed(WHOLESALER), id, 0));
			}
		}
	});
}

#[test]
fn dispenser_marks_packs_dispensed() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 10);
		assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 4));
		System::assert_last_event(
			Event::Dispensed { batch_id, dispenser: PHARMACY, quantity: 4 }.into(),
		);
		// Exactly the rest.
		assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 6));
		assert!(!Holdings::<Test>::contains_key(batch_id, PHARMACY));
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.dispensed, b.holder_count), (10, 1));
		assert_noop!(
			DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 1),
			Error::<Test>::InsufficientHoldings
		);
	});
}

#[test]
fn dispensing_checks_role_batch_and_quantity() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 10);
		assert_noop!(
			DrugProvenance::mark_dispensed(RuntimeOrigin::signed(MANUFACTURER), batch_id, 1),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), 7, 1),
			Error::<Test>::BatchNotFound
		);
		assert_noop!(
			DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 0),
			Error::<Test>::ZeroQuantity
		);
		run_to_block(EXPIRY);
		assert_noop!(
			DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 1),
			Error::<Test>::BatchExpired
		);
	});
}

#[test]
fn destroying_every_pack_destroys_the_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 40);
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(WHOLESALER),
			batch_id,
			40,
			DestructionReason::Damaged
		));
		System::assert_last_event(
			Event::Destroyed {
				batch_id,
				holder: WHOLESALER,
				quantity: 40,
				reason: DestructionReason::Damaged,
			}
			.into(),
		);
		assert_eq!(status(batch_id), BatchStatus::Active);
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			batch_id,
			60,
			DestructionReason::Other
		));
		assert_eq!(status(batch_id), BatchStatus::Destroyed);
		System::assert_has_event(
			Event::Destroyed {
				batch_id,
				holder: MANUFACTURER,
				quantity: 60,
				reason: DestructionReason::Other,
			}
			.into(),
		);
		System::assert_last_event(Event::BatchFullyDestroyed { batch_id }.into());
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.destroyed, b.holder_count, b.in_custody()), (100, 0, 0));
		// The batch deposit stays held until the batch is retired.
		assert_eq!(
			held(MANUFACTURER, HoldReason::BatchDeposit),
			BATCH_DEPOSIT + 100 * PACK_RECORD_DEPOSIT
		);
	});
}

#[test]
fn partly_dispensed_batch_is_not_marked_destroyed() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 1);
		assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 1));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			batch_id,
			99,
			DestructionReason::Damaged
		));
		assert_eq!(status(batch_id), BatchStatus::Active);
		System::assert_last_event(
			Event::Destroyed {
				batch_id,
				holder: MANUFACTURER,
				quantity: 99,
				reason: DestructionReason::Damaged,
			}
			.into(),
		);
	});
}

#[test]
fn destruction_checks_partner_batch_and_quantity() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		let call = |who: AccountId, id: BatchId, q: u32| {
			DrugProvenance::destroy(RuntimeOrigin::signed(who), id, q, DestructionReason::Damaged)
		};
		assert_noop!(call(PATIENT, batch_id, 1), Error::<Test>::PartnerNotFound);
		assert_noop!(call(MANUFACTURER, 3, 1), Error::<Test>::BatchNotFound);
		assert_noop!(call(MANUFACTURER, batch_id, 0), Error::<Test>::ZeroQuantity);
		assert_noop!(call(MANUFACTURER, batch_id, 101), Error::<Test>::InsufficientHoldings);
		assert_noop!(call(WHOLESALER, batch_id, 1), Error::<Test>::InsufficientHoldings);
	});
}

#[test]
fn quantities_always_add_up() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 60);
		move_packs(WHOLESALER, batch_id, PHARMACY, 10);
		dispatch(WHOLESALER, batch_id, LOGISTICS, 20);
		assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 3));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			batch_id,
			5,
			DestructionReason::Damaged
		));
		let b = Batches::<Test>::get(batch_id).unwrap();
		let held_total: u32 = DrugProvenance::holdings(batch_id).iter().map(|(_, q)| q).sum();
		assert_eq!(held_total, 35 + 30 + 7);
		assert_eq!((b.pending, b.dispensed, b.destroyed), (20, 3, 5));
		assert_eq!(held_total + b.pending + b.dispensed + b.destroyed, b.quantity);
		assert_eq!(b.in_custody(), held_total);
	});
}

#[test]
fn attack_filling_the_trace_locks_a_deposit_per_transfer() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 1);
		// A holder and an accomplice ping-pong one pack (dispatch, reject) to fill the batch's
		// trace up to `MaxTransfersPerBatch`, so that nobody can move the batch any more. Every
		// record it writes keeps its deposit held until the batch is retired.
		for _ in 1..MAX_TRANSFERS_PER_BATCH {
			let index = dispatch(WHOLESALER, batch_id, LOGISTICS, 1);
			assert_ok!(DrugProvenance::reject(RuntimeOrigin::signed(LOGISTICS), batch_id, index));
		}
		assert_eq!(
			held(WHOLESALER, HoldReason::TransferDeposit),
			TRANSFER_DEPOSIT * (MAX_TRANSFERS_PER_BATCH as u64 - 1)
		);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), TRANSFER_DEPOSIT);
		// The deposits come back only when the finished batch is retired.
		for (who, quantity) in [(MANUFACTURER, 99), (WHOLESALER, 1)] {
			assert_ok!(DrugProvenance::destroy(
				RuntimeOrigin::signed(who),
				batch_id,
				quantity,
				DestructionReason::Damaged
			));
		}
		run_to_block(EXPIRY + TRACE_RETENTION);
		while status(batch_id) != BatchStatus::Retired {
			assert_ok!(DrugProvenance::retire_batch(RuntimeOrigin::signed(MANUFACTURER), batch_id));
		}
		assert_eq!(held(WHOLESALER, HoldReason::TransferDeposit), 0);
		assert_eq!(held(MANUFACTURER, HoldReason::TransferDeposit), 0);
	});
}
