use super::*;

#[test]
fn logged_read_leaves_an_entry_the_patient_can_list() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		run_to_block(3);
		assert_ok!(log(DOCTOR, PATIENT, record));
		System::assert_last_event(ehr_event(Event::AccessLogged { patient: PATIENT, index: 0 }));
		assert_eq!(AccessLogNext::<Test>::get(PATIENT), 1);
		assert_eq!(
			Ehr::access_log(PATIENT, 0, 10),
			vec![AccessEntry {
				index: 0,
				accessor: DOCTOR,
				record_id: Some(record),
				purpose: PurposeOfUse::Treatment,
				basis: AccessBasis::Grant,
				at: 3,
			}]
		);
	});
}

#[test]
fn patient_reads_own_records_without_a_grant() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(log(PATIENT, PATIENT, record));
		assert_eq!(Ehr::access_log(PATIENT, 0, 1)[0].basis, AccessBasis::Owner);
	});
}

#[test]
fn read_without_a_covering_grant_fails_and_logs_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let lab = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		let other_patients = add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 3);

		assert_noop!(log(DOCTOR, PATIENT, note), Error::<Test>::NotAuthorized);
		assert_noop!(log(STRANGER, PATIENT, note), Error::<Test>::ProviderNotFound);
		assert_noop!(log(DOCTOR, PATIENT, 99), Error::<Test>::RecordNotFound);
		// The record must be the named patient's.
		assert_noop!(log(DOCTOR, PATIENT, other_patients), Error::<Test>::RecordNotFound);

		// A types scope covers only its types.
		assert_ok!(grant_scope(PATIENT, DOCTOR, types_scope(&[CONSULT_NOTE]), AccessActions::READ));
		assert_noop!(log(DOCTOR, PATIENT, lab), Error::<Test>::NotAuthorized);
		assert_ok!(log(DOCTOR, PATIENT, note));

		// A records scope covers only its records.
		assert_ok!(grant_scope(PATIENT, LAB, records_scope(&[lab]), AccessActions::READ));
		assert_noop!(log(LAB, PATIENT, note), Error::<Test>::NotAuthorized);
		assert_ok!(log(LAB, PATIENT, lab));

		// Append does not imply read.
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		assert_noop!(log(HOSPITAL, PATIENT, note), Error::<Test>::NotAuthorized);

		assert_eq!(AccessLogNext::<Test>::get(PATIENT), 2);
	});
}

#[test]
fn read_must_state_the_granted_purpose() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, record, PurposeOfUse::Research),
			Error::<Test>::PurposeMismatch
		);
	});
}

#[test]
fn read_limit_counts_down_to_zero() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, Some(2)));
		assert_ok!(log(DOCTOR, PATIENT, record));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).unwrap().reads_left, Some(1));
		assert_ok!(log(DOCTOR, PATIENT, record));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).unwrap().reads_left, Some(0));
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::ReadLimitReached);
		assert!(!Ehr::can_access(DOCTOR, record, AccessAction::Read));
	});
}

#[test]
fn grant_reads_from_not_before_until_just_before_expiry() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			GrantScope::All,
			AccessActions::READ,
			PurposeOfUse::Treatment,
			3,
			5,
			None,
		));
		run_to_block(2);
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::NotYetValid);
		assert!(!Ehr::can_access(DOCTOR, record, AccessAction::Read));
		run_to_block(3);
		assert_ok!(log(DOCTOR, PATIENT, record));
		run_to_block(4);
		assert!(Ehr::can_access(DOCTOR, record, AccessAction::Read));
		assert_ok!(log(DOCTOR, PATIENT, record));
		run_to_block(5);
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::Expired);
		assert!(!Ehr::can_access(DOCTOR, record, AccessAction::Read));
	});
}

#[test]
fn log_keeps_the_last_max_access_log_len_entries() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		for _ in 0..MAX_LOG + 2 {
			assert_ok!(log(DOCTOR, PATIENT, record));
		}
		assert_eq!(AccessLogNext::<Test>::get(PATIENT), MAX_LOG + 2);
		assert_eq!(AccessLog::<Test>::iter_prefix(PATIENT).count() as u32, MAX_LOG);
		let indexes = |from, limit| {
			Ehr::access_log(PATIENT, from, limit).iter().map(|e| e.index).collect::<Vec<_>>()
		};
		// Entries 0 and 1 were overwritten.
		assert_eq!(indexes(0, 100), vec![2, 3, 4, 5]);
		assert_eq!(indexes(3, 2), vec![3, 4]);
		assert_eq!(indexes(5, 10), vec![5]);
		assert_eq!(indexes(6, 10), Vec::<u32>::new());
		assert_eq!(indexes(0, 0), Vec::<u32>::new());
		assert!(Ehr::access_log(PATIENT_2, 0, 10).is_empty());
	});
}
