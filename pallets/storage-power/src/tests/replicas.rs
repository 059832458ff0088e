//! Replicas of ordered objects and the chain's audits of their bytes: taking and dropping a
//! replica, one audit per replica per era answered with a segment of the object and its proof
//! against the order's content id, and what a miss or a wrong answer costs.

use super::*;
use crate::{MAX_OPEN_ORDERS, OPEN_ORDERS_SCAN};
use medchain_merkle::segments::{content_id_of, segment_leaf, SEGMENT_LEN};
use sp_runtime::traits::BadOrigin;

/// A sealed object's bytes (3 full segments and a short one), its segment root and content id.
struct Object {
	bytes: Vec<u8>,
	root: H256,
	id: H256,
}

fn object(tag: u8) -> Object {
	let bytes: Vec<u8> = (0..3 * SEGMENT_LEN as usize + 100).map(|i| (i as u8) ^ tag).collect();
	let root = medchain_merkle::merkle_root(&leaves_of(&bytes)).unwrap();
	let id = content_id_of(bytes.len() as u64, &root);
	Object { bytes, root, id }
}

fn leaves_of(bytes: &[u8]) -> Vec<H256> {
	bytes.chunks(SEGMENT_LEN as usize).map(segment_leaf).collect()
}

/// Segment `index` of `object` and its siblings, as a vault answers an audit.
fn answer_of(object: &Object, index: u32) -> (SegmentOf, ProofOf) {
	let segment = object.bytes.chunks(SEGMENT_LEN as usize).nth(index as usize).unwrap();
	let proof = medchain_merkle::merkle_proof(&leaves_of(&object.bytes), index as usize).unwrap();
	(segment.to_vec().try_into().unwrap(), proof.try_into().unwrap())
}

/// [`BUYER`] orders `replicas` copies of `object` for `eras` eras.
fn order(object: &Object, replicas: u32, eras: u32) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(StoragePower::place_order(
		RuntimeOrigin::signed(BUYER),
		object.id,
		object.bytes.len() as u64,
		replicas,
		eras
	));
	id
}

fn take(who: AccountId, order_id: OrderId) {
	assert_ok!(StoragePower::take_replica(RuntimeOrigin::signed(who), order_id));
}

/// Runs block by block until the chain audits `who`'s replica of `order_id`; returns the audit.
fn run_until_audited(who: AccountId, order_id: OrderId) -> ReplicaAudit<Test> {
	for _ in 0..ERA_LENGTH {
		if let Some(audit) = ReplicaAudits::<Test>::get(order_id, who) {
			return audit;
		}
		run_to_block(System::block_number() + 1);
	}
	panic!("the replica was not audited within an era");
}

fn prove(who: AccountId, order_id: OrderId, object: &Object, index: u32) {
	let (segment, proof) = answer_of(object, index);
	assert_ok!(StoragePower::prove_replica(
		RuntimeOrigin::signed(who),
		order_id,
		object.root,
		segment,
		proof
	));
}

/// Runs to block `to`, answering every audit of the replicas of `orders` as an honest vault
/// does, in the block it is issued.
fn run_answering(to: u64, orders: &[(OrderId, &Object)]) {
	while System::block_number() < to {
		run_to_block(System::block_number() + 1);
		for (order_id, object) in orders {
			for who in holders(*order_id) {
				if let Some(audit) = ReplicaAudits::<Test>::get(order_id, who) {
					prove(who, *order_id, object, audit.segment);
				}
			}
		}
	}
}

fn holders(order_id: OrderId) -> Vec<AccountId> {
	OrderHolders::<Test>::get(order_id).into_inner()
}

