use super::*;

#[test]
fn granting_stores_the_terms_and_holds_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			types_scope(&[CONSULT_NOTE]),
			AccessActions::READ,
			PurposeOfUse::Research,
			2,
			50,
			Some(3),
		));
		let grant = Grants::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!(grant.scope, types_scope(&[CONSULT_NOTE]));
		assert_eq!(grant.actions, AccessActions::READ);
		assert_eq!(grant.purpose, PurposeOfUse::Research);
		assert_eq!((grant.not_before, grant.expires_at), (2, 50));
		assert_eq!(grant.reads_left, Some(3));
		assert_eq!(grant.granted_by, PATIENT);
		assert_eq!(grant.granted_at, 1);
		assert_eq!(grant.deposit, GRANT_DEPOSIT);
		assert_eq!(GrantCount::<Test>::get(PATIENT), 1);
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), GRANT_DEPOSIT);
		System::assert_last_event(ehr_event(Event::AccessGranted {
			patient: PATIENT,
			grantee: DOCTOR,
			granted_by: PATIENT,
		}));
	});
}

#[test]
fn granting_again_replaces_the_grant_without_a_second_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 50, Some(1)));
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ_APPEND, 80, None));
		let grant = Grants::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!(grant.actions, AccessActions::READ_APPEND);
		assert_eq!(grant.expires_at, 80);
		assert_eq!(grant.reads_left, None);
		assert_eq!(GrantCount::<Test>::get(PATIENT), 1);
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), GRANT_DEPOSIT);
	});
}

#[test]
fn read_access_needs_a_live_sealing_key_of_the_grantee_and_append_access_does_not() {
	ExtBuilder::default().build_and_execute(|| {
		MockKeys::revoke(DOCTOR);
		// A read grant would hold a deposit for a reader no record key can reach.
		assert_noop!(
			grant(PATIENT, DOCTOR, AccessActions::READ, 50, None),
			Error::<Test>::GranteeHasNoKey
		);
		assert_noop!(
			grant(PATIENT, DOCTOR, AccessActions::READ_APPEND, 50, None),
			Error::<Test>::GranteeHasNoKey
		);
		// An appender seals to the patient's key, not its own.
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::APPEND, 50, None));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).unwrap().actions, AccessActions::APPEND);
	});
}

#[test]
fn invalid_grants_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let try_grant = |grantee: u64,
		                 scope: GrantScopeOf<Test>,
		                 actions: AccessActions,
		                 not_before: u64,
		                 expires_at: u64,
		                 max_reads: Option<u32>| {
			Ehr::grant_access(
				RuntimeOrigin::signed(PATIENT),
				grantee,
				scope,
				actions,
				PurposeOfUse::Treatment,
				not_before,
				expires_at,
				max_reads,
			)
		};
		let read = AccessActions::READ;
		assert_noop!(
			Ehr::grant_access(
				RuntimeOrigin::signed(HOSPITAL),
				HOSPITAL,
				GrantScope::All,
				read,
				PurposeOfUse::Treatment,
				1,
				10,
				None
			),
			Error::<Test>::CannotTargetSelf
		);
		assert_noop!(
			try_grant(STRANGER, GrantScope::All, read, 1, 10, None),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			try_grant(DOCTOR, GrantScope::All, AccessActions::default(), 1, 10, None),
			Error::<Test>::InvalidActions
		);
		assert_noop!(
			try_grant(DOCTOR, types_scope(&[]), read, 1, 10, None),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			try_grant(DOCTOR, records_scope(&[]), read, 1, 10, None),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			try_grant(DOCTOR, GrantScope::All, read, 10, 10, None),
			Error::<Test>::InvalidPeriod
		);
		// `expires_at` must lie after the current block (1).
		assert_noop!(try_grant(DOCTOR, GrantScope::All, read, 0, 1, None), Error::<Test>::Expired);
		assert_ok!(try_grant(DOCTOR, GrantScope::All, read, 0, 2, None));
		assert_noop!(
			try_grant(LAB, GrantScope::All, read, 1, 10, Some(0)),
			Error::<Test>::InvalidReadLimit
		);
	});
}

#[test]
fn grant_cap_is_exactly_max_grants_per_patient() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ, 100, None));
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(grant(PATIENT, ER_DOCTOR, AccessActions::READ, 100, None));
		assert_eq!(GrantCount::<Test>::get(PATIENT), MAX_GRANTS);
		assert_noop!(
			grant(PATIENT, LAB, AccessActions::READ, 100, None),
			Error::<Test>::TooManyGrants
		);
		// Replacing an existing grant still works at the cap.
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ_APPEND, 100, None));
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), 3 * GRANT_DEPOSIT);
	});
}

#[test]
fn grant_deposit_must_be_affordable() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			grant(PAUPER, DOCTOR, AccessActions::READ, 100, None),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn revoked_grant_denies_access_immediately() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(log(DOCTOR, PATIENT, record));

		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR));
		System::assert_last_event(ehr_event(Event::AccessRevoked {
			patient: PATIENT,
			grantee: DOCTOR,
			revoked_by: PATIENT,
		}));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert!(!GrantCount::<Test>::contains_key(PATIENT));
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), 0);

		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::NotAuthorized);
		assert!(!Ehr::can_access(DOCTOR, record, AccessAction::Read));
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR),
			Error::<Test>::GrantNotFound
		);
	});
}
