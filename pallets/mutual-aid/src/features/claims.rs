//! Claims: filing, objections, appeals and finalization (payout and deposits).

use crate::{pallet::*, types::*};
use codec::Encode;
use frame_support::{dispatch::DispatchResult, ensure, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use medchain_deposits::Deposits;
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchError,
};

impl<T: Config> Pallet<T> {
	/// The commitment a claim carries instead of its condition code:
	/// `blake2_256(SCALE(b"mutual-aid/condition", pool_id, condition, salt))` with a 32-byte
	/// random salt. The claimant gives the code and salt to the reviewers with the evidence;
	/// without the salt the few covered codes of a pool cannot be tried against it.
	pub fn condition_commitment(
		pool_id: PoolId,
		condition: &ConditionCode,
		salt: &[u8; 32],
	) -> H256 {
		H256(sp_io::hashing::blake2_256(
			&(b"mutual-aid/condition", pool_id, condition, salt).encode(),
		))
	}

	/// Check the evidence of a claim by `who` covered from `eligible_from`: at least one record,
	/// no record twice, each an active record of `who` issued by an active registered provider
	/// other than `who`, none issued before `eligible_from`. Returns the diagnosis block: the
	/// issue block of the earliest record.
	pub(crate) fn check_evidence(
		who: &T::AccountId,
		evidence: &EvidenceOf<T>,
		eligible_from: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut earliest: Option<BlockNumberFor<T>> = None;
		for (i, id) in evidence.iter().enumerate() {
			ensure!(!evidence.iter().take(i).any(|seen| seen == id), Error::<T>::DuplicateEvidence);
			let record =
				T::EvidenceRecords::evidence_record(*id).ok_or(Error::<T>::InvalidEvidence)?;
			ensure!(record.patient == *who && record.active, Error::<T>::InvalidEvidence);
			ensure!(
				record.issuer != *who && T::EvidenceRecords::is_active_provider(&record.issuer),
				Error::<T>::EvidenceNotFromProvider
			);
			earliest = Some(earliest.map_or(record.issued_at, |e| e.min(record.issued_at)));
		}
		let diagnosis_block = earliest.ok_or(Error::<T>::NoEvidence)?;
		ensure!(diagnosis_block >= eligible_from, Error::<T>::DiagnosisNotCovered);
		Ok(diagnosis_block)
	}

	/// Whether pool `pool_id` can take on `exposure` (its open claims including a new one): a
	/// prefunded pool holds at least that much; a share-after-claims pool's members would owe at
	/// most the pool's `max_share` each for it.
	pub(crate) fn can_cover(pool_id: PoolId, pool: &PoolOf<T>, exposure: BalanceOf<T>) -> bool {
		match pool.rules.funding {
			FundingModel::Prefunded => exposure <= Self::pool_funds(pool_id),
			FundingModel::ShareAfterClaims => {
				let members: BalanceOf<T> = pool.member_count.into();
				exposure <= pool.rules.max_share.saturating_mul(members)
			},
		}
	}

	pub(crate) fn do_file_claim(
		who: T::AccountId,
		pool_id: PoolId,
		condition_commitment: H256,
		amount: BalanceOf<T>,
		evidence: EvidenceOf<T>,
		evidence_commitment: H256,
	) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		let mut member = Members::<T>::get(pool_id, &who).ok_or(Error::<T>::MemberNotFound)?;
		let now = Self::now();
		ensure!(member.arrears.is_zero(), Error::<T>::InArrears);
		ensure!(now >= member.eligible_from, Error::<T>::NotEligible);
		ensure!(
			member.contributed >= Self::contributions_due(&member, &pool.rules),
			Error::<T>::BehindOnContributions
		);
		ensure!(member.open_claim.is_none(), Error::<T>::ClaimOpen);
		ensure!(pool.member_count >= pool.rules.min_members, Error::<T>::TooFewMembers);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(amount <= pool.rules.per_claim_cap, Error::<T>::AboveClaimCap);
		let total = member.claimed_total.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		ensure!(total <= pool.rules.lifetime_cap, Error::<T>::AboveLifetimeCap);
		let diagnosis_block = Self::check_evidence(&who, &evidence, member.eligible_from)?;
		let exposure = pool.exposure.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		ensure!(Self::can_cover(pool_id, &pool, exposure), Error::<T>::PoolCannotCover);
		let claim_id = NextClaimId::<T>::get();
		let next = claim_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut open = PoolClaims::<T>::get(pool_id);
		open.try_push(claim_id).map_err(|_| Error::<T>::TooManyOpenClaims)?;
		pool.open_claims = pool.open_claims.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		pool.exposure = exposure;
		let notice_ends =
			now.checked_add(&pool.rules.notice_period).ok_or(ArithmeticError::Overflow)?;
		let deposit = pool.rules.claim_deposit;
		let (notice_period, review_period) = (pool.rules.notice_period, pool.rules.review_period);
		let pool_members = pool.member_count;
		Self::hold(HoldReason::ClaimDeposit, &who, deposit)?;

