//! The node, as the client uses it: transactions submitted and followed to their block (their
//! events, or the error the runtime gave), finality awaited, and the domain RPCs' views read.

use std::time::{Duration, Instant};

use codec::Decode;
use frame_system::{EventRecord, Phase};
use medchain_runtime::{BlockNumber, RuntimeCall, RuntimeError, RuntimeEvent};
use medchain_vault::chain::{ChainClient, ChainError};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sp_core::{crypto::AccountId32, crypto::Ss58Codec, H256};
use sp_runtime::DispatchError;

use crate::{account::Account, CliError};

/// How long a transaction may take to be included, and a block to be finalized.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(90);
const POLL: Duration = Duration::from_millis(500);

pub type RecordView = pallet_ehr::RecordView<AccountId32, BlockNumber>;
pub type GrantView = pallet_ehr::GrantView<AccountId32, BlockNumber>;
pub type KeyView = pallet_dna_wallet::KeyView<BlockNumber>;
pub type DatasetView = pallet_dna_wallet::DatasetView<AccountId32, BlockNumber>;
pub type ShareView = pallet_dna_wallet::ShareView<AccountId32, BlockNumber>;

/// A transaction in a block, with the events it emitted.
pub struct Included {
	pub number: BlockNumber,
	/// The block's hash, as the node writes it.
	block: Value,
	pub events: Vec<RuntimeEvent>,
}

impl Included {
	/// What `pick` reads from the first event it recognises; an error naming the event `name`
	/// when none is there.
	pub fn event<T>(
		&self,
		name: &str,
		pick: impl Fn(&RuntimeEvent) -> Option<T>,
	) -> Result<T, CliError> {
		self.events
			.iter()
			.find_map(pick)
			.ok_or_else(|| CliError::Invalid(format!("the chain reported no {name} event")))
	}
}

/// A `medchain-node` over JSON-RPC.
pub struct Node {
	chain: ChainClient,
}

impl Node {
	pub fn new(url: &str) -> Result<Self, CliError> {
		Ok(Self { chain: ChainClient::new(url)? })
	}

	/// The chain's genesis hash, which every envelope is bound to.
	pub async fn genesis_hash(&self) -> Result<[u8; 32], CliError> {
		Ok(self.chain.genesis_hash().await?.0)
	}

	/// The best block's number.
	pub async fn best_number(&self) -> Result<BlockNumber, CliError> {
		let header = self.chain.call("chain_getHeader", json!([])).await?;
		block_number(&header, "chain_getHeader")
	}

	/// Signs `call` as `account`, submits it and waits until the block that includes it is
	/// finalized (what a vault decides by): its events, or [`CliError::Failed`] with the
	/// runtime's error (e.g. `Ehr(NotAuthorized)`).
	pub async fn submit_and_wait(
		&self,
		account: &Account,
		call: RuntimeCall,
	) -> Result<Included, CliError> {
		let mut next = self.best_number().await?.saturating_add(1);
		let hash: H256 =
			serde_json::from_value(Value::String(self.chain.submit(&account.pair, call).await?))
				.map_err(|_| ChainError::UnexpectedAnswer("author_submitExtrinsic"))?;
		tracing::info!(tx = ?hash, "submitted");
		let started = Instant::now();
		while started.elapsed() < INCLUSION_TIMEOUT {
			let best = self.best_number().await?;
			while next <= best {
				match self.find(next, hash).await? {
					Some(included) if self.finalized(&included).await? => return Ok(included),
					// Its block lost to a fork: look again on the chain that was finalized.
					Some(_) => {},
					None => next = next.saturating_add(1),
				}
			}
			tokio::time::sleep(POLL).await;
		}
		Err(CliError::NotIncluded(INCLUSION_TIMEOUT.as_secs()))
	}

	/// Waits until the chain has finalized a block at `included`'s height (a vault decides reads
	/// at the finalized head); whether it is `included`'s block rather than a fork's.
	async fn finalized(&self, included: &Included) -> Result<bool, CliError> {
		let number = included.number;
		let started = Instant::now();
		while started.elapsed() < INCLUSION_TIMEOUT {
			let head = self.chain.finalized_head().await?;
			let header = self.chain.call("chain_getHeader", json!([head])).await?;
			if block_number(&header, "chain_getHeader")? >= number {
				let finalized = self.chain.call("chain_getBlockHash", json!([number])).await?;
				return Ok(finalized == included.block);
			}
			tokio::time::sleep(POLL).await;
		}
		Err(CliError::Invalid(format!(
			"block {number} was not finalized within {} s",
			INCLUSION_TIMEOUT.as_secs()
		)))
	}

