//! The vault's HTTP interface:
//!
//! | route | what |
//! | --- | --- |
//! | `GET /health` | `{"status":"ok","vaultId":"0x…","backend":"filesystem"\|"s3","objects":n,"bytes":n}` |
//! | `GET /metrics` | Prometheus text: objects, bytes, requests by route and outcome, blob backend calls, and with `--follow-finalized` the followed head's number and age (chain lag) |
//! | `PUT /objects/{contentId}` | store a sealed object (signed by the uploader) |
//! | `GET /objects/{contentId}` | the object, or with `Range: bytes=a-b` one segment of it (206), to an account allowed to read it (signed) |
//! | `DELETE /objects/{contentId}` | erase it and its key envelopes (signed by the uploader, or by whoever the [`ReadPolicy`] lets erase it: the record's patient); later reads get 410. 409 `replica-held` while the vault's provider holds a replica of it (its order is cancelled first), 503 `replicas-unknown` until the provider's duties first read its replicas |
//! | `PUT /envelopes/{contentId}/{recipient}` | deposit the key envelope of an object for `recipient` (signed by whoever the policy lets deliver its key: the record's patient) |
//! | `GET /envelopes/{contentId}/{recipient}` | the envelope, to `recipient` only, when it may read the object |
//!
//! Every refusal is a 4xx with `{"reason": "<code>", "message": "<text>"}` and changes nothing.

use std::{
	collections::{BTreeMap, HashSet},
	future::Future,
	ops::Range,
	pin::Pin,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex, RwLock,
	},
	time::Duration,
};

use axum::{
	body::{Body, Bytes, HttpBody},
	extract::{Path, State},
	http::{header, HeaderMap, StatusCode},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use futures_util::StreamExt;
use medchain_seal::{object::HEADER_LEN, ContentIdHasher};
use serde_json::json;

use crate::{
	auth::{AuthError, Intent, Signed, Verifier},
	envelopes::{EnvelopePut, EnvelopeStore, ENVELOPE_LEN},
	receipts::{receipt_of, ReceiptLog},
	store::{Id, Put, Store, StoreError},
};

/// Limits an operator sets.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
	/// Largest object accepted, in bytes.
	pub max_object_bytes: u64,
	/// Bytes one account may store.
	pub quota_bytes: u64,
	/// Longest wait for the next bytes of an upload's body: a client that stops sending is cut
	/// off (408) instead of holding its upload open for as long as it likes.
	pub body_idle: Duration,
	/// Bytes that all uploads in progress may declare together: what `DIR/uploads` may hold at
	/// once. An upload that would go over is refused at once (503 `uploads-busy`), before a byte
	/// of it is read, so parallel uploads cannot fill the disk, each within its own quota.
	pub max_staged_bytes: u64,
}

/// A decision of the [`ReadPolicy`], with the code and text a refusal gives the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
	Allow,
	Deny {
		/// Machine-readable code, the `reason` of the 403.
		reason: &'static str,
		/// What the caller can do about it.
		message: &'static str,
	},
}

impl Decision {
	/// A refusal with the general code `not-allowed`.
	pub const fn deny(message: &'static str) -> Self {
		Self::Deny { reason: "not-allowed", message }
	}
}

/// A decision still being made; `Err` means it could not be made (the chain could not be asked).
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<Decision, String>> + Send + 'a>>;

/// Who may read, erase and deliver the key of an object. The vault asks before it serves or
/// changes anything; an `Err` refuses as unavailable, never allows.
pub trait ReadPolicy: Send + Sync + 'static {
	/// Whether `reader` may read the object `content_id` uploaded by `uploader` (and, if it is
	/// the recipient, the object's key envelope).
	fn may_read<'a>(&'a self, reader: &'a Id, uploader: &'a Id, content_id: &'a Id) -> Pending<'a>;

	/// The finalized head this policy follows by subscription, if it follows one
	/// (`--follow-finalized`): its number and age are the vault's chain-lag metrics.
	fn followed_head(&self) -> Option<crate::heads::FollowedHead> {
		None
	}

	/// Whether `caller` may erase the object. By default its uploader only.
	fn may_erase<'a>(
		&'a self,
		caller: &'a Id,
		uploader: &'a Id,
		_content_id: &'a Id,
	) -> Pending<'a> {
		let decision = if caller == uploader {
			Decision::Allow
		} else {
			Decision::deny("only the uploader may erase this object")
		};
		Box::pin(std::future::ready(Ok(decision)))
	}

	/// Whether `caller` may deposit a key envelope of the object for `recipient`. By default
	/// nobody: who delivers a key is the chain's to say.
	fn may_deliver<'a>(
		&'a self,
		_caller: &'a Id,
		_uploader: &'a Id,
		_content_id: &'a Id,
		_recipient: &'a Id,
	) -> Pending<'a> {
		Box::pin(std::future::ready(Ok(Decision::deny(
			"key envelopes are delivered only on a vault that asks a chain (--node)",
		))))
	}
}

