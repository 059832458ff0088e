//! The vault's HTTP interface through its router: signed uploads whose bytes must match their
//! content id, reads only by allowed accounts, every refusal named and changing nothing.
// Tests may unwrap, panic, index and count freely: the runtime-safety lints (in clippy's
// restriction group) are for the vault's own code.
#![allow(clippy::restriction)]

use std::{
	pin::Pin,
	sync::Arc,
	task::{Context, Poll},
	time::Duration,
};

use axum::{
	body::{Body, Bytes, HttpBody},
	http::{Request, StatusCode},
	Router,
};
use http_body_util::BodyExt;
use hyper::body::{Frame, SizeHint};
use medchain_vault::{
	auth::{signing_payload, unix_millis, wallet_wrapped, Intent, Verifier},
	http::{router, Limits, UploaderOnly, Vault},
	store::Store,
};
use sp_core::{sr25519, Pair};
use tower::ServiceExt;

struct Harness {
	router: Router,
	vault: Arc<Vault>,
	vault_id: [u8; 32],
	_dir: tempfile::TempDir,
}

fn harness(limits: Limits) -> Harness {
	harness_with(limits, |vault| vault)
}

/// A harness whose vault `configure` sets up further.
fn harness_with(limits: Limits, configure: impl FnOnce(Vault) -> Vault) -> Harness {
	let dir = tempfile::tempdir().unwrap();
	let (store, _) = Store::open(dir.path()).unwrap();
	let vault_id = store.vault_id();
	let verifier = Verifier::new(vault_id, Duration::from_secs(60));
	let vault = Arc::new(configure(Vault::new(store, verifier, limits, Box::new(UploaderOnly))));
	Harness { router: router(Arc::clone(&vault)), vault, vault_id, _dir: dir }
}

const LIMITS: Limits = Limits {
	max_object_bytes: 1 << 20,
	quota_bytes: 1 << 20,
	body_idle: Duration::from_secs(30),
	max_staged_bytes: 1 << 30,
};

fn account(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(seed, None).unwrap()
}

impl Harness {
	fn request(
		&self,
		who: &sr25519::Pair,
		method: &str,
		id: &[u8; 32],
		body: Vec<u8>,
	) -> Request<Body> {
		self.request_at(who, method, id, body, unix_millis())
	}

	fn request_at(
		&self,
		who: &sr25519::Pair,
		method: &str,
		id: &[u8; 32],
		body: Vec<u8>,
		timestamp: u64,
	) -> Request<Body> {
		self.signed(who, method, id, body, timestamp, None)
	}

	/// A GET of `id` with the `Range` header `range`, signed with it.
	fn ranged(&self, who: &sr25519::Pair, id: &[u8; 32], range: &str) -> Request<Body> {
		self.signed(who, "GET", id, vec![], unix_millis(), Some(range))
	}

	fn signed(
		&self,
		who: &sr25519::Pair,
		method: &str,
		id: &[u8; 32],
		body: Vec<u8>,
		timestamp: u64,
		range: Option<&str>,
	) -> Request<Body> {
		let path = format!("/objects/0x{}", hex::encode(id));
		let intent = Intent {
			method,
			path: &path,
			content_id: id,
			body_len: body.len() as u64,
			range: range.map(str::as_bytes),
		};
		let signature = who.sign(&signing_payload(&self.vault_id, &intent, timestamp));
		let mut request = Request::builder()
			.method(method)
			.uri(&path)
			.header("x-medchain-account", format!("0x{}", hex::encode(who.public().0)))
			.header("x-medchain-timestamp", timestamp.to_string())
			.header("x-medchain-signature", format!("0x{}", hex::encode(signature.0)));
		if let Some(range) = range {
			request = request.header("range", range);
		}
		request.body(Body::from(body)).unwrap()
	}

