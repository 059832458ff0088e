use super::*;
use crate::migrations::{
	v2::{self, v1},
	v3,
};
use frame_support::{
	traits::{GetStorageVersion, OnGenesis, OnRuntimeUpgrade, StorageVersion},
	BoundedVec,
};

/// A record as storage version 1 kept it.
fn v1_record(patient: u64, status: RecordStatus, tag: u8) -> v1::RecordOf<Test> {
	let tombstone = status == RecordStatus::Erased;
	v1::Record {
		patient,
		issuer: patient,
		type_code: type_code(CONSULT_NOTE),
		commitment: if tombstone { H256::zero() } else { commitment(tag) },
		locator: if tombstone { Default::default() } else { locator(tag) },
		size: if tombstone { 0 } else { 1024 },
		version: 1,
		supersedes: None,
		status,
		created_at: 1,
		depositor: patient,
		deposit: 0,
	}
}

#[test]
fn a_new_chain_starts_at_storage_version_3() {
	ExtBuilder::default().build_and_execute(|| {
		// What a runtime's genesis build does for every pallet.
		<Ehr as OnGenesis>::on_genesis();
		assert_eq!(Ehr::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(Ehr::in_code_storage_version(), StorageVersion::new(3));
		// So the migrations do nothing on it.
		assert_ok!(Ehr::add_record(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			type_code(CONSULT_NOTE),
			commitment(1),
			next_content_id(),
			locator(1),
			1
		));
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Records::<Test>::get(0).unwrap().content_id, Some(content_id(0)));
		assert_eq!(ContentRecords::<Test>::get(content_id(0), PATIENT), Some(0));
	});
}

#[test]
fn migration_to_v2_keeps_every_record_and_names_no_object() {
	ExtBuilder::default().build_and_execute(|| {
		StorageVersion::new(1).put::<Ehr>();
		v1::Records::<Test>::insert(0, v1_record(PATIENT, RecordStatus::Active, 1));
		v1::Records::<Test>::insert(1, v1_record(PATIENT, RecordStatus::Erased, 2));
		v1::Records::<Test>::insert(2, v1_record(PATIENT_2, RecordStatus::Active, 3));
		PatientRecords::<Test>::insert(PATIENT, BoundedVec::try_from(vec![0, 1]).unwrap());
		PatientRecords::<Test>::insert(PATIENT_2, BoundedVec::try_from(vec![2]).unwrap());
		NextRecordId::<Test>::put(3);

		let snapshot = v2::pre_upgrade_snapshot::<Test>();
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_ok!(v2::post_upgrade_check::<Test>(snapshot));

		assert_eq!(Ehr::on_chain_storage_version(), StorageVersion::new(2));
		let active = Records::<Test>::get(0).unwrap();
		assert_eq!(active.content_id, None);
		assert_eq!((active.commitment, active.locator), (commitment(1), locator(1)));
		assert_eq!(Records::<Test>::get(1).unwrap().status, RecordStatus::Erased);
		assert_eq!(Ehr::records(PATIENT_2)[0].content_id, None);
		assert_eq!(ContentRecords::<Test>::iter().count(), 0);

		// Run again at version 2, it changes nothing.
		let before = Records::<Test>::iter().collect::<Vec<_>>();
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Records::<Test>::iter().collect::<Vec<_>>(), before);

		// Migrated records keep working: amended, the new version names its object.
		assert_ok!(Ehr::amend_record(
			RuntimeOrigin::signed(PATIENT),
			0,
			commitment(4),
			next_content_id(),
			locator(4),
			1
		));
	});
}

#[test]
fn post_upgrade_check_catches_a_lost_record() {
	ExtBuilder::default().build_and_execute(|| {
		StorageVersion::new(1).put::<Ehr>();
		v1::Records::<Test>::insert(0, v1_record(PATIENT, RecordStatus::Active, 1));
		let snapshot = v2::pre_upgrade_snapshot::<Test>();
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		Records::<Test>::remove(0);
		assert!(v2::post_upgrade_check::<Test>(snapshot).is_err());
	});
}

#[test]
fn migration_to_v3_moves_each_content_id_under_its_records_issuer() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		let own = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let issued = add_record(HOSPITAL, PATIENT, LAB_REPORT, 2);
		// The storage of version 2: one record per content id, and an entry whose record is gone.
		let _ = ContentRecords::<Test>::clear(u32::MAX, None);
		StorageVersion::new(2).put::<Ehr>();
		v3::v2::ContentRecords::<Test>::insert(content_id(own), own);
		v3::v2::ContentRecords::<Test>::insert(content_id(issued), issued);
		v3::v2::ContentRecords::<Test>::insert(H256::repeat_byte(0xAB), 99);

		let snapshot = v3::pre_upgrade_snapshot::<Test>();
		v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_ok!(v3::post_upgrade_check::<Test>(snapshot));

		assert_eq!(Ehr::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(ContentRecords::<Test>::get(content_id(own), PATIENT), Some(own));
		assert_eq!(ContentRecords::<Test>::get(content_id(issued), HOSPITAL), Some(issued));
		assert_eq!(ContentRecords::<Test>::iter().count(), 2, "the orphan entry is dropped");
		assert_eq!(
			Ehr::read_ticket(PATIENT, content_id(issued), HOSPITAL).map(|t| t.record_id),
			Some(issued)
		);
		// Run again at version 3, it changes nothing.
		v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(ContentRecords::<Test>::iter().count(), 2);
	});
}

#[test]
fn post_upgrade_check_of_v3_catches_a_lost_content_id() {
	ExtBuilder::default().build_and_execute(|| {
		let own = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let _ = ContentRecords::<Test>::clear(u32::MAX, None);
		StorageVersion::new(2).put::<Ehr>();
		v3::v2::ContentRecords::<Test>::insert(content_id(own), own);
		let snapshot = v3::pre_upgrade_snapshot::<Test>();
		v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		ContentRecords::<Test>::remove(content_id(own), PATIENT);
		assert!(v3::post_upgrade_check::<Test>(snapshot).is_err());
		// Put back, so that try_state after the test holds.
		ContentRecords::<Test>::insert(content_id(own), PATIENT, own);
	});
}