/// Without a node to ask (`--node` not given), only the account that uploaded an object may read
/// it back.
pub struct UploaderOnly;

impl ReadPolicy for UploaderOnly {
	fn may_read<'a>(
		&'a self,
		reader: &'a Id,
		uploader: &'a Id,
		_content_id: &'a Id,
	) -> Pending<'a> {
		let decision = if reader == uploader {
			Decision::Allow
		} else {
			Decision::deny("only the uploader may read this object on a vault without a chain")
		};
		Box::pin(std::future::ready(Ok(decision)))
	}
}

/// Shared state of the handlers.
pub struct Vault {
	pub store: Store,
	pub verifier: Verifier,
	pub limits: Limits,
	pub policy: Box<dyn ReadPolicy>,
	/// Key envelopes; without them the envelope routes answer 404 `envelopes-not-kept`.
	pub envelopes: Option<EnvelopeStore>,
	/// The receipts of the reads served, kept on a provider's vault (its duties report them).
	pub receipts: Option<ReceiptLog>,
	/// Content ids of the objects this vault's provider holds replicas of (kept by its duties):
	/// erasing one is refused until its storage order ends, or the provider would be slashed at
	/// the replica's next audit. `None` while the duties have not yet read them from the chain.
	replicas: RwLock<Option<HashSet<Id>>>,
	requests: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
	/// Bytes declared by the uploads in progress ([`Limits::max_staged_bytes`]).
	staged: AtomicU64,
}

impl Vault {
	pub fn new(
		store: Store,
		verifier: Verifier,
		limits: Limits,
		policy: Box<dyn ReadPolicy>,
	) -> Self {
		Self {
			store,
			verifier,
			limits,
			policy,
			envelopes: None,
			receipts: None,
			replicas: RwLock::new(Some(HashSet::new())),
			requests: Mutex::new(BTreeMap::new()),
			staged: AtomicU64::new(0),
		}
	}

	/// Holds `bytes` of the staging room for an upload until the returned guard is dropped,
	/// however the upload ends; refuses when the uploads in progress leave too little.
	fn stage(&self, bytes: u64) -> Result<Staged<'_>, Refusal> {
		let max = self.limits.max_staged_bytes;
		self.staged
			.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |held| {
				held.checked_add(bytes).filter(|total| *total <= max)
			})
			.map_err(|held| {
				Refusal::new(
					StatusCode::SERVICE_UNAVAILABLE,
					"uploads-busy",
					format!(
						"uploads in progress hold {held} of the {max} bytes this vault takes at \
						 once; retry later"
					),
				)
			})?;
		Ok(Staged { staged: &self.staged, bytes })
	}

	/// Keeps key envelopes in `envelopes` and serves the envelope routes.
	pub fn with_envelopes(mut self, envelopes: EnvelopeStore) -> Self {
		self.envelopes = Some(envelopes);
		self
	}

	/// Keeps the receipts of the reads it serves in `log` (a provider's vault, whose vault id
	/// is the provider's account).
	pub fn with_receipts(mut self, log: ReceiptLog) -> Self {
		self.receipts = Some(log);
		self
	}

	/// A vault run for a provider whose duties keep its replicas: until they first read them
	/// from the chain, no object is erased (one held as a replica may be among them).
	pub fn with_provider_duties(mut self) -> Self {
		self.replicas = RwLock::new(None);
		self
	}

	/// Whether this vault's provider holds a replica of `id`, as far as its duties know.
	pub fn holds_replica(&self, id: &Id) -> bool {
		self.replicas
			.read()
			.unwrap_or_else(|poisoned| poisoned.into_inner())
			.as_ref()
			.is_some_and(|ids| ids.contains(id))
	}

	/// Whether the provider's duties have read its replicas from the chain (always, for a vault
	/// run without them).
	pub fn replicas_known(&self) -> bool {
		self.replicas.read().unwrap_or_else(|poisoned| poisoned.into_inner()).is_some()
	}

	/// The content ids this vault's provider holds replicas of, as its duties last saw them.
	pub fn set_replicas(&self, ids: HashSet<Id>) {
		*self.replicas.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(ids);
	}

	/// Adds `id` as soon as a replica of it is taken (before the chain includes it).
	pub fn add_replica(&self, id: Id) {
		self.replicas
			.write()
			.unwrap_or_else(|poisoned| poisoned.into_inner())
			.get_or_insert_with(HashSet::new)
			.insert(id);
	}

	fn count(&self, route: &'static str, outcome: &'static str) {
		let mut requests = self.requests.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let counter = requests.entry((route, outcome)).or_insert(0);
		*counter = counter.saturating_add(1);
	}
}

