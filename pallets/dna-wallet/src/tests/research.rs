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
		// The study and its four possible consent records.
		let deposit = STUDY_DEPOSIT + 4 * STUDY_DEPOSIT_PER_PARTICIPANT;
		assert_eq!(held(HoldReason::StudyDeposit, ORG), deposit);
		assert_eq!(stored.deposit, deposit);
		assert_eq!(free(ORG), INITIAL_BALANCE - KEY_DEPOSIT - 1_000 - deposit);
		assert_eq!(StudyIndex::<Test>::get().into_inner(), vec![study]);
		assert_eq!(OrganisationStudies::<Test>::get(ORG), 1);
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
		StudyParams::default().open();
		let org_2 = org_2_study();
		org_2.clone().open();
		assert_eq!(MAX_STUDIES, 3);
		assert_noop!(org_2.clone().create(), Error::<Test>::TooManyStudies);
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), first));
		assert_noop!(org_2.clone().create(), Error::<Test>::TooManyStudies);
		assert_ok!(DnaWallet::remove_study(RuntimeOrigin::signed(ORG), first));
		org_2.open();
	});
}

#[test]
fn organisation_study_cap_is_exactly_max_studies_per_organisation() {
	ExtBuilder::default().build_and_execute(|| {
		let first = StudyParams::default().open();
		for _ in 1..MAX_STUDIES_PER_ORG {
			StudyParams::default().open();
		}
		assert_noop!(StudyParams::default().create(), Error::<Test>::TooManyOrganisationStudies);
		// A closed study still counts until it is removed.
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), first));
		assert_noop!(StudyParams::default().create(), Error::<Test>::TooManyOrganisationStudies);
		assert_ok!(DnaWallet::remove_study(RuntimeOrigin::signed(ORG), first));
		assert_eq!(OrganisationStudies::<Test>::get(ORG), MAX_STUDIES_PER_ORG - 1);
		StudyParams::default().open();
	});
}

#[test]
fn consent_records_the_share_and_pays_the_owner_once_accepted() {
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
			accept_by: 1 + ACCEPTANCE_WINDOW,
		}));
		// Not paid yet; the share and consent deposits are held from the owner.
		assert_eq!(free(OWNER), owner_before - SHARE_DEPOSIT - CONSENT_DEPOSIT);
		assert_eq!(held(HoldReason::ConsentDeposit, OWNER), CONSENT_DEPOSIT);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
		let stored = Studies::<Test>::get(study).unwrap();
		assert_eq!((stored.participants, stored.pending, stored.escrow), (1, 1, 1_000));
		assert_eq!(StudyParticipants::<Test>::get(study, OWNER), Some(dataset));
		// The organisation checks the data and accepts: paid from escrow, deposit back.
		assert_ok!(accept(study, dataset));
		System::assert_last_event(dw_event(Event::ConsentAccepted {
			study,
			dataset,
			owner: OWNER,
			paid: 250,
		}));
		assert_eq!(free(OWNER), owner_before + 250 - SHARE_DEPOSIT);
		assert_eq!(held(HoldReason::ShareDeposit, OWNER), SHARE_DEPOSIT);
		assert_eq!(held(HoldReason::ConsentDeposit, OWNER), 0);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
		let stored = Studies::<Test>::get(study).unwrap();
		assert_eq!((stored.participants, stored.pending, stored.accepted), (1, 0, 1));
		assert_eq!(stored.escrow, 750);
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
			(record.owner, record.paid, record.at, record.status, record.withdrawn_at),
			(OWNER, 250, 1, ConsentStatus::Accepted, None)
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
		let cancer =
			StudyParams { terms: uses(&[DataUse::DiseaseSpecific(4992)], false), ..org_2_study() }
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
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 2_000);
		assert_eq!(held(HoldReason::StudyEscrow, ORG_2), 1_000);
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
		assert_noop!(consent(OWNER, study, dataset), Error::<Test>::ShareAlreadyExists);
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
		let (a, b) = (research_dataset(1), research_dataset_of(OWNER_2, 2));
		let c = research_dataset_of(STRANGER, 3);
		consent_accepted(OWNER, study, a);
		consent_accepted(OWNER_2, study, b);
		assert_noop!(consent(STRANGER, study, c), Error::<Test>::StudyFull);
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
			accept_by: 1 + ACCEPTANCE_WINDOW,
		}));
		assert!(DnaWallet::can_decrypt(dataset, ENCLAVE));
		assert!(!DnaWallet::can_decrypt(dataset, ORG));
		// The organisation pays once it accepts (the enclave checked the data).
		assert_ok!(accept(study, dataset));
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
		// A deregistered compute service receives no more consents.
		let other = research_dataset_of(OWNER_2, 2);
		assert_ok!(DnaWallet::deregister_organisation(RuntimeOrigin::root(), ENCLAVE));
		assert_noop!(consent(OWNER_2, study, other), Error::<Test>::OrganisationNotFound);
	});
}

