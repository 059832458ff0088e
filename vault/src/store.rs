//! Where sealed objects live: blobs as files under `DATA_DIR/objects`, their metadata and each
//! account's usage in a `redb` index. A blob is written to `DATA_DIR/tmp`, synced and renamed
//! into place before the index records it, so a crash at any point leaves either the whole
//! object (indexed) or nothing after [`Store::open`]'s recovery.

use std::{
	fs,
	io::{self, Write},
	path::{Path, PathBuf},
	sync::Mutex,
	time::{SystemTime, UNIX_EPOCH},
};

use rand_core::{OsRng, RngCore};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

/// A 32-byte content id or account id.
pub type Id = [u8; 32];

/// content id → (size in bytes, uploader, stored at as unix seconds).
const OBJECTS: TableDefinition<Id, (u64, Id, u64)> = TableDefinition::new("objects");
/// account → bytes stored for it.
const USAGE: TableDefinition<Id, u64> = TableDefinition::new("usage");
/// content id → erased at (unix seconds): an erased object is answered "gone", never re-stored.
const ERASED: TableDefinition<Id, u64> = TableDefinition::new("erased");

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("storage I/O failed: {0}")]
	Io(#[from] io::Error),
	#[error("the index failed: {0}")]
	Index(#[from] redb::Error),
	#[error("the account would store {needed} bytes, over its quota of {quota}")]
	QuotaExceeded { needed: u64, quota: u64 },
}

/// Turns each of redb's error types into [`StoreError::Index`].
trait Indexed<T> {
	fn indexed(self) -> Result<T, StoreError>;
}

impl<T, E: Into<redb::Error>> Indexed<T> for Result<T, E> {
	fn indexed(self) -> Result<T, StoreError> {
		self.map_err(|error| StoreError::Index(error.into()))
	}
}

/// What the index knows about a stored object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectInfo {
	pub size: u64,
	pub uploader: Id,
	pub stored_at: u64,
}

/// Whether a put stored new bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
	Created,
	AlreadyStored,
	/// The object was erased; its content id is never stored again.
	Erased,
}

/// What recovery found and repaired when the store opened.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
	/// Partial uploads removed from `tmp/`.
	pub partial_uploads: usize,
	/// Blobs that a crash left without an index entry, removed.
	pub unindexed_blobs: usize,
	/// Index entries whose blob was missing, removed.
	pub missing_blobs: usize,
}

/// The vault's storage: one directory, one index.
pub struct Store {
	objects: PathBuf,
	tmp: PathBuf,
	index: Database,
	vault_id: Id,
	// Puts and deletes one at a time: a quota check and the usage it updates must not interleave
	// with another upload of the same account (parallel uploads would each see the old usage).
	writes: Mutex<()>,
}

impl Store {
	/// Opens (or creates) the store in `dir` and makes blobs and index agree.
	pub fn open(dir: &Path) -> Result<(Self, Recovery), StoreError> {
		let objects = dir.join("objects");
		let tmp = dir.join("tmp");
		fs::create_dir_all(&objects)?;
		fs::create_dir_all(&tmp)?;
		let index = Database::create(dir.join("index.redb")).indexed()?;
		let vault_id = vault_id(dir)?;
		let store = Self { objects, tmp, index, vault_id, writes: Mutex::new(()) };
		let recovery = store.recover()?;
		Ok((store, recovery))
	}

	/// This vault's random id, which every signed request names so that it cannot be replayed
	/// to another vault.
	pub fn vault_id(&self) -> Id {
		self.vault_id
	}

	/// Stores `bytes` under `id` for `uploader` unless already stored, within `quota` bytes
	/// per account.
	pub fn put(&self, id: &Id, bytes: &[u8], uploader: &Id, quota: u64) -> Result<Put, StoreError> {
		let _writing = self.writes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if self.info(id)?.is_some() {
			return Ok(Put::AlreadyStored);
		}
		if self.erased_at(id)?.is_some() {
			return Ok(Put::Erased);
		}
		let size = bytes.len() as u64;
		let used = self.usage(uploader)?;
		let needed = used.saturating_add(size);
		if needed > quota {
			return Err(StoreError::QuotaExceeded { needed, quota });
		}
		let partial = self.tmp.join(format!("{}.{}", hex::encode(id), OsRng.next_u64()));
		let mut file = fs::File::create(&partial)?;
		file.write_all(bytes)?;
		file.sync_all()?;
		drop(file);
		fs::rename(&partial, self.blob_path(id))?;
		fs::File::open(&self.objects)?.sync_all()?;

		let txn = self.index.begin_write().indexed()?;
		{
			let mut objects = txn.open_table(OBJECTS).indexed()?;
			objects.insert(id, (size, *uploader, unix_now())).indexed()?;
			let mut usage = txn.open_table(USAGE).indexed()?;
			usage.insert(uploader, needed).indexed()?;
		}
		txn.commit().indexed()?;
		Ok(Put::Created)
	}

	/// The index entry of `id`, if stored.
	pub fn info(&self, id: &Id) -> Result<Option<ObjectInfo>, StoreError> {
		let txn = self.index.begin_read().indexed()?;
		let objects = txn.open_table(OBJECTS).indexed()?;
		let entry = objects.get(id).indexed()?;
		Ok(entry.map(|entry| {
			let (size, uploader, stored_at) = entry.value();
			ObjectInfo { size, uploader, stored_at }
		}))
	}

	/// When `id` was erased, if it was.
	pub fn erased_at(&self, id: &Id) -> Result<Option<u64>, StoreError> {
		let txn = self.index.begin_read().indexed()?;
		let erased = txn.open_table(ERASED).indexed()?;
		Ok(erased.get(id).indexed()?.map(|entry| entry.value()))
	}

