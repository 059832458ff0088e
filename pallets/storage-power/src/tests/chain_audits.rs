//! Audits issued by the chain in `on_initialize`: draw, answer, automatic expiry, coverage and
//! bounds. These tests turn chain audits on ([`MOCK_AUDITS_PER_BLOCK`] per block unless stated).

use super::*;

/// Chain audits on, and no minimum uptime (a report with one heartbeat out of five has a fifth
/// of its raw power).
fn audited() -> ExtBuilder {
	ExtBuilder::default().with_audits_per_block(MOCK_AUDITS_PER_BLOCK).with_parameters(any_uptime())
}

fn any_uptime() -> PowerParameters {
	PowerParameters { min_uptime: sp_runtime::Perbill::zero(), ..test_parameters() }
}

/// The `ChallengeIssued` events so far, as `(challenge_id, provider, issuer, deadline)`.
fn issued() -> Vec<(ChallengeId, AccountId, Option<AccountId>, u64)> {
	pallet_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::ChallengeIssued { challenge_id, provider, issuer, deadline, .. } => {
				Some((challenge_id, provider, issuer, deadline))
			},
			_ => None,
		})
		.collect()
}

/// The `AuditFailed` events so far.
fn failures() -> Vec<Event<Test>> {
	pallet_events().into_iter().filter(|e| matches!(e, Event::AuditFailed { .. })).collect()
}

/// ALICE registered with 1 TiB, full heartbeats in slot 0, a report of 100 GiB at block 1.
fn alice_reports() {
	register(ALICE, 1024);
	heartbeat(ALICE);
	report(ALICE, 100, 0, 0);
}

#[test]
fn the_chain_challenges_a_reporter_in_the_next_block_without_any_call() {
	audited().build_and_execute(|| {
		alice_reports();
		assert_eq!(StoragePower::audit_pool_size(0), 1);
		assert_eq!(report_of(ALICE, 0).audit_slot, Some(0));
		run_to_block(2);
		// Drawn with the parent hash of block 2, which commits to the block holding the report.
		let point = StoragePower::challenge_point(System::parent_hash().as_ref(), &ALICE, 0, 0);
		System::assert_has_event(
			Event::ChallengeIssued {
				challenge_id: 0,
				provider: ALICE,
				era: 0,
				issuer: None,
				point,
				byte: StoragePower::challenged_byte(point, UNIT_TREE_BYTES),
				deadline: 2 + CHALLENGE_DEADLINE,
			}
			.into(),
		);
		let c = Challenges::<Test>::get(0).unwrap();
		assert_eq!((c.issuer, c.deposit, c.point), (None, 0, point));
		assert_eq!(ChallengeExpiries::<Test>::get(2 + CHALLENGE_DEADLINE).to_vec(), vec![0]);
		let r = report_of(ALICE, 0);
		assert_eq!((r.challenges_issued, r.open_challenges, r.audit_slot), (1, 1, None));
		assert_eq!(StoragePower::audit_pool_size(0), 0);
		assert!(AuditPool::<Test>::get(0, 0).is_none());
		// Nobody paid a deposit.
		assert_eq!(held(BUYER, HoldReason::ChallengeDeposit), 0);
		assert_eq!(held(ALICE, HoldReason::ChallengeDeposit), 0);
		// Drawn once per era: no further chain challenge on the report.
		run_to_block(LAST_CHALLENGE_OFFSET);
		assert_eq!(issued().len(), 1);
	});
}

#[test]
fn a_correct_answer_to_the_chain_passes_and_nothing_expires() {
	audited().build_and_execute(|| {
		alice_reports();
		run_to_block(2);
		let c = Challenges::<Test>::get(0).unwrap();
		// The deadline block itself still accepts the answer.
		run_to_block(c.deadline);
		respond(ALICE, 0, answer(ALICE, 0));
		System::assert_last_event(
			Event::ChallengePassed { challenge_id: 0, provider: ALICE, era: 0 }.into(),
		);
		run_to_block(c.deadline + 1);
		assert!(failures().is_empty());
		assert!(!ChallengeExpiries::<Test>::contains_key(c.deadline));
		let r = report_of(ALICE, 0);
		assert_eq!((r.open_challenges, r.failures, r.power), (0, 0, 10_000 / 5));
	});
}

