//! A client of a `medchain-vault` signing as one account: what the `medchain` command-line client
//! (and any Rust integrator) uses to store sealed objects, deposit key envelopes and read both
//! back. Requests are signed as [`crate::auth`] verifies them.

use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{header, Method, Request, StatusCode, Uri};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use serde::Deserialize;
use sp_core::{sr25519, Pair};

use crate::{
	auth::{self, Intent},
	store::Id,
};

/// Why a request to the vault did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
	#[error("the vault URL {0:?} is not an http:// URL")]
	BadUrl(String),
	#[error("the vault did not answer: {0}")]
	Unreachable(String),
	#[error("the vault refused ({status} {reason}): {message}")]
	Refused { status: u16, reason: String, message: String },
	#[error("the vault's answer to {0} is not what a vault answers")]
	UnexpectedAnswer(&'static str),
}

impl ClientError {
	/// The vault's reason code when it refused (`not-allowed`, `access-not-logged`, …).
	pub fn reason(&self) -> Option<&str> {
		match self {
			Self::Refused { reason, .. } => Some(reason),
			_ => None,
		}
	}
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Health {
	vault_id: String,
}

#[derive(Deserialize)]
struct Stored {
	stored: bool,
}

#[derive(Deserialize)]
struct Refusal {
	reason: String,
	message: String,
}

/// A client of the vault at one URL, signing as `key`.
pub struct VaultClient {
	http: Client<HttpConnector, Full<Bytes>>,
	base: String,
	key: sr25519::Pair,
	vault_id: tokio::sync::OnceCell<Id>,
	timeout: Duration,
}

impl VaultClient {
	/// A client of the vault at `url` (`http://host:port`) signing as `key`.
	pub fn new(url: &str, key: sr25519::Pair) -> Result<Self, ClientError> {
		let base = url.trim_end_matches('/').to_owned();
		let uri: Uri = base.parse().map_err(|_| ClientError::BadUrl(url.to_owned()))?;
		if uri.scheme_str() != Some("http") || uri.host().is_none() {
			return Err(ClientError::BadUrl(url.to_owned()));
		}
		let http = Client::builder(TokioExecutor::new()).build(crate::http_connector());
		Ok(Self {
			http,
			base,
			key,
			vault_id: tokio::sync::OnceCell::new(),
			timeout: Duration::from_secs(60),
		})
	}

	/// Stores the sealed object `content_id`; `true` if the vault did not hold it yet.
	pub async fn put_object(&self, content_id: &Id, object: Vec<u8>) -> Result<bool, ClientError> {
		let body = self.send(Method::PUT, &object_path(content_id), content_id, object).await?.1;
		Ok(parse::<Stored>(&body, "PUT /objects")?.stored)
	}

	/// The sealed object `content_id`, if the chain lets this account read it.
	pub async fn get_object(&self, content_id: &Id) -> Result<Bytes, ClientError> {
		Ok(self.send(Method::GET, &object_path(content_id), content_id, Vec::new()).await?.1)
	}

	/// Deposits `envelope`, the key of `content_id` wrapped to `recipient` (an account id);
	/// `true` if the recipient had none yet.
	pub async fn put_envelope(
		&self,
		content_id: &Id,
		recipient: &Id,
		envelope: Vec<u8>,
	) -> Result<bool, ClientError> {
		let path = envelope_path(content_id, recipient);
		let (status, _) = self.send(Method::PUT, &path, content_id, envelope).await?;
		Ok(status == StatusCode::CREATED)
	}

	/// This account's envelope of `content_id`.
	pub async fn get_envelope(&self, content_id: &Id) -> Result<Bytes, ClientError> {
		let path = envelope_path(content_id, &self.key.public().0);
		Ok(self.send(Method::GET, &path, content_id, Vec::new()).await?.1)
	}

	/// The vault's id, which every signature covers (asked once, from `GET /health`).
	async fn vault_id(&self) -> Result<Id, ClientError> {
		let id = self
			.vault_id
			.get_or_try_init(|| async {
				let request = Request::get(format!("{}/health", self.base))
					.body(Full::new(Bytes::new()))
					.map_err(|error| ClientError::Unreachable(error.to_string()))?;
				let (_, body) = self.exchange(request).await?;
				let health: Health = parse(&body, "GET /health")?;
				let mut id = [0u8; 32];
				hex::decode_to_slice(health.vault_id.trim_start_matches("0x"), &mut id)
					.map_err(|_| ClientError::UnexpectedAnswer("GET /health"))?;
				Ok::<_, ClientError>(id)
			})
			.await?;
		Ok(*id)
	}

	/// Sends a request signed for `method`, `path`, `content_id` and `body`; the status and
	/// body of a success, or the vault's refusal.
	async fn send(
		&self,
		method: Method,
		path: &str,
		content_id: &Id,
		body: Vec<u8>,
	) -> Result<(StatusCode, Bytes), ClientError> {
		let vault_id = self.vault_id().await?;
		let timestamp = auth::unix_millis();
		let intent = Intent {
			method: method.as_str(),
			path,
			content_id,
			body_len: u64::try_from(body.len()).unwrap_or(u64::MAX),
			range: None,
		};
		let signature = self.key.sign(&auth::signing_payload(&vault_id, &intent, timestamp));
		let request = Request::builder()
			.method(method)
			.uri(format!("{}{path}", self.base))
			.header(auth::ACCOUNT_HEADER, format!("0x{}", hex::encode(self.key.public().0)))
			.header(auth::TIMESTAMP_HEADER, timestamp.to_string())
			.header(auth::SIGNATURE_HEADER, format!("0x{}", hex::encode(signature.0)))
			.header(header::CONTENT_TYPE, "application/octet-stream")
			.body(Full::new(Bytes::from(body)))
			.map_err(|error| ClientError::Unreachable(error.to_string()))?;
		self.exchange(request).await
	}

	async fn exchange(
		&self,
		request: Request<Full<Bytes>>,
	) -> Result<(StatusCode, Bytes), ClientError> {
		let unreachable = |error: String| ClientError::Unreachable(error);
		let response = tokio::time::timeout(self.timeout, self.http.request(request))
			.await
			.map_err(|_| unreachable(format!("no answer within {:?}", self.timeout)))?
			.map_err(|error| unreachable(error.to_string()))?;
		let status = response.status();
		let body = tokio::time::timeout(self.timeout, response.into_body().collect())
			.await
			.map_err(|_| unreachable("the answer did not finish".into()))?
			.map_err(|error| unreachable(error.to_string()))?
			.to_bytes();
		if status.is_success() {
			return Ok((status, body));
		}
		let refusal = serde_json::from_slice::<Refusal>(&body).unwrap_or_else(|_| Refusal {
			reason: "unknown".into(),
			message: String::from_utf8_lossy(&body).into_owned(),
		});
		Err(ClientError::Refused {
			status: status.as_u16(),
			reason: refusal.reason,
			message: refusal.message,
		})
	}
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8], what: &'static str) -> Result<T, ClientError> {
	serde_json::from_slice(body).map_err(|_| ClientError::UnexpectedAnswer(what))
}

/// Where the vault serves the object `content_id`.
pub fn object_path(content_id: &Id) -> String {
	format!("/objects/0x{}", hex::encode(content_id))
}

/// Where the vault keeps the envelope of `content_id` for `recipient`.
pub fn envelope_path(content_id: &Id, recipient: &Id) -> String {
	format!("/envelopes/0x{}/0x{}", hex::encode(content_id), hex::encode(recipient))
}
