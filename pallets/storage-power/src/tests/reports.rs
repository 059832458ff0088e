//! Reports and heartbeats: the power formula, the report window, uptime.

use super::*;
use sp_runtime::ArithmeticError;

#[test]
fn report_power_follows_the_formula() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 2048);
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		// 1000 + 500 GiB of space, 50.5 GiB served (counted as 50 whole GiB).
		report(ALICE, 1000, 500, 50 * GIB_BYTES + GIB_BYTES / 2);
		let expected = 100 * 1500 + 10 * 50;
		let r = report_of(ALICE, 0);
		assert_eq!((r.raw_power, r.power), (expected, expected));
		System::assert_last_event(
			Event::ReportSubmitted {
				provider: ALICE,
				era: 0,
				used_space_gib: 1000,
				free_space_gib: 500,
				bytes_served: 50 * GIB_BYTES + GIB_BYTES / 2,
				receipts_root: receipts_root(ALICE, 50 * GIB_BYTES + GIB_BYTES / 2),
				leaf_count: LEAVES,
				power: expected,
			}
			.into(),
		);
		let info = era_info(0);
		assert_eq!((info.total_power, info.reports, info.powered), (expected, 1, 1));
		assert_eq!(UnclaimedEras::<Test>::get(ALICE).into_inner(), vec![0]);
	});
}

#[test]
fn declared_space_earns_nothing_without_audited_replicas() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 2048);
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		// The attack of a self-declared provider: all its capacity claimed as used, no replica.
		assert_ok!(StoragePower::submit_report(
			RuntimeOrigin::signed(ALICE),
			0,
			2048,
			0,
			UNIT_TREE_BYTES,
			receipts_root(ALICE, 0),
			LEAVES
		));
		assert_eq!(report_of(ALICE, 0).power, 0);
		assert_eq!(era_info(0).powered, 0);
	});
}

#[test]
fn claimed_bandwidth_counts_only_up_to_a_multiple_of_the_audited_bytes() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 2048);
		register(BOB, 2048);
		heartbeats(&[ALICE, BOB], EXPECTED_HEARTBEATS);
		// The attack of the review: u64::MAX bytes served under a one-leaf tree. Without audited
		// replicas it earns nothing.
		let one_leaf = H256::repeat_byte(1);
		let inflated = |who| {
			StoragePower::submit_report(RuntimeOrigin::signed(who), 0, 0, 0, u64::MAX, one_leaf, 1)
		};
		assert_ok!(inflated(ALICE));
		assert_eq!(report_of(ALICE, 0).power, 0);
		// With 1 GiB audited, at most SERVED_PER_AUDITED_BYTE GiB of it count.
		audited(BOB, 1);
		assert_ok!(inflated(BOB));
		let expected = 100 + 10 * u128::from(SERVED_PER_AUDITED_BYTE);
		assert_eq!(report_of(BOB, 0).raw_power, expected);
		assert_eq!(report_of(BOB, 0).power, expected);
	});
}

#[test]
fn a_report_without_receipts_earns_its_audited_bytes_and_has_nothing_to_challenge() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 2048);
		register(BOB, 2048);
		// Era 1: the first era with an emission.
		run_to_era(1);
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		audited(ALICE, 3);
		assert_ok!(StoragePower::submit_report(
			RuntimeOrigin::signed(ALICE),
			1,
			3,
			0,
			0,
			H256::zero(),
			0
		));
		let r = report_of(ALICE, 1);
		assert_eq!((r.raw_power, r.power, r.audit_slot), (300, 300, None));
		assert_eq!(StoragePower::audit_pool_size(1), 0);
		System::assert_last_event(
			Event::ReportSubmitted {
				provider: ALICE,
				era: 1,
				used_space_gib: 3,
				free_space_gib: 0,
				bytes_served: 0,
				receipts_root: H256::zero(),
				leaf_count: 0,
				power: 300,
			}
			.into(),
		);
		run_to_block(System::block_number() + 1);
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BOB), ALICE),
			Error::<Test>::NoReceipts
		);
		// The chain's audits draw nothing from an empty pool; the era still pays the report.
		run_to_era(2);
		assert_eq!(era_info(1).total_power, 300);
		let (before, emission) = (free(ALICE), era_info(1).emission);
		assert!(emission >= ERA_EMISSION);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1));
		assert_eq!(free(ALICE), before + emission, "the only powered report takes the emission");
	});
}

#[test]
fn power_is_capped_exactly() {
	let mut params = test_parameters();
	params.cap = 50_000;
	ExtBuilder::default().with_parameters(params).build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 1024);
		heartbeats(&[ALICE, BOB], EXPECTED_HEARTBEATS);
		// Exactly the cap, and above it.
		report(ALICE, 500, 0, 0);
		report(BOB, 501, 0, 0);
		assert_eq!(report_of(ALICE, 0).power, 50_000);
		assert_eq!(report_of(BOB, 0).raw_power, 50_100);
		assert_eq!(report_of(BOB, 0).power, 50_000);
	});
}

