//! Pools and their rules, and the reviewer set. Every `do_*` checks everything before it writes.

use crate::{pallet::*, types::*};
use frame_support::{dispatch::DispatchResult, ensure, traits::Get};
use sp_runtime::traits::{Saturating, Zero};
use sp_runtime::ArithmeticError;

impl<T: Config> Pallet<T> {
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
				&& !rules.claim_deposit.is_zero()
				&& match rules.funding {
					FundingModel::Prefunded => rules.max_share.is_zero(),
					FundingModel::ShareAfterClaims =>
						rules.contribution.is_zero() && !rules.max_share.is_zero(),
				},
			Error::<T>::InvalidRules
		);
		ensure!(
			rules.waiting_period <= T::MaxWaitingPeriod::get()
				&& rules.notice_period <= T::MaxNoticePeriod::get()
				&& rules.review_period <= T::MaxReviewPeriod::get(),
			Error::<T>::PeriodTooLong
		);
		ensure!(
			rules.covered_conditions.iter().all(|code| Self::is_valid_code(code)),
			Error::<T>::InvalidConditionCode
		);
		ensure!(rules.fee_bps <= T::MaxFeeBps::get(), Error::<T>::FeeAboveCap);
		Ok(())
	}

	pub(crate) fn do_create_pool(manager: T::AccountId, rules: PoolRulesOf<T>) -> DispatchResult {
		Self::validate_rules(&rules)?;
		let pool_id = NextPoolId::<T>::get();
		let next = pool_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
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
				exposure: Zero::zero(),
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
		ensure!(rules.funding == pool.rules.funding, Error::<T>::FundingModelFixed);
		Self::validate_rules(&rules)?;
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
		ensure!(!reviewers.contains(&reviewer), Error::<T>::ReviewerAlreadyExists);
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
		// A removed reviewer can no longer vote on any panel it sits on: its read access to
		// every claimant's evidence ends now.
		T::EvidenceRecords::end_all_review_access(&reviewer);
		Self::deposit_event(Event::ReviewerRemoved { reviewer });
		Ok(())
	}
}