#[test]
fn withdraw_consent_kills_the_share_without_clawing_back_the_payment() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		consent_accepted(OWNER, study, dataset);
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
		assert_noop!(share(OWNER, dataset, ORG, ORG_KEY, 50), Error::<Test>::ShareAlreadyExists);
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
		consent_accepted(OWNER, study, dataset);
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
		let (a, b) = (research_dataset(1), research_dataset_of(OWNER_2, 2));
		consent_accepted(OWNER, study, a);
		consent_accepted(OWNER_2, study, b);
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
		assert_eq!(StudyParticipants::<Test>::iter_prefix(study).count(), 0);
		assert_eq!(OrganisationStudies::<Test>::get(ORG), 0);
		assert_eq!(held(HoldReason::StudyDeposit, ORG), 0);
		assert_eq!(free(ORG), INITIAL_BALANCE - KEY_DEPOSIT - 500);
		// The owner can still revoke the study's shares.
		assert_ok!(DnaWallet::revoke_share(RuntimeOrigin::signed(OWNER), a, ORG));
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER_2), study, b),
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
		assert_noop!(consent(OWNER, study, b), Error::<Test>::AlreadyConsented);
		assert_noop!(consent(OWNER, study, c), Error::<Test>::AlreadyConsented);
		// Nothing is paid before the organisation accepts the participant.
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
		let owner_start = INITIAL_BALANCE - 3 * DATASET_DEPOSIT;
		assert_eq!(free(OWNER), owner_start - SHARE_DEPOSIT - CONSENT_DEPOSIT);
		// The wrapped key does not open the ciphertext: the organisation rejects with a reason
		// and keeps no key to the data.
		let org_before = free(ORG);
		assert_ok!(DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, a, hash(0xBA)));
		System::assert_last_event(dw_event(Event::ConsentRejected {
			study,
			dataset: a,
			reason: hash(0xBA),
			dispute_by: 1 + DISPUTE_WINDOW,
		}));
		assert!(!Shares::<Test>::contains_key(a, ORG));
		assert_eq!(held(HoldReason::ConsentDeposit, ORG), CONSENT_DEPOSIT);
		// Undisputed, the rejection stands: the owner's consent deposit pays the organisation
		// for the check; nothing was paid.
		run_to_block(1 + DISPUTE_WINDOW);
		assert_ok!(DnaWallet::settle_rejection(RuntimeOrigin::signed(STRANGER), study, a));
		System::assert_last_event(dw_event(Event::RejectionSettled { study, dataset: a }));
		assert_eq!(free(OWNER), owner_start - CONSENT_DEPOSIT);
		assert_eq!(free(ORG), org_before + CONSENT_DEPOSIT);
		assert_eq!(Consents::<Test>::get(study, a).unwrap().status, ConsentStatus::Refused);
		// The slot is used up and the owner cannot try again with another dataset.
		assert_noop!(consent(OWNER, study, b), Error::<Test>::AlreadyConsented);
		// The whole budget goes back at closing.
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), study));
		System::assert_last_event(dw_event(Event::StudyClosed { study, refunded: 1_000 }));
	});
}

#[test]
fn accept_consent_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_noop!(accept(study, dataset), Error::<Test>::ConsentNotFound);
		assert_ok!(consent(OWNER, study, dataset));
		// Before the window ends only the organisation accepts.
		run_to_block(ACCEPTANCE_WINDOW);
		assert_noop!(
			DnaWallet::accept_consent(RuntimeOrigin::signed(OWNER), study, dataset),
			Error::<Test>::AcceptanceWindowOpen
		);
		assert_ok!(accept(study, dataset));
		assert_noop!(accept(study, dataset), Error::<Test>::ConsentNotPending);
	});
}

