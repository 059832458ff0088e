use super::*;

#[test]
fn patient_adds_own_record_holding_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let id = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_eq!(id, 0);
		let record = Records::<Test>::get(id).unwrap();
		assert_eq!(record.patient, PATIENT);
		assert_eq!(record.issuer, PATIENT);
		assert_eq!(record.type_code, type_code(CONSULT_NOTE));
		assert_eq!(record.commitment, commitment(1));
		assert_eq!(record.content_id, Some(content_id(0)));
		assert_eq!(ContentRecords::<Test>::get(content_id(0), PATIENT), Some(0));
		assert_eq!(record.locator, locator(1));
		assert_eq!(record.size, 1024);
		assert_eq!(record.version, 1);
		assert_eq!(record.supersedes, None);
		assert_eq!(record.status, RecordStatus::Active);
		assert_eq!(record.created_at, 1);
		assert_eq!(record.deposit, RECORD_DEPOSIT);
		assert_eq!(PatientRecords::<Test>::get(PATIENT).into_inner(), vec![0]);
		assert_eq!(NextRecordId::<Test>::get(), 1);
		assert_eq!(held(HoldReason::RecordDeposit, PATIENT), RECORD_DEPOSIT);
		assert_eq!(free(PATIENT), INITIAL_BALANCE - RECORD_DEPOSIT);
		System::assert_last_event(ehr_event(Event::RecordAdded {
			record_id: 0,
			patient: PATIENT,
			issuer: PATIENT,
		}));
	});
}

#[test]
fn provider_with_append_grant_adds_records_of_granted_types_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant_scope(
			PATIENT,
			HOSPITAL,
			types_scope(&[CONSULT_NOTE, DISCHARGE]),
			AccessActions::APPEND
		));
		let id = add_record(HOSPITAL, PATIENT, DISCHARGE, 1);
		assert_eq!(Records::<Test>::get(id).unwrap().issuer, HOSPITAL);
		assert_eq!(held(HoldReason::RecordDeposit, HOSPITAL), RECORD_DEPOSIT);
		assert_eq!(held(HoldReason::RecordDeposit, PATIENT), 0);

		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(HOSPITAL),
				PATIENT,
				type_code(LAB_REPORT),
				commitment(2),
				next_content_id(),
				locator(2),
				1
			),
			Error::<Test>::NotAuthorized
		);
	});
}

#[test]
fn provider_without_append_right_cannot_add() {
	ExtBuilder::default().build_and_execute(|| {
		let add = |issuer: u64| {
			Ehr::add_record(
				RuntimeOrigin::signed(issuer),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(1),
				next_content_id(),
				locator(1),
				1,
			)
		};
		// No grant at all.
		assert_noop!(add(HOSPITAL), Error::<Test>::NotAuthorized);
		// A read-only grant.
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ, 100, None));
		assert_noop!(add(HOSPITAL), Error::<Test>::NotAuthorized);
		// A records-only scope covers no new record.
		let own = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_scope(PATIENT, HOSPITAL, records_scope(&[own]), AccessActions::APPEND));
		assert_noop!(add(HOSPITAL), Error::<Test>::NotAuthorized);
		// Not a provider.
		assert_noop!(add(STRANGER), Error::<Test>::ProviderNotFound);
	});
}

#[test]
fn append_grant_works_from_not_before_until_just_before_expiry() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			HOSPITAL,
			GrantScope::All,
			AccessActions::APPEND,
			PurposeOfUse::Treatment,
			3,
			6,
			None,
		));
		let add = || {
			Ehr::add_record(
				RuntimeOrigin::signed(HOSPITAL),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(1),
				next_content_id(),
				locator(1),
				1,
			)
		};
		run_to_block(2);
		assert_noop!(add(), Error::<Test>::NotYetValid);
		run_to_block(3);
		assert_ok!(add());
		run_to_block(5);
		assert_ok!(add());
		run_to_block(6);
		assert_noop!(add(), Error::<Test>::Expired);
	});
}

#[test]
fn invalid_pointers_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let origin = RuntimeOrigin::signed(PATIENT);
		assert_noop!(
			Ehr::add_record(
				origin.clone(),
				PATIENT,
				type_code(b""),
				commitment(1),
				next_content_id(),
				locator(1),
				1
			),
			Error::<Test>::InvalidTypeCode
		);
		assert_noop!(
			Ehr::add_record(
				origin.clone(),
				PATIENT,
				type_code(CONSULT_NOTE),
				H256::zero(),
				next_content_id(),
				locator(1),
				1
			),
			Error::<Test>::InvalidCommitment
		);
		assert_noop!(
			Ehr::add_record(
				origin,
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(1),
				next_content_id(),
				Default::default(),
				1
			),
			Error::<Test>::InvalidLocator
		);
	});
}

