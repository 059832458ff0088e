//! Where sealed objects live: their bytes in a [`Blobs`] backend (files under `DATA_DIR/objects`,
//! or an S3-compatible bucket), their metadata and each account's usage in a `redb` index in
//! `DATA_DIR`. An upload is received into a file in `DATA_DIR/uploads` ([`Upload`]), never whole
//! in memory, and stored from there once checked. The order makes every crash recoverable: a
//! blob is stored whole under its final name (a synced rename, or one S3 PUT) before the index
//! records it, and the index forgets an erased object before its blob is removed.
//! [`Store::open_with`] then reconciles the two: uploads cut short are removed, blobs the index
//! does not name are deleted (their upload was never acknowledged), entries whose blob is
//! missing are dropped, and each account's usage is recomputed from what remains.

use std::{
	collections::{BTreeMap, BTreeSet},
	fs,
	io::{self, Write},
	ops::Range,
	path::{Path, PathBuf},
	sync::Mutex,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use rand_core::{OsRng, RngCore};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use crate::blobs::{BlobError, Blobs, Filesystem};

/// A 32-byte content id or account id.
pub type Id = [u8; 32];

/// content id → (size in bytes, uploader, stored at as unix seconds).
const OBJECTS: TableDefinition<Id, (u64, Id, u64)> = TableDefinition::new("objects");
/// account → bytes stored for it.
const USAGE: TableDefinition<Id, u64> = TableDefinition::new("usage");
/// content id → erased at (unix seconds): an erased object is answered "gone", never re-stored.
const ERASED: TableDefinition<Id, u64> = TableDefinition::new("erased");
/// order id → (content id, taken at as unix seconds): replicas the provider's duties took that
/// the chain may not have included yet, kept from erasure across a restart.
const PENDING_TAKES: TableDefinition<u64, (Id, u64)> = TableDefinition::new("pending_takes");

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("storage I/O failed: {0}")]
	Io(#[from] io::Error),
	#[error(transparent)]
	Blobs(#[from] BlobError),
	#[error("the index failed: {0}")]
	Index(#[from] redb::Error),
	#[error("the account would store {needed} bytes, over its quota of {quota}")]
	QuotaExceeded { needed: u64, quota: u64 },
	#[error(
		"there is no index ({index}) but the blob backend holds {blobs} blobs of this vault: \
		 restore the index from a backup, or remove the blobs to start empty; nothing was deleted"
	)]
	IndexMissing { index: String, blobs: usize },
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
	/// Uploads cut short, removed: `DATA_DIR/uploads`, and the filesystem backend's `tmp/`.
	pub partial_uploads: usize,
	/// Blobs that a crash left without an index entry, deleted.
	pub unindexed_blobs: usize,
	/// Index entries whose blob was missing, removed.
	pub missing_blobs: usize,
}

/// Calls to the blob backend by operation and outcome (`"ok"` or `"error"`): how many, and the
/// time they took in all.
pub type BlobCalls = BTreeMap<(&'static str, &'static str), (u64, Duration)>;

/// An upload being received: a file in `DATA_DIR/uploads`, removed when dropped unless
/// [`Store::put_upload`] stored it.
pub struct Upload {
	path: PathBuf,
	file: fs::File,
	len: u64,
}

impl Upload {
	/// Appends the next `bytes` of the object.
	pub fn write(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
		self.file.write_all(bytes)?;
		self.len = self.len.saturating_add(bytes.len() as u64);
		Ok(())
	}

	/// Bytes received so far.
	pub fn len(&self) -> u64 {
		self.len
	}

	pub fn is_empty(&self) -> bool {
		self.len == 0
	}
}

impl Drop for Upload {
	fn drop(&mut self) {
		// Gone already once stored by a rename; anything else is the next recovery's to remove.
		let _ = fs::remove_file(&self.path);
	}
}

/// The vault's storage: blobs in a backend, one index.
pub struct Store {
	blobs: Box<dyn Blobs>,
	uploads: PathBuf,
	index: Database,
	vault_id: Id,
	// Puts and deletes one at a time: a quota check and the usage it updates must not interleave
	// with another upload of the same account (parallel uploads would each see the old usage).
	writes: Mutex<()>,
	calls: Mutex<BlobCalls>,
}

impl Store {
	/// Opens (or creates) the store in `dir` with its blobs in `dir` too, and makes blobs and
	/// index agree.
	pub fn open(dir: &Path) -> Result<(Self, Recovery), StoreError> {
		Self::open_with(dir, |_| Ok(Box::new(Filesystem::open(dir)?) as Box<dyn Blobs>))
	}

