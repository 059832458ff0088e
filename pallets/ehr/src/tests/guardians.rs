use super::*;
use sp_runtime::traits::Hash;

fn guardians(list: &[u64]) -> GuardianListOf<Test> {
	frame_support::BoundedVec::try_from(list.to_vec()).unwrap()
}

fn set(list: &[u64], threshold: u32) -> DispatchResult {
	Ehr::set_guardians(RuntimeOrigin::signed(PATIENT), guardians(list), threshold)
}

fn grant_action(grantee: u64) -> GuardianActionOf<Test> {
	GuardianAction::Grant {
		grantee,
		scope: GrantScope::All,
		actions: AccessActions::READ,
		purpose: PurposeOfUse::Treatment,
		not_before: 1,
		expires_at: 100,
		max_reads: None,
	}
}

fn approve(guardian: u64, action: &GuardianActionOf<Test>) -> DispatchResult {
	Ehr::guardian_approve(RuntimeOrigin::signed(guardian), PATIENT, action.clone())
}

fn id(action: &GuardianActionOf<Test>) -> H256 {
	<Test as frame_system::Config>::Hashing::hash_of(action)
}

#[test]
fn patient_sets_sorted_guardians_holding_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[DAD, MUM], 2));
		let stored = Guardians::<Test>::get(PATIENT).unwrap();
		assert_eq!(stored.guardians, guardians(&[MUM, DAD]));
		assert_eq!(stored.threshold, 2);
		assert_eq!(held(HoldReason::GuardianDeposit, PATIENT), GUARDIAN_DEPOSIT);
		System::assert_last_event(ehr_event(Event::GuardiansSet {
			patient: PATIENT,
			guardians: guardians(&[MUM, DAD]),
			threshold: 2,
		}));

		// Replacing keeps the one deposit.
		assert_ok!(set(&[MUM, DAD, AUNT], 1));
		assert_eq!(Guardians::<Test>::get(PATIENT).unwrap().threshold, 1);
		assert_eq!(held(HoldReason::GuardianDeposit, PATIENT), GUARDIAN_DEPOSIT);
	});
}

#[test]
fn invalid_guardian_sets_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(set(&[MUM, DAD], 0), Error::<Test>::InvalidThreshold);
		assert_noop!(set(&[MUM, DAD], 3), Error::<Test>::InvalidThreshold);
		assert_noop!(set(&[], 1), Error::<Test>::InvalidThreshold);
		assert_noop!(set(&[MUM, PATIENT], 1), Error::<Test>::CannotTargetSelf);
		assert_noop!(set(&[MUM, DAD, MUM], 2), Error::<Test>::DuplicateGuardian);
		assert_noop!(
			Ehr::set_guardians(RuntimeOrigin::signed(PAUPER), guardians(&[MUM]), 1),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn two_of_two_guardians_grant_for_the_patient() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 2));
		let action = grant_action(DOCTOR);

		assert_ok!(approve(MUM, &action));
		System::assert_last_event(ehr_event(Event::GuardianApproved {
			patient: PATIENT,
			guardian: MUM,
			proposal: id(&action),
			approvals: 1,
		}));
		let proposal = GuardianProposals::<Test>::get(PATIENT, id(&action)).unwrap();
		assert_eq!(proposal.proposer, MUM);
		assert_eq!(proposal.approvals.into_inner(), vec![MUM]);
		assert_eq!(ProposalCount::<Test>::get(PATIENT), 1);
		assert_eq!(held(HoldReason::ProposalDeposit, MUM), PROPOSAL_DEPOSIT);
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_noop!(approve(MUM, &action), Error::<Test>::AlreadyApproved);

		assert_ok!(approve(DAD, &action));
		System::assert_has_event(ehr_event(Event::AccessGranted {
			patient: PATIENT,
			grantee: DOCTOR,
			granted_by: DAD,
		}));
		System::assert_last_event(ehr_event(Event::GuardianActionExecuted {
			patient: PATIENT,
			proposal: id(&action),
			approvals: 2,
		}));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).unwrap().granted_by, DAD);
		assert!(!GuardianProposals::<Test>::contains_key(PATIENT, id(&action)));
		assert!(!ProposalCount::<Test>::contains_key(PATIENT));
		assert_eq!(held(HoldReason::ProposalDeposit, MUM), 0);
		assert_eq!(held(HoldReason::GrantDeposit, DAD), GRANT_DEPOSIT);

		// Guardians revoke the same way.
		let revoke = GuardianAction::Revoke { grantee: DOCTOR };
		assert_ok!(approve(DAD, &revoke));
		assert_ok!(approve(MUM, &revoke));
		System::assert_has_event(ehr_event(Event::AccessRevoked {
			patient: PATIENT,
			grantee: DOCTOR,
			revoked_by: MUM,
		}));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(held(HoldReason::GrantDeposit, DAD), 0);
		assert_eq!(held(HoldReason::ProposalDeposit, DAD), 0);
	});
}

