//! The logic behind the calls, by area. Each `do_*` checks everything before it writes.

use crate::*;
use alloc::collections::btree_set::BTreeSet;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Defensive, Get,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedAdd, Hash, Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult,
};

/// Decrement a per-patient counter, removing it at zero.
fn decrement(count: &mut Option<u32>) {
	let left = count.unwrap_or_default().saturating_sub(1);
	*count = (left > 0).then_some(left);
}

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Hold `amount` of `who` for `reason`.
	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
	}

	/// Release `amount` held from `who` for `reason`.
	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort)
			.defensive_proof("the pallet releases only what it held and recorded; qed");
	}

	// ----- Providers -----

	pub(crate) fn do_register_provider(
		provider: T::AccountId,
		kind: ProviderKind,
		credential: CredentialOf<T>,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&provider), Error::<T>::ProviderAlreadyExists);
		Providers::<T>::insert(
			&provider,
			ProviderInfo {
				kind,
				credential,
				status: ProviderStatus::Active,
				registered_at: Self::now(),
			},
		);
		Self::deposit_event(Event::ProviderRegistered { provider, kind });
		Ok(())
	}

	pub(crate) fn do_set_provider_status(
		provider: T::AccountId,
		status: ProviderStatus,
	) -> DispatchResult {
		let mut info = Providers::<T>::get(&provider).ok_or(Error::<T>::ProviderNotFound)?;
		match status {
			ProviderStatus::Suspended => {
				ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderSuspended)
			},
			ProviderStatus::Active => {
				ensure!(info.status == ProviderStatus::Suspended, Error::<T>::ProviderNotSuspended)
			},
		}
		info.status = status;
		Providers::<T>::insert(&provider, info);
		Self::deposit_event(match status {
			ProviderStatus::Suspended => Event::ProviderSuspended { provider },
			ProviderStatus::Active => Event::ProviderResumed { provider },
		});
		Ok(())
	}

	pub(crate) fn do_deregister_provider(provider: T::AccountId) -> DispatchResult {
		ensure!(Providers::<T>::contains_key(&provider), Error::<T>::ProviderNotFound);
		Providers::<T>::remove(&provider);
		Self::deposit_event(Event::ProviderDeregistered { provider });
		Ok(())
	}

	/// `who` is a registered provider and not suspended.
	pub(crate) fn ensure_active_provider(who: &T::AccountId) -> DispatchResult {
		let info = Providers::<T>::get(who).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderSuspended);
		Ok(())
	}

	// ----- Records -----

	pub(crate) fn do_add_record(
		issuer: T::AccountId,
		patient: T::AccountId,
		type_code: TypeCodeOf<T>,
		commitment: H256,
		locator: LocatorOf<T>,
		size: u64,
	) -> Result<RecordId, DispatchError> {
		ensure!(!type_code.is_empty(), Error::<T>::InvalidTypeCode);
		Self::ensure_pointer(&commitment, &locator)?;
		if issuer != patient {
			Self::ensure_can_append(&issuer, &patient, |scope| scope.covers_type(&type_code))?;
		}
		let record_id = Self::insert_record(
			issuer.clone(),
			patient.clone(),
			type_code.clone(),
			commitment,
			locator,
			size,
			1,
			None,
		)?;
		Self::deposit_event(Event::RecordAdded { record_id, patient, issuer, type_code });
		Ok(record_id)
	}

	pub(crate) fn do_amend_record(
		issuer: T::AccountId,
		record_id: RecordId,
		commitment: H256,
		locator: LocatorOf<T>,
		size: u64,
	) -> Result<RecordId, DispatchError> {
		let mut old = Records::<T>::get(record_id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(old.status == RecordStatus::Active, Error::<T>::RecordNotActive);
		Self::ensure_pointer(&commitment, &locator)?;
		if issuer != old.patient {
			Self::ensure_can_append(&issuer, &old.patient, |scope| {
				scope.covers_record(record_id, &old.type_code)
			})?;
		}
		let version = old.version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let patient = old.patient.clone();
		let new_id = Self::insert_record(
			issuer.clone(),
			patient.clone(),
			old.type_code.clone(),
			commitment,
			locator,
			size,
			version,
			Some(record_id),
		)?;
		old.status = RecordStatus::Amended;
		Records::<T>::insert(record_id, old);
		Self::deposit_event(Event::RecordAmended {
			record_id: new_id,
			supersedes: record_id,
			patient,
			issuer,
			version,
		});
		Ok(new_id)
	}

	pub(crate) fn do_erase_record(patient: T::AccountId, record_id: RecordId) -> DispatchResult {
		let mut record = Records::<T>::get(record_id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(record.patient == patient, Error::<T>::NotAuthorized);
		ensure!(record.status != RecordStatus::Erased, Error::<T>::RecordErased);
		Self::release(HoldReason::RecordDeposit, &record.depositor, record.deposit);
		record.commitment = H256::zero();
		record.locator = BoundedVec::new();
		record.size = 0;
		record.status = RecordStatus::Erased;
		record.deposit = Zero::zero();
		Records::<T>::insert(record_id, record);
		Self::deposit_event(Event::RecordErased { record_id, patient });
		Ok(())
	}

	/// A pointer is a non-zero commitment and a non-empty locator.
	fn ensure_pointer(commitment: &H256, locator: &LocatorOf<T>) -> DispatchResult {
		ensure!(!commitment.is_zero(), Error::<T>::InvalidCommitment);
		ensure!(!locator.is_empty(), Error::<T>::InvalidLocator);
		Ok(())
	}

	/// Check the patient's record cap and hold the deposit, then store a new record version.
	fn insert_record(
		issuer: T::AccountId,
		patient: T::AccountId,
		type_code: TypeCodeOf<T>,
		commitment: H256,
		locator: LocatorOf<T>,
		size: u64,
		version: u32,
		supersedes: Option<RecordId>,
	) -> Result<RecordId, DispatchError> {
		let record_id = NextRecordId::<T>::get();
		let next_id = record_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut ids = PatientRecords::<T>::get(&patient);
		ids.try_push(record_id).map_err(|_| Error::<T>::TooManyRecords)?;
		let deposit = T::RecordDeposit::get();
		Self::hold(HoldReason::RecordDeposit, &issuer, deposit)?;

		PatientRecords::<T>::insert(&patient, ids);
		NextRecordId::<T>::put(next_id);
		Records::<T>::insert(
			record_id,
			Record {
				patient,
				issuer: issuer.clone(),
				type_code,
				commitment,
				locator,
				size,
				version,
				supersedes,
				status: RecordStatus::Active,
				created_at: Self::now(),
				depositor: issuer,
				deposit,
			},
		);
		Ok(record_id)
	}

	// ----- Access checks -----

	/// `provider` is active and holds a live append grant of `patient` whose scope `covers`.
	pub(crate) fn ensure_can_append(
		provider: &T::AccountId,
		patient: &T::AccountId,
		covers: impl FnOnce(&GrantScopeOf<T>) -> bool,
	) -> DispatchResult {
		Self::ensure_active_provider(provider)?;
		let grant = Grants::<T>::get(patient, provider).ok_or(Error::<T>::NotAuthorized)?;
		Self::ensure_in_period(&grant, &Self::now())?;
		ensure!(grant.actions.append && covers(&grant.scope), Error::<T>::NotAuthorized);
		Ok(())
	}

	/// `not_before <= now < expires_at`.
	fn ensure_in_period(grant: &GrantOf<T>, now: &BlockNumberFor<T>) -> DispatchResult {
		ensure!(*now >= grant.not_before, Error::<T>::NotYetValid);
		ensure!(*now < grant.expires_at, Error::<T>::Expired);
		Ok(())
	}

	/// On what basis `accessor` may read `record` now (for `purpose`, if given), or why not.
	pub(crate) fn read_basis(
		accessor: &T::AccountId,
		record_id: RecordId,
		record: &RecordOf<T>,
		purpose: Option<PurposeOfUse>,
		now: &BlockNumberFor<T>,
	) -> Result<AccessBasis, DispatchError> {
		ensure!(record.status != RecordStatus::Erased, Error::<T>::RecordErased);
		if *accessor == record.patient {
			return Ok(AccessBasis::Owner);
		}
		Self::ensure_active_provider(accessor)?;
		match Self::ensure_grant_reads(accessor, record_id, record, purpose, now) {
			Ok(()) => Ok(AccessBasis::Grant),
			Err(_) if Self::break_glass_live(&record.patient, accessor, now) => {
				Ok(AccessBasis::BreakGlass)
			},
			Err(e) => Err(e),
		}
	}

	/// `accessor` holds a live read grant covering `record` (for `purpose`) with reads left.
	fn ensure_grant_reads(
		accessor: &T::AccountId,
		record_id: RecordId,
		record: &RecordOf<T>,
		purpose: Option<PurposeOfUse>,
		now: &BlockNumberFor<T>,
	) -> DispatchResult {
		let grant = Grants::<T>::get(&record.patient, accessor).ok_or(Error::<T>::NotAuthorized)?;
		Self::ensure_in_period(&grant, now)?;
		ensure!(
			grant.actions.read && grant.scope.covers_record(record_id, &record.type_code),
			Error::<T>::NotAuthorized
		);
		if let Some(purpose) = purpose {
			ensure!(purpose == grant.purpose, Error::<T>::PurposeMismatch);
		}
		ensure!(grant.reads_left != Some(0), Error::<T>::ReadLimitReached);
		Ok(())
	}

	/// `provider` has an unreviewed break-glass access to `patient` that still reads.
	fn break_glass_live(
		patient: &T::AccountId,
		provider: &T::AccountId,
		now: &BlockNumberFor<T>,
	) -> bool {
		BreakGlasses::<T>::get(patient, provider).is_some_and(|access| *now < access.expires_at)
	}

	// ----- Access log -----

	pub(crate) fn do_log_access(
		accessor: T::AccountId,
		patient: T::AccountId,
		record_id: RecordId,
		purpose: PurposeOfUse,
	) -> DispatchResult {
		let record = Records::<T>::get(record_id).ok_or(Error::<T>::RecordNotFound)?;
		ensure!(record.patient == patient, Error::<T>::RecordNotFound);
		let now = Self::now();
		let basis = Self::read_basis(&accessor, record_id, &record, Some(purpose), &now)?;
		let (index, next) = Self::next_log_index(&patient)?;

		if basis == AccessBasis::Grant {
			if let Some(mut grant) = Grants::<T>::get(&patient, &accessor) {
				if let Some(reads) = grant.reads_left.as_mut() {
					*reads = reads.saturating_sub(1);
					Grants::<T>::insert(&patient, &accessor, grant);
				}
			}
		}
		Self::write_log(
			&patient,
			next,
			AccessEntry {
				index,
				accessor: accessor.clone(),
				record_id: Some(record_id),
				purpose,
				basis,
				at: now,
			},
		);
		Self::deposit_event(Event::AccessLogged {
			patient,
			accessor,
			record_id,
			purpose,
			basis,
			index,
		});
		Ok(())
	}

	/// The index the next log entry of `patient` gets, and the one after.
	fn next_log_index(patient: &T::AccountId) -> Result<(u32, u32), DispatchError> {
		let index = AccessLogNext::<T>::get(patient);
		let next = index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Ok((index, next))
	}

	/// Store `entry` in its ring slot, overwriting the oldest entry when the ring is full.
	fn write_log(patient: &T::AccountId, next: u32, entry: AccessEntryOf<T>) {
		let slot = entry.index.checked_rem(T::MaxAccessLogLen::get()).unwrap_or_default();
		AccessLog::<T>::insert(patient, slot, entry);
		AccessLogNext::<T>::insert(patient, next);
	}

	// ----- Grants -----

	pub(crate) fn do_grant_access(
		granted_by: T::AccountId,
		patient: T::AccountId,
		grantee: T::AccountId,
		scope: GrantScopeOf<T>,
		actions: AccessActions,
		purpose: PurposeOfUse,
		not_before: BlockNumberFor<T>,
		expires_at: BlockNumberFor<T>,
		max_reads: Option<u32>,
	) -> DispatchResult {
		let now = Self::now();
		Self::ensure_valid_grant(
			&patient,
			&grantee,
			&scope,
			&actions,
			&not_before,
			&expires_at,
			max_reads,
			&now,
		)?;
		let deposit = T::GrantDeposit::get();
		match Grants::<T>::get(&patient, &grantee) {
			None => {
				let count = GrantCount::<T>::get(&patient);
				ensure!(count < T::MaxGrantsPerPatient::get(), Error::<T>::TooManyGrants);
				Self::hold(HoldReason::GrantDeposit, &granted_by, deposit)?;
				GrantCount::<T>::insert(&patient, count.saturating_add(1));
			},
			Some(old) if old.granted_by == granted_by => {
				if deposit > old.deposit {
					Self::hold(
						HoldReason::GrantDeposit,
						&granted_by,
						deposit.saturating_sub(old.deposit),
					)?;
				} else if deposit < old.deposit {
					Self::release(
						HoldReason::GrantDeposit,
						&granted_by,
						old.deposit.saturating_sub(deposit),
					);
				}
			},
			Some(old) => {
				Self::hold(HoldReason::GrantDeposit, &granted_by, deposit)?;
				Self::release(HoldReason::GrantDeposit, &old.granted_by, old.deposit);
			},
		}
		Grants::<T>::insert(
			&patient,
			&grantee,
			Grant {
				scope,
				actions,
				purpose,
				not_before,
				expires_at,
				reads_left: max_reads,
				granted_by: granted_by.clone(),
				granted_at: now,
				deposit,
			},
		);
		Self::deposit_event(Event::AccessGranted {
			patient,
			grantee,
			purpose,
			not_before,
			expires_at,
			granted_by,
		});
		Ok(())
	}

	/// The terms of a grant are acceptable.
	fn ensure_valid_grant(
		patient: &T::AccountId,
		grantee: &T::AccountId,
		scope: &GrantScopeOf<T>,
		actions: &AccessActions,
		not_before: &BlockNumberFor<T>,
		expires_at: &BlockNumberFor<T>,
		max_reads: Option<u32>,
		now: &BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(patient != grantee, Error::<T>::CannotTargetSelf);
		Self::ensure_active_provider(grantee)?;
		ensure!(!actions.is_empty(), Error::<T>::InvalidActions);
		ensure!(!scope.is_empty(), Error::<T>::EmptyScope);
		ensure!(not_before < expires_at, Error::<T>::InvalidPeriod);
		ensure!(expires_at > now, Error::<T>::Expired);
		ensure!(max_reads != Some(0), Error::<T>::InvalidReadLimit);
		Ok(())
	}

	pub(crate) fn do_revoke_access(
		revoked_by: T::AccountId,
		patient: T::AccountId,
		grantee: T::AccountId,
	) -> DispatchResult {
		let grant = Grants::<T>::get(&patient, &grantee).ok_or(Error::<T>::GrantNotFound)?;
		Self::remove_grant(&patient, &grantee, &grant);
		Self::deposit_event(Event::AccessRevoked { patient, grantee, revoked_by });
		Ok(())
	}

	fn remove_grant(patient: &T::AccountId, grantee: &T::AccountId, grant: &GrantOf<T>) {
		Grants::<T>::remove(patient, grantee);
		GrantCount::<T>::mutate_exists(patient, decrement);
		Self::release(HoldReason::GrantDeposit, &grant.granted_by, grant.deposit);
	}

	// ----- Requests -----

	pub(crate) fn do_request_access(
		requester: T::AccountId,
		patient: T::AccountId,
		scope: GrantScopeOf<T>,
		actions: AccessActions,
		purpose: PurposeOfUse,
		duration: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(requester != patient, Error::<T>::CannotTargetSelf);
		Self::ensure_active_provider(&requester)?;
		ensure!(!actions.is_empty(), Error::<T>::InvalidActions);
		ensure!(!scope.is_empty(), Error::<T>::EmptyScope);
		ensure!(!duration.is_zero(), Error::<T>::InvalidPeriod);
		let expires_at = Self::now().saturating_add(T::RequestTtl::get());
		let deposit = match Requests::<T>::get(&patient, &requester) {
			Some(old) => old.deposit,
			None => {
				let count = RequestCount::<T>::get(&patient);
				ensure!(count < T::MaxPendingRequests::get(), Error::<T>::TooManyRequests);
				let deposit = T::RequestDeposit::get();
				Self::hold(HoldReason::RequestDeposit, &requester, deposit)?;
				RequestCount::<T>::insert(&patient, count.saturating_add(1));
				deposit
			},
		};
		Requests::<T>::insert(
			&patient,
			&requester,
			AccessRequest { scope, actions, purpose, duration, expires_at, deposit },
		);
		Self::deposit_event(Event::AccessRequested { patient, requester, purpose, expires_at });
		Ok(())
	}

	pub(crate) fn do_respond_request(
		patient: T::AccountId,
		requester: T::AccountId,
		approve: bool,
	) -> DispatchResult {
		let request =
			Requests::<T>::get(&patient, &requester).ok_or(Error::<T>::RequestNotFound)?;
		if approve {
			let now = Self::now();
			ensure!(now < request.expires_at, Error::<T>::Expired);
			let expires_at = now.checked_add(&request.duration).ok_or(ArithmeticError::Overflow)?;
			Self::do_grant_access(
				patient.clone(),
				patient.clone(),
				requester.clone(),
				request.scope.clone(),
				request.actions,
				request.purpose,
				now,
				expires_at,
				None,
			)?;
			Self::remove_request(&patient, &requester, &request);
			Self::deposit_event(Event::RequestApproved { patient, requester });
		} else {
			Self::remove_request(&patient, &requester, &request);
			Self::deposit_event(Event::RequestDenied { patient, requester });
		}
		Ok(())
	}

	pub(crate) fn do_cancel_request(
		requester: T::AccountId,
		patient: T::AccountId,
	) -> DispatchResult {
		let request =
			Requests::<T>::get(&patient, &requester).ok_or(Error::<T>::RequestNotFound)?;
		Self::remove_request(&patient, &requester, &request);
		Self::deposit_event(Event::RequestCancelled { patient, requester });
		Ok(())
	}

	fn remove_request(
		patient: &T::AccountId,
		requester: &T::AccountId,
		request: &AccessRequestOf<T>,
	) {
		Requests::<T>::remove(patient, requester);
		RequestCount::<T>::mutate_exists(patient, decrement);
		Self::release(HoldReason::RequestDeposit, requester, request.deposit);
	}

	// ----- Break-glass -----

	pub(crate) fn do_break_glass(
		provider: T::AccountId,
		patient: T::AccountId,
		reason_commitment: H256,
	) -> DispatchResult {
		ensure!(provider != patient, Error::<T>::CannotTargetSelf);
		Self::ensure_active_provider(&provider)?;
		ensure!(!reason_commitment.is_zero(), Error::<T>::InvalidCommitment);
		ensure!(
			!BreakGlasses::<T>::contains_key(&patient, &provider),
			Error::<T>::BreakGlassAlreadyExists
		);
		let now = Self::now();
		let expires_at = now.saturating_add(T::BreakGlassDuration::get());
		let (index, next) = Self::next_log_index(&patient)?;
		let deposit = T::BreakGlassDeposit::get();
		Self::hold(HoldReason::BreakGlassDeposit, &provider, deposit)?;

		BreakGlasses::<T>::insert(
			&patient,
			&provider,
			BreakGlass { reason_commitment, opened_at: now, expires_at, deposit },
		);
		PendingReviews::<T>::mutate(|n| *n = n.saturating_add(1));
		Self::write_log(
			&patient,
			next,
			AccessEntry {
				index,
				accessor: provider.clone(),
				record_id: None,
				purpose: PurposeOfUse::Emergency,
				basis: AccessBasis::BreakGlass,
				at: now,
			},
		);
		Self::deposit_event(Event::BreakGlassOpened { patient, provider, expires_at });
		Ok(())
	}

	pub(crate) fn do_review_break_glass(
		patient: T::AccountId,
		provider: T::AccountId,
		verdict: BreakGlassVerdict,
	) -> DispatchResult {
		let access =
			BreakGlasses::<T>::get(&patient, &provider).ok_or(Error::<T>::BreakGlassNotFound)?;
		let reason = HoldReason::BreakGlassDeposit.into();
		let amount = match verdict {
			BreakGlassVerdict::Justified => {
				T::Currency::release(&reason, &provider, access.deposit, Precision::BestEffort)?
			},
			BreakGlassVerdict::Unjustified => T::Currency::transfer_on_hold(
				&reason,
				&provider,
				&patient,
				access.deposit,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?,
		};
		BreakGlasses::<T>::remove(&patient, &provider);
		PendingReviews::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::BreakGlassReviewed { patient, provider, verdict, amount });
		Ok(())
	}

	// ----- Guardians -----

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
		let existing = GuardianProposals::<T>::get(&patient, proposal_id);
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
			Self::deposit_event(Event::GuardianActionExecuted {
				patient,
				proposal: proposal_id,
				approvals,
			});
		} else {
			if is_new {
				let count = ProposalCount::<T>::get(&patient);
				ensure!(count < T::MaxGuardianProposals::get(), Error::<T>::TooManyProposals);
				Self::hold(HoldReason::ProposalDeposit, &guardian, proposal.deposit)?;
				ProposalCount::<T>::insert(&patient, count.saturating_add(1));
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
			} => Self::ensure_valid_grant(
				patient, grantee, scope, actions, not_before, expires_at, *max_reads, now,
			),
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

	fn remove_proposal(
		patient: &T::AccountId,
		proposal_id: &T::Hash,
		proposal: &GuardianProposalOf<T>,
	) {
		GuardianProposals::<T>::remove(patient, proposal_id);
		ProposalCount::<T>::mutate_exists(patient, decrement);
		Self::release(HoldReason::ProposalDeposit, &proposal.proposer, proposal.deposit);
	}

	// ----- Cleanup -----

	pub(crate) fn do_cleanup_expired(
		targets: BoundedVec<CleanupTarget<T::AccountId>, T::MaxCleanupBatch>,
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
			}
		}
		Ok(())
	}
}

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Check the pallet's invariants:
	///
	/// - every record is listed under its patient and every listed id is a record of that patient;
	///   ids are below [`NextRecordId`]; an amendment's predecessor is the same patient's and not
	///   active; erased records keep no data and no deposit;
	/// - [`GrantCount`], [`RequestCount`], [`ProposalCount`] equal the sizes of their maps and
	///   respect their caps; [`PendingReviews`] equals the size of [`BreakGlasses`];
	/// - each patient's access log holds `min(next, MaxAccessLogLen)` entries in their slots;
	/// - guardian sets are sorted, distinct, exclude the patient, with a threshold in range;
	///   proposals exist only for patients with guardians;
	/// - every account's held deposit per [`HoldReason`] equals the sum of its items' deposits.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		type Sums<T> = BTreeMap<AccountIdOf<T>, BalanceOf<T>>;
		fn add<T: Config>(sums: &mut Sums<T>, who: &AccountIdOf<T>, amount: BalanceOf<T>) {
			let sum = sums.entry(who.clone()).or_default();
			*sum = sum.saturating_add(amount);
		}
		fn count<T: Config>(counts: &mut BTreeMap<AccountIdOf<T>, u32>, who: &AccountIdOf<T>) {
			let n = counts.entry(who.clone()).or_default();
			*n = n.saturating_add(1);
		}
		fn ensure_counts<T: Config>(
			stored: impl Iterator<Item = (AccountIdOf<T>, u32)>,
			actual: &BTreeMap<AccountIdOf<T>, u32>,
			max: u32,
		) -> Result<(), sp_runtime::TryRuntimeError> {
			let stored: BTreeMap<_, _> = stored.collect();
			ensure!(stored == *actual, "a per-patient counter differs from its map");
			ensure!(actual.values().all(|n| *n <= max), "a per-patient cap is exceeded");
			Ok(())
		}

		// Records.
		let mut record_holds = Sums::<T>::new();
		let next_id = NextRecordId::<T>::get();
		let mut records: u64 = 0;
		for (id, record) in Records::<T>::iter() {
			records = records.saturating_add(1);
			ensure!(id < next_id, "a record id is not below NextRecordId");
			ensure!(
				PatientRecords::<T>::get(&record.patient).contains(&id),
				"a record is not listed under its patient"
			);
			if record.status == RecordStatus::Erased {
				ensure!(
					record.commitment.is_zero()
						&& record.locator.is_empty()
						&& record.size == 0
						&& record.deposit.is_zero(),
					"an erased record keeps data or a deposit"
				);
			} else {
				add::<T>(&mut record_holds, &record.depositor, record.deposit);
			}
			if let Some(old) = record.supersedes {
				let old = Records::<T>::get(old).ok_or("an amendment's predecessor is missing")?;
				ensure!(old.patient == record.patient, "an amendment changed patient");
				ensure!(old.status != RecordStatus::Active, "a superseded record is still active");
			}
		}
		let mut listed: u64 = 0;
		for (patient, ids) in PatientRecords::<T>::iter() {
			for id in ids.iter() {
				ensure!(
					Records::<T>::get(id).is_some_and(|r| r.patient == patient),
					"a listed record is missing or another patient's"
				);
			}
			listed = listed.saturating_add(ids.len() as u64);
		}
		ensure!(listed == records, "PatientRecords and Records differ in size");

		// Grants.
		let mut grant_holds = Sums::<T>::new();
		let mut grants = BTreeMap::new();
		for (patient, grantee, grant) in Grants::<T>::iter() {
			ensure!(patient != grantee, "a patient granted themselves");
			ensure!(grant.not_before < grant.expires_at, "a grant has an empty period");
			count::<T>(&mut grants, &patient);
			add::<T>(&mut grant_holds, &grant.granted_by, grant.deposit);
		}
		ensure_counts::<T>(GrantCount::<T>::iter(), &grants, T::MaxGrantsPerPatient::get())?;

		// Requests.
		let mut request_holds = Sums::<T>::new();
		let mut requests = BTreeMap::new();
		for (patient, requester, request) in Requests::<T>::iter() {
			ensure!(patient != requester, "a patient requested from themselves");
			ensure!(!request.duration.is_zero(), "a request has a zero duration");
			count::<T>(&mut requests, &patient);
			add::<T>(&mut request_holds, &requester, request.deposit);
		}
		ensure_counts::<T>(RequestCount::<T>::iter(), &requests, T::MaxPendingRequests::get())?;

		// Access log.
		let max_log = T::MaxAccessLogLen::get();
		let mut expected_entries: u64 = 0;
		for (patient, next) in AccessLogNext::<T>::iter() {
			expected_entries = expected_entries.saturating_add(u64::from(next.min(max_log)));
			for (slot, entry) in AccessLog::<T>::iter_prefix(&patient) {
				ensure!(entry.index < next, "an access log entry is ahead of its counter");
				ensure!(
					entry.index >= next.saturating_sub(max_log),
					"an overwritten access log entry survived"
				);
				ensure!(
					entry.index.checked_rem(max_log) == Some(slot),
					"an access log entry is in the wrong slot"
				);
			}
		}
		ensure!(
			AccessLog::<T>::iter().count() as u64 == expected_entries,
			"access log entries differ from their counters"
		);

		// Break-glass.
		let mut break_glass_holds = Sums::<T>::new();
		let mut pending: u32 = 0;
		for (patient, provider, access) in BreakGlasses::<T>::iter() {
			ensure!(patient != provider, "a provider broke glass on themselves");
			ensure!(access.opened_at < access.expires_at, "a break-glass has an empty period");
			pending = pending.saturating_add(1);
			add::<T>(&mut break_glass_holds, &provider, access.deposit);
		}
		ensure!(pending == PendingReviews::<T>::get(), "PendingReviews differs from BreakGlasses");

		// Guardians and proposals.
		let mut guardian_holds = Sums::<T>::new();
		for (patient, set) in Guardians::<T>::iter() {
			ensure!(
				set.guardians.windows(2).all(|w| matches!(w, [a, b] if a < b)),
				"guardians are not sorted and distinct"
			);
			ensure!(!set.guardians.contains(&patient), "a patient is their own guardian");
			ensure!(
				set.threshold > 0 && set.threshold as usize <= set.guardians.len(),
				"a guardian threshold is out of range"
			);
			add::<T>(&mut guardian_holds, &patient, set.deposit);
		}
		let mut proposal_holds = Sums::<T>::new();
		let mut proposals = BTreeMap::new();
		for (patient, id, proposal) in GuardianProposals::<T>::iter() {
			ensure!(Guardians::<T>::contains_key(&patient), "a proposal outlived its guardians");
			ensure!(T::Hashing::hash_of(&proposal.action) == id, "a proposal is under a wrong id");
			ensure!(!proposal.approvals.is_empty(), "a proposal has no approvals");
			count::<T>(&mut proposals, &patient);
			add::<T>(&mut proposal_holds, &proposal.proposer, proposal.deposit);
		}
		ensure_counts::<T>(ProposalCount::<T>::iter(), &proposals, T::MaxGuardianProposals::get())?;

		// Holds.
		for (reason, sums) in [
			(HoldReason::RecordDeposit, record_holds),
			(HoldReason::GrantDeposit, grant_holds),
			(HoldReason::RequestDeposit, request_holds),
			(HoldReason::BreakGlassDeposit, break_glass_holds),
			(HoldReason::GuardianDeposit, guardian_holds),
			(HoldReason::ProposalDeposit, proposal_holds),
		] {
			for (who, amount) in sums {
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), &who) == amount,
					"a held deposit differs from the sum of its items"
				);
			}
		}
		Ok(())
	}
}