		member.open_claim = Some(claim_id);
		Members::<T>::insert(pool_id, &who, member);
		Pools::<T>::insert(pool_id, pool);
		PoolClaims::<T>::insert(pool_id, open);
		NextClaimId::<T>::put(next);
		Claims::<T>::insert(
			claim_id,
			Claim {
				pool: pool_id,
				claimant: who.clone(),
				condition_commitment,
				amount,
				diagnosis_block,
				evidence,
				evidence_commitment,
				deposit,
				filed_at: now,
				notice_ends,
				notice_period,
				review_period,
				members: pool_members,
				objections: BoundedVec::new(),
				status: ClaimStatus::Notice,
				level: ReviewLevel::First,
				draws: 0,
				seed_block: notice_ends,
				panel: BoundedVec::new(),
				commit_ends: Zero::zero(),
				reveal_ends: Zero::zero(),
				outcome: None,
				decided_at: Zero::zero(),
				appeal: None,
				period: None,
			},
		);
		Self::deposit_event(Event::ClaimFiled {
			claim_id,
			pool_id,
			claimant: who,
			amount,
			evidence_commitment,
			notice_ends,
		});
		Ok(())
	}

	pub(crate) fn do_object(
		who: T::AccountId,
		claim_id: ClaimId,
		reason_commitment: H256,
	) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		ensure!(claim.status == ClaimStatus::Notice, Error::<T>::ClaimNotInNotice);
		ensure!(Self::now() < claim.notice_ends, Error::<T>::NoticeEnded);
		ensure!(Members::<T>::contains_key(claim.pool, &who), Error::<T>::MemberNotFound);
		ensure!(who != claim.claimant, Error::<T>::OwnClaim);
		ensure!(!claim.objections.iter().any(|o| o.objector == who), Error::<T>::AlreadyObjected);
		let deposit = T::ObjectionDeposit::get();
		claim
			.objections
			.try_push(Objection { objector: who.clone(), reason_commitment, deposit })
			.map_err(|_| Error::<T>::TooManyObjections)?;
		Self::hold(HoldReason::ObjectionDeposit, &who, deposit)?;
		Claims::<T>::insert(claim_id, claim);
		Self::deposit_event(Event::Objected { claim_id, objector: who, reason_commitment });
		Ok(())
	}

	pub(crate) fn do_appeal(who: T::AccountId, claim_id: ClaimId) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		ensure!(claim.status == ClaimStatus::Decided, Error::<T>::ClaimNotDecided);
		ensure!(claim.level == ReviewLevel::First, Error::<T>::AlreadyAppealed);
		let first_outcome = claim.outcome.ok_or(Error::<T>::ClaimNotDecided)?;
		let approved = first_outcome.approved_amount();
		// The claimant appeals what it did not get; any objector or other member of the pool an
		// approval (objection slots are few, and the claimant's friends could fill them).
		let may_appeal = if who == claim.claimant {
			approved < claim.amount
		} else {
			!approved.is_zero()
				&& (claim.objections.iter().any(|o| o.objector == who)
					|| Members::<T>::contains_key(claim.pool, &who))
		};
		ensure!(may_appeal, Error::<T>::NotAuthorized);
		let now = Self::now();
		ensure!(
			now < claim.decided_at.saturating_add(claim.notice_period),
			Error::<T>::AppealWindowClosed
		);
		let deposit = T::AppealDeposit::get();
		Self::hold(HoldReason::AppealDeposit, &who, deposit)?;
		let seed_block = now.saturating_add(1u32.into());
		claim.appeal = Some(Appeal { appellant: who.clone(), deposit, first_outcome });
		claim.outcome = None;
		claim.level = ReviewLevel::Appeal;
		claim.status = ClaimStatus::AwaitingPanel;
		claim.seed_block = seed_block;
		claim.panel = BoundedVec::new();
		Claims::<T>::insert(claim_id, claim);
		Self::deposit_event(Event::Appealed { claim_id, appellant: who, seed_block });
		Ok(())
	}

	pub(crate) fn do_finalize_claim(claim_id: ClaimId) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		let mut pool = Pools::<T>::get(claim.pool).ok_or(Error::<T>::PoolNotFound)?;
		let pool_id = claim.pool;
		match claim.status {
			ClaimStatus::AwaitingFunds => {
				let amount = claim.outcome.map(|o| o.approved_amount()).unwrap_or_default();
				ensure!(Self::pool_funds(pool_id) >= amount, Error::<T>::InsufficientPoolFunds);
				Self::pay_claim(claim_id, &claim, amount, Self::current_period())?;
				Self::close_claim(claim_id, &claim, &mut pool);
				Pools::<T>::insert(pool_id, pool);
				return Ok(());
			},
			ClaimStatus::Decided => {},
			_ => return Err(Error::<T>::ClaimNotDecided.into()),
		}
		let outcome = claim.outcome.ok_or(Error::<T>::ClaimNotDecided)?;
		let now = Self::now();
		if claim.level == ReviewLevel::First {
			ensure!(
				now >= claim.decided_at.saturating_add(claim.notice_period),
				Error::<T>::AppealWindowOpen
			);
		}
		let approved = outcome.approved_amount();
		let period = Self::current_period();
		// Everything that can fail is checked before any deposit moves.
		let mut period_claims = None;
		if !approved.is_zero() && pool.rules.funding == FundingModel::ShareAfterClaims {
			let mut ids = PeriodClaims::<T>::get(pool_id, period);
			ids.try_push(claim_id).map_err(|_| Error::<T>::TooManyClaimsInPeriod)?;
			pool.unapportioned_claims =
				pool.unapportioned_claims.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			period_claims = Some(ids);
		}

		Self::settle_deposits(claim_id, &mut claim, &outcome);
		if approved.is_zero() {
			Self::close_claim(claim_id, &claim, &mut pool);
			Pools::<T>::insert(pool_id, pool);
			Self::deposit_event(Event::ClaimClosed { claim_id, pool_id, outcome });
			return Ok(());
		}
		Members::<T>::mutate(pool_id, &claim.claimant, |member| {
			if let Some(member) = member {
				member.claimed_total = member.claimed_total.saturating_add(approved);
			}
		});
		if let Some(ids) = period_claims {
			PeriodClaims::<T>::insert(pool_id, period, ids);
			claim.status = ClaimStatus::AwaitingApportion;
			claim.period = Some(period);
			Claims::<T>::insert(claim_id, claim);
			Pools::<T>::insert(pool_id, pool);
			Self::deposit_event(Event::ClaimAwaitingApportion {
				claim_id,
				pool_id,
				period,
				amount: approved,
			});
		} else if Self::pool_funds(pool_id) >= approved {
			Self::pay_claim(claim_id, &claim, approved, period)?;
			Self::close_claim(claim_id, &claim, &mut pool);
			Pools::<T>::insert(pool_id, pool);
		} else {
			Self::await_funds(claim_id, claim);
		}
		Ok(())
	}

	/// Return or slash the claim, objection and appeal deposits by the final `outcome`; the
	/// stored deposits of `claim` are zeroed.
	fn settle_deposits(claim_id: ClaimId, claim: &mut ClaimOf<T>, outcome: &OutcomeOf<T>) {
		let pool_id = claim.pool;
		let approved = outcome.approved_amount();
		let slash = |reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>| {
			let moved = Self::slash_to_pool(reason, who, amount, pool_id);
			if !moved.is_zero() {
				Self::deposit_event(Event::DepositSlashed {
					claim_id,
					who: who.clone(),
					amount: moved,
				});
			}
		};
		// The claimant loses the deposit for a denied claim; objectors for an approved one.
		if matches!(outcome, Outcome::Denied) {
			slash(HoldReason::ClaimDeposit, &claim.claimant, claim.deposit);
		} else {
			Self::release(HoldReason::ClaimDeposit, &claim.claimant, claim.deposit);
		}
		claim.deposit = Zero::zero();
		for objection in claim.objections.iter_mut() {
			if approved.is_zero() {
				Self::release(HoldReason::ObjectionDeposit, &objection.objector, objection.deposit);
			} else {
				slash(HoldReason::ObjectionDeposit, &objection.objector, objection.deposit);
			}
			objection.deposit = Zero::zero();
		}
		if let Some(appeal) = claim.appeal.as_mut() {
			let first = appeal.first_outcome.approved_amount();
			let prevailed = match outcome {
				Outcome::Undecided => true,
				_ if appeal.appellant == claim.claimant => approved > first,
				_ => approved < first,
			};
			if prevailed {
				Self::release(HoldReason::AppealDeposit, &appeal.appellant, appeal.deposit);
			} else {
				slash(HoldReason::AppealDeposit, &appeal.appellant, appeal.deposit);
			}
			appeal.deposit = Zero::zero();
		}
	}
}