#[test]
fn report_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let r = receipts_root(1, 0);
		let submit = |who, era, used, free_gib, leaves| {
			StoragePower::submit_report(
				RuntimeOrigin::signed(who),
				era,
				used,
				free_gib,
				UNIT_TREE_BYTES,
				r,
				leaves,
			)
		};
		assert_noop!(submit(ALICE, 0, 1, 0, LEAVES), Error::<Test>::ProviderNotFound);
		register(ALICE, 100);
		assert_noop!(submit(ALICE, 1, 1, 0, LEAVES), Error::<Test>::EraNotStarted);
		assert_noop!(submit(ALICE, 0, 60, 41, LEAVES), Error::<Test>::ExceedsCapacity);
		assert_noop!(submit(ALICE, 0, 1, u64::MAX, LEAVES), ArithmeticError::Overflow);
		// No leaves: only for no bytes served, and then with the zero root; leaves only with
		// bytes (a challenge draws one of them).
		let with = |bytes, root, leaves| {
			StoragePower::submit_report(RuntimeOrigin::signed(ALICE), 0, 1, 0, bytes, root, leaves)
		};
		assert_noop!(with(0, r, 0), Error::<Test>::RootWithoutLeaves);
		assert_noop!(with(1, H256::zero(), 0), Error::<Test>::EmptyCommitment);
		assert_noop!(with(0, r, LEAVES), Error::<Test>::EmptyCommitment);
		// Exactly the capacity is accepted.
		assert_ok!(submit(ALICE, 0, 60, 40, LEAVES));
		assert_noop!(submit(ALICE, 0, 1, 0, LEAVES), Error::<Test>::AlreadyReported);
		run_to_era(1);
		assert_noop!(submit(ALICE, 0, 1, 0, LEAVES), Error::<Test>::EraClosed);
	});
}

#[test]
fn report_window_closes_deadline_plus_one_blocks_before_the_era_ends() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 100);
		register(BOB, 100);
		run_to_block(LAST_REPORT_OFFSET);
		report(ALICE, 1, 0, 0);
		run_to_block(LAST_REPORT_OFFSET + 1);
		assert_noop!(
			StoragePower::submit_report(
				RuntimeOrigin::signed(BOB),
				0,
				1,
				0,
				UNIT_TREE_BYTES,
				receipts_root(2, 0),
				LEAVES
			),
			Error::<Test>::ReportWindowClosed
		);
	});
}

#[test]
fn late_report_for_a_closed_era_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 100);
		register(BOB, 100);
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		report(ALICE, 10, 0, 0);
		run_to_era(1);
		let before = era_info(0);
		assert_noop!(
			StoragePower::submit_report(
				RuntimeOrigin::signed(BOB),
				0,
				10,
				0,
				UNIT_TREE_BYTES,
				receipts_root(2, 0),
				LEAVES
			),
			Error::<Test>::EraClosed
		);
		assert_eq!(era_info(0), before);
		assert!(!Reports::<Test>::contains_key(BOB, 0));
	});
}

#[test]
fn unclaimed_eras_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 100);
		for era in 0..MAX_UNCLAIMED {
			run_to_era(era);
			report(ALICE, 1, 0, 0);
		}
		run_to_era(MAX_UNCLAIMED);
		assert_noop!(
			StoragePower::submit_report(
				RuntimeOrigin::signed(ALICE),
				MAX_UNCLAIMED,
				1,
				0,
				UNIT_TREE_BYTES,
				receipts_root(1, 0),
				LEAVES
			),
			Error::<Test>::TooManyUnclaimedEras
		);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1));
		report(ALICE, 1, 0, 0);
	});
}

#[test]
fn heartbeats_raise_power_and_the_running_total() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		report(ALICE, 100, 0, 0);
		assert_eq!(report_of(ALICE, 0).power, 0);
		// Slot 0: 1/5 = 20% < 40% minimum.
		heartbeat(ALICE);
		System::assert_last_event(
			Event::HeartbeatReceived { provider: ALICE, era: 0, heartbeats: 1, power: Some(0) }
				.into(),
		);
		assert_noop!(
			StoragePower::heartbeat(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::HeartbeatTooSoon
		);
		// Slot 1: exactly the minimum, 40%.
		run_to_block(HEARTBEAT_INTERVAL);
		heartbeat(ALICE);
		assert_eq!(report_of(ALICE, 0).power, 4_000);
		assert_eq!(era_info(0).total_power, 4_000);
		assert_eq!(era_info(0).powered, 1);
		for slot in 2..EXPECTED_HEARTBEATS as u64 {
			run_to_block(slot * HEARTBEAT_INTERVAL);
			heartbeat(ALICE);
		}
		assert_eq!(report_of(ALICE, 0).power, 10_000);
		assert_eq!(era_info(0).total_power, 10_000);
		// The sixth slot (the era's last blocks) exists, but five heartbeats are the most.
		run_to_block(EXPECTED_HEARTBEATS as u64 * HEARTBEAT_INTERVAL);
		assert_noop!(
			StoragePower::heartbeat(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::TooManyHeartbeats
		);
		// A new era starts from zero.
		run_to_era(1);
		heartbeat(ALICE);
		assert_eq!(Providers::<Test>::get(ALICE).unwrap().heartbeats, 1);
		assert_noop!(
			StoragePower::heartbeat(RuntimeOrigin::signed(BOB)),
			Error::<Test>::ProviderNotFound
		);
	});
}

#[test]
fn heartbeat_before_the_report_counts() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		heartbeat(ALICE);
		System::assert_last_event(
			Event::HeartbeatReceived { provider: ALICE, era: 0, heartbeats: 1, power: None }.into(),
		);
		run_to_block(1 + HEARTBEAT_INTERVAL);
		heartbeat(ALICE);
		report(ALICE, 100, 0, 0);
		assert_eq!(report_of(ALICE, 0).power, 4_000);
	});
}
