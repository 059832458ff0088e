//! Joining, leaving and contributing.

use crate::{pallet::*, types::*};
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	traits::{fungible::Mutate, tokens::Preservation, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Whether `member` is covered at block `at`: past the waiting period and not in arrears.
	pub(crate) fn is_covered(member: &MemberOf<T>, at: BlockNumberFor<T>) -> bool {
		at >= member.eligible_from && member.arrears.is_zero()
	}

	pub(crate) fn do_join(who: T::AccountId, pool_id: PoolId) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(!Members::<T>::contains_key(pool_id, &who), Error::<T>::AlreadyMember);
		ensure!(pool.member_count < T::MaxMembersPerPool::get(), Error::<T>::TooManyMembers);
		pool.member_count = pool.member_count.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let now = Self::now();
		let eligible_from =
			now.checked_add(&pool.rules.waiting_period).ok_or(Error::<T>::Overflow)?;
		let deposit = T::MembershipDeposit::get();
		Self::hold(HoldReason::Membership, &who, deposit)?;
		Members::<T>::insert(
			pool_id,
			&who,
			Member {
				joined_at: now,
				eligible_from,
				deposit,
				claimed_total: Zero::zero(),
				contributed: Zero::zero(),
				arrears: Zero::zero(),
				open_claim: None,
			},
		);
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::Joined { pool_id, who, eligible_from });
		Ok(())
	}

	pub(crate) fn do_leave(who: T::AccountId, pool_id: PoolId) -> DispatchResult {
		let member = Members::<T>::get(pool_id, &who).ok_or(Error::<T>::NotMember)?;
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(member.open_claim.is_none(), Error::<T>::ClaimOpen);
		ensure!(!Apportionments::<T>::contains_key(pool_id), Error::<T>::ApportionInProgress);
		ensure!(
			pool.unapportioned_claims == 0
				|| pool.pending.is_some()
				|| !Self::is_covered(&member, Self::now()),
			Error::<T>::SharesOutstanding
		);
		pool.member_count = pool.member_count.saturating_sub(1);
		let settle = member.arrears.min(member.deposit);
		let settled = Self::slash_to_pool(HoldReason::Membership, &who, settle, pool_id);
		Self::release(HoldReason::Membership, &who, member.deposit.saturating_sub(settled));
		Members::<T>::remove(pool_id, &who);
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::Left { pool_id, who, arrears_settled: settled });
		Ok(())
	}

	pub(crate) fn do_contribute(
		who: T::AccountId,
		pool_id: PoolId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut member = Members::<T>::get(pool_id, &who).ok_or(Error::<T>::NotMember)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		member.contributed = member.contributed.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::transfer(&who, &Self::pool_account(pool_id), amount, Preservation::Preserve)?;
		Members::<T>::insert(pool_id, &who, member);
		Self::add_inflow(pool_id, Self::current_period(), amount);
		Self::deposit_event(Event::Contributed { pool_id, who, amount });
		Ok(())
	}
}
