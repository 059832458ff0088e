//! What records and datasets share: the locator that tells the owner where an object is and
//! carries its data key (`docs/sealing-v1.md` §6), storing a sealed object, writing what was
//! opened.

use std::{
	io::Write,
	path::{Path, PathBuf},
};

use medchain_seal::{
	open_locator, seal_locator, DataKey, EnvelopeError, Sealed, GENESIS_LOCATOR_HASH,
};
use medchain_vault::client::{object_path, VaultClient};

use crate::{account::Account, CliError};

/// What separates a locator's object path from the data key it carries (as the JavaScript
/// module writes it, `scripts/lib/record-seal.mjs`).
const DATA_KEY_MARK: &str = "#key=";

/// The locator of `sealed`, encrypted to `owner` (its account and key-agreement public key): the
/// object's path and its data key, so that the owner opens it from the chain and their secret
/// phrase alone.
fn owner_locator(
	sealed: &Sealed,
	owner: &[u8; 32],
	owner_key: &[u8; 32],
	genesis_hash: &[u8; 32],
) -> Result<Vec<u8>, CliError> {
	let text = format!(
		"{}{DATA_KEY_MARK}0x{}",
		object_path(&sealed.content_id).trim_start_matches('/'),
		hex::encode(sealed.data_key.0)
	);
	Ok(seal_locator(&text, owner, owner_key, genesis_hash)?)
}

/// An object sealed here for its owner and stored: what a record or a dataset names on chain.
pub struct Stored<Locator> {
	pub sealed: Sealed,
	/// The locator encrypted to the owner, in the chain's bounded type.
	pub locator: Locator,
	/// The sealed object's length.
	pub size: u64,
	/// Where it was stored, for the user.
	pub place: String,
}

/// Seals `content` for `owner` (its account and key-agreement public key) on the chain
/// `genesis_hash` and stores the object in `store`.
pub async fn seal_and_store<Locator: TryFrom<Vec<u8>>>(
	store: &Store<'_>,
	content: &[u8],
	owner: &[u8; 32],
	owner_key: &[u8; 32],
	genesis_hash: &[u8; 32],
) -> Result<Stored<Locator>, CliError> {
	let sealed = medchain_seal::seal(content);
	let locator = Locator::try_from(owner_locator(&sealed, owner, owner_key, genesis_hash)?)
		.map_err(|_| {
			CliError::Invalid("the encrypted locator is longer than the chain takes".into())
		})?;
	let size = u64::try_from(sealed.object.len()).unwrap_or(u64::MAX);
	let place = store.put(&sealed).await?;
	Ok(Stored { sealed, locator, size, place })
}

/// The data key a locator of `account`'s carries, or `None` when it names the object only.
pub fn key_from_locator(
	locator: &[u8],
	account: &Account,
	genesis_hash: &[u8; 32],
) -> Result<Option<DataKey>, CliError> {
	let open = |hash: &[u8; 32]| open_locator(locator, &account.bytes(), &account.agreement, hash);
	// A locator of the genesis state is bound to the zero hash (sealing-v1 §6).
	let text = match open(genesis_hash) {
		Err(EnvelopeError::WrongEnvelope) => open(&GENESIS_LOCATOR_HASH)?,
		opened => opened?,
	};
	let Some((_, key_hex)) = text.split_once(DATA_KEY_MARK) else { return Ok(None) };
	let mut key = [0u8; 32];
	hex::decode_to_slice(key_hex.trim_start_matches("0x"), &mut key)
		.map_err(|_| CliError::Invalid("the locator's data key is not 32 bytes of hex".into()))?;
	Ok(Some(DataKey(key)))
}

/// Where sealed objects go: a vault, or a directory (`--out`) for another tool to carry.
pub enum Store<'a> {
	Vault(&'a VaultClient),
	Directory(&'a Path),
}

impl Store<'_> {
	/// Stores `sealed`'s object; says where.
	pub async fn put(&self, sealed: &Sealed) -> Result<String, CliError> {
		match self {
			Self::Vault(vault) => {
				vault.put_object(&sealed.content_id, sealed.object.clone()).await?;
				Ok("the vault".into())
			},
			Self::Directory(dir) => {
				let path = dir.join(format!("0x{}", hex::encode(sealed.content_id)));
				write_atomically(&path, &sealed.object)?;
				Ok(path.display().to_string())
			},
		}
	}
}

/// Writes `content` to `output`, or to standard output without one.
pub fn write_output(output: Option<&Path>, content: &[u8]) -> Result<(), CliError> {
	match output {
		Some(path) => write_atomically(path, content),
		None => std::io::stdout()
			.write_all(content)
			.and_then(|()| std::io::stdout().flush())
			.map_err(|error| CliError::Io("standard output".into(), error)),
	}
}

/// Writes `content` to `path` whole or not at all: a temporary file beside it, synced, renamed.
fn write_atomically(path: &Path, content: &[u8]) -> Result<(), CliError> {
	let io = |error| CliError::Io(path.display().to_string(), error);
	let mut temporary = PathBuf::from(path);
	temporary.as_mut_os_string().push(".partial");
	let mut file = std::fs::File::create(&temporary).map_err(io)?;
	file.write_all(content).and_then(|()| file.sync_all()).map_err(io)?;
	std::fs::rename(&temporary, path).map_err(io)
}

/// The file at `path`, read whole.
pub fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
	std::fs::read(path).map_err(|error| CliError::Io(path.display().to_string(), error))
}