#[test]
fn record_cap_is_exactly_max_records_per_patient() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 0..MAX_RECORDS {
			add_record(PATIENT, PATIENT, CONSULT_NOTE, i as u8 + 1);
		}
		assert_eq!(PatientRecords::<Test>::get(PATIENT).len() as u32, MAX_RECORDS);
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(99),
				next_content_id(),
				locator(99),
				1
			),
			Error::<Test>::TooManyRecords
		);
		// Another patient is unaffected.
		add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 1);
	});
}

#[test]
fn record_deposit_must_be_affordable() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(PAUPER),
				PAUPER,
				type_code(CONSULT_NOTE),
				commitment(1),
				next_content_id(),
				locator(1),
				1
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn amending_supersedes_and_both_versions_stay_readable() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ_APPEND, 100, None));
		let old = add_record(HOSPITAL, PATIENT, CONSULT_NOTE, 1);
		run_to_block(2);
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(HOSPITAL),
			old,
			commitment(2),
			next_content_id(),
			locator(2),
			2048
		));
		let new = old + 1;
		System::assert_last_event(ehr_event(Event::RecordAmended {
			record_id: new,
			supersedes: old,
			patient: PATIENT,
			issuer: HOSPITAL,
			version: 2,
		}));
		let amended = Records::<Test>::get(new).unwrap();
		assert_eq!(amended.version, 2);
		assert_eq!(amended.supersedes, Some(old));
		assert_eq!(amended.type_code, type_code(CONSULT_NOTE));
		assert_eq!(amended.created_at, 2);
		assert_eq!(amended.status, RecordStatus::Active);
		assert_eq!(Records::<Test>::get(old).unwrap().status, RecordStatus::Amended);
		assert_eq!(PatientRecords::<Test>::get(PATIENT).into_inner(), vec![old, new]);
		assert_eq!(held(HoldReason::RecordDeposit, HOSPITAL), 2 * RECORD_DEPOSIT);

		assert_ok!(log(HOSPITAL, PATIENT, old));
		assert_ok!(log(HOSPITAL, PATIENT, new));

		// Only the current version can be amended, and the patient may amend too.
		assert_noop!(
			Ehr::amend_record(
				RuntimeOrigin::signed(HOSPITAL),
				old,
				commitment(3),
				next_content_id(),
				locator(3),
				1
			),
			Error::<Test>::RecordNotActive
		);
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(PATIENT),
			new,
			commitment(3),
			next_content_id(),
			locator(3),
			1
		));
		assert_eq!(Records::<Test>::get(new + 1).unwrap().version, 3);
	});
}

#[test]
fn amend_needs_an_append_grant_covering_the_record() {
	ExtBuilder::default().build_and_execute(|| {
		let first = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let second = add_record(PATIENT, PATIENT, CONSULT_NOTE, 2);
		let amend = |record| {
			Ehr::amend_record(
				RuntimeOrigin::signed(LAB),
				record,
				commitment(5),
				next_content_id(),
				locator(5),
				1,
			)
		};
		assert_noop!(amend(first), Error::<Test>::NotAuthorized);
		assert_noop!(amend(99), Error::<Test>::RecordNotFound);
		assert_noop!(
			Ehr::amend_record(
				RuntimeOrigin::signed(PATIENT),
				first,
				H256::zero(),
				next_content_id(),
				locator(5),
				1
			),
			Error::<Test>::InvalidCommitment
		);
		assert_ok!(grant_scope(PATIENT, LAB, records_scope(&[second]), AccessActions::APPEND));
		assert_noop!(amend(first), Error::<Test>::NotAuthorized);
		assert_ok!(amend(second));
		assert!(!Ehr::can_access(LAB, second + 1, AccessAction::Append));
	});
}

#[test]
fn erasing_removes_the_record_and_releases_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::READ_APPEND, 100, None));
		let id = add_record(HOSPITAL, PATIENT, CONSULT_NOTE, 1);
		assert_eq!(held(HoldReason::RecordDeposit, HOSPITAL), RECORD_DEPOSIT);

		assert_noop!(
			Ehr::erase_record(RuntimeOrigin::signed(HOSPITAL), id),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Ehr::erase_record(RuntimeOrigin::signed(PATIENT), 42),
			Error::<Test>::RecordNotFound
		);
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), id));
		System::assert_last_event(ehr_event(Event::RecordErased {
			record_id: id,
			patient: PATIENT,
		}));

		// Nothing of the record stays in state: no type code, issuer or date of a document the
		// patient had erased.
		assert!(!Records::<Test>::contains_key(id));
		assert!(!PatientRecords::<Test>::contains_key(PATIENT));
		assert_eq!(held(HoldReason::RecordDeposit, HOSPITAL), 0);
		assert_eq!(free(HOSPITAL), INITIAL_BALANCE);

		assert_noop!(
			Ehr::erase_record(RuntimeOrigin::signed(PATIENT), id),
			Error::<Test>::RecordNotFound
		);
		assert_noop!(log(HOSPITAL, PATIENT, id), Error::<Test>::RecordNotFound);
		assert_noop!(
			Ehr::amend_record(
				RuntimeOrigin::signed(PATIENT),
				id,
				commitment(2),
				next_content_id(),
				locator(2),
				1
			),
			Error::<Test>::RecordNotFound
		);
	});
}

