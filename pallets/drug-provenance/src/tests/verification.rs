//! One-time scratch-code verification and clone alarms.
#![allow(deprecated)] // `ValidateUnsigned` is deprecated in favour of `#[pallet::authorize]`.

use super::*;
use crate::Call;
use frame_support::{dispatch::Pays, pallet_prelude::ValidateUnsigned};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError, ValidTransaction,
};

fn verify_call(batch_id: BatchId, packs: &Packs, i: usize) -> Call<Test> {
	Call::verify_pack {
		batch_id,
		serial: packs.serials[i].clone(),
		scratch_code: packs.codes[i].clone(),
		salt: packs.salt,
		proof: packs.proof(i),
		region: None,
	}
}

fn validate(call: &Call<Test>) -> Result<ValidTransaction, TransactionValidityError> {
	<DrugProvenance as ValidateUnsigned>::validate_unsigned(TransactionSource::External, call)
}

fn record(batch_id: BatchId, packs: &Packs, i: usize) -> Option<PackRecord<u64>> {
	VerifiedPacks::<Test>::get(batch_id, packs.leaves[i])
}

#[test]
fn first_verification_of_a_genuine_pack_is_recorded_and_free() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		run_to_block(7);
		let info = verify(batch_id, &packs, 42).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			record(batch_id, &packs, 42),
			Some(PackRecord {
				first_verified_at: 7,
				region: Some(250),
				first_verifier: Verifier::Public,
				alarms: 0,
				last_alarm_at: None
			})
		);
		assert_eq!(Batches::<Test>::get(batch_id).unwrap().verified_packs, 1);
		System::assert_last_event(
			Event::PackVerified {
				batch_id,
				leaf: packs.leaves[42],
				region: Some(250),
				verdict: PackVerdict::Genuine,
			}
			.into(),
		);
		// Only the verified pack takes storage.
		assert_eq!(VerifiedPacks::<Test>::iter_prefix(batch_id).count(), 1);
	});
}

#[test]
fn dispenser_second_scan_raises_clone_alarm() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		run_to_block(7);
		assert_ok!(verify(batch_id, &packs, 3));
		run_to_block(9);
		let info = DrugProvenance::verify_pack(
			RuntimeOrigin::signed(PHARMACY),
			batch_id,
			packs.serials[3].clone(),
			packs.codes[3].clone(),
			packs.salt,
			packs.proof(3),
			Some(276),
		)
		.unwrap();
		assert_eq!(info.pays_fee, Pays::Yes);
		System::assert_last_event(
			Event::CloneAlarmRaised {
				batch_id,
				leaf: packs.leaves[3],
				reporter: PHARMACY,
				first_verified_at: 7,
				first_region: Some(250),
				region: Some(276),
				alarms: 1,
				alarmed_packs: 1,
			}
			.into(),
		);
		let r = record(batch_id, &packs, 3).unwrap();
		assert_eq!((r.first_verified_at, r.alarms, r.last_alarm_at), (7, 1, Some(9)));
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.verified_packs, b.alarmed_packs, b.clone_alarms), (1, 1, 1));
		assert_eq!(b.status, BatchStatus::Active);
		// A regulator's inspector may report a second scan too.
		assert_ok!(scan(REGULATOR, batch_id, &packs, 3));
		assert_eq!(record(batch_id, &packs, 3).unwrap().alarms, 2);
	});
}

#[test]
fn only_an_active_dispenser_or_regulator_raises_clone_alarms() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		assert_ok!(verify(batch_id, &packs, 3));
		// Anyone else's repeat is refused and changes nothing.
		for who in [PATIENT, WHOLESALER, LOGISTICS, MANUFACTURER] {
			assert_noop!(scan(who, batch_id, &packs, 3), Error::<Test>::AlreadyVerified);
		}
		assert_noop!(verify(batch_id, &packs, 3), Error::<Test>::AlreadyVerified);
		// A suspended pharmacy, or one whose licence ended, is just anyone.
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), PHARMACY));
		assert_noop!(scan(PHARMACY, batch_id, &packs, 3), Error::<Test>::AlreadyVerified);
		assert_ok!(DrugProvenance::reinstate_partner(RuntimeOrigin::root(), PHARMACY));
		run_to_block(LICENSED_UNTIL);
		assert_noop!(scan(PHARMACY, batch_id, &packs, 3), Error::<Test>::AlreadyVerified);
		assert_eq!(Batches::<Test>::get(batch_id).unwrap().clone_alarms, 0);
	});
}

