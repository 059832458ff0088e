//! The chain side of read decisions: a JSON-RPC client of a `medchain-node` and the
//! [`ChainPolicy`] that asks it, at the finalized head, whether a reader may have an object.
//!
//! Two pallets name sealed objects by their content id:
//!
//! - **EHR records** (`pallet-ehr`, `Record::content_id`). The vault asks `ehr_readTicket(reader,
//!   content id, uploader)` at the finalized head: the record the object's uploader issued naming
//!   it governs the object. It is served only to that record's patient, or to a reader whose read
//!   of exactly that record is in the patient's access log from the last `ReadWindow` blocks
//!   under a grant or break-glass access that still covers it ([`ehr_decision`]); its uploader
//!   has no read of its own. Another account naming the object in a record of its own (content
//!   ids are public) opens nothing and closes nothing: the chain keeps one record per content id
//!   and issuer, and answers with the uploader's. The patient may erase it and deliver its key.
//! - **DNA datasets** (`pallet-dna-wallet`): a dataset's `ciphertext_hash`. A reader other than the
//!   uploader is served when a dataset of the uploader names the object and
//!   `dnaWallet_canDecrypt(dataset, reader)` holds at the finalized head (a live share of the
//!   current key version).
//!
//! An object no record governs is served to its uploader, and to DNA share holders as above.

use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};

use axum::body::Bytes;
use codec::Encode;
use http_body_util::{BodyExt, Full};
use hyper::{header, Method, Request, Uri};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use medchain_runtime::{RuntimeCall, SignedPayload, UncheckedExtrinsic};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use sp_core::{
	crypto::{AccountId32, Ss58Codec},
	sr25519, Pair, H256,
};
use sp_runtime::{MultiAddress, MultiSignature};

use crate::{
	auth::parse_account,
	heads::{FinalizedHeads, FollowedHead},
	http::{Decision, Pending, ReadPolicy},
	store::Id,
};

/// Why the chain could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	#[error("the node URL {0:?} is not an http:// or ws:// URL")]
	BadUrl(String),
	#[error("the node did not answer: {0}")]
	Unreachable(String),
	#[error("the node answered {method} with an error: {message}")]
	Rpc { method: &'static str, message: String },
	#[error("the node's answer to {0} is not what the runtime API returns")]
	UnexpectedAnswer(&'static str),
}

/// A JSON-RPC client over HTTP (the node serves HTTP and WebSocket on one port).
pub struct ChainClient {
	http: Client<HttpConnector, Full<Bytes>>,
	uri: Uri,
	next_id: AtomicU64,
	timeout: Duration,
}

impl ChainClient {
	/// A client of the node at `url` (`http://…` or `ws://…`, the same port).
	pub fn new(url: &str) -> Result<Self, ChainError> {
		let http_url = if let Some(rest) = url.strip_prefix("ws://") {
			format!("http://{rest}")
		} else if url.starts_with("http://") {
			url.to_owned()
		} else {
			return Err(ChainError::BadUrl(url.to_owned()));
		};
		let uri = http_url.parse().map_err(|_| ChainError::BadUrl(url.to_owned()))?;
		let http = Client::builder(TokioExecutor::new()).build(crate::http_connector());
		Ok(Self { http, uri, next_id: AtomicU64::new(1), timeout: Duration::from_secs(10) })
	}

	/// Calls `method` with `params` and returns its result.
	pub async fn call(&self, method: &'static str, params: Value) -> Result<Value, ChainError> {
		let id = self.next_id.fetch_add(1, Ordering::Relaxed);
		let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
		let request = Request::builder()
			.method(Method::POST)
			.uri(self.uri.clone())
			.header(header::CONTENT_TYPE, "application/json")
			.body(Full::new(Bytes::from(body.to_string())))
			.map_err(|error| ChainError::Unreachable(error.to_string()))?;
		let response = tokio::time::timeout(self.timeout, self.http.request(request))
			.await
			.map_err(|_| ChainError::Unreachable(format!("no answer within {:?}", self.timeout)))?
			.map_err(|error| ChainError::Unreachable(error.to_string()))?;
		let bytes = tokio::time::timeout(self.timeout, response.into_body().collect())
			.await
			.map_err(|_| ChainError::Unreachable("the answer did not finish".into()))?
			.map_err(|error| ChainError::Unreachable(error.to_string()))?
			.to_bytes();
		let mut answer: Value =
			serde_json::from_slice(&bytes).map_err(|_| ChainError::UnexpectedAnswer(method))?;
		if let Some(error) = answer.get("error") {
			return Err(ChainError::Rpc { method, message: error.to_string() });
		}
		answer.get_mut("result").map(Value::take).ok_or(ChainError::UnexpectedAnswer(method))
	}

	/// Signs `call` with `key` (immortal, the account's next nonce, no tip) and submits it;
	/// returns the transaction hash the node answered.
	pub async fn submit(
		&self,
		key: &sr25519::Pair,
		call: RuntimeCall,
	) -> Result<String, ChainError> {
		let account = AccountId32::from(key.public());
		let nonce: u32 = number(
			self.call("system_accountNextIndex", json!([account.to_ss58check()])).await?,
			"system_accountNextIndex",
		)?;
		let version = self.call("state_getRuntimeVersion", json!([])).await?;
		let field = |name| version.get(name).cloned().unwrap_or(Value::Null);
		let spec_version = number(field("specVersion"), "state_getRuntimeVersion")?;
		let tx_version = number(field("transactionVersion"), "state_getRuntimeVersion")?;
		let genesis = self.genesis_hash().await?;
		let extension = medchain_runtime::tx_extension(nonce);
		let implicit = ((), spec_version, tx_version, genesis, genesis, (), (), (), None, ());
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| key.sign(bytes));
		let extrinsic = UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(account),
			MultiSignature::Sr25519(signature),
			extension,
		);
		let hex = format!("0x{}", hex::encode(extrinsic.encode()));
		match self.call("author_submitExtrinsic", json!([hex])).await? {
			Value::String(hash) => Ok(hash),
			_ => Err(ChainError::UnexpectedAnswer("author_submitExtrinsic")),
		}
	}

	/// The chain's genesis hash.
	pub async fn genesis_hash(&self) -> Result<H256, ChainError> {
		serde_json::from_value(self.call("chain_getBlockHash", json!([0])).await?)
			.map_err(|_| ChainError::UnexpectedAnswer("chain_getBlockHash"))
	}

	/// The hash of the finalized head, as the node writes it.
	pub async fn finalized_head(&self) -> Result<String, ChainError> {
		match self.call("chain_getFinalizedHead", json!([])).await? {
			Value::String(hash) => Ok(hash),
			_ => Err(ChainError::UnexpectedAnswer("chain_getFinalizedHead")),
		}
	}
}

