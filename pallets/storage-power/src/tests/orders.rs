//! Storage orders, the order revenue of each era, the storage price and the subsidy schedule.

use super::*;
use sp_runtime::{traits::BadOrigin, TokenError};

const CONTENT: H256 = H256::repeat_byte(0xAB);

fn place(who: AccountId, size_bytes: u64, replicas: u32, eras: u32) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(StoragePower::place_order(
		RuntimeOrigin::signed(who),
		CONTENT,
		size_bytes,
		replicas,
		eras
	));
	id
}

fn set_price(price: Balance) {
	assert_ok!(StoragePower::set_storage_price(RuntimeOrigin::root(), price));
}

/// `(minted, order_revenue)` of the `EraStarted` event of `era` in this block.
fn started(era: u32) -> (Balance, Balance) {
	pallet_events()
		.into_iter()
		.find_map(|e| match e {
			Event::EraStarted { era: e, minted, order_revenue, .. } if e == era => {
				Some((minted, order_revenue))
			},
			_ => None,
		})
		.expect("the era started in this block")
}

/// The order revenue credited to the current era.
fn credited() -> Balance {
	StoragePower::economics().order_revenue
}

#[test]
fn an_order_pays_every_era_up_front_and_each_era_receives_its_part_when_it_starts() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		set_price(10);
		// 1.5 GiB × 2 replicas × 10 per GiB and era = 30 per era, 4 eras.
		let id = place(BUYER, 3 * GIB_BYTES / 2, 2, 4);
		System::assert_last_event(
			Event::OrderPlaced {
				order_id: id,
				owner: BUYER,
				content_id: CONTENT,
				size_bytes: 3 * GIB_BYTES / 2,
				replicas: 2,
				end_era: 5,
				per_era: 30,
				paid: 120,
			}
			.into(),
		);
		assert_eq!(free(BUYER), INITIAL_BALANCE - 120 - ORDER_DEPOSIT);
		assert_eq!(held(BUYER, HoldReason::OrderDeposit), ORDER_DEPOSIT);
		// The current era gets its part at once, the rest waits.
		assert_eq!(era_info(1).emission, ERA_EMISSION + 30);
		assert_eq!(credited(), 30);
		assert_eq!(PrepaidRevenue::<Test>::get(), 90);
		assert_eq!(StoragePower::economics().next_order_revenue, 30);
		let view = StoragePower::order(id).unwrap();
		assert_eq!((view.start_era, view.end_era, view.per_era, view.live), (1, 5, 30, true));
		assert_eq!(StoragePower::orders_of(BUYER), vec![view]);

		for era in 2..=4 {
			run_to_era(era);
			assert_eq!(started(era), (ERA_EMISSION, 30));
			assert_eq!(credited(), 30);
		}
		assert_eq!(PrepaidRevenue::<Test>::get(), 0);
		assert_eq!(StoragePower::economics().next_order_revenue, 0);
		// Paid for exactly four eras: the fifth gets the subsidy only.
		run_to_era(5);
		assert_eq!(started(5), (ERA_EMISSION, 0));
		assert_eq!(credited(), 0);
		assert!(!StoragePower::order(id).unwrap().live);
	});
}

#[test]
fn a_positive_price_never_makes_an_order_free() {
	ExtBuilder::default().build_and_execute(|| {
		// One byte at 1 per GiB rounds up to 1 per era.
		assert_eq!(StoragePower::quote(1, 1, 3), Some(OrderQuote { per_era: 1, total: 3 }));
		place(BUYER, 1, 1, 3);
		assert_eq!(Orders::<Test>::get(0).unwrap().per_era, 1);
		assert_eq!(StoragePower::quote(0, 1, 1), None);
	});
}