#[test]
fn repeated_alarms_of_one_pack_count_it_once_towards_quarantine() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		assert_ok!(verify(batch_id, &packs, 0));
		for _ in 0..5 {
			assert_ok!(scan(PHARMACY, batch_id, &packs, 0));
		}
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.alarmed_packs, b.clone_alarms), (1, 5));
		assert_eq!(b.status, BatchStatus::Active);
	});
}

#[test]
fn batch_is_quarantined_when_alarmed_packs_reach_the_threshold() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		for i in 0..CLONE_ALARM_THRESHOLD as usize {
			assert_ok!(verify(batch_id, &packs, i));
		}
		for i in 0..(CLONE_ALARM_THRESHOLD - 1) as usize {
			assert_ok!(scan(PHARMACY, batch_id, &packs, i));
		}
		assert_eq!(status(batch_id), BatchStatus::Active);
		assert_ok!(scan(PHARMACY, batch_id, &packs, (CLONE_ALARM_THRESHOLD - 1) as usize));
		assert_eq!(status(batch_id), BatchStatus::Quarantined);
		System::assert_has_event(
			Event::CloneAlarmRaised {
				batch_id,
				leaf: packs.leaves[2],
				reporter: PHARMACY,
				first_verified_at: 1,
				first_region: Some(250),
				region: Some(250),
				alarms: 1,
				alarmed_packs: CLONE_ALARM_THRESHOLD,
			}
			.into(),
		);
		System::assert_last_event(
			Event::BatchQuarantined { batch_id, cause: QuarantineCause::CloneAlarms }.into(),
		);
		// Verifying a fresh pack now says "do not use".
		assert_ok!(verify(batch_id, &packs, 50));
		System::assert_last_event(
			Event::PackVerified {
				batch_id,
				leaf: packs.leaves[50],
				region: Some(250),
				verdict: PackVerdict::DoNotUse { reason: BatchStatus::Quarantined },
			}
			.into(),
		);
	});
}

#[test]
fn clearing_restarts_the_alarm_count_with_new_packs_only() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		for i in 0..3 {
			assert_ok!(verify(batch_id, &packs, i));
			assert_ok!(scan(PHARMACY, batch_id, &packs, i));
		}
		assert_eq!(status(batch_id), BatchStatus::Quarantined);
		assert_ok!(DrugProvenance::clear_suspect(
			RuntimeOrigin::root(),
			batch_id,
			ReportFinding::GoodFaith
		));
		assert_eq!(Batches::<Test>::get(batch_id).unwrap().alarmed_packs, 0);
		// Scanning the already alarmed packs again cannot quarantine the batch again.
		for i in 0..3 {
			assert_ok!(scan(PHARMACY, batch_id, &packs, i));
		}
		assert_eq!(status(batch_id), BatchStatus::Active);
		for i in 3..6 {
			assert_ok!(verify(batch_id, &packs, i));
			assert_ok!(scan(PHARMACY, batch_id, &packs, i));
		}
		assert_eq!(status(batch_id), BatchStatus::Quarantined);
	});
}

