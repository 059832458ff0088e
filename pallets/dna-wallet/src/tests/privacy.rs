//! What never goes on chain, and the end-to-end flow.

use super::*;
use codec::Encode;

/// Whether `needle` occurs anywhere in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// The flow: owner registers a key and a dataset → shares with a clinician → a research
/// organisation creates a study with a budget → the owner consents (share in one call) → the
/// organisation checks the data and accepts (the owner is paid from escrow) → the owner rotates the
/// data key → the clinician's old share is not decryptable → the owner withdraws consent → the
/// organisation closes the study and gets the rest back. A consent to a study whose terms forbid
/// the use is rejected and changes nothing. No event carries the genome, the data key, a wrapped
/// key or the locator.
#[test]
fn full_flow_emits_no_plaintext_and_stores_only_ciphertext_pointers() {
	ExtBuilder::default().build_and_execute(|| {
		// Off chain: the genome, the data key, the ciphertext and where it lives.
		let genome = b"##fileformat=VCFv4.2 chr1 12345 rs123 A G PASS GT 0/1".to_vec();
		let data_key = [0x42_u8; 32];
		let ciphertext: Vec<u8> =
			genome.iter().zip(data_key.iter().cycle()).map(|(g, k)| g ^ k).collect();
		let ciphertext_hash = sp_core::H256(sp_io::hashing::blake2_256(&ciphertext));
		let secret_locator: LocatorOf<Test> =
			BoundedVec::try_from(b"enc(s3://genomes/SECRET-LOCATOR.vcf.gz)".to_vec()).unwrap();
		let wrap = |recipient_tag: u8| -> WrappedKeyOf<Test> {
			// Stands for the data key sealed to the recipient's X25519 key.
			BoundedVec::try_from(
				[b"sealed:".as_slice(), &data_key.map(|b| b ^ recipient_tag)].concat(),
			)
			.unwrap()
		};

		// 1. The owner registers a key and a dataset.
		let owner_key = register_key(OWNER, 1);
		assert_ok!(DnaWallet::register_dataset(
			RuntimeOrigin::signed(OWNER),
			ciphertext_hash,
			DatasetFormat::Vcf,
			ciphertext.len() as u64,
			secret_locator.clone(),
		));
		let dataset = 0;
		assert_ok!(DnaWallet::set_allowed_uses(
			RuntimeOrigin::signed(OWNER),
			dataset,
			uses(&[DataUse::HealthMedicalBiomedical], false)
		));
		// 2. It is shared with a clinician.
		assert_ok!(DnaWallet::share_key(
			RuntimeOrigin::signed(OWNER),
			dataset,
			CLINICIAN,
			CLINICIAN_KEY,
			wrap(10),
			500,
			SharePurpose::Clinical
		));
		assert!(DnaWallet::can_decrypt(dataset, CLINICIAN));
		// 3. A research organisation creates a study with a budget, and a commercial one.
		let study = StudyParams::default().open();
		let commercial = StudyParams {
			terms: uses(&[DataUse::HealthMedicalBiomedical], true),
			..Default::default()
		}
		.open();
		// 4. A consent to the commercial study is rejected and changes nothing.
		assert_noop!(
			DnaWallet::consent(RuntimeOrigin::signed(OWNER), commercial, dataset, wrap(20)),
			Error::<Test>::UseNotAllowed
		);
		// 5. The owner consents: the share to the study's key; the organisation checks that it
		// opens the ciphertext and accepts; the owner is paid from escrow.
		let (owner_before, escrow_before) = (free(OWNER), held(HoldReason::StudyEscrow, ORG));
		assert_ok!(DnaWallet::consent(RuntimeOrigin::signed(OWNER), study, dataset, wrap(20)));
		assert_ok!(DnaWallet::accept_consent(RuntimeOrigin::signed(ORG), study, dataset));
		assert_eq!(free(OWNER), owner_before + 250 - SHARE_DEPOSIT);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), escrow_before - 250);
		assert!(DnaWallet::can_decrypt(dataset, ORG));
		// 6. The owner re-encrypts under a new data key: the clinician's share is dead.
		assert_ok!(DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), dataset, hash(0xC2)));
		assert!(!DnaWallet::can_decrypt(dataset, CLINICIAN));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		// 7. The owner withdraws consent; the payment stays.
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		// 8. The organisation closes the study and gets the rest back.
		let org_before = free(ORG);
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), study));
		assert_eq!(free(ORG), org_before + 750);
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), commercial));
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 0);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), owner_key));

		// No event carries the genome, the data key, a wrapped key, the ciphertext or the locator.
		let events = System::events();
		assert!(events.len() > 8);
		for record in events {
			let encoded = record.event.encode();
			assert!(!contains(&encoded, &genome), "genome in {:?}", record.event);
			assert!(!contains(&encoded, &data_key), "data key in {:?}", record.event);
			assert!(!contains(&encoded, &wrap(10)), "wrapped key in {:?}", record.event);
			assert!(!contains(&encoded, &wrap(20)), "wrapped key in {:?}", record.event);
			assert!(!contains(&encoded, &ciphertext), "ciphertext in {:?}", record.event);
			assert!(!contains(&encoded, b"SECRET"), "locator in {:?}", record.event);
		}
		// Storage holds the ciphertext hash, the encrypted locator and wrapped keys, never the
		// genome or the data key.
		for (_, stored) in Datasets::<Test>::iter() {
			let encoded = stored.encode();
			assert!(!contains(&encoded, &genome));
			assert!(!contains(&encoded, &data_key));
		}
		for (_, _, stored) in Shares::<Test>::iter() {
			assert!(!contains(&stored.encode(), &data_key));
		}
	});
}
