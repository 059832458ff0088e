//! Guardians: M-of-N guardian sets and the proposals they approve.

use crate::{common::decrement, *};
use frame_support::{
	ensure,
	traits::{Defensive, Get},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Hash, Saturating},
	DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_guardians(
		patient: T::AccountId,
		guardians: GuardianListOf<T>,
		threshold: u32,
	) -> DispatchResult {
		let len = guardians.len();
		ensure!(threshold > 0 && threshold as usize <= len, Error::<T>::InvalidThreshold);
		ensure!(!guardians.contains(&patient), Error::<T>::CannotTargetSelf);
		let mut sorted = guardians.into_inner();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == len, Error::<T>::DuplicateGuardian);
		let guardians = GuardianListOf::<T>::truncate_from(sorted);
		let deposit = match Guardians::<T>::get(&patient) {
			Some(old) => old.deposit,
			None => {
				let deposit = T::GuardianDeposit::get();
				Self::hold(HoldReason::GuardianDeposit, &patient, deposit)?;
				deposit
			},
		};
		Guardians::<T>::insert(
			&patient,
			GuardianSet { guardians: guardians.clone(), threshold, deposit },
		);
		Self::deposit_event(Event::GuardiansSet { patient, guardians, threshold });
		Ok(())
	}

	pub(crate) fn do_remove_guardians(patient: T::AccountId) -> DispatchResult {
		let set = Guardians::<T>::get(&patient).ok_or(Error::<T>::GuardiansNotFound)?;
		ensure!(ProposalCount::<T>::get(&patient) == 0, Error::<T>::ProposalsPending);
		Guardians::<T>::remove(&patient);
		Self::release(HoldReason::GuardianDeposit, &patient, set.deposit);
		Self::deposit_event(Event::GuardiansRemoved { patient });
		Ok(())
	}

	pub(crate) fn do_guardian_approve(
		guardian: T::AccountId,
		patient: T::AccountId,
		action: GuardianActionOf<T>,
	) -> DispatchResult {
		let set = Guardians::<T>::get(&patient).ok_or(Error::<T>::GuardiansNotFound)?;
		ensure!(set.guardians.contains(&guardian), Error::<T>::NotAuthorized);
		let now = Self::now();
		Self::ensure_valid_action(&patient, &action, &now)?;
		let proposal_id = T::Hashing::hash_of(&action);
		// Approvals older than the TTL no longer count: a stale proposal is replaced by a
		// fresh one with this approval only.
		let (existing, stale) = match GuardianProposals::<T>::get(&patient, proposal_id) {
			Some(old) if Self::proposal_expired(&old, &now) => (None, Some(old)),
			other => (other, None),
		};
		let is_new = existing.is_none();
		let mut proposal = match existing {
			Some(proposal) => {
				ensure!(!proposal.approvals.contains(&guardian), Error::<T>::AlreadyApproved);
				proposal
			},
			None => GuardianProposal {
				action,
				proposer: guardian.clone(),
				approvals: BoundedVec::new(),
				deposit: T::ProposalDeposit::get(),
				created_at: now,
			},
		};
		// Only current guardians count. They are distinct and `guardian` is one of them not yet
		// counted, so there is room for it.
		proposal.approvals.retain(|approver| set.guardians.contains(approver));
		proposal
			.approvals
			.try_push(guardian.clone())
			.map_err(|_| Error::<T>::AlreadyApproved)
			.defensive_proof(
				"approvals are distinct current guardians, at most MaxGuardians; qed",
			)?;
		let approvals = proposal.approvals.len() as u32;

		if approvals >= set.threshold {
			Self::execute_guardian_action(&guardian, &patient, proposal.action.clone())?;
			if !is_new {
				Self::remove_proposal(&patient, &proposal_id, &proposal);
			}
			if let Some(stale) = stale {
				Self::remove_proposal(&patient, &proposal_id, &stale);
			}
			Self::deposit_event(Event::GuardianActionExecuted {
				patient,
				proposal: proposal_id,
				approvals,
			});
		} else {
			if is_new {
				let count = ProposalCount::<T>::get(&patient);
				// A stale proposal's slot is reused.
				let taken = count.saturating_sub(u32::from(stale.is_some()));
				ensure!(taken < T::MaxGuardianProposals::get(), Error::<T>::TooManyProposals);
				Self::hold(HoldReason::ProposalDeposit, &guardian, proposal.deposit)?;
				if let Some(stale) = stale {
					Self::remove_proposal(&patient, &proposal_id, &stale);
				}
				ProposalCount::<T>::mutate(&patient, |n| *n = n.saturating_add(1));
			}
			GuardianProposals::<T>::insert(&patient, proposal_id, proposal);
			Self::deposit_event(Event::GuardianApproved {
				patient,
				guardian,
				proposal: proposal_id,
				approvals,
			});
		}
		Ok(())
	}

	/// Whether `proposal`'s approvals no longer count at `now`.
	pub(crate) fn proposal_expired(
		proposal: &GuardianProposalOf<T>,
		now: &BlockNumberFor<T>,
	) -> bool {
		*now >= proposal.created_at.saturating_add(T::GuardianProposalTtl::get())
	}

	/// The action could be executed now (checked again when it executes).
	fn ensure_valid_action(
		patient: &T::AccountId,
		action: &GuardianActionOf<T>,
		now: &BlockNumberFor<T>,
	) -> DispatchResult {
		match action {
			GuardianAction::Grant {
				grantee,
				scope,
				actions,
				not_before,
				expires_at,
				max_reads,
				..
			} => {
				Self::ensure_valid_grant(
					patient, grantee, scope, actions, not_before, expires_at, *max_reads, now,
				)?;
				Self::ensure_can_receive_keys(grantee, actions)
			},
			GuardianAction::Revoke { grantee } => {
				ensure!(Grants::<T>::contains_key(patient, grantee), Error::<T>::GrantNotFound);
				Ok(())
			},
		}
	}

	fn execute_guardian_action(
		guardian: &T::AccountId,
		patient: &T::AccountId,
		action: GuardianActionOf<T>,
	) -> DispatchResult {
		match action {
			GuardianAction::Grant {
				grantee,
				scope,
				actions,
				purpose,
				not_before,
				expires_at,
				max_reads,
			} => Self::do_grant_access(
				guardian.clone(),
				patient.clone(),
				grantee,
				scope,
				actions,
				purpose,
				not_before,
				expires_at,
				max_reads,
			),
			GuardianAction::Revoke { grantee } => {
				Self::do_revoke_access(guardian.clone(), patient.clone(), grantee)
			},
		}
	}

	pub(crate) fn do_guardian_cancel(
		who: T::AccountId,
		patient: T::AccountId,
		proposal_id: T::Hash,
	) -> DispatchResult {
		let proposal = GuardianProposals::<T>::get(&patient, proposal_id)
			.ok_or(Error::<T>::ProposalNotFound)?;
		ensure!(who == proposal.proposer || who == patient, Error::<T>::NotAuthorized);
		Self::remove_proposal(&patient, &proposal_id, &proposal);
		Self::deposit_event(Event::GuardianProposalCancelled {
			patient,
			proposal: proposal_id,
			cancelled_by: who,
		});
		Ok(())
	}

	pub(crate) fn remove_proposal(
		patient: &T::AccountId,
		proposal_id: &T::Hash,
		proposal: &GuardianProposalOf<T>,
	) {
		GuardianProposals::<T>::remove(patient, proposal_id);
		ProposalCount::<T>::mutate_exists(patient, decrement);
		Self::release(HoldReason::ProposalDeposit, &proposal.proposer, proposal.deposit);
	}
}