#[test]
fn packs_of_unusable_batches_verify_as_do_not_use_with_the_reason() {
	ExtBuilder::default().build_and_execute(|| {
		let packs = Packs::new(8, 1);
		let recalled = batch_with("R", &packs);
		let quarantined = batch_with("Q", &packs);
		let expired = batch_with("E", &packs);
		let destroyed = batch_with("D", &packs);
		assert_ok!(DrugProvenance::initiate_recall(
			RuntimeOrigin::root(),
			vec![recalled].try_into().unwrap(),
			RecallClass::ClassI,
			H256::zero()
		));
		assert_ok!(DrugProvenance::report_suspect(
			RuntimeOrigin::signed(MANUFACTURER),
			quarantined,
			H256::zero(),
			None
		));
		assert_ok!(DrugProvenance::destroy(
			RuntimeOrigin::signed(MANUFACTURER),
			destroyed,
			8,
			DestructionReason::Damaged
		));
		run_to_block(EXPIRY);
		for (id, reason) in [
			(recalled, BatchStatus::Recalled),
			(quarantined, BatchStatus::Quarantined),
			(expired, BatchStatus::Expired),
			(destroyed, BatchStatus::Destroyed),
		] {
			assert_ok!(verify(id, &packs, 1));
			System::assert_last_event(
				Event::PackVerified {
					batch_id: id,
					leaf: packs.leaves[1],
					region: Some(250),
					verdict: PackVerdict::DoNotUse { reason },
				}
				.into(),
			);
		}
	});
}

#[test]
fn pack_is_genuine_until_the_block_before_expiry() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		run_to_block(EXPIRY - 1);
		assert_ok!(verify(batch_id, &packs, 0));
		System::assert_last_event(
			Event::PackVerified {
				batch_id,
				leaf: packs.leaves[0],
				region: Some(250),
				verdict: PackVerdict::Genuine,
			}
			.into(),
		);
		run_to_block(EXPIRY);
		assert_ok!(verify(batch_id, &packs, 1));
		System::assert_last_event(
			Event::PackVerified {
				batch_id,
				leaf: packs.leaves[1],
				region: Some(250),
				verdict: PackVerdict::DoNotUse { reason: BatchStatus::Expired },
			}
			.into(),
		);
	});
}

#[test]
fn wrong_code_serial_salt_or_index_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		let call = |serial: &Serial, code: &ScratchCode, salt: Salt, proof: MerkleProof| {
			DrugProvenance::verify_pack(
				RuntimeOrigin::none(),
				batch_id,
				serial.clone(),
				code.clone(),
				salt,
				proof,
				None,
			)
		};
		let mut forged = packs.codes[5].clone();
		forged[0] = if forged[0] == b'A' { b'B' } else { b'A' };
		assert_noop!(
			call(&packs.serials[5], &forged, packs.salt, packs.proof(5)),
			Error::<Test>::InvalidProof
		);
		// Another pack's code.
		assert_noop!(
			call(&packs.serials[5], &packs.codes[6], packs.salt, packs.proof(5)),
			Error::<Test>::InvalidProof
		);
		// Another pack's serial.
		assert_noop!(
			call(&packs.serials[6], &packs.codes[5], packs.salt, packs.proof(5)),
			Error::<Test>::InvalidProof
		);
		assert_noop!(
			call(&packs.serials[5], &packs.codes[5], [0; 32], packs.proof(5)),
			Error::<Test>::InvalidProof
		);
		// The right leaf at a wrong position, and an index beyond the code count.
		let mut proof = packs.proof(5);
		proof.index = 4;
		assert_noop!(
			call(&packs.serials[5], &packs.codes[5], packs.salt, proof.clone()),
			Error::<Test>::InvalidProof
		);
		proof.index = 100;
		assert_noop!(
			call(&packs.serials[5], &packs.codes[5], packs.salt, proof),
			Error::<Test>::InvalidProof
		);
		// A truncated proof.
		let mut proof = packs.proof(5);
		proof.siblings.pop();
		assert_noop!(
			call(&packs.serials[5], &packs.codes[5], packs.salt, proof),
			Error::<Test>::InvalidProof
		);
		assert_noop!(
			DrugProvenance::verify_pack(
				RuntimeOrigin::none(),
				9,
				packs.serials[5].clone(),
				packs.codes[5].clone(),
				packs.salt,
				packs.proof(5),
				None,
			),
			Error::<Test>::BatchNotFound
		);
	});
}

