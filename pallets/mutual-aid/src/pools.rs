//! Pools and their rules, the reviewer set, and helpers shared by every area: time, periods,
//! pool accounts, deposits and the ledger. Every `do_*` checks everything before it writes.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{AccountIdConversion, CheckedDiv, Saturating, UniqueSaturatedInto, Zero};

impl<T: Config> Pallet<T> {
	// ---------------------------------------------------------------------------------------
	// Shared helpers
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

	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
	}

	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		// Best effort: the amount was held by this pallet under `reason`.
		let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
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
	// Pools and rules
	// ---------------------------------------------------------------------------------------

	/// Check `rules` on their own.
	pub(crate) fn validate_rules(rules: &PoolRulesOf<T>) -> DispatchResult {
		ensure!(
			!rules.per_claim_cap.is_zero()
				&& rules.lifetime_cap >= rules.per_claim_cap
				&& !rules.covered_conditions.is_empty()
				&& rules.min_members > 0
				&& rules.min_members <= T::MaxMembersPerPool::get()
				&& !rules.notice_period.is_zero()
				&& !rules.review_period.is_zero()
				&& !rules.claim_deposit.is_zero(),
			Error::<T>::InvalidRules
		);
		ensure!(
			rules.covered_conditions.iter().all(|code| Self::is_valid_code(code)),
			Error::<T>::InvalidConditionCode
		);
		ensure!(rules.fee_bps <= T::MaxFeeBps::get(), Error::<T>::FeeAboveCap);
		Ok(())
	}

	/// Whether `code` is a non-empty code of `A`–`Z`, `0`–`9` and `.`.
	pub(crate) fn is_valid_code(code: &ConditionCode) -> bool {
		!code.is_empty()
			&& code.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'.')
	}

	pub(crate) fn do_create_pool(manager: T::AccountId, rules: PoolRulesOf<T>) -> DispatchResult {
		Self::validate_rules(&rules)?;
		let pool_id = NextPoolId::<T>::get();
		let next = pool_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let funding = rules.funding;
		Pools::<T>::insert(
			pool_id,
			Pool {
				manager: manager.clone(),
				rules,
				pending: None,
				created_at: Self::now(),
				member_count: 0,
				open_claims: 0,
				unapportioned_claims: 0,
			},
		);
		NextPoolId::<T>::put(next);
		Self::deposit_event(Event::PoolCreated {
			pool_id,
			manager,
			account: Self::pool_account(pool_id),
			funding,
		});
		Ok(())
	}

	pub(crate) fn do_propose_rule_change(
		caller: Option<T::AccountId>,
		pool_id: PoolId,
		rules: PoolRulesOf<T>,
	) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		if let Some(caller) = caller {
			ensure!(caller == pool.manager, Error::<T>::NotAuthorized);
		}
		Self::validate_rules(&rules)?;
		ensure!(rules.funding == pool.rules.funding, Error::<T>::FundingModelFixed);
		let applies_at = Self::now().saturating_add(T::RuleChangeTimelock::get());
		pool.pending = Some(PendingRules { rules, applies_at });
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::RuleChangeProposed { pool_id, applies_at });
		Ok(())
	}

	pub(crate) fn do_apply_rule_change(pool_id: PoolId) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		let pending = pool.pending.take().ok_or(Error::<T>::NoPendingRuleChange)?;
		ensure!(Self::now() >= pending.applies_at, Error::<T>::RuleChangeLocked);
		pool.rules = pending.rules;
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::RuleChangeApplied { pool_id });
		Ok(())
	}

	// ---------------------------------------------------------------------------------------
	// Reviewers
	// ---------------------------------------------------------------------------------------

	pub(crate) fn do_add_reviewer(reviewer: T::AccountId) -> DispatchResult {
		let mut reviewers = Reviewers::<T>::get();
		ensure!(!reviewers.contains(&reviewer), Error::<T>::AlreadyReviewer);
		reviewers.try_push(reviewer.clone()).map_err(|_| Error::<T>::TooManyReviewers)?;
		Reviewers::<T>::put(reviewers);
		Self::deposit_event(Event::ReviewerAdded { reviewer });
		Ok(())
	}

	pub(crate) fn do_remove_reviewer(reviewer: T::AccountId) -> DispatchResult {
		let mut reviewers = Reviewers::<T>::get();
		let index =
			reviewers.iter().position(|r| *r == reviewer).ok_or(Error::<T>::ReviewerNotFound)?;
		reviewers.remove(index);
		Reviewers::<T>::put(reviewers);
		Self::deposit_event(Event::ReviewerRemoved { reviewer });
		Ok(())
	}

	// ---------------------------------------------------------------------------------------
	// Genesis
	// ---------------------------------------------------------------------------------------

	/// Build the genesis state: reviewers, pools and their members (deposits held).
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for reviewer in &config.reviewers {
			assert!(Self::do_add_reviewer(reviewer.clone()).is_ok(), "genesis reviewer rejected");
		}
		for p in &config.pools {
			let codes: Vec<ConditionCode> = p
				.covered_conditions
				.iter()
				.map(|c| ConditionCode::try_from(c.clone()))
				.collect::<Result<_, _>>()
				.unwrap_or_default();
			let rules = PoolRules {
				funding: p.funding,
				waiting_period: p.waiting_period,
				per_claim_cap: p.per_claim_cap,
				lifetime_cap: p.lifetime_cap,
				covered_conditions: BoundedVec::try_from(codes).unwrap_or_default(),
				fee_bps: p.fee_bps,
				min_members: p.min_members,
				notice_period: p.notice_period,
				review_period: p.review_period,
				claim_deposit: p.claim_deposit,
			};
			let pool_id = NextPoolId::<T>::get();
			assert!(
				Self::do_create_pool(p.manager.clone(), rules).is_ok(),
				"genesis pool: invalid rules"
			);
			for member in &p.members {
				assert!(
					Self::do_join(member.clone(), pool_id).is_ok(),
					"genesis member cannot join (funds?)"
				);
			}
		}
	}
}