#[test]
fn place_order_rejects_bad_input_and_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let order = |size, replicas, eras| {
			StoragePower::place_order(RuntimeOrigin::signed(BUYER), CONTENT, size, replicas, eras)
		};
		assert_noop!(order(0, 1, 1), Error::<Test>::ZeroSize);
		assert_noop!(order(MAX_OBJECT_SIZE + 1, 1, 1), Error::<Test>::ObjectTooLarge);
		assert_noop!(order(GIB_BYTES, 0, 1), Error::<Test>::InvalidReplicas);
		assert_noop!(order(GIB_BYTES, MAX_REPLICAS + 1, 1), Error::<Test>::InvalidReplicas);
		assert_noop!(order(GIB_BYTES, 1, 0), Error::<Test>::InvalidOrderEras);
		assert_noop!(order(GIB_BYTES, 1, MAX_ORDER_ERAS + 1), Error::<Test>::InvalidOrderEras);
		// More than the buyer has: nothing is held or paid.
		set_price(u64::MAX / 2);
		assert!(order(GIB_BYTES, 1, 1).is_err());
		// No funds for the deposit.
		set_price(1);
		assert_noop!(
			StoragePower::place_order(RuntimeOrigin::signed(POOR), CONTENT, 1, 1, 1),
			TokenError::FundsUnavailable
		);
		// A price whose total overflows the balance type.
		set_price(u64::MAX);
		assert_noop!(
			order(MAX_OBJECT_SIZE, MAX_REPLICAS, MAX_ORDER_ERAS),
			sp_runtime::ArithmeticError::Overflow
		);
		assert_eq!(NextOrderId::<Test>::get(), 0);
		assert_eq!(held(BUYER, HoldReason::OrderDeposit), 0);
	});
}

#[test]
fn a_renewal_reprices_the_future_eras_at_the_current_price() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		let id = place(BUYER, 10 * GIB_BYTES, 1, 3); // 10 per era, eras 1..4
		set_price(3);
		let before = free(BUYER);
		// Eras 2 and 3 had paid 10 each; now eras 2 to 5 at 30 each: 120 − 20 = 100.
		assert_ok!(StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, 2));
		System::assert_last_event(
			Event::OrderRenewed { order_id: id, end_era: 6, per_era: 30, paid: 100, refunded: 0 }
				.into(),
		);
		assert_eq!(free(BUYER), before - 100);
		assert_eq!(PrepaidRevenue::<Test>::get(), 120);
		// The current era keeps what it was paid; the next ones get the new price.
		assert_eq!(credited(), 10);
		assert_eq!(StoragePower::economics().next_order_revenue, 30);
		for era in 2..=5 {
			run_to_era(era);
			assert_eq!(credited(), 30, "era {era}");
		}
		run_to_era(6);
		assert_eq!(credited(), 0);
		assert_eq!(PrepaidRevenue::<Test>::get(), 0);
	});
}

#[test]
fn a_renewal_after_a_price_cut_refunds_the_owner() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		set_price(4);
		let id = place(BUYER, GIB_BYTES, 1, 4); // 4 per era, eras 1..5
		set_price(1);
		let before = free(BUYER);
		// Eras 2..5 had paid 12; now eras 2..6 at 1 each: 4. The owner gets 8 back.
		assert_ok!(StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, 1));
		System::assert_last_event(
			Event::OrderRenewed { order_id: id, end_era: 6, per_era: 1, paid: 0, refunded: 8 }
				.into(),
		);
		assert_eq!(free(BUYER), before + 8);
		assert_eq!(PrepaidRevenue::<Test>::get(), 4);
	});
}

#[test]
fn an_order_in_its_last_era_can_be_renewed() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		let id = place(BUYER, 2 * GIB_BYTES, 1, 1); // 2 for era 1 only
		set_price(5);
		assert_ok!(StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, 2));
		assert_eq!(StoragePower::economics().next_order_revenue, 10);
		run_to_era(2);
		assert_eq!(credited(), 10);
		run_to_era(3);
		assert_eq!(credited(), 10);
		run_to_era(4);
		assert_eq!(credited(), 0);
	});
}