	async fn send(&self, request: Request<Body>) -> (StatusCode, Vec<u8>) {
		let response = self.router.clone().oneshot(request).await.unwrap();
		let status = response.status();
		(status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
	}

	async fn refused(&self, request: Request<Body>, status: StatusCode, reason: &str) {
		let (got, body) = self.send(request).await;
		let json: serde_json::Value = serde_json::from_slice(&body)
			.unwrap_or_else(|_| panic!("{got}: {}", String::from_utf8_lossy(&body)));
		assert_eq!((got, json["reason"].as_str().unwrap()), (status, reason), "{json}");
	}

	async fn objects(&self) -> u64 {
		serde_json::from_str::<serde_json::Value>(&self.text("/health").await).unwrap()["objects"]
			.as_u64()
			.unwrap()
	}

	async fn text(&self, path: &str) -> String {
		let (_, body) = self.send(Request::get(path).body(Body::empty()).unwrap()).await;
		String::from_utf8(body).unwrap()
	}
}

#[tokio::test]
async fn an_uploader_stores_once_and_reads_back_the_same_bytes() {
	let vault = harness(LIMITS);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(b"discharge letter");
	let (status, _) =
		vault.send(vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone())).await;
	assert_eq!(status, StatusCode::CREATED);
	let (status, _) =
		vault.send(vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone())).await;
	assert_eq!(status, StatusCode::OK, "idempotent by content id");
	let (status, bytes) =
		vault.send(vault.request(&alice, "GET", &sealed.content_id, vec![])).await;
	assert_eq!((status, &bytes), (StatusCode::OK, &sealed.object));
	let opened = medchain_seal::open(&sealed.data_key, &bytes).unwrap();
	assert_eq!(opened.commitment(), sealed.commitment);
	assert_eq!(vault.objects().await, 1);
}

#[tokio::test]
async fn bad_uploads_are_refused_by_name_and_store_nothing() {
	let vault = harness(LIMITS);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(b"lab result");
	let other = medchain_seal::seal(b"another");

	vault
		.refused(
			vault.request(&alice, "PUT", &other.content_id, sealed.object.clone()),
			StatusCode::BAD_REQUEST,
			"content-id-mismatch",
		)
		.await;
	// Without the key a vault can check the framing only: here, a last chunk shorter than a tag.
	let truncated = sealed.object[..24 + 16].to_vec();
	let truncated_id = medchain_seal::content_id(&truncated);
	vault
		.refused(
			vault.request(&alice, "PUT", &truncated_id, truncated),
			StatusCode::BAD_REQUEST,
			"malformed-object",
		)
		.await;
	let garbage = b"not a sealed object at all, just text".to_vec();
	let garbage_id = medchain_seal::content_id(&garbage);
	vault
		.refused(
			vault.request(&alice, "PUT", &garbage_id, garbage),
			StatusCode::BAD_REQUEST,
			"malformed-object",
		)
		.await;

	// A body whose length is not stated before it (sent chunked): the signature covers it.
	let mut unstated = vault.request(&alice, "PUT", &sealed.content_id, vec![]);
	let object = sealed.object.clone();
	*unstated.body_mut() =
		Body::from_stream(futures_util::stream::once(async { Ok::<_, std::io::Error>(object) }));
	vault.refused(unstated, StatusCode::LENGTH_REQUIRED, "length-required").await;

	// Signed by Alice, claimed by Bob; signed for another body length; unsigned; stale.
	let mut forged = vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone());
	forged.headers_mut().insert(
		"x-medchain-account",
		format!("0x{}", hex::encode(account("//Bob").public().0)).parse().unwrap(),
	);
	vault.refused(forged, StatusCode::UNAUTHORIZED, "bad-signature").await;
	let mut unsigned = vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone());
	unsigned.headers_mut().remove("x-medchain-signature");
	vault.refused(unsigned, StatusCode::UNAUTHORIZED, "missing-signature-header").await;
	let stale = vault.request_at(
		&alice,
		"PUT",
		&sealed.content_id,
		sealed.object.clone(),
		unix_millis() - 120_000,
	);
	vault.refused(stale, StatusCode::UNAUTHORIZED, "stale-timestamp").await;
	let request = Request::put("/objects/0x1234").body(Body::empty()).unwrap();
	vault.refused(request, StatusCode::BAD_REQUEST, "bad-content-id").await;

	assert_eq!(vault.objects().await, 0);
}

