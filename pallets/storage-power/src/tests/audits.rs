//! Audit challenges: issue, answer, failures, slashing, forfeits.

use super::*;

/// ALICE and BOB registered with 1 TiB, full uptime, reports of 100 GiB each (power 10_000),
/// at block 17 of era 0 (the last report block).
fn setup() {
	register(ALICE, 1024);
	register(BOB, 1024);
	heartbeats(&[ALICE, BOB], EXPECTED_HEARTBEATS);
	run_to_block(LAST_REPORT_OFFSET);
	report(ALICE, 100, 0, 0);
	report(BOB, 100, 0, 0);
	run_to_block(LAST_REPORT_OFFSET + 1);
}

#[test]
fn challenge_draws_a_byte_from_the_parent_hash_and_holds_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let now = System::block_number();
		let expected = StoragePower::challenge_point(System::parent_hash().as_ref(), &ALICE, 0, 0);
		let id = challenge(ALICE);
		assert_eq!((id, Challenges::<Test>::get(id).unwrap().point), (0, expected));
		System::assert_last_event(
			Event::ChallengeIssued {
				challenge_id: 0,
				provider: ALICE,
				era: 0,
				issuer: Some(BUYER),
				point: expected,
				byte: StoragePower::challenged_byte(expected, UNIT_TREE_BYTES),
				deadline: now + CHALLENGE_DEADLINE,
			}
			.into(),
		);
		assert_eq!(held(BUYER, HoldReason::ChallengeDeposit), CHALLENGE_DEPOSIT);
		let r = report_of(ALICE, 0);
		assert_eq!((r.challenges_issued, r.open_challenges), (1, 1));
		// Another parent hash gives another point; the byte is always below the total, and the
		// extremes of the point reach both ends of it.
		let points: Vec<u32> =
			(0..50u8).map(|b| StoragePower::challenge_point(&[b; 32], &ALICE, 0, 0)).collect();
		assert!(points.windows(2).any(|pair| pair[0] != pair[1]));
		for bytes in [1, 7, GIB_BYTES, u64::MAX] {
			assert_eq!(StoragePower::challenged_byte(0, bytes), 0);
			assert_eq!(
				StoragePower::challenged_byte(u32::MAX, bytes),
				bytes - 1 - (bytes - 1) / (1 << 32)
			);
			assert!(points.iter().all(|p| StoragePower::challenged_byte(*p, bytes) < bytes));
		}
	});
}

#[test]
fn challenge_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), ALICE),
			Error::<Test>::ReportNotFound
		);
		report(ALICE, 100, 0, 0);
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), ALICE),
			Error::<Test>::ReportTooRecent
		);
		run_to_block(2);
		assert!(StoragePower::issue_challenge(RuntimeOrigin::signed(POOR), ALICE).is_err());
		assert_eq!(NextChallengeId::<Test>::get(), 0);
		challenge(ALICE);
		challenge(ALICE);
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), ALICE),
			Error::<Test>::TooManyChallenges
		);
	});
}

#[test]
fn challenge_window_ends_when_the_deadline_would_leave_the_era() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		report(ALICE, 100, 0, 0);
		run_to_block(LAST_CHALLENGE_OFFSET);
		let id = challenge(ALICE);
		// The deadline is the era's last block.
		assert_eq!(Challenges::<Test>::get(id).unwrap().deadline, ERA_LENGTH - 1);
		run_to_block(LAST_CHALLENGE_OFFSET + 1);
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), ALICE),
			Error::<Test>::ChallengeWindowClosed
		);
	});
}

#[test]
fn valid_proof_passes_up_to_the_deadline_block() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let id = challenge(ALICE);
		run_to_block(System::block_number() + CHALLENGE_DEADLINE);
		respond(ALICE, id, answer(ALICE, id));
		System::assert_last_event(
			Event::ChallengePassed { challenge_id: id, provider: ALICE, era: 0 }.into(),
		);
		assert!(!Challenges::<Test>::contains_key(id));
		assert_eq!(held(BUYER, HoldReason::ChallengeDeposit), 0);
		let r = report_of(ALICE, 0);
		assert_eq!((r.open_challenges, r.failures, r.power), (0, 0, 10_000));
	});
}

#[test]
fn respond_rejects_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let id = challenge(ALICE);
		let good = answer(ALICE, id);
		assert_noop!(
			StoragePower::respond_challenge(RuntimeOrigin::signed(ALICE), id + 1, good.clone()),
			Error::<Test>::ChallengeNotFound
		);
		assert_noop!(
			StoragePower::respond_challenge(RuntimeOrigin::signed(BOB), id, good.clone()),
			Error::<Test>::NotAuthorized
		);
		run_to_block(System::block_number() + CHALLENGE_DEADLINE + 1);
		assert_noop!(
			StoragePower::respond_challenge(RuntimeOrigin::signed(ALICE), id, good),
			Error::<Test>::ChallengeExpired
		);
	});
}