	/// Opens (or creates) the store whose index and id are in `dir` and whose blobs are in the
	/// backend `blobs` makes for this vault's id, and makes blobs and index agree.
	pub fn open_with(
		dir: &Path,
		blobs: impl FnOnce(&Id) -> Result<Box<dyn Blobs>, BlobError>,
	) -> Result<(Self, Recovery), StoreError> {
		fs::create_dir_all(dir)?;
		let uploads = dir.join("uploads");
		fs::create_dir_all(&uploads)?;
		let vault_id = vault_id(dir)?;
		let blobs = blobs(&vault_id)?;
		let index_path = dir.join("index.redb");
		if !index_path.exists() {
			// Reconciling against an empty index would delete every blob: a lost index is the
			// operator's to restore.
			let found = blobs.list()?.len();
			if found > 0 {
				return Err(StoreError::IndexMissing {
					index: index_path.display().to_string(),
					blobs: found,
				});
			}
		}
		let index = Database::create(&index_path).indexed()?;
		let store = Self {
			blobs,
			uploads,
			index,
			vault_id,
			writes: Mutex::new(()),
			calls: Mutex::new(BTreeMap::new()),
		};
		let recovery = store.recover()?;
		Ok((store, recovery))
	}

	/// This vault's random id, which every signed request names so that it cannot be replayed
	/// to another vault.
	pub fn vault_id(&self) -> Id {
		self.vault_id
	}