#[test]
fn renew_order_rejects_bad_input_and_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		let id = place(BUYER, GIB_BYTES, 1, 2); // eras 1..3
		assert_noop!(
			StoragePower::renew_order(RuntimeOrigin::signed(BUYER), 99, 1),
			Error::<Test>::OrderNotFound
		);
		assert_noop!(
			StoragePower::renew_order(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(
			StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, 0),
			Error::<Test>::InvalidOrderEras
		);
		// The horizon: at most MAX_ORDER_ERAS eras from the current one.
		assert_noop!(
			StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, MAX_ORDER_ERAS - 1),
			Error::<Test>::InvalidOrderEras
		);
		assert_ok!(StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, MAX_ORDER_ERAS - 2));
		run_to_era(1 + MAX_ORDER_ERAS);
		assert_noop!(
			StoragePower::renew_order(RuntimeOrigin::signed(BUYER), id, 1),
			Error::<Test>::OrderExpired
		);
	});
}

#[test]
fn an_expired_order_is_removed_by_anyone_and_its_deposit_returns_to_its_owner() {
	ExtBuilder::default().build_and_execute(|| {
		let id = place(BUYER, GIB_BYTES, 1, 2); // eras 0..2
		assert_noop!(
			StoragePower::remove_order(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OrderNotExpired
		);
		run_to_era(1);
		assert_noop!(
			StoragePower::remove_order(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OrderNotExpired
		);
		run_to_era(2);
		let before = free(BUYER);
		assert_ok!(StoragePower::remove_order(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(Event::OrderRemoved { order_id: id, owner: BUYER }.into());
		assert_eq!(free(BUYER), before + ORDER_DEPOSIT);
		assert_eq!(held(BUYER, HoldReason::OrderDeposit), 0);
		assert!(StoragePower::orders_of(BUYER).is_empty());
		assert_noop!(
			StoragePower::remove_order(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OrderNotFound
		);
	});
}

#[test]
fn the_owner_cancels_a_live_order_its_future_eras_refunded_and_its_replicas_ended() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		run_to_era(1);
		set_price(100);
		let id = place(BUYER, 5 * GIB_BYTES, 2, 4); // 1,000 per era, eras 1..5
		assert_ok!(StoragePower::take_replica(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			StoragePower::cancel_order(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(StoragePower::cancel_order(RuntimeOrigin::none(), id), BadOrigin);
		let (before, pot_before) = (free(BUYER), pot());

		assert_ok!(StoragePower::cancel_order(RuntimeOrigin::signed(BUYER), id));
		// Eras 2, 3 and 4 come back; era 1 stays paid to the providers of era 1.
		System::assert_last_event(
			Event::OrderCancelled { order_id: id, owner: BUYER, by: BUYER, refunded: 3_000 }.into(),
		);
		assert!(has_event(Event::ReplicaEnded {
			order_id: id,
			provider: ALICE,
			reason: ReplicaEnd::OrderEnded
		}));
		assert_eq!(free(BUYER), before + 3_000 + ORDER_DEPOSIT);
		assert_eq!(pot(), pot_before - 3_000);
		assert_eq!(held(BUYER, HoldReason::OrderDeposit), 0);
		assert!(StoragePower::order(id).is_none() && StoragePower::replicas_of(ALICE).is_empty());
		let economics = StoragePower::economics();
		assert_eq!((economics.order_revenue, economics.next_order_revenue), (1_000, 0));
		assert_eq!(economics.prepaid, 0);
		assert_noop!(
			StoragePower::cancel_order(RuntimeOrigin::signed(BUYER), id),
			Error::<Test>::OrderNotFound
		);
		run_to_era(2);
		assert_eq!(started(2).1, 0, "no order revenue after the cancelled order");
	});
}

#[test]
fn the_data_subject_of_an_object_ends_its_order_and_the_owner_gets_the_refund() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		run_to_era(1);
		set_price(100);
		// A hospital (BUYER) pays to store a patient's (BOB's) record; BOB, the record's subject,
		// erases it and ends the order without the hospital.
		let id = place(BUYER, 5 * GIB_BYTES, 2, 4); // 1,000 per era, eras 1..5
		let content_id = StoragePower::order(id).unwrap().content_id;
		assert_ok!(StoragePower::take_replica(RuntimeOrigin::signed(ALICE), id));
		// Not yet the subject: refused, as for anyone who is neither owner nor subject.
		assert_noop!(
			StoragePower::cancel_order(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOrderOwner
		);
		// The subject of another object, or of this object stored by someone else (a record
		// naming a content id cannot end an order its issuer did not place), is not this one's.
		DataSubjectsOf::set(vec![(BOB, BUYER, H256::repeat_byte(0xEE)), (BOB, ALICE, content_id)]);
		assert_noop!(
			StoragePower::cancel_order(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOrderOwner
		);
		DataSubjectsOf::set(vec![(BOB, BUYER, content_id)]);
		let (buyer_before, bob_before) = (free(BUYER), free(BOB));
		assert_ok!(StoragePower::cancel_order(RuntimeOrigin::signed(BOB), id));
		System::assert_last_event(
			Event::OrderCancelled { order_id: id, owner: BUYER, by: BOB, refunded: 3_000 }.into(),
		);
		assert!(has_event(Event::ReplicaEnded {
			order_id: id,
			provider: ALICE,
			reason: ReplicaEnd::OrderEnded
		}));
		// The owner paid, so the refund and the deposit go back to it; the subject pays a fee only.
		assert_eq!(free(BUYER), buyer_before + 3_000 + ORDER_DEPOSIT);
		assert_eq!(free(BOB), bob_before);
		assert_eq!(held(BUYER, HoldReason::OrderDeposit), 0);
		assert!(StoragePower::order(id).is_none() && StoragePower::orders_of(BUYER).is_empty());
	});
}

#[test]
fn an_order_in_its_last_era_is_cancelled_without_refund_and_an_expired_one_is_removed_instead() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		set_price(100);
		let last = place(BUYER, 5 * GIB_BYTES, 2, 2); // eras 1 and 2
		let other = place(BUYER, 5 * GIB_BYTES, 1, 3); // eras 1..4, 500 per era
		let expired = place(BUYER, GIB_BYTES, 1, 1); // era 1
		run_to_era(2);
		assert_ok!(StoragePower::cancel_order(RuntimeOrigin::signed(BUYER), last));
		System::assert_last_event(
			Event::OrderCancelled { order_id: last, owner: BUYER, by: BUYER, refunded: 0 }.into(),
		);
		assert_noop!(
			StoragePower::cancel_order(RuntimeOrigin::signed(BUYER), expired),
			Error::<Test>::OrderExpired
		);
		// The other order goes on paying its eras.
		assert_eq!(StoragePower::economics().next_order_revenue, 500);
		run_to_era(3);
		assert_eq!(started(3).1, 500);
		assert!(StoragePower::order(other).unwrap().live);
	});
}

#[test]
fn order_revenue_reaches_the_providers_by_power() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 1024);
		run_to_era(1);
		set_price(100);
		place(BUYER, 5 * GIB_BYTES, 2, 2); // 1,000 per era, eras 1 and 2
		run_to_era(2);
		heartbeats(&[ALICE, BOB], EXPECTED_HEARTBEATS);
		report(ALICE, 100, 0, 0); // power 10,000
		report(BOB, 300, 0, 0); // power 30,000
						  // Era 1 had nobody with power: its amount is carried into era 2.
		let emission = 2 * (ERA_EMISSION + 1_000);
		assert_eq!(era_info(2).emission, emission);
		run_to_era(3);
		assert!(has_event(Event::EraClosed { era: 2, total_power: 40_000, emission, reports: 2 }));
		let before = free(BOB);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(BOB), 1));
		assert_eq!(free(BOB), before + emission * 3 / 4);
	});
}

