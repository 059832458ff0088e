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

#[test]
fn read_ticket_names_the_record_patient_and_issuer_and_serves_the_patient() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		let record = add_record(HOSPITAL, PATIENT, CONSULT_NOTE, 1);
		assert_eq!(
			Ehr::read_ticket(PATIENT, content_id(record), HOSPITAL),
			Some(ReadTicket {
				record_id: record,
				patient: PATIENT,
				issuer: HOSPITAL,
				verdict: ReadVerdict::Owner,
			})
		);
		// The issuer has no read of its own: append grants no read.
		assert_eq!(
			ticket(HOSPITAL, record),
			Some(ReadVerdict::Refused(ReadRefusal::NotAuthorized))
		);
		// No record names an unknown object, and the record governs only its issuer's upload.
		assert_eq!(Ehr::read_ticket(PATIENT, H256::repeat_byte(0xEE), HOSPITAL), None);
		assert_eq!(Ehr::read_ticket(PATIENT, content_id(record), PATIENT), None);
	});
}

#[test]
fn read_ticket_needs_a_fresh_logged_read_of_that_very_record() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let lab = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		let theirs = add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 3);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(grant(PATIENT_2, DOCTOR, AccessActions::READ, 100, None));
		assert_eq!(ticket(DOCTOR, note), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));

		run_to_block(2);
		assert_ok!(log(DOCTOR, PATIENT, note));
		let logged = Some(ReadVerdict::Logged { index: 0, at: 2, basis: AccessBasis::Grant });
		assert_eq!(ticket(DOCTOR, note), logged);
		// Logging one record does not open another of the same patient, nor another patient's.
		assert_eq!(ticket(DOCTOR, lab), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));
		assert_eq!(ticket(DOCTOR, theirs), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));

		// The entry opens the object for READ_WINDOW blocks, then it is stale: an old entry
		// cannot be replayed.
		run_to_block(2 + READ_WINDOW - 1);
		assert_eq!(ticket(DOCTOR, note), logged);
		run_to_block(2 + READ_WINDOW);
		assert_eq!(ticket(DOCTOR, note), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));
		// A new logged read opens it again.
		assert_ok!(log(DOCTOR, PATIENT, note));
		assert_eq!(
			ticket(DOCTOR, note),
			Some(ReadVerdict::Logged { index: 1, at: 2 + READ_WINDOW, basis: AccessBasis::Grant })
		);
	});
}

#[test]
fn read_ticket_ignores_the_read_limit_the_logged_read_already_used() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, Some(1)));
		assert_ok!(log(DOCTOR, PATIENT, record));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).unwrap().reads_left, Some(0));
		assert_eq!(
			ticket(DOCTOR, record),
			Some(ReadVerdict::Logged { index: 0, at: 1, basis: AccessBasis::Grant })
		);
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::ReadLimitReached);
	});
}

#[test]
fn attack_read_after_revoke_expiry_suspension_or_new_terms_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let refused = |why| Some(ReadVerdict::Refused(why));

		// Revoked right after a logged read: the fresh entry no longer counts.
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(log(DOCTOR, PATIENT, record));
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR));
		assert_eq!(ticket(DOCTOR, record), refused(ReadRefusal::NotAuthorized));

		// Suspended after a logged read.
		assert_ok!(grant(PATIENT, LAB, AccessActions::READ, 100, None));
		assert_ok!(log(LAB, PATIENT, record));
		assert_ok!(Ehr::suspend_provider(RuntimeOrigin::root(), LAB));
		assert_eq!(ticket(LAB, record), refused(ReadRefusal::ProviderSuspended));
		assert_ok!(Ehr::resume_provider(RuntimeOrigin::root(), LAB));
		assert_eq!(
			ticket(LAB, record),
			Some(ReadVerdict::Logged { index: 1, at: 1, basis: AccessBasis::Grant })
		);
		// Deregistered: not a provider at all.
		assert_ok!(Ehr::deregister_provider(RuntimeOrigin::root(), LAB));
		assert_eq!(ticket(LAB, record), refused(ReadRefusal::NotAuthorized));

		// The grant expires inside the window.
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ, 3, None));
		assert_ok!(log(HOSPITAL, PATIENT, record));
		run_to_block(3);
		assert_eq!(ticket(HOSPITAL, record), refused(ReadRefusal::NotAuthorized));

		// Re-granted for research: a read logged for treatment does not open it.
		assert_ok!(grant(PATIENT, ER_DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(log(ER_DOCTOR, PATIENT, record));
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			ER_DOCTOR,
			GrantScope::All,
			AccessActions::READ,
			PurposeOfUse::Research,
			3,
			100,
			None,
		));
		assert_eq!(ticket(ER_DOCTOR, record), refused(ReadRefusal::NotLogged));

		// Erased: no record names the object any more.
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), record));
		assert_eq!(ticket(ER_DOCTOR, record), None);
		assert_eq!(ticket(PATIENT, record), None);

		// Never granted at all.
		let other = add_record(PATIENT, PATIENT, CONSULT_NOTE, 2);
		assert_eq!(ticket(STRANGER, other), refused(ReadRefusal::NotAuthorized));
	});
}

#[test]
fn read_ticket_under_break_glass_lasts_while_the_emergency_access_reads() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_eq!(
			ticket(ER_DOCTOR, record),
			Some(ReadVerdict::Refused(ReadRefusal::NotAuthorized))
		);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		// Opening the glass is logged without a record: it opens no object by itself.
		assert_eq!(ticket(ER_DOCTOR, record), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));
		assert_ok!(Ehr::log_access(
			RuntimeOrigin::signed(ER_DOCTOR),
			PATIENT,
			record,
			PurposeOfUse::Emergency
		));
		assert_eq!(
			ticket(ER_DOCTOR, record),
			Some(ReadVerdict::Logged { index: 1, at: 1, basis: AccessBasis::BreakGlass })
		);
		// Reviewing it ends the emergency access, and with it the read.
		assert_ok!(Ehr::review_break_glass(
			RuntimeOrigin::root(),
			PATIENT,
			ER_DOCTOR,
			BreakGlassVerdict::Justified
		));
		assert_eq!(
			ticket(ER_DOCTOR, record),
			Some(ReadVerdict::Refused(ReadRefusal::NotAuthorized))
		);
	});
}