	/// The transaction `hash` in block `number`, if it is there.
	async fn find(&self, number: BlockNumber, hash: H256) -> Result<Option<Included>, CliError> {
		let block_hash = self.chain.call("chain_getBlockHash", json!([number])).await?;
		let block = self.chain.call("chain_getBlock", json!([block_hash])).await?;
		let extrinsics = block
			.pointer("/block/extrinsics")
			.and_then(Value::as_array)
			.ok_or(ChainError::UnexpectedAnswer("chain_getBlock"))?;
		let Some(index) = extrinsics.iter().position(|extrinsic| {
			extrinsic
				.as_str()
				.and_then(|text| hex::decode(text.trim_start_matches("0x")).ok())
				.is_some_and(|bytes| sp_crypto_hashing::blake2_256(&bytes) == hash.0)
		}) else {
			return Ok(None);
		};
		let index =
			u32::try_from(index).map_err(|_| ChainError::UnexpectedAnswer("chain_getBlock"))?;
		// `System::Events`: twox128("System") ‖ twox128("Events").
		let key = [sp_crypto_hashing::twox_128(b"System"), sp_crypto_hashing::twox_128(b"Events")]
			.concat();
		let key = format!("0x{}", hex::encode(key));
		let stored = self.chain.call("state_getStorage", json!([key, block_hash])).await?;
		let bytes = stored
			.as_str()
			.and_then(|text| hex::decode(text.trim_start_matches("0x")).ok())
			.ok_or(ChainError::UnexpectedAnswer("state_getStorage"))?;
		let records = Vec::<EventRecord<RuntimeEvent, H256>>::decode(&mut bytes.as_slice())
			.map_err(|_| {
				CliError::Invalid(
					"the block's events do not decode with this client's runtime: use the client built with the node".into(),
				)
			})?;
		let mut events = Vec::new();
		for record in records {
			if record.phase != Phase::ApplyExtrinsic(index) {
				continue;
			}
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = record.event
			{
				return Err(CliError::Failed(describe(dispatch_error)));
			}
			events.push(record.event);
		}
		Ok(Some(Included { number, block: block_hash, events }))
	}

	/// The record pointers of `patient`.
	pub async fn records(&self, patient: &AccountId32) -> Result<Vec<RecordView>, CliError> {
		self.read("ehr_records", json!([patient.to_ss58check()])).await
	}

	/// The live grants of `patient`.
	pub async fn active_grants(&self, patient: &AccountId32) -> Result<Vec<GrantView>, CliError> {
		self.read("ehr_activeGrants", json!([patient.to_ss58check()])).await
	}

	/// The keys `account` registered, revoked ones included until removed.
	pub async fn keys(&self, account: &AccountId32) -> Result<Vec<KeyView>, CliError> {
		self.read("dnaWallet_keys", json!([account.to_ss58check()])).await
	}

	/// The newest live X25519 key of `account`: its id and public key.
	pub async fn agreement_key(&self, account: &AccountId32) -> Result<(u64, [u8; 32]), CliError> {
		self.keys(account)
			.await?
			.into_iter()
			.rev()
			.filter(|key| {
				key.revoked_at.is_none() && key.key_type == pallet_dna_wallet::KeyType::X25519
			})
			.find_map(|key| Some((key.id, key.public_key.as_slice().try_into().ok()?)))
			.ok_or_else(|| CliError::NoAgreementKey(account.to_ss58check()))
	}

	/// The datasets of `owner`.
	pub async fn datasets(&self, owner: &AccountId32) -> Result<Vec<DatasetView>, CliError> {
		self.read("dnaWallet_datasets", json!([owner.to_ss58check()])).await
	}

	/// The key shares of `dataset`.
	pub async fn shares(&self, dataset: u64) -> Result<Vec<ShareView>, CliError> {
		self.read("dnaWallet_shares", json!([dataset])).await
	}

	async fn read<T: DeserializeOwned>(
		&self,
		method: &'static str,
		params: Value,
	) -> Result<T, CliError> {
		let answer = self.chain.call(method, params).await?;
		Ok(serde_json::from_value(answer).map_err(|_| ChainError::UnexpectedAnswer(method))?)
	}
}

/// A header's block number (hex in JSON).
fn block_number(header: &Value, method: &'static str) -> Result<BlockNumber, CliError> {
	let text =
		header.get("number").and_then(Value::as_str).ok_or(ChainError::UnexpectedAnswer(method))?;
	Ok(BlockNumber::from_str_radix(text.trim_start_matches("0x"), 16)
		.map_err(|_| ChainError::UnexpectedAnswer(method))?)
}

/// A dispatch error by name: the pallet's error (`Ehr(NotAuthorized)`) where there is one.
fn describe(error: DispatchError) -> String {
	match RuntimeError::from_dispatch_error(error) {
		Some(error) => format!("{error:?}"),
		None => format!("{error:?}"),
	}
}
