//! `medchain dna`: genomic datasets (pallet `DnaWallet`). A dataset is sealed here and stored in
//! the vault; its content id is the ciphertext hash on chain and its locator, encrypted to the
//! owner, carries the data key. A share is an HPKE envelope of the data key on chain, bound to the
//! dataset's current key version and the recipient (`docs/sealing-v1.md` §5, §7); the vault
//! serves the object to a recipient while the chain says the share decrypts.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use medchain_runtime::{RuntimeCall, RuntimeEvent};
use medchain_seal::{unwrap_key, wrap_key, WrapContext};
use medchain_vault::client::VaultClient;
use pallet_dna_wallet::{DatasetFormat, SharePurpose};
use sp_core::{crypto::AccountId32, H256};

use crate::{
	account::{parse_account, Account},
	node::{DatasetView, Node},
	sealing::{key_from_locator, read_input, seal_and_store, write_output, Store, Stored},
	CliError,
};

#[derive(Subcommand)]
pub enum DnaCommand {
	/// Seal FILE, store the sealed object and register it as your dataset
	/// (`dnaWallet.registerDataset`).
	Add {
		/// The genome data to seal.
		file: PathBuf,
		/// Its format.
		#[arg(long, value_enum)]
		format: Format,
		/// Write the sealed object into this directory (named by its content id) instead of
		/// the vault.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Share your dataset's data key with an account (`dnaWallet.shareKey`): an envelope to its
	/// registered key-agreement key, for the dataset's current key version.
	Share {
		/// The dataset id.
		dataset: u64,
		/// The recipient (SS58 or 0x-hex); it needs a registered key-agreement key.
		#[arg(long)]
		to: String,
		/// How many blocks the share lasts (6 s each: 14,400 a day).
		#[arg(long)]
		blocks: u32,
		/// Why it is shared.
		#[arg(long, value_enum, default_value_t = Purpose::Clinical)]
		purpose: Purpose,
	},
	/// Open a dataset: yours with the key in its locator, another's with your live share.
	Open {
		/// The dataset id.
		dataset: u64,
		/// The dataset's owner (SS58 or 0x-hex); yourself if left out.
		#[arg(long)]
		owner: Option<String>,
		/// Write the data here (whole or not at all) instead of to standard output.
		#[arg(long, short)]
		output: Option<PathBuf>,
	},
}

/// A dataset's format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
	Vcf,
	Cram,
	Bam,
	Fastq,
	Other,
}

/// Why a share is given.
#[derive(Clone, Copy, ValueEnum)]
pub enum Purpose {
	Clinical,
	Counselling,
	Personal,
	Other,
}

pub async fn run(
	command: DnaCommand,
	node: &Node,
	account: &Account,
	vault_url: &str,
) -> Result<(), CliError> {
	let vault = VaultClient::new(vault_url, account.pair.clone())?;
	match command {
		DnaCommand::Add { file, format, out } => {
			let store = match &out {
				Some(dir) => Store::Directory(dir),
				None => Store::Vault(&vault),
			};
			add(node, account, &store, format, &read_input(&file)?).await
		},
		DnaCommand::Share { dataset, to, blocks, purpose } => {
			share(node, account, dataset, &parse_account(&to)?, blocks, purpose).await
		},
		DnaCommand::Open { dataset, owner, output } => {
			let owner = match owner {
				Some(text) => parse_account(&text)?,
				None => account.id.clone(),
			};
			let content = open(node, account, &vault, &owner, dataset).await?;
			write_output(output.as_deref(), &content)
		},
	}
}

