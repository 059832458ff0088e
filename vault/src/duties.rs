//! A storage provider's chain duties, done by its vault (`--provider-key`): the chain audits each
//! replica the provider holds once per era (`pallet-storage-power`, "Replicas and audits"), and
//! the vault answers by itself. Every `--duty-interval` it asks `storagePower_replicasOf` at the
//! node's best block; for each open audit of an object it holds, it reads the object, builds the
//! audited segment's path to the content id ([`medchain_seal::segment_proof`]) and submits
//! `StoragePower::prove_replica` signed with the provider's key. An object it does not hold
//! (lost, deleted behind its back) cannot be proved: it logs the loss, and the chain settles the
//! audit as missed at its deadline.
//!
//! The extrinsic is built with the runtime's own types (`medchain-runtime`): a vault is built for
//! the runtime it serves, like the node.

use std::{collections::HashSet, sync::Arc, time::Duration};

use codec::Encode;
use medchain_runtime::{RuntimeCall, SignedPayload, UncheckedExtrinsic};
use serde::Deserialize;
use serde_json::{json, Value};
use sp_core::{
	crypto::{AccountId32, Ss58Codec},
	sr25519, Pair, H256,
};
use sp_runtime::{MultiAddress, MultiSignature};

use crate::{
	chain::{ChainClient, ChainError},
	http::Vault,
	store::StoreError,
};

/// Why a round of duties failed.
#[derive(Debug, thiserror::Error)]
pub enum DutyError {
	#[error(transparent)]
	Chain(#[from] ChainError),
	#[error(transparent)]
	Store(#[from] StoreError),
	#[error("the node's answer to {0} is not what it should return")]
	UnexpectedAnswer(&'static str),
	#[error("the object has no segment {0}")]
	NoSegment(u32),
	#[error("the answer does not fit the call: {0}")]
	Oversized(&'static str),
	#[error("reading the object failed: {0}")]
	Task(String),
}

/// Why the provider key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	#[error("cannot read the provider key file {path}: {source}")]
	Read { path: String, source: std::io::Error },
	#[error("the provider key file {0} does not hold a secret phrase, seed or derivation path")]
	Invalid(String),
}

/// The provider's sr25519 key from `path`: a file holding its secret URI (a mnemonic, a `0x`
/// seed, or a phrase with a derivation path), as `subkey` prints it.
pub fn load_key(path: &std::path::Path) -> Result<sr25519::Pair, KeyError> {
	let shown = path.display().to_string();
	let text = std::fs::read_to_string(path)
		.map_err(|source| KeyError::Read { path: shown.clone(), source })?;
	sr25519::Pair::from_string(text.trim(), None).map_err(|_| KeyError::Invalid(shown))
}

/// A replica as `storagePower_replicasOf` returns it (`pallet_storage_power::ReplicaView`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Replica {
	order_id: u64,
	content_id: H256,
	/// The open audit: `[segment, deadline block]`.
	audit: Option<(u32, u64)>,
}

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
	/// Audits answered.
	pub answered: u32,
	/// Audits of objects this vault does not hold.
	pub lost: u32,
	/// Audits that could not be answered this round (tried again in the next).
	pub failed: u32,
}

/// The duties of one provider.
pub struct Duties {
	chain: ChainClient,
	vault: Arc<Vault>,
	key: sr25519::Pair,
	account: AccountId32,
	/// Audits (order, deadline) already answered, so that a pending answer is not sent twice.
	answered: HashSet<(u64, u64)>,
}

impl Duties {
	/// The duties of the provider whose key is `key`, answered from `vault`'s objects.
	pub fn new(chain: ChainClient, vault: Arc<Vault>, key: sr25519::Pair) -> Self {
		let account = AccountId32::from(key.public());
		Self { chain, vault, key, account, answered: HashSet::new() }
	}

	/// The provider's account (SS58).
	pub fn account(&self) -> String {
		self.account.to_ss58check()
	}

	/// Runs a round every `interval` until the task is dropped; a failed round is logged and the
	/// next one tries again.
	pub async fn run(mut self, interval: Duration) {
		let mut ticker = tokio::time::interval(interval);
		ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			ticker.tick().await;
			match self.round().await {
				Ok(round) if round != Round::default() => tracing::info!(
					answered = round.answered,
					lost = round.lost,
					failed = round.failed,
					"replica audits"
				),
				Ok(_) => {},
				Err(error) => tracing::warn!(%error, "replica audits: the round failed"),
			}
		}
	}

