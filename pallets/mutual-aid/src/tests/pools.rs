//! Pools, rule changes, reviewers and genesis.

use super::*;
use sp_runtime::traits::AccountIdConversion;

#[test]
fn genesis_creates_pools_reviewers_and_members_with_deposits() {
	ExtBuilder::default().with_genesis_members(0, &[ALICE, BOB]).build_and_execute(|| {
		assert_eq!(NextPoolId::<Test>::get(), 2);
		let pool = Pools::<Test>::get(SHARE_POOL).unwrap();
		assert_eq!(pool.manager, MANAGER);
		assert_eq!(pool.rules, rules(FundingModel::ShareAfterClaims));
		assert_eq!(pool.member_count, 2);
		assert_eq!(member(SHARE_POOL, ALICE).eligible_from, WAITING);
		assert_eq!(held(HoldReason::MembershipDeposit, ALICE), MEMBERSHIP_DEPOSIT);
		assert_eq!(
			Pools::<Test>::get(PREFUNDED_POOL).unwrap().rules.funding,
			FundingModel::Prefunded
		);
		assert_eq!(Reviewers::<Test>::get().to_vec(), REVIEWERS.to_vec());
	});
}

#[test]
fn create_pool_stores_rules_and_derives_the_pool_account() {
	ExtBuilder::default().build_and_execute(|| {
		let r = rules(FundingModel::Prefunded);
		assert_ok!(MutualAid::create_pool(RuntimeOrigin::root(), BOB, r.clone()));
		let pool = Pools::<Test>::get(2).unwrap();
		assert_eq!((pool.manager, pool.rules, pool.member_count, pool.created_at), (BOB, r, 0, 1));
		let account: AccountId = MutualAidPalletId::get().into_sub_account_truncating(2u32);
		assert_eq!(MutualAid::pool_account(2), account);
		assert_ne!(MutualAid::pool_account(2), MutualAid::pool_account(1));
		System::assert_last_event(ma_event(Event::PoolCreated {
			pool_id: 2,
			manager: BOB,
			account,
			funding: FundingModel::Prefunded,
		}));
		assert_eq!(NextPoolId::<Test>::get(), 3);
	});
}

#[test]
fn create_pool_needs_the_creator_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			MutualAid::create_pool(signed(ALICE), ALICE, rules(FundingModel::Prefunded)),
			bad_origin()
		);
	});
}

#[test]
fn create_pool_rejects_inconsistent_rules() {
	ExtBuilder::default().build_and_execute(|| {
		let base = rules(FundingModel::ShareAfterClaims);
		let invalid: Vec<Box<dyn Fn(&mut PoolRulesOf<Test>)>> = vec![
			Box::new(|r| r.per_claim_cap = 0),
			Box::new(|r| r.lifetime_cap = r.per_claim_cap - 1),
			Box::new(|r| r.covered_conditions = BoundedVec::new()),
			Box::new(|r| r.min_members = 0),
			Box::new(|r| r.min_members = MAX_MEMBERS + 1),
			Box::new(|r| r.notice_period = 0),
			Box::new(|r| r.review_period = 0),
			Box::new(|r| r.claim_deposit = 0),
			Box::new(|r| r.max_share = 0),
			Box::new(|r| r.contribution = 1),
		];
		for change in invalid {
			let mut r = base.clone();
			change(&mut r);
			assert_noop!(
				MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r),
				Error::<Test>::InvalidRules
			);
		}
		for bad in ["c50", "C 50", "C-50"] {
			let mut r = base.clone();
			r.covered_conditions = BoundedVec::try_from(vec![code(bad)]).unwrap();
			assert_noop!(
				MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r),
				Error::<Test>::InvalidConditionCode
			);
		}
		let mut r = rules(FundingModel::Prefunded);
		r.max_share = 1;
		assert_noop!(
			MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r),
			Error::<Test>::InvalidRules
		);
		let mut r = base.clone();
		r.covered_conditions = BoundedVec::try_from(vec![code("C"), code("")]).unwrap();
		assert_noop!(
			MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r),
			Error::<Test>::InvalidConditionCode
		);
	});
}

#[test]
fn fee_may_equal_but_not_exceed_the_cap() {
	ExtBuilder::default().build_and_execute(|| {
		let mut r = rules(FundingModel::ShareAfterClaims);
		r.fee_bps = MAX_FEE_BPS + 1;
		assert_noop!(
			MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r.clone()),
			Error::<Test>::FeeAboveCap
		);
		r.fee_bps = MAX_FEE_BPS;
		assert_ok!(MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r));
	});
}

#[test]
fn rule_change_applies_exactly_when_the_time_lock_ends() {
	ExtBuilder::default().build_and_execute(|| {
		let mut r = rules(FundingModel::ShareAfterClaims);
		r.per_claim_cap = 2_000;
		assert_ok!(MutualAid::propose_rule_change(signed(MANAGER), SHARE_POOL, r.clone()));
		let applies_at = 1 + TIMELOCK;
		System::assert_last_event(ma_event(Event::RuleChangeProposed {
			pool_id: SHARE_POOL,
			applies_at,
		}));
		run_to_block(applies_at - 1);
		assert_noop!(
			MutualAid::apply_rule_change(signed(STRANGER), SHARE_POOL),
			Error::<Test>::RuleChangeLocked
		);
		run_to_block(applies_at);
		assert_ok!(MutualAid::apply_rule_change(signed(STRANGER), SHARE_POOL));
		System::assert_last_event(ma_event(Event::RuleChangeApplied { pool_id: SHARE_POOL }));
		let pool = Pools::<Test>::get(SHARE_POOL).unwrap();
		assert_eq!(pool.rules, r);
		assert!(pool.pending.is_none());
	});
}

