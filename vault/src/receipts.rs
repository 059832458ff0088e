//! Reader-signed receipts (`pallet_storage_power::receipts`): every read a provider's vault
//! serves is a GET the reader signed for this vault (its id is the provider's account, see
//! [`crate::auth`]), and the chain takes that signature as proof of the bytes served. The vault
//! keeps each one ([`ReceiptLog`]), commits those of the last era in the era's report as a
//! Merkle-sum tree ([`ReceiptTree`]), and answers the chain's challenges of the report with the
//! receipt covering the challenged byte.
//!
//! Reads are noted in memory by the request handler and written in one transaction per duty
//! round ([`ReceiptLog::flush`]), so that serving a read costs no disk write: a crash loses at
//! most the reads of one round, and only the provider's own bandwidth credit.

use std::{path::Path, sync::Mutex};

use codec::{Decode, Encode};
use medchain_merkle::sum::{leaf_at, sum_proof, sum_root, SumNode};
use pallet_storage_power::{receipts, Receipt, ReceiptAnswer, SumProof};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use sp_core::{crypto::AccountId32, sr25519, H256};
use sp_runtime::MultiSignature;

use crate::store::{Id, StoreError};

/// A receipt as the chain checks it.
pub type ChainReceipt = Receipt<AccountId32, MultiSignature>;
/// An answer to a challenge of the provider's report.
pub type ChainAnswer = ReceiptAnswer<AccountId32, MultiSignature>;

/// Most receipts a report commits (the earliest by key; the rest are not counted): bounds the
/// tree the vault keeps per era and the report's proof depth.
pub const MAX_REPORTED_RECEIPTS: usize = 1 << 20;

/// Reads noted and not yet written beyond which new ones are dropped (a round that cannot write
/// must not let memory grow without bound).
const MAX_PENDING: usize = 1 << 20;

/// Receipt key → SCALE(receipt): the reads served, one per distinct signed request.
const RECEIPTS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("receipts");
/// Era → SCALE(Vec<receipt>): the receipts a report of the era committed, in key order.
const REPORTED: TableDefinition<u32, &[u8]> = TableDefinition::new("reported");

fn indexed<T, E: Into<redb::Error>>(result: Result<T, E>) -> Result<T, StoreError> {
	result.map_err(|error| StoreError::Index(error.into()))
}

/// The receipt of a read this vault served: `bytes` of object `content_id` to `reader`, who
/// signed the GET at `timestamp_ms` with `signature`, asking for `range` (the `Range` header as
/// sent, empty without one). `None` for a read the chain would not count: a range other than
/// `bytes=first-last`, or one the vault served more of than asked.
pub fn receipt_of(
	reader: Id,
	timestamp_ms: u64,
	content_id: Id,
	range: Option<&[u8]>,
	bytes: u64,
	signature: [u8; 64],
) -> Option<ChainReceipt> {
	let range = range.unwrap_or_default();
	if bytes == 0
		|| (!range.is_empty() && receipts::range_len(range).is_none_or(|asked| bytes > asked))
	{
		return None;
	}
	// A range longer than a receipt carries (MAX_RANGE_LEN) is no `bytes=first-last` anyway.
	let range = range.to_vec().try_into().ok()?;
	Some(Receipt {
		reader: AccountId32::from(reader),
		timestamp_ms,
		content_id: H256(content_id),
		range,
		bytes,
		signature: MultiSignature::Sr25519(sr25519::Signature::from_raw(signature)),
	})
}

/// The receipts of the reads this vault served, and those each era's report committed.
pub struct ReceiptLog {
	index: Database,
	pending: Mutex<Vec<ChainReceipt>>,
}

impl ReceiptLog {
	/// Opens (or creates) the log at `path` (`DATA_DIR/receipts.redb`).
	pub fn open(path: &Path) -> Result<Self, StoreError> {
		let index = indexed(Database::create(path))?;
		let txn = indexed(index.begin_write())?;
		indexed(txn.open_table(RECEIPTS))?;
		indexed(txn.open_table(REPORTED))?;
		indexed(txn.commit())?;
		Ok(Self { index, pending: Mutex::new(Vec::new()) })
	}

	/// Notes a served read; [`Self::flush`] writes it.
	pub fn note(&self, receipt: ChainReceipt) {
		let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if pending.len() < MAX_PENDING {
			pending.push(receipt);
		} else {
			tracing::warn!("too many receipts waiting to be written: a served read is not counted");
		}
	}