#[tokio::test]
async fn a_browser_wallet_signature_of_the_wrapped_payload_is_accepted() {
	let vault = harness(LIMITS);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(b"referral letter");
	let path = format!("/objects/0x{}", hex::encode(sealed.content_id));
	let put = |signed: Vec<u8>, timestamp: u64| {
		Request::put(&path)
			.header("x-medchain-account", format!("0x{}", hex::encode(alice.public().0)))
			.header("x-medchain-timestamp", timestamp.to_string())
			.header("x-medchain-signature", format!("0x{}", hex::encode(alice.sign(&signed).0)))
			.body(Body::from(sealed.object.clone()))
			.unwrap()
	};
	let intent = Intent {
		method: "PUT",
		path: &path,
		content_id: &sealed.content_id,
		body_len: sealed.object.len() as u64,
		range: None,
	};
	// Half a wrapping, or the wrapping around another payload, is no signature of this request.
	let timestamp = unix_millis();
	let payload = signing_payload(&vault.vault_id, &intent, timestamp);
	let prefix_only = [b"<Bytes>".as_slice(), payload.as_slice()].concat();
	vault.refused(put(prefix_only, timestamp), StatusCode::UNAUTHORIZED, "bad-signature").await;
	let other = signing_payload(&vault.vault_id, &Intent { body_len: 1, ..intent }, timestamp);
	vault
		.refused(put(wallet_wrapped(&other), timestamp), StatusCode::UNAUTHORIZED, "bad-signature")
		.await;
	assert_eq!(vault.objects().await, 0);
	// `<Bytes>` ‖ payload ‖ `</Bytes>`, as the polkadot.js extension signs raw bytes.
	let (status, _) = vault.send(put(wallet_wrapped(&payload), timestamp)).await;
	assert_eq!(status, StatusCode::CREATED);
	assert_eq!(vault.objects().await, 1);
}

#[tokio::test]
async fn a_replayed_request_is_refused() {
	let vault = harness(LIMITS);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(b"x-ray");
	let timestamp = unix_millis();
	let (status, _) = vault
		.send(vault.request_at(&alice, "PUT", &sealed.content_id, sealed.object.clone(), timestamp))
		.await;
	assert_eq!(status, StatusCode::CREATED);
	let first = vault.request_at(&alice, "GET", &sealed.content_id, vec![], timestamp);
	assert_eq!(vault.send(first).await.0, StatusCode::OK);
	// sr25519 signatures are randomised, so replaying means resending the same headers.
	let path = format!("/objects/0x{}", hex::encode(sealed.content_id));
	let intent = Intent {
		method: "GET",
		path: &path,
		content_id: &sealed.content_id,
		body_len: 0,
		range: None,
	};
	let signature = alice.sign(&signing_payload(&vault.vault_id, &intent, timestamp));
	let build = || {
		Request::get(&path)
			.header("x-medchain-account", format!("0x{}", hex::encode(alice.public().0)))
			.header("x-medchain-timestamp", timestamp.to_string())
			.header("x-medchain-signature", format!("0x{}", hex::encode(signature.0)))
			.body(Body::empty())
			.unwrap()
	};
	assert_eq!(vault.send(build()).await.0, StatusCode::OK);
	vault.refused(build(), StatusCode::UNAUTHORIZED, "replayed-request").await;
}

#[tokio::test]
async fn only_the_uploader_reads_or_erases_and_quota_and_size_hold() {
	let vault = harness(Limits { max_object_bytes: 4096, quota_bytes: 200, ..LIMITS });
	let (alice, bob) = (account("//Alice"), account("//Bob"));
	let sealed = medchain_seal::seal(b"prescription");
	assert_eq!(
		vault.send(vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone())).await.0,
		StatusCode::CREATED
	);
	vault
		.refused(
			vault.request(&bob, "GET", &sealed.content_id, vec![]),
			StatusCode::FORBIDDEN,
			"not-allowed",
		)
		.await;
	vault
		.refused(
			vault.request(&bob, "DELETE", &sealed.content_id, vec![]),
			StatusCode::FORBIDDEN,
			"not-allowed",
		)
		.await;

	let second = medchain_seal::seal(&[7u8; 100]);
	vault
		.refused(
			vault.request(&alice, "PUT", &second.content_id, second.object.clone()),
			StatusCode::FORBIDDEN,
			"quota-exceeded",
		)
		.await;
	let big = medchain_seal::seal(&[7u8; 5000]);
	vault
		.refused(
			vault.request(&bob, "PUT", &big.content_id, big.object.clone()),
			StatusCode::PAYLOAD_TOO_LARGE,
			"too-large",
		)
		.await;

	assert_eq!(
		vault.send(vault.request(&alice, "DELETE", &sealed.content_id, vec![])).await.0,
		StatusCode::NO_CONTENT
	);
	vault
		.refused(
			vault.request(&alice, "GET", &sealed.content_id, vec![]),
			StatusCode::GONE,
			"erased",
		)
		.await;
	vault
		.refused(
			vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone()),
			StatusCode::GONE,
			"erased",
		)
		.await;
	vault
		.refused(
			vault.request(&alice, "GET", &second.content_id, vec![]),
			StatusCode::NOT_FOUND,
			"not-found",
		)
		.await;
	// The erased bytes went back to Alice's quota.
	assert_eq!(
		vault.send(vault.request(&alice, "PUT", &second.content_id, second.object.clone())).await.0,
		StatusCode::CREATED
	);
}