	/// The bytes of `id`, if stored.
	pub fn read(&self, id: &Id) -> Result<Option<Vec<u8>>, StoreError> {
		if self.info(id)?.is_none() {
			return Ok(None);
		}
		Ok(Some(fs::read(self.blob_path(id))?))
	}

	/// Erases `id`: removes its bytes, gives them back to its uploader's quota and remembers
	/// the erasure; `false` if not stored.
	pub fn delete(&self, id: &Id) -> Result<bool, StoreError> {
		let _writing = self.writes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let Some(info) = self.info(id)? else { return Ok(false) };
		let txn = self.index.begin_write().indexed()?;
		{
			let mut objects = txn.open_table(OBJECTS).indexed()?;
			objects.remove(id).indexed()?;
			let mut erased = txn.open_table(ERASED).indexed()?;
			erased.insert(id, unix_now()).indexed()?;
			let mut usage = txn.open_table(USAGE).indexed()?;
			let used = usage.get(&info.uploader).indexed()?.map(|entry| entry.value()).unwrap_or(0);
			usage.insert(&info.uploader, used.saturating_sub(info.size)).indexed()?;
		}
		txn.commit().indexed()?;
		// The index no longer names the blob; a crash before this removal leaves an unindexed
		// blob that the next recovery deletes.
		remove_if_present(&self.blob_path(id))?;
		Ok(true)
	}

	/// Bytes stored for `account`.
	pub fn usage(&self, account: &Id) -> Result<u64, StoreError> {
		let txn = self.index.begin_read().indexed()?;
		let usage = txn.open_table(USAGE).indexed()?;
		Ok(usage.get(account).indexed()?.map(|entry| entry.value()).unwrap_or(0))
	}

	/// Objects stored and their total bytes.
	pub fn totals(&self) -> Result<(u64, u64), StoreError> {
		let txn = self.index.begin_read().indexed()?;
		let objects = txn.open_table(OBJECTS).indexed()?;
		let mut totals = (0u64, 0u64);
		for entry in objects.iter().indexed()? {
			let (_, value) = entry.indexed()?;
			totals = (totals.0.saturating_add(1), totals.1.saturating_add(value.value().0));
		}
		Ok(totals)
	}

	fn blob_path(&self, id: &Id) -> PathBuf {
		self.objects.join(hex::encode(id))
	}

	fn recover(&self) -> Result<Recovery, StoreError> {
		let mut recovery = Recovery::default();
		for entry in fs::read_dir(&self.tmp)? {
			fs::remove_file(entry?.path())?;
			recovery.partial_uploads = recovery.partial_uploads.saturating_add(1);
		}
		// Tables are created on first write; a fresh store has nothing to reconcile.
		let txn = self.index.begin_write().indexed()?;
		{
			let objects = txn.open_table(OBJECTS).indexed()?;
			for entry in fs::read_dir(&self.objects)? {
				let path = entry?.path();
				let indexed = match blob_id(&path) {
					Some(id) => objects.get(&id).indexed()?.is_some(),
					None => false,
				};
				if !indexed {
					fs::remove_file(&path)?;
					recovery.unindexed_blobs = recovery.unindexed_blobs.saturating_add(1);
				}
			}
		}
		let mut missing = Vec::new();
		{
			let objects = txn.open_table(OBJECTS).indexed()?;
			for entry in objects.iter().indexed()? {
				let (id, value) = entry.indexed()?;
				if !self.blob_path(&id.value()).exists() {
					missing.push((id.value(), value.value()));
				}
			}
		}
		{
			let mut objects = txn.open_table(OBJECTS).indexed()?;
			let mut usage = txn.open_table(USAGE).indexed()?;
			txn.open_table(ERASED).indexed()?;
			for (id, (size, uploader, _)) in &missing {
				objects.remove(id).indexed()?;
				let used = usage.get(uploader).indexed()?.map(|entry| entry.value()).unwrap_or(0);
				usage.insert(uploader, used.saturating_sub(*size)).indexed()?;
			}
		}
		recovery.missing_blobs = missing.len();
		txn.commit().indexed()?;
		Ok(recovery)
	}
}

fn blob_id(path: &Path) -> Option<Id> {
	let name = path.file_name()?.to_str()?;
	let mut id = [0u8; 32];
	hex::decode_to_slice(name, &mut id).ok()?;
	Some(id)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
	match fs::remove_file(path) {
		Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
		_ => Ok(()),
	}
}

/// The vault's id from `DIR/vault-id`, made (randomly, written atomically) on first start.
fn vault_id(dir: &Path) -> Result<Id, StoreError> {
	let path = dir.join("vault-id");
	let mut id = [0u8; 32];
	match fs::read_to_string(&path) {
		Ok(text) => {
			return hex::decode_to_slice(text.trim(), &mut id).map(|()| id).map_err(|_| {
				StoreError::Io(io::Error::new(
					io::ErrorKind::InvalidData,
					format!("{} is not 64 hex digits; restore it or remove it", path.display()),
				))
			});
		},
		Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error.into()),
		Err(_) => {},
	}
	OsRng.fill_bytes(&mut id);
	let partial = dir.join("vault-id.tmp");
	let mut file = fs::File::create(&partial)?;
	file.write_all(hex::encode(id).as_bytes())?;
	file.sync_all()?;
	fs::rename(&partial, &path)?;
	Ok(id)
}

fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|since| since.as_secs()).unwrap_or(0)
}
