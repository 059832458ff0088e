//! Helpers shared by the areas: time and periods, pool accounts, deposits, the ledger, and the
//! payout and closing of claims (by finalization and by apportioning).

use crate::{pallet::*, types::*};
use frame_support::{
	dispatch::DispatchResult,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{AccountIdConversion, CheckedDiv, Saturating, UniqueSaturatedInto, Zero};

/// Deposits and stake are held and released one way in every Medchain pallet
/// ([`medchain_deposits`]).
impl<T: Config> medchain_deposits::Deposits<T::AccountId> for Pallet<T> {
	type Currency = T::Currency;
	type Reason = HoldReason;
}

impl<T: Config> Pallet<T> {
	// ---------------------------------------------------------------------------------------
	// Time and periods
	// ---------------------------------------------------------------------------------------

	/// The current block.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The period of block `block`.
	pub fn period_of(block: BlockNumberFor<T>) -> PeriodIndex {
		block.checked_div(&T::ApportionPeriod::get()).unwrap_or_default().unique_saturated_into()
	}

	/// The current period.
	pub fn current_period() -> PeriodIndex {
		Self::period_of(Self::now())
	}

	/// The last block of period `period` (saturating).
	pub(crate) fn period_last_block(period: PeriodIndex) -> BlockNumberFor<T> {
		let next: BlockNumberFor<T> = period.saturating_add(1).into();
		next.saturating_mul(T::ApportionPeriod::get()).saturating_sub(1u32.into())
	}

	// ---------------------------------------------------------------------------------------
	// Pool accounts, deposits and the ledger
	// ---------------------------------------------------------------------------------------

	/// The account holding the funds of pool `pool_id`.
	pub fn pool_account(pool_id: PoolId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(pool_id)
	}

	/// Free balance of the pool account that can be paid out.
	pub(crate) fn pool_funds(pool_id: PoolId) -> BalanceOf<T> {
		T::Currency::reducible_balance(
			&Self::pool_account(pool_id),
			Preservation::Expendable,
			Fortitude::Polite,
		)
	}

	/// Move up to `amount` held from `who` under `reason` to the pool account; returns the
	/// amount moved and records it as inflow of the current period.
	pub(crate) fn slash_to_pool(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		pool_id: PoolId,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		let moved = T::Currency::transfer_on_hold(
			&reason.into(),
			who,
			&Self::pool_account(pool_id),
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_default();
		Self::add_inflow(pool_id, Self::current_period(), moved);
		moved
	}

	/// Pay `amount` from the pool account to `to`.
	pub(crate) fn pay_from_pool(
		pool_id: PoolId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::transfer(&Self::pool_account(pool_id), to, amount, Preservation::Expendable)
			.map(|_| ())
	}

	/// Add `amount` to the inflow of the ledger of `pool_id` and `period`.
	pub(crate) fn add_inflow(pool_id: PoolId, period: PeriodIndex, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		Ledgers::<T>::mutate(pool_id, period, |ledger| {
			let ledger = ledger.get_or_insert_with(Default::default);
			ledger.inflow = ledger.inflow.saturating_add(amount);
		});
	}

	/// Add `amount` to the payouts of the ledger of `pool_id` and `period`.
	pub(crate) fn add_payout(pool_id: PoolId, period: PeriodIndex, amount: BalanceOf<T>) {
		Ledgers::<T>::mutate(pool_id, period, |ledger| {
			let ledger = ledger.get_or_insert_with(Default::default);
			ledger.payouts = ledger.payouts.saturating_add(amount);
		});
	}

	// ---------------------------------------------------------------------------------------
	// Condition codes
	// ---------------------------------------------------------------------------------------

	/// Whether `code` is a non-empty code of `A`–`Z`, `0`–`9` and `.`.
	pub(crate) fn is_valid_code(code: &ConditionCode) -> bool {
		!code.is_empty()
			&& code.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'.')
	}

	// ---------------------------------------------------------------------------------------
	// Paying and closing claims (finalization and apportioning)
	// ---------------------------------------------------------------------------------------

	/// Mark approved claim `claim_id` as waiting for funds.
	pub(crate) fn await_funds(claim_id: ClaimId, mut claim: ClaimOf<T>) {
		let amount = claim.outcome.map(|o| o.approved_amount()).unwrap_or_default();
		let pool_id = claim.pool;
		claim.status = ClaimStatus::AwaitingFunds;
		Claims::<T>::insert(claim_id, claim);
		Self::deposit_event(Event::ClaimAwaitingFunds { claim_id, pool_id, amount });
	}

	/// Pay `amount` of claim `claim_id` from its pool and record it in `period`'s ledger.
	pub(crate) fn pay_claim(
		claim_id: ClaimId,
		claim: &ClaimOf<T>,
		amount: BalanceOf<T>,
		period: PeriodIndex,
	) -> DispatchResult {
		Self::pay_from_pool(claim.pool, &claim.claimant, amount)?;
		Self::add_payout(claim.pool, period, amount);
		Self::deposit_event(Event::ClaimPaid {
			claim_id,
			pool_id: claim.pool,
			claimant: claim.claimant.clone(),
			amount,
		});
		Ok(())
	}

	/// Remove claim `claim_id` (paid or closed) from storage and from its pool and member.
	pub(crate) fn close_claim(claim_id: ClaimId, claim: &ClaimOf<T>, pool: &mut PoolOf<T>) {
		Claims::<T>::remove(claim_id);
		PoolClaims::<T>::mutate(claim.pool, |ids| ids.retain(|id| *id != claim_id));
		pool.open_claims = pool.open_claims.saturating_sub(1);
		pool.exposure = pool.exposure.saturating_sub(claim.amount);
		Members::<T>::mutate(claim.pool, &claim.claimant, |member| {
			if let Some(member) = member {
				if member.open_claim == Some(claim_id) {
					member.open_claim = None;
				}
			}
		});
	}
}