#[test]
fn an_organisation_that_neither_accepts_nor_rejects_in_time_pays() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		let owner_before = free(OWNER);
		run_to_block(1 + ACCEPTANCE_WINDOW);
		// Too late to reject.
		assert_noop!(
			DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, dataset, hash(0xBA)),
			Error::<Test>::Expired
		);
		// Anyone accepts: the owner is paid.
		assert_ok!(DnaWallet::accept_consent(RuntimeOrigin::signed(STRANGER), study, dataset));
		System::assert_last_event(dw_event(Event::ConsentAccepted {
			study,
			dataset,
			owner: OWNER,
			paid: 250,
		}));
		assert_eq!(free(OWNER), owner_before + 250 + CONSENT_DEPOSIT);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
	});
}

#[test]
fn reject_consent_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		let reject = |who: u64, study: StudyId, dataset: DatasetId, reason| {
			DnaWallet::reject_consent(RuntimeOrigin::signed(who), study, dataset, reason)
		};
		assert_noop!(reject(ORG, study, dataset, hash(0xBA)), Error::<Test>::ConsentNotFound);
		assert_ok!(consent(OWNER, study, dataset));
		assert_noop!(reject(ORG, study, dataset, sp_core::H256::zero()), Error::<Test>::ZeroReason);
		assert_noop!(reject(ORG, 9, dataset, hash(0xBA)), Error::<Test>::StudyNotFound);
		assert_noop!(reject(ORG_2, study, dataset, hash(0xBA)), Error::<Test>::NotAuthorized);
		assert_ok!(accept(study, dataset));
		assert_noop!(reject(ORG, study, dataset, hash(0xBA)), Error::<Test>::ConsentNotPending);
	});
}

#[test]
fn a_disputed_rejection_the_owner_wins_pays_the_owner_and_the_rejection_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		let dispute = |who: u64, dataset: DatasetId| {
			DnaWallet::dispute_rejection(RuntimeOrigin::signed(who), study, dataset)
		};
		assert_noop!(dispute(OWNER, dataset), Error::<Test>::ConsentNotRejected);
		// The organisation takes the data and rejects to avoid paying.
		assert_ok!(DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, dataset, hash(1)));
		let (owner_before, org_before) = (free(OWNER), free(ORG));
		assert_noop!(dispute(STRANGER, dataset), Error::<Test>::NotAuthorized);
		assert_noop!(dispute(OWNER, 9), Error::<Test>::ConsentNotFound);
		assert_noop!(
			DnaWallet::resolve_dispute(RuntimeOrigin::root(), study, dataset, true),
			Error::<Test>::ConsentNotDisputed
		);
		assert_ok!(dispute(OWNER, dataset));
		System::assert_last_event(dw_event(Event::RejectionDisputed { study, dataset }));
		// The dispute window no longer matters once disputed.
		run_to_block(1 + DISPUTE_WINDOW);
		assert_noop!(
			DnaWallet::settle_rejection(RuntimeOrigin::signed(STRANGER), study, dataset),
			Error::<Test>::ConsentNotRejected
		);
		assert_noop!(
			DnaWallet::resolve_dispute(RuntimeOrigin::signed(OWNER), study, dataset, true),
			DispatchError::BadOrigin
		);
		assert_ok!(DnaWallet::resolve_dispute(RuntimeOrigin::root(), study, dataset, true));
		System::assert_last_event(dw_event(Event::DisputeResolved {
			study,
			dataset,
			owner_wins: true,
		}));
		// Paid, consent deposit back, and the organisation's rejection deposit on top.
		assert_eq!(free(OWNER), owner_before + 250 + 2 * CONSENT_DEPOSIT);
		assert_eq!(free(ORG), org_before);
		assert_eq!(held(HoldReason::ConsentDeposit, ORG), 0);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 750);
		assert_eq!(Consents::<Test>::get(study, dataset).unwrap().status, ConsentStatus::Accepted);
		assert_noop!(
			DnaWallet::resolve_dispute(RuntimeOrigin::root(), study, dataset, true),
			Error::<Test>::ConsentNotDisputed
		);
	});
}

