use super::*;

#[test]
fn register_dataset_stores_a_pointer_at_key_version_one() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		System::assert_last_event(dw_event(Event::DatasetRegistered {
			dataset,
			owner: OWNER,
			format: DatasetFormat::Vcf,
			ciphertext_hash: hash(1),
		}));
		let info = Datasets::<Test>::get(dataset).unwrap();
		assert_eq!(info.owner, OWNER);
		assert_eq!(info.key_version, 1);
		assert_eq!(info.encrypted_locator, locator(1));
		assert_eq!(info.share_count, 0);
		// No research use until the owner allows one.
		assert!(info.allowed_uses.uses.is_empty());
		assert!(!info.allowed_uses.commercial);
		assert_eq!(OwnerDatasets::<Test>::get(OWNER).into_inner(), vec![dataset]);
		assert_eq!(held(HoldReason::DatasetDeposit, OWNER), DATASET_DEPOSIT);
	});
}

#[test]
fn register_dataset_rejects_empty_pointers() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DnaWallet::register_dataset(
				RuntimeOrigin::signed(OWNER),
				sp_core::H256::zero(),
				DatasetFormat::Cram,
				1,
				locator(1)
			),
			Error::<Test>::InvalidCiphertextHash
		);
		assert_noop!(
			DnaWallet::register_dataset(
				RuntimeOrigin::signed(OWNER),
				hash(1),
				DatasetFormat::Cram,
				1,
				BoundedVec::new()
			),
			Error::<Test>::InvalidLocator
		);
		assert_noop!(
			DnaWallet::register_dataset(
				RuntimeOrigin::signed(PAUPER),
				hash(1),
				DatasetFormat::Cram,
				1,
				locator(1)
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn dataset_cap_is_exactly_max_datasets_per_owner() {
	ExtBuilder::default().build_and_execute(|| {
		for tag in 1..=MAX_DATASETS as u8 {
			register_dataset(OWNER, tag);
		}
		assert_noop!(
			DnaWallet::register_dataset(
				RuntimeOrigin::signed(OWNER),
				hash(9),
				DatasetFormat::Bam,
				1,
				locator(9)
			),
			Error::<Test>::TooManyDatasets
		);
	});
}

#[test]
fn set_allowed_uses_is_for_the_owner_only() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		let allowed = uses(&[DataUse::DiseaseSpecific(5148), DataUse::MethodsDevelopment], true);
		assert_noop!(
			DnaWallet::set_allowed_uses(RuntimeOrigin::signed(STRANGER), dataset, allowed.clone()),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::set_allowed_uses(RuntimeOrigin::signed(OWNER), 9, allowed.clone()),
			Error::<Test>::DatasetNotFound
		);
		assert_ok!(DnaWallet::set_allowed_uses(
			RuntimeOrigin::signed(OWNER),
			dataset,
			allowed.clone()
		));
		System::assert_last_event(dw_event(Event::AllowedUsesSet { dataset, owner: OWNER }));
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().allowed_uses, allowed);
	});
}

#[test]
fn rotate_data_key_increments_the_version_and_kills_every_old_share() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert!(DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert!(DnaWallet::can_decrypt(dataset, ORG));

		assert_ok!(DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), dataset, hash(2)));
		System::assert_last_event(dw_event(Event::DataKeyRotated {
			dataset,
			key_version: 2,
			ciphertext_hash: hash(2),
		}));
		let info = Datasets::<Test>::get(dataset).unwrap();
		assert_eq!((info.key_version, info.ciphertext_hash), (2, hash(2)));
		// Revocation is real: no old share decrypts the new ciphertext.
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		// The shares stay (with their deposits) until removed; re-sharing replaces one.
		assert_eq!(info.share_count, 2);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_eq!(Shares::<Test>::get(dataset, CLINICIAN).unwrap().key_version, 2);
		assert!(DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), 2 * SHARE_DEPOSIT);
	});
}

#[test]
fn rotate_data_key_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_noop!(
			DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), dataset, hash(1)),
			Error::<Test>::InvalidCiphertextHash
		);
		assert_noop!(
			DnaWallet::rotate_data_key(
				RuntimeOrigin::signed(OWNER),
				dataset,
				sp_core::H256::zero()
			),
			Error::<Test>::InvalidCiphertextHash
		);
		assert_noop!(
			DnaWallet::rotate_data_key(RuntimeOrigin::signed(STRANGER), dataset, hash(2)),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), 9, hash(2)),
			Error::<Test>::DatasetNotFound
		);
	});
}

#[test]
fn remove_dataset_shreds_the_pointer_and_all_shares_and_releases_every_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		let other = register_dataset(OWNER, 2);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert_ok!(share(OWNER, other, CLINICIAN, CLINICIAN_KEY, 50));
		assert_noop!(
			DnaWallet::remove_dataset(RuntimeOrigin::signed(STRANGER), dataset),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::remove_dataset(RuntimeOrigin::signed(OWNER), 9),
			Error::<Test>::DatasetNotFound
		);

		let info = DnaWallet::remove_dataset(RuntimeOrigin::signed(OWNER), dataset).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::remove_dataset(2)));
		System::assert_last_event(dw_event(Event::DatasetRemoved {
			dataset,
			owner: OWNER,
			shares_removed: 2,
		}));
		assert!(!Datasets::<Test>::contains_key(dataset));
		assert_eq!(Shares::<Test>::iter_prefix(dataset).count(), 0);
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert_eq!(OwnerDatasets::<Test>::get(OWNER).into_inner(), vec![other]);
		// Only the other dataset's deposits remain.
		assert_eq!(held(HoldReason::DatasetDeposit, OWNER), DATASET_DEPOSIT);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
		assert_ok!(DnaWallet::remove_dataset(RuntimeOrigin::signed(OWNER), other));
		assert!(!OwnerDatasets::<Test>::contains_key(OWNER));
		assert_eq!(free(OWNER), INITIAL_BALANCE);
	});
}
