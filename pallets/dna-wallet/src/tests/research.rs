use super::*;

#[test]
fn registrar_registers_and_deregisters_organisations() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DnaWallet::register_organisation(
				RuntimeOrigin::signed(STRANGER),
				STRANGER,
				OrganisationKind::Research
			),
			DispatchError::BadOrigin
		);
		assert_ok!(DnaWallet::register_organisation(
			RuntimeOrigin::root(),
			STRANGER,
			OrganisationKind::Research
		));
		System::assert_last_event(dw_event(Event::OrganisationRegistered {
			organisation: STRANGER,
			kind: OrganisationKind::Research,
		}));
		assert_eq!(Organisations::<Test>::get(STRANGER).unwrap().registered_at, 1);
		assert_noop!(
			DnaWallet::register_organisation(
				RuntimeOrigin::root(),
				STRANGER,
				OrganisationKind::Compute
			),
			Error::<Test>::OrganisationAlreadyExists
		);
		assert_noop!(
			DnaWallet::deregister_organisation(RuntimeOrigin::signed(STRANGER), STRANGER),
			DispatchError::BadOrigin
		);
		assert_ok!(DnaWallet::deregister_organisation(RuntimeOrigin::root(), STRANGER));
		System::assert_last_event(dw_event(Event::OrganisationDeregistered {
			organisation: STRANGER,
		}));
		assert_noop!(
			DnaWallet::deregister_organisation(RuntimeOrigin::root(), STRANGER),
			Error::<Test>::OrganisationNotFound
		);
	});
}

#[test]
fn create_study_escrows_the_budget_and_holds_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		System::assert_last_event(dw_event(Event::StudyCreated {
			study,
			organisation: ORG,
			budget: 1_000,
			price: 250,
			max_participants: 4,
			mode: StudyMode::Direct,
			recipient: ORG,
			expires_at: 100,
		}));
		let stored = Studies::<Test>::get(study).unwrap();
		assert_eq!(
			(stored.escrow, stored.participants, stored.status),
			(1_000, 0, StudyStatus::Open)
		);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
		assert_eq!(held(HoldReason::StudyDeposit, ORG), STUDY_DEPOSIT);
		assert_eq!(free(ORG), INITIAL_BALANCE - KEY_DEPOSIT - 1_000 - STUDY_DEPOSIT);
		assert_eq!(StudyIndex::<Test>::get().into_inner(), vec![study]);
	});
}

#[test]
fn create_study_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = StudyParams::default;
		for (params, error) in [
			(
				StudyParams { organisation: STRANGER, recipient: STRANGER, ..d() },
				Error::<Test>::OrganisationNotFound,
			),
			(
				StudyParams {
					organisation: ENCLAVE,
					recipient: ENCLAVE,
					recipient_key_id: ENCLAVE_KEY,
					..d()
				},
				Error::<Test>::NotResearchOrganisation,
			),
			(StudyParams { terms: uses(&[], false), ..d() }, Error::<Test>::EmptyTerms),
			(StudyParams { formats: formats(&[]), ..d() }, Error::<Test>::EmptyTerms),
			(
				StudyParams { ethics: sp_core::H256::zero(), ..d() },
				Error::<Test>::InvalidCommitment,
			),
			(StudyParams { max_participants: 0, ..d() }, Error::<Test>::InvalidParticipants),
			(
				StudyParams { max_participants: MAX_PARTICIPANTS + 1, ..d() },
				Error::<Test>::InvalidParticipants,
			),
			(StudyParams { budget: 3, ..d() }, Error::<Test>::InvalidBudget),
			(StudyParams { expires_at: 1, ..d() }, Error::<Test>::Expired),
			(
				StudyParams { recipient: ENCLAVE, recipient_key_id: ENCLAVE_KEY, ..d() },
				Error::<Test>::RecipientNotAllowed,
			),
			(
				StudyParams { mode: StudyMode::AggregateOnly, ..d() },
				Error::<Test>::RecipientNotAllowed,
			),
			(
				StudyParams { mode: StudyMode::AggregateOnly, recipient: STRANGER, ..d() },
				Error::<Test>::OrganisationNotFound,
			),
			(
				StudyParams { organisation: ORG_2, recipient: ORG_2, ..d() },
				Error::<Test>::KeyNotFound,
			),
			(StudyParams { recipient_key_id: CLINICIAN_KEY, ..d() }, Error::<Test>::KeyNotFound),
		] {
			assert_noop!(params.create(), error);
		}
		assert_noop!(
			StudyParams { budget: INITIAL_BALANCE, ..d() }.create(),
			TokenError::FundsUnavailable
		);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(ORG), ORG_KEY));
		assert_noop!(d().create(), Error::<Test>::KeyRevoked);
	});
}

