use super::*;

#[test]
fn register_key_holds_a_deposit_and_lists_the_key() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register_key(OWNER, 1);
		System::assert_last_event(dw_event(Event::KeyRegistered {
			who: OWNER,
			key_id: id,
			key_type: KeyType::X25519,
		}));
		assert_eq!(id, 3, "three keys were registered at genesis");
		let keys = Keys::<Test>::get(OWNER);
		assert_eq!(keys.len(), 1);
		assert_eq!(keys[0].public_key, x25519(1));
		assert_eq!(keys[0].created_at, 1);
		assert_eq!(keys[0].revoked_at, None);
		assert_eq!(held(HoldReason::KeyDeposit, OWNER), KEY_DEPOSIT);
		assert_ok!(DnaWallet::register_key(
			RuntimeOrigin::signed(OWNER),
			secp256k1(2),
			KeyType::Secp256k1
		));
		assert_eq!(held(HoldReason::KeyDeposit, OWNER), 2 * KEY_DEPOSIT);
	});
}

#[test]
fn malformed_keys_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let short: PublicKey = BoundedVec::try_from(vec![1u8; 31]).unwrap();
		let zero: PublicKey = BoundedVec::try_from(vec![0u8; 32]).unwrap();
		let bad_prefix: PublicKey =
			BoundedVec::try_from([vec![0x05], vec![1u8; 32]].concat()).unwrap();
		let uncompressed: PublicKey =
			BoundedVec::try_from([vec![0x04], vec![1u8; 64]].concat()).unwrap();
		for (key, key_type) in [
			(short, KeyType::X25519),
			(zero, KeyType::X25519),
			(bad_prefix, KeyType::P256),
			(x25519(1), KeyType::Secp256k1),
		] {
			assert_noop!(
				DnaWallet::register_key(RuntimeOrigin::signed(OWNER), key, key_type),
				Error::<Test>::InvalidPublicKey
			);
		}
		assert_ok!(DnaWallet::register_key(
			RuntimeOrigin::signed(OWNER),
			uncompressed,
			KeyType::P256
		));
	});
}

#[test]
fn the_same_key_cannot_be_registered_twice() {
	ExtBuilder::default().build_and_execute(|| {
		register_key(OWNER, 1);
		assert_noop!(
			DnaWallet::register_key(RuntimeOrigin::signed(OWNER), x25519(1), KeyType::X25519),
			Error::<Test>::KeyAlreadyExists
		);
		// Another account may register the same public key bytes.
		register_key(OWNER_2, 1);
	});
}

#[test]
fn key_cap_is_exactly_max_keys_per_account() {
	ExtBuilder::default().build_and_execute(|| {
		for tag in 1..=MAX_KEYS as u8 {
			register_key(OWNER, tag);
		}
		assert_noop!(
			DnaWallet::register_key(RuntimeOrigin::signed(OWNER), x25519(99), KeyType::X25519),
			Error::<Test>::TooManyKeys
		);
	});
}

#[test]
fn registering_a_key_needs_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DnaWallet::register_key(RuntimeOrigin::signed(PAUPER), x25519(1), KeyType::X25519),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn rotate_key_adds_the_new_key_and_retires_the_old_atomically() {
	ExtBuilder::default().build_and_execute(|| {
		let old = register_key(OWNER, 1);
		run_to_block(5);
		assert_ok!(DnaWallet::rotate_key(
			RuntimeOrigin::signed(OWNER),
			old,
			x25519(2),
			KeyType::X25519
		));
		let new = old + 1;
		System::assert_last_event(dw_event(Event::KeyRotated {
			who: OWNER,
			old_key_id: old,
			new_key_id: new,
		}));
		let keys = Keys::<Test>::get(OWNER);
		assert_eq!(keys.len(), 2);
		assert_eq!(keys[0].revoked_at, Some(5));
		assert_eq!((keys[1].id, keys[1].revoked_at), (new, None));
		assert_eq!(held(HoldReason::KeyDeposit, OWNER), 2 * KEY_DEPOSIT);
	});
}