async fn add(
	node: &Node,
	account: &Account,
	store: &Store<'_>,
	format: Format,
	content: &[u8],
) -> Result<(), CliError> {
	let genesis = node.genesis_hash().await?;
	let Stored { sealed, locator, size, place } =
		seal_and_store(store, content, &account.bytes(), &account.agreement.public(), &genesis)
			.await?;
	let format = match format {
		Format::Vcf => DatasetFormat::Vcf,
		Format::Cram => DatasetFormat::Cram,
		Format::Bam => DatasetFormat::Bam,
		Format::Fastq => DatasetFormat::Fastq,
		Format::Other => DatasetFormat::Other,
	};
	let call = RuntimeCall::DnaWallet(pallet_dna_wallet::Call::register_dataset {
		ciphertext_hash: H256(sealed.content_id),
		format,
		size,
		encrypted_locator: locator,
	});
	let included = node.submit_and_wait(account, call).await?;
	let id = included.event("DatasetRegistered", |event| match event {
		RuntimeEvent::DnaWallet(pallet_dna_wallet::Event::DatasetRegistered {
			dataset, ..
		}) => Some(*dataset),
		_ => None,
	})?;
	println!("dataset {id} registered in block {}", included.number);
	println!("content id: 0x{}", hex::encode(sealed.content_id));
	println!("sealed object ({size} bytes) stored in {place}");
	Ok(())
}

async fn dataset(node: &Node, owner: &AccountId32, id: u64) -> Result<DatasetView, CliError> {
	node.datasets(owner)
		.await?
		.into_iter()
		.find(|dataset| dataset.id == id)
		.ok_or_else(|| CliError::NotFound(format!("{owner} has no dataset {id}")))
}

async fn share(
	node: &Node,
	account: &Account,
	id: u64,
	recipient: &AccountId32,
	blocks: u32,
	purpose: Purpose,
) -> Result<(), CliError> {
	let genesis = node.genesis_hash().await?;
	let dataset = dataset(node, &account.id, id).await?;
	let key = key_from_locator(&dataset.encrypted_locator, account, &genesis)?
		.ok_or_else(|| CliError::NotFound(format!("dataset {id}'s locator carries no data key")))?;
	let (key_id, recipient_key) = node.agreement_key(recipient).await?;
	let context = WrapContext {
		genesis_hash: genesis,
		content_id: dataset.ciphertext_hash.0,
		key_version: dataset.key_version,
		recipient: recipient.clone().into(),
	};
	let envelope = wrap_key(&key, &recipient_key, &context)?;
	let expires_at = node.best_number().await?.saturating_add(blocks);
	let call = RuntimeCall::DnaWallet(pallet_dna_wallet::Call::share_key {
		dataset: id,
		recipient: recipient.clone(),
		recipient_key_id: key_id,
		wrapped_key: envelope
			.to_vec()
			.try_into()
			.map_err(|_| CliError::Invalid("the envelope is longer than the chain takes".into()))?,
		expires_at,
		purpose: match purpose {
			Purpose::Clinical => SharePurpose::Clinical,
			Purpose::Counselling => SharePurpose::Counselling,
			Purpose::Personal => SharePurpose::Personal,
			Purpose::Other => SharePurpose::Other,
		},
	});
	let included = node.submit_and_wait(account, call).await?;
	println!(
		"dataset {id} (key version {}) shared with {recipient} in block {} until block {expires_at}",
		dataset.key_version, included.number
	);
	Ok(())
}

async fn open(
	node: &Node,
	account: &Account,
	vault: &VaultClient,
	owner: &AccountId32,
	id: u64,
) -> Result<Vec<u8>, CliError> {
	let genesis = node.genesis_hash().await?;
	let dataset = dataset(node, owner, id).await?;
	let key = if *owner == account.id {
		key_from_locator(&dataset.encrypted_locator, account, &genesis)?.ok_or_else(|| {
			CliError::NotFound(format!("dataset {id}'s locator carries no data key"))
		})?
	} else {
		let share = node
			.shares(id)
			.await?
			.into_iter()
			.find(|share| share.recipient == account.id)
			.ok_or_else(|| CliError::NotFound(format!("dataset {id} is not shared with you")))?;
		if !share.decryptable {
			return Err(CliError::NotFound(format!(
				"your share of dataset {id} is dead (key version {} of {}, expired or revoked): ask the owner to share again",
				share.key_version, dataset.key_version
			)));
		}
		let context = WrapContext {
			genesis_hash: genesis,
			content_id: dataset.ciphertext_hash.0,
			key_version: share.key_version,
			recipient: account.bytes(),
		};
		unwrap_key(&share.wrapped_key, &account.agreement, &context)?
	};
	let object = vault.get_object(&dataset.ciphertext_hash.0).await?;
	Ok(medchain_seal::open(&key, &object)?.content)
}
