//! Registration, capacity, maintenance, unbonding and withdrawal.

use super::*;

#[test]
fn register_holds_stake_per_started_tib() {
	ExtBuilder::default().build_and_execute(|| {
		// 1025 GiB is two started TiB.
		register(ALICE, 1025);
		assert_eq!(held(ALICE, HoldReason::ProviderStake), 2 * STAKE_PER_TIB);
		System::assert_last_event(
			Event::ProviderRegistered {
				provider: ALICE,
				capacity_gib: 1025,
				stake: 2 * STAKE_PER_TIB,
				endpoint_commitment: H256::repeat_byte(ALICE as u8),
			}
			.into(),
		);
		// Exactly one TiB is one.
		register(BOB, 1024);
		assert_eq!(held(BOB, HoldReason::ProviderStake), STAKE_PER_TIB);
		assert_eq!(ProviderCount::<Test>::get(), 2);
		let p = Providers::<Test>::get(ALICE).unwrap();
		assert_eq!((p.capacity_gib, p.stake, p.status), (1025, 200, ProviderStatus::Active));
	});
}

#[test]
fn register_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 10);
		assert_noop!(
			StoragePower::register_provider(RuntimeOrigin::signed(ALICE), 10, H256::zero()),
			Error::<Test>::ProviderAlreadyExists
		);
		assert_noop!(
			StoragePower::register_provider(RuntimeOrigin::signed(BOB), 0, H256::zero()),
			Error::<Test>::ZeroCapacity
		);
		assert_noop!(
			StoragePower::register_provider(
				RuntimeOrigin::signed(BOB),
				MAX_CAPACITY_GIB + 1,
				H256::zero()
			),
			Error::<Test>::CapacityTooLarge
		);
		// The cap itself is accepted.
		assert_ok!(StoragePower::register_provider(
			RuntimeOrigin::signed(BOB),
			MAX_CAPACITY_GIB,
			H256::zero()
		));
		assert!(
			StoragePower::register_provider(RuntimeOrigin::signed(POOR), 10, H256::zero()).is_err()
		);
		assert!(!Providers::<Test>::contains_key(POOR));
	});
}

#[test]
fn declare_capacity_applies_next_era_and_holds_more_stake() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1000);
		assert_ok!(StoragePower::declare_capacity(RuntimeOrigin::signed(ALICE), 3000));
		System::assert_last_event(
			Event::CapacityDeclared {
				provider: ALICE,
				capacity_gib: 3000,
				from_era: 1,
				stake: 3 * STAKE_PER_TIB,
			}
			.into(),
		);
		assert_eq!(held(ALICE, HoldReason::ProviderStake), 3 * STAKE_PER_TIB);
		// Still 1000 GiB this era: a report above it is refused.
		assert_noop!(
			StoragePower::submit_report(
				RuntimeOrigin::signed(ALICE),
				0,
				1001,
				0,
				UNIT_TREE_BYTES,
				receipts_root(1, 0),
				LEAVES
			),
			Error::<Test>::ExceedsCapacity
		);
		run_to_era(1);
		// Exactly the new capacity is accepted next era.
		report(ALICE, 2000, 1000, 0);
		assert_eq!(StoragePower::provider(ALICE).unwrap().capacity_gib, 3000);
		// A smaller declaration keeps the stake.
		assert_ok!(StoragePower::declare_capacity(RuntimeOrigin::signed(ALICE), 10));
		assert_eq!(held(ALICE, HoldReason::ProviderStake), 3 * STAKE_PER_TIB);
	});
}

#[test]
fn declare_capacity_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			StoragePower::declare_capacity(RuntimeOrigin::signed(ALICE), 10),
			Error::<Test>::ProviderNotFound
		);
		register(ALICE, 10);
		assert_noop!(
			StoragePower::declare_capacity(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::ZeroCapacity
		);
		assert_noop!(
			StoragePower::declare_capacity(RuntimeOrigin::signed(ALICE), MAX_CAPACITY_GIB + 1),
			Error::<Test>::CapacityTooLarge
		);
		assert_ok!(StoragePower::unbond(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			StoragePower::declare_capacity(RuntimeOrigin::signed(ALICE), 20),
			Error::<Test>::ProviderNotActive
		);
	});
}

