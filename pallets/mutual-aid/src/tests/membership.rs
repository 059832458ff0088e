//! Joining, leaving and contributing.

use super::*;

#[test]
fn join_holds_the_deposit_and_starts_the_waiting_period() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(MutualAid::join(signed(ALICE), SHARE_POOL));
		System::assert_last_event(ma_event(Event::Joined {
			pool_id: SHARE_POOL,
			who: ALICE,
			eligible_from: 1 + WAITING,
		}));
		let m = member(SHARE_POOL, ALICE);
		assert_eq!((m.joined_at, m.eligible_from, m.deposit), (1, 1 + WAITING, MEMBERSHIP_DEPOSIT));
		assert_eq!(held(HoldReason::MembershipDeposit, ALICE), MEMBERSHIP_DEPOSIT);
		assert_eq!(Pools::<Test>::get(SHARE_POOL).unwrap().member_count, 1);
		// Membership in two pools holds two deposits.
		assert_ok!(MutualAid::join(signed(ALICE), PREFUNDED_POOL));
		assert_eq!(held(HoldReason::MembershipDeposit, ALICE), 2 * MEMBERSHIP_DEPOSIT);
	});
}

#[test]
fn join_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(MutualAid::join(signed(ALICE), 7), Error::<Test>::PoolNotFound);
		assert_ok!(MutualAid::join(signed(ALICE), SHARE_POOL));
		assert_noop!(
			MutualAid::join(signed(ALICE), SHARE_POOL),
			Error::<Test>::MemberAlreadyExists
		);
		assert_noop!(MutualAid::join(signed(77), SHARE_POOL), TokenError::FundsUnavailable);
		assert_noop!(MutualAid::join(RuntimeOrigin::none(), SHARE_POOL), bad_origin());
	});
}

#[test]
fn members_are_capped_per_pool() {
	ExtBuilder::default().build_and_execute(|| {
		let accounts: Vec<AccountId> = (200..200 + MAX_MEMBERS as AccountId).collect();
		for who in &accounts {
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), *who, 1_000));
		}
		join_all(SHARE_POOL, &accounts);
		assert_eq!(Pools::<Test>::get(SHARE_POOL).unwrap().member_count, MAX_MEMBERS);
		assert_noop!(MutualAid::join(signed(ALICE), SHARE_POOL), Error::<Test>::TooManyMembers);
	});
}

#[test]
fn leave_releases_the_deposit_and_rejoining_resets_the_waiting_period() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(MutualAid::join(signed(ALICE), SHARE_POOL));
		run_to_block(30);
		assert_ok!(MutualAid::leave(signed(ALICE), SHARE_POOL));
		System::assert_last_event(ma_event(Event::Left {
			pool_id: SHARE_POOL,
			who: ALICE,
			arrears_settled: 0,
			shares_settled: 0,
		}));
		assert_eq!(held(HoldReason::MembershipDeposit, ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE);
		assert!(Members::<Test>::get(SHARE_POOL, ALICE).is_none());
		assert_eq!(Pools::<Test>::get(SHARE_POOL).unwrap().member_count, 0);
		assert_ok!(MutualAid::join(signed(ALICE), SHARE_POOL));
		assert_eq!(member(SHARE_POOL, ALICE).eligible_from, 30 + WAITING);
	});
}

#[test]
fn leave_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(MutualAid::leave(signed(ALICE), SHARE_POOL), Error::<Test>::MemberNotFound);
		eligible_members(SHARE_POOL);
		file(ALICE, SHARE_POOL, 1_000);
		assert_noop!(MutualAid::leave(signed(ALICE), SHARE_POOL), Error::<Test>::ClaimOpen);
	});
}

#[test]
fn leaving_pays_the_share_of_claims_not_yet_apportioned() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &approve_all());
		finalize(id);
		assert_eq!(claim(id).status, ClaimStatus::AwaitingApportion);
		// Bob pays 1 000 / 5 = 200 into the pool.
		assert_ok!(MutualAid::leave(signed(BOB), SHARE_POOL));
		System::assert_last_event(ma_event(Event::Left {
			pool_id: SHARE_POOL,
			who: BOB,
			arrears_settled: 0,
			shares_settled: 200,
		}));
		assert_eq!(free(BOB), INITIAL_BALANCE - 200);
		assert_eq!(Ledgers::<Test>::get(SHARE_POOL, 0).unwrap().inflow, 200);
		// A member who joined after the claim was filed and is not charged for its period
		// owes nothing.
		run_to_block(PERIOD - WAITING + 1);
		assert_ok!(MutualAid::join(signed(STRANGER), SHARE_POOL));
		assert_ok!(MutualAid::leave(signed(STRANGER), SHARE_POOL));
		assert_eq!(free(STRANGER), INITIAL_BALANCE);
		// A denied claim at appeal level costs nothing; an approved one its approved amount.
		let denied = file(CHARLIE, SHARE_POOL, 2_000);
		review(denied, &deny_all());
		assert_ok!(MutualAid::appeal(signed(CHARLIE), denied));
		review(denied, &vec![Vote::Deny; APPEAL_PANEL as usize]);
		// Four members left: Dave owes 1 000 / 4 for Alice's claim (charged in period 0).
		assert_ok!(MutualAid::leave(signed(DAVE), SHARE_POOL));
		assert_eq!(free(DAVE), INITIAL_BALANCE - 250);
	});
}

