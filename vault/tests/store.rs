//! The store's crash safety: whatever a crash leaves in the data directory, opening it makes
//! the blobs and the index agree, and an account's usage follows.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::fs;

use medchain_vault::store::{Put, Recovery, Store};

const QUOTA: u64 = 1 << 20;

#[test]
fn recovery_removes_partial_uploads_and_unindexed_blobs_and_forgets_missing_ones() {
	let dir = tempfile::tempdir().unwrap();
	let (kept, lost) = (medchain_seal::seal(b"kept"), medchain_seal::seal(b"lost"));
	{
		let (store, recovery) = Store::open(dir.path()).unwrap();
		assert_eq!(recovery, Recovery::default());
		assert_eq!(
			store.put(&kept.content_id, &kept.object, &[1; 32], QUOTA).unwrap(),
			Put::Created
		);
		assert_eq!(
			store.put(&lost.content_id, &lost.object, &[1; 32], QUOTA).unwrap(),
			Put::Created
		);
	}
	// A crash mid-upload (tmp file), after a rename but before the index commit (orphan blob),
	// and a blob lost from disk.
	fs::write(dir.path().join("tmp").join("partial"), b"half an upload").unwrap();
	fs::write(dir.path().join("objects").join(hex::encode([9u8; 32])), b"orphan").unwrap();
	fs::remove_file(dir.path().join("objects").join(hex::encode(lost.content_id))).unwrap();

	let (store, recovery) = Store::open(dir.path()).unwrap();
	assert_eq!(recovery, Recovery { partial_uploads: 1, unindexed_blobs: 1, missing_blobs: 1 });
	assert_eq!(store.read(&kept.content_id).unwrap().unwrap(), kept.object);
	assert!(store.info(&lost.content_id).unwrap().is_none());
	assert!(store.info(&[9; 32]).unwrap().is_none());
	assert_eq!(store.usage(&[1; 32]).unwrap(), kept.object.len() as u64);
	assert_eq!(store.totals().unwrap(), (1, kept.object.len() as u64));
	assert_eq!(fs::read_dir(dir.path().join("objects")).unwrap().count(), 1);
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
fn parallel_uploads_cannot_together_exceed_the_quota() {
	let dir = tempfile::tempdir().unwrap();
	let store = std::sync::Arc::new(Store::open(dir.path()).unwrap().0);
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
}
