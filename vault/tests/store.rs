//! The store's crash safety on both blob backends (a directory, and a real S3-compatible server):
//! whatever a crash leaves, opening the store makes the blobs and the index agree, and each
//! account's usage is recomputed from what remains.
// Tests may unwrap, panic, index and count freely: the runtime-safety lints (in clippy's
// restriction group) are for the vault's own code.
#![allow(clippy::restriction)]

mod common;

use std::fs;

use common::Backend;
use medchain_vault::{
	blobs::{shared_credentials, BlobError},
	store::{Put, Recovery, Store, StoreError},
};

const QUOTA: u64 = 1 << 20;

/// Stores two objects, leaves what a crash and an operator's accident can leave (`debris`:
/// the backend's own partial writes; then a blob stored but never indexed, a stray name and a
/// blob lost behind the index's back), reopens and checks the reconciliation.
fn crash_leftovers_are_reconciled(
	backend: &Backend,
	debris: impl FnOnce(&std::path::Path),
	partial: usize,
) {
	let dir = tempfile::tempdir().unwrap();
	let (kept, lost) = (medchain_seal::seal(b"kept"), medchain_seal::seal(b"lost"));
	let vault_id = {
		let (store, recovery) = backend.open(dir.path());
		assert_eq!(recovery, Recovery::default());
		for sealed in [&kept, &lost] {
			assert_eq!(
				store.put(&sealed.content_id, &sealed.object, &[1; 32], QUOTA).unwrap(),
				Put::Created
			);
		}
		assert_eq!(store.usage(&[1; 32]).unwrap(), (kept.object.len() + lost.object.len()) as u64);
		store.vault_id()
	};
	debris(dir.path());
	let blobs = backend.blobs(dir.path(), &vault_id);
	for (name, bytes) in
		[(hex::encode([9u8; 32]), b"orphan"), ("not-a-content-id".into(), b"stray!")]
	{
		let file = dir.path().join("blob-to-put");
		fs::write(&file, bytes).unwrap();
		blobs.put_file(&name, &file).unwrap();
	}
	blobs.delete(&hex::encode(lost.content_id)).unwrap();

	let (store, recovery) = backend.open(dir.path());
	assert_eq!(
		recovery,
		Recovery { partial_uploads: partial, unindexed_blobs: 2, missing_blobs: 1 }
	);
	assert_eq!(store.read(&kept.content_id).unwrap().unwrap(), kept.object);
	assert_eq!(store.read_range(&kept.content_id, 3..20).unwrap().unwrap(), kept.object[3..20]);
	assert!(store.info(&lost.content_id).unwrap().is_none());
	assert!(store.read(&lost.content_id).unwrap().is_none());
	assert!(store.info(&[9; 32]).unwrap().is_none());
	assert_eq!(store.usage(&[1; 32]).unwrap(), kept.object.len() as u64);
	assert_eq!(store.totals().unwrap(), (1, kept.object.len() as u64));
	assert_eq!(blobs.list().unwrap(), vec![hex::encode(kept.content_id)]);

	// A second open finds nothing left to repair.
	drop(store);
	assert_eq!(backend.open(dir.path()).1, Recovery::default());
}

#[test]
fn filesystem_recovery_removes_partial_uploads_and_unindexed_blobs_and_forgets_missing_ones() {
	crash_leftovers_are_reconciled(
		&Backend::Filesystem,
		|dir| {
			fs::write(dir.join("tmp").join("partial"), b"half a copy").unwrap();
			fs::write(dir.join("uploads").join("0123456789abcdef"), b"half an upload").unwrap();
		},
		2,
	);
}

#[test]
fn s3_recovery_removes_partial_uploads_and_unindexed_blobs_and_forgets_missing_ones() {
	crash_leftovers_are_reconciled(
		&Backend::s3(),
		|dir| fs::write(dir.join("uploads").join("0123456789abcdef"), b"half an upload").unwrap(),
		1,
	);
}

