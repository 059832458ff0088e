//! Apportioning share-after-claims periods.

use super::*;

/// Five covered members, ALICE's claim of `amount` approved and recorded for period 0.
fn approved_claim(amount: u64) -> ClaimId {
	eligible_members(SHARE_POOL);
	let id = file(ALICE, SHARE_POOL, amount);
	review(id, &approve_all());
	finalize(id);
	System::assert_last_event(ma_event(Event::ClaimAwaitingApportion {
		claim_id: id,
		pool_id: SHARE_POOL,
		period: 0,
		amount,
	}));
	id
}

/// Call `apportion` until the period is done; returns the number of calls.
fn apportion_all(period: PeriodIndex) -> u32 {
	let mut calls = 0;
	loop {
		calls += 1;
		assert_ok!(MutualAid::apportion(signed(STRANGER), SHARE_POOL, period));
		if !Apportionments::<Test>::contains_key(SHARE_POOL) {
			return calls;
		}
	}
}

#[test]
fn every_member_pays_the_same_share_plus_fee_and_the_claimant_is_paid() {
	ExtBuilder::default().build_and_execute(|| {
		let id = approved_claim(1_000);
		assert_eq!(Pools::<Test>::get(SHARE_POOL).unwrap().unapportioned_claims, 1);
		run_to_block(PERIOD);
		let before: Vec<u64> = MEMBERS.iter().map(|m| free(*m)).collect();
		let manager_before = free(MANAGER);
		// 5 members in batches of 2: counting takes 3 calls, charging 3 more (the counting's
		// last call starts charging with the budget left).
		let calls = apportion_all(0);
		assert!(calls >= 3);
		let share = 200;
		let fee = 2; // 1 % of 200.
		for (i, who) in MEMBERS.iter().enumerate() {
			let received = if *who == ALICE { 1_000 } else { 0 };
			assert_eq!(free(*who), before[i] - share - fee + received, "member {who}");
			assert_eq!(member(SHARE_POOL, *who).contributed, share + fee);
		}
		assert_eq!(free(MANAGER), manager_before + 5 * fee);
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(member(SHARE_POOL, ALICE).open_claim, None);
		assert_eq!(free(MutualAid::pool_account(SHARE_POOL)), 0);
		let ledger = Ledgers::<Test>::get(SHARE_POOL, 0).unwrap();
		assert_eq!(
			ledger,
			Ledger {
				inflow: 1_000,
				payouts: 1_000,
				fees: 5 * fee,
				approved_total: 1_000,
				claims: 1,
				per_member_share: share,
				per_member_fee: fee,
				members: 5,
				members_in_arrears: 0,
				shortfall: 0,
				dust: 0,
				apportioned: true,
			}
		);
		System::assert_has_event(ma_event(Event::ClaimPaid {
			claim_id: id,
			pool_id: SHARE_POOL,
			claimant: ALICE,
			amount: 1_000,
		}));
		System::assert_last_event(ma_event(Event::PeriodApportioned {
			pool_id: SHARE_POOL,
			period: 0,
			members: 5,
			per_member_share: share,
			per_member_fee: fee,
			shortfall: 0,
		}));
		let pool = Pools::<Test>::get(SHARE_POOL).unwrap();
		assert_eq!((pool.unapportioned_claims, pool.open_claims), (0, 0));
		assert!(PeriodClaims::<Test>::get(SHARE_POOL, 0).is_empty());
		assert_noop!(
			MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0),
			Error::<Test>::AlreadyApportioned
		);
	});
}

#[test]
fn apportion_progresses_in_bounded_batches() {
	ExtBuilder::default().build_and_execute(|| {
		approved_claim(1_000);
		run_to_block(PERIOD);
		assert_ok!(MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0));
		System::assert_last_event(ma_event(Event::ApportionProgressed {
			pool_id: SHARE_POOL,
			period: 0,
			processed: BATCH,
		}));
		let state = Apportionments::<Test>::get(SHARE_POOL).unwrap();
		assert_eq!((state.phase, state.eligible), (ApportionPhase::Counting, BATCH));
	});
}