#[test]
fn a_wrong_answer_to_the_chain_is_an_audit_failure() {
	audited().build_and_execute(|| {
		alice_reports();
		run_to_block(2);
		let before = report_of(ALICE, 0).power;
		respond(ALICE, 0, wrong_answer(ALICE, 0));
		System::assert_last_event(
			Event::AuditFailed {
				challenge_id: 0,
				provider: ALICE,
				era: 0,
				reason: AuditFailure::WrongProof,
				failures: 1,
				power: before * 3 / 4,
			}
			.into(),
		);
		assert!(!Challenges::<Test>::contains_key(0));
		// The queued expiry finds nothing left to settle.
		run_to_block(2 + CHALLENGE_DEADLINE + 1);
		assert_eq!(failures().len(), 1);
	});
}

#[test]
fn an_unanswered_chain_challenge_fails_by_itself_the_block_after_its_deadline() {
	audited().build_and_execute(|| {
		alice_reports();
		run_to_block(2);
		let deadline = 2 + CHALLENGE_DEADLINE;
		let before = report_of(ALICE, 0).power;
		let late = answer(ALICE, 0);
		// Not at the deadline block itself.
		run_to_block(deadline);
		assert!(failures().is_empty());
		assert!(Challenges::<Test>::contains_key(0));
		assert_noop!(
			StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::ChallengeNotExpired
		);
		// At deadline + 1 the hook settles it before any transaction.
		run_to_block(deadline + 1);
		System::assert_has_event(
			Event::AuditFailed {
				challenge_id: 0,
				provider: ALICE,
				era: 0,
				reason: AuditFailure::Missed,
				failures: 1,
				power: before * 3 / 4,
			}
			.into(),
		);
		assert!(!Challenges::<Test>::contains_key(0));
		assert!(!ChallengeExpiries::<Test>::contains_key(deadline));
		assert_eq!(era_info(0).total_power, before * 3 / 4);
		assert_noop!(
			StoragePower::report_missed_challenge(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::ChallengeNotFound
		);
		assert_noop!(
			StoragePower::respond_challenge(RuntimeOrigin::signed(ALICE), 0, late),
			Error::<Test>::ChallengeNotFound
		);
	});
}

#[test]
fn a_missed_chain_audit_at_the_threshold_zeroes_power_and_slashes() {
	let strict = PowerParameters { failure_threshold: 1, ..any_uptime() };
	audited().with_parameters(strict).build_and_execute(|| {
		alice_reports();
		register(BOB, 1024);
		heartbeat(BOB);
		report(BOB, 100, 0, 0);
		run_to_block(2);
		let bob = issued().into_iter().find(|(_, p, _, _)| *p == BOB).unwrap().0;
		respond(BOB, bob, answer(BOB, bob));
		let emission = era_info(0).emission;
		run_to_block(2 + CHALLENGE_DEADLINE + 1);
		let slash = STAKE_PER_TIB * SLASH_PERCENT as u64 / 100;
		System::assert_has_event(Event::Slashed { provider: ALICE, era: 0, amount: slash }.into());
		assert!(has_event(Event::AuditFailed {
			challenge_id: 1 - bob,
			provider: ALICE,
			era: 0,
			reason: AuditFailure::Missed,
			failures: 1,
			power: 0,
		}));
		assert_eq!(report_of(ALICE, 0).power, 0);
		assert_eq!(held(ALICE, HoldReason::ProviderStake), STAKE_PER_TIB - slash);
		assert_eq!(era_info(0).emission, emission + slash);
		assert_eq!(era_info(0).powered, 1);
		assert_eq!(era_info(0).total_power, report_of(BOB, 0).power);
	});
}

#[test]
fn the_chain_draws_only_reporters() {
	audited().build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 1024);
		register(CHARLIE, 1024);
		run_to_block(5);
		// Providers without a report are never challenged.
		assert!(issued().is_empty());
		report(BOB, 100, 0, 0);
		run_to_block(ERA_LENGTH - 1);
		let chain: Vec<_> = issued().into_iter().filter(|(_, _, i, _)| i.is_none()).collect();
		assert_eq!(chain.len(), 1);
		assert_eq!(chain[0].1, BOB);
	});
}