#[test]
fn attack_junk_records_lock_the_patient_out_for_good() {
	ExtBuilder::default().build_and_execute(|| {
		// A provider with an append grant fills the patient's cap with junk, new records and
		// amended versions alike.
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		let first = add_record(HOSPITAL, PATIENT, CONSULT_NOTE, 1);
		let mut latest = first;
		for tag in 2..=MAX_RECORDS as u8 {
			assert_ok!(Ehr::amend_record(
				RuntimeOrigin::signed(HOSPITAL),
				latest,
				commitment(tag),
				next_content_id(),
				locator(tag),
				1
			));
			latest += 1;
		}
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				type_code(DISCHARGE),
				commitment(99),
				next_content_id(),
				locator(99),
				1
			),
			Error::<Test>::TooManyRecords
		);
		// The patient revokes and erases the junk; every erasure frees its slot.
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), HOSPITAL));
		for id in first..=latest {
			assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), id));
		}
		assert_eq!(held(HoldReason::RecordDeposit, HOSPITAL), 0);
		for tag in 0..MAX_RECORDS as u8 {
			add_record(PATIENT, PATIENT, DISCHARGE, 100 + tag);
		}
		assert_eq!(PatientRecords::<Test>::get(PATIENT).len() as u32, MAX_RECORDS);
	});
}

#[test]
fn attack_add_erase_loop_leaves_no_state() {
	ExtBuilder::default().build_and_execute(|| {
		for tag in 1..=3 * MAX_RECORDS as u8 {
			let id = add_record(PATIENT, PATIENT, CONSULT_NOTE, tag);
			assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), id));
		}
		assert_eq!(Records::<Test>::iter().count(), 0);
		assert_eq!(PatientRecords::<Test>::iter().count(), 0);
		assert_eq!(held(HoldReason::RecordDeposit, PATIENT), 0);
		assert_eq!(free(PATIENT), INITIAL_BALANCE);
	});
}

#[test]
fn a_legacy_tombstone_is_removed_by_erasing_it_again() {
	ExtBuilder::default().build_and_execute(|| {
		use frame_support::traits::fungible::MutateHold;
		// A tombstone an earlier runtime left in place.
		let id = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let mut tombstone = Records::<Test>::get(id).unwrap();
		assert_ok!(Balances::release(
			&RuntimeHoldReason::Ehr(HoldReason::RecordDeposit),
			&PATIENT,
			RECORD_DEPOSIT,
			frame_support::traits::tokens::Precision::Exact
		));
		tombstone.commitment = H256::zero();
		tombstone.locator = Default::default();
		tombstone.size = 0;
		tombstone.deposit = 0;
		tombstone.status = RecordStatus::Erased;
		Records::<Test>::insert(id, tombstone);
		assert_noop!(log(PATIENT, PATIENT, id), Error::<Test>::RecordErased);

		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), id));
		assert!(!Records::<Test>::contains_key(id));
		assert!(!PatientRecords::<Test>::contains_key(PATIENT));
		assert_eq!(free(PATIENT), INITIAL_BALANCE);
	});
}

#[test]
fn amended_versions_can_be_erased_one_by_one() {
	ExtBuilder::default().build_and_execute(|| {
		let old = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(PATIENT),
			old,
			commitment(2),
			next_content_id(),
			locator(2),
			1
		));
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), old));
		let current = Records::<Test>::get(old + 1).unwrap();
		assert_eq!(current.status, RecordStatus::Active);
		// The erased predecessor is gone; the id it had is never reused.
		assert_eq!(current.supersedes, Some(old));
		assert!(!Records::<Test>::contains_key(old));
		assert_eq!(PatientRecords::<Test>::get(PATIENT).into_inner(), vec![old + 1]);
		assert_eq!(held(HoldReason::RecordDeposit, PATIENT), RECORD_DEPOSIT);
	});
}