/// What `ehr_readTicket` answers about an object a record names (`pallet_ehr::ReadTicket`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EhrTicket {
	/// The record that names the object.
	pub record_id: u64,
	/// Its patient.
	#[serde(deserialize_with = "account")]
	pub patient: Id,
	/// Who added the record.
	#[serde(deserialize_with = "account")]
	pub issuer: Id,
	/// Whether the asking reader may have the object now.
	pub verdict: EhrVerdict,
}

/// `pallet_ehr::ReadVerdict` as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum EhrVerdict {
	/// The reader is the patient.
	Owner,
	/// The reader logged this read at block `at` (entry `index` of the patient's log).
	Logged { index: u32, at: u64, basis: String },
	/// The reader may not have the object.
	Refused(EhrRefusal),
}

/// `pallet_ehr::ReadRefusal` as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum EhrRefusal {
	NotAuthorized,
	ProviderSuspended,
	NotLogged,
}

fn account<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
	let text = String::deserialize(deserializer)?;
	parse_account(&text).map_err(serde::de::Error::custom)
}

/// Whether an object may be served, given what the chain says of the record governing it.
pub fn ehr_decision(ticket: &EhrTicket) -> Decision {
	match ticket.verdict {
		EhrVerdict::Owner | EhrVerdict::Logged { .. } => Decision::Allow,
		EhrVerdict::Refused(EhrRefusal::NotAuthorized) => Decision::deny(
			"the reader holds no live grant, break-glass or claim review access covering this \
			 record at the finalized head",
		),
		EhrVerdict::Refused(EhrRefusal::ProviderSuspended) => Decision::Deny {
			reason: "provider-suspended",
			message: "the reader is a suspended provider",
		},
		EhrVerdict::Refused(EhrRefusal::NotLogged) => Decision::Deny {
			reason: "access-not-logged",
			message: "no read of this record by the reader is in the patient's access log from \
			          the last Ehr.ReadWindow finalized blocks: submit Ehr.log_access for it and \
			          fetch once that block is finalized",
		},
	}
}