#[test]
fn study_cap_is_exactly_max_studies_and_removal_frees_a_slot() {
	ExtBuilder::default().build_and_execute(|| {
		let first = StudyParams::default().open();
		for _ in 1..MAX_STUDIES {
			StudyParams::default().open();
		}
		assert_noop!(StudyParams::default().create(), Error::<Test>::TooManyStudies);
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), first));
		assert_noop!(StudyParams::default().create(), Error::<Test>::TooManyStudies);
		assert_ok!(DnaWallet::remove_study(RuntimeOrigin::signed(ORG), first));
		StudyParams::default().open();
	});
}

#[test]
fn consent_records_the_share_and_pays_the_owner_in_one_call() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		let owner_before = free(OWNER);
		assert_ok!(consent(OWNER, study, dataset));
		System::assert_last_event(dw_event(Event::ConsentGiven {
			study,
			dataset,
			owner: OWNER,
			recipient: ORG,
			key_version: 1,
			paid: 250,
		}));
		// Paid from escrow; the share deposit is held from the owner.
		assert_eq!(free(OWNER), owner_before + 250 - SHARE_DEPOSIT);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
		let stored = Studies::<Test>::get(study).unwrap();
		assert_eq!((stored.participants, stored.escrow), (1, 750));
		// The key share to the study's key, expiring with the study.
		let share = Shares::<Test>::get(dataset, ORG).unwrap();
		assert_eq!(share.study, Some(study));
		assert_eq!(share.recipient_key_id, ORG_KEY);
		assert_eq!(share.purpose, SharePurpose::Research);
		assert_eq!(share.expires_at, 100);
		assert_eq!(share.wrapped_key, wrapped(0xAA));
		assert!(DnaWallet::can_decrypt(dataset, ORG));
		let record = Consents::<Test>::get(study, dataset).unwrap();
		assert_eq!(
			(record.owner, record.paid, record.at, record.withdrawn_at),
			(OWNER, 250, 1, None)
		);
	});
}

#[test]
fn consent_to_a_study_whose_terms_the_owner_does_not_allow_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let dataset = register_dataset(OWNER, 1);
		let hmb = StudyParams::default().open();
		// Nothing is allowed before the owner says so.
		assert_noop!(consent(OWNER, hmb, dataset), Error::<Test>::UseNotAllowed);
		// Diabetes research only: a general health study is not covered.
		assert_ok!(DnaWallet::set_allowed_uses(
			RuntimeOrigin::signed(OWNER),
			dataset,
			uses(&[DataUse::DiseaseSpecific(5148)], false)
		));
		assert_noop!(consent(OWNER, hmb, dataset), Error::<Test>::UseNotAllowed);
		let cancer = StudyParams {
			terms: uses(&[DataUse::DiseaseSpecific(4992)], false),
			..Default::default()
		}
		.open();
		assert_noop!(consent(OWNER, cancer, dataset), Error::<Test>::UseNotAllowed);
		// A commercial study needs commercial use allowed, even for an allowed purpose.
		let commercial = StudyParams {
			terms: uses(&[DataUse::DiseaseSpecific(5148)], true),
			..Default::default()
		}
		.open();
		assert_noop!(consent(OWNER, commercial, dataset), Error::<Test>::UseNotAllowed);
		assert_eq!(Datasets::<Test>::get(dataset).unwrap().share_count, 0);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 3_000);
	});
}