#[test]
fn proof_for_another_batch_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let packs_a = Packs::new(16, 1);
		let packs_b = Packs::new(16, 2);
		let a = batch_with("A", &packs_a);
		let b = batch_with("B", &packs_b);
		assert_noop!(verify(b, &packs_a, 3), Error::<Test>::InvalidProof);
		assert_noop!(verify(a, &packs_b, 3), Error::<Test>::InvalidProof);
		assert_ok!(verify(a, &packs_a, 3));
		assert_ok!(verify(b, &packs_b, 3));
	});
}

#[test]
fn signed_public_verification_is_refunded_and_cannot_be_repeated() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		assert_eq!(scan(PATIENT, batch_id, &packs, 1).unwrap().pays_fee, Pays::No);
		assert_eq!(record(batch_id, &packs, 1).unwrap().first_verifier, Verifier::Public);
		assert_noop!(scan(PATIENT, batch_id, &packs, 1), Error::<Test>::AlreadyVerified);
	});
}

#[test]
fn unsigned_validation_accepts_valid_packs_with_a_per_pack_tag() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		let valid = validate(&verify_call(batch_id, &packs, 8)).unwrap();
		assert_eq!(valid.priority, UNSIGNED_PRIORITY);
		assert_eq!(valid.longevity, UNSIGNED_LONGEVITY);
		assert!(valid.propagate);
		assert_eq!(valid.provides.len(), 1);
		assert!(valid.requires.is_empty());
		// Another pack has another tag; the same pack the same tag.
		let other = validate(&verify_call(batch_id, &packs, 9)).unwrap();
		assert_ne!(valid.provides, other.provides);
		assert_eq!(valid.provides, validate(&verify_call(batch_id, &packs, 8)).unwrap().provides);
		// Validation changes nothing.
		assert_eq!(record(batch_id, &packs, 8), None);
	});
}

#[test]
fn unsigned_validation_rejects_bad_proofs_and_unknown_batches() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		let mut call = verify_call(batch_id, &packs, 8);
		if let Call::verify_pack { scratch_code, .. } = &mut call {
			scratch_code[0] ^= 1;
		}
		assert_eq!(validate(&call), Err(InvalidTransaction::BadProof.into()));
		assert_eq!(
			validate(&verify_call(batch_id + 1, &packs, 8)),
			Err(InvalidTransaction::Call.into())
		);
		assert_eq!(validate(&Call::ack_recall { batch_id }), Err(InvalidTransaction::Call.into()));
	});
}

#[test]
fn verified_pack_yields_no_further_free_transaction() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		let call = verify_call(batch_id, &packs, 8);
		assert!(validate(&call).is_ok());
		assert_ok!(verify(batch_id, &packs, 8));
		assert_eq!(validate(&call), Err(InvalidTransaction::Stale.into()));
		// Alarms raised since do not reopen the pool to it.
		assert_ok!(scan(PHARMACY, batch_id, &packs, 8));
		assert_eq!(validate(&call), Err(InvalidTransaction::Stale.into()));
	});
}

#[test]
fn attack_pharmacy_check_then_patient_check_is_not_a_clone() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		move_packs(MANUFACTURER, batch_id, PHARMACY, 10);
		run_to_block(5);
		// The pharmacy checks the pack at hand-out (signed, refunded) and dispenses it.
		assert_eq!(scan(PHARMACY, batch_id, &packs, 4).unwrap().pays_fee, Pays::No);
		assert_ok!(DrugProvenance::mark_dispensed(RuntimeOrigin::signed(PHARMACY), batch_id, 1));
		run_to_block(8);
		// At home the patient's app checks the pack: "verified by a licensed partner at block 5".
		assert_eq!(
			DrugProvenance::check_pack(
				batch_id,
				&packs.serials[4],
				&packs.codes[4],
				&packs.salt,
				&packs.proof(4)
			),
			PackCheck::AlreadyVerified {
				leaf: packs.leaves[4],
				record: PackRecord {
					first_verified_at: 5,
					region: Some(250),
					first_verifier: Verifier::LicensedPartner,
					alarms: 0,
					last_alarm_at: None,
				},
				verdict: PackVerdict::Genuine,
			}
		);
		// Submitting it anyway is refused by the pool and raises nothing.
		assert_eq!(
			validate(&verify_call(batch_id, &packs, 4)),
			Err(InvalidTransaction::Stale.into())
		);
		assert_noop!(verify(batch_id, &packs, 4), Error::<Test>::AlreadyVerified);
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.alarmed_packs, b.clone_alarms, b.status), (0, 0, BatchStatus::Active));
	});
}

