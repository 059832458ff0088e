//! What never goes on chain, and the end-to-end flow.

use super::*;
use codec::Encode;

/// Whether `needle` occurs anywhere in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// The flow: hospital registered → patient grants hospital append → hospital adds a
/// record → patient grants a doctor read for 100 blocks for treatment → the doctor's gateway
/// logs an access → patient revokes → a further access fails → an unjustified break-glass by
/// another provider is reviewed and slashed → patient erases the record.
#[test]
fn full_flow_emits_no_plaintext_and_stores_only_salted_commitments() {
	ExtBuilder::default().build_and_execute(|| {
		// Off chain: the document, its hash, a random salt, the ciphertext's encrypted locator.
		let plaintext = b"Diagnosis: type 2 diabetes; HbA1c 8.1%".to_vec();
		let content_hash = sp_io::hashing::blake2_256(&plaintext);
		let salt = [0x5a_u8; 32];
		let salted = H256(sp_io::hashing::blake2_256(&[salt.as_slice(), &content_hash].concat()));
		let secret_locator: LocatorOf<Test> =
			frame_support::BoundedVec::try_from(b"enc(ipfs://bafy-SECRET-LOCATOR)".to_vec())
				.unwrap();

		let clinic = 40;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), clinic, INITIAL_BALANCE));
		assert_ok!(Ehr::register_provider(
			RuntimeOrigin::root(),
			clinic,
			ProviderKind::Hospital,
			Default::default()
		));
		assert_ok!(grant(PATIENT, clinic, AccessActions::APPEND, 1_000, None));
		let object = next_content_id();
		assert_ok!(Ehr::add_record(
			RuntimeOrigin::signed(clinic),
			PATIENT,
			type_code(DISCHARGE),
			salted,
			object,
			secret_locator.clone(),
			plaintext.len() as u64,
		));
		let record = 0;
		let stored = Records::<Test>::get(record).unwrap();
		assert_eq!(stored.commitment, salted);
		assert_ne!(stored.commitment.0, content_hash);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 1 + 100, None));
		assert_ok!(log(DOCTOR, PATIENT, record));
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR));
		assert_noop!(log(DOCTOR, PATIENT, record), Error::<Test>::NotAuthorized);
		assert_ok!(Ehr::break_glass(RuntimeOrigin::signed(ER_DOCTOR), PATIENT, commitment(9)));
		assert_ok!(Ehr::log_access(
			RuntimeOrigin::signed(ER_DOCTOR),
			PATIENT,
			record,
			PurposeOfUse::Emergency
		));
		assert_ok!(Ehr::review_break_glass(
			RuntimeOrigin::root(),
			PATIENT,
			ER_DOCTOR,
			BreakGlassVerdict::Unjustified
		));
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), record));

		// The patient's log shows who accessed what.
		let log = Ehr::access_log(PATIENT, 0, 10);
		assert_eq!(
			log.iter().map(|e| (e.accessor, e.record_id, e.basis)).collect::<Vec<_>>(),
			vec![
				(DOCTOR, Some(record), AccessBasis::Grant),
				(ER_DOCTOR, None, AccessBasis::BreakGlass),
				(ER_DOCTOR, Some(record), AccessBasis::BreakGlass),
			]
		);
		// The slashed deposit went to the patient (who still holds the clinic's grant deposit).
		assert_eq!(free(PATIENT), INITIAL_BALANCE - GRANT_DEPOSIT + BREAK_GLASS_DEPOSIT);

		// No event carries the plaintext, its plain hash, or the locator.
		let events = System::events();
		assert!(events.len() > 10);
		for record in events {
			let encoded = record.event.encode();
			assert!(!contains(&encoded, &plaintext), "plaintext in {:?}", record.event);
			assert!(!contains(&encoded, &content_hash), "content hash in {:?}", record.event);
			assert!(!contains(&encoded, &secret_locator), "locator in {:?}", record.event);
			assert!(!contains(&encoded, b"SECRET"), "locator in {:?}", record.event);
			assert!(!contains(&encoded, object.as_bytes()), "content id in {:?}", record.event);
		}
		// Storage never held the plain content hash, and after erasure not the locator or the
		// content id either.
		for (_, stored) in Records::<Test>::iter() {
			let encoded = stored.encode();
			assert!(!contains(&encoded, &content_hash));
			assert!(!contains(&encoded, &plaintext));
			assert!(!contains(&encoded, b"SECRET"));
		}
		assert!(all_storage()
			.iter()
			.all(|(key, value)| !contains(key, object.as_bytes())
				&& !contains(value, object.as_bytes())));
	});
}

/// Every storage value of the test externalities, with its key.
fn all_storage() -> Vec<(Vec<u8>, Vec<u8>)> {
	let mut out = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if let Some(value) = sp_io::storage::get(&next) {
			out.push((next.clone(), value.to_vec()));
		}
		key = next;
	}
	out
}

#[test]
fn attack_events_reveal_what_and_why_a_patient_is_read() {
	ExtBuilder::default().build_and_execute(|| {
		// A rare document type, read for a telling purpose.
		const RARE: &[u8] = b"HIV-1-RNA";
		assert_ok!(grant_scope(PATIENT, HOSPITAL, GrantScope::All, AccessActions::APPEND));
		let id = add_record(HOSPITAL, PATIENT, RARE, 1);
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			LAB,
			GrantScope::All,
			AccessActions::READ,
			PurposeOfUse::Research,
			1,
			100,
			None,
		));
		assert_ok!(Ehr::log_access(
			RuntimeOrigin::signed(LAB),
			PATIENT,
			id,
			PurposeOfUse::Research
		));
		System::assert_last_event(ehr_event(Event::AccessLogged { patient: PATIENT, index: 0 }));
		assert_ok!(Ehr::request_access(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			types_scope(&[RARE]),
			AccessActions::READ,
			PurposeOfUse::Research,
			10,
		));

		// Events say that something happened to a patient's file, not what or why: no type
		// code, no purpose, no period, and of a read only that the patient's log grew (who read
		// which record for what, on which basis, is the patient's to read in their log).
		System::assert_has_event(ehr_event(Event::RecordAdded {
			record_id: id,
			patient: PATIENT,
			issuer: HOSPITAL,
		}));
		System::assert_has_event(ehr_event(Event::AccessGranted {
			patient: PATIENT,
			grantee: LAB,
			granted_by: PATIENT,
		}));
		System::assert_last_event(ehr_event(Event::AccessRequested {
			patient: PATIENT,
			requester: DOCTOR,
			expires_at: 1 + REQUEST_TTL,
		}));
		for record in System::events() {
			let encoded = record.event.encode();
			assert!(!contains(&encoded, RARE), "type code in {:?}", record.event);
		}
		// The patient still sees every read: who, which record, why, on which basis.
		let log = Ehr::access_log(PATIENT, 0, 10);
		assert_eq!(
			log.iter().map(|e| (e.accessor, e.record_id, e.purpose, e.basis)).collect::<Vec<_>>(),
			vec![(LAB, Some(id), PurposeOfUse::Research, AccessBasis::Grant)]
		);

		// Once erased, nothing in state says what the document was.
		assert_ok!(Ehr::cancel_request(RuntimeOrigin::signed(DOCTOR), PATIENT));
		assert_ok!(Ehr::erase_record(RuntimeOrigin::signed(PATIENT), id));
		System::reset_events();
		for (key, value) in all_storage() {
			assert!(!contains(&value, RARE), "type code in the value under {}", hex(&key));
		}
	});
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