/// Read decisions remembered at most, so that a flood of distinct readers and objects within one
/// finalized block cannot grow the vault's memory (past it, the decisions are asked afresh).
pub const MAX_REMEMBERED_DECISIONS: usize = 16_384;

/// `(reader, uploader, content id)`: the question a read decision answers.
type ReadQuestion = (Id, Id, Id);

/// Read decisions made at one finalized head. What the runtime APIs answer at a given block
/// never changes, so a decision stays exact for as long as that block is the finalized head;
/// a new head forgets them all. Unless the heads are followed ([`FinalizedHeads`]), every read
/// asks the node for its finalized head, so that a revocation refuses the first read after the
/// block that holds it is finalized.
#[derive(Default)]
struct DecisionsAtHead {
	head: String,
	decisions: HashMap<ReadQuestion, Decision>,
}

/// Decides reads, erasures and key deliveries from the chain at its finalized head (see the
/// module's documentation).
pub struct ChainPolicy {
	client: ChainClient,
	reads: Mutex<DecisionsAtHead>,
	heads: Option<Arc<FinalizedHeads>>,
}

impl ChainPolicy {
	pub fn new(client: ChainClient) -> Self {
		Self { client, reads: Mutex::new(DecisionsAtHead::default()), heads: None }
	}

	/// Decides reads at the last head `heads` announced while it has one (see [`FinalizedHeads`]).
	pub fn following(self, heads: Arc<FinalizedHeads>) -> Self {
		Self { heads: Some(heads), ..self }
	}

	/// The finalized head to decide a read at: the followed one, else the node's answer.
	async fn read_head(&self) -> Result<String, ChainError> {
		match self.heads.as_ref().and_then(|heads| heads.latest()) {
			Some(head) => Ok(head),
			None => self.client.finalized_head().await,
		}
	}

	fn remembered_reads(&self) -> std::sync::MutexGuard<'_, DecisionsAtHead> {
		// A poisoned lock only means another request panicked mid-update; the map is still valid.
		self.reads.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Whether `reader` may have the object, decided at the finalized head: from the decisions
	/// already made at that head, or by asking the chain.
	async fn decide(
		&self,
		reader: &Id,
		uploader: &Id,
		content_id: &Id,
	) -> Result<Decision, ChainError> {
		let head = self.read_head().await?;
		let question = (*reader, *uploader, *content_id);
		{
			let remembered = self.remembered_reads();
			if remembered.head == head {
				if let Some(decision) = remembered.decisions.get(&question) {
					return Ok(*decision);
				}
			}
		}
		let decision = self.decide_at(reader, uploader, content_id, &head).await?;
		let mut remembered = self.remembered_reads();
		if remembered.head != head {
			// A decision is kept only under the head it was made at, so a slow read finishing
			// after a newer head was seen costs the next reads a question, never exactness.
			*remembered = DecisionsAtHead { head, decisions: HashMap::new() };
		}
		if remembered.decisions.len() >= MAX_REMEMBERED_DECISIONS {
			remembered.decisions.clear();
		}
		remembered.decisions.insert(question, decision);
		Ok(decision)
	}

	/// What the chain at `head` says about `reader` and the object `content_id` uploaded by
	/// `uploader`, if a record `uploader` issued names it.
	async fn ehr_ticket(
		&self,
		reader: &Id,
		content_id: &Id,
		uploader: &Id,
		head: &str,
	) -> Result<Option<EhrTicket>, ChainError> {
		let reader = AccountId32::from(*reader).to_ss58check();
		let uploader = AccountId32::from(*uploader).to_ss58check();
		let content_id = format!("0x{}", hex::encode(content_id));
		let answer =
			self.client.call("ehr_readTicket", json!([reader, content_id, uploader, head])).await?;
		serde_json::from_value(answer).map_err(|_| ChainError::UnexpectedAnswer("ehr_readTicket"))
	}

