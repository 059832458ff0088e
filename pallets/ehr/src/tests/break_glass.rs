use super::*;

/// `provider` logs an emergency read of `record` of the patient.
fn emergency_read(provider: u64, record: RecordId) -> DispatchResult {
	Ehr::log_access(RuntimeOrigin::signed(provider), PATIENT, record, PurposeOfUse::Emergency)
}

#[test]
fn break_glass_opens_logged_emergency_access() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert!(!Ehr::can_access(ER_DOCTOR, record, AccessAction::Read));
		run_to_block(2);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		System::assert_last_event(ehr_event(Event::BreakGlassOpened {
			patient: PATIENT,
			provider: ER_DOCTOR,
			expires_at: 2 + BREAK_GLASS_DURATION,
		}));
		let access = BreakGlasses::<Test>::get(PATIENT, ER_DOCTOR).unwrap();
		assert_eq!(access.reason_commitment, commitment(9));
		assert_eq!(access.opened_at, 2);
		assert_eq!(access.deposit, BREAK_GLASS_DEPOSIT);
		assert_eq!(PendingReviews::<Test>::get(), 1);
		assert_eq!(held(HoldReason::BreakGlassDeposit, ER_DOCTOR), BREAK_GLASS_DEPOSIT);
		// The opening is in the patient's log.
		assert_eq!(
			Ehr::access_log(PATIENT, 0, 10),
			vec![AccessEntry {
				index: 0,
				accessor: ER_DOCTOR,
				record_id: None,
				purpose: PurposeOfUse::Emergency,
				basis: AccessBasis::BreakGlass,
				at: 2,
			}]
		);

		assert!(Ehr::can_access(ER_DOCTOR, record, AccessAction::Read));
		assert!(!Ehr::can_access(ER_DOCTOR, record, AccessAction::Append));
		assert_ok!(Ehr::log_access(
			RuntimeOrigin::signed(ER_DOCTOR),
			PATIENT,
			record,
			PurposeOfUse::Emergency
		));
		System::assert_last_event(ehr_event(Event::AccessLogged { patient: PATIENT, index: 1 }));
		let entry = &Ehr::access_log(PATIENT, 1, 1)[0];
		assert_eq!(
			(entry.accessor, entry.record_id, entry.purpose, entry.basis),
			(ER_DOCTOR, Some(record), PurposeOfUse::Emergency, AccessBasis::BreakGlass)
		);
	});
}

#[test]
fn emergency_access_ends_exactly_at_expiry_but_stays_pending_review() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		run_to_block(BREAK_GLASS_DURATION);
		assert_ok!(emergency_read(ER_DOCTOR, record));
		run_to_block(1 + BREAK_GLASS_DURATION);
		assert_noop!(emergency_read(ER_DOCTOR, record), Error::<Test>::NotAuthorized);
		assert!(BreakGlasses::<Test>::contains_key(PATIENT, ER_DOCTOR));
		assert_eq!(PendingReviews::<Test>::get(), 1);
		// Still one per provider and patient until reviewed.
		assert_noop!(
			Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(8)),
			Error::<Test>::BreakGlassAlreadyExists
		);
	});
}

#[test]
fn break_glass_falls_back_when_the_grant_does_not_cover() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, LAB_REPORT, 1);
		assert_ok!(grant_scope(PATIENT, DOCTOR, types_scope(&[CONSULT_NOTE]), AccessActions::READ));
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::NotAuthorized);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(DOCTOR), PATIENT, commitment(9)));
		assert_ok!(emergency_read(DOCTOR, record));
		assert_eq!(Ehr::access_log(PATIENT, 1, 1)[0].basis, AccessBasis::BreakGlass);
	});
}

#[test]
fn invalid_break_glass_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let break_glass = |who: u64, patient: u64, reason: H256| {
			Ehr::break_glass(RuntimeOrigin::signed(who), patient, reason)
		};
		assert_noop!(
			break_glass(ER_DOCTOR, ER_DOCTOR, commitment(9)),
			Error::<Test>::CannotTargetSelf
		);
		assert_noop!(
			break_glass(STRANGER, PATIENT, commitment(9)),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			break_glass(ER_DOCTOR, PATIENT, H256::zero()),
			Error::<Test>::InvalidCommitment
		);
		assert_ok!(Ehr::register_provider(
			RuntimeOrigin::root(),
			PAUPER,
			ProviderKind::Clinician,
			Default::default()
		));
		assert_noop!(break_glass(PAUPER, PATIENT, commitment(9)), TokenError::FundsUnavailable);
	});
}

