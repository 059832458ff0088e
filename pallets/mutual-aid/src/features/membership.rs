//! Joining, leaving and contributing.

use crate::{pallet::*, types::*};
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	traits::{fungible::Mutate, tokens::Preservation, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use medchain_deposits::Deposits;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Whether `member` is covered at block `at`: past the waiting period and not in arrears.
	pub(crate) fn is_covered(member: &MemberOf<T>, at: BlockNumberFor<T>) -> bool {
		at >= member.eligible_from && member.arrears.is_zero()
	}

	pub(crate) fn do_join(who: T::AccountId, pool_id: PoolId) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(!Members::<T>::contains_key(pool_id, &who), Error::<T>::MemberAlreadyExists);
		ensure!(pool.member_count < T::MaxMembersPerPool::get(), Error::<T>::TooManyMembers);
		pool.member_count = pool.member_count.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let now = Self::now();
		let eligible_from =
			now.checked_add(&pool.rules.waiting_period).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::MembershipDeposit::get();
		Self::hold(HoldReason::MembershipDeposit, &who, deposit)?;
		// The lifetime cap spans memberships.
		let claimed_total = FormerClaims::<T>::take(pool_id, &who).unwrap_or_default();
		Members::<T>::insert(
			pool_id,
			&who,
			Member {
				joined_at: now,
				eligible_from,
				deposit,
				claimed_total,
				contributed: Zero::zero(),
				arrears: Zero::zero(),
				open_claim: None,
			},
		);
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::Joined { pool_id, who, eligible_from });
		Ok(())
	}

	/// The contributions `member` of a pool with `rules` owes by now: the pool's contribution
	/// for every period from the one of joining to the current one (prefunded pools only).
	pub(crate) fn contributions_due(member: &MemberOf<T>, rules: &PoolRulesOf<T>) -> BalanceOf<T> {
		if rules.funding != FundingModel::Prefunded || rules.contribution.is_zero() {
			return Zero::zero();
		}
		let periods = Self::current_period()
			.saturating_sub(Self::period_of(member.joined_at))
			.saturating_add(1);
		rules.contribution.saturating_mul(periods.into())
	}

	/// What `who`, a member of share-after-claims pool `pool_id`, owes for claims not yet
	/// apportioned: its share (amount ÷ members, rounded up, where members are the fewer of
	/// today's and those at the claim's filing) of every open claim filed while it was a member
	/// (the claimed amount until a final decision, then the approved amount) and of every
	/// approved claim recorded for a period it would be charged for.
	pub(crate) fn exit_shares(
		who: &T::AccountId,
		member: &MemberOf<T>,
		pool_id: PoolId,
		pool: &PoolOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if pool.rules.funding != FundingModel::ShareAfterClaims {
			return Ok(Zero::zero());
		}
		let mut owed: BalanceOf<T> = Zero::zero();
		for id in PoolClaims::<T>::get(pool_id).iter() {
			let Some(claim) = Claims::<T>::get(id) else { continue };
			if claim.claimant == *who {
				continue;
			}
			let at_risk = match (claim.status, claim.outcome) {
				(ClaimStatus::AwaitingApportion, Some(outcome)) => {
					if claim.period.is_some_and(|p| Self::charged_in(member, p)) {
						outcome.approved_amount()
					} else {
						Zero::zero()
					}
				},
				// Already apportioned: the member paid its share (or is in arrears).
				(ClaimStatus::AwaitingFunds, _) => Zero::zero(),
				_ if claim.filed_at < member.joined_at => Zero::zero(),
				(ClaimStatus::Decided, Some(outcome)) if claim.level == ReviewLevel::Appeal => {
					outcome.approved_amount()
				},
				_ => claim.amount,
			};
			let members = pool.member_count.min(claim.members).max(1);
			let (share, _) = Self::share_and_fee(at_risk, members, 0)?;
			owed = owed.checked_add(&share).ok_or(ArithmeticError::Overflow)?;
		}
		Ok(owed)
	}

	pub(crate) fn do_leave(who: T::AccountId, pool_id: PoolId) -> DispatchResult {
		let member = Members::<T>::get(pool_id, &who).ok_or(Error::<T>::MemberNotFound)?;
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(member.open_claim.is_none(), Error::<T>::ClaimOpen);
		ensure!(!Apportionments::<T>::contains_key(pool_id), Error::<T>::ApportionInProgress);
		let shares = Self::exit_shares(&who, &member, pool_id, &pool)?;
		let owed = member.arrears.checked_add(&shares).ok_or(ArithmeticError::Overflow)?;
		// Paid from the free balance first, the rest from the deposit.
		let from_free = owed.min(Self::spendable(&who));
		let from_deposit = owed.saturating_sub(from_free);
		ensure!(from_deposit <= member.deposit, Error::<T>::SharesOutstanding);
		if !from_free.is_zero() {
			T::Currency::transfer(
				&who,
				&Self::pool_account(pool_id),
				from_free,
				Preservation::Preserve,
			)?;
			Self::add_inflow(pool_id, Self::current_period(), from_free);
		}
		let settled =
			Self::slash_to_pool(HoldReason::MembershipDeposit, &who, from_deposit, pool_id);
		Self::release(HoldReason::MembershipDeposit, &who, member.deposit.saturating_sub(settled));
		pool.member_count = pool.member_count.saturating_sub(1);
		if !member.claimed_total.is_zero() {
			FormerClaims::<T>::insert(pool_id, &who, member.claimed_total);
		}
		Members::<T>::remove(pool_id, &who);
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::Left {
			pool_id,
			who,
			arrears_settled: member.arrears,
			shares_settled: shares,
		});
		Ok(())
	}

	pub(crate) fn do_contribute(
		who: T::AccountId,
		pool_id: PoolId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut member = Members::<T>::get(pool_id, &who).ok_or(Error::<T>::MemberNotFound)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		member.contributed =
			member.contributed.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		T::Currency::transfer(&who, &Self::pool_account(pool_id), amount, Preservation::Preserve)?;
		Members::<T>::insert(pool_id, &who, member);
		Self::add_inflow(pool_id, Self::current_period(), amount);
		Self::deposit_event(Event::Contributed { pool_id, who, amount });
		Ok(())
	}
}
