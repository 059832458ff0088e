//! The read path behind the runtime API.

use super::*;

#[test]
fn keys_lists_an_accounts_keys_with_revocations() {
	ExtBuilder::default().build_and_execute(|| {
		let first = register_key(OWNER, 1);
		run_to_block(4);
		assert_ok!(DnaWallet::rotate_key(
			RuntimeOrigin::signed(OWNER),
			first,
			x25519(2),
			KeyType::X25519
		));
		let keys = DnaWallet::keys(OWNER);
		assert_eq!(
			keys,
			vec![
				KeyView {
					id: first,
					key_type: KeyType::X25519,
					public_key: vec![1; 32],
					created_at: 1,
					revoked_at: Some(4),
				},
				KeyView {
					id: first + 1,
					key_type: KeyType::X25519,
					public_key: vec![2; 32],
					created_at: 4,
					revoked_at: None,
				},
			]
		);
		assert!(DnaWallet::keys(STRANGER).is_empty());
	});
}

#[test]
fn datasets_lists_an_owners_pointers() {
	ExtBuilder::default().with_dataset(OWNER, 5, &[DataUse::GeneralResearch]).build_and_execute(
		|| {
			let second = register_dataset(OWNER, 6);
			assert_ok!(DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), second, hash(7)));
			let datasets = DnaWallet::datasets(OWNER);
			assert_eq!(datasets.len(), 2);
			assert_eq!(
				datasets[0],
				DatasetView {
					id: 0,
					owner: OWNER,
					ciphertext_hash: hash(5),
					format: DatasetFormat::Vcf,
					size: 1 << 30,
					encrypted_locator: locator(5).into_inner(),
					key_version: 1,
					allowed_uses: vec![DataUse::GeneralResearch],
					commercial_allowed: false,
					share_count: 0,
					created_at: 0,
				}
			);
			assert_eq!(
				(datasets[1].id, datasets[1].key_version, datasets[1].ciphertext_hash),
				(second, 2, hash(7))
			);
			assert!(DnaWallet::datasets(OWNER_2).is_empty());
		},
	);
}

#[test]
fn shares_and_can_decrypt_report_only_live_shares_of_the_current_version() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ENCLAVE, ENCLAVE_KEY, 3));
		let view =
			|who: u64| DnaWallet::shares(dataset).into_iter().find(|s| s.recipient == who).unwrap();
		assert_eq!(
			view(CLINICIAN),
			ShareView {
				recipient: CLINICIAN,
				recipient_key_id: CLINICIAN_KEY,
				wrapped_key: wrapped(CLINICIAN as u8).into_inner(),
				key_version: 1,
				expires_at: 50,
				purpose: SharePurpose::Clinical,
				study: None,
				decryptable: true,
			}
		);
		run_to_block(3);
		assert!(!view(ENCLAVE).decryptable);
		assert!(!DnaWallet::can_decrypt(dataset, ENCLAVE));
		assert!(view(CLINICIAN).decryptable);
		assert_ok!(DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), dataset, hash(2)));
		assert!(!view(CLINICIAN).decryptable);
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert_eq!(DnaWallet::shares(dataset).len(), 2);
		assert!(DnaWallet::shares(9).is_empty());
		assert!(!DnaWallet::can_decrypt(9, CLINICIAN));
	});
}

#[test]
fn studies_lists_open_ones_or_all() {
	ExtBuilder::default().build_and_execute(|| {
		let open = StudyParams::default().open();
		let closed = StudyParams::default().open();
		let key = register_key(ORG_2, 21);
		let short = StudyParams {
			organisation: ORG_2,
			recipient: ORG_2,
			recipient_key_id: key,
			expires_at: 5,
			..Default::default()
		}
		.open();
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), closed));
		let ids =
			|open_only| DnaWallet::studies(open_only).into_iter().map(|s| s.id).collect::<Vec<_>>();
		assert_eq!(ids(false), vec![open, closed, short]);
		assert_eq!(ids(true), vec![open, short]);
		run_to_block(5);
		assert_eq!(ids(true), vec![open]);
		let view = DnaWallet::studies(true).pop().unwrap();
		assert_eq!(
			view,
			StudyView {
				id: open,
				organisation: ORG,
				uses: vec![DataUse::HealthMedicalBiomedical],
				commercial: false,
				formats: vec![DatasetFormat::Vcf, DatasetFormat::Cram],
				ethics_commitment: hash(0xE1),
				budget: 1_000,
				price: 250,
				max_participants: 4,
				participants: 0,
				pending: 0,
				accepted: 0,
				escrow: 1_000,
				mode: StudyMode::Direct,
				recipient: ORG,
				recipient_key_id: ORG_KEY,
				expires_at: 100,
				status: StudyStatus::Open,
			}
		);
	});
}

#[test]
fn a_full_study_is_not_open() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams { budget: 100, max_participants: 1, ..Default::default() }.open();
		let dataset = research_dataset(1);
		assert_eq!(DnaWallet::studies(true).len(), 1);
		assert_ok!(consent(OWNER, study, dataset));
		assert!(DnaWallet::studies(true).is_empty());
		assert_eq!(DnaWallet::studies(false)[0].participants, 1);
	});
}