#[test]
fn a_provider_takes_a_replica_of_a_live_order_within_its_places_and_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let object = object(1);
		let id = order(&object, 2, 3);
		take(ALICE, id);
		System::assert_last_event(Event::ReplicaTaken { order_id: id, provider: ALICE }.into());
		assert_eq!(holders(id), vec![ALICE]);
		assert_eq!(ReplicaBytes::<Test>::get(ALICE), object.bytes.len() as u64);
		assert_eq!(StoragePower::order(id).unwrap().holders, vec![ALICE]);
		let view = StoragePower::replicas_of(ALICE);
		assert_eq!(view.len(), 1);
		assert_eq!((view[0].order_id, view[0].content_id, view[0].since), (id, object.id, 1));
		assert_eq!(StoragePower::provider(ALICE).unwrap().replica_bytes, object.bytes.len() as u64);

		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::ReplicaAlreadyHeld
		);
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(BUYER), id),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), 99),
			Error::<Test>::OrderNotFound
		);
		assert_noop!(StoragePower::take_replica(RuntimeOrigin::none(), id), BadOrigin);
		register(BOB, 1024);
		take(BOB, id);
		register(CHARLIE, 1024);
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::ReplicasFull
		);
	});
}

#[test]
fn open_orders_lists_live_orders_with_a_free_place_page_by_page() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let (a, b, c) = (object(1), object(2), object(3));
		let full = order(&a, 1, 4);
		let open = order(&b, 2, 4);
		let short = order(&c, 1, 1);
		take(ALICE, full);
		take(ALICE, open);
		let ids = |page: OpenOrdersPage<AccountId, Balance>| {
			page.orders.iter().map(|o| o.id).collect::<Vec<_>>()
		};
		// The full order is left out; the half-held one shows its holder.
		let page = StoragePower::open_orders(0, 10);
		assert_eq!((ids(page.clone()), page.next), (vec![open, short], None));
		assert_eq!(page.orders[0].holders, vec![ALICE]);
		// Pages: `limit` orders, then from where the last one stopped.
		let first = StoragePower::open_orders(0, 1);
		assert_eq!((ids(first.clone()), first.next), (vec![open], Some(open + 1)));
		assert_eq!(ids(StoragePower::open_orders(first.next.unwrap(), 1)), vec![short]);
		// An expired order needs no replica; an id past the last order is an empty last page.
		run_answering(era_start(2), &[(full, &a), (open, &b)]);
		assert_eq!(ids(StoragePower::open_orders(0, 10)), vec![open]);
		assert_eq!(
			StoragePower::open_orders(OrderId::MAX, u32::MAX),
			OpenOrdersPage { orders: vec![], next: None }
		);
	});
}

#[test]
fn open_orders_reads_a_bounded_number_of_ids_and_returns_a_bounded_page() {
	ExtBuilder::default().build_and_execute(|| {
		// Order ids far apart (removed orders leave gaps): one page reads OPEN_ORDERS_SCAN ids
		// and says where to go on.
		NextOrderId::<Test>::put(3 * OPEN_ORDERS_SCAN);
		let page = StoragePower::open_orders(0, 10);
		assert_eq!((page.orders.len(), page.next), (0, Some(OPEN_ORDERS_SCAN)));
		let last = StoragePower::open_orders(2 * OPEN_ORDERS_SCAN, 10);
		assert_eq!((last.orders.len(), last.next), (0, None));
		// At most MAX_OPEN_ORDERS orders, however many are asked for.
		let object = object(9);
		NextOrderId::<Test>::put(0);
		for _ in 0..=MAX_OPEN_ORDERS {
			order(&object, 1, 1);
		}
		let page = StoragePower::open_orders(0, u32::MAX);
		assert_eq!(page.orders.len(), MAX_OPEN_ORDERS as usize);
		assert_eq!(page.next, Some(OrderId::from(MAX_OPEN_ORDERS)));
	});
}

#[test]
fn a_replica_needs_capacity_backed_by_stake_and_a_place_in_the_providers_list() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1);
		// 2 GiB do not fit in a declared 1 GiB; the view says what fits.
		assert_eq!(StoragePower::provider(ALICE).unwrap().backed_bytes, GIB_BYTES);
		let big = NextOrderId::<Test>::get();
		assert_ok!(StoragePower::place_order(
			RuntimeOrigin::signed(BUYER),
			H256::repeat_byte(5),
			2 * GIB_BYTES,
			1,
			1
		));
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), big),
			Error::<Test>::ExceedsCapacity
		);
		let ids: Vec<OrderId> =
			(0..=MAX_REPLICAS_PER_PROVIDER).map(|i| order(&object(i as u8), 1, 2)).collect();
		for id in &ids[..MAX_REPLICAS_PER_PROVIDER as usize] {
			take(ALICE, *id);
		}
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), ids[ids.len() - 1]),
			Error::<Test>::TooManyReplicas
		);
	});
}