#[test]
fn a_member_who_cannot_pay_its_shares_cannot_leave() {
	ExtBuilder::default().build_and_execute(|| {
		join_all(SHARE_POOL, &[ALICE, BOB, PAUPER]);
		advance(WAITING);
		let id = file(ALICE, SHARE_POOL, 3_000);
		// A third of 3 000 is more than the pauper's free balance and deposit.
		assert_noop!(
			MutualAid::leave(signed(PAUPER), SHARE_POOL),
			Error::<Test>::SharesOutstanding
		);
		// Once the claim is denied and closed, nothing is owed.
		review(id, &deny_all());
		finalize(id);
		assert_ok!(MutualAid::leave(signed(PAUPER), SHARE_POOL));
	});
}

#[test]
fn members_cannot_leave_during_an_apportioning() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &approve_all());
		finalize(id);
		run_to_block(PERIOD);
		assert_ok!(MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0));
		assert!(Apportionments::<Test>::contains_key(SHARE_POOL));
		assert_ok!(MutualAid::propose_rule_change(
			signed(MANAGER),
			SHARE_POOL,
			rules(FundingModel::ShareAfterClaims)
		));
		assert_noop!(MutualAid::leave(signed(BOB), SHARE_POOL), Error::<Test>::ApportionInProgress);
	});
}

#[test]
fn leaving_in_arrears_pays_the_pool_from_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		join_all(SHARE_POOL, &[ALICE]);
		Members::<Test>::mutate(SHARE_POOL, ALICE, |m| m.as_mut().unwrap().arrears = 4);
		assert_ok!(MutualAid::leave(signed(ALICE), SHARE_POOL));
		System::assert_last_event(ma_event(Event::Left {
			pool_id: SHARE_POOL,
			who: ALICE,
			arrears_settled: 4,
			shares_settled: 0,
		}));
		assert_eq!(free(MutualAid::pool_account(SHARE_POOL)), 4);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 4);
		assert_eq!(Ledgers::<Test>::get(SHARE_POOL, 0).unwrap().inflow, 4);
	});
}

#[test]
fn contribute_moves_funds_to_the_pool_and_the_ledger() {
	ExtBuilder::default().build_and_execute(|| {
		join_all(PREFUNDED_POOL, &[ALICE]);
		assert_ok!(MutualAid::contribute(signed(ALICE), PREFUNDED_POOL, 500));
		System::assert_last_event(ma_event(Event::Contributed {
			pool_id: PREFUNDED_POOL,
			who: ALICE,
			amount: 500,
		}));
		assert_eq!(free(MutualAid::pool_account(PREFUNDED_POOL)), 500);
		assert_eq!(member(PREFUNDED_POOL, ALICE).contributed, 500);
		assert_eq!(Ledgers::<Test>::get(PREFUNDED_POOL, 0).unwrap().inflow, 500);
		assert_noop!(
			MutualAid::contribute(signed(BOB), PREFUNDED_POOL, 500),
			Error::<Test>::MemberNotFound
		);
		assert_noop!(
			MutualAid::contribute(signed(ALICE), PREFUNDED_POOL, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			MutualAid::contribute(signed(ALICE), PREFUNDED_POOL, INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
	});
}

/// A member who sees an approval leaves during the appeal window, before the claim is
/// apportioned: the share of every claim filed while it was a member is paid on the way out.
#[test]
fn attack_member_leaves_during_appeal_window_without_paying_share() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &approve_all());
		assert_eq!(claim(id).status, ClaimStatus::Decided);
		let pool_before = free(MutualAid::pool_account(SHARE_POOL));
		// Five members: the share of 1 000 is 200.
		assert_ok!(MutualAid::leave(signed(BOB), SHARE_POOL));
		assert_eq!(free(BOB), INITIAL_BALANCE - 200);
		assert_eq!(free(MutualAid::pool_account(SHARE_POOL)), pool_before + 200);
	});
}

/// A pending rule change past its time-lock no longer lets a covered member skip its share of
/// an approved claim waiting for apportioning.
#[test]
fn attack_pending_rule_change_lets_member_skip_share() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &approve_all());
		finalize(id);
		assert_eq!(claim(id).status, ClaimStatus::AwaitingApportion);
		assert_ok!(MutualAid::propose_rule_change(
			signed(MANAGER),
			SHARE_POOL,
			rules(FundingModel::ShareAfterClaims)
		));
		advance(TIMELOCK);
		assert_ok!(MutualAid::leave(signed(BOB), SHARE_POOL));
		assert_eq!(free(BOB), INITIAL_BALANCE - 200);
	});
}

/// Sybil accounts joining just before a member leaves (their deposits come back) would shrink
/// its exit share if the share were divided among today's members: it is divided among at most
/// the members the pool had when the claim was filed.
#[test]
fn attack_sybils_joining_shrink_exit_share() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &approve_all());
		let sybils: Vec<AccountId> = (300..303).collect();
		for who in &sybils {
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), *who, 1_000));
		}
		join_all(SHARE_POOL, &sybils);
		// Eight members now, five when the claim was filed: Bob still owes 1 000 / 5.
		assert_ok!(MutualAid::leave(signed(BOB), SHARE_POOL));
		assert_eq!(free(BOB), INITIAL_BALANCE - 200);
		// The sybils joined after the claim was filed and owe nothing for it.
		for who in &sybils {
			assert_ok!(MutualAid::leave(signed(*who), SHARE_POOL));
			assert_eq!(free(*who), 1_000);
		}
	});
}
