//! Review: drawing panels, commit–reveal voting and the tally.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::{dispatch::DispatchResult, ensure, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};
use sp_runtime::ArithmeticError;

impl<T: Config> Pallet<T> {
	/// The commitment a reviewer submits: `blake2_256(SCALE(claim_id, reviewer, vote, salt))`.
	/// Binding the claim and the reviewer stops a reviewer from copying another's commitment.
	pub fn vote_commitment(
		claim_id: ClaimId,
		reviewer: &T::AccountId,
		vote: &VoteOf<T>,
		salt: &[u8; 32],
	) -> H256 {
		H256(sp_io::hashing::blake2_256(&(claim_id, reviewer, vote, salt).encode()))
	}

	/// The registered reviewers who may sit on `claim`'s panel: not the claimant, an objector,
	/// the appellant or a provider who issued the claim's evidence, and only those the EHR pallet
	/// can give read access to the evidence (not already reviewing another claim of the same
	/// claimant, below its bound of review accesses per reviewer).
	pub(crate) fn candidates(claim: &ClaimOf<T>) -> Vec<T::AccountId> {
		let issuers: Vec<T::AccountId> = claim
			.evidence
			.iter()
			.filter_map(|id| T::EvidenceRecords::evidence_record(*id).map(|r| r.issuer))
			.collect();
		Reviewers::<T>::get()
			.into_iter()
			.filter(|r| {
				*r != claim.claimant
					&& !claim.objections.iter().any(|o| o.objector == *r)
					&& claim.appeal.as_ref().is_none_or(|a| a.appellant != *r)
					&& !issuers.contains(r)
					&& T::EvidenceRecords::can_grant_review_access(&claim.claimant, r)
			})
			.collect()
	}

	/// The size of the next panel of `claim`.
	pub(crate) fn panel_size(claim: &ClaimOf<T>) -> u32 {
		match claim.level {
			ReviewLevel::First => T::PanelSize::get(),
			ReviewLevel::Appeal => T::AppealPanelSize::get(),
		}
	}

	/// Draw `size` reviewers for `claim` out of its [`Self::candidates`], from the seed
	/// `blake2(claim ‖ draws ‖ hash(seed_block))`.
	pub(crate) fn draw(
		claim_id: ClaimId,
		claim: &ClaimOf<T>,
		size: u32,
	) -> Result<PanelOf<T>, Error<T>> {
		let mut candidates = Self::candidates(claim);
		ensure!(candidates.len() >= size as usize, Error::<T>::NotEnoughReviewers);
		let block_hash = frame_system::Pallet::<T>::block_hash(claim.seed_block);
		let seed = sp_io::hashing::blake2_256(
			&(b"mutual-aid/panel", claim_id, claim.draws, block_hash).encode(),
		);
		let mut panel = BoundedVec::new();
		for i in 0..size {
			let word = sp_io::hashing::blake2_256(&(seed, i).encode());
			let random = u64::decode(&mut word.as_slice()).unwrap_or_default();
			let len = candidates.len() as u64;
			let index = random.checked_rem(len).ok_or(Error::<T>::NotEnoughReviewers)? as usize;
			let reviewer = candidates.swap_remove(index);
			panel
				.try_push(Seat { reviewer, commitment: None, vote: None })
				.map_err(|_| Error::<T>::NotEnoughReviewers)?;
		}
		Ok(panel)
	}

