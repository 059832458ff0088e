//! Key envelopes (`docs/sealing-v1.md` §5 and §7): the data key of a sealed EHR object wrapped
//! to one recipient, kept beside the object under `(content id, recipient)` in their own `redb`
//! file. A patient's client deposits one per grantee; the vault serves it only to that
//! recipient, only when the [`crate::http::ReadPolicy`] lets it read the object, and drops all
//! of an object's envelopes when the object is erased. An envelope opens only for the chain,
//! object, key version and account it was made for, so the vault holds nothing it could open.

use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use crate::store::{Id, StoreError};

/// Bytes of an envelope: HPKE `enc` (32) ‖ the sealed 32-byte data key with its tag (48).
pub const ENVELOPE_LEN: usize = 80;

/// Envelopes one object may have: one per grantee of its patient. Pallet-ehr keeps at most 64
/// grants per patient (`MaxGrantsPerPatient`); a patient who revokes and grants anew replaces
/// envelopes of new grantees beside the old ones, hence some room.
pub const MAX_ENVELOPES_PER_OBJECT: usize = 128;

/// (content id, recipient) → (envelope, stored at as unix seconds).
const ENVELOPES: TableDefinition<(Id, Id), ([u8; ENVELOPE_LEN], u64)> =
	TableDefinition::new("envelopes");

/// What a deposit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopePut {
	/// A first envelope for this recipient.
	Created,
	/// The recipient's envelope was replaced (a key delivered again).
	Replaced,
	/// The object has [`MAX_ENVELOPES_PER_OBJECT`] envelopes of other recipients.
	TooMany,
}

/// The envelope index.
pub struct EnvelopeStore {
	index: Database,
}

fn indexed<T, E: Into<redb::Error>>(result: Result<T, E>) -> Result<T, StoreError> {
	result.map_err(|error| StoreError::Index(error.into()))
}

impl EnvelopeStore {
	/// Opens (or creates) the envelope index at `path` (`DATA_DIR/envelopes.redb`).
	pub fn open(path: &Path) -> Result<Self, StoreError> {
		let index = indexed(Database::create(path))?;
		let txn = indexed(index.begin_write())?;
		indexed(txn.open_table(ENVELOPES))?;
		indexed(txn.commit())?;
		Ok(Self { index })
	}

	/// Keeps `envelope` for `recipient` of object `id`, replacing the recipient's earlier one.
	pub fn put(
		&self,
		id: &Id,
		recipient: &Id,
		envelope: &[u8; ENVELOPE_LEN],
	) -> Result<EnvelopePut, StoreError> {
		let txn = indexed(self.index.begin_write())?;
		let put = {
			let mut table = indexed(txn.open_table(ENVELOPES))?;
			let replaced = indexed(table.get(&(*id, *recipient)))?.is_some();
			let count = indexed(table.range((*id, [0u8; 32])..=(*id, [0xFFu8; 32])))?.count();
			if !replaced && count >= MAX_ENVELOPES_PER_OBJECT {
				EnvelopePut::TooMany
			} else {
				indexed(table.insert(&(*id, *recipient), &(*envelope, unix_now())))?;
				if replaced {
					EnvelopePut::Replaced
				} else {
					EnvelopePut::Created
				}
			}
		};
		indexed(txn.commit())?;
		Ok(put)
	}

	/// The envelope of object `id` for `recipient`, if deposited.
	pub fn get(&self, id: &Id, recipient: &Id) -> Result<Option<[u8; ENVELOPE_LEN]>, StoreError> {
		let txn = indexed(self.index.begin_read())?;
		let table = indexed(txn.open_table(ENVELOPES))?;
		Ok(indexed(table.get(&(*id, *recipient)))?.map(|entry| entry.value().0))
	}

	/// Removes every envelope of object `id`; how many there were.
	pub fn remove_object(&self, id: &Id) -> Result<usize, StoreError> {
		let txn = indexed(self.index.begin_write())?;
		let removed = {
			let mut table = indexed(txn.open_table(ENVELOPES))?;
			let keys = indexed(table.range((*id, [0u8; 32])..=(*id, [0xFFu8; 32])))?
				.map(|entry| indexed(entry).map(|(key, _)| key.value()))
				.collect::<Result<Vec<_>, _>>()?;
			for key in &keys {
				indexed(table.remove(key))?;
			}
			keys.len()
		};
		indexed(txn.commit())?;
		Ok(removed)
	}
}

fn unix_now() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|since| since.as_secs())
		.unwrap_or(0)
}
