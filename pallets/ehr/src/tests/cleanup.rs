use super::*;

fn cleanup(targets: Vec<CleanupTarget<u64>>) -> DispatchResult {
	Ehr::cleanup_expired(
		RuntimeOrigin::signed(STRANGER),
		frame_support::BoundedVec::try_from(targets).unwrap(),
	)
}

fn grant_target(grantee: u64) -> CleanupTarget<u64> {
	CleanupTarget::Grant { patient: PATIENT, grantee }
}

#[test]
fn anyone_removes_a_grant_from_its_expiry_block() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 5, None));
		run_to_block(4);
		assert_noop!(cleanup(vec![grant_target(DOCTOR)]), Error::<Test>::NotExpired);
		run_to_block(5);
		assert_ok!(cleanup(vec![grant_target(DOCTOR)]));
		System::assert_last_event(ehr_event(Event::ExpiredGrantRemoved {
			patient: PATIENT,
			grantee: DOCTOR,
		}));
		assert!(!Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert!(!GrantCount::<Test>::contains_key(PATIENT));
		// The deposit goes back to the patient, not to the caller.
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), 0);
		assert_eq!(free(PATIENT), INITIAL_BALANCE);
		assert_eq!(free(STRANGER), INITIAL_BALANCE);
	});
}

#[test]
fn exhausted_read_only_grant_is_dead_but_an_append_grant_is_not() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, Some(1)));
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ_APPEND, 100, Some(1)));
		assert_ok!(log(DOCTOR, PATIENT, record));
		assert_ok!(log(HOSPITAL, PATIENT, record));
		assert_noop!(cleanup(vec![grant_target(HOSPITAL)]), Error::<Test>::NotExpired);
		assert_ok!(cleanup(vec![grant_target(DOCTOR)]));
		assert_eq!(
			Ehr::active_grants(PATIENT).into_iter().map(|g| g.grantee).collect::<Vec<_>>(),
			vec![HOSPITAL]
		);
	});
}

#[test]
fn anyone_removes_an_expired_request() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(request(DOCTOR, PATIENT, 20));
		let target = CleanupTarget::Request { patient: PATIENT, requester: DOCTOR };
		run_to_block(REQUEST_TTL);
		assert_noop!(cleanup(vec![target.clone()]), Error::<Test>::NotExpired);
		run_to_block(1 + REQUEST_TTL);
		assert_ok!(cleanup(vec![target]));
		System::assert_last_event(ehr_event(Event::ExpiredRequestRemoved {
			patient: PATIENT,
			requester: DOCTOR,
		}));
		assert!(!Requests::<Test>::contains_key(PATIENT, DOCTOR));
		assert_eq!(held(HoldReason::RequestDeposit, DOCTOR), 0);
	});
}

#[test]
fn batch_is_checked_whole_before_anything_is_removed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 3, None));
		assert_ok!(grant(PATIENT, LAB, AccessActions::READ, 100, None));
		assert_ok!(request(HOSPITAL, PATIENT, 20));
		run_to_block(3);
		assert_noop!(
			cleanup(vec![grant_target(DOCTOR), grant_target(LAB)]),
			Error::<Test>::NotExpired
		);
		assert_noop!(
			cleanup(vec![grant_target(DOCTOR), grant_target(DOCTOR)]),
			Error::<Test>::DuplicateTarget
		);
		assert_noop!(
			cleanup(vec![grant_target(DOCTOR), grant_target(HOSPITAL)]),
			Error::<Test>::GrantNotFound
		);
		assert_noop!(
			cleanup(vec![
				grant_target(DOCTOR),
				CleanupTarget::Request { patient: PATIENT, requester: LAB }
			]),
			Error::<Test>::RequestNotFound
		);
		run_to_block(1 + REQUEST_TTL);
		assert_ok!(cleanup(vec![
			grant_target(DOCTOR),
			CleanupTarget::Request { patient: PATIENT, requester: HOSPITAL },
		]));
		assert_eq!(GrantCount::<Test>::get(PATIENT), 1);
		assert!(!RequestCount::<Test>::contains_key(PATIENT));
	});
}