#[test]
fn attack_junk_amendment_strands_the_original() {
	ExtBuilder::default().build_and_execute(|| {
		// The patient's own document; a provider with an append grant supersedes it with junk.
		let original = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(HOSPITAL),
			original,
			commitment(66),
			next_content_id(),
			locator(66),
			1
		));
		let junk = original + 1;
		// Erasing the junk version makes the original the current version again: it can be
		// amended and counts as active (for example as evidence) once more.
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), junk));
		assert_eq!(Records::<Test>::get(original).unwrap().status, RecordStatus::Active);
		assert!(Ehr::can_access(PATIENT, original, AccessAction::Append));
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(PATIENT),
			original,
			commitment(2),
			next_content_id(),
			locator(2),
			1
		));
		// Erasing an amended version leaves the current one as it is.
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), original));
		assert_eq!(Records::<Test>::get(junk + 1).unwrap().status, RecordStatus::Active);
	});
}

#[test]
fn a_zero_content_id_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(1),
				H256::zero(),
				locator(1),
				1
			),
			Error::<Test>::InvalidContentId
		);
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_noop!(
			Ehr::amend_record(
				RuntimeOrigin::signed(PATIENT),
				record,
				commitment(2),
				H256::zero(),
				locator(2),
				1
			),
			Error::<Test>::InvalidContentId
		);
	});
}

#[test]
fn a_content_id_names_one_record_of_each_issuer_until_it_is_erased() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let taken = content_id(record);
		// The issuer cannot name the same object in a second record of its own.
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(2),
				taken,
				locator(2),
				1
			),
			Error::<Test>::ContentIdInUse
		);
		// A new version is a new sealed object.
		assert_noop!(
			Ehr::amend_record(
				RuntimeOrigin::signed(PATIENT),
				record,
				commitment(2),
				taken,
				locator(2),
				1
			),
			Error::<Test>::ContentIdInUse
		);
		assert_eq!(ContentRecords::<Test>::get(taken, PATIENT), Some(record));

		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), record));
		assert_eq!(ContentRecords::<Test>::get(taken, PATIENT), None);
		assert_eq!(Ehr::read_ticket(PATIENT, taken, PATIENT), None);
		// Erased, the id names nothing: a record may name it again (a vault never stores an
		// erased object again, so that record's object is not served).
		let again = add_record_naming(PATIENT, PATIENT, taken);
		assert_eq!(ContentRecords::<Test>::get(taken, PATIENT), Some(again));
	});
}

/// Content ids are public: the attack is to name a hospital's object in a record of one's own
/// before the hospital adds its record. One record per content id (storage version 2) then
/// refused the hospital's record with `ContentIdInUse`.
#[test]
fn a_content_id_named_first_by_another_issuer_neither_blocks_nor_governs_the_rightful_record() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		let object = next_content_id();
		let squat = add_record_naming(PATIENT_2, PATIENT_2, object);

		let rightful = add_record_naming(HOSPITAL, PATIENT, object);
		assert_eq!(ContentRecords::<Test>::get(object, HOSPITAL), Some(rightful));
		assert_eq!(ContentRecords::<Test>::get(object, PATIENT_2), Some(squat));
		// The hospital uploaded the object, so its record governs it: the patient reads, the
		// squatter does not.
		let hospitals = |reader| Ehr::read_ticket(reader, object, HOSPITAL);
		assert_eq!(
			hospitals(PATIENT).map(|t| (t.record_id, t.verdict)),
			Some((rightful, ReadVerdict::Owner))
		);
		assert_eq!(
			hospitals(PATIENT_2).map(|t| t.verdict),
			Some(ReadVerdict::Refused(ReadRefusal::NotAuthorized))
		);
		// The squatter's record governs only an upload of its own, which these bytes are not.
		assert_eq!(
			Ehr::read_ticket(PATIENT_2, object, PATIENT_2).map(|t| t.record_id),
			Some(squat)
		);
		// Erasing one issuer's record leaves the other's.
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT_2), squat));
		assert_eq!(ContentRecords::<Test>::get(object, HOSPITAL), Some(rightful));
		assert_eq!(ContentRecords::<Test>::get(object, PATIENT_2), None);
	});
}

#[test]
fn an_amendment_names_its_own_object_and_both_stay_named() {
	ExtBuilder::default().build_and_execute(|| {
		let first = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let amended_object = next_content_id();
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(PATIENT),
			first,
			commitment(2),
			amended_object,
			locator(2),
			1
		));
		let second = first + 1;
		assert_eq!(Records::<Test>::get(second).unwrap().content_id, Some(amended_object));
		assert_eq!(ContentRecords::<Test>::get(content_id(first), PATIENT), Some(first));
		assert_eq!(ContentRecords::<Test>::get(amended_object, PATIENT), Some(second));
		// Erasing the amendment frees only its own object's id.
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), second));
		assert_eq!(ContentRecords::<Test>::get(amended_object, PATIENT), None);
		assert_eq!(ContentRecords::<Test>::get(content_id(first), PATIENT), Some(first));
	});
}