#[test]
fn governance_sets_the_price_and_the_subsidy_schedule() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(StoragePower::set_storage_price(RuntimeOrigin::signed(ALICE), 9), BadOrigin);
		set_price(9);
		System::assert_last_event(Event::StoragePriceSet { price: 9 }.into());
		assert_eq!(StoragePower::economics().price_per_gib_era, 9);

		run_to_era(1);
		assert_noop!(StoragePower::set_subsidy(RuntimeOrigin::signed(ALICE), 1, 1), BadOrigin);
		assert_noop!(
			StoragePower::set_subsidy(RuntimeOrigin::root(), 800, 0),
			Error::<Test>::InvalidSubsidy
		);
		assert_ok!(StoragePower::set_subsidy(RuntimeOrigin::root(), 800, 2));
		let schedule = SubsidySchedule { initial: 800, start_era: 2, half_life_eras: 2 };
		System::assert_last_event(Event::SubsidyScheduled { schedule }.into());
		let economics = StoragePower::economics();
		assert_eq!((economics.pending_subsidy, economics.next_subsidy), (Some(schedule), 800));
		// Era 1 keeps the old schedule; from era 2 the new one, halving every 2 eras.
		assert_eq!(era_info(1).emission, ERA_EMISSION);
		for (era, minted) in [(2, 800), (3, 800), (4, 400), (5, 400), (6, 200)] {
			run_to_era(era);
			assert_eq!(started(era), (minted, 0));
		}
		assert_eq!(Subsidy::<Test>::get(), schedule);
		assert_eq!(PendingSubsidy::<Test>::get(), None);
	});
}