#[test]
fn wrong_proof_is_a_failure_that_lowers_power_by_the_penalty() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let id = challenge(ALICE);
		// A receipt whose bytes differ from its leaf's does not fold to the root.
		respond(ALICE, id, wrong_answer(ALICE, id));
		System::assert_last_event(
			Event::AuditFailed {
				challenge_id: id,
				provider: ALICE,
				era: 0,
				reason: AuditFailure::WrongProof,
				failures: 1,
				power: 7_500,
			}
			.into(),
		);
		assert_eq!(era_info(0).total_power, 17_500);
		assert_eq!(held(BUYER, HoldReason::ChallengeDeposit), 0);
		// One failure is below the threshold (2): no slash.
		assert_eq!(held(ALICE, HoldReason::ProviderStake), STAKE_PER_TIB);
	});
}

#[test]
fn missed_challenges_at_the_threshold_zero_power_and_slash_into_the_pot() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 1024);
		heartbeats(&[ALICE, BOB], 2);
		report(ALICE, 100, 0, 0);
		report(BOB, 100, 0, 0);
		run_to_block(System::block_number() + 1);
		let first = challenge(ALICE);
		let second = challenge(ALICE);
		let deadline = Challenges::<Test>::get(first).unwrap().deadline;
		run_to_block(deadline);
		assert_noop!(
			StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), first),
			Error::<Test>::ChallengeNotExpired
		);
		run_to_block(deadline + 1);
		assert_noop!(
			StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), 99),
			Error::<Test>::ChallengeNotFound
		);
		assert_ok!(StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), first));
		assert!(has_event(Event::AuditFailed {
			challenge_id: first,
			provider: ALICE,
			era: 0,
			reason: AuditFailure::Missed,
			failures: 1,
			power: 3_000,
		}));
		let emission_before = era_info(0).emission;
		assert_ok!(StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), second));
		let slash = STAKE_PER_TIB * SLASH_PERCENT as u64 / 100;
		System::assert_last_event(Event::Slashed { provider: ALICE, era: 0, amount: slash }.into());
		assert!(has_event(Event::AuditFailed {
			challenge_id: second,
			provider: ALICE,
			era: 0,
			reason: AuditFailure::Missed,
			failures: 2,
			power: 0,
		}));
		assert_eq!(held(ALICE, HoldReason::ProviderStake), STAKE_PER_TIB - slash);
		assert_eq!(Providers::<Test>::get(ALICE).unwrap().stake, STAKE_PER_TIB - slash);
		assert_eq!(era_info(0).emission, emission_before + slash);
		assert_eq!(era_info(0).total_power, 4_000);
		assert_eq!(era_info(0).powered, 1);
		assert_eq!(held(BUYER, HoldReason::ChallengeDeposit), 0);
		// The era's whole pot goes to BOB.
		run_to_era(1);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(BOB), 1));
		System::assert_has_event(
			Event::RewardClaimed { provider: BOB, era: 0, power: 4_000, reward: slash }.into(),
		);
	});
}

#[test]
fn a_failure_after_the_era_closed_forfeits_the_reward_to_the_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let era0_fee = 1_000;
		pay_for_storage(era0_fee);
		let id = challenge(ALICE);
		run_to_era(1);
		// Still open after the close: ALICE cannot claim before it is resolved.
		assert_noop!(
			StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::ChallengePending
		);
		assert_ok!(StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), id));
		let r = report_of(ALICE, 0);
		assert!(r.forfeited);
		// The closed era's totals do not move.
		assert_eq!(r.power, 10_000);
		assert_eq!(era_info(0).total_power, 20_000);
		let era1_before = era_info(1).emission;
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(BOB), 1));
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1));
		System::assert_has_event(
			Event::RewardClaimed { provider: ALICE, era: 0, power: 10_000, reward: 0 }.into(),
		);
		System::assert_has_event(
			Event::RewardClaimed { provider: BOB, era: 0, power: 10_000, reward: era0_fee / 2 }
				.into(),
		);
		System::assert_has_event(
			Event::EraSettled {
				era: 0,
				emission: era0_fee,
				paid: era0_fee / 2,
				dust: era0_fee / 2,
				to_era: 1,
			}
			.into(),
		);
		assert_eq!(era_info(1).emission, era1_before + era0_fee / 2);
		assert!(Eras::<Test>::get(0).is_none());
	});
}
