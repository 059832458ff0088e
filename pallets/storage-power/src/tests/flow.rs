//! The flow end to end in the test runtime.

use super::*;

/// Three providers with different capacity report different space, bandwidth and uptime; one
/// fails an audit (threshold 1: power zero, stake slashed into the pot); the era closes; each
/// claims; the rewards plus the dust equal the era's emission exactly; a report for the closed
/// era is rejected and changes nothing.
#[test]
fn three_providers_one_failed_audit_exact_split() {
	let mut params = test_parameters();
	params.failure_threshold = 1;
	ExtBuilder::default().with_parameters(params).build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 2048);
		register(CHARLIE, 3072);
		run_to_era(1);
		pay_for_storage(500);
		heartbeats(&[ALICE, BOB, CHARLIE], 3);
		report(ALICE, 700, 100, 3 * GIB_BYTES); // 80_030 × 5/5
		report(BOB, 1500, 500, 20 * GIB_BYTES); // 200_200 × 3/5
		report(CHARLIE, 2000, 1000, 0); // 300_000 × 4/5, then audit factor 0
		run_to_block(System::block_number() + 1);
		let good = challenge(ALICE);
		respond(ALICE, good, answer(ALICE, good));
		let bad = challenge(CHARLIE);
		run_to_block(era_start(1) + 1 + 3 * HEARTBEAT_INTERVAL);
		heartbeat(ALICE);
		heartbeat(CHARLIE);
		run_to_block(Challenges::<Test>::get(bad).unwrap().deadline + 1);
		assert_ok!(StoragePower::report_missed_challenge(RuntimeOrigin::signed(BUYER), bad));
		run_to_block(era_start(1) + 1 + 4 * HEARTBEAT_INTERVAL);
		heartbeat(ALICE);
		let slash = 3 * STAKE_PER_TIB * SLASH_PERCENT as u64 / 100;
		assert_eq!(held(CHARLIE, HoldReason::ProviderStake), 3 * STAKE_PER_TIB - slash);
		assert_eq!(report_of(CHARLIE, 1).power, 0);

		let powers = [(ALICE, 80_030u128), (BOB, 120_120), (CHARLIE, 0)];
		let total: u128 = powers.iter().map(|(_, p)| p).sum();
		let emission = ERA_EMISSION + 500 + slash;
		assert_eq!(era_info(1).total_power, total);
		assert_eq!(era_info(1).emission, emission);

		run_to_era(2);
		// A late report for the closed era: rejected, nothing changes.
		let before = (era_info(1), UnclaimedEras::<Test>::get(ALICE));
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
			Error::<Test>::EraClosed
		);
		assert_eq!((era_info(1), UnclaimedEras::<Test>::get(ALICE)), before);

		let mut paid = 0;
		for (who, power) in powers {
			let before = free(who);
			assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(who), 1));
			let reward = free(who) - before;
			assert_eq!(reward as u128, power * emission as u128 / total);
			paid += reward;
		}
		let dust = emission - paid;
		assert!(has_event(Event::EraSettled { era: 1, emission, paid, dust, to_era: 2 }));
		assert_eq!(paid + dust, emission);
		assert_eq!(era_info(2).emission, ERA_EMISSION + dust);
	});
}
