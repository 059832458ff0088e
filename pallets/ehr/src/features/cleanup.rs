//! Cleanup: removing dead grants, expired requests and expired guardian proposals, releasing
//! their deposits.

use crate::*;
use alloc::collections::btree_set::BTreeSet;
use frame_support::{ensure, BoundedVec};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_cleanup_expired(
		targets: BoundedVec<CleanupTarget<T::AccountId, T::Hash>, T::MaxCleanupBatch>,
	) -> DispatchResult {
		let now = Self::now();
		let mut seen = BTreeSet::new();
		for target in targets.iter() {
			ensure!(seen.insert(target), Error::<T>::DuplicateTarget);
			match target {
				CleanupTarget::Grant { patient, grantee } => {
					let grant =
						Grants::<T>::get(patient, grantee).ok_or(Error::<T>::GrantNotFound)?;
					ensure!(grant.is_dead(&now), Error::<T>::NotExpired);
				},
				CleanupTarget::Request { patient, requester } => {
					let request = Requests::<T>::get(patient, requester)
						.ok_or(Error::<T>::RequestNotFound)?;
					ensure!(now >= request.expires_at, Error::<T>::NotExpired);
				},
				CleanupTarget::Proposal { patient, proposal } => {
					let stored = GuardianProposals::<T>::get(patient, proposal)
						.ok_or(Error::<T>::ProposalNotFound)?;
					ensure!(Self::proposal_expired(&stored, &now), Error::<T>::NotExpired);
				},
			}
		}
		for target in targets {
			match target {
				CleanupTarget::Grant { patient, grantee } => {
					if let Some(grant) = Grants::<T>::get(&patient, &grantee) {
						Self::remove_grant(&patient, &grantee, &grant);
						Self::deposit_event(Event::ExpiredGrantRemoved { patient, grantee });
					}
				},
				CleanupTarget::Request { patient, requester } => {
					if let Some(request) = Requests::<T>::get(&patient, &requester) {
						Self::remove_request(&patient, &requester, &request);
						Self::deposit_event(Event::ExpiredRequestRemoved { patient, requester });
					}
				},
				CleanupTarget::Proposal { patient, proposal } => {
					if let Some(stored) = GuardianProposals::<T>::get(&patient, proposal) {
						Self::remove_proposal(&patient, &proposal, &stored);
						Self::deposit_event(Event::ExpiredProposalRemoved { patient, proposal });
					}
				},
			}
		}
		Ok(())
	}
}