#[test]
fn dry_run_check_reports_without_changing_state() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		let check = |id: BatchId, i: usize, code: &ScratchCode| {
			DrugProvenance::check_pack(id, &packs.serials[i], code, &packs.salt, &packs.proof(i))
		};
		assert_eq!(check(batch_id + 1, 0, &packs.codes[0]), PackCheck::UnknownBatch);
		assert_eq!(check(batch_id, 0, &packs.codes[1]), PackCheck::Invalid);
		assert_eq!(
			check(batch_id, 0, &packs.codes[0]),
			PackCheck::NotYetVerified { leaf: packs.leaves[0], verdict: PackVerdict::Genuine }
		);
		assert_eq!(record(batch_id, &packs, 0), None);
		assert_ok!(verify(batch_id, &packs, 0));
		assert_eq!(
			check(batch_id, 0, &packs.codes[0]),
			PackCheck::AlreadyVerified {
				leaf: packs.leaves[0],
				record: record(batch_id, &packs, 0).unwrap(),
				verdict: PackVerdict::Genuine,
			}
		);
		assert_eq!(
			DrugProvenance::code_status(batch_id, packs.leaves[0]),
			record(batch_id, &packs, 0)
		);
		assert_eq!(DrugProvenance::code_status(batch_id, packs.leaves[1]), None);
	});
}

#[test]
fn verification_weight_grows_with_the_proof() {
	assert!(
		DrugProvenance::verify_pack_weight(32).ref_time()
			> DrugProvenance::verify_pack_weight(0).ref_time()
	);
	// Never less than either path.
	use crate::WeightInfo;
	assert!(DrugProvenance::verify_pack_weight(7).all_gte(<() as WeightInfo>::verify_pack(7)));
	assert!(DrugProvenance::verify_pack_weight(7)
		.all_gte(<() as WeightInfo>::verify_pack_clone_alarm(7)));
}

#[test]
fn attack_replayed_code_does_not_raise_clone_alarm() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, packs) = batch();
		// Patients verify packs: their serials, codes, salt and proofs are now public call data.
		for i in 0..CLONE_ALARM_THRESHOLD as usize {
			assert_ok!(verify(batch_id, &packs, i));
		}
		// An attacker replays each public verification, varying the region so that every
		// transaction hash differs.
		for i in 0..CLONE_ALARM_THRESHOLD as usize {
			for region in [1u16, 2, 3] {
				let mut replay = verify_call(batch_id, &packs, i);
				if let Call::verify_pack { region: r, .. } = &mut replay {
					*r = Some(region);
				}
				// The pool refuses the free replay: it costs the chain nothing.
				assert_eq!(validate(&replay), Err(InvalidTransaction::Stale.into()));
			}
			// Included anyway (by a block author) or signed by a funded account, it fails and
			// changes nothing.
			assert_noop!(verify(batch_id, &packs, i), Error::<Test>::AlreadyVerified);
			assert_noop!(scan(PATIENT, batch_id, &packs, i), Error::<Test>::AlreadyVerified);
		}
		let b = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!((b.alarmed_packs, b.clone_alarms), (0, 0));
		assert_eq!(b.status, BatchStatus::Active);
	});
}
