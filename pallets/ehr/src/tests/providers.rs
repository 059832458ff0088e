use super::*;

fn credential(bytes: &[u8]) -> CredentialOf<Test> {
	frame_support::BoundedVec::try_from(bytes.to_vec()).unwrap()
}

#[test]
fn registrar_registers_an_active_provider() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Ehr::register_provider(
			RuntimeOrigin::root(),
			STRANGER,
			ProviderKind::Pharmacy,
			credential(b"licence:pharmacy"),
		));
		let info = Providers::<Test>::get(STRANGER).unwrap();
		assert_eq!(info.kind, ProviderKind::Pharmacy);
		assert_eq!(info.status, ProviderStatus::Active);
		assert_eq!(info.registered_at, 1);
		assert_eq!(info.credential.as_slice(), b"licence:pharmacy");
		System::assert_last_event(ehr_event(Event::ProviderRegistered {
			provider: STRANGER,
			kind: ProviderKind::Pharmacy,
		}));
	});
}

#[test]
fn only_the_registrar_manages_providers() {
	ExtBuilder::default().build_and_execute(|| {
		let signed = RuntimeOrigin::signed(HOSPITAL);
		assert_noop!(
			Ehr::register_provider(
				signed.clone(),
				STRANGER,
				ProviderKind::Clinic,
				credential(b"x")
			),
			DispatchError::BadOrigin
		);
		assert_noop!(Ehr::suspend_provider(signed.clone(), DOCTOR), DispatchError::BadOrigin);
		assert_noop!(Ehr::resume_provider(signed.clone(), DOCTOR), DispatchError::BadOrigin);
		assert_noop!(Ehr::deregister_provider(signed, DOCTOR), DispatchError::BadOrigin);
	});
}

#[test]
fn registering_twice_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Ehr::register_provider(
				RuntimeOrigin::root(),
				HOSPITAL,
				ProviderKind::Clinic,
				credential(b"again")
			),
			Error::<Test>::ProviderAlreadyExists
		);
	});
}

#[test]
fn unknown_providers_cannot_be_managed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Ehr::suspend_provider(RuntimeOrigin::root(), STRANGER),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			Ehr::resume_provider(RuntimeOrigin::root(), STRANGER),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			Ehr::deregister_provider(RuntimeOrigin::root(), STRANGER),
			Error::<Test>::ProviderNotFound
		);
	});
}

#[test]
fn suspended_provider_can_do_nothing_until_resumed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ_APPEND, 100, None));
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);

		assert_ok!(Ehr::suspend_provider(RuntimeOrigin::root(), DOCTOR));
		System::assert_last_event(ehr_event(Event::ProviderSuspended { provider: DOCTOR }));
		assert_eq!(Providers::<Test>::get(DOCTOR).unwrap().status, ProviderStatus::Suspended);
		assert_noop!(
			Ehr::suspend_provider(RuntimeOrigin::root(), DOCTOR),
			Error::<Test>::ProviderSuspended
		);

		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::ProviderSuspended);
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(2),
				next_content_id(),
				locator(2),
				1
			),
			Error::<Test>::ProviderSuspended
		);
		assert_noop!(
			grant(PATIENT, DOCTOR, AccessActions::READ, 50, None),
			Error::<Test>::ProviderSuspended
		);
		assert_noop!(request(DOCTOR, PATIENT_2, 10), Error::<Test>::ProviderSuspended);
		assert_noop!(
			Ehr::break_glass(RuntimeOrigin::signed(DOCTOR), PATIENT, commitment(9)),
			Error::<Test>::ProviderSuspended
		);
		assert!(!Ehr::can_access(DOCTOR, record, AccessAction::Read));

		assert_ok!(Ehr::resume_provider(RuntimeOrigin::root(), DOCTOR));
		System::assert_last_event(ehr_event(Event::ProviderResumed { provider: DOCTOR }));
		assert_noop!(
			Ehr::resume_provider(RuntimeOrigin::root(), DOCTOR),
			Error::<Test>::ProviderNotSuspended
		);
		assert_ok!(log(DOCTOR, PATIENT, record));
	});
}

#[test]
fn deregistered_provider_keeps_no_access() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		let record = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);

		assert_ok!(Ehr::deregister_provider(RuntimeOrigin::root(), DOCTOR));
		System::assert_last_event(ehr_event(Event::ProviderDeregistered { provider: DOCTOR }));
		assert!(!Providers::<Test>::contains_key(DOCTOR));

		// The grant stays (and its deposit) until the patient revokes it, but is useless.
		assert!(Grants::<Test>::contains_key(PATIENT, DOCTOR));
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::ProviderNotFound);
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR));
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), 0);
	});
}