#[test]
fn at_most_audits_per_block_are_drawn_and_every_report_is_drawn_once() {
	audited().build_and_execute(|| {
		for who in [ALICE, BOB, CHARLIE] {
			register(who, 1024);
			report(who, 100, 0, 0);
		}
		assert_eq!(StoragePower::audit_pool_size(0), 3);
		run_to_block(2);
		assert_eq!(issued().len(), MOCK_AUDITS_PER_BLOCK as usize);
		assert_eq!(StoragePower::audit_pool_size(0), 1);
		run_to_block(3);
		assert_eq!(issued().len(), 3);
		assert_eq!(StoragePower::audit_pool_size(0), 0);
		// Three distinct providers, each challenged once, all by the chain, two per block at most.
		let mut providers: Vec<_> = issued().iter().map(|(_, p, _, _)| *p).collect();
		providers.sort();
		assert_eq!(providers, vec![ALICE, BOB, CHARLIE]);
		assert!(issued().iter().all(|(_, _, issuer, _)| issuer.is_none()));
		assert_eq!(ChallengeExpiries::<Test>::get(2 + CHALLENGE_DEADLINE).len(), 2);
		assert_eq!(ChallengeExpiries::<Test>::get(3 + CHALLENGE_DEADLINE).len(), 1);
		for who in [ALICE, BOB, CHARLIE] {
			assert_eq!(report_of(who, 0).challenges_issued, 1);
		}
	});
}

#[test]
fn one_audit_per_block_draws_uniformly_from_the_seed() {
	ExtBuilder::default().with_audits_per_block(1).build_and_execute(|| {
		for who in [ALICE, BOB, CHARLIE] {
			register(who, 1024);
			report(who, 100, 0, 0);
		}
		let pool: Vec<_> = (0..3).map(|i| AuditPool::<Test>::get(0, i).unwrap()).collect();
		run_to_block(2);
		let slot = StoragePower::audit_draw(System::parent_hash().as_ref(), 0, 2, 0, 3);
		assert_eq!(issued(), vec![(0, pool[slot as usize], None, 2 + CHALLENGE_DEADLINE)]);
		// The last entry moved into the drawn slot and its report follows it.
		if slot != 2 {
			assert_eq!(AuditPool::<Test>::get(0, slot), Some(pool[2]));
			assert_eq!(report_of(pool[2], 0).audit_slot, Some(slot));
		}
		assert_eq!(StoragePower::audit_pool_size(0), 2);
		// The draw covers every slot for some seed.
		let mut seen = [false; 3];
		for b in 0..=255u8 {
			seen[StoragePower::audit_draw(&[b; 32], 0, 2, 0, 3) as usize] = true;
		}
		assert_eq!(seen, [true; 3]);
	});
}

/// Alice and Bob report; the chain audits one of them in block 2. Returns the other one.
fn alice_and_bob_report_and_one_is_drawn() -> AccountId {
	register(ALICE, 1024);
	register(BOB, 1024);
	report(ALICE, 100, 0, 0);
	report(BOB, 100, 0, 0);
	run_to_block(2);
	if issued()[0].1 == ALICE {
		BOB
	} else {
		ALICE
	}
}

#[test]
fn signed_challenges_do_not_spare_a_report_the_chain_audit() {
	ExtBuilder::default().with_audits_per_block(1).build_and_execute(|| {
		let other = alice_and_bob_report_and_one_is_drawn();
		// A challenge with a deposit (even one the provider issues itself) leaves it in the pool.
		let id = challenge(other);
		assert_eq!(issued()[1], (id, other, Some(BUYER), 2 + CHALLENGE_DEADLINE));
		run_to_block(3);
		assert_eq!(issued()[2].1, other);
		assert_eq!(issued()[2].2, None);
		assert_eq!(report_of(other, 0).challenges_issued, 2);
	});
}

#[test]
fn a_provider_cannot_fill_its_challenges_to_skip_the_chain_audit() {
	ExtBuilder::default().with_audits_per_block(1).build_and_execute(|| {
		let other = alice_and_bob_report_and_one_is_drawn();
		// The attack: the provider (or its sybil) challenges itself until the report has
		// MAX_CHALLENGES challenges, answers them from its own tree, and so the chain's draw would
		// find it "audited enough". While the report waits in the pool, one slot is the chain's.
		for _ in 0..MAX_CHALLENGES - 1 {
			assert_ok!(StoragePower::issue_challenge(RuntimeOrigin::signed(other), other));
		}
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(other), other),
			Error::<Test>::TooManyChallenges
		);
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), other),
			Error::<Test>::TooManyChallenges
		);
		run_to_block(3);
		// Drawn and challenged by the chain all the same.
		assert_eq!(report_of(other, 0).audit_slot, None);
		assert_eq!(report_of(other, 0).challenges_issued, MAX_CHALLENGES);
		assert_eq!(issued().last().map(|i| (i.1, i.2)), Some((other, None)));
		assert_eq!(ChallengeExpiries::<Test>::get(3 + CHALLENGE_DEADLINE).len(), 1);
	});
}

