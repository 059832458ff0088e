//! `medchain`: what an integrator does by hand, from the command line. Health records and
//! genomic datasets are sealed on this machine (`docs/sealing-v1.md`), stored in a vault (or a
//! directory), added on chain, and their keys handed to exactly the accounts the owner names;
//! a grantee opens them and checks them against the chain.

mod account;
mod dna;
mod node;
mod records;
mod sealing;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};

use account::Account;
use node::Node;

/// Medchain's command-line client: seal, store, share and open health records and genomic
/// datasets.
#[derive(Parser)]
#[command(name = "medchain", version, about, long_about = None)]
struct Cli {
	#[command(flatten)]
	connection: Connection,
	#[command(subcommand)]
	command: Command,
}

#[derive(Args)]
struct Connection {
	/// The node's RPC endpoint (`ws://` or `http://`, the same port).
	#[arg(long, env = "MEDCHAIN_NODE_URL", default_value = "ws://127.0.0.1:9944", global = true)]
	node: String,
	/// The vault that stores sealed objects (`http://host:port`).
	#[arg(
		long,
		env = "MEDCHAIN_VAULT_URL",
		default_value = "http://127.0.0.1:8700",
		global = true
	)]
	vault: String,
	/// The account's secret URI: a BIP-39 phrase with an optional derivation path, or a path
	/// alone (`//Alice`) under the public development phrase. Prefer `--key-file` outside a dev
	/// chain: a flag shows in the process list.
	#[arg(long, env = "MEDCHAIN_SURI", global = true, conflicts_with = "key_file")]
	suri: Option<String>,
	/// A file holding the account's secret URI (readable by you only).
	#[arg(long, env = "MEDCHAIN_KEY_FILE", global = true)]
	key_file: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
	/// The account's key-agreement key, which others wrap data keys to.
	#[command(subcommand)]
	Keys(KeysCommand),
	/// Health records (pallet `Ehr`).
	#[command(subcommand)]
	Record(records::RecordCommand),
	/// Genomic datasets (pallet `DnaWallet`).
	#[command(subcommand)]
	Dna(dna::DnaCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
	/// Print the account, its key-agreement public key and whether the chain has it.
	Show,
	/// Register the key-agreement public key in the key registry (`dnaWallet.registerKey`),
	/// unless it is registered already.
	Register,
}

/// Why a command failed. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
	#[error("no account: give --suri or --key-file (or MEDCHAIN_SURI / MEDCHAIN_KEY_FILE)")]
	NoAccount,
	#[error("the account's secret URI is not valid: {0}")]
	BadSecret(String),
	#[error("{0}: {1}")]
	Io(String, std::io::Error),
	#[error("{0} is not an account (SS58 or 0x-hex of 32 bytes)")]
	BadAccount(String),
	#[error(transparent)]
	Chain(#[from] medchain_vault::chain::ChainError),
	#[error(transparent)]
	Vault(#[from] medchain_vault::client::ClientError),
	#[error("the transaction failed on chain: {0}")]
	Failed(String),
	#[error("the transaction was not included within {0} s; it may still be")]
	NotIncluded(u64),
	#[error("{0} has no live key-agreement key in the key registry: it registers one with `medchain keys register`")]
	NoAgreementKey(String),
	#[error("{0}")]
	NotFound(String),
	#[error("the sealed object does not open: {0}")]
	Open(#[from] medchain_seal::OpenError),
	#[error("the key does not open: {0}")]
	Envelope(#[from] medchain_seal::EnvelopeError),
	#[error(
		"the opened content does not match the commitment on chain: the record was tampered with"
	)]
	CommitmentMismatch,
	#[error("{0}")]
	Invalid(String),
}

#[tokio::main]
async fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
		)
		.with_writer(std::io::stderr)
		.init();
	let cli = Cli::parse();
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<(), CliError> {
	let connection = cli.connection;
	let account = Account::load(connection.suri.as_deref(), connection.key_file.as_deref())?;
	let node = Node::new(&connection.node)?;
	match cli.command {
		Command::Keys(KeysCommand::Show) => show_keys(&node, &account).await,
		Command::Keys(KeysCommand::Register) => register_key(&node, &account).await,
		Command::Record(command) => records::run(command, &node, &account, &connection.vault).await,
		Command::Dna(command) => dna::run(command, &node, &account, &connection.vault).await,
	}
}

async fn show_keys(node: &Node, account: &Account) -> Result<(), CliError> {
	let public = account.agreement.public();
	let registered = node.keys(&account.id).await?;
	let live = registered
		.iter()
		.find(|key| key.revoked_at.is_none() && key.public_key == public)
		.map(|key| format!("registered as key {}", key.id))
		.unwrap_or_else(|| "not registered".into());
	println!("account: {}", account.ss58());
	println!("key-agreement public key: 0x{} ({live})", hex::encode(public));
	Ok(())
}

async fn register_key(node: &Node, account: &Account) -> Result<(), CliError> {
	let public = account.agreement.public();
	if let Some(key) = node
		.keys(&account.id)
		.await?
		.iter()
		.find(|key| key.revoked_at.is_none() && key.public_key == public)
	{
		println!("already registered as key {}", key.id);
		return Ok(());
	}
	let call = medchain_runtime::RuntimeCall::DnaWallet(pallet_dna_wallet::Call::register_key {
		public_key: public.to_vec().try_into().map_err(|_| {
			CliError::Invalid("the key does not fit the registry's key length".into())
		})?,
		key_type: pallet_dna_wallet::KeyType::X25519,
	});
	let included = node.submit_and_wait(account, call).await?;
	let id = included.event("KeyRegistered", |event| match event {
		medchain_runtime::RuntimeEvent::DnaWallet(pallet_dna_wallet::Event::KeyRegistered {
			key_id,
			..
		}) => Some(*key_id),
		_ => None,
	})?;
	println!("registered as key {id} in block {}", included.number);
	Ok(())
}