#[test]
fn rule_change_keeps_members_eligibility() {
	ExtBuilder::default().build_and_execute(|| {
		join_all(SHARE_POOL, &[ALICE]);
		let mut r = rules(FundingModel::ShareAfterClaims);
		r.waiting_period = 50;
		assert_ok!(MutualAid::propose_rule_change(RuntimeOrigin::root(), SHARE_POOL, r));
		advance(TIMELOCK);
		assert_ok!(MutualAid::apply_rule_change(signed(ALICE), SHARE_POOL));
		assert_eq!(member(SHARE_POOL, ALICE).eligible_from, 1 + WAITING);
	});
}

#[test]
fn rule_change_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let r = rules(FundingModel::ShareAfterClaims);
		assert_noop!(
			MutualAid::propose_rule_change(signed(MANAGER), 7, r.clone()),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			MutualAid::propose_rule_change(signed(ALICE), SHARE_POOL, r.clone()),
			Error::<Test>::NotAuthorized
		);
		let mut bad = r.clone();
		bad.claim_deposit = 0;
		assert_noop!(
			MutualAid::propose_rule_change(signed(MANAGER), SHARE_POOL, bad),
			Error::<Test>::InvalidRules
		);
		let mut other = r.clone();
		other.funding = FundingModel::Prefunded;
		assert_noop!(
			MutualAid::propose_rule_change(signed(MANAGER), SHARE_POOL, other),
			Error::<Test>::FundingModelFixed
		);
		assert_noop!(
			MutualAid::apply_rule_change(signed(ALICE), SHARE_POOL),
			Error::<Test>::NoPendingRuleChange
		);
		assert_noop!(MutualAid::apply_rule_change(signed(ALICE), 7), Error::<Test>::PoolNotFound);
		assert_noop!(MutualAid::apply_rule_change(RuntimeOrigin::none(), SHARE_POOL), bad_origin());
	});
}

#[test]
fn reviewers_are_registered_and_removed_by_the_registrar() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(MutualAid::add_reviewer(signed(ALICE), 30), bad_origin());
		assert_noop!(MutualAid::remove_reviewer(signed(ALICE), 20), bad_origin());
		assert_ok!(MutualAid::add_reviewer(RuntimeOrigin::root(), 30));
		System::assert_last_event(ma_event(Event::ReviewerAdded { reviewer: 30 }));
		assert_noop!(
			MutualAid::add_reviewer(RuntimeOrigin::root(), 30),
			Error::<Test>::ReviewerAlreadyExists
		);
		// Ten is the cap: the tenth is accepted, the eleventh is not.
		assert_ok!(MutualAid::add_reviewer(RuntimeOrigin::root(), 31));
		assert_eq!(Reviewers::<Test>::get().len() as u32, MAX_REVIEWERS);
		assert_noop!(
			MutualAid::add_reviewer(RuntimeOrigin::root(), 32),
			Error::<Test>::TooManyReviewers
		);
		assert_ok!(MutualAid::remove_reviewer(RuntimeOrigin::root(), 20));
		System::assert_last_event(ma_event(Event::ReviewerRemoved { reviewer: 20 }));
		assert!(!Reviewers::<Test>::get().contains(&20));
		assert_noop!(
			MutualAid::remove_reviewer(RuntimeOrigin::root(), 20),
			Error::<Test>::ReviewerNotFound
		);
	});
}

/// After the time-lock the manager stretches the notice (= appeal window) and review periods:
/// claims already filed keep the periods in force when they were filed.
#[test]
fn attack_rule_change_freezes_claims_in_progress() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let decided = file(ALICE, SHARE_POOL, 1_000);
		review(decided, &approve_all());
		let noticed = file(BOB, SHARE_POOL, 1_000);
		// Periods have maxima.
		for (notice, review, waiting) in [
			(MAX_NOTICE + 1, REVIEW, WAITING),
			(NOTICE, MAX_REVIEW + 1, WAITING),
			(NOTICE, REVIEW, MAX_WAITING + 1),
		] {
			let mut r = rules(FundingModel::ShareAfterClaims);
			(r.notice_period, r.review_period, r.waiting_period) = (notice, review, waiting);
			assert_noop!(
				MutualAid::propose_rule_change(signed(MANAGER), SHARE_POOL, r.clone()),
				Error::<Test>::PeriodTooLong
			);
			assert_noop!(
				MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r),
				Error::<Test>::PeriodTooLong
			);
		}
		let mut stretched = rules(FundingModel::ShareAfterClaims);
		stretched.notice_period = MAX_NOTICE;
		stretched.review_period = MAX_REVIEW;
		assert_ok!(MutualAid::propose_rule_change(signed(MANAGER), SHARE_POOL, stretched));
		advance(TIMELOCK);
		assert_ok!(MutualAid::apply_rule_change(signed(STRANGER), SHARE_POOL));
		// The decided claim finalizes after the appeal window it was decided under.
		run_to_block(claim(decided).decided_at + NOTICE);
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), decided));
		// The noticed claim is reviewed within the review period it was filed under.
		draw(noticed);
		assert_eq!(claim(noticed).commit_ends, now() + REVIEW);
	});
}