#[test]
fn unbond_zeroes_current_power_and_withdraw_releases_stake_exactly_at_the_era() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 1024);
		heartbeats(&[ALICE, BOB], EXPECTED_HEARTBEATS);
		report(ALICE, 100, 0, 0);
		report(BOB, 100, 0, 0);
		assert_eq!(era_info(0).total_power, 20_000);
		assert_ok!(StoragePower::unbond(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(
			Event::Unbonding { provider: ALICE, until: UNBONDING_ERAS }.into(),
		);
		assert_eq!(report_of(ALICE, 0).power, 0);
		assert_eq!(era_info(0).total_power, 10_000);
		assert_eq!(era_info(0).powered, 1);
		// No heartbeats, reports or second unbond while unbonding.
		assert_noop!(
			StoragePower::heartbeat(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::ProviderNotActive
		);
		assert_noop!(
			StoragePower::unbond(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::ProviderNotActive
		);
		run_to_era(1);
		assert_noop!(
			StoragePower::submit_report(
				RuntimeOrigin::signed(ALICE),
				1,
				1,
				0,
				UNIT_TREE_BYTES,
				receipts_root(1, 0),
				LEAVES
			),
			Error::<Test>::ProviderNotActive
		);
		// Era UNBONDING_ERAS - 1: too early.
		assert_noop!(
			StoragePower::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::UnbondingNotOver
		);
		run_to_era(UNBONDING_ERAS);
		// The zero-power report of era 0 must be claimed first (it pays nothing).
		assert_noop!(
			StoragePower::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::UnclaimedRewards
		);
		let before = free(ALICE);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1));
		assert_eq!(free(ALICE), before);
		assert_ok!(StoragePower::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(
			Event::Withdrawn { provider: ALICE, stake: STAKE_PER_TIB }.into(),
		);
		assert_eq!(held(ALICE, HoldReason::ProviderStake), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE);
		assert!(!Providers::<Test>::contains_key(ALICE));
		assert_eq!(ProviderCount::<Test>::get(), 1);
		// It can register again.
		register(ALICE, 1);
	});
}

#[test]
fn withdraw_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			StoragePower::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::ProviderNotFound
		);
		register(ALICE, 1);
		assert_noop!(
			StoragePower::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::ProviderNotUnbonding
		);
		assert_noop!(
			StoragePower::unbond(RuntimeOrigin::signed(BOB)),
			Error::<Test>::ProviderNotFound
		);
	});
}

#[test]
fn maintenance_window_is_bounded_and_forgives_missed_heartbeats() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		assert_noop!(
			StoragePower::announce_maintenance(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::InvalidMaintenance
		);
		assert_noop!(
			StoragePower::announce_maintenance(
				RuntimeOrigin::signed(ALICE),
				MAX_MAINTENANCE_ERAS + 1
			),
			Error::<Test>::InvalidMaintenance
		);
		assert_ok!(StoragePower::announce_maintenance(
			RuntimeOrigin::signed(ALICE),
			MAX_MAINTENANCE_ERAS
		));
		System::assert_last_event(
			Event::MaintenanceAnnounced {
				provider: ALICE,
				from_era: 1,
				to_era: MAX_MAINTENANCE_ERAS,
			}
			.into(),
		);
		assert_noop!(
			StoragePower::announce_maintenance(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::MaintenanceAlreadyAnnounced
		);
		// This era is not covered: no heartbeat means uptime 0 and no power.
		report(ALICE, 100, 0, 0);
		assert_eq!(report_of(ALICE, 0).power, 0);
		// The next era is: full power without any heartbeat.
		run_to_era(1);
		report(ALICE, 100, 0, 0);
		assert_eq!(report_of(ALICE, 1).power, 10_000);
		// Once the window is over a new one can be announced.
		run_to_era(MAX_MAINTENANCE_ERAS + 1);
		assert_ok!(StoragePower::announce_maintenance(RuntimeOrigin::signed(ALICE), 1));
		assert_noop!(
			StoragePower::announce_maintenance(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::ProviderNotFound
		);
		assert_ok!(StoragePower::unbond(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			StoragePower::announce_maintenance(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::ProviderNotActive
		);
	});
}