	/// Whether `reader` may have the object, asked of the chain at block `head`.
	async fn decide_at(
		&self,
		reader: &Id,
		uploader: &Id,
		content_id: &Id,
		head: &str,
	) -> Result<Decision, ChainError> {
		// Only the record the uploader issued governs the object: a record of another account
		// naming it (a DNA dataset's public ciphertext hash, say) changes nothing.
		if let Some(ticket) = self.ehr_ticket(reader, content_id, uploader, head).await? {
			let decision = ehr_decision(&ticket);
			tracing::info!(
				record_id = ticket.record_id,
				reader = %hex::encode(reader),
				verdict = ?ticket.verdict,
				?decision,
				"EHR read decided at the finalized head"
			);
			return Ok(decision);
		}
		if reader == uploader {
			return Ok(Decision::Allow);
		}
		let owner = AccountId32::from(*uploader).to_ss58check();
		let datasets = self.client.call("dnaWallet_datasets", json!([owner, head])).await?;
		let wanted = format!("0x{}", hex::encode(content_id));
		let dataset = datasets
			.as_array()
			.ok_or(ChainError::UnexpectedAnswer("dnaWallet_datasets"))?
			.iter()
			.find(|dataset| {
				dataset.get("ciphertextHash").and_then(Value::as_str).map(str::to_lowercase)
					== Some(wanted.clone())
			})
			.and_then(|dataset| dataset.get("id").cloned());
		let Some(dataset) = dataset else {
			return Ok(Decision::deny(
				"no record or dataset names this object at the finalized head",
			));
		};
		let reader = AccountId32::from(*reader).to_ss58check();
		let may = self.client.call("dnaWallet_canDecrypt", json!([dataset, reader, head])).await?;
		Ok(match may {
			Value::Bool(true) => Decision::Allow,
			Value::Bool(false) => Decision::deny(
				"the reader holds no live share of this dataset at the finalized head",
			),
			_ => return Err(ChainError::UnexpectedAnswer("dnaWallet_canDecrypt")),
		})
	}

	/// The uploader may erase; so may the patient of the record governing the object, the one
	/// its uploader issued (the right to erasure is the patient's).
	async fn decide_erase(
		&self,
		caller: &Id,
		uploader: &Id,
		content_id: &Id,
	) -> Result<Decision, ChainError> {
		if caller == uploader {
			return Ok(Decision::Allow);
		}
		let head = self.client.finalized_head().await?;
		Ok(match self.ehr_ticket(caller, content_id, uploader, &head).await? {
			Some(ticket) if ticket.patient == *caller => Decision::Allow,
			_ => Decision::deny(
				"only the uploader, or the patient of the record naming this object, may erase it",
			),
		})
	}

	/// The patient of the record governing the object delivers its key to anyone (a grantee reads
	/// it only while the chain lets it read the object); the record's issuer, who sealed it,
	/// delivers it to the patient only.
	async fn decide_delivery(
		&self,
		caller: &Id,
		uploader: &Id,
		content_id: &Id,
		recipient: &Id,
	) -> Result<Decision, ChainError> {
		let head = self.client.finalized_head().await?;
		Ok(match self.ehr_ticket(caller, content_id, uploader, &head).await? {
			None => Decision::Deny {
				reason: "no-record",
				message: "no record names this object at the finalized head",
			},
			Some(ticket)
				if ticket.patient == *caller
					|| (ticket.issuer == *caller && ticket.patient == *recipient) =>
			{
				Decision::Allow
			},
			Some(_) => Decision::Deny {
				reason: "not-the-patient",
				message: "only the patient of the record naming this object delivers its key (its \
				          issuer to the patient only)",
			},
		})
	}
}

impl ReadPolicy for ChainPolicy {
	fn may_read<'a>(&'a self, reader: &'a Id, uploader: &'a Id, content_id: &'a Id) -> Pending<'a> {
		Box::pin(async move {
			self.decide(reader, uploader, content_id).await.map_err(|error| error.to_string())
		})
	}

	fn followed_head(&self) -> Option<FollowedHead> {
		self.heads.as_ref().and_then(|heads| heads.followed())
	}

	fn may_erase<'a>(
		&'a self,
		caller: &'a Id,
		uploader: &'a Id,
		content_id: &'a Id,
	) -> Pending<'a> {
		Box::pin(async move {
			self.decide_erase(caller, uploader, content_id).await.map_err(|error| error.to_string())
		})
	}

	fn may_deliver<'a>(
		&'a self,
		caller: &'a Id,
		uploader: &'a Id,
		content_id: &'a Id,
		recipient: &'a Id,
	) -> Pending<'a> {
		Box::pin(async move {
			self.decide_delivery(caller, uploader, content_id, recipient)
				.await
				.map_err(|error| error.to_string())
		})
	}
}

/// A JSON number as `T`.
pub fn number<T: TryFrom<u64>>(value: Value, method: &'static str) -> Result<T, ChainError> {
	value.as_u64().and_then(|n| T::try_from(n).ok()).ok_or(ChainError::UnexpectedAnswer(method))
}
