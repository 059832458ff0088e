//! The chain side of read decisions: a JSON-RPC client of a `medchain-node` and the
//! [`ChainPolicy`] that asks it, at the finalized head, whether a reader may have an object.
//!
//! Today the chain names sealed objects in the DNA wallet: a dataset's `ciphertext_hash` is the
//! content id of its sealed object. A reader other than the uploader is served when a dataset of
//! the uploader names the object and `dnaWallet_canDecrypt(dataset, reader)` holds at the
//! finalized head (a live share of the current key version). EHR records name their objects
//! only inside the locator encrypted to the patient, so EHR grantees are not served yet.

use std::{
	future::Future,
	pin::Pin,
	sync::atomic::{AtomicU64, Ordering},
	time::Duration,
};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{header, Method, Request, Uri};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use serde_json::{json, Value};
use sp_core::crypto::{AccountId32, Ss58Codec};

use crate::{
	http::{Decision, ReadPolicy},
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
		let http = Client::builder(TokioExecutor::new()).build_http();
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

	/// The hash of the finalized head, as the node writes it.
	pub async fn finalized_head(&self) -> Result<String, ChainError> {
		match self.call("chain_getFinalizedHead", json!([])).await? {
			Value::String(hash) => Ok(hash),
			_ => Err(ChainError::UnexpectedAnswer("chain_getFinalizedHead")),
		}
	}
}

/// Serves an object to its uploader, and to another reader when the chain at its finalized
/// head says the reader may decrypt the dataset that names it.
pub struct ChainPolicy {
	client: ChainClient,
}

impl ChainPolicy {
	pub fn new(client: ChainClient) -> Self {
		Self { client }
	}

	async fn decide(
		&self,
		reader: &Id,
		uploader: &Id,
		content_id: &Id,
	) -> Result<Decision, ChainError> {
		if reader == uploader {
			return Ok(Decision::Allow);
		}
		let head = self.client.finalized_head().await?;
		let owner = AccountId32::from(*uploader).to_ss58check();
		let datasets = self.client.call("dnaWallet_datasets", json!([owner, head])).await?;
		let wanted = format!("0x{}", hex::encode(content_id));
		let dataset = datasets
			.as_array()
			.ok_or(ChainError::UnexpectedAnswer("dnaWallet_datasets"))?
			.iter()
			.find(|dataset| {
				dataset.get("ciphertext_hash").and_then(Value::as_str).map(str::to_lowercase)
					== Some(wanted.clone())
			})
			.and_then(|dataset| dataset.get("id").cloned());
		let Some(dataset) = dataset else {
			return Ok(Decision::Deny(
				"no dataset of the uploader names this object at the finalized head",
			));
		};
		let reader = AccountId32::from(*reader).to_ss58check();
		let may = self.client.call("dnaWallet_canDecrypt", json!([dataset, reader, head])).await?;
		Ok(match may {
			Value::Bool(true) => Decision::Allow,
			Value::Bool(false) => Decision::Deny(
				"the reader holds no live share of this dataset at the finalized head",
			),
			_ => return Err(ChainError::UnexpectedAnswer("dnaWallet_canDecrypt")),
		})
	}
}

impl ReadPolicy for ChainPolicy {
	fn may_read<'a>(
		&'a self,
		reader: &'a Id,
		uploader: &'a Id,
		content_id: &'a Id,
	) -> Pin<Box<dyn Future<Output = Result<Decision, String>> + Send + 'a>> {
		Box::pin(async move {
			self.decide(reader, uploader, content_id).await.map_err(|error| error.to_string())
		})
	}
}
