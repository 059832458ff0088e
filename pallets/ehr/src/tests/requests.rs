use super::*;

#[test]
fn provider_requests_access_holding_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 30));
		let stored = Requests::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!(stored.scope, GrantScope::All);
		assert_eq!(stored.actions, AccessActions::READ);
		assert_eq!(stored.purpose, PurposeOfUse::Treatment);
		assert_eq!(stored.duration, 30);
		assert_eq!(stored.expires_at, 1 + REQUEST_TTL);
		assert_eq!(stored.deposit, REQUEST_DEPOSIT);
		assert_eq!(RequestCount::<Test>::get(PATIENT), 1);
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), REQUEST_DEPOSIT);
		System::assert_last_event(ehr_event(Event::AccessRequested {
			patient: PATIENT,
			requester: DOCTOR,
			purpose: PurposeOfUse::Treatment,
			expires_at: 1 + REQUEST_TTL,
		}));

		// Asking again replaces the request and keeps the one deposit.
		run_to_block(4);
		assert_ok!(request(DOCTOR, PATIENT, 60));
		let stored = Requests::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!((stored.duration, stored.expires_at), (60, 4 + REQUEST_TTL));
		assert_eq!(RequestCount::<Test>::get(PATIENT), 1);
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), REQUEST_DEPOSIT);
	});
}

#[test]
fn invalid_requests_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let try_request = |who: u64, patient: u64, scope, actions, duration| {
			Ehr::request_access(
				RuntimeOrigin::signed(who),
				patient,
				scope,
				actions,
				PurposeOfUse::Treatment,
				duration,
			)
		};
		let read = AccessActions::READ;
		assert_noop!(
			try_request(DOCTOR, DOCTOR, GrantScope::All, read, 10),
			Error::<Test>::CannotTargetSelf
		);
		assert_noop!(
			try_request(STRANGER, PATIENT, GrantScope::All, read, 10),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			try_request(DOCTOR, PATIENT, GrantScope::All, AccessActions::default(), 10),
			Error::<Test>::InvalidActions
		);
		assert_noop!(
			try_request(DOCTOR, PATIENT, types_scope(&[]), read, 10),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			try_request(DOCTOR, PATIENT, GrantScope::All, read, 0),
			Error::<Test>::InvalidPeriod
		);
	});
}

#[test]
fn pending_request_cap_is_exactly_max_pending_requests() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 10));
		assert_ok!(request(LAB, PATIENT, 10));
		assert_eq!(RequestCount::<Test>::get(PATIENT), MAX_REQUESTS);
		assert_noop!(request(HOSPITAL, PATIENT, 10), Error::<Test>::TooManyRequests);
		assert_ok!(request(HOSPITAL, PATIENT_2, 10));
	});
}

#[test]
fn approving_grants_what_was_requested() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::request_access(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			types_scope(&[CONSULT_NOTE]),
			AccessActions::READ_APPEND,
			PurposeOfUse::Payment,
			20,
		));
		run_to_block(3);
		assert_ok!(Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, true));
		System::assert_has_event(ehr_event(Event::AccessGranted {
			patient: PATIENT,
			grantee: DOCTOR,
			purpose: PurposeOfUse::Payment,
			not_before: 3,
			expires_at: 23,
			granted_by: PATIENT,
		}));
		System::assert_last_event(ehr_event(Event::RequestApproved {
			patient: PATIENT,
			requester: DOCTOR,
		}));
		let grant = Grants::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!(grant.scope, types_scope(&[CONSULT_NOTE]));
		assert_eq!(grant.actions, AccessActions::READ_APPEND);
		assert_eq!(grant.reads_left, None);
		assert!(!Requests::<Test>::contains_key(PATIENT, DOCTOR));
		assert!(!RequestCount::<Test>::contains_key(PATIENT));
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), 0);
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), GRANT_DEPOSIT);
	});
}

#[test]
fn denying_removes_the_request_without_a_grant() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 20));
		assert_ok!(Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, false));
		System::assert_last_event(ehr_event(Event::RequestDenied {
			patient: PATIENT,
			requester: DOCTOR,
		}));
		assert!(!Requests::<Test>::contains_key(PATIENT, DOCTOR));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), 0);
		assert_noop!(
			Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, false),
			Error::<Test>::RequestNotFound
		);
	});
}

#[test]
fn request_can_be_approved_until_just_before_it_expires() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 20));
		assert_ok!(request(LAB, PATIENT, 20));
		run_to_block(REQUEST_TTL);
		assert_ok!(Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, true));
		run_to_block(1 + REQUEST_TTL);
		assert_noop!(
			Ehr::respond_request(RuntimeOrigin::signed(PATIENT), LAB, true),
			Error::<Test>::Expired
		);
		// An expired request can still be denied.
		assert_ok!(Ehr::respond_request(RuntimeOrigin::signed(PATIENT), LAB, false));
	});
}

#[test]
fn approval_fails_at_the_grant_cap_and_keeps_the_request() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ, 100, None));
		assert_ok!(grant(PATIENT, ER_DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(grant(PATIENT, LAB, AccessActions::READ, 100, None));
		assert_ok!(request(DOCTOR, PATIENT, 20));
		assert_noop!(
			Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, true),
			Error::<Test>::TooManyGrants
		);
	});
}

#[test]
fn requester_cancels_a_pending_request() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 20));
		assert_noop!(
			Ehr::cancel_request(RuntimeOrigin::signed(LAB), PATIENT),
			Error::<Test>::RequestNotFound
		);
		assert_ok!(Ehr::cancel_request(RuntimeOrigin::signed(DOCTOR), PATIENT));
		System::assert_last_event(ehr_event(Event::RequestCancelled {
			patient: PATIENT,
			requester: DOCTOR,
		}));
		assert!(!Requests::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), 0);
		assert_eq!(free(DOCTOR), INITIAL_BALANCE);
	});
}