#[test]
fn threshold_of_one_executes_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 1));
		let action = grant_action(DOCTOR);
		assert_ok!(approve(DAD, &action));
		System::assert_last_event(ehr_event(Event::GuardianActionExecuted {
			patient: PATIENT,
			proposal: id(&action),
			approvals: 1,
		}));
		assert!(Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(GuardianProposals::<Test>::iter().count(), 0);
		assert_eq!(held(HoldReason::ProposalDeposit, DAD), 0);
	});
}

#[test]
fn guardian_approvals_are_checked() {
	ExtBuilder::default().build_and_execute(|| {
		let action = grant_action(DOCTOR);
		assert_noop!(approve(MUM, &action), Error::<Test>::GuardiansNotFound);
		assert_ok!(set(&[MUM, DAD], 2));
		assert_noop!(approve(AUNT, &action), Error::<Test>::NotAuthorized);
		assert_noop!(approve(MUM, &grant_action(STRANGER)), Error::<Test>::ProviderNotFound);
		MockKeys::revoke(ER_DOCTOR);
		assert_noop!(approve(MUM, &grant_action(ER_DOCTOR)), Error::<Test>::GranteeHasNoKey);
		assert_noop!(
			approve(MUM, &GuardianAction::Revoke { grantee: DOCTOR }),
			Error::<Test>::GrantNotFound
		);
		assert_ok!(approve(MUM, &grant_action(DOCTOR)));
		assert_ok!(approve(MUM, &grant_action(LAB)));
		assert_eq!(ProposalCount::<Test>::get(PATIENT), MAX_PROPOSALS);
		assert_noop!(approve(MUM, &grant_action(HOSPITAL)), Error::<Test>::TooManyProposals);
	});
}

#[test]
fn approvals_of_removed_guardians_no_longer_count() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 2));
		let action = grant_action(DOCTOR);
		assert_ok!(approve(MUM, &action));
		assert_ok!(set(&[DAD, AUNT], 2));
		assert_noop!(approve(MUM, &action), Error::<Test>::NotAuthorized);

		assert_ok!(approve(DAD, &action));
		System::assert_last_event(ehr_event(Event::GuardianApproved {
			patient: PATIENT,
			guardian: DAD,
			proposal: id(&action),
			approvals: 1,
		}));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_ok!(approve(AUNT, &action));
		assert!(Grants::<Test>::contains_key(PATIENT, DOCTOR));
		// The ex-guardian proposer gets their deposit back.
		assert_eq!(held(HoldReason::ProposalDeposit, MUM), 0);
	});
}

#[test]
fn proposer_or_patient_cancels_a_proposal() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 2));
		let first = grant_action(DOCTOR);
		let second = grant_action(LAB);
		assert_ok!(approve(MUM, &first));
		assert_ok!(approve(MUM, &second));

		let cancel = |who: u64, action: &GuardianActionOf<Test>| {
			Ehr::guardian_cancel(RuntimeOrigin::signed(who), PATIENT, id(action))
		};
		assert_noop!(cancel(DAD, &first), Error::<Test>::NotAuthorized);
		assert_noop!(cancel(MUM, &grant_action(HOSPITAL)), Error::<Test>::ProposalNotFound);
		assert_ok!(cancel(MUM, &first));
		System::assert_last_event(ehr_event(Event::GuardianProposalCancelled {
			patient: PATIENT,
			proposal: id(&first),
			cancelled_by: MUM,
		}));
		assert_ok!(cancel(PATIENT, &second));
		assert_eq!(held(HoldReason::ProposalDeposit, MUM), 0);
		assert!(!ProposalCount::<Test>::contains_key(PATIENT));
	});
}