/// A refusal or failure, as the client sees it.
#[derive(Debug)]
pub struct Refusal {
	status: StatusCode,
	reason: &'static str,
	message: String,
	/// `Content-Range` of a 416: the object's size.
	content_range: Option<String>,
}

impl Refusal {
	fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
		Self { status, reason, message: message.into(), content_range: None }
	}
}

impl From<AuthError> for Refusal {
	fn from(error: AuthError) -> Self {
		Self::new(StatusCode::UNAUTHORIZED, error.reason(), error.to_string())
	}
}

impl From<StoreError> for Refusal {
	fn from(error: StoreError) -> Self {
		match error {
			StoreError::QuotaExceeded { .. } => {
				Self::new(StatusCode::FORBIDDEN, "quota-exceeded", error.to_string())
			},
			other => {
				tracing::error!(error = %other, "storage failure");
				Self::new(StatusCode::INTERNAL_SERVER_ERROR, "storage-failure", other.to_string())
			},
		}
	}
}

impl IntoResponse for Refusal {
	fn into_response(self) -> Response {
		let mut response =
			(self.status, Json(json!({ "reason": self.reason, "message": self.message })))
				.into_response();
		if let Some(range) = self.content_range.and_then(|range| range.parse().ok()) {
			response.headers_mut().insert(header::CONTENT_RANGE, range);
		}
		response
	}
}

/// The router over `vault`.
pub fn router(vault: Arc<Vault>) -> Router {
	Router::new()
		.route("/health", get(health))
		.route("/metrics", get(metrics))
		.route("/objects/{content_id}", get(get_object).put(put_object).delete(delete_object))
		.route("/envelopes/{content_id}/{recipient}", get(get_envelope).put(put_envelope))
		.with_state(vault)
}

async fn health(State(vault): State<Arc<Vault>>) -> Result<Response, Refusal> {
	let (objects, bytes) = blocking(&vault, |vault| vault.store.totals()).await?;
	Ok(Json(json!({
		"status": "ok",
		"vaultId": format!("0x{}", hex::encode(vault.verifier.vault_id())),
		"backend": vault.store.backend(),
		"objects": objects,
		"bytes": bytes,
	}))
	.into_response())
}

async fn metrics(State(vault): State<Arc<Vault>>) -> Result<Response, Refusal> {
	let (objects, bytes) = blocking(&vault, |vault| vault.store.totals()).await?;
	let mut text = format!(
		"# HELP medchain_vault_objects Sealed objects stored.\n# TYPE medchain_vault_objects gauge\nmedchain_vault_objects {objects}\n\
		 # HELP medchain_vault_bytes Bytes of sealed objects stored.\n# TYPE medchain_vault_bytes gauge\nmedchain_vault_bytes {bytes}\n\
		 # HELP medchain_vault_upload_staged_bytes Bytes declared by the uploads in progress.\n# TYPE medchain_vault_upload_staged_bytes gauge\nmedchain_vault_upload_staged_bytes {}\n\
		 # HELP medchain_vault_requests_total Requests by route and outcome.\n# TYPE medchain_vault_requests_total counter\n",
		vault.staged.load(Ordering::SeqCst)
	);
	let requests = vault.requests.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
	for ((route, outcome), count) in requests {
		text.push_str(&format!(
			"medchain_vault_requests_total{{route=\"{route}\",outcome=\"{outcome}\"}} {count}\n"
		));
	}
	let backend = vault.store.backend();
	let calls = vault.store.blob_calls();
	text.push_str(
		"# HELP medchain_vault_blob_calls_total Calls to the blob backend by operation and outcome.\n\
		 # TYPE medchain_vault_blob_calls_total counter\n",
	);
	for ((operation, outcome), (count, _)) in &calls {
		text.push_str(&format!(
			"medchain_vault_blob_calls_total{{backend=\"{backend}\",operation=\"{operation}\",outcome=\"{outcome}\"}} {count}\n"
		));
	}
	text.push_str(
		"# HELP medchain_vault_blob_call_seconds_total Time spent in calls to the blob backend.\n\
		 # TYPE medchain_vault_blob_call_seconds_total counter\n",
	);
	for ((operation, outcome), (_, took)) in &calls {
		text.push_str(&format!(
			"medchain_vault_blob_call_seconds_total{{backend=\"{backend}\",operation=\"{operation}\",outcome=\"{outcome}\"}} {}\n",
			took.as_secs_f64()
		));
	}
	if let Some(head) = vault.policy.followed_head() {
		// How far behind the chain the vault decides: compare the number with the node's own
		// `substrate_block_height{status="finalized"}`; the age grows if announcements stop.
		text.push_str(&format!(
			"# HELP medchain_vault_followed_head_number The last finalized block the node announced to the vault (--follow-finalized).\n\
			 # TYPE medchain_vault_followed_head_number gauge\nmedchain_vault_followed_head_number {}\n\
			 # HELP medchain_vault_followed_head_age_seconds Seconds since the node last announced a finalized block.\n\
			 # TYPE medchain_vault_followed_head_age_seconds gauge\nmedchain_vault_followed_head_age_seconds {}\n",
			head.number,
			head.received.elapsed().as_secs_f64()
		));
	}
	Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}