#[tokio::test]
async fn an_object_held_as_a_replica_is_not_erased_until_its_order_ends() {
	let vault = harness_with(LIMITS, Vault::with_provider_duties);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(b"discharge letter");
	let put = vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone());
	assert_eq!(vault.send(put).await.0, StatusCode::CREATED);
	// A provider's vault just started: its duties have not read its replicas yet.
	vault
		.refused(
			vault.request(&alice, "DELETE", &sealed.content_id, vec![]),
			StatusCode::SERVICE_UNAVAILABLE,
			"replicas-unknown",
		)
		.await;
	// The provider's duties saw a replica of it: an erasure would make its next audit a miss.
	vault.vault.set_replicas([sealed.content_id].into());
	vault
		.refused(
			vault.request(&alice, "DELETE", &sealed.content_id, vec![]),
			StatusCode::CONFLICT,
			"replica-held",
		)
		.await;
	let get = vault.request(&alice, "GET", &sealed.content_id, vec![]);
	assert_eq!(vault.send(get).await, (StatusCode::OK, sealed.object.clone()));
	// The order was cancelled: the replica is gone from the duties' list, and erasure proceeds.
	vault.vault.set_replicas(Default::default());
	let delete = vault.request(&alice, "DELETE", &sealed.content_id, vec![]);
	assert_eq!(vault.send(delete).await.0, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_range_read_serves_one_segment_and_a_bad_range_is_refused() {
	let vault = harness(LIMITS);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(&[4u8; 3000]);
	let (id, object) = (sealed.content_id, sealed.object.clone());
	let size = object.len();
	assert_eq!(
		vault.send(vault.request(&alice, "PUT", &id, object.clone())).await.0,
		StatusCode::CREATED
	);
	let ranged = |range: &str| vault.ranged(&alice, &id, range);

	// An audit's segment, an open end, a suffix, and an end past the object (clamped).
	for (range, expected) in [
		("bytes=1024-2047", 1024..2048),
		("bytes=100-", 100..size),
		("bytes=-10", size - 10..size),
		("bytes=0-999999", 0..size),
	] {
		let response = vault.router.clone().oneshot(ranged(range)).await.unwrap();
		assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{range}");
		assert_eq!(
			response.headers()["content-range"],
			format!("bytes {}-{}/{size}", expected.start, expected.end - 1).as_str(),
		);
		let body = response.into_body().collect().await.unwrap().to_bytes();
		assert_eq!(body, object[expected], "{range}");
	}

	let past_end = vault.router.clone().oneshot(ranged(&format!("bytes={size}-"))).await.unwrap();
	assert_eq!(past_end.status(), StatusCode::RANGE_NOT_SATISFIABLE);
	assert_eq!(past_end.headers()["content-range"], format!("bytes */{size}").as_str());
	vault
		.refused(ranged("bytes=-0"), StatusCode::RANGE_NOT_SATISFIABLE, "range-not-satisfiable")
		.await;
	for malformed in ["bytes=0-1,5-6", "bytes=9-3", "bytes=-", "bytes=a-b", "bytes=+1-2"] {
		vault.refused(ranged(malformed), StatusCode::RANGE_NOT_SATISFIABLE, "bad-range").await;
	}
	// A unit other than bytes is ignored, as HTTP says: the whole object.
	let (status, body) = vault.send(ranged("items=0-5")).await;
	assert_eq!((status, body), (StatusCode::OK, object));
}

#[tokio::test]
async fn the_range_a_reader_asked_for_is_signed_and_cannot_be_moved_added_or_dropped() {
	let vault = harness(LIMITS);
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(&[5u8; 3000]);
	let id = sealed.content_id;
	assert_eq!(
		vault.send(vault.request(&alice, "PUT", &id, sealed.object.clone())).await.0,
		StatusCode::CREATED
	);
	// Moved: the signature was for another segment.
	let mut moved = vault.ranged(&alice, &id, "bytes=0-1023");
	moved.headers_mut().insert("range", "bytes=1024-2047".parse().unwrap());
	vault.refused(moved, StatusCode::UNAUTHORIZED, "bad-signature").await;
	// Added to a request signed for the whole object, or dropped from a ranged one.
	let mut added = vault.request(&alice, "GET", &id, vec![]);
	added.headers_mut().insert("range", "bytes=0-9".parse().unwrap());
	vault.refused(added, StatusCode::UNAUTHORIZED, "bad-signature").await;
	let mut dropped = vault.ranged(&alice, &id, "bytes=0-9");
	dropped.headers_mut().remove("range");
	vault.refused(dropped, StatusCode::UNAUTHORIZED, "bad-signature").await;
	// As signed, it is served.
	let (status, body) = vault.send(vault.ranged(&alice, &id, "bytes=1024-2047")).await;
	assert_eq!((status, body), (StatusCode::PARTIAL_CONTENT, sealed.object[1024..2048].to_vec()));
}

/// A body that states `len` bytes, sends `first` and then nothing more, never ending: a client
/// that stops sending in the middle of an upload.
struct StallingBody {
	first: Option<Bytes>,
	len: u64,
}

impl HttpBody for StallingBody {
	type Data = Bytes;
	type Error = std::io::Error;

	fn poll_frame(
		mut self: Pin<&mut Self>,
		_: &mut Context<'_>,
	) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
		match self.first.take() {
			Some(bytes) => Poll::Ready(Some(Ok(Frame::data(bytes)))),
			None => Poll::Pending,
		}
	}

	fn size_hint(&self) -> SizeHint {
		SizeHint::with_exact(self.len)
	}
}

