//! Apportioning a period's approved claims among the members of a share-after-claims pool, in
//! bounded, resumable batches: first the eligible members are counted, then each is charged.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		Get,
	},
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedDiv, CheckedMul, Saturating, Zero},
	ArithmeticError, DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Whether `member` is charged for `period`: covered at some block of it and not in arrears.
	pub(crate) fn charged_in(member: &MemberOf<T>, period: PeriodIndex) -> bool {
		member.arrears.is_zero() && member.eligible_from <= Self::period_last_block(period)
	}

	/// The share (approved `total` ÷ `members`, rounded up) and the fee on it at `fee_bps`.
	pub(crate) fn share_and_fee(
		total: BalanceOf<T>,
		members: u32,
		fee_bps: u16,
	) -> Result<(BalanceOf<T>, BalanceOf<T>), DispatchError> {
		if members == 0 {
			return Ok((Zero::zero(), Zero::zero()));
		}
		let n: BalanceOf<T> = members.into();
		let share = total
			.checked_add(&n.saturating_sub(1u32.into()))
			.and_then(|t| t.checked_div(&n))
			.ok_or(ArithmeticError::Overflow)?;
		let bps: BalanceOf<T> = u32::from(fee_bps).into();
		let fee = share
			.checked_mul(&bps)
			.and_then(|f| f.checked_div(&u32::from(BPS_DENOMINATOR).into()))
			.ok_or(ArithmeticError::Overflow)?;
		Ok((share, fee))
	}

	/// The approved total of the claims recorded for `pool_id` and `period`.
	pub(crate) fn period_total(
		pool_id: PoolId,
		period: PeriodIndex,
	) -> Result<(BalanceOf<T>, u32), DispatchError> {
		let ids = PeriodClaims::<T>::get(pool_id, period);
		let mut total: BalanceOf<T> = Zero::zero();
		for id in ids.iter() {
			let amount = Claims::<T>::get(id)
				.and_then(|c| c.outcome)
				.map(|o| o.approved_amount())
				.unwrap_or_default();
			total = total.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		}
		Ok((total, ids.len() as u32))
	}

	/// Free balance `who` can pay without being reaped.
	pub(crate) fn spendable(who: &T::AccountId) -> BalanceOf<T> {
		T::Currency::reducible_balance(
			who,
			Preservation::Preserve,
			frame_support::traits::tokens::Fortitude::Polite,
		)
	}

	/// Up to `limit` members of `pool_id` after `cursor`, and whether the end was reached.
	fn member_batch(
		pool_id: PoolId,
		cursor: &Option<T::AccountId>,
		limit: u32,
	) -> (Vec<(T::AccountId, MemberOf<T>)>, bool) {
		let mut iter = match cursor {
			Some(last) => {
				Members::<T>::iter_prefix_from(pool_id, Members::<T>::hashed_key_for(pool_id, last))
			},
			None => Members::<T>::iter_prefix(pool_id),
		};
		let batch: Vec<_> = iter.by_ref().take(limit as usize).collect();
		let done = (batch.len() as u32) < limit || iter.next().is_none();
		(batch, done)
	}

	/// Process up to [`Config::MaxApportionBatch`] members of the apportioning of `pool_id`
	/// and `period`; returns how many were processed.
	pub(crate) fn do_apportion(pool_id: PoolId, period: PeriodIndex) -> Result<u32, DispatchError> {
		let pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(
			pool.rules.funding == FundingModel::ShareAfterClaims,
			Error::<T>::NotShareAfterClaims
		);
		ensure!(period < Self::current_period(), Error::<T>::PeriodNotEnded);
		ensure!(
			!Ledgers::<T>::get(pool_id, period).is_some_and(|l| l.apportioned),
			Error::<T>::AlreadyApportioned
		);
		let mut state = match Apportionments::<T>::get(pool_id) {
			Some(state) => {
				ensure!(state.period == period, Error::<T>::ApportionInProgress);
				state
			},
			None => {
				let (total, claims) = Self::period_total(pool_id, period)?;
				ensure!(claims > 0, Error::<T>::NothingToApportion);
				Apportionment {
					period,
					phase: ApportionPhase::Counting,
					cursor: None,
					total,
					eligible: 0,
					share: Zero::zero(),
					fee: Zero::zero(),
					charged: 0,
					collected: Zero::zero(),
				}
			},
		};

		let mut budget = T::MaxApportionBatch::get();
		let mut processed: u32 = 0;
		if state.phase == ApportionPhase::Counting {
			let (batch, done) = Self::member_batch(pool_id, &state.cursor, budget);
			let visited = batch.len() as u32;
			let eligible = batch.iter().filter(|(_, m)| Self::charged_in(m, period)).count() as u32;
			state.eligible =
				state.eligible.checked_add(eligible).ok_or(ArithmeticError::Overflow)?;
			state.cursor = batch.last().map(|(who, _)| who.clone());
			processed = processed.saturating_add(visited);
			budget = budget.saturating_sub(visited);
			if done {
				let (share, fee) =
					Self::share_and_fee(state.total, state.eligible, pool.rules.fee_bps)?;
				state.phase = ApportionPhase::Charging;
				state.cursor = None;
				state.share = share;
				state.fee = fee;
			}
		}
		let mut complete = state.phase == ApportionPhase::Charging && state.eligible == 0;
		if state.phase == ApportionPhase::Charging && !complete && budget > 0 {
			let (batch, done) = Self::member_batch(pool_id, &state.cursor, budget);
			state.cursor = batch.last().map(|(who, _)| who.clone());
			processed = processed.saturating_add(batch.len() as u32);
			for (who, member) in batch {
				if Self::charged_in(&member, period) {
					Self::charge_member(pool_id, period, &pool.manager, &who, member, &mut state);
				}
			}
			complete = done;
		}
		if complete {
			Self::complete_apportion(pool_id, period, state)?;
		} else {
			Apportionments::<T>::insert(pool_id, state);
			Self::deposit_event(Event::ApportionProgressed { pool_id, period, processed });
		}
		Ok(processed)
	}

	/// Charge `who` the share and fee of `state`, or put it in arrears if it cannot pay.
	fn charge_member(
		pool_id: PoolId,
		period: PeriodIndex,
		manager: &T::AccountId,
		who: &T::AccountId,
		mut member: MemberOf<T>,
		state: &mut ApportionmentOf<T>,
	) {
		state.charged = state.charged.saturating_add(1);
		let due = state.share.saturating_add(state.fee);
		let paid = Self::spendable(who) >= due
			&& T::Currency::transfer(
				who,
				&Self::pool_account(pool_id),
				state.share,
				Preservation::Preserve,
			)
			.is_ok();
		let mut ledger = Ledgers::<T>::get(pool_id, period).unwrap_or_default();
		if paid {
			let fee_paid = state.fee.is_zero()
				|| T::Currency::transfer(who, manager, state.fee, Preservation::Preserve).is_ok();
			let fee = if fee_paid { state.fee } else { Zero::zero() };
			state.collected = state.collected.saturating_add(state.share);
			ledger.inflow = ledger.inflow.saturating_add(state.share);
			ledger.fees = ledger.fees.saturating_add(fee);
			member.contributed = member.contributed.saturating_add(state.share).saturating_add(fee);
		} else {
			member.arrears = member.arrears.saturating_add(state.share);
			ledger.members_in_arrears = ledger.members_in_arrears.saturating_add(1);
			ledger.shortfall = ledger.shortfall.saturating_add(state.share);
			Self::deposit_event(Event::MemberInArrears {
				pool_id,
				period,
				who: who.clone(),
				owed: state.share,
			});
		}
		Ledgers::<T>::insert(pool_id, period, ledger);
		Members::<T>::insert(pool_id, who, member);
	}

	/// Pay the claimants of `period` as far as the pool's balance allows and close the ledger.
	fn complete_apportion(
		pool_id: PoolId,
		period: PeriodIndex,
		state: ApportionmentOf<T>,
	) -> Result<(), DispatchError> {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		let ids = PeriodClaims::<T>::take(pool_id, period);
		let mut claims: u32 = 0;
		for claim_id in ids {
			let Some(claim) = Claims::<T>::get(claim_id) else { continue };
			claims = claims.saturating_add(1);
			pool.unapportioned_claims = pool.unapportioned_claims.saturating_sub(1);
			let amount = claim.outcome.map(|o| o.approved_amount()).unwrap_or_default();
			if Self::pool_funds(pool_id) >= amount
				&& Self::pay_claim(claim_id, &claim, amount, period).is_ok()
			{
				Self::close_claim(claim_id, &claim, &mut pool);
			} else {
				Self::await_funds(claim_id, claim);
			}
		}
		Pools::<T>::insert(pool_id, pool);
		Apportionments::<T>::remove(pool_id);
		let mut ledger = Ledgers::<T>::get(pool_id, period).unwrap_or_default();
		ledger.approved_total = state.total;
		ledger.claims = claims;
		ledger.per_member_share = state.share;
		ledger.per_member_fee = state.fee;
		ledger.members = state.eligible;
		ledger.dust = state.collected.saturating_sub(state.total);
		if state.eligible == 0 {
			ledger.shortfall = state.total;
		}
		ledger.apportioned = true;
		let shortfall = ledger.shortfall;
		Ledgers::<T>::insert(pool_id, period, ledger);
		Self::deposit_event(Event::PeriodApportioned {
			pool_id,
			period,
			members: state.eligible,
			per_member_share: state.share,
			per_member_fee: state.fee,
			shortfall,
		});
		Ok(())
	}
}
