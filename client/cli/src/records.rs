//! `medchain record`: health records (pallet `Ehr`). A record's document is sealed here; its
//! object goes to the vault, its content id, salted commitment and encrypted locator on chain.
//! The locator, encrypted to the patient, carries the data key: the patient opens their records
//! from the chain and their phrase alone. A grantee gets the key in an envelope the patient
//! deposits in the vault (`docs/sealing-v1.md` §7), served only after the grantee's read is in the
//! patient's access log.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use medchain_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use medchain_seal::{unwrap_key, wrap_key, DataKey, WrapContext};
use medchain_vault::client::VaultClient;
use pallet_ehr::{AccessActions, GrantScope, GrantScopeView, PurposeOfUse, RecordStatus};
use sp_core::{crypto::AccountId32, H256};

use crate::{
	account::{parse_account, Account},
	node::{Node, RecordView},
	sealing::{key_from_locator, read_input, seal_and_store, write_output, Store, Stored},
	CliError,
};

/// The key version of every EHR envelope: an EHR object is never re-keyed (sealing-v1 §7).
const EHR_KEY_VERSION: u32 = 1;

#[derive(Subcommand)]
pub enum RecordCommand {
	/// Seal FILE for a patient, store the sealed object and add the record (`ehr.addRecord`).
	/// Signed by the patient, or by a provider the patient granted `append` for the type.
	Add {
		/// The document to seal.
		file: PathBuf,
		/// The patient (SS58 or 0x-hex); yourself if left out. Another patient needs a
		/// registered key-agreement key.
		#[arg(long)]
		patient: Option<String>,
		/// The document's type code (LOINC, e.g. 11488-4 for a consult note): it stands on
		/// chain, so a category, never patient data.
		#[arg(long = "type")]
		type_code: String,
		/// Write the sealed object into this directory (named by its content id) instead of
		/// the vault.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Grant a provider read access to your records (`ehr.grantAccess`) and deposit the key of
	/// each record the grant covers for it in the vault. Run again to deliver the keys of
	/// records added since.
	Grant {
		/// The provider (SS58 or 0x-hex); it needs a registered key-agreement key.
		#[arg(long)]
		to: String,
		/// Only these records (repeat the flag); with neither this nor --type, all records.
		#[arg(long = "record", conflicts_with = "types")]
		records: Vec<u64>,
		/// Only records of these type codes (repeat the flag).
		#[arg(long = "type")]
		types: Vec<String>,
		/// How many blocks the grant lasts (6 s each: 14,400 a day).
		#[arg(long)]
		blocks: u32,
		/// At most this many reads; unlimited if left out.
		#[arg(long)]
		max_reads: Option<u32>,
		/// The purpose of use the grantee must log its reads under.
		#[arg(long, value_enum, default_value_t = Purpose::Treatment)]
		purpose: Purpose,
	},
	/// Revoke your grant to a provider (`ehr.revokeAccess`): the vault serves it nothing from the
	/// next finalized block.
	Revoke {
		/// The provider (SS58 or 0x-hex).
		#[arg(long)]
		from: String,
	},
	/// Open record ID: log the read in the patient's access log (unless it is your own record),
	/// fetch the sealed object and its key, decrypt it and check it against the commitment on
	/// chain.
	Open {
		/// The record id.
		id: u64,
		/// The record's patient (SS58 or 0x-hex); yourself if left out.
		#[arg(long)]
		patient: Option<String>,
		/// The purpose of use the read is logged under (your grant's).
		#[arg(long, value_enum, default_value_t = Purpose::Treatment)]
		purpose: Purpose,
		/// Write the document here (whole or not at all) instead of to standard output.
		#[arg(long, short)]
		output: Option<PathBuf>,
	},
	/// Re-seal your record ID under a new data key as a new version (`ehr.amendRecord`) and
	/// deposit the new key for the live read grants that cover it: whoever was revoked cannot
	/// open the new version, whatever it kept of the old one (revoke first, then re-seal).
	Reseal {
		/// The record id.
		id: u64,
	},
	/// List a patient's records: id, type, issuer, status, content id.
	List {
		/// The patient (SS58 or 0x-hex); yourself if left out.
		#[arg(long)]
		patient: Option<String>,
	},
}

/// A purpose of use (HL7 v3 `PurposeOfUse`).
#[derive(Clone, Copy, ValueEnum)]
pub enum Purpose {
	Treatment,
	Payment,
	Operations,
	Research,
	Emergency,
	PublicHealth,
	Legal,
	PatientRequest,
}

impl From<Purpose> for PurposeOfUse {
	fn from(purpose: Purpose) -> Self {
		match purpose {
			Purpose::Treatment => Self::Treatment,
			Purpose::Payment => Self::Payment,
			Purpose::Operations => Self::Operations,
			Purpose::Research => Self::Research,
			Purpose::Emergency => Self::Emergency,
			Purpose::PublicHealth => Self::PublicHealth,
			Purpose::Legal => Self::Legal,
			Purpose::PatientRequest => Self::PatientRequest,
		}
	}
}

pub async fn run(
	command: RecordCommand,
	node: &Node,
	account: &Account,
	vault_url: &str,
) -> Result<(), CliError> {
	let vault = VaultClient::new(vault_url, account.pair.clone())?;
	let patient_or_self = |patient: Option<String>| match patient {
		Some(text) => parse_account(&text),
		None => Ok(account.id.clone()),
	};
	match command {
		RecordCommand::Add { file, patient, type_code, out } => {
			let patient = patient_or_self(patient)?;
			let store = match &out {
				Some(dir) => Store::Directory(dir),
				None => Store::Vault(&vault),
			};
			add(node, account, &store, &patient, &type_code, &read_input(&file)?).await
		},
		RecordCommand::Grant { to, records, types, blocks, max_reads, purpose } => {
			let scope = match (records.is_empty(), types.is_empty()) {
				(false, _) => GrantScope::Records(records),
				(true, false) => {
					GrantScope::Types(types.into_iter().map(String::into_bytes).collect())
				},
				(true, true) => GrantScope::All,
			};
			let terms = Terms { blocks, max_reads, purpose: purpose.into() };
			grant(node, account, &vault, &parse_account(&to)?, scope, terms).await
		},
		RecordCommand::Revoke { from } => {
			let call = RuntimeCall::Ehr(pallet_ehr::Call::revoke_access {
				grantee: parse_account(&from)?,
			});
			let included = node.submit_and_wait(account, call).await?;
			println!("grant to {from} revoked in block {}", included.number);
			Ok(())
		},
		RecordCommand::Open { id, patient, purpose, output } => {
			let patient = patient_or_self(patient)?;
			let content = open(node, account, &vault, &patient, id, purpose.into()).await?;
			write_output(output.as_deref(), &content)
		},
		RecordCommand::Reseal { id } => reseal(node, account, &vault, id).await,
		RecordCommand::List { patient } => {
			for record in node.records(&patient_or_self(patient)?).await? {
				println!(
					"{}\t{}\t{}\t{:?}\t{}",
					record.id,
					String::from_utf8_lossy(&record.type_code),
					record.issuer,
					record.status,
					record.content_id.map(|id| format!("{id:?}")).unwrap_or_else(|| "-".into()),
				);
			}
			Ok(())
		},
	}
}

async fn add(
	node: &Node,
	account: &Account,
	store: &Store<'_>,
	patient: &AccountId32,
	type_code: &str,
	content: &[u8],
) -> Result<(), CliError> {
	let genesis = node.genesis_hash().await?;
	let patient_key = if *patient == account.id {
		account.agreement.public()
	} else {
		node.agreement_key(patient).await?.1
	};
	let type_code = pallet_ehr::TypeCodeOf::<Runtime>::try_from(type_code.as_bytes().to_vec())
		.map_err(|_| CliError::Invalid(format!("the type code {type_code:?} is too long")))?;
	let patient_bytes: [u8; 32] = patient.clone().into();
	let Stored { sealed, locator, size, place } =
		seal_and_store(store, content, &patient_bytes, &patient_key, &genesis).await?;
	let call = RuntimeCall::Ehr(pallet_ehr::Call::add_record {
		patient: patient.clone(),
		type_code,
		commitment: H256(sealed.commitment),
		content_id: H256(sealed.content_id),
		locator,
		size,
	});
	let included = node.submit_and_wait(account, call).await?;
	let id = included.event("RecordAdded", |event| match event {
		RuntimeEvent::Ehr(pallet_ehr::Event::RecordAdded { record_id, .. }) => Some(*record_id),
		_ => None,
	})?;
	println!("record {id} added in block {}", included.number);
	println!("content id: 0x{}", hex::encode(sealed.content_id));
	println!("commitment: 0x{}", hex::encode(sealed.commitment));
	println!("sealed object ({size} bytes) stored in {place}");
	Ok(())
}

/// Whether a grant's `scope` covers `record`.
fn covers(scope: &GrantScopeView, record: &RecordView) -> bool {
	match scope {
		GrantScope::All => true,
		GrantScope::Types(codes) => codes.contains(&record.type_code),
		GrantScope::Records(ids) => ids.contains(&record.id),
	}
}

/// `scope` in the bounded type `ehr.grantAccess` takes.
fn bounded(scope: GrantScopeView) -> Result<pallet_ehr::GrantScopeOf<Runtime>, CliError> {
	let too_many = || CliError::Invalid("the grant lists more items than the chain takes".into());
	Ok(match scope {
		GrantScope::All => GrantScope::All,
		GrantScope::Types(codes) => GrantScope::Types(
			codes
				.into_iter()
				.map(|code| {
					pallet_ehr::TypeCodeOf::<Runtime>::try_from(code).map_err(|code| {
						let code = String::from_utf8_lossy(&code).into_owned();
						CliError::Invalid(format!("the type code {code:?} is too long"))
					})
				})
				.collect::<Result<Vec<_>, _>>()?
				.try_into()
				.map_err(|_| too_many())?,
		),
		GrantScope::Records(ids) => GrantScope::Records(ids.try_into().map_err(|_| too_many())?),
	})
}

/// A grant's terms.
struct Terms {
	blocks: u32,
	max_reads: Option<u32>,
	purpose: PurposeOfUse,
}

async fn grant(
	node: &Node,
	account: &Account,
	vault: &VaultClient,
	grantee: &AccountId32,
	scope: GrantScopeView,
	terms: Terms,
) -> Result<(), CliError> {
	// Everything that can fail off chain is checked before the grant is made.
	let (_, grantee_key) = node.agreement_key(grantee).await?;
	let genesis = node.genesis_hash().await?;
	let records: Vec<RecordView> = node
		.records(&account.id)
		.await?
		.into_iter()
		.filter(|record| record.status == RecordStatus::Active && covers(&scope, record))
		.collect();
	if let GrantScope::Records(ids) = &scope {
		if let Some(missing) = ids.iter().find(|id| !records.iter().any(|r| r.id == **id)) {
			return Err(CliError::NotFound(format!("you have no active record {missing}")));
		}
	}
	let mut keys = Vec::new();
	for record in &records {
		if let Some(content_id) = record.content_id {
			keys.push((content_id.0, record_key(account, vault, &genesis, record).await?));
		}
	}
	let expires_at = node.best_number().await?.saturating_add(terms.blocks);
	let call = RuntimeCall::Ehr(pallet_ehr::Call::grant_access {
		grantee: grantee.clone(),
		scope: bounded(scope)?,
		actions: AccessActions::READ,
		purpose: terms.purpose,
		not_before: 0,
		expires_at,
		max_reads: terms.max_reads,
	});
	let included = node.submit_and_wait(account, call).await?;
	println!("read access granted in block {} until block {expires_at}", included.number);
	let delivered = keys.len();
	for (content_id, key) in keys {
		deliver(vault, &genesis, content_id, &key, grantee, &grantee_key).await?;
	}
	println!("{delivered} record key(s) deposited for {grantee}");
	Ok(())
}

/// Deposits `key`, the data key of `content_id`, in the vault for `recipient`, wrapped to its
/// registered key-agreement key `recipient_key`.
async fn deliver(
	vault: &VaultClient,
	genesis: &[u8; 32],
	content_id: [u8; 32],
	key: &DataKey,
	recipient: &AccountId32,
	recipient_key: &[u8; 32],
) -> Result<(), CliError> {
	let recipient: [u8; 32] = recipient.clone().into();
	let envelope =
		wrap_key(key, recipient_key, &envelope_context(*genesis, content_id, recipient))?;
	vault.put_envelope(&content_id, &recipient, envelope.to_vec()).await?;
	Ok(())
}

/// Re-seals the patient's record `id` under a fresh data key as a new version
/// (`ehr.amendRecord`), and delivers the new key to the live read grants that cover the new
/// version: a grantee revoked before cannot open it, whatever key it kept.
async fn reseal(
	node: &Node,
	account: &Account,
	vault: &VaultClient,
	id: u64,
) -> Result<(), CliError> {
	let genesis = node.genesis_hash().await?;
	let record = node
		.records(&account.id)
		.await?
		.into_iter()
		.find(|record| record.id == id && record.status == RecordStatus::Active)
		.ok_or_else(|| CliError::NotFound(format!("you have no active record {id}")))?;
	let content =
		open_record(vault, &record, record_key(account, vault, &genesis, &record).await?).await?;
	let Stored { sealed, locator, size, place } = seal_and_store(
		&Store::Vault(vault),
		&content,
		&account.bytes(),
		&account.agreement.public(),
		&genesis,
	)
	.await?;
	let call = RuntimeCall::Ehr(pallet_ehr::Call::amend_record {
		record_id: id,
		commitment: H256(sealed.commitment),
		content_id: H256(sealed.content_id),
		locator,
		size,
	});
	let included = node.submit_and_wait(account, call).await?;
	let new_id = included.event("RecordAmended", |event| match event {
		RuntimeEvent::Ehr(pallet_ehr::Event::RecordAmended { record_id, .. }) => Some(*record_id),
		_ => None,
	})?;
	println!(
		"record {id} re-sealed as record {new_id} in block {}, stored in {place}",
		included.number
	);
	let renewed = RecordView { id: new_id, ..record };
	let now = node.best_number().await?;
	for grant in node.active_grants(&account.id).await? {
		if !grant.actions.read || grant.expires_at <= now || !covers(&grant.scope, &renewed) {
			continue;
		}
		match node.agreement_key(&grant.grantee).await {
			Ok((_, key)) => {
				deliver(vault, &genesis, sealed.content_id, &sealed.data_key, &grant.grantee, &key)
					.await?;
				println!("key of record {new_id} deposited for {}", grant.grantee);
			},
			Err(error) => eprintln!("warning: not delivered to {}: {error}", grant.grantee),
		}
	}
	Ok(())
}

/// The data key of the patient's own `record`: from its locator, or (a record whose issuer kept
/// the key out of the locator) from the patient's envelope in the vault.
async fn record_key(
	account: &Account,
	vault: &VaultClient,
	genesis: &[u8; 32],
	record: &RecordView,
) -> Result<DataKey, CliError> {
	if let Some(key) = key_from_locator(&record.locator, account, genesis)? {
		return Ok(key);
	}
	let content_id = object_of(record)?;
	let envelope = vault.get_envelope(&content_id).await?;
	Ok(unwrap_key(
		&envelope,
		&account.agreement,
		&envelope_context(*genesis, content_id, account.bytes()),
	)?)
}

async fn open(
	node: &Node,
	account: &Account,
	vault: &VaultClient,
	patient: &AccountId32,
	id: u64,
	purpose: PurposeOfUse,
) -> Result<Vec<u8>, CliError> {
	let genesis = node.genesis_hash().await?;
	let record = node
		.records(patient)
		.await?
		.into_iter()
		.find(|record| record.id == id)
		.ok_or_else(|| CliError::NotFound(format!("{patient} has no record {id}")))?;
	let content_id = object_of(&record)?;
	let key = if *patient == account.id {
		record_key(account, vault, &genesis, &record).await?
	} else {
		// The vault serves the key and the object only once this read is in the patient's log.
		let call = RuntimeCall::Ehr(pallet_ehr::Call::log_access {
			patient: patient.clone(),
			record_id: id,
			purpose,
		});
		let included = node.submit_and_wait(account, call).await?;
		eprintln!("read logged in block {} of {patient}'s access log", included.number);
		let envelope = vault.get_envelope(&content_id).await?;
		unwrap_key(
			&envelope,
			&account.agreement,
			&envelope_context(genesis, content_id, account.bytes()),
		)?
	};
	open_record(vault, &record, key).await
}

/// The sealed object `record` names, fetched and opened with `key`, checked against the
/// record's commitment on chain.
async fn open_record(
	vault: &VaultClient,
	record: &RecordView,
	key: DataKey,
) -> Result<Vec<u8>, CliError> {
	let object = vault.get_object(&object_of(record)?).await?;
	let opened = medchain_seal::open(&key, &object)?;
	if opened.commitment() != record.commitment.0 {
		return Err(CliError::CommitmentMismatch);
	}
	Ok(opened.content)
}

/// The content id of the object `record` names.
fn object_of(record: &RecordView) -> Result<[u8; 32], CliError> {
	record
		.content_id
		.map(|id| id.0)
		.ok_or_else(|| CliError::NotFound(format!("record {} names no sealed object", record.id)))
}

fn envelope_context(
	genesis_hash: [u8; 32],
	content_id: [u8; 32],
	recipient: [u8; 32],
) -> WrapContext {
	WrapContext { genesis_hash, content_id, key_version: EHR_KEY_VERSION, recipient }
}