#[test]
fn the_subsidy_halves_on_its_schedule_and_ends() {
	let schedule = SubsidySchedule::<u64> { initial: 1_000, start_era: 10, half_life_eras: 5 };
	assert_eq!(schedule.amount(9), 0, "nothing before the start");
	assert_eq!(schedule.amount(10), 1_000);
	assert_eq!(schedule.amount(14), 1_000);
	assert_eq!(schedule.amount(15), 500);
	assert_eq!(schedule.amount(20), 250);
	assert_eq!(schedule.amount(10 + 5 * 10), 0, "1,000 >> 10");
	assert_eq!(schedule.amount(u32::MAX), 0, "more halvings than bits");
	let total: u64 = (10..200).map(|e| schedule.amount(e)).sum();
	assert!(total <= 2 * 1_000 * 5, "bounded by 2 × initial × half-life");
	assert_eq!(SubsidySchedule::<u64>::default().amount(0), 0, "the default pays nothing");
}

#[test]
fn every_unit_an_order_pays_reaches_exactly_one_era() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		set_price(7);
		let a = place(BUYER, GIB_BYTES + 1, 3, 5); // ceil(21 + tiny) = 22 per era
		set_price(2);
		place(BUYER, 3 * GIB_BYTES, 1, 2); // 6 per era
		let mut received = credited();
		assert_eq!(received, 28);
		run_to_era(2);
		set_price(11);
		assert_ok!(StoragePower::renew_order(RuntimeOrigin::signed(BUYER), a, 2));
		for era in 3..=9 {
			received += credited();
			run_to_era(era);
		}
		let spent = INITIAL_BALANCE - free(BUYER) - held(BUYER, HoldReason::OrderDeposit);
		assert_eq!(PrepaidRevenue::<Test>::get(), 0);
		assert_eq!(received, spent);
	});
}

#[test]
fn the_orders_of_an_object_are_found_by_owner_and_leave_with_their_order() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		let first = place(BUYER, GIB_BYTES, 1, 2);
		let other = NextOrderId::<Test>::get();
		assert_ok!(StoragePower::place_order(
			RuntimeOrigin::signed(BUYER),
			H256::repeat_byte(0xCD),
			GIB_BYTES,
			1,
			2
		));
		let second = place(BUYER, GIB_BYTES, 2, 3);
		// Another account's order of the same object is listed under that account only.
		let squatter = place(ALICE, 1, 1, 1);
		let ids = |owner| -> Vec<OrderId> {
			StoragePower::orders_of_content(CONTENT, owner).iter().map(|o| o.id).collect()
		};
		assert_eq!(ids(BUYER), vec![first, second]);
		assert_eq!(ids(ALICE), vec![squatter]);
		assert_eq!(StoragePower::orders_of_content(CONTENT, BOB), vec![]);
		assert_eq!(
			StoragePower::orders_of_content(H256::repeat_byte(0xCD), BUYER),
			vec![StoragePower::order(other).unwrap()]
		);
		// Cancelled, or expired and removed: no longer listed.
		assert_ok!(StoragePower::cancel_order(RuntimeOrigin::signed(BUYER), second));
		assert_eq!(ids(BUYER), vec![first]);
		run_to_era(3);
		assert_ok!(StoragePower::remove_order(RuntimeOrigin::signed(BOB), first));
		assert!(ids(BUYER).is_empty());
		assert_eq!(ids(ALICE), vec![squatter]);
	});
}