#[test]
fn once_drawn_the_report_takes_signed_challenges_up_to_the_cap() {
	ExtBuilder::default().with_audits_per_block(1).build_and_execute(|| {
		register(ALICE, 1024);
		report(ALICE, 100, 0, 0);
		run_to_block(2);
		// The chain drew ALICE: the remaining challenges are anyone's.
		assert_eq!(report_of(ALICE, 0).audit_slot, None);
		for _ in 1..MAX_CHALLENGES {
			challenge(ALICE);
		}
		assert_noop!(
			StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), ALICE),
			Error::<Test>::TooManyChallenges
		);
	});
}

#[test]
fn chain_deadlines_stay_in_the_era_and_the_last_one_is_settled_before_it_closes() {
	ExtBuilder::default().with_audits_per_block(1).build_and_execute(|| {
		for who in [ALICE, BOB, CHARLIE] {
			register(who, 1024);
		}
		heartbeats(&[ALICE, BOB, CHARLIE], EXPECTED_HEARTBEATS);
		run_to_block(LAST_REPORT_OFFSET);
		for who in [ALICE, BOB, CHARLIE] {
			report(who, 100, 0, 0);
		}
		// The last block whose deadline fits: one draw, deadline = the era's last block.
		run_to_block(LAST_CHALLENGE_OFFSET);
		assert_eq!(issued().len(), 1);
		let (id, drawn, _, deadline) = issued()[0];
		assert_eq!(deadline, ERA_LENGTH - 1);
		// No chain challenge after it: the two others stay in the pool.
		run_to_block(ERA_LENGTH - 1);
		assert_eq!(issued().len(), 1);
		assert_eq!(StoragePower::audit_pool_size(0), 2);
		let power = report_of(drawn, 0).power;
		// Settled in the first block of era 1, before era 0 closes: its power drops in era 0.
		run_to_era(1);
		let events = pallet_events();
		let failed = events
			.iter()
			.position(
				|e| matches!(e, Event::AuditFailed { challenge_id, .. } if *challenge_id == id),
			)
			.unwrap();
		let closed =
			events.iter().position(|e| matches!(e, Event::EraClosed { era: 0, .. })).unwrap();
		assert!(failed < closed);
		assert_eq!(report_of(drawn, 0).power, power * 3 / 4);
		assert!(!report_of(drawn, 0).forfeited);
		assert_eq!(era_info(0).total_power, 2 * power + power * 3 / 4);
		// Era 1 starts with an empty pool; era 0's leftovers are removed when claimed.
		assert_eq!(StoragePower::audit_pool_size(1), 0);
		assert_eq!(AuditPool::<Test>::iter_prefix(0).count(), 2);
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(who), 1));
		}
		assert_eq!(AuditPool::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_new_era_pool_starts_empty_and_old_entries_do_not_collide() {
	ExtBuilder::default().with_audits_per_block(1).build_and_execute(|| {
		register(ALICE, 1024);
		register(BOB, 1024);
		run_to_block(LAST_REPORT_OFFSET);
		report(ALICE, 100, 0, 0);
		report(BOB, 100, 0, 0);
		run_to_era(1);
		// One of the two was drawn at the last challenge block; the other is left in era 0.
		assert_eq!(AuditPool::<Test>::iter_prefix(0).count(), 1);
		let left = AuditPool::<Test>::iter_prefix(0).next().unwrap().1;
		report(left, 100, 0, 0);
		assert_eq!(StoragePower::audit_pool_size(1), 1);
		assert_eq!(report_of(left, 1).audit_slot, Some(0));
		run_to_block(era_start(1) + 1);
		assert_eq!(issued().last().unwrap().1, left);
		assert!(report_of(left, 0).audit_slot.is_some());
	});
}

#[test]
fn no_audits_when_turned_off() {
	ExtBuilder::default().build_and_execute(|| {
		alice_reports();
		run_to_block(LAST_CHALLENGE_OFFSET + 1);
		assert!(issued().is_empty());
		assert_eq!(StoragePower::audit_pool_size(0), 1);
	});
}