#[test]
fn guardians_are_removed_once_no_proposal_is_pending() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Ehr::remove_guardians(RuntimeOrigin::signed(PATIENT)),
			Error::<Test>::GuardiansNotFound
		);
		assert_ok!(set(&[MUM, DAD], 2));
		let action = grant_action(DOCTOR);
		assert_ok!(approve(MUM, &action));
		assert_noop!(
			Ehr::remove_guardians(RuntimeOrigin::signed(PATIENT)),
			Error::<Test>::ProposalsPending
		);
		assert_ok!(Ehr::guardian_cancel(RuntimeOrigin::signed(PATIENT), PATIENT, id(&action)));
		assert_ok!(Ehr::remove_guardians(RuntimeOrigin::signed(PATIENT)));
		System::assert_last_event(ehr_event(Event::GuardiansRemoved { patient: PATIENT }));
		assert!(!Guardians::<Test>::contains_key(PATIENT));
		assert_eq!(held(HoldReason::GuardianDeposit, PATIENT), 0);
	});
}

#[test]
fn patient_regrant_takes_over_a_guardian_paid_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM], 1));
		assert_ok!(approve(MUM, &grant_action(DOCTOR)));
		assert_eq!(held(HoldReason::GrantDeposit, MUM), GRANT_DEPOSIT);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ_APPEND, 50, None));
		assert_eq!(held(HoldReason::GrantDeposit, MUM), 0);
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), GRANT_DEPOSIT);
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).unwrap().granted_by, PATIENT);
	});
}

#[test]
fn attack_stale_guardian_approval_completes_a_new_one() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 2));
		let action = GuardianAction::Grant {
			grantee: DOCTOR,
			scope: GrantScope::All,
			actions: AccessActions::READ,
			purpose: PurposeOfUse::Treatment,
			not_before: 1,
			expires_at: 10_000,
			max_reads: None,
		};
		assert_ok!(approve(MUM, &action));
		// Long after, a second guardian approves the same action: the old approval no longer
		// counts, so nothing executes; the stale proposal is replaced by a fresh one.
		run_to_block(1 + GUARDIAN_PROPOSAL_TTL);
		assert_ok!(approve(DAD, &action));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		System::assert_last_event(ehr_event(Event::GuardianApproved {
			patient: PATIENT,
			guardian: DAD,
			proposal: id(&action),
			approvals: 1,
		}));
		let fresh = GuardianProposals::<Test>::get(PATIENT, id(&action)).unwrap();
		assert_eq!((fresh.proposer, fresh.created_at), (DAD, 1 + GUARDIAN_PROPOSAL_TTL));
		assert_eq!(fresh.approvals.to_vec(), vec![DAD]);
		assert_eq!(ProposalCount::<Test>::get(PATIENT), 1);
		// The stale proposer got their deposit back; the new proposer holds one.
		assert_eq!(held(HoldReason::ProposalDeposit, MUM), 0);
		assert_eq!(held(HoldReason::ProposalDeposit, DAD), PROPOSAL_DEPOSIT);
		// A timely second approval executes.
		assert_ok!(approve(MUM, &action));
		assert!(Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(held(HoldReason::ProposalDeposit, DAD), 0);
	});
}

#[test]
fn proposal_counts_until_just_before_its_expiry() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 2));
		let action = grant_action(DOCTOR);
		assert_ok!(approve(MUM, &action));
		run_to_block(GUARDIAN_PROPOSAL_TTL);
		assert_ok!(approve(DAD, &action));
		assert!(Grants::<Test>::contains_key(PATIENT, DOCTOR));
	});
}

#[test]
fn anyone_cleans_up_an_expired_proposal() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(&[MUM, DAD], 2));
		let action = grant_action(DOCTOR);
		assert_ok!(approve(MUM, &action));
		let target = CleanupTarget::Proposal { patient: PATIENT, proposal: id(&action) };
		let cleanup = |targets: Vec<CleanupTarget<u64>>| {
			Ehr::cleanup_expired(
				RuntimeOrigin::signed(STRANGER),
				frame_support::BoundedVec::try_from(targets).unwrap(),
			)
		};
		assert_noop!(cleanup(vec![target.clone()]), Error::<Test>::NotExpired);
		assert_noop!(
			cleanup(vec![CleanupTarget::Proposal { patient: PATIENT, proposal: H256::zero() }]),
			Error::<Test>::ProposalNotFound
		);
		run_to_block(1 + GUARDIAN_PROPOSAL_TTL);
		assert_ok!(cleanup(vec![target]));
		System::assert_last_event(ehr_event(Event::ExpiredProposalRemoved {
			patient: PATIENT,
			proposal: id(&action),
		}));
		assert_eq!(held(HoldReason::ProposalDeposit, MUM), 0);
		assert!(!ProposalCount::<Test>::contains_key(PATIENT));
		assert_ok!(Ehr::remove_guardians(RuntimeOrigin::signed(PATIENT)));
	});
}