async fn put_object(
	State(vault): State<Arc<Vault>>,
	Path(id_text): Path<String>,
	headers: HeaderMap,
	body: Body,
) -> Response {
	let outcome = put(&vault, &id_text, &headers, body).await;
	respond(&vault, "put", outcome)
}

/// The staging room one upload in progress holds; given back when dropped.
struct Staged<'a> {
	staged: &'a AtomicU64,
	bytes: u64,
}

impl Drop for Staged<'_> {
	fn drop(&mut self) {
		self.staged.fetch_sub(self.bytes, Ordering::SeqCst);
	}
}

/// Bytes of an upload gathered before they are written and hashed on a blocking thread, and of
/// an object read from the backend at a time while it is served: what one request holds.
const STREAM_PIECE: usize = 1 << 20;

/// Takes an upload as it arrives: its length is declared (`Content-Length`) and signed, so an
/// upload the vault would refuse (too large, over quota, erased) or need not take (already
/// stored) is answered before a byte of it is read; the framing is checked from the first
/// bytes; the bytes go to a file as they come, hashed on the way, never whole in memory.
async fn put(
	vault: &Arc<Vault>,
	id_text: &str,
	headers: &HeaderMap,
	body: Body,
) -> Result<Response, Refusal> {
	let declared = declared_length(&body)?;
	let (id, Signed { account: uploader, .. }) = signed(vault, "PUT", id_text, headers, declared)?;
	let max = vault.limits.max_object_bytes;
	if declared > max {
		return Err(Refusal::new(
			StatusCode::PAYLOAD_TOO_LARGE,
			"too-large",
			format!("an object may have at most {max} bytes, not {declared}"),
		));
	}
	let quota = vault.limits.quota_bytes;
	if let Some(known) =
		blocking(vault, move |vault| vault.store.precheck_put(&id, declared, &uploader, quota))
			.await?
	{
		return stored_answer(known);
	}
	let _staged = vault.stage(declared)?;
	let mut upload = blocking(vault, |vault| vault.store.begin_upload()).await?;
	let mut hasher = ContentIdHasher::new();
	let mut header = Vec::with_capacity(HEADER_LEN);
	let mut piece = Vec::with_capacity(STREAM_PIECE);
	let mut body = body.into_data_stream();
	let idle = vault.limits.body_idle;
	loop {
		let next = tokio::time::timeout(idle, body.next())
			.await
			.map_err(|_| {
				Refusal::new(
					StatusCode::REQUEST_TIMEOUT,
					"body-stalled",
					format!("no bytes of the body arrived for {} ms", idle.as_millis()),
				)
			})?
			.transpose()
			.map_err(|error| {
				Refusal::new(StatusCode::BAD_REQUEST, "body-cut-short", error.to_string())
			})?;
		if let Some(bytes) = &next {
			let received = hasher.len().saturating_add(piece.len() as u64);
			if received.saturating_add(bytes.len() as u64) > declared {
				return Err(Refusal::new(
					StatusCode::BAD_REQUEST,
					"length-mismatch",
					format!("the body is longer than the {declared} bytes signed for"),
				));
			}
			if header.len() < HEADER_LEN {
				let wanted = HEADER_LEN.saturating_sub(header.len()).min(bytes.len());
				header.extend_from_slice(bytes.get(..wanted).unwrap_or_default());
				if header.len() == HEADER_LEN {
					framed(&header, declared)?;
				}
			}
			piece.extend_from_slice(bytes);
		}
		if !piece.is_empty() && (next.is_none() || piece.len() >= STREAM_PIECE) {
			let taken = std::mem::take(&mut piece);
			(upload, hasher, piece) = blocking(vault, move |_| {
				upload.write(&taken)?;
				hasher.update(&taken);
				let mut emptied = taken;
				emptied.clear();
				Ok((upload, hasher, emptied))
			})
			.await?;
		}
		if next.is_none() {
			break;
		}
	}
	if hasher.len() != declared {
		return Err(Refusal::new(
			StatusCode::BAD_REQUEST,
			"length-mismatch",
			format!("the body has {} bytes, not the {declared} signed for", hasher.len()),
		));
	}
	framed(&header, declared)?;
	let actual = hasher.finish();
	if actual != id {
		return Err(Refusal::new(
			StatusCode::BAD_REQUEST,
			"content-id-mismatch",
			format!("the bytes have content id 0x{}, not the one in the path", hex::encode(actual)),
		));
	}
	let put =
		blocking(vault, move |vault| vault.store.put_upload(&id, upload, &uploader, quota)).await?;
	tracing::info!(content_id = %hex::encode(id), ?put, "upload");
	stored_answer(put)
}