#[test]
fn an_expired_order_takes_no_replica_and_its_replicas_end_at_their_draw() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let object = object(2);
		let id = order(&object, 1, 1);
		take(ALICE, id);
		run_answering(era_start(2), &[(id, &object)]);
		register(BOB, 1024);
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::OrderExpired
		);
		// The expired order's replica is drawn in era 2 and ends instead of being audited.
		let mut ended = false;
		while !ended && System::block_number() < era_start(3) {
			run_to_block(System::block_number() + 1);
			ended = has_event(Event::ReplicaEnded {
				order_id: id,
				provider: ALICE,
				reason: ReplicaEnd::OrderEnded,
			});
		}
		assert!(ended);
		assert!(holders(id).is_empty());
		assert!(ReplicaAudits::<Test>::iter().next().is_none());
		assert_eq!(ReplicaBytes::<Test>::get(ALICE), 0);
	});
}

#[test]
fn every_replica_is_audited_once_per_era_and_a_correct_segment_passes() {
	// One power per audited byte, so that a small object's bytes show in the power.
	let params = PowerParameters { alpha: 1 << 30, ..test_parameters() };
	ExtBuilder::default().with_parameters(params).build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let object = object(3);
		let size = object.bytes.len() as u64;
		let id = order(&object, 2, 3);
		take(ALICE, id);
		take(BOB, id);
		// Declared space earns nothing: the report has no power until an audit passes.
		assert_ok!(StoragePower::submit_report(
			RuntimeOrigin::signed(ALICE),
			1,
			1000,
			0,
			UNIT_TREE_BYTES,
			receipts_root(ALICE, 0),
			LEAVES
		));
		assert_eq!(report_of(ALICE, 1).raw_power, 0);
		let audit = run_until_audited(ALICE, id);
		assert_eq!(audit.era, 1);
		assert!(audit.segment < 4);
		assert!(audit.deadline < era_start(2));
		System::assert_has_event(
			Event::ReplicaAuditIssued {
				order_id: id,
				provider: ALICE,
				segment: audit.segment,
				deadline: audit.deadline,
			}
			.into(),
		);
		assert_eq!(
			StoragePower::replicas_of(ALICE)[0].audit,
			Some((audit.segment, audit.deadline))
		);
		// A replica under audit cannot be dropped to dodge it.
		assert_noop!(
			StoragePower::drop_replica(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::ReplicaAuditPending
		);
		prove(ALICE, id, &object, audit.segment);
		let view = StoragePower::provider(ALICE).unwrap();
		assert_eq!((view.replica_audits_passed, view.replica_audits_failed), (1, 0));
		let report = report_of(ALICE, 1);
		assert_eq!(report.raw_power, u128::from(size));
		System::assert_last_event(
			Event::ReplicaAuditPassed {
				order_id: id,
				provider: ALICE,
				era: 1,
				audited_bytes: size,
				power: Some(report.power),
			}
			.into(),
		);
		assert_eq!(era_info(1).total_power, report.power);
		assert_eq!(StoragePower::provider(ALICE).unwrap().audited_bytes, size);
		assert_noop!(
			StoragePower::prove_replica(
				RuntimeOrigin::signed(ALICE),
				id,
				object.root,
				answer_of(&object, audit.segment).0,
				answer_of(&object, audit.segment).1
			),
			Error::<Test>::ReplicaAuditNotFound
		);
		// Bob has not reported yet: his report counts the audited bytes when it comes.
		let bob = run_until_audited(BOB, id);
		prove(BOB, id, &object, bob.segment);
		System::assert_last_event(
			Event::ReplicaAuditPassed {
				order_id: id,
				provider: BOB,
				era: 1,
				audited_bytes: size,
				power: None,
			}
			.into(),
		);
		assert!(System::block_number() <= era_start(1) + LAST_REPORT_OFFSET);
		assert_ok!(StoragePower::submit_report(
			RuntimeOrigin::signed(BOB),
			1,
			0,
			0,
			UNIT_TREE_BYTES,
			receipts_root(BOB, 0),
			LEAVES
		));
		assert_eq!(report_of(BOB, 1).raw_power, u128::from(size));
		// Nothing more is drawn in era 1; era 2 audits both again.
		run_to_block(era_start(2) - 1);
		assert_eq!(ReplicaAudits::<Test>::iter().count(), 0);
		run_to_era(2);
		run_until_audited(ALICE, id);
		run_until_audited(BOB, id);
	});
}

