//! `try_state`: the invariants that hold after every block (and after every unit test).

use crate::{pallet::*, types::*};
use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::traits::{Saturating, Zero};

/// Deposits recorded per hold reason (by index into [`REASONS`]) and account.
type Sums<T> = BTreeMap<(usize, AccountIdOf<T>), BalanceOf<T>>;

const REASONS: [HoldReason; 4] = [
	HoldReason::MembershipDeposit,
	HoldReason::ClaimDeposit,
	HoldReason::ObjectionDeposit,
	HoldReason::AppealDeposit,
];

fn add<T: Config>(
	sums: &mut Sums<T>,
	reason: HoldReason,
	who: &AccountIdOf<T>,
	amount: BalanceOf<T>,
) {
	let index = REASONS.iter().position(|r| *r == reason).unwrap_or_default();
	let sum = sums.entry((index, who.clone())).or_default();
	*sum = sum.saturating_add(amount);
}

impl<T: Config> Pallet<T> {
	/// Check the pallet's invariants: counters equal their maps, holds equal the deposits
	/// recorded, every index points at a matching item, and no reviewer holds read access to a
	/// claim's evidence once the claim's panel stopped voting or the reviewer was removed.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut holds = Sums::<T>::new();
		let next_pool = NextPoolId::<T>::get();
		let next_claim = NextClaimId::<T>::get();

		for (pool_id, pool) in Pools::<T>::iter() {
			ensure!(pool_id < next_pool, "a pool id is not below NextPoolId");
			let members = Members::<T>::iter_prefix(pool_id).count() as u32;
			ensure!(members == pool.member_count, "member_count differs from the members");
			ensure!(members <= T::MaxMembersPerPool::get(), "a pool has too many members");
			let open = PoolClaims::<T>::get(pool_id);
			ensure!(open.len() as u32 == pool.open_claims, "open_claims differs from the index");
			let open_claims: Vec<ClaimOf<T>> = open.iter().filter_map(Claims::<T>::get).collect();
			let unapportioned =
				open_claims.iter().filter(|c| c.status == ClaimStatus::AwaitingApportion).count()
					as u32;
			let exposure = open_claims
				.iter()
				.fold(BalanceOf::<T>::default(), |sum, c| sum.saturating_add(c.amount));
			ensure!(exposure == pool.exposure, "exposure differs from the open claims' amounts");
			ensure!(
				pool.rules.notice_period <= T::MaxNoticePeriod::get()
					&& pool.rules.review_period <= T::MaxReviewPeriod::get()
					&& pool.rules.waiting_period <= T::MaxWaitingPeriod::get(),
				"a pool's period is above its maximum"
			);
			ensure!(
				unapportioned == pool.unapportioned_claims,
				"unapportioned_claims differs from the claims"
			);
			if let Some(a) = Apportionments::<T>::get(pool_id) {
				ensure!(
					pool.rules.funding == FundingModel::ShareAfterClaims,
					"a prefunded pool is apportioned"
				);
				ensure!(a.period < Self::current_period(), "an unfinished period is apportioned");
			}
		}
		for (pool_id, who, member) in Members::<T>::iter() {
			ensure!(Pools::<T>::contains_key(pool_id), "a member of a missing pool");
			add::<T>(&mut holds, HoldReason::MembershipDeposit, &who, member.deposit);
			if let Some(id) = member.open_claim {
				let claim = Claims::<T>::get(id).ok_or("a member's open claim is missing")?;
				ensure!(
					claim.claimant == who && claim.pool == pool_id,
					"a member's open claim is someone else's"
				);
			}
		}
		for (pool_id, who, claimed) in FormerClaims::<T>::iter() {
			ensure!(
				!Members::<T>::contains_key(pool_id, &who),
				"a member has a former-claims entry"
			);
			ensure!(!claimed.is_zero(), "an empty former-claims entry");
		}
		let mut indexed = 0u32;
		for (_, ids) in PoolClaims::<T>::iter() {
			indexed = indexed.saturating_add(ids.len() as u32);
		}
		let reviewers = Reviewers::<T>::get();
		let mut claims = 0u32;
		for (id, claim) in Claims::<T>::iter() {
			claims = claims.saturating_add(1);
			ensure!(id < next_claim, "a claim id is not below NextClaimId");
			ensure!(PoolClaims::<T>::get(claim.pool).contains(&id), "a claim is not indexed");
			let member = Members::<T>::get(claim.pool, &claim.claimant)
				.ok_or("an open claim's claimant is not a member")?;
			ensure!(member.open_claim == Some(id), "a claimant does not point at its claim");
			add::<T>(&mut holds, HoldReason::ClaimDeposit, &claim.claimant, claim.deposit);
			for o in claim.objections.iter() {
				add::<T>(&mut holds, HoldReason::ObjectionDeposit, &o.objector, o.deposit);
			}
			if let Some(appeal) = &claim.appeal {
				add::<T>(&mut holds, HoldReason::AppealDeposit, &appeal.appellant, appeal.deposit);
			}
			if claim.status == ClaimStatus::AwaitingApportion {
				let period = claim.period.ok_or("an apportioned claim has no period")?;
				ensure!(
					PeriodClaims::<T>::get(claim.pool, period).contains(&id),
					"an approved claim is not recorded for its period"
				);
			}
			ensure!(
				claim.notice_period <= T::MaxNoticePeriod::get()
					&& claim.review_period <= T::MaxReviewPeriod::get(),
				"a claim's period is above its maximum"
			);
			ensure!(!claim.evidence.is_empty(), "a claim without evidence");
			let unique: BTreeSet<_> = claim.panel.iter().map(|s| s.reviewer.clone()).collect();
			ensure!(unique.len() == claim.panel.len(), "a reviewer sits twice on a panel");
			// Read access to the evidence lives only while the panel votes, and only for
			// reviewers still registered.
			for seat in claim.panel.iter() {
				if claim.status != ClaimStatus::Voting || !reviewers.contains(&seat.reviewer) {
					ensure!(
						T::EvidenceRecords::review_access(&claim.claimant, &seat.reviewer)
							!= Some(id),
						"a reviewer off a voting panel kept read access to the evidence"
					);
				}
			}
		}
		ensure!(indexed == claims, "the claim index differs from the claims");

		let unique: BTreeSet<_> = reviewers.iter().cloned().collect();
		ensure!(unique.len() == reviewers.len(), "a reviewer is registered twice");

		for ((index, who), amount) in holds.iter() {
			let reason = *REASONS.get(*index).ok_or("unknown hold reason")?;
			let held = T::Currency::balance_on_hold(&reason.into(), who);
			ensure!(held == *amount, "a hold differs from the deposits recorded");
		}
		Ok(())
	}
}