/// The length of an upload, known before its bytes (`Content-Length`): required, since the
/// signature covers it.
fn declared_length(body: &Body) -> Result<u64, Refusal> {
	body.size_hint().exact().ok_or_else(|| {
		Refusal::new(
			StatusCode::LENGTH_REQUIRED,
			"length-required",
			"an upload states its length in Content-Length (the request signs it)",
		)
	})
}

/// The framing of an object of `len` bytes that begins with `header` (sealing-v1 §1).
fn framed(header: &[u8], len: u64) -> Result<(), Refusal> {
	medchain_seal::check_framing_of(header, len).map_err(|error| {
		Refusal::new(StatusCode::BAD_REQUEST, "malformed-object", error.to_string())
	})
}

fn stored_answer(put: Put) -> Result<Response, Refusal> {
	Ok(match put {
		Put::Created => (StatusCode::CREATED, Json(json!({ "stored": true }))).into_response(),
		Put::AlreadyStored => (StatusCode::OK, Json(json!({ "stored": false }))).into_response(),
		Put::Erased => return Err(gone()),
	})
}

async fn get_object(
	State(vault): State<Arc<Vault>>,
	Path(id_text): Path<String>,
	headers: HeaderMap,
) -> Response {
	let outcome = fetch(&vault, &id_text, &headers).await;
	respond(&vault, "get", outcome)
}

async fn fetch(
	vault: &Arc<Vault>,
	id_text: &str,
	headers: &HeaderMap,
) -> Result<Response, Refusal> {
	let (id, signed) = signed(vault, "GET", id_text, headers, 0)?;
	let reader = signed.account;
	let info = stored(vault, id)?;
	allowed(vault.policy.may_read(&reader, &info.uploader, &id).await)?;
	let size = info.size;
	let (status, range) = match requested_range(headers, size)? {
		Some(range) => (StatusCode::PARTIAL_CONTENT, range),
		None => (StatusCode::OK, 0..size),
	};
	let content_range = format!("bytes {}-{}/{size}", range.start, range.end.saturating_sub(1));
	let body = served(vault, id, range.clone()).await?;
	if let Some(log) = vault.receipts.as_ref() {
		note_receipt(log, vault.verifier.vault_id(), id_text, id, &signed, headers, &range);
	}
	tracing::info!(
		content_id = %hex::encode(id),
		reader = %hex::encode(reader),
		%content_range,
		"object served"
	);
	let mut response = (
		status,
		[
			(header::CONTENT_TYPE, "application/octet-stream".to_owned()),
			(header::CONTENT_LENGTH, range.end.saturating_sub(range.start).to_string()),
		],
		body,
	)
		.into_response();
	let headers = response.headers_mut();
	let extra = match status {
		StatusCode::PARTIAL_CONTENT => (header::CONTENT_RANGE, content_range.parse().ok()),
		_ => (header::ACCEPT_RANGES, Some(header::HeaderValue::from_static("bytes"))),
	};
	if let (name, Some(value)) = extra {
		headers.insert(name, value);
	}
	Ok(response)
}

