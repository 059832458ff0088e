//! The `medchain-vault` server.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use axum::serve::ListenerExt;
use clap::{CommandFactory, Parser};
use medchain_vault::{
	auth::Verifier,
	blobs::{credentials_from_environment, Blobs, S3Config, S3},
	chain::{ChainClient, ChainPolicy},
	duties::{load_key, Duties, Duty, ALL_DUTIES},
	envelopes::EnvelopeStore,
	heads::FinalizedHeads,
	http::{router, Limits, ReadPolicy, UploaderOnly, Vault},
	receipts::ReceiptLog,
	store::Store,
};
use sp_core::Pair;
use tracing_subscriber::EnvFilter;
use url::Url;

/// Stores Medchain's sealed objects and serves them only to accounts allowed to read them.
#[derive(Debug, Parser)]
#[command(name = "medchain-vault", version)]
struct Args {
	/// Directory of the index (`index.redb`), the key envelopes (`envelopes.redb`), the vault's
	/// id and, without --s3-endpoint, the blobs (`objects/`, written through `tmp/`); created if
	/// missing.
	#[arg(long, value_name = "DIR")]
	data_dir: PathBuf,
	/// Address to serve HTTP on. Keep it on loopback behind a TLS proxy in production.
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8700")]
	listen: SocketAddr,
	/// Largest sealed object accepted, in bytes.
	#[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
	max_object_bytes: u64,
	/// Bytes one account may store in this vault.
	#[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024 * 1024)]
	quota_bytes: u64,
	/// An upload whose body sends no bytes for this many seconds is refused (408 body-stalled)
	/// and its partial file removed, so that a client that stops sending cannot hold it open.
	#[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
	body_timeout: u64,
	/// Bytes that all uploads in progress may declare together, which is what DIR/uploads holds at
	/// most. An upload that would go over is refused at once (503 uploads-busy; retry later), so
	/// that many parallel uploads cannot fill the disk. At least --max-object-bytes.
	#[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024 * 1024)]
	max_staged_bytes: u64,
	/// The medchain-node whose finalized state decides who may read what (http:// or ws://, its
	/// RPC port). Without it, only an object's uploader may read it.
	#[arg(long, value_name = "URL")]
	node: Option<String>,
	/// Follow the node's finalized heads over a WebSocket subscription instead of asking the
	/// node for its finalized head on every read: a read costs one round trip to the node less,
	/// but a revocation or expiry takes effect when the vault receives the notification of the
	/// block that finalizes it (milliseconds after finality on a local network) rather than at
	/// the first read after it. While the subscription is down (closed, or a ping unanswered for
	/// 5 s) reads ask the node for its head again; the vault subscribes again after 1 s, the
	/// wait doubling up to 30 s while attempts fail. Requires --node.
	#[arg(long, requires = "node")]
	follow_finalized: bool,
	/// How far a signed request's timestamp may be from this machine's clock, in seconds.
	#[arg(long, value_name = "SECONDS", default_value_t = 60)]
	max_clock_skew: u64,
	/// Keep the blobs in a bucket of this S3-compatible object store (Garage, Ceph RGW, MinIO,
	/// AWS S3) instead of --data-dir; the index stays in --data-dir. Use https:// (http:// only
	/// on loopback or a trusted network). Credentials are never flags: AWS_ACCESS_KEY_ID and
	/// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) from the environment, else the profile
	/// AWS_PROFILE (default `default`) of the file AWS_SHARED_CREDENTIALS_FILE (default
	/// ~/.aws/credentials). Blobs are keyed `medchain-vault/<vault id>/<content id>`; at start
	/// the vault deletes what its index does not name under that prefix.
	#[arg(long, value_name = "URL", requires = "s3_bucket")]
	s3_endpoint: Option<Url>,
	/// The bucket (it must exist; the vault does not create it). Requires --s3-endpoint.
	#[arg(long, value_name = "NAME", requires = "s3_endpoint")]
	s3_bucket: Option<String>,
	/// The region the requests are signed for (Garage: its `s3_region`, often `garage`).
	#[arg(long, value_name = "REGION", default_value = "us-east-1")]
	s3_region: String,
	/// How long one request to the object store may take, in seconds.
	#[arg(long, value_name = "SECONDS", default_value_t = 30)]
	s3_timeout: u64,
	/// Run this vault for a storage provider: a file holding the provider account's secret URI
	/// (a mnemonic, a 0x seed, or a phrase with a derivation path). The vault then does the
	/// provider's chain duties (--duties) by itself, signing with this key (keep the file
	/// readable by the vault's user only), its vault id is the provider's account (readers sign
	/// their requests for it), and it keeps each read it serves as a receipt of bytes served
	/// (`receipts.redb`). Requires --node.
	#[arg(long, value_name = "FILE", requires = "node")]
	provider_key: Option<PathBuf>,
	/// The provider duties to do, comma-separated: `audits` (answer the chain's audits of the
	/// provider's replicas), `replicas` (take a replica of each live order with a free place
	/// whose object this vault holds, one order per object), `heartbeats` (send the heartbeat of
	/// each slot), `reports` (submit the report of each era, early in it). All by default.
	/// Requires --provider-key.
	#[arg(long, value_name = "LIST", value_enum, value_delimiter = ',', requires = "provider_key", default_values_t = ALL_DUTIES)]
	duties: Vec<Duty>,
	/// How often the provider duties run, in seconds (an audit leaves the chain's
	/// ChallengeDeadline blocks to answer; a heartbeat slot lasts HeartbeatInterval blocks).
	#[arg(long, value_name = "SECONDS", default_value_t = 2)]
	duty_interval: u64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
		)
		.init();
	let args = Args::parse();
	if args.max_staged_bytes < args.max_object_bytes {
		Args::command()
			.error(
				clap::error::ErrorKind::ArgumentConflict,
				format!(
					"--max-staged-bytes ({}) must be at least --max-object-bytes ({}), or no upload \
					 of the largest size could ever be taken",
					args.max_staged_bytes, args.max_object_bytes
				),
			)
			.exit();
	}
	match run(args).await {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(error) => {
			tracing::error!("{error}");
			std::process::ExitCode::FAILURE
		},
	}
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
	let data_dir = args.data_dir.clone();
	let s3 = match (&args.s3_endpoint, &args.s3_bucket) {
		(Some(endpoint), Some(bucket)) => Some(S3Config {
			endpoint: endpoint.clone(),
			bucket: bucket.clone(),
			region: args.s3_region.clone(),
			credentials: credentials_from_environment()?,
			timeout: Duration::from_secs(args.s3_timeout),
		}),
		_ => None,
	};
	let runtime = tokio::runtime::Handle::current();
	let (store, recovery) = tokio::task::spawn_blocking(move || match s3 {
		None => Store::open(&data_dir),
		Some(config) => Store::open_with(&data_dir, |vault_id| {
			tracing::info!(endpoint = %config.endpoint, bucket = %config.bucket, "blobs in S3");
			let prefix = format!("medchain-vault/{}/", hex::encode(vault_id));
			let s3: Box<dyn Blobs> = Box::new(S3::new(config, prefix, runtime)?);
			Ok(s3)
		}),
	})
	.await?
	.map_err(|error| format!("cannot open the store in {}: {error}", args.data_dir.display()))?;
	tracing::info!(
		data_dir = %args.data_dir.display(),
		backend = store.backend(),
		vault_id = %hex::encode(store.vault_id()),
		partial_uploads_removed = recovery.partial_uploads,
		unindexed_blobs_removed = recovery.unindexed_blobs,
		missing_blobs_unindexed = recovery.missing_blobs,
		"store open"
	);
	// A provider's vault is known by the provider's account: a reader's signed GET then names the
	// provider it read from, and the chain counts it as a receipt of bytes served.
	let provider_key = args.provider_key.as_deref().map(load_key).transpose()?;
	let vault_id = provider_key.as_ref().map_or(store.vault_id(), |key| key.public().0);
	let verifier = Verifier::new(vault_id, Duration::from_secs(args.max_clock_skew));
	let limits = Limits {
		max_object_bytes: args.max_object_bytes,
		quota_bytes: args.quota_bytes,
		body_idle: Duration::from_secs(args.body_timeout),
		max_staged_bytes: args.max_staged_bytes,
	};
	let policy: Box<dyn ReadPolicy> = match &args.node {
		Some(url) => {
			tracing::info!(node = %url, following = args.follow_finalized, "reads are decided by the chain at its finalized head");
			let policy = ChainPolicy::new(ChainClient::new(url)?);
			Box::new(if args.follow_finalized {
				policy.following(FinalizedHeads::follow(url)?)
			} else {
				policy
			})
		},
		None => {
			tracing::warn!("no --node: only uploaders may read their objects");
			Box::new(UploaderOnly)
		},
	};
	let envelopes = EnvelopeStore::open(&args.data_dir.join("envelopes.redb"))
		.map_err(|error| format!("cannot open the key envelopes: {error}"))?;
	let mut vault = Vault::new(store, verifier, limits, policy).with_envelopes(envelopes);
	if provider_key.is_some() {
		let receipts = ReceiptLog::open(&args.data_dir.join("receipts.redb"))
			.map_err(|error| format!("cannot open the receipts: {error}"))?;
		vault = vault.with_provider_duties().with_receipts(receipts);
	}
	let vault = Arc::new(vault);
	// Provider duties run beside the server and stop with it.
	let duties = match (provider_key, &args.node) {
		(Some(key), Some(url)) => {
			let duties = Duties::new(ChainClient::new(url)?, vault.clone(), key, &args.duties);
			tracing::info!(provider = %duties.account(), duties = ?args.duties, "doing the provider's chain duties");
			Some(tokio::spawn(duties.run(Duration::from_secs(args.duty_interval.max(1)))))
		},
		_ => None,
	};
	let listener = tokio::net::TcpListener::bind(args.listen)
		.await
		.map_err(|error| format!("cannot listen on {}: {error}", args.listen))?;
	tracing::info!(listen = %listener.local_addr()?, "serving");
	// TCP_NODELAY, as nginx does: the last piece of an answer goes out at once instead of
	// waiting for the client's delayed acknowledgement of the one before (up to 40 ms).
	let listener = listener.tap_io(|stream| {
		if let Err(error) = stream.set_nodelay(true) {
			tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
		}
	});
	axum::serve(listener, router(vault.clone())).with_graceful_shutdown(shutdown_signal()).await?;
	if let Some(duties) = duties {
		duties.abort();
	}
	// The reads served since the duties' last round still count.
	if let Some(log) = vault.receipts.as_ref() {
		match log.flush() {
			Ok(written) => tracing::info!(receipts = written, "receipts written"),
			Err(error) => tracing::warn!(%error, "the last receipts could not be written"),
		}
	}
	tracing::info!("stopped");
	Ok(())
}

/// Resolves on SIGINT or SIGTERM: in-flight requests finish, then the store closes cleanly.
async fn shutdown_signal() {
	let interrupt = tokio::signal::ctrl_c();
	#[cfg(unix)]
	let terminate = async {
		match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
			Ok(mut signal) => {
				signal.recv().await;
			},
			Err(_) => std::future::pending::<()>().await,
		}
	};
	#[cfg(not(unix))]
	let terminate = std::future::pending::<()>();
	tokio::select! {
		_ = interrupt => {},
		_ = terminate => {},
	}
	tracing::info!("shutting down");
}