#[test]
fn a_wrong_segment_slashes_ends_the_replica_and_the_order_is_replicated_again() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let object = object(4);
		let id = order(&object, 1, 3);
		take(ALICE, id);
		report(ALICE, 1, 0, 0);
		let audit = run_until_audited(ALICE, id);
		let stake = Providers::<Test>::get(ALICE).unwrap().stake;
		// A provider that kept only the tree (not the data) cannot make up the segment.
		let (segment, proof) = answer_of(&object, audit.segment);
		let mut forged = segment.into_inner();
		forged[0] ^= 1;
		assert_ok!(StoragePower::prove_replica(
			RuntimeOrigin::signed(ALICE),
			id,
			object.root,
			forged.try_into().unwrap(),
			proof
		));
		let slash = stake * SLASH_PERCENT as u64 / 100;
		System::assert_has_event(
			Event::ReplicaAuditFailed {
				order_id: id,
				provider: ALICE,
				era: 1,
				reason: AuditFailure::WrongProof,
				failures: 1,
				power: 0,
			}
			.into(),
		);
		System::assert_has_event(Event::Slashed { provider: ALICE, era: 1, amount: slash }.into());
		System::assert_last_event(
			Event::ReplicaEnded {
				order_id: id,
				provider: ALICE,
				reason: ReplicaEnd::AuditFailed(AuditFailure::WrongProof),
			}
			.into(),
		);
		assert_eq!(Providers::<Test>::get(ALICE).unwrap().stake, stake - slash);
		let view = StoragePower::provider(ALICE).unwrap();
		assert_eq!((view.replica_audits_passed, view.replica_audits_failed), (0, 1));
		assert!(holders(id).is_empty());
		// The slashed stake no longer backs a TiB: no new replica until the provider tops up.
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::ExceedsCapacity
		);
		register(BOB, 1024);
		take(BOB, id);
		assert_eq!(holders(id), vec![BOB]);
	});
}

#[test]
fn a_segment_of_another_object_or_under_another_root_fails() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let (object, other) = (object(5), object(6));
		let id = order(&object, 2, 3);
		take(ALICE, id);
		take(BOB, id);
		let alice = run_until_audited(ALICE, id);
		// A valid proof of another object's segment names another content id.
		let (segment, proof) = answer_of(&other, alice.segment);
		assert_ok!(StoragePower::prove_replica(
			RuntimeOrigin::signed(ALICE),
			id,
			other.root,
			segment,
			proof
		));
		assert!(!Replicas::<Test>::contains_key(id, ALICE));
		let bob = run_until_audited(BOB, id);
		// The right segment under a made-up root (an empty proof of a one-leaf tree).
		let (segment, _) = answer_of(&object, bob.segment);
		let fake_root = segment_leaf(&segment);
		assert_ok!(StoragePower::prove_replica(
			RuntimeOrigin::signed(BOB),
			id,
			fake_root,
			segment,
			ProofOf::default()
		));
		assert!(has_event(Event::ReplicaEnded {
			order_id: id,
			provider: BOB,
			reason: ReplicaEnd::AuditFailed(AuditFailure::WrongProof)
		}));
	});
}