#[test]
fn justified_break_glass_returns_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		assert_ok!(Ehr::review_break_glass(
			RuntimeOrigin::root(),
			PATIENT,
			ER_DOCTOR,
			BreakGlassVerdict::Justified
		));
		System::assert_last_event(ehr_event(Event::BreakGlassReviewed {
			patient: PATIENT,
			provider: ER_DOCTOR,
			verdict: BreakGlassVerdict::Justified,
			amount: BREAK_GLASS_DEPOSIT,
		}));
		assert!(!BreakGlasses::<Test>::contains_key(PATIENT, ER_DOCTOR));
		assert_eq!(PendingReviews::<Test>::get(), 0);
		assert_eq!(free(ER_DOCTOR), INITIAL_BALANCE);
		// Review ends the access even before it expires.
		assert_noop!(emergency_read(ER_DOCTOR, record), Error::<Test>::NotAuthorized);
	});
}

#[test]
fn unjustified_break_glass_pays_the_deposit_to_the_patient() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		assert_ok!(Ehr::review_break_glass(
			RuntimeOrigin::root(),
			PATIENT,
			ER_DOCTOR,
			BreakGlassVerdict::Unjustified
		));
		System::assert_last_event(ehr_event(Event::BreakGlassReviewed {
			patient: PATIENT,
			provider: ER_DOCTOR,
			verdict: BreakGlassVerdict::Unjustified,
			amount: BREAK_GLASS_DEPOSIT,
		}));
		assert_eq!(free(PATIENT), INITIAL_BALANCE + BREAK_GLASS_DEPOSIT);
		assert_eq!(Balances::total_balance(&ER_DOCTOR), INITIAL_BALANCE - BREAK_GLASS_DEPOSIT);
		assert_eq!(held(HoldReason::BreakGlassDeposit, ER_DOCTOR), 0);
		assert_eq!(PendingReviews::<Test>::get(), 0);
		// A new emergency may be taken after review.
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(8)));
	});
}

#[test]
fn slash_creates_an_empty_patient_account() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PAUPER, commitment(9)));
		assert_ok!(Ehr::review_break_glass(
			RuntimeOrigin::root(),
			PAUPER,
			ER_DOCTOR,
			BreakGlassVerdict::Unjustified
		));
		assert_eq!(free(PAUPER), BREAK_GLASS_DEPOSIT);
	});
}

#[test]
fn only_the_reviewer_reviews_existing_break_glass() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		assert_noop!(
			Ehr::review_break_glass(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				ER_DOCTOR,
				BreakGlassVerdict::Unjustified
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Ehr::review_break_glass(
				RuntimeOrigin::root(),
				PATIENT,
				DOCTOR,
				BreakGlassVerdict::Unjustified
			),
			Error::<Test>::BreakGlassNotFound
		);
	});
}

#[test]
fn attack_insurer_or_researcher_breaks_glass() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		for (who, kind) in [
			(40, ProviderKind::Insurer),
			(41, ProviderKind::Researcher),
			(42, ProviderKind::Laboratory),
			(43, ProviderKind::Pharmacy),
			(44, ProviderKind::Other),
		] {
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, INITIAL_BALANCE));
			assert_ok!(Ehr::register_provider(
				RuntimeOrigin::root(),
				who,
				kind,
				Default::default()
			));
			assert_noop!(
				Ehr::break_glass(RuntimeOrigin::signed(who), PATIENT, commitment(9)),
				Error::<Test>::ProviderNotClinical
			);
			assert_noop!(
				Ehr::log_access(
					RuntimeOrigin::signed(who),
					PATIENT,
					record,
					PurposeOfUse::Emergency
				),
				Error::<Test>::NotAuthorized
			);
		}
		// Clinical kinds may.
		for (who, kind) in [(45, ProviderKind::Hospital), (46, ProviderKind::Clinic)] {
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, INITIAL_BALANCE));
			assert_ok!(Ehr::register_provider(
				RuntimeOrigin::root(),
				who,
				kind,
				Default::default()
			));
			assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(who), PATIENT, commitment(9)));
		}
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
	});
}

#[test]
fn attack_break_glass_read_logged_for_another_purpose() {
	ExtBuilder::default().build_and_execute(|| {
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		// Emergency access is for emergency treatment: a read under it cannot be filed as
		// treatment, research or anything else.
		for purpose in [PurposeOfUse::Treatment, PurposeOfUse::Research, PurposeOfUse::Payment] {
			assert_noop!(
				Ehr::log_access(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, record, purpose),
				Error::<Test>::PurposeMismatch
			);
		}
		assert_ok!(Ehr::log_access(
			RuntimeOrigin::signed(ER_DOCTOR),
			PATIENT,
			record,
			PurposeOfUse::Emergency
		));
	});
}