	/// Writes the noted reads in one transaction; how many. A request signed twice is one
	/// receipt (the key leaves the signature out).
	pub fn flush(&self) -> Result<usize, StoreError> {
		let noted = std::mem::take(
			&mut *self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
		);
		if noted.is_empty() {
			return Ok(0);
		}
		let txn = indexed(self.index.begin_write())?;
		{
			let mut table = indexed(txn.open_table(RECEIPTS))?;
			for receipt in &noted {
				let key = receipts::receipt_key(receipt).0;
				indexed(table.insert(&key, receipt.encode().as_slice()))?;
			}
		}
		indexed(txn.commit())?;
		Ok(noted.len())
	}

	/// The receipts of reads signed in `[from, to)` (unix milliseconds), in key order, at most
	/// [`MAX_REPORTED_RECEIPTS`].
	pub fn window(&self, from: u64, to: u64) -> Result<Vec<ChainReceipt>, StoreError> {
		let txn = indexed(self.index.begin_read())?;
		let table = indexed(txn.open_table(RECEIPTS))?;
		let mut found = Vec::new();
		for entry in indexed(table.iter())? {
			let (_, value) = indexed(entry)?;
			let Ok(receipt) = ChainReceipt::decode(&mut value.value()) else { continue };
			if (from..to).contains(&receipt.timestamp_ms) {
				found.push(receipt);
				if found.len() == MAX_REPORTED_RECEIPTS {
					break;
				}
			}
		}
		Ok(found)
	}

	/// Keeps `receipts` as what the report of `era` commits, forgets the reports of the eras
	/// before `era − 1`, and the receipts of reads before `counted_from` (the start of the
	/// report's window: no report from now on can count them).
	pub fn commit_report(
		&self,
		era: u32,
		receipts: &[ChainReceipt],
		counted_from: u64,
	) -> Result<(), StoreError> {
		let txn = indexed(self.index.begin_write())?;
		{
			let mut reported = indexed(txn.open_table(REPORTED))?;
			indexed(reported.insert(&era, receipts.encode().as_slice()))?;
			indexed(reported.retain(|reported_era, _| reported_era.saturating_add(1) >= era))?;
			let mut table = indexed(txn.open_table(RECEIPTS))?;
			indexed(table.retain(|_, value| {
				ChainReceipt::decode(&mut &value[..])
					.is_ok_and(|receipt| receipt.timestamp_ms >= counted_from)
			}))?;
		}
		indexed(txn.commit())
	}

	/// The receipts the report of `era` committed, if this vault sent one.
	pub fn reported(&self, era: u32) -> Result<Option<Vec<ChainReceipt>>, StoreError> {
		let txn = indexed(self.index.begin_read())?;
		let table = indexed(txn.open_table(REPORTED))?;
		let Some(value) = indexed(table.get(&era))? else { return Ok(None) };
		Ok(Vec::<ChainReceipt>::decode(&mut value.value()).ok())
	}
}

/// A report's receipts (in key order) and their Merkle-sum tree.
pub struct ReceiptTree {
	receipts: Vec<ChainReceipt>,
	leaves: Vec<SumNode>,
	root: SumNode,
}

impl ReceiptTree {
	/// The tree of `receipts` (given in key order, without repeats), or `None` for none or a
	/// total beyond `u64`.
	pub fn new(receipts: Vec<ChainReceipt>) -> Option<Self> {
		let leaves: Vec<SumNode> = receipts.iter().map(receipts::receipt_leaf).collect();
		let root = sum_root(&leaves)?;
		Some(Self { receipts, leaves, root })
	}

	/// The root: its hash is the report's `receipts_root`, its sum the `bytes_served`.
	pub fn root(&self) -> SumNode {
		self.root
	}

	/// The number of receipts, the report's `leaf_count`.
	pub fn leaf_count(&self) -> u32 {
		u32::try_from(self.receipts.len()).unwrap_or(u32::MAX)
	}

	/// The receipts, in key order.
	pub fn receipts(&self) -> &[ChainReceipt] {
		&self.receipts
	}

	/// The answer to a challenge at `point`: the receipt covering the challenged byte, its path,
	/// and the next receipt with its path.
	pub fn answer(&self, point: u32) -> Option<ChainAnswer> {
		let byte = pallet_storage_power::Pallet::<medchain_runtime::Runtime>::challenged_byte(
			point,
			self.root.sum,
		);
		let index = leaf_at(&self.leaves, byte)?;
		let path = |i: usize| -> Option<SumProof> { sum_proof(&self.leaves, i)?.try_into().ok() };
		let next = match self.receipts.get(index.saturating_add(1)) {
			Some(next) => Some((next.clone(), path(index.saturating_add(1))?)),
			None => None,
		};
		Some(ReceiptAnswer {
			leaf_index: u32::try_from(index).ok()?,
			receipt: self.receipts.get(index)?.clone(),
			proof: path(index)?,
			next,
		})
	}
}