#[test]
fn rotate_key_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let old = register_key(OWNER, 1);
		assert_noop!(
			DnaWallet::rotate_key(RuntimeOrigin::signed(OWNER), 77, x25519(2), KeyType::X25519),
			Error::<Test>::KeyNotFound
		);
		// Another account's key is not found under the caller.
		assert_noop!(
			DnaWallet::rotate_key(
				RuntimeOrigin::signed(OWNER),
				CLINICIAN_KEY,
				x25519(2),
				KeyType::X25519
			),
			Error::<Test>::KeyNotFound
		);
		assert_noop!(
			DnaWallet::rotate_key(RuntimeOrigin::signed(OWNER), old, x25519(1), KeyType::X25519),
			Error::<Test>::KeyAlreadyExists
		);
		assert_noop!(
			DnaWallet::rotate_key(RuntimeOrigin::signed(OWNER), old, x25519(0), KeyType::X25519),
			Error::<Test>::InvalidPublicKey
		);
		register_key(OWNER, 2);
		register_key(OWNER, 3);
		assert_noop!(
			DnaWallet::rotate_key(RuntimeOrigin::signed(OWNER), old, x25519(4), KeyType::X25519),
			Error::<Test>::TooManyKeys
		);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), old));
		assert_noop!(
			DnaWallet::rotate_key(RuntimeOrigin::signed(OWNER), old, x25519(4), KeyType::X25519),
			Error::<Test>::KeyRevoked
		);
	});
}

#[test]
fn revoke_key_marks_it_revoked_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		let key = register_key(OWNER, 1);
		run_to_block(3);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), key));
		System::assert_last_event(dw_event(Event::KeyRevoked { who: OWNER, key_id: key }));
		assert_eq!(Keys::<Test>::get(OWNER)[0].revoked_at, Some(3));
		assert_noop!(
			DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), key),
			Error::<Test>::KeyRevoked
		);
		assert_noop!(
			DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), ORG_KEY),
			Error::<Test>::KeyNotFound
		);
		// The deposit stays until the key is removed.
		assert_eq!(held(HoldReason::KeyDeposit, OWNER), KEY_DEPOSIT);
	});
}

#[test]
fn a_revoked_key_never_receives_new_shares() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(CLINICIAN), CLINICIAN_KEY));
		assert_noop!(
			share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50),
			Error::<Test>::KeyRevoked
		);
	});
}

#[test]
fn remove_key_only_removes_a_revoked_key_and_releases_its_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let key = register_key(OWNER, 1);
		assert_noop!(
			DnaWallet::remove_key(RuntimeOrigin::signed(OWNER), key),
			Error::<Test>::KeyNotRevoked
		);
		assert_noop!(
			DnaWallet::remove_key(RuntimeOrigin::signed(OWNER), 77),
			Error::<Test>::KeyNotFound
		);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), key));
		assert_ok!(DnaWallet::remove_key(RuntimeOrigin::signed(OWNER), key));
		System::assert_last_event(dw_event(Event::KeyRemoved { who: OWNER, key_id: key }));
		assert!(!Keys::<Test>::contains_key(OWNER));
		assert_eq!(held(HoldReason::KeyDeposit, OWNER), 0);
		assert_eq!(free(OWNER), INITIAL_BALANCE);
		// Ids are never reused.
		assert_eq!(register_key(OWNER, 1), key + 1);
	});
}

#[test]
fn the_registry_tells_pallet_ehr_who_has_a_live_x25519_key() {
	use medchain_keys::KeyAgreementRegistry;
	ExtBuilder::default().build_and_execute(|| {
		let has = <DnaWallet as KeyAgreementRegistry<u64>>::has_sealing_key;
		assert!(!has(&OWNER));
		// Only X25519 keys receive sealing-v1 envelopes.
		assert_ok!(DnaWallet::register_key(
			RuntimeOrigin::signed(OWNER),
			secp256k1(2),
			KeyType::Secp256k1
		));
		assert!(!has(&OWNER));
		let key = register_key(OWNER, 1);
		assert!(has(&OWNER));
		assert_ok!(DnaWallet::rotate_key(
			RuntimeOrigin::signed(OWNER),
			key,
			x25519(3),
			KeyType::X25519
		));
		assert!(has(&OWNER));
		let rotated = Keys::<Test>::get(OWNER)
			.iter()
			.find(|k| k.is_live() && k.key_type == KeyType::X25519)
			.unwrap()
			.id;
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), rotated));
		assert!(!has(&OWNER));
	});
}