/// Notes the receipt of a read served from the provider's vault `vault_id`: one the chain counts
/// (by a reader other than the provider, of the object's canonical path, see
/// [`crate::receipts::receipt_of`]).
fn note_receipt(
	log: &ReceiptLog,
	vault_id: Id,
	id_text: &str,
	id: Id,
	signed: &Signed,
	headers: &HeaderMap,
	served: &Range<u64>,
) {
	let canonical = pallet_storage_power::receipts::object_path(&sp_core::H256(id));
	if signed.account == vault_id || format!("/objects/{id_text}").as_bytes() != canonical {
		return;
	}
	let range = headers.get(header::RANGE).map(|range| range.as_bytes());
	let bytes = served.end.saturating_sub(served.start);
	if let Some(receipt) =
		receipt_of(signed.account, signed.timestamp_ms, id, range, bytes, signed.signature)
	{
		log.note(receipt);
	}
}

/// The bytes `range` of object `id` as a streamed body, read from the backend a piece at a
/// time: the first piece before the answer starts (so that a missing blob is a 404, not a body
/// cut short), the rest as the client takes them.
async fn served(vault: &Arc<Vault>, id: Id, range: Range<u64>) -> Result<Body, Refusal> {
	let range_end = range.end;
	let piece = move |start: u64| start..start.saturating_add(STREAM_PIECE as u64).min(range_end);
	let first = piece(range.start);
	let first_end = first.end;
	let bytes = blocking(vault, move |vault| vault.store.read_range(&id, first))
		.await?
		.ok_or_else(not_found)?;
	let vault = Arc::clone(vault);
	let rest = futures_util::stream::try_unfold(first_end, move |start| {
		let vault = Arc::clone(&vault);
		let next = piece(start);
		async move {
			if next.is_empty() {
				return Ok(None);
			}
			let end = next.end;
			match blocking(&vault, move |vault| vault.store.read_range(&id, next)).await {
				Ok(Some(bytes)) => Ok(Some((Bytes::from(bytes), end))),
				Ok(None) => Err(std::io::Error::other("the object was erased while being served")),
				Err(refusal) => Err(std::io::Error::other(refusal.message)),
			}
		}
	});
	let first = futures_util::stream::once(async move { Ok(Bytes::from(bytes)) });
	Ok(Body::from_stream(first.chain(rest)))
}

/// The index entry of the stored object `id`: 410 once erased, 404 if never stored. Looked up on
/// the request's own thread: an index read comes from redb's cache in microseconds, less than
/// the hand-off to a blocking thread and back that every read would otherwise pay.
fn stored(vault: &Vault, id: Id) -> Result<crate::store::ObjectInfo, Refusal> {
	match vault.store.info(&id)? {
		Some(info) => Ok(info),
		None if vault.store.erased_at(&id)?.is_some() => Err(gone()),
		None => Err(not_found()),
	}
}

/// A policy decision as the outcome of a request: 403 with its reason, or 503 when it could
/// not be made.
fn allowed(decision: Result<Decision, String>) -> Result<(), Refusal> {
	match decision {
		Ok(Decision::Allow) => Ok(()),
		Ok(Decision::Deny { reason, message }) => {
			Err(Refusal::new(StatusCode::FORBIDDEN, reason, message))
		},
		Err(error) => {
			tracing::warn!(%error, "policy decision unavailable");
			Err(Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "chain-unavailable", error))
		},
	}
}

/// The one byte range (`bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-SUFFIX`) that a `Range`
/// header asks of an object of `size` bytes, clamped to it; `None` without a header or for a
/// unit other than bytes (which HTTP says to ignore). Several ranges, a malformed one and one
/// that starts past the end are refused with 416.
fn requested_range(headers: &HeaderMap, size: u64) -> Result<Option<Range<u64>>, Refusal> {
	let Some(value) = headers.get(header::RANGE) else { return Ok(None) };
	let malformed = || {
		Refusal::new(
			StatusCode::RANGE_NOT_SATISFIABLE,
			"bad-range",
			"expected one range: bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX",
		)
	};
	let text = value.to_str().map_err(|_| malformed())?.trim();
	let Some(spec) = text.strip_prefix("bytes=") else { return Ok(None) };
	let (first, last) = spec.split_once('-').ok_or_else(malformed)?;
	let number = |digits: &str| {
		let digits = digits.trim();
		if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
			return Err(malformed());
		}
		digits.parse::<u64>().map_err(|_| malformed())
	};
	let range = match (first.trim().is_empty(), last.trim().is_empty()) {
		(false, false) => {
			let (first, last) = (number(first)?, number(last)?);
			if first > last {
				return Err(malformed());
			}
			first..last.saturating_add(1).min(size)
		},
		(false, true) => number(first)?..size,
		(true, false) => size.saturating_sub(number(last)?)..size,
		(true, true) => return Err(malformed()),
	};
	if range.start >= range.end {
		let mut refusal = Refusal::new(
			StatusCode::RANGE_NOT_SATISFIABLE,
			"range-not-satisfiable",
			format!("the object has {size} bytes"),
		);
		refusal.content_range = Some(format!("bytes */{size}"));
		return Err(refusal);
	}
	Ok(Some(range))
}