#[test]
fn data_use_codes_follow_duo_inclusion() {
	use DataUse::*;
	assert!(GeneralResearch.permits(&PopulationAncestry));
	assert!(GeneralResearch.permits(&DiseaseSpecific(1)));
	assert!(HealthMedicalBiomedical.permits(&DiseaseSpecific(1)));
	assert!(!HealthMedicalBiomedical.permits(&PopulationAncestry));
	assert!(!HealthMedicalBiomedical.permits(&GeneralResearch));
	assert!(DiseaseSpecific(1).permits(&DiseaseSpecific(1)));
	assert!(!DiseaseSpecific(1).permits(&DiseaseSpecific(2)));
	assert!(!DiseaseSpecific(1).permits(&HealthMedicalBiomedical));
	assert!(MethodsDevelopment.permits(&MethodsDevelopment));
	assert!(!PopulationAncestry.permits(&MethodsDevelopment));
	let owner = uses(&[HealthMedicalBiomedical, MethodsDevelopment], true);
	assert!(owner.allow(&uses(&[DiseaseSpecific(7), MethodsDevelopment], true)));
	assert!(!owner.allow(&uses(&[DiseaseSpecific(7), PopulationAncestry], false)));
	assert!(!uses(&[GeneralResearch], false).allow(&uses(&[GeneralResearch], true)));
}

#[test]
fn consent_needs_an_accepted_format() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		assert_ok!(DnaWallet::register_dataset(
			RuntimeOrigin::signed(OWNER),
			hash(1),
			DatasetFormat::Fastq,
			1,
			locator(1)
		));
		assert_ok!(DnaWallet::set_allowed_uses(
			RuntimeOrigin::signed(OWNER),
			0,
			uses(&[DataUse::GeneralResearch], true)
		));
		assert_noop!(consent(OWNER, study, 0), Error::<Test>::FormatNotAccepted);
	});
}

#[test]
fn consent_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_noop!(consent(OWNER, study, 9), Error::<Test>::DatasetNotFound);
		assert_noop!(consent(STRANGER, study, dataset), Error::<Test>::NotAuthorized);
		assert_noop!(consent(OWNER, 9, dataset), Error::<Test>::StudyNotFound);
		assert_noop!(
			DnaWallet::consent(RuntimeOrigin::signed(OWNER), study, dataset, BoundedVec::new()),
			Error::<Test>::InvalidWrappedKey
		);
		// One share per (dataset, recipient): a direct share to the organisation blocks it.
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::ShareExists);
		assert_ok!(DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), dataset, ORG));
		// The share cap counts.
		assert_ok!(share(OWNER, dataset, CLINICIAN, CLINICIAN_KEY, 50));
		assert_ok!(share(OWNER, dataset, ENCLAVE, ENCLAVE_KEY, 50));
		let key = register_key(COUNSELLOR, 11);
		assert_ok!(share(OWNER, dataset, COUNSELLOR, key, 50));
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::TooManyShares);
		assert_ok!(DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), dataset, COUNSELLOR));
		// The study's key must be live.
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(ORG), ORG_KEY));
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::KeyRevoked);
		assert_ok!(DnaWallet::remove_key(RuntimeOrigin::signed(ORG), ORG_KEY));
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::KeyNotFound);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
	});
}

#[test]
fn a_dataset_consents_to_a_study_once() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::AlreadyConsented);
		// Not even after withdrawing: a dataset is paid at most once per study.
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::AlreadyConsented);
	});
}