#[test]
fn a_missed_replica_audit_is_settled_at_deadline_plus_one_with_a_slash() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let object = object(7);
		let id = order(&object, 1, 3);
		take(ALICE, id);
		let audit = run_until_audited(ALICE, id);
		run_to_block(audit.deadline);
		assert!(ReplicaAudits::<Test>::contains_key(id, ALICE));
		run_to_block(audit.deadline + 1);
		assert!(has_event(Event::ReplicaAuditFailed {
			order_id: id,
			provider: ALICE,
			era: 1,
			reason: AuditFailure::Missed,
			failures: 0,
			power: 0,
		}));
		assert!(has_event(Event::ReplicaEnded {
			order_id: id,
			provider: ALICE,
			reason: ReplicaEnd::AuditFailed(AuditFailure::Missed)
		}));
		assert!(!ReplicaAuditExpiries::<Test>::contains_key(audit.deadline));
		assert_eq!(StoragePower::replica_audits_in(&ALICE, 1), (0, 1));
		// The tally is of one era: the next era starts from nothing.
		assert_eq!(StoragePower::replica_audits_in(&ALICE, 2), (0, 0));
		assert_noop!(
			StoragePower::prove_replica(
				RuntimeOrigin::signed(ALICE),
				id,
				object.root,
				answer_of(&object, audit.segment).0,
				answer_of(&object, audit.segment).1
			),
			Error::<Test>::ReplicaAuditNotFound
		);
	});
}

#[test]
fn dropping_a_replica_frees_its_place_and_a_provider_with_replicas_cannot_unbond() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let object = object(8);
		let id = order(&object, 1, 3);
		assert_noop!(
			StoragePower::drop_replica(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::ReplicaNotFound
		);
		take(ALICE, id);
		assert_noop!(
			StoragePower::unbond(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::ProviderHoldsReplicas
		);
		assert_ok!(StoragePower::drop_replica(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(
			Event::ReplicaEnded { order_id: id, provider: ALICE, reason: ReplicaEnd::Dropped }
				.into(),
		);
		assert!(ReplicaPool::<Test>::iter().next().is_none());
		assert_ok!(StoragePower::unbond(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::ProviderNotActive
		);
	});
}

#[test]
fn removing_an_expired_order_ends_its_replicas() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let object = object(9);
		let id = order(&object, 2, 1);
		take(ALICE, id);
		take(BOB, id);
		run_answering(era_start(2), &[(id, &object)]);
		assert_eq!(holders(id), vec![ALICE, BOB]);
		assert_ok!(StoragePower::remove_order(RuntimeOrigin::signed(CHARLIE), id));
		for who in [ALICE, BOB] {
			assert!(has_event(Event::ReplicaEnded {
				order_id: id,
				provider: who,
				reason: ReplicaEnd::OrderEnded
			}));
			assert!(StoragePower::replicas_of(who).is_empty());
		}
		assert!(!OrderHolders::<Test>::contains_key(id));
	});
}

#[test]
fn the_pool_stays_consistent_when_audited_and_waiting_replicas_end_in_any_order() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let objects: Vec<Object> = (0..4).map(|i| object(20 + i)).collect();
		let ids: Vec<OrderId> = objects.iter().map(|object| order(object, 2, 3)).collect();
		for id in &ids {
			take(ALICE, *id);
			take(BOB, *id);
		}
		// Audit some, then end replicas from both parts of the pool; `try_state` after each
		// step checks every slot against its replica.
		let orders: Vec<(OrderId, &Object)> = ids.iter().copied().zip(objects.iter()).collect();
		run_answering(System::block_number() + 6, &orders);
		let audited = ReplicaPoolInfo::<Test>::get().in_era(1).audited;
		assert!(audited > 0 && audited < 8, "{audited} of 8 drawn");
		for (who, id) in [(ALICE, ids[0]), (BOB, ids[3]), (ALICE, ids[2])] {
			assert_ok!(StoragePower::drop_replica(RuntimeOrigin::signed(who), id));
			StoragePower::do_try_state().unwrap();
		}
		assert_eq!(ReplicaPoolInfo::<Test>::get().size, 5);
	});
}