#[test]
fn rounding_dust_stays_in_the_pool_and_is_shown() {
	ExtBuilder::default().build_and_execute(|| {
		approved_claim(1_001);
		run_to_block(PERIOD);
		apportion_all(0);
		let ledger = Ledgers::<Test>::get(SHARE_POOL, 0).unwrap();
		assert_eq!(ledger.per_member_share, 201);
		assert_eq!(ledger.dust, 5 * 201 - 1_001);
		assert_eq!(free(MutualAid::pool_account(SHARE_POOL)), 4);
	});
}

#[test]
fn a_member_who_cannot_pay_is_in_arrears_and_the_shortfall_is_shown() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(MutualAid::join(signed(PAUPER), SHARE_POOL));
		let id = approved_claim(1_200);
		run_to_block(PERIOD);
		apportion_all(0);
		// Six members: share 200; the pauper cannot pay.
		System::assert_has_event(ma_event(Event::MemberInArrears {
			pool_id: SHARE_POOL,
			period: 0,
			who: PAUPER,
			owed: 200,
		}));
		assert_eq!(member(SHARE_POOL, PAUPER).arrears, 200);
		let ledger = Ledgers::<Test>::get(SHARE_POOL, 0).unwrap();
		assert_eq!((ledger.members, ledger.members_in_arrears), (6, 1));
		assert_eq!((ledger.shortfall, ledger.inflow, ledger.payouts), (200, 1_000, 0));
		// The claim waits, visibly, until the pool can pay it.
		assert_eq!(claim(id).status, ClaimStatus::AwaitingFunds);
		assert_eq!(free(MutualAid::pool_account(SHARE_POOL)), 1_000);
		// The pauper is no longer covered.
		let view = MutualAid::member(SHARE_POOL, PAUPER).unwrap();
		assert!(!view.eligible_now);
		assert_ok!(MutualAid::contribute(signed(BOB), SHARE_POOL, 200));
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(Ledgers::<Test>::get(SHARE_POOL, 1).unwrap().payouts, 1_200);
	});
}

#[test]
fn members_not_yet_covered_in_the_period_are_not_charged() {
	ExtBuilder::default().build_and_execute(|| {
		approved_claim(1_000);
		// Joins in period 0 but is covered only from block 90 + WAITING, in period 1.
		run_to_block(90);
		assert_ok!(MutualAid::join(signed(STRANGER), SHARE_POOL));
		run_to_block(PERIOD);
		let before = free(STRANGER);
		apportion_all(0);
		assert_eq!(free(STRANGER), before);
		assert_eq!(Ledgers::<Test>::get(SHARE_POOL, 0).unwrap().members, 5);
	});
}

#[test]
fn apportion_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(MutualAid::apportion(signed(STRANGER), 7, 0), Error::<Test>::PoolNotFound);
		assert_noop!(
			MutualAid::apportion(signed(STRANGER), PREFUNDED_POOL, 0),
			Error::<Test>::NotShareAfterClaims
		);
		approved_claim(1_000);
		assert_noop!(
			MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0),
			Error::<Test>::PeriodNotEnded
		);
		run_to_block(2 * PERIOD);
		assert_noop!(
			MutualAid::apportion(signed(STRANGER), SHARE_POOL, 1),
			Error::<Test>::NothingToApportion
		);
		assert_ok!(MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0));
		// Only one apportioning at a time per pool.
		assert_noop!(
			MutualAid::apportion(signed(STRANGER), SHARE_POOL, 1),
			Error::<Test>::ApportionInProgress
		);
		assert_noop!(MutualAid::apportion(RuntimeOrigin::none(), SHARE_POOL, 0), bad_origin());
	});
}

#[test]
fn the_fee_is_charged_at_the_pool_rate_up_to_the_cap() {
	ExtBuilder::default().build_and_execute(|| {
		let mut r = rules(FundingModel::ShareAfterClaims);
		r.fee_bps = MAX_FEE_BPS;
		assert_ok!(MutualAid::propose_rule_change(signed(MANAGER), SHARE_POOL, r));
		advance(TIMELOCK);
		assert_ok!(MutualAid::apply_rule_change(signed(MANAGER), SHARE_POOL));
		approved_claim(1_000);
		run_to_block(PERIOD);
		let before = free(MANAGER);
		apportion_all(0);
		// 5 % of the 200 share.
		assert_eq!(Ledgers::<Test>::get(SHARE_POOL, 0).unwrap().per_member_fee, 10);
		assert_eq!(free(MANAGER), before + 50);
	});
}