#[test]
fn a_disputed_rejection_the_organisation_wins_costs_the_owner_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		assert_ok!(DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, dataset, hash(1)));
		assert_ok!(DnaWallet::dispute_rejection(RuntimeOrigin::signed(OWNER), study, dataset));
		let (owner_before, org_before) = (free(OWNER), free(ORG));
		assert_ok!(DnaWallet::resolve_dispute(RuntimeOrigin::root(), study, dataset, false));
		System::assert_last_event(dw_event(Event::DisputeResolved {
			study,
			dataset,
			owner_wins: false,
		}));
		assert_eq!(free(OWNER), owner_before);
		assert_eq!(free(ORG), org_before + 2 * CONSENT_DEPOSIT);
		assert_eq!(held(HoldReason::ConsentDeposit, OWNER), 0);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
		let stored = Studies::<Test>::get(study).unwrap();
		assert_eq!((stored.participants, stored.pending, stored.accepted), (1, 0, 0));
	});
}

#[test]
fn a_rejection_is_disputable_only_within_the_window() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		assert_ok!(DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, dataset, hash(1)));
		let settle =
			|| DnaWallet::settle_rejection(RuntimeOrigin::signed(STRANGER), study, dataset);
		run_to_block(DISPUTE_WINDOW);
		assert_noop!(settle(), Error::<Test>::DisputeWindowOpen);
		// A rejected consent is not withdrawn; it is settled.
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset),
			Error::<Test>::ConsentRejected
		);
		run_to_block(1 + DISPUTE_WINDOW);
		assert_noop!(
			DnaWallet::dispute_rejection(RuntimeOrigin::signed(OWNER), study, dataset),
			Error::<Test>::ConsentNotRejected
		);
		assert_noop!(
			DnaWallet::settle_rejection(RuntimeOrigin::signed(STRANGER), study, 9),
			Error::<Test>::ConsentNotFound
		);
		assert_ok!(settle());
		assert_noop!(settle(), Error::<Test>::ConsentNotRejected);
	});
}

#[test]
fn withdrawing_a_pending_consent_cancels_it_unpaid() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		let owner_before = free(OWNER);
		assert_ok!(consent(OWNER, study, dataset));
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		System::assert_last_event(dw_event(Event::ConsentWithdrawn {
			study,
			dataset,
			owner: OWNER,
		}));
		// Share deposit back, the consent deposit to the organisation, nothing paid, the share
		// gone.
		assert_eq!(free(OWNER), owner_before - CONSENT_DEPOSIT);
		assert!(!Shares::<Test>::contains_key(dataset, ORG));
		assert_eq!(Consents::<Test>::get(study, dataset).unwrap().status, ConsentStatus::Cancelled);
		assert_noop!(accept(study, dataset), Error::<Test>::ConsentNotPending);
		assert_noop!(
			DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset),
			Error::<Test>::ConsentWithdrawn
		);
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 1_000);
	});
}

#[test]
fn closing_keeps_the_price_of_unsettled_consents_until_they_are_settled() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let (a, b) = (research_dataset(1), research_dataset_of(OWNER_2, 2));
		assert_ok!(consent(OWNER, study, a));
		assert_ok!(consent(OWNER_2, study, b));
		assert_ok!(DnaWallet::close_study(RuntimeOrigin::signed(ORG), study));
		System::assert_last_event(dw_event(Event::StudyClosed { study, refunded: 500 }));
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 500);
		assert_noop!(
			DnaWallet::remove_study(RuntimeOrigin::signed(ORG), study),
			Error::<Test>::ConsentsPending
		);
		// A settled rejection on a closed study returns its price to the organisation.
		assert_ok!(DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, b, hash(1)));
		run_to_block(1 + DISPUTE_WINDOW);
		let org_before = free(ORG);
		assert_ok!(DnaWallet::settle_rejection(RuntimeOrigin::signed(STRANGER), study, b));
		assert_eq!(free(ORG), org_before + 250 + 2 * CONSENT_DEPOSIT);
		// An accepted one is paid from what was kept.
		assert_ok!(accept(study, a));
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 0);
		assert_ok!(DnaWallet::remove_study(RuntimeOrigin::signed(ORG), study));
	});
}