	pub(crate) fn do_draw_panel(claim_id: ClaimId) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		ensure!(
			matches!(claim.status, ClaimStatus::Notice | ClaimStatus::AwaitingPanel),
			Error::<T>::ClaimNotAwaitingPanel
		);
		let now = Self::now();
		ensure!(now > claim.seed_block, Error::<T>::TooEarly);
		// The runtime keeps the hashes of the last `BlockHashCount` blocks only: a later draw
		// would be seeded by a zero hash anyone can compute. Move the seed to this block.
		let kept: BlockNumberFor<T> = <T as frame_system::Config>::BlockHashCount::get();
		if now.saturating_sub(claim.seed_block) >= kept {
			claim.seed_block = now;
			Claims::<T>::insert(claim_id, claim);
			Self::deposit_event(Event::SeedRefreshed { claim_id, seed_block: now });
			return Ok(());
		}
		let panel = Self::draw(claim_id, &claim, Self::panel_size(&claim))?;
		let commit_ends = now.checked_add(&claim.review_period).ok_or(ArithmeticError::Overflow)?;
		let reveal_ends =
			commit_ends.checked_add(&claim.review_period).ok_or(ArithmeticError::Overflow)?;
		let members: Vec<T::AccountId> = panel.iter().map(|s| s.reviewer.clone()).collect();
		// Each reviewer reads exactly the cited records of the claimant (who consented by filing
		// the claim) until the commit window closes; the access ends when the review does.
		for reviewer in members.iter() {
			T::EvidenceRecords::grant_review_access(
				&claim.claimant,
				reviewer,
				claim_id,
				&claim.evidence,
				commit_ends,
			)?;
		}
		claim.panel = panel;
		claim.draws = claim.draws.saturating_add(1);
		claim.commit_ends = commit_ends;
		claim.reveal_ends = reveal_ends;
		claim.status = ClaimStatus::Voting;
		let level = claim.level;
		Claims::<T>::insert(claim_id, claim);
		Self::deposit_event(Event::PanelDrawn {
			claim_id,
			level,
			panel: members,
			commit_ends,
			reveal_ends,
		});
		Ok(())
	}

	pub(crate) fn do_commit_vote(
		who: T::AccountId,
		claim_id: ClaimId,
		commitment: H256,
	) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		ensure!(claim.status == ClaimStatus::Voting, Error::<T>::ClaimNotInReview);
		ensure!(Reviewers::<T>::get().contains(&who), Error::<T>::NotOnPanel);
		let now = Self::now();
		let commit_ends = claim.commit_ends;
		let seat =
			claim.panel.iter_mut().find(|s| s.reviewer == who).ok_or(Error::<T>::NotOnPanel)?;
		ensure!(now < commit_ends, Error::<T>::CommitClosed);
		ensure!(seat.commitment.is_none(), Error::<T>::AlreadyCommitted);
		seat.commitment = Some(commitment);
		Claims::<T>::insert(claim_id, claim);
		Self::deposit_event(Event::VoteCommitted { claim_id, reviewer: who });
		Ok(())
	}

	pub(crate) fn do_reveal_vote(
		who: T::AccountId,
		claim_id: ClaimId,
		vote: VoteOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		ensure!(claim.status == ClaimStatus::Voting, Error::<T>::ClaimNotInReview);
		ensure!(Reviewers::<T>::get().contains(&who), Error::<T>::NotOnPanel);
		let now = Self::now();
		let all_committed = claim.panel.iter().all(|s| s.commitment.is_some());
		let (commit_ends, reveal_ends, amount) =
			(claim.commit_ends, claim.reveal_ends, claim.amount);
		let seat =
			claim.panel.iter_mut().find(|s| s.reviewer == who).ok_or(Error::<T>::NotOnPanel)?;
		let commitment = seat.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(seat.vote.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(now >= commit_ends || all_committed, Error::<T>::RevealNotOpen);
		ensure!(now < reveal_ends, Error::<T>::RevealClosed);
		ensure!(
			Self::vote_commitment(claim_id, &who, &vote, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		if let Vote::ApprovePartial(partial) = &vote {
			ensure!(!partial.is_zero() && *partial < amount, Error::<T>::InvalidPartialAmount);
		}
		seat.vote = Some(vote.clone());
		let all_revealed = claim.panel.iter().all(|s| s.vote.is_some());
		Self::deposit_event(Event::VoteRevealed { claim_id, reviewer: who, vote });
		if all_revealed {
			Self::tally(claim_id, claim);
		} else {
			Claims::<T>::insert(claim_id, claim);
		}
		Ok(())
	}

	pub(crate) fn do_close_review(claim_id: ClaimId) -> DispatchResult {
		let mut claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::ClaimNotFound)?;
		let now = Self::now();
		match claim.status {
			ClaimStatus::Voting => {
				ensure!(now >= claim.reveal_ends, Error::<T>::ReviewNotOver);
				Self::tally(claim_id, claim);
			},
			ClaimStatus::Notice | ClaimStatus::AwaitingPanel => {
				// The draw window: one review period from the seed block.
				let deadline = claim.seed_block.saturating_add(claim.review_period);
				ensure!(now >= deadline, Error::<T>::ReviewNotOver);
				ensure!(
					Self::candidates(&claim).len() < Self::panel_size(&claim) as usize,
					Error::<T>::PanelCanBeDrawn
				);
				// No panel can review the claim: closed undecided, final, deposits returned.
				let outcome = Outcome::Undecided;
				claim.outcome = Some(outcome);
				claim.level = ReviewLevel::Appeal;
				claim.decided_at = now;
				claim.status = ClaimStatus::Decided;
				claim.panel = BoundedVec::new();
				Claims::<T>::insert(claim_id, claim);
				Self::deposit_event(Event::ClaimDecided {
					claim_id,
					level: ReviewLevel::Appeal,
					outcome,
				});
			},
			_ => return Err(Error::<T>::ClaimNotInReview.into()),
		}
		Ok(())
	}

	/// What the revealed votes of `claim` decide: `None` without quorum (more than half the
	/// panel revealing) or without a majority of the revealed votes.
	pub(crate) fn decide(claim: &ClaimOf<T>) -> Option<OutcomeOf<T>> {
		let votes: Vec<&VoteOf<T>> = claim.panel.iter().filter_map(|s| s.vote.as_ref()).collect();
		let revealed = votes.len();
		if revealed.saturating_mul(2) <= claim.panel.len() {
			return None;
		}
		let mut approved: Vec<BalanceOf<T>> = votes
			.iter()
			.filter_map(|v| match v {
				Vote::Approve => Some(claim.amount),
				Vote::ApprovePartial(partial) => Some(*partial),
				Vote::Deny => None,
			})
			.collect();
		let denials = revealed.saturating_sub(approved.len());
		if approved.len().saturating_mul(2) > revealed {
			approved.sort();
			// The lower median: exact, and never above what a majority approved.
			let middle = approved.len().saturating_sub(1).checked_div(2).unwrap_or_default();
			approved.get(middle).map(|amount| Outcome::Approved(*amount))
		} else if denials.saturating_mul(2) > revealed {
			Some(Outcome::Denied)
		} else {
			None
		}
	}

	/// End the panel's read access to the evidence of `claim`: its review is over.
	pub(crate) fn end_panel_access(claim_id: ClaimId, claim: &ClaimOf<T>) {
		for seat in claim.panel.iter() {
			T::EvidenceRecords::end_review_access(&claim.claimant, &seat.reviewer, claim_id);
		}
	}

	/// Decide `claim` or escalate it, ending the panel's read access; writes the claim.
	pub(crate) fn tally(claim_id: ClaimId, mut claim: ClaimOf<T>) {
		Self::end_panel_access(claim_id, &claim);
		let now = Self::now();
		let level = claim.level;
		let max_draws = T::MaxEscalations::get().saturating_add(2);
		let outcome = match Self::decide(&claim) {
			Some(outcome) => Some(outcome),
			None if level == ReviewLevel::Appeal && claim.draws >= max_draws => {
				Some(Outcome::Undecided)
			},
			None => None,
		};
		match outcome {
			Some(outcome) => {
				claim.outcome = Some(outcome);
				claim.decided_at = now;
				claim.status = ClaimStatus::Decided;
				Claims::<T>::insert(claim_id, claim);
				Self::deposit_event(Event::ClaimDecided { claim_id, level, outcome });
			},
			None => {
				let seed_block = now.saturating_add(1u32.into());
				claim.level = ReviewLevel::Appeal;
				claim.status = ClaimStatus::AwaitingPanel;
				claim.seed_block = seed_block;
				claim.panel = BoundedVec::new();
				Claims::<T>::insert(claim_id, claim);
				Self::deposit_event(Event::ReviewEscalated { claim_id, seed_block });
			},
		}
	}
}
