use super::*;

fn cleanup(dataset: DatasetId, recipients: Vec<u64>) -> DispatchResult {
	DnaWallet::remove_expired_shares(
		RuntimeOrigin::signed(STRANGER),
		dataset,
		BoundedVec::try_from(recipients).unwrap(),
	)
}

#[test]
fn share_key_records_the_wrapped_key_for_a_live_recipient_key() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		System::assert_last_event(dw_event(Event::KeyShared {
			dataset,
			recipient: CLINICIAN,
			recipient_key_id: CLINICIAN_KEY,
			key_version: 1,
			expires_at: 50,
			purpose: SharePurpose::Clinical,
		}));
		let stored = Shares::<Test>::get(dataset, CLINICIAN).unwrap();
		assert_eq!(stored.wrapped_key, wrapped(CLINICIAN as u8));
		assert_eq!(stored.study, None);
		assert_eq!(stored.deposit, SHARE_DEPOSIT);
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().share_count, 1);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
		assert!(DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert!(!DnaWallet::can_decrypt(dataset, COUNSELLOR));
	});
}

#[test]
fn sharing_again_replaces_the_share_and_keeps_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(DnaWallet::share_key(
			RuntimeOrigin::signed(OWNER),
			dataset,
			CLINICIAN,
			CLINICIAN_KEY,
			wrapped(7),
			80,
			SharePurpose::Counselling,
		));
		let stored = Shares::<Test>::get(dataset, CLINICIAN).unwrap();
		assert_eq!((stored.expires_at, stored.purpose), (80, SharePurpose::Counselling));
		assert_eq!(stored.wrapped_key, wrapped(7));
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().share_count, 1);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
	});
}

#[test]
fn share_key_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_noop!(
			share(STRANGER, dataset, CLINICIAN, CLINICIAN_KEY, 50),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(share(OWNER, 9, CLINICIAN, CLINICIAN_KEY, 50), Error::<Test>::DatasetNotFound);
		assert_noop!(
			DnaWallet::share_key(
				RuntimeOrigin::signed(OWNER),
				dataset,
				CLINICIAN,
				CLINICIAN_KEY,
				BoundedVec::new(),
				50,
				SharePurpose::Clinical
			),
			Error::<Test>::InvalidWrappedKey
		);
		// `expires_at` must be after the current block.
		assert_noop!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 1), Error::<Test>::Expired);
		// The key must be the recipient's.
		assert_noop!(share(OWNER, dataset, CLINICIAN, ORG_KEY, 50), Error::<Test>::KeyNotFound);
		assert_noop!(share(OWNER, dataset, COUNSELLOR, 0, 50), Error::<Test>::KeyNotFound);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 2));
	});
}

#[test]
fn share_cap_is_exactly_max_shares_per_dataset() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert_ok!(share(OWNER, dataset, ENCLAVE, ENCLAVE_KEY, 50));
		let key = register_key(COUNSELLOR, 11);
		assert_noop!(share(OWNER, dataset, COUNSELLOR, key, 50), Error::<Test>::TooManyShares);
		// Replacing an existing share is still possible at the cap.
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 60));
	});
}

#[test]
fn a_share_is_dead_from_its_expiry_block() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 5));
		run_to_block(4);
		assert!(DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert_noop!(cleanup(dataset, vec![CLINICIAN]), Error::<Test>::ShareLive);
		run_to_block(5);
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert_ok!(cleanup(dataset, vec![CLINICIAN]));
		System::assert_last_event(dw_event(Event::DeadShareRemoved {
			dataset,
			recipient: CLINICIAN,
		}));
		assert!(!Shares::<Test>::contains_key(dataset, CLINICIAN));
		// The deposit goes back to the owner, not to the caller.
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), 0);
		assert_eq!(free(OWNER), INITIAL_BALANCE - DATASET_DEPOSIT);
		assert_eq!(free(STRANGER), INITIAL_BALANCE);
	});
}

#[test]
fn rotating_or_revoking_the_recipient_key_kills_its_shares() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert_ok!(DnaWallet::rotate_key(
			RuntimeOrigin::signed(CLINICIAN),
			CLINICIAN_KEY,
			x25519(12),
			KeyType::X25519
		));
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(ORG), ORG_KEY));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		assert_ok!(cleanup(dataset, vec![CLINICIAN, ORG]));
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().share_count, 0);
	});
}

#[test]
fn shares_of_an_old_data_key_version_are_removable_by_anyone() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert_ok!(DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), dataset, hash(2)));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		// All are checked before any is removed.
		assert_noop!(cleanup(dataset, vec![CLINICIAN, ORG]), Error::<Test>::ShareLive);
		assert_ok!(cleanup(dataset, vec![CLINICIAN]));
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().share_count, 1);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
	});
}

#[test]
fn cleanup_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 5));
		run_to_block(5);
		assert_noop!(cleanup(9, vec![CLINICIAN]), Error::<Test>::DatasetNotFound);
		assert_noop!(cleanup(dataset, vec![CLINICIAN, CLINICIAN]), Error::<Test>::DuplicateTarget);
		assert_noop!(cleanup(dataset, vec![CLINICIAN, ORG]), Error::<Test>::ShareNotFound);
	});
}

#[test]
fn revoke_share_removes_it_at_once_and_releases_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_noop!(
			DnaWallet::revoke_share(RuntimeOrigin::signed(CLINICIAN), dataset, CLINICIAN),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), 9, CLINICIAN),
			Error::<Test>::DatasetNotFound
		);
		assert_noop!(
			DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), dataset, ORG),
			Error::<Test>::ShareNotFound
		);
		assert_ok!(DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), dataset, CLINICIAN));
		System::assert_last_event(dw_event(Event::ShareRevoked { dataset, recipient: CLINICIAN }));
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().share_count, 0);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), 0);
	});
}