#[test]
fn attack_one_organisation_squats_the_study_list() {
	ExtBuilder::default().build_and_execute(|| {
		// One organisation cannot take every slot of the global study list.
		let first = StudyParams::default().open();
		let second = StudyParams::default().open();
		assert_noop!(StudyParams::default().create(), Error::<Test>::TooManyOrganisationStudies);
		org_2_study().open();
		// Deregistering the organisation does not leave its studies behind.
		assert_noop!(
			DnaWallet::deregister_organisation(RuntimeOrigin::root(), ORG),
			Error::<Test>::OrganisationHasStudies
		);
		// The registrar force-closes them: escrow and deposits go back, the slots are free.
		assert_ok!(DnaWallet::force_close_study(RuntimeOrigin::root(), first));
		let events: Vec<_> = System::events()
			.into_iter()
			.map(|r| r.event)
			.filter(|e| matches!(e, RuntimeEvent::DnaWallet(_)))
			.collect();
		let last = events[events.len() - 3..].to_vec();
		assert_eq!(
			last,
			vec![
				dw_event(Event::StudyForceClosed { study: first }),
				dw_event(Event::StudyClosed { study: first, refunded: 1_000 }),
				dw_event(Event::StudyRemoved { study: first, consents_removed: 0 }),
			]
		);
		assert_ok!(DnaWallet::force_close_study(RuntimeOrigin::root(), second));
		assert_eq!(held(HoldReason::StudyEscrow, ORG), 0);
		assert_eq!(held(HoldReason::StudyDeposit, ORG), 0);
		assert_eq!(StudyIndex::<Test>::get().len(), 1);
		assert_ok!(DnaWallet::deregister_organisation(RuntimeOrigin::root(), ORG));
	});
}

#[test]
fn force_close_study_waits_for_unsettled_consents() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		assert_ok!(consent(OWNER, study, dataset));
		assert_noop!(
			DnaWallet::force_close_study(RuntimeOrigin::signed(STRANGER), study),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DnaWallet::force_close_study(RuntimeOrigin::root(), 9),
			Error::<Test>::StudyNotFound
		);
		// Closed, but kept while the consent is unsettled.
		let info = DnaWallet::force_close_study(RuntimeOrigin::root(), study).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::force_close_study(0)));
		System::assert_last_event(dw_event(Event::StudyClosed { study, refunded: 750 }));
		assert_eq!(Studies::<Test>::get(study).unwrap().status, StudyStatus::Closed);
		assert_noop!(
			DnaWallet::force_close_study(RuntimeOrigin::root(), study),
			Error::<Test>::ConsentsPending
		);
		// The owner who gave the data is still paid once the window passes.
		run_to_block(1 + ACCEPTANCE_WINDOW);
		assert_ok!(DnaWallet::accept_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		let info = DnaWallet::force_close_study(RuntimeOrigin::root(), study).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::force_close_study(1)));
		System::assert_last_event(dw_event(Event::StudyRemoved { study, consents_removed: 1 }));
		assert!(!Studies::<Test>::contains_key(study));
	});
}

#[test]
fn attack_deregistered_compute_service_keeps_decrypting() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams {
			mode: StudyMode::AggregateOnly,
			recipient: ENCLAVE,
			recipient_key_id: ENCLAVE_KEY,
			..Default::default()
		}
		.open();
		let dataset = research_dataset(1);
		consent_accepted(OWNER, study, dataset);
		assert!(DnaWallet::can_decrypt(dataset, ENCLAVE));
		// The registrar deregisters the compute service (say, its attestation was revoked): the
		// study shares wrapped to its key are dead at once, and anyone can clean them up.
		assert_ok!(DnaWallet::deregister_organisation(RuntimeOrigin::root(), ENCLAVE));
		assert!(!DnaWallet::can_decrypt(dataset, ENCLAVE));
		assert_ok!(DnaWallet::remove_expired_shares(
			RuntimeOrigin::signed(STRANGER),
			dataset,
			BoundedVec::try_from(vec![ENCLAVE]).unwrap()
		));
	});
}

#[test]
fn attack_junk_consent_withdrawn_ahead_of_rejection_still_costs_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let study = StudyParams::default().open();
		let dataset = research_dataset(1);
		let (owner_before, org_before) = (free(OWNER), free(ORG));
		assert_ok!(consent(OWNER, study, dataset));
		// The owner sees the rejection coming and withdraws first: that must not make junk free.
		assert_ok!(DnaWallet::withdraw_consent(RuntimeOrigin::signed(OWNER), study, dataset));
		assert_noop!(
			DnaWallet::reject_consent(RuntimeOrigin::signed(ORG), study, dataset, hash(1)),
			Error::<Test>::ConsentNotPending
		);
		assert_eq!(free(OWNER), owner_before - CONSENT_DEPOSIT);
		assert_eq!(free(ORG), org_before + CONSENT_DEPOSIT);
	});
}