#[test]
fn consents_are_accepted_before_the_expiry_block_and_their_shares_die_at_it() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams { expires_at: 10, ..Default::default() }.open();
		let first = research_dataset(1);
		let second = research_dataset(2);
		run_to_block(9);
		assert_ok!(consent(OWNER, study, first));
		assert!(DnaWallet::can_decrypt(first, ORG));
		run_to_block(10);
		assert_noop!(consent(OWNER, study, second), Error::<Test>::Expired);
		assert!(!DnaWallet::can_decrypt(first, ORG));
	});
}

#[test]
fn participant_cap_is_exactly_max_participants() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams { budget: 500, max_participants: 2, ..Default::default() }.open();
		let (a, b, c) = (research_dataset(1), research_dataset(2), research_dataset(3));
		assert_ok!(consent(OWNER, study, a));
		assert_ok!(consent(OWNER, study, b));
		assert_noop!(consent(OWNER, study, c), Error::<Test>::StudyFull);
		// The whole budget was paid out.
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 0);
		assert_eq!(Studies::<Test>::get(study).unwrap().escrow, 0);
	});
}

#[test]
fn aggregate_only_studies_share_only_to_the_compute_service() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams {
			mode: StudyMode::AggregateOnly,
			recipient: ENCLAVE,
			recipient_key_id: ENCLAVE_KEY,
			..Default::default()
		}
		.open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		System::assert_last_event(dw_event(Event::ConsentGiven {
			study,
			dataset,
			owner: OWNER,
			recipient: ENCLAVE,
			key_version: 1,
			paid: 250,
		}));
		assert!(DnaWallet::can_decrypt(dataset, ENCLAVE));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		// The organisation paid.
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
		// A deregistered compute service receives no more consents.
		let other = research_dataset(2);
		assert_ok!(DnaWallet::deregister_organisation(RuntimeOrigin::root(), ENCLAVE));
		assert_noop!(consent(OWNER, study, other), Error::<Test>::OrganisationNotFound);
	});
}

#[test]
fn withdraw_consent_kills_the_share_without_clawing_back_the_payment() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		let paid_balance = free(OWNER);
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(STRANGER), study, dataset),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, 9),
			Error::<Test>::ConsentNotFound
		);
		run_to_block(3);
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		System::assert_last_event(dw_event(Event::ConsentWithdrawn {
			study,
			dataset,
			owner: OWNER,
		}));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		assert!(!Shares::<Test>::contains_key(dataset, ORG));
		// The payment stays; the share deposit comes back.
		assert_eq!(free(OWNER), paid_balance + SHARE_DEPOSIT);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
		assert_eq!(Studies::<Test>::get(study).unwrap().participants, 1);
		assert_eq!(Consents::<Test>::get(study, dataset).unwrap().withdrawn_at, Some(3));
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset),
			Error::<Test>::ConsentWithdrawn
		);
	});
}

#[test]
fn a_study_share_is_replaced_only_through_withdrawal() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		assert_noop!(share(OWNER, dataset, ORG, ORG_KEY, 50), Error::<Test>::ShareExists);
		// Revoked directly, the withdrawal then only marks the consent.
		assert_ok!(DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), dataset, ORG));
		assert_ok!(share(OWNER, dataset, ORG, ORG_KEY, 50));
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		// The owner's own direct share is not touched.
		assert!(DnaWallet::can_decrypt(dataset, ORG));
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
	});
}

#[test]
fn rotating_the_data_key_kills_study_shares_too() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		assert_ok!(DnaWallet::rotate_data_key(RuntimeOrigin::signed(OWNER), dataset, hash(2)));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		assert_ok!(DnaWallet::remove_expired_shares(
			RuntimeOrigin::signed(STRANGER),
			dataset,
			BoundedVec::try_from(vec![ORG]).unwrap()
		));
		// The consent record stays; withdrawing still works.
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
	});
}