#[tokio::test]
async fn attack_an_upload_that_stops_sending_is_cut_off_and_leaves_nothing() {
	let vault = harness(Limits { body_idle: Duration::from_millis(200), ..LIMITS });
	let alice = account("//Alice");
	let sealed = medchain_seal::seal(&[7u8; 100_000]);
	let mut stalled = vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone());
	*stalled.body_mut() = Body::new(StallingBody {
		first: Some(Bytes::copy_from_slice(&sealed.object[..4096])),
		len: sealed.object.len() as u64,
	});
	vault.refused(stalled, StatusCode::REQUEST_TIMEOUT, "body-stalled").await;
	assert_eq!(vault.objects().await, 0);
	let uploads = vault._dir.path().join("uploads");
	assert_eq!(std::fs::read_dir(uploads).unwrap().count(), 0, "the partial upload is removed");

	// The same upload sent whole is stored.
	let whole = vault.request(&alice, "PUT", &sealed.content_id, sealed.object.clone());
	assert_eq!(vault.send(whole).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn attack_parallel_uploads_cannot_stage_more_than_the_vault_takes_at_once() {
	// Room for one 100 KB upload at a time; each account within its own quota.
	let vault = harness(Limits {
		body_idle: Duration::from_millis(300),
		max_staged_bytes: 150_000,
		..LIMITS
	});
	let (alice, bob) = (account("//Alice"), account("//Bob"));
	let (first, second) =
		(medchain_seal::seal(&[7u8; 100_000]), medchain_seal::seal(&[8u8; 100_000]));
	let mut stalled = vault.request(&alice, "PUT", &first.content_id, first.object.clone());
	*stalled.body_mut() = Body::new(StallingBody {
		first: Some(Bytes::copy_from_slice(&first.object[..4096])),
		len: first.object.len() as u64,
	});
	let holding = tokio::spawn({
		let router = vault.router.clone();
		async move { router.oneshot(stalled).await.unwrap().status() }
	});
	tokio::time::sleep(Duration::from_millis(100)).await;
	let metrics = vault.text("/metrics").await;
	assert!(metrics.contains(&format!("medchain_vault_upload_staged_bytes {}", first.object.len())));

	// While the first holds its room, another account's upload does not fit: refused at once.
	let busy = vault.request(&bob, "PUT", &second.content_id, second.object.clone());
	vault.refused(busy, StatusCode::SERVICE_UNAVAILABLE, "uploads-busy").await;
	// A small one still fits beside it.
	let small = medchain_seal::seal(b"allergy: penicillin");
	let small_put = vault.request(&bob, "PUT", &small.content_id, small.object.clone());
	assert_eq!(vault.send(small_put).await.0, StatusCode::CREATED);

	// The stalled upload is cut off and gives its room back; the second upload is then taken.
	assert_eq!(holding.await.unwrap(), StatusCode::REQUEST_TIMEOUT);
	assert!(vault.text("/metrics").await.contains("medchain_vault_upload_staged_bytes 0"));
	let retried = vault.request(&bob, "PUT", &second.content_id, second.object.clone());
	assert_eq!(vault.send(retried).await.0, StatusCode::CREATED);
}
