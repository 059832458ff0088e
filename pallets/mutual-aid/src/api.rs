//! Read helpers behind the `MutualAidApi` runtime API. Each read is bounded by a pool cap.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::Get;
use sp_runtime::traits::{Saturating, UniqueSaturatedInto};

fn wide<B: UniqueSaturatedInto<u128>>(balance: B) -> u128 {
	balance.unique_saturated_into()
}

impl<T: Config> Pallet<T> {
	fn rules_view(
		rules: &PoolRulesOf<T>,
	) -> RulesView<frame_system::pallet_prelude::BlockNumberFor<T>> {
		RulesView {
			funding: rules.funding,
			waiting_period: rules.waiting_period,
			per_claim_cap: wide(rules.per_claim_cap),
			lifetime_cap: wide(rules.lifetime_cap),
			covered_conditions: rules.covered_conditions.iter().map(|c| c.to_vec()).collect(),
			fee_bps: rules.fee_bps,
			min_members: rules.min_members,
			notice_period: rules.notice_period,
			review_period: rules.review_period,
			claim_deposit: wide(rules.claim_deposit),
			contribution: wide(rules.contribution),
			max_share: wide(rules.max_share),
		}
	}

	/// Pool `pool_id` with its rules, pending change, counters and balance.
	pub fn pool(pool_id: PoolId) -> Option<PoolViewOf<T>> {
		let pool = Pools::<T>::get(pool_id)?;
		Some(PoolView {
			id: pool_id,
			manager: pool.manager.clone(),
			account: Self::pool_account(pool_id),
			balance: wide(Self::pool_funds(pool_id)),
			rules: Self::rules_view(&pool.rules),
			pending: pool.pending.as_ref().map(|p| (Self::rules_view(&p.rules), p.applies_at)),
			created_at: pool.created_at,
			member_count: pool.member_count,
			open_claims: pool.open_claims,
			unapportioned_claims: pool.unapportioned_claims,
			exposure: wide(pool.exposure),
			current_period: Self::current_period(),
			apportioning: Apportionments::<T>::get(pool_id).map(|a| a.period),
		})
	}

	/// The membership of `who` in `pool_id`: eligibility, claims so far and arrears.
	pub fn member(pool_id: PoolId, who: T::AccountId) -> Option<MemberViewOf<T>> {
		let member = Members::<T>::get(pool_id, &who)?;
		let rules = Pools::<T>::get(pool_id).map(|p| p.rules)?;
		let lifetime_cap = rules.lifetime_cap;
		let due = Self::contributions_due(&member, &rules);
		Some(MemberView {
			joined_at: member.joined_at,
			eligible_from: member.eligible_from,
			eligible_now: Self::is_covered(&member, Self::now()) && member.contributed >= due,
			deposit: wide(member.deposit),
			claimed_total: wide(member.claimed_total),
			lifetime_remaining: wide(lifetime_cap.saturating_sub(member.claimed_total)),
			contributed: wide(member.contributed),
			arrears: wide(member.arrears),
			contributions_due: wide(due),
			open_claim: member.open_claim,
		})
	}

	/// The open claims of `pool_id`, oldest first, optionally only those in `status`.
	pub fn claims(pool_id: PoolId, status: Option<ClaimStatus>) -> Vec<ClaimViewOf<T>> {
		PoolClaims::<T>::get(pool_id)
			.into_iter()
			.filter_map(|id| Claims::<T>::get(id).map(|c| (id, c)))
			.filter(|(_, c)| status.is_none_or(|s| s == c.status))
			.map(|(id, c)| ClaimView {
				id,
				pool: c.pool,
				claimant: c.claimant.clone(),
				condition_commitment: c.condition_commitment,
				amount: wide(c.amount),
				diagnosis_block: c.diagnosis_block,
				evidence: c.evidence.to_vec(),
				evidence_commitment: c.evidence_commitment,
				filed_at: c.filed_at,
				notice_ends: c.notice_ends,
				objectors: c.objections.iter().map(|o| o.objector.clone()).collect(),
				status: c.status,
				level: c.level,
				seed_block: c.seed_block,
				panel: c.panel.iter().map(|s| s.reviewer.clone()).collect(),
				commits: c.panel.iter().filter(|s| s.commitment.is_some()).count() as u32,
				reveals: c.panel.iter().filter(|s| s.vote.is_some()).count() as u32,
				commit_ends: c.commit_ends,
				reveal_ends: c.reveal_ends,
				approved: match c.outcome {
					Some(Outcome::Approved(amount)) => Some(wide(amount)),
					_ => None,
				},
				denied: matches!(c.outcome, Some(Outcome::Denied | Outcome::Undecided)),
				decided_at: c.decided_at,
				appealed: c.appeal.is_some(),
				period: c.period,
			})
			.collect()
	}

	/// The ledger of `pool_id` for `period`.
	pub fn ledger(pool_id: PoolId, period: PeriodIndex) -> Option<LedgerView> {
		let l = Ledgers::<T>::get(pool_id, period)?;
		Some(LedgerView {
			period,
			inflow: wide(l.inflow),
			payouts: wide(l.payouts),
			fees: wide(l.fees),
			approved_total: wide(l.approved_total),
			claims: l.claims,
			per_member_share: wide(l.per_member_share),
			per_member_fee: wide(l.per_member_fee),
			members: l.members,
			members_in_arrears: l.members_in_arrears,
			shortfall: wide(l.shortfall),
			dust: wide(l.dust),
			apportioned: l.apportioned,
		})
	}

	/// The estimated share of the current period if it were apportioned now.
	pub fn quote(pool_id: PoolId) -> Option<Quote> {
		let pool = Pools::<T>::get(pool_id)?;
		let period = Self::current_period();
		let (total, _) = Self::period_total(pool_id, period).ok()?;
		let eligible = Members::<T>::iter_prefix_values(pool_id)
			.take(T::MaxMembersPerPool::get() as usize)
			.filter(|m| Self::charged_in(m, period))
			.count() as u32;
		let (share, fee) = Self::share_and_fee(total, eligible, pool.rules.fee_bps).ok()?;
		Some(Quote {
			period,
			approved_total: wide(total),
			eligible_members: eligible,
			per_member_share: wide(share),
			per_member_fee: wide(fee),
		})
	}
}