	/// Answers every open audit of the provider's replicas once.
	pub async fn round(&mut self) -> Result<Round, DutyError> {
		let replicas: Vec<Replica> = serde_json::from_value(
			self.chain.call("storagePower_replicasOf", json!([self.account()])).await?,
		)
		.map_err(|_| DutyError::UnexpectedAnswer("storagePower_replicasOf"))?;
		let open: HashSet<(u64, u64)> = replicas
			.iter()
			.filter_map(|r| r.audit.map(|(_, deadline)| (r.order_id, deadline)))
			.collect();
		self.answered.retain(|audit| open.contains(audit));
		let mut round = Round::default();
		for replica in replicas {
			let Some((segment, deadline)) = replica.audit else { continue };
			if self.answered.contains(&(replica.order_id, deadline)) {
				continue;
			}
			match self.answer(&replica, segment).await {
				Ok(Some(call)) => match self.submit(call).await {
					Ok(hash) => {
						tracing::info!(order = replica.order_id, segment, deadline, tx = %hash, "audit answered");
						self.answered.insert((replica.order_id, deadline));
						round.answered = round.answered.saturating_add(1);
					},
					Err(error) => {
						tracing::warn!(order = replica.order_id, %error, "the answer was not accepted");
						round.failed = round.failed.saturating_add(1);
					},
				},
				Ok(None) => {
					tracing::error!(
						order = replica.order_id,
						content_id = %hex::encode(replica.content_id),
						"the audited object is not in this vault: the audit will be missed and the stake slashed"
					);
					self.answered.insert((replica.order_id, deadline));
					round.lost = round.lost.saturating_add(1);
				},
				Err(error) => {
					tracing::warn!(order = replica.order_id, %error, "the audited object could not be read");
					round.failed = round.failed.saturating_add(1);
				},
			}
		}
		Ok(round)
	}

	/// The `prove_replica` call for segment `segment` of `replica`, or `None` if this vault does
	/// not hold the object.
	async fn answer(
		&self,
		replica: &Replica,
		segment: u32,
	) -> Result<Option<RuntimeCall>, DutyError> {
		let vault = self.vault.clone();
		let id = replica.content_id.0;
		let proof = tokio::task::spawn_blocking(move || {
			vault
				.store
				.read(&id)
				.map(|bytes| bytes.map(|b| medchain_seal::segment_proof(&b, segment)))
		})
		.await
		.map_err(|error| DutyError::Task(error.to_string()))??;
		let Some(proof) = proof else { return Ok(None) };
		let proof = proof.ok_or(DutyError::NoSegment(segment))?;
		let call = pallet_storage_power::Call::prove_replica {
			order_id: replica.order_id,
			root: H256(proof.root),
			segment: proof.segment.try_into().map_err(|_| DutyError::Oversized("segment"))?,
			siblings: proof
				.siblings
				.into_iter()
				.map(H256)
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| DutyError::Oversized("siblings"))?,
		};
		Ok(Some(RuntimeCall::StoragePower(call)))
	}

	/// Signs `call` with the provider's key (immortal, the account's next nonce, no tip) and
	/// submits it; returns the transaction hash the node answered.
	async fn submit(&self, call: RuntimeCall) -> Result<String, DutyError> {
		let nonce: u32 = number(
			self.chain.call("system_accountNextIndex", json!([self.account()])).await?,
			"system_accountNextIndex",
		)?;
		let version = self.chain.call("state_getRuntimeVersion", json!([])).await?;
		let field = |name| version.get(name).cloned().unwrap_or(Value::Null);
		let spec_version = number(field("specVersion"), "state_getRuntimeVersion")?;
		let tx_version = number(field("transactionVersion"), "state_getRuntimeVersion")?;
		let genesis: H256 =
			serde_json::from_value(self.chain.call("chain_getBlockHash", json!([0])).await?)
				.map_err(|_| DutyError::UnexpectedAnswer("chain_getBlockHash"))?;
		let extension = medchain_runtime::tx_extension(nonce);
		let implicit = ((), spec_version, tx_version, genesis, genesis, (), (), (), None, ());
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| self.key.sign(bytes));
		let extrinsic = UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(self.account.clone()),
			MultiSignature::Sr25519(signature),
			extension,
		);
		let hex = format!("0x{}", hex::encode(extrinsic.encode()));
		match self.chain.call("author_submitExtrinsic", json!([hex])).await? {
			Value::String(hash) => Ok(hash),
			_ => Err(DutyError::UnexpectedAnswer("author_submitExtrinsic")),
		}
	}
}

/// A JSON number as `T`.
fn number<T: TryFrom<u64>>(value: Value, method: &'static str) -> Result<T, DutyError> {
	value.as_u64().and_then(|n| T::try_from(n).ok()).ok_or(DutyError::UnexpectedAnswer(method))
}