fn parallel_uploads_cannot_together_exceed_the_quota(backend: &Backend) {
	let dir = tempfile::tempdir().unwrap();
	let store = std::sync::Arc::new(backend.open(dir.path()).0);
	let objects: Vec<_> = (0..8u8).map(|i| medchain_seal::seal(&[i; 1000])).collect();
	let size = objects[0].object.len() as u64;
	// Room for three objects; eight uploads race for it.
	let quota = 3 * size + size / 2;
	let handles: Vec<_> = objects
		.into_iter()
		.map(|sealed| {
			let store = store.clone();
			std::thread::spawn(move || {
				store.put(&sealed.content_id, &sealed.object, &[7; 32], quota)
			})
		})
		.collect();
	let created = handles
		.into_iter()
		.map(|handle| handle.join().unwrap())
		.filter(|outcome| matches!(outcome, Ok(Put::Created)))
		.count();
	assert_eq!(created, 3);
	assert_eq!(store.usage(&[7; 32]).unwrap(), 3 * size);
	assert_eq!(backend.blobs(dir.path(), &store.vault_id()).list().unwrap().len(), 3);
}

#[test]
fn filesystem_parallel_uploads_cannot_together_exceed_the_quota() {
	parallel_uploads_cannot_together_exceed_the_quota(&Backend::Filesystem);
}

#[test]
fn s3_parallel_uploads_cannot_together_exceed_the_quota() {
	parallel_uploads_cannot_together_exceed_the_quota(&Backend::s3());
}

fn a_lost_index_stops_the_vault_and_deletes_nothing(backend: &Backend) {
	let dir = tempfile::tempdir().unwrap();
	let sealed = medchain_seal::seal(b"discharge summary");
	let vault_id = {
		let (store, _) = backend.open(dir.path());
		store.put(&sealed.content_id, &sealed.object, &[2; 32], QUOTA).unwrap();
		store.vault_id()
	};
	fs::remove_file(dir.path().join("index.redb")).unwrap();
	let error = Store::open_with(dir.path(), |vault_id| Ok(backend.blobs(dir.path(), vault_id)))
		.err()
		.unwrap();
	assert!(matches!(error, StoreError::IndexMissing { blobs: 1, .. }), "{error}");
	assert_eq!(
		backend.blobs(dir.path(), &vault_id).list().unwrap(),
		vec![hex::encode(sealed.content_id)]
	);
}

#[test]
fn filesystem_a_lost_index_stops_the_vault_and_deletes_nothing() {
	a_lost_index_stops_the_vault_and_deletes_nothing(&Backend::Filesystem);
}

#[test]
fn s3_a_lost_index_stops_the_vault_and_deletes_nothing() {
	a_lost_index_stops_the_vault_and_deletes_nothing(&Backend::s3());
}

#[test]
fn an_unreachable_object_store_fails_the_upload_and_indexes_nothing() {
	let mut backend = Backend::s3();
	let dir = tempfile::tempdir().unwrap();
	let (store, _) = backend.open(dir.path());
	let sealed = medchain_seal::seal(b"referral");
	let Backend::S3 { server, .. } = &mut backend else { unreachable!() };
	server.stop();
	let error = store.put(&sealed.content_id, &sealed.object, &[3; 32], QUOTA).unwrap_err();
	assert!(
		matches!(error, StoreError::Blobs(BlobError::Unreachable { operation: "PutObject", .. })),
		"{error}"
	);
	assert!(store.info(&sealed.content_id).unwrap().is_none());
	assert_eq!(store.usage(&[3; 32]).unwrap(), 0);
	assert_eq!(store.blob_calls()[&("put", "error")].0, 1);
}

#[test]
fn the_vault_id_survives_restarts_and_a_corrupt_one_is_an_error() {
	let dir = tempfile::tempdir().unwrap();
	let first = Store::open(dir.path()).unwrap().0.vault_id();
	assert_eq!(Store::open(dir.path()).unwrap().0.vault_id(), first);
	fs::write(dir.path().join("vault-id"), "not hex").unwrap();
	let error = Store::open(dir.path()).err().unwrap();
	assert!(error.to_string().contains("not 64 hex digits"), "{error}");
}

#[test]
fn s3_credentials_come_from_the_named_profile_of_a_shared_credentials_file() {
	let file = "[default]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = s1\n\n\
	            [garage]\naws_access_key_id=GK123\naws_secret_access_key=s2\naws_session_token = t\n";
	let garage = shared_credentials(file, "garage").unwrap();
	assert_eq!((garage.key(), garage.secret(), garage.token()), ("GK123", "s2", Some("t")));
	let default = shared_credentials(file, "default").unwrap();
	assert_eq!((default.key(), default.secret(), default.token()), ("AKIDEFAULT", "s1", None));
	assert!(shared_credentials(file, "missing").is_none());
	assert!(shared_credentials("[x]\naws_access_key_id = k\n", "x").is_none(), "no secret");
}