	/// The blob backend's name: `"filesystem"` or `"s3"`.
	pub fn backend(&self) -> &'static str {
		self.blobs.backend()
	}

	/// The calls made to the blob backend so far.
	pub fn blob_calls(&self) -> BlobCalls {
		self.calls.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
	}

	/// Stores `bytes` under `id` for `uploader` unless already stored, within `quota` bytes
	/// per account: [`Self::put_upload`] of an upload of `bytes`.
	pub fn put(&self, id: &Id, bytes: &[u8], uploader: &Id, quota: u64) -> Result<Put, StoreError> {
		let mut upload = self.begin_upload()?;
		upload.write(bytes)?;
		self.put_upload(id, upload, uploader, quota)
	}

	/// A new, empty upload to write an object's bytes into as they arrive.
	pub fn begin_upload(&self) -> Result<Upload, StoreError> {
		let path = self.uploads.join(format!("{:016x}", OsRng.next_u64()));
		let file = fs::File::create_new(&path)?;
		Ok(Upload { path, file, len: 0 })
	}

	/// What [`Self::put_upload`] of `size` bytes for `uploader` would answer without storing
	/// anything: so that an upload that cannot be stored is refused before its bytes are taken.
	/// The answer may change before the bytes arrive; `put_upload` decides.
	pub fn precheck_put(
		&self,
		id: &Id,
		size: u64,
		uploader: &Id,
		quota: u64,
	) -> Result<Option<Put>, StoreError> {
		if self.info(id)?.is_some() {
			return Ok(Some(Put::AlreadyStored));
		}
		if self.erased_at(id)?.is_some() {
			return Ok(Some(Put::Erased));
		}
		let needed = self.usage(uploader)?.saturating_add(size);
		if needed > quota {
			return Err(StoreError::QuotaExceeded { needed, quota });
		}
		Ok(None)
	}

	/// Stores the bytes of `upload` under `id` for `uploader` unless already stored, within
	/// `quota` bytes per account. The caller has checked that they are the object `id` names.
	pub fn put_upload(
		&self,
		id: &Id,
		upload: Upload,
		uploader: &Id,
		quota: u64,
	) -> Result<Put, StoreError> {
		let _writing = self.writes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let size = upload.len();
		if let Some(known) = self.precheck_put(id, size, uploader, quota)? {
			return Ok(known);
		}
		let needed = self.usage(uploader)?.saturating_add(size);
		upload.file.sync_all()?;
		// The whole blob under its final name first; a crash before the commit below leaves a
		// blob the index does not name, which the next recovery deletes.
		self.call("put", |blobs| blobs.put_file(&hex::encode(id), &upload.path))?;
		drop(upload);

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
		match self.info(id)? {
			Some(info) => self.read_range(id, 0..info.size),
			None => Ok(None),
		}
	}

	/// The bytes `range` of `id`, if stored; the range must lie within the object.
	pub fn read_range(&self, id: &Id, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
		let Some(info) = self.info(id)? else { return Ok(None) };
		if range.start > range.end || range.end > info.size {
			return Err(StoreError::Io(io::Error::new(
				io::ErrorKind::InvalidInput,
				format!("bytes {range:?} are not within an object of {} bytes", info.size),
			)));
		}
		self.call("get", |blobs| blobs.get(&hex::encode(id), range))
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
		self.call("delete", |blobs| blobs.delete(&hex::encode(id)))?;
		Ok(true)
	}

	/// Remembers that the provider took a replica of `id` for order `order`, until
	/// [`Self::forget_takes`].
	pub fn note_take(&self, order: u64, id: &Id) -> Result<(), StoreError> {
		let txn = self.index.begin_write().indexed()?;
		txn.open_table(PENDING_TAKES).indexed()?.insert(order, (*id, unix_now())).indexed()?;
		txn.commit().indexed()
	}

	/// Forgets the takes of `orders` (the chain lists them, or they are too old to be pending).
	pub fn forget_takes(&self, orders: &[u64]) -> Result<(), StoreError> {
		if orders.is_empty() {
			return Ok(());
		}
		let txn = self.index.begin_write().indexed()?;
		{
			let mut takes = txn.open_table(PENDING_TAKES).indexed()?;
			for order in orders {
				takes.remove(order).indexed()?;
			}
		}
		txn.commit().indexed()
	}

	/// The takes noted and not forgotten: (order, content id, seconds since the take).
	pub fn pending_takes(&self) -> Result<Vec<(u64, Id, u64)>, StoreError> {
		let txn = self.index.begin_read().indexed()?;
		let takes = match txn.open_table(PENDING_TAKES) {
			Ok(takes) => takes,
			// Tables are created on first write: none taken yet.
			Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
			Err(error) => return Err(StoreError::Index(error.into())),
		};
		let now = unix_now();
		takes
			.iter()
			.indexed()?
			.map(|entry| {
				let (order, take) = entry.indexed()?;
				let (id, at) = take.value();
				Ok((order.value(), id, now.saturating_sub(at)))
			})
			.collect()
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

	/// Calls the blob backend, counting the call by operation and outcome.
	fn call<T>(
		&self,
		operation: &'static str,
		work: impl FnOnce(&dyn Blobs) -> Result<T, BlobError>,
	) -> Result<T, StoreError> {
		let started = Instant::now();
		let result = work(self.blobs.as_ref());
		let took = started.elapsed();
		let outcome = if result.is_ok() { "ok" } else { "error" };
		let mut calls = self.calls.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let (count, total) = calls.entry((operation, outcome)).or_insert((0, Duration::ZERO));
		*count = count.saturating_add(1);
		*total = total.saturating_add(took);
		result.map_err(StoreError::from)
	}

	fn recover(&self) -> Result<Recovery, StoreError> {
		let mut partial_uploads = self.call("remove-partial", |blobs| blobs.remove_partial())?;
		for entry in fs::read_dir(&self.uploads)? {
			fs::remove_file(entry?.path())?;
			partial_uploads = partial_uploads.saturating_add(1);
		}
		let mut recovery = Recovery { partial_uploads, ..Recovery::default() };
		let names = self.call("list", |blobs| blobs.list())?;
		// Tables are created on first write; a fresh store has nothing to reconcile.
		let txn = self.index.begin_write().indexed()?;
		let mut present = BTreeSet::new();
		{
			let objects = txn.open_table(OBJECTS).indexed()?;
			for name in names {
				match blob_id(&name) {
					Some(id) if objects.get(&id).indexed()?.is_some() => {
						present.insert(id);
					},
					_ => {
						self.call("delete", |blobs| blobs.delete(&name))?;
						recovery.unindexed_blobs = recovery.unindexed_blobs.saturating_add(1);
					},
				}
			}
		}
		{
			let mut objects = txn.open_table(OBJECTS).indexed()?;
			let mut missing = Vec::new();
			let mut usage_of = BTreeMap::<Id, u64>::new();
			for entry in objects.iter().indexed()? {
				let (id, value) = entry.indexed()?;
				let (size, uploader, _) = value.value();
				if present.contains(&id.value()) {
					let used = usage_of.entry(uploader).or_insert(0);
					*used = used.saturating_add(size);
				} else {
					missing.push(id.value());
				}
			}
			for id in &missing {
				objects.remove(id).indexed()?;
			}
			recovery.missing_blobs = missing.len();
			// Each account's usage, recomputed from the objects that remain.
			let mut usage = txn.open_table(USAGE).indexed()?;
			let mut accounts = Vec::new();
			for entry in usage.iter().indexed()? {
				accounts.push(entry.indexed()?.0.value());
			}
			for account in &accounts {
				usage.remove(account).indexed()?;
			}
			for (account, used) in &usage_of {
				usage.insert(account, used).indexed()?;
			}
			txn.open_table(ERASED).indexed()?;
		}
		txn.commit().indexed()?;
		Ok(recovery)
	}
}

fn blob_id(name: &str) -> Option<Id> {
	let mut id = [0u8; 32];
	hex::decode_to_slice(name, &mut id).ok()?;
	Some(id)
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