async fn delete_object(
	State(vault): State<Arc<Vault>>,
	Path(id_text): Path<String>,
	headers: HeaderMap,
) -> Response {
	let outcome = erase(&vault, &id_text, &headers).await;
	respond(&vault, "delete", outcome)
}

async fn erase(
	vault: &Arc<Vault>,
	id_text: &str,
	headers: &HeaderMap,
) -> Result<Response, Refusal> {
	let (id, Signed { account: caller, .. }) = signed(vault, "DELETE", id_text, headers, 0)?;
	let info = blocking(vault, move |vault| vault.store.info(&id)).await?.ok_or_else(not_found)?;
	allowed(vault.policy.may_erase(&caller, &info.uploader, &id).await)?;
	if !vault.replicas_known() {
		return Err(Refusal::new(
			StatusCode::SERVICE_UNAVAILABLE,
			"replicas-unknown",
			"this vault has not yet read its provider's replicas from the chain (it has just \
			 started, or has not reached its node since): try again shortly",
		));
	}
	if vault.holds_replica(&id) {
		return Err(Refusal::new(
			StatusCode::CONFLICT,
			"replica-held",
			"this vault's provider holds a replica of this object under a live storage order: \
			 its owner cancels the order (storagePower.cancel_order) first, then erases",
		));
	}
	blocking(vault, move |vault| vault.store.delete(&id)).await?;
	// The key goes with the ciphertext (crypto-shredding); a crash in between leaves envelopes
	// of an erased object, which are never served (their object answers 410 first).
	let envelopes = blocking(vault, move |vault| match &vault.envelopes {
		Some(envelopes) => envelopes.remove_object(&id),
		None => Ok(0),
	})
	.await?;
	tracing::info!(content_id = %hex::encode(id), caller = %hex::encode(caller), envelopes, "erased");
	Ok(StatusCode::NO_CONTENT.into_response())
}

async fn put_envelope(
	State(vault): State<Arc<Vault>>,
	Path((id_text, recipient_text)): Path<(String, String)>,
	headers: HeaderMap,
	body: Bytes,
) -> Response {
	let outcome = deliver(&vault, &id_text, &recipient_text, &headers, body).await;
	respond(&vault, "put-envelope", outcome)
}

async fn deliver(
	vault: &Arc<Vault>,
	id_text: &str,
	recipient_text: &str,
	headers: &HeaderMap,
	body: Bytes,
) -> Result<Response, Refusal> {
	let path = format!("/envelopes/{id_text}/{recipient_text}");
	let id = parse_content_id(id_text)?;
	let caller = signed_at(vault, "PUT", &path, id, headers, body.len() as u64)?.account;
	let recipient = parse_recipient(recipient_text)?;
	let envelope: [u8; ENVELOPE_LEN] = body.as_ref().try_into().map_err(|_| {
		Refusal::new(
			StatusCode::BAD_REQUEST,
			"malformed-envelope",
			format!("a key envelope is {ENVELOPE_LEN} bytes (sealing-v1 §5), not {}", body.len()),
		)
	})?;
	kept(vault)?;
	let info = stored(vault, id)?;
	allowed(vault.policy.may_deliver(&caller, &info.uploader, &id, &recipient).await)?;
	let put = blocking(vault, move |vault| match &vault.envelopes {
		Some(envelopes) => envelopes.put(&id, &recipient, &envelope),
		None => Ok(EnvelopePut::TooMany),
	})
	.await?;
	tracing::info!(content_id = %hex::encode(id), recipient = %hex::encode(recipient), ?put, "envelope");
	match put {
		EnvelopePut::Created => {
			Ok((StatusCode::CREATED, Json(json!({ "stored": true }))).into_response())
		},
		EnvelopePut::Replaced => {
			Ok((StatusCode::OK, Json(json!({ "stored": true }))).into_response())
		},
		EnvelopePut::TooMany => Err(Refusal::new(
			StatusCode::FORBIDDEN,
			"too-many-envelopes",
			"this object has as many key envelopes as a vault keeps for one object",
		)),
	}
}

async fn get_envelope(
	State(vault): State<Arc<Vault>>,
	Path((id_text, recipient_text)): Path<(String, String)>,
	headers: HeaderMap,
) -> Response {
	let outcome = fetch_envelope(&vault, &id_text, &recipient_text, &headers).await;
	respond(&vault, "get-envelope", outcome)
}

