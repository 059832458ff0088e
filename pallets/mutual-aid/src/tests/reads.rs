//! The read helpers behind the runtime API.

use super::*;

#[test]
fn pool_view_shows_rules_pending_change_counters_and_balance() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(MutualAid::pool(7).is_none());
		join_all(PREFUNDED_POOL, &[ALICE]);
		assert_ok!(MutualAid::contribute(signed(ALICE), PREFUNDED_POOL, 300));
		let mut r = rules(FundingModel::Prefunded);
		r.per_claim_cap = 2_000;
		assert_ok!(MutualAid::propose_rule_change(signed(MANAGER), PREFUNDED_POOL, r));
		let view = MutualAid::pool(PREFUNDED_POOL).unwrap();
		assert_eq!(view.id, PREFUNDED_POOL);
		assert_eq!(view.manager, MANAGER);
		assert_eq!(view.account, MutualAid::pool_account(PREFUNDED_POOL));
		assert_eq!(view.balance, 300);
		assert_eq!(view.rules.per_claim_cap, CLAIM_CAP as u128);
		assert_eq!(view.rules.covered_conditions, vec![b"C".to_vec(), b"I21".to_vec()]);
		let (pending, applies_at) = view.pending.unwrap();
		assert_eq!((pending.per_claim_cap, applies_at), (2_000, 1 + TIMELOCK));
		assert_eq!((view.member_count, view.open_claims, view.current_period), (1, 0, 0));
		assert_eq!(view.apportioning, None);
	});
}

#[test]
fn member_view_shows_eligibility_claims_and_arrears() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(MutualAid::member(SHARE_POOL, ALICE).is_none());
		join_all(SHARE_POOL, &[ALICE]);
		let view = MutualAid::member(SHARE_POOL, ALICE).unwrap();
		assert_eq!(
			(view.joined_at, view.eligible_from, view.eligible_now),
			(1, 1 + WAITING, false)
		);
		assert_eq!(view.lifetime_remaining, LIFETIME_CAP as u128);
		advance(WAITING);
		assert!(MutualAid::member(SHARE_POOL, ALICE).unwrap().eligible_now);
	});
}

#[test]
fn claims_view_filters_by_status() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let a = file(ALICE, SHARE_POOL, 1_000);
		let b = file(BOB, SHARE_POOL, 500);
		assert_ok!(MutualAid::object(signed(CHARLIE), a, commitment(1)));
		draw(a);
		let all = MutualAid::claims(SHARE_POOL, None);
		assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a, b]);
		let voting = MutualAid::claims(SHARE_POOL, Some(ClaimStatus::Voting));
		assert_eq!(voting.len(), 1);
		assert_eq!(voting[0].id, a);
		assert_eq!(voting[0].objectors, vec![CHARLIE]);
		assert_eq!(voting[0].panel.len() as u32, PANEL);
		assert_eq!(voting[0].condition_commitment, condition(SHARE_POOL));
		assert_eq!(
			MutualAid::claims(SHARE_POOL, Some(ClaimStatus::Notice))
				.iter()
				.map(|c| c.id)
				.collect::<Vec<_>>(),
			vec![b]
		);
		assert!(MutualAid::claims(PREFUNDED_POOL, None).is_empty());
	});
}

#[test]
fn ledger_and_quote_show_the_period() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_eq!(MutualAid::quote(SHARE_POOL).unwrap().approved_total, 0);
		let id = file(ALICE, SHARE_POOL, 1_001);
		review(id, &approve_all());
		finalize(id);
		let quote = MutualAid::quote(SHARE_POOL).unwrap();
		assert_eq!(quote.period, 0);
		assert_eq!(quote.approved_total, 1_001);
		assert_eq!(quote.eligible_members, 5);
		assert_eq!((quote.per_member_share, quote.per_member_fee), (201, 2));
		assert!(MutualAid::quote(7).is_none());
		run_to_block(PERIOD);
		while {
			assert_ok!(MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0));
			Apportionments::<Test>::contains_key(SHARE_POOL)
		} {}
		let ledger = MutualAid::ledger(SHARE_POOL, 0).unwrap();
		assert_eq!((ledger.period, ledger.payouts, ledger.dust, ledger.members), (0, 1_001, 4, 5));
		assert!(ledger.apportioned);
		assert!(MutualAid::ledger(SHARE_POOL, 5).is_none());
	});
}

#[test]
fn views_serialize_balances_as_strings() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let json = serde_json::to_string(&MutualAid::quote(SHARE_POOL).unwrap()).unwrap();
		assert!(json.contains("\"approvedTotal\":\"0\""), "{json}");
		let back: Quote = serde_json::from_str(&json).unwrap();
		assert_eq!(back, MutualAid::quote(SHARE_POOL).unwrap());
	});
}