#[test]
fn the_era_reward_follows_the_audited_bytes() {
	// One power per audited byte and nothing for bandwidth: the split is the audited bytes'.
	let params = PowerParameters { alpha: 1 << 30, beta: 0, ..test_parameters() };
	ExtBuilder::default().with_parameters(params).build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let objects: Vec<Object> = (0..2).map(|i| object(40 + i)).collect();
		let ids: Vec<OrderId> = objects.iter().map(|object| order(object, 2, 3)).collect();
		take(ALICE, ids[0]);
		take(ALICE, ids[1]);
		take(BOB, ids[0]);
		for who in [ALICE, BOB] {
			assert_ok!(StoragePower::submit_report(
				RuntimeOrigin::signed(who),
				1,
				0,
				0,
				UNIT_TREE_BYTES,
				receipts_root(who, 0),
				LEAVES
			));
		}
		// Through the era both answer every audit and send every heartbeat.
		let orders: Vec<(OrderId, &Object)> = ids.iter().copied().zip(objects.iter()).collect();
		while System::block_number() + 1 < era_start(2) {
			run_answering(System::block_number() + 1, &orders);
			let offset = System::block_number() - era_start(1);
			if offset % HEARTBEAT_INTERVAL == 1
				&& offset < HEARTBEAT_INTERVAL * u64::from(EXPECTED_HEARTBEATS)
			{
				heartbeat(ALICE);
				heartbeat(BOB);
			}
		}
		let size = objects[0].bytes.len() as u64;
		assert_eq!(StoragePower::audited_bytes_in(&ALICE, 1), 2 * size);
		assert_eq!(StoragePower::audited_bytes_in(&BOB, 1), size);
		let (alice, bob) = (report_of(ALICE, 1).power, report_of(BOB, 1).power);
		assert_eq!((alice, bob), (2 * u128::from(size), u128::from(size)));
		run_to_era(2);
		let info = era_info(1);
		assert_eq!(info.total_power, alice + bob);
		for (who, power) in [(ALICE, alice), (BOB, bob)] {
			let before = free(who);
			assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(who), 1));
			let reward = StoragePower::reward_of(power, info.emission, info.total_power);
			assert_eq!(free(who), before + reward);
		}
	});
}

#[test]
fn a_withdrawn_provider_leaves_no_audit_counts_behind() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		let object = object(6);
		let id = order(&object, 1, 3);
		take(ALICE, id);
		let audit = run_until_audited(ALICE, id);
		prove(ALICE, id, &object, audit.segment);
		assert!(AuditedBytes::<Test>::contains_key(ALICE));
		assert!(ReplicaAuditTallies::<Test>::contains_key(ALICE));
		assert_ok!(StoragePower::drop_replica(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(StoragePower::unbond(RuntimeOrigin::signed(ALICE)));
		let ProviderStatus::Unbonding { until } = Providers::<Test>::get(ALICE).unwrap().status
		else {
			panic!("not unbonding")
		};
		run_to_era(until);
		assert_ok!(StoragePower::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		assert!(!AuditedBytes::<Test>::contains_key(ALICE));
		assert!(!ReplicaAuditTallies::<Test>::contains_key(ALICE));
	});
}

#[test]
fn one_object_under_two_orders_is_held_and_paid_once_per_provider() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let object = object(9);
		let first = order(&object, 2, 3);
		let second = order(&object, 2, 3);
		take(ALICE, first);
		// The same bytes under a second order would be audited, and count as power, twice.
		assert_noop!(
			StoragePower::take_replica(RuntimeOrigin::signed(ALICE), second),
			Error::<Test>::ContentAlreadyHeld
		);
		assert_eq!(ReplicaBytes::<Test>::get(ALICE), object.bytes.len() as u64);
		// Another provider may hold it under the other order.
		take(BOB, second);
		// Once its replica under the first order ends, the provider may hold the object again.
		assert_ok!(StoragePower::drop_replica(RuntimeOrigin::signed(ALICE), first));
		assert_eq!(ProviderContent::<Test>::get(ALICE, object.id), None);
		take(ALICE, second);
		assert_eq!(ProviderContent::<Test>::get(ALICE, object.id), Some(second));
		assert_eq!(ReplicaBytes::<Test>::get(ALICE), object.bytes.len() as u64);
	});
}