async fn fetch_envelope(
	vault: &Arc<Vault>,
	id_text: &str,
	recipient_text: &str,
	headers: &HeaderMap,
) -> Result<Response, Refusal> {
	let path = format!("/envelopes/{id_text}/{recipient_text}");
	let id = parse_content_id(id_text)?;
	let reader = signed_at(vault, "GET", &path, id, headers, 0)?.account;
	let recipient = parse_recipient(recipient_text)?;
	if reader != recipient {
		return Err(Refusal::new(
			StatusCode::FORBIDDEN,
			"not-recipient",
			"an envelope is served only to the account it was made for",
		));
	}
	kept(vault)?;
	let info = stored(vault, id)?;
	allowed(vault.policy.may_read(&reader, &info.uploader, &id).await)?;
	let envelope = blocking(vault, move |vault| match &vault.envelopes {
		Some(envelopes) => envelopes.get(&id, &recipient),
		None => Ok(None),
	})
	.await?
	.ok_or_else(|| {
		Refusal::new(
			StatusCode::NOT_FOUND,
			"no-envelope",
			"the patient has not delivered this object's key to this account here",
		)
	})?;
	tracing::info!(content_id = %hex::encode(id), reader = %hex::encode(reader), "envelope served");
	Ok(([(header::CONTENT_TYPE, "application/octet-stream")], envelope.to_vec()).into_response())
}

/// 404 unless this vault keeps envelopes.
fn kept(vault: &Vault) -> Result<(), Refusal> {
	match vault.envelopes {
		Some(_) => Ok(()),
		None => Err(Refusal::new(
			StatusCode::NOT_FOUND,
			"envelopes-not-kept",
			"this vault keeps no key envelopes",
		)),
	}
}

fn parse_recipient(text: &str) -> Result<Id, Refusal> {
	let mut id = [0u8; 32];
	hex::decode_to_slice(text.strip_prefix("0x").unwrap_or(text), &mut id).map_err(|_| {
		Refusal::new(
			StatusCode::BAD_REQUEST,
			"bad-recipient",
			"a recipient is a 32-byte account id in 0x-hex",
		)
	})?;
	Ok(id)
}

fn respond(vault: &Vault, route: &'static str, outcome: Result<Response, Refusal>) -> Response {
	match outcome {
		Ok(response) => {
			vault.count(route, "ok");
			response
		},
		Err(refusal) => {
			vault.count(route, refusal.reason);
			refusal.into_response()
		},
	}
}

fn not_found() -> Refusal {
	Refusal::new(
		StatusCode::NOT_FOUND,
		"not-found",
		"this vault holds no object with that content id",
	)
}

/// The content id in the path and the account that signed `method` on it with `body_len` bytes.
fn signed(
	vault: &Vault,
	method: &str,
	id_text: &str,
	headers: &HeaderMap,
	body_len: u64,
) -> Result<(Id, Signed), Refusal> {
	let id = parse_content_id(id_text)?;
	let signed = signed_at(vault, method, &format!("/objects/{id_text}"), id, headers, body_len)?;
	Ok((id, signed))
}

/// Who signed `method` on `path` (about object `id`) with `body_len` bytes, and the request's
/// `Range` header if it has one.
fn signed_at(
	vault: &Vault,
	method: &str,
	path: &str,
	id: Id,
	headers: &HeaderMap,
	body_len: u64,
) -> Result<Signed, Refusal> {
	let range = headers.get(header::RANGE).map(|range| range.as_bytes());
	Ok(vault
		.verifier
		.verify(headers, &Intent { method, path, content_id: &id, body_len, range })?)
}

fn gone() -> Refusal {
	Refusal::new(StatusCode::GONE, "erased", "this object was erased; its bytes are gone")
}

fn parse_content_id(text: &str) -> Result<Id, Refusal> {
	let mut id = [0u8; 32];
	hex::decode_to_slice(text.strip_prefix("0x").unwrap_or(text), &mut id).map_err(|_| {
		Refusal::new(
			StatusCode::BAD_REQUEST,
			"bad-content-id",
			"a content id is 32 bytes of 0x-hex",
		)
	})?;
	Ok(id)
}

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(
	vault: &Arc<Vault>,
	work: impl FnOnce(&Vault) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Refusal> {
	let vault = Arc::clone(vault);
	tokio::task::spawn_blocking(move || work(&vault))
		.await
		.map_err(|_| {
			Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "storage task failed")
		})?
		.map_err(Refusal::from)
}
