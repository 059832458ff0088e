//! Era emission (subsidy and carried amounts), exact reward split, dust, bounded pull claims.

use super::*;

#[test]
fn era_start_mints_the_subsidy_and_carries_an_unpowered_era() {
	ExtBuilder::default().build_and_execute(|| {
		// Era 0 (genesis) has no subsidy; an order pays for it but nobody has power.
		pay_for_storage(70);
		assert_eq!(free(BUYER), INITIAL_BALANCE - 70 - ORDER_DEPOSIT);
		run_to_era(1);
		assert!(has_event(Event::EraClosed { era: 0, total_power: 0, emission: 70, reports: 0 }));
		assert!(has_event(Event::EraSettled {
			era: 0,
			emission: 70,
			paid: 0,
			dust: 70,
			to_era: 1
		}));
		System::assert_last_event(
			Event::EraStarted { era: 1, minted: ERA_EMISSION, order_revenue: 0, carried: 70 }
				.into(),
		);
		assert!(Eras::<Test>::get(0).is_none());
		assert_eq!(era_info(1).emission, ERA_EMISSION + 70);
		assert_eq!(PotLiability::<Test>::get(), ERA_EMISSION + 70);
		assert_eq!(CurrentEra::<Test>::get(), 1);
		// The era changes exactly at its first block, not before.
		run_to_block(era_start(2) - 1);
		assert_eq!(CurrentEra::<Test>::get(), 1);
		run_to_block(era_start(2));
		assert_eq!(CurrentEra::<Test>::get(), 2);
	});
}

/// Three providers with different space, bandwidth and uptime in era 1, fee `fee`.
fn three_provider_era(fee: Balance) -> [(AccountId, u128); 3] {
	register(ALICE, 1024);
	register(BOB, 2048);
	register(CHARLIE, 4096);
	run_to_era(1);
	pay_for_storage(fee);
	heartbeats(&[ALICE, BOB, CHARLIE], 4);
	run_to_block(System::block_number() + HEARTBEAT_INTERVAL);
	heartbeat(ALICE);
	heartbeat(CHARLIE);
	// ALICE: 100 GiB, 5/5 uptime. BOB: 250 GiB and 10 GiB served, 4/5. CHARLIE: 300 GiB and
	// 1 GiB served, 5/5.
	report(ALICE, 80, 20, 0);
	report(BOB, 200, 50, 10 * GIB_BYTES);
	report(CHARLIE, 300, 0, GIB_BYTES);
	[(ALICE, 10_000), (BOB, (25_000 + 100) * 4 / 5), (CHARLIE, 30_010)]
}

#[test]
fn rewards_split_the_emission_by_power_and_dust_goes_to_the_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		let fee = 333;
		let expected = three_provider_era(fee);
		let emission = ERA_EMISSION + fee;
		let total: u128 = expected.iter().map(|(_, p)| p).sum();
		for (who, power) in expected {
			assert_eq!(report_of(who, 1).power, power);
		}
		assert_eq!(era_info(1).total_power, total);
		run_to_era(2);
		assert!(has_event(Event::EraClosed { era: 1, total_power: total, emission, reports: 3 }));
		let mut paid = 0;
		for (who, power) in expected {
			let before = free(who);
			let reward = (power * emission as u128 / total) as Balance;
			assert_eq!(StoragePower::pending_rewards(who)[0].reward, reward);
			assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(who), 1));
			assert!(has_event(Event::RewardClaimed { provider: who, era: 1, power, reward }));
			assert_eq!(free(who), before + reward);
			assert!(!Reports::<Test>::contains_key(who, 1));
			paid += reward;
		}
		let dust = emission - paid;
		assert!(dust > 0, "this split leaves rounding dust");
		System::assert_last_event(
			Event::EraSettled { era: 1, emission, paid, dust, to_era: 2 }.into(),
		);
		assert_eq!(era_info(2).emission, ERA_EMISSION + dust);
		assert!(Eras::<Test>::get(1).is_none());
		assert_eq!(pot(), 1 + ERA_EMISSION + dust);
	});
}

#[test]
fn claim_pays_up_to_max_eras_oldest_first_and_never_expires() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		for era in 1..=3 {
			run_to_era(era);
			heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
			report(ALICE, 100, 0, 0);
		}
		// Much later: nothing expired.
		run_to_era(20);
		assert_eq!(StoragePower::pending_rewards(ALICE).len(), 3);
		assert!(StoragePower::pending_rewards(ALICE).iter().all(|p| p.claimable));
		let before = free(ALICE);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 2));
		assert_eq!(free(ALICE), before + 2 * ERA_EMISSION);
		assert_eq!(UnclaimedEras::<Test>::get(ALICE).into_inner(), vec![3]);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), MAX_UNCLAIMED));
		assert_eq!(free(ALICE), before + 3 * ERA_EMISSION);
		assert!(!UnclaimedEras::<Test>::contains_key(ALICE));
		assert_noop!(
			StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn claim_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::InvalidMaxEras
		);
		assert_noop!(
			StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), MAX_UNCLAIMED + 1),
			Error::<Test>::InvalidMaxEras
		);
		assert_noop!(
			StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
		// The current era's report is not claimable yet.
		register(ALICE, 1024);
		report(ALICE, 1, 0, 0);
		assert_noop!(
			StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn unbonding_provider_still_claims_past_eras() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		run_to_era(1);
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		report(ALICE, 100, 0, 0);
		run_to_era(2);
		assert_ok!(StoragePower::unbond(RuntimeOrigin::signed(ALICE)));
		run_to_era(3);
		let before = free(ALICE);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1));
		assert_eq!(free(ALICE), before + ERA_EMISSION);
		// Era 2 had no powered report: its emission went on to era 3.
		assert_eq!(era_info(3).emission, 2 * ERA_EMISSION);
	});
}
