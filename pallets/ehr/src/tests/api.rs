use super::*;

#[test]
fn genesis_seeds_providers_grants_and_records() {
	ExtBuilder::default()
		.with_grant(PATIENT, HOSPITAL, AccessActions::READ_APPEND, PurposeOfUse::Treatment, 100)
		.with_record(PATIENT, HOSPITAL, CONSULT_NOTE, 7)
		.with_record(PATIENT, PATIENT, LAB_REPORT, 8)
		.build_and_execute(|| {
			assert_eq!(Providers::<Test>::iter().count(), 4);
			assert_eq!(Providers::<Test>::get(LAB).unwrap().kind, ProviderKind::Laboratory);
			let grant = Grants::<Test>::get(PATIENT, HOSPITAL).unwrap();
			assert_eq!((grant.not_before, grant.expires_at), (0, 100));
			assert_eq!(held(HoldReason::GrantDeposit, PATIENT), GRANT_DEPOSIT);
			let records = Ehr::records(PATIENT);
			assert_eq!(records.len(), 2);
			assert_eq!(records[0].issuer, HOSPITAL);
			assert_eq!(records[0].locator, locator(7).into_inner());
			assert_eq!(records[0].content_id, Some(content_id(0)));
			assert_eq!(ContentRecords::<Test>::get(content_id(1), PATIENT), Some(1));
			assert_eq!(records[1].type_code, LAB_REPORT.to_vec());
			assert_eq!(held(HoldReason::RecordDeposit, HOSPITAL), RECORD_DEPOSIT);
			assert_eq!(held(HoldReason::RecordDeposit, PATIENT), RECORD_DEPOSIT);
		});
}

#[test]
#[should_panic(expected = "genesis: invalid record")]
fn genesis_rejects_a_record_without_an_append_grant() {
	ExtBuilder::default().with_record(PATIENT, HOSPITAL, CONSULT_NOTE, 7).build();
}

#[test]
fn records_lists_current_and_amended_pointers_in_order() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(Ehr::records(PATIENT).is_empty());
		let first = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let second = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(PATIENT),
			first,
			commitment(3),
			next_content_id(),
			locator(3),
			5
		));
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), second));
		let records = Ehr::records(PATIENT);
		assert_eq!(records.iter().map(|r| r.id).collect::<Vec<_>>(), vec![first, 2]);
		assert_eq!(
			records.iter().map(|r| r.status).collect::<Vec<_>>(),
			vec![RecordStatus::Amended, RecordStatus::Active]
		);
		assert_eq!(
			records[1],
			RecordView {
				id: 2,
				patient: PATIENT,
				issuer: PATIENT,
				type_code: CONSULT_NOTE.to_vec(),
				commitment: commitment(3),
				content_id: Some(content_id(2)),
				locator: locator(3).into_inner(),
				size: 5,
				version: 2,
				supersedes: Some(first),
				status: RecordStatus::Active,
				created_at: 1,
			}
		);
		assert!(Ehr::records(PATIENT_2).is_empty());
	});
}

#[test]
fn active_grants_lists_live_and_future_grants_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 5, None));
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			LAB,
			records_scope(&[4, 2]),
			AccessActions::READ,
			PurposeOfUse::Research,
			10,
			20,
			Some(3),
		));
		let grantees = || {
			let mut g =
				Ehr::active_grants(PATIENT).into_iter().map(|g| g.grantee).collect::<Vec<_>>();
			g.sort();
			g
		};
		assert_eq!(grantees(), vec![DOCTOR, LAB]);
		let lab = Ehr::active_grants(PATIENT).into_iter().find(|g| g.grantee == LAB).unwrap();
		assert_eq!(
			lab,
			GrantView {
				grantee: LAB,
				scope: GrantScope::Records(vec![4, 2]),
				actions: AccessActions::READ,
				purpose: PurposeOfUse::Research,
				not_before: 10,
				expires_at: 20,
				reads_left: Some(3),
				granted_by: PATIENT,
			}
		);
		run_to_block(5);
		assert_eq!(grantees(), vec![LAB]);
		run_to_block(20);
		assert!(Ehr::active_grants(PATIENT).is_empty());
	});
}

#[test]
fn can_access_answers_for_read_and_append() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let lab = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		assert!(!Ehr::can_access(DOCTOR, 99, AccessAction::Read));
		assert!(Ehr::can_access(PATIENT, note, AccessAction::Read));
		assert!(Ehr::can_access(PATIENT, note, AccessAction::Append));
		assert!(!Ehr::can_access(PATIENT_2, note, AccessAction::Read));

		assert_ok!(grant_scope(PATIENT, DOCTOR, types_scope(&[CONSULT_NOTE]), AccessActions::READ));
		assert!(Ehr::can_access(DOCTOR, note, AccessAction::Read));
		assert!(!Ehr::can_access(DOCTOR, note, AccessAction::Append));
		assert!(!Ehr::can_access(DOCTOR, lab, AccessAction::Read));

		assert_ok!(grant_scope(PATIENT, HOSPITAL, records_scope(&[lab]), AccessActions::APPEND));
		assert!(Ehr::can_access(HOSPITAL, lab, AccessAction::Append));
		assert!(!Ehr::can_access(HOSPITAL, lab, AccessAction::Read));
		assert!(!Ehr::can_access(HOSPITAL, note, AccessAction::Append));

		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), note));
		assert!(!Ehr::can_access(DOCTOR, note, AccessAction::Read));
		assert!(!Ehr::can_access(PATIENT, note, AccessAction::Read));
	});
}

#[test]
fn integrity_test_accepts_the_mock_config() {
	ExtBuilder::default().build_and_execute(|| {
		<Ehr as frame_support::traits::Hooks<u64>>::integrity_test();
	});
}
