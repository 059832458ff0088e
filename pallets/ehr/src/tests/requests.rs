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
			expires_at: 1 + REQUEST_TTL,
		}));

		// A pending request cannot be replaced: the patient may be approving it.
		run_to_block(4);
		assert_noop!(request(DOCTOR, PATIENT, 60), Error::<Test>::RequestAlreadyExists);
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
fn read_access_is_requested_and_approved_only_for_a_requester_with_a_live_sealing_key() {
	ExtBuilder::default().build_and_execute(|| {
		MockKeys::revoke(LAB);
		assert_noop!(request(LAB, PATIENT, 10), Error::<Test>::GranteeHasNoKey);
		assert_ok!(Ehr::request_access(
			RuntimeOrigin::signed(LAB),
			PATIENT,
			GrantScope::All,
			AccessActions::APPEND,
			PurposeOfUse::Treatment,
			10,
		));

		// A key revoked after the request: the approval is refused and the request stays.
		assert_ok!(request(DOCTOR, PATIENT, 10));
		MockKeys::revoke(DOCTOR);
		assert_noop!(
			Ehr::respond_request(
				RuntimeOrigin::signed(PATIENT),
				DOCTOR,
				true,
				terms_of(PATIENT, DOCTOR)
			),
			Error::<Test>::GranteeHasNoKey
		);
		assert!(Requests::<Test>::contains_key(PATIENT, DOCTOR));
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
		assert_ok!(Ehr::respond_request(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			true,
			terms_of(PATIENT, DOCTOR)
		));
		System::assert_has_event(ehr_event(Event::AccessGranted {
			patient: PATIENT,
			grantee: DOCTOR,
			granted_by: PATIENT,
		}));
		System::assert_last_event(ehr_event(Event::RequestApproved {
			patient: PATIENT,
			requester: DOCTOR,
		}));
		let grant = Grants::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!(grant.scope, types_scope(&[CONSULT_NOTE]));
		assert_eq!(grant.actions, AccessActions::READ_APPEND);
		assert_eq!(grant.purpose, PurposeOfUse::Payment);
		assert_eq!((grant.not_before, grant.expires_at), (3, 23));
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
		assert_ok!(Ehr::respond_request(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			false,
			H256::zero()
		));
		System::assert_last_event(ehr_event(Event::RequestDenied {
			patient: PATIENT,
			requester: DOCTOR,
		}));
		assert!(!Requests::<Test>::contains_key(PATIENT, DOCTOR));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), 0);
		assert_noop!(
			Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, false, H256::zero()),
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
		assert_ok!(Ehr::respond_request(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			true,
			terms_of(PATIENT, DOCTOR)
		));
		run_to_block(1 + REQUEST_TTL);
		assert_noop!(
			Ehr::respond_request(RuntimeOrigin::signed(PATIENT), LAB, true, terms_of(PATIENT, LAB)),
			Error::<Test>::Expired
		);
		// An expired request can still be denied.
		assert_ok!(Ehr::respond_request(RuntimeOrigin::signed(PATIENT), LAB, false, H256::zero()));
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
			Ehr::respond_request(
				RuntimeOrigin::signed(PATIENT),
				DOCTOR,
				true,
				terms_of(PATIENT, DOCTOR)
			),
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

/// The terms hash of `provider`'s pending request to `patient`, as the patient's wallet
/// computes it from storage.
fn terms_of(patient: u64, provider: u64) -> H256 {
	Requests::<Test>::get(patient, provider).unwrap().terms_hash()
}

#[test]
fn attack_rerequest_swaps_terms_under_a_pending_approval() {
	ExtBuilder::default().build_and_execute(|| {
		// The doctor asks for a narrow read; the patient's wallet shows it and signs an approval
		// of exactly these terms.
		assert_ok!(Ehr::request_access(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			types_scope(&[CONSULT_NOTE]),
			AccessActions::READ,
			PurposeOfUse::Treatment,
			10,
		));
		let seen = terms_of(PATIENT, DOCTOR);
		// While the approval sits in the pool, the doctor asks again for everything, read and
		// append, for a very long time.
		assert_noop!(
			Ehr::request_access(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				GrantScope::All,
				AccessActions::READ_APPEND,
				PurposeOfUse::Treatment,
				u64::MAX / 2,
			),
			Error::<Test>::RequestAlreadyExists
		);
		// Even withdrawing and asking anew does not ride on the signed approval.
		assert_ok!(Ehr::cancel_request(RuntimeOrigin::signed(DOCTOR), PATIENT));
		assert_ok!(Ehr::request_access(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			GrantScope::All,
			AccessActions::READ_APPEND,
			PurposeOfUse::Treatment,
			u64::MAX / 2,
		));
		assert_noop!(
			Ehr::respond_request(RuntimeOrigin::signed(PATIENT), DOCTOR, true, seen),
			Error::<Test>::TermsMismatch
		);
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		// The patient can still deny whatever is pending, without naming its terms.
		assert_ok!(Ehr::respond_request(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			false,
			H256::zero()
		));
	});
}

#[test]
fn terms_hash_is_blake2_256_of_the_scale_encoded_terms() {
	ExtBuilder::default().build_and_execute(|| {
		use codec::Encode;
		let scope = types_scope(&[CONSULT_NOTE]);
		assert_ok!(Ehr::request_access(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			scope.clone(),
			AccessActions::READ,
			PurposeOfUse::Payment,
			20,
		));
		let encoded = (scope, AccessActions::READ, PurposeOfUse::Payment, 20u64).encode();
		assert_eq!(terms_of(PATIENT, DOCTOR), H256(sp_io::hashing::blake2_256(&encoded)));
		assert_eq!(Ehr::request_terms(PATIENT, DOCTOR), Some(terms_of(PATIENT, DOCTOR)));
		assert_eq!(Ehr::request_terms(PATIENT, LAB), None);
	});
}

#[test]
fn an_expired_request_may_be_replaced() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 30));
		run_to_block(1 + REQUEST_TTL - 1);
		assert_noop!(request(DOCTOR, PATIENT, 60), Error::<Test>::RequestAlreadyExists);
		run_to_block(1 + REQUEST_TTL);
		assert_ok!(request(DOCTOR, PATIENT, 60));
		let stored = Requests::<Test>::get(PATIENT, DOCTOR).unwrap();
		assert_eq!((stored.duration, stored.expires_at), (60, 1 + 2 * REQUEST_TTL));
		assert_eq!(RequestCount::<Test>::get(PATIENT), 1);
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), REQUEST_DEPOSIT);
	});
}