#[test]
fn close_study_returns_the_unused_escrow_and_the_rounding_dust() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams { budget: 1_003, ..Default::default() }.open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		let org_before = free(ORG);
		assert_noop!(
			DnaWallet::close_study(RuntimeOrigin::signed(ORG_2), study),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::close_study(RuntimeOrigin::signed(ORG), 9),
			Error::<Test>::StudyNotFound
		);
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), study));
		System::assert_last_event(dw_event(Event::StudyClosed { study, refunded: 753 }));
		assert_eq!(free(ORG), org_before + 753);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 0);
		let stored = Studies::<Test>::get(study).unwrap();
		assert_eq!((stored.status, stored.escrow), (StudyStatus::Closed, 0));
		assert_noop!(
			DnaWallet::close_study(RuntimeOrigin::signed(ORG), study),
			Error::<Test>::StudyClosed
		);
		// No more consents; shares already given stay until they expire or are withdrawn.
		let other = research_dataset(2);
		assert_noop!(consent(OWNER, study, other), Error::<Test>::StudyClosed);
		assert!(DnaWallet::can_decrypt(dataset, ORG));
	});
}

#[test]
fn remove_study_clears_its_consent_records_and_releases_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let (a, b) = (research_dataset(1), research_dataset(2));
		assert_ok!(consent(OWNER, study, a));
		assert_ok!(consent(OWNER, study, b));
		assert_noop!(
			DnaWallet::remove_study(RuntimeOrigin::signed(ORG), study),
			Error::<Test>::StudyOpen
		);
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), study));
		assert_noop!(
			DnaWallet::remove_study(RuntimeOrigin::signed(ORG_2), study),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DnaWallet::remove_study(RuntimeOrigin::signed(ORG), 9),
			Error::<Test>::StudyNotFound
		);
		let info = DnaWallet::remove_study(RuntimeOrigin::signed(ORG), study).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::remove_study(2)));
		System::assert_last_event(dw_event(Event::StudyRemoved { study, consents_removed: 2 }));
		assert!(!Studies::<Test>::contains_key(study));
		assert_eq!(Consents::<Test>::iter_prefix(study).count(), 0);
		assert!(StudyIndex::<Test>::get().is_empty());
		assert_eq!(held(HoldReason::StudyDeposit, ORG), 0);
		assert_eq!(free(ORG), INITIAL_BALANCE - KEY_DEPOSIT - 500);
		// The owner can still revoke the study's shares.
		assert_ok!(DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), a, ORG));
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, b),
			Error::<Test>::ConsentNotFound
		);
	});
}

#[test]
fn attack_one_account_drains_escrow_with_made_up_datasets() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		// One account registers datasets with made-up ciphertext hashes and consents each.
		let (a, b, c) = (research_dataset(1), research_dataset(2), research_dataset(3));
		assert_ok!(consent(OWNER, study, a));
		// One consent per owner per study.
		assert!(consent(OWNER, study, b).is_err());
		assert!(consent(OWNER, study, c).is_err());
		// Nothing is paid before the organisation accepts the participant.
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
		assert_eq!(free(OWNER), INITIAL_BALANCE - 3 * DATASET_DEPOSIT - SHARE_DEPOSIT - CONSENT_DEPOSIT);
	});
}

#[test]
fn attack_one_organisation_squats_the_study_list() {
	ExtBuilder::default().build_and_execute(|| {
		// One organisation cannot take every slot of the global study list.
		for _ in 0..MAX_STUDIES_PER_ORG {
			StudyParams::default().open();
		}
		assert!(StudyParams::default().create().is_err());
		let key = register_key(ORG_2, 21);
		StudyParams { organisation: ORG_2, recipient: ORG_2, recipient_key_id: key, ..Default::default() }
			.open();
		// Deregistering the organisation does not leave its studies behind.
		assert!(DnaWallet::deregister_organisation(RuntimeOrigin::root(), ORG).is_err());
	});
}
