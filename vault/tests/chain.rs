//! The vault deciding EHR reads, erasures and key deliveries with a chain. A fake node answers
//! what [`ChainPolicy`] asks over JSON-RPC (the finalized head, `ehr_readTicket`,
//! `dnaWallet_datasets`) with what the test says the chain holds; as on a real chain, every
//! change of what it holds comes with a new finalized head. Each test performs a read an
//! attacker would try and checks the vault's answer through its router.
// Tests may unwrap, panic, index and count freely: the runtime-safety lints (in clippy's
// restriction group) are for the vault's own code.
#![allow(clippy::restriction)]

use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};

use axum::{
	body::Body,
	extract::State,
	http::{Request, StatusCode},
	routing::post,
	Json, Router,
};
use http_body_util::BodyExt;
use medchain_vault::{
	auth::{signing_payload, unix_millis, Intent, Verifier},
	chain::{ChainClient, ChainPolicy},
	envelopes::{EnvelopeStore, ENVELOPE_LEN},
	http::{router, Limits, Vault},
	store::Store,
};
use serde_json::{json, Value};
use sp_core::{
	crypto::{AccountId32, Ss58Codec},
	sr25519, Pair,
};
use tower::ServiceExt;

/// What the fake node's chain holds: `ehr_readTicket` answers by (reader, content id), given as
/// the chain would only for the uploader that issued the record (it keeps one record per content
/// id and issuer), the DNA datasets of each owner, and who may decrypt which dataset; the number
/// of its finalized head, and how often each method was called.
#[derive(Default)]
struct Chain {
	tickets: Mutex<HashMap<(String, String), Value>>,
	datasets: Mutex<HashMap<String, Value>>,
	decrypters: Mutex<Vec<(u64, String)>>,
	finalized: AtomicU64,
	calls: Mutex<HashMap<String, usize>>,
}

impl Chain {
	/// A block that changes what the chain holds is finalized.
	fn finalize(&self) {
		self.finalized.fetch_add(1, Ordering::SeqCst);
	}

	fn calls(&self, method: &str) -> usize {
		self.calls.lock().unwrap().get(method).copied().unwrap_or(0)
	}
}

async fn rpc(State(chain): State<Arc<Chain>>, Json(request): Json<Value>) -> Json<Value> {
	let params = &request["params"];
	let method = request["method"].as_str().unwrap();
	*chain.calls.lock().unwrap().entry(method.to_owned()).or_default() += 1;
	let result = match method {
		"chain_getFinalizedHead" => {
			json!(format!("0x{:064x}", chain.finalized.load(Ordering::SeqCst)))
		},
		"ehr_readTicket" => {
			let key =
				(params[0].as_str().unwrap().to_owned(), params[1].as_str().unwrap().to_owned());
			let uploader = params[2].as_str().unwrap();
			let tickets = chain.tickets.lock().unwrap();
			tickets.get(&key).filter(|t| t["issuer"] == uploader).cloned().unwrap_or(Value::Null)
		},
		"dnaWallet_datasets" => {
			let owner = params[0].as_str().unwrap();
			chain.datasets.lock().unwrap().get(owner).cloned().unwrap_or_else(|| json!([]))
		},
		"dnaWallet_canDecrypt" => {
			let asked = (params[0].as_u64().unwrap(), params[1].as_str().unwrap().to_owned());
			json!(chain.decrypters.lock().unwrap().contains(&asked))
		},
		other => panic!("the vault asked the node for {other}"),
	};
	Json(json!({ "jsonrpc": "2.0", "id": request["id"], "result": result }))
}

struct Harness {
	router: Router,
	vault_id: [u8; 32],
	chain: Arc<Chain>,
	_dir: tempfile::TempDir,
}

fn account(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(seed, None).unwrap()
}

fn ss58(who: &sr25519::Pair) -> String {
	AccountId32::from(who.public().0).to_ss58check()
}

fn hex32(bytes: &[u8; 32]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A vault asking a fake node that holds `chain`; with `node: false` the node is unreachable.
async fn harness(node: bool) -> Harness {
	let chain = Arc::new(Chain::default());
	let url = if node {
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let address = listener.local_addr().unwrap();
		let app = Router::new().route("/", post(rpc)).with_state(Arc::clone(&chain));
		tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
		format!("http://{address}")
	} else {
		// Port 9 (discard) has nobody listening.
		"http://127.0.0.1:9".to_owned()
	};
	let dir = tempfile::tempdir().unwrap();
	let (store, _) = Store::open(dir.path()).unwrap();
	let vault_id = store.vault_id();
	let envelopes = EnvelopeStore::open(&dir.path().join("envelopes.redb")).unwrap();
	let policy = ChainPolicy::new(ChainClient::new(&url).unwrap());
	let limits = Limits {
		max_object_bytes: 1 << 20,
		quota_bytes: 1 << 20,
		body_idle: Duration::from_secs(30),
		max_staged_bytes: 1 << 30,
	};
	let verifier = Verifier::new(vault_id, Duration::from_secs(60));
	let vault = Vault::new(store, verifier, limits, Box::new(policy)).with_envelopes(envelopes);
	Harness { router: router(Arc::new(vault)), vault_id, chain, _dir: dir }
}

/// The chain's answer about `content_id` for `reader`: record 7 of `patient`, issued by
/// `issuer`, with `verdict` as the runtime API serialises it.
fn ticket(patient: &sr25519::Pair, issuer: &sr25519::Pair, verdict: Value) -> Value {
	json!({ "recordId": 7, "patient": ss58(patient), "issuer": ss58(issuer), "verdict": verdict })
}

impl Harness {
	fn chain_says(&self, reader: &sr25519::Pair, content_id: &[u8; 32], answer: Value) {
		self.chain.tickets.lock().unwrap().insert((ss58(reader), hex32(content_id)), answer);
		self.chain.finalize();
	}

	fn request(
		&self,
		who: &sr25519::Pair,
		method: &str,
		path: &str,
		content_id: &[u8; 32],
		body: Vec<u8>,
	) -> Request<Body> {
		let timestamp = unix_millis();
		let intent = Intent { method, path, content_id, body_len: body.len() as u64, range: None };
		let signature = who.sign(&signing_payload(&self.vault_id, &intent, timestamp));
		Request::builder()
			.method(method)
			.uri(path)
			.header("x-medchain-account", hex32(&who.public().0))
			.header("x-medchain-timestamp", timestamp.to_string())
			.header("x-medchain-signature", format!("0x{}", hex::encode(signature.0)))
			.body(Body::from(body))
			.unwrap()
	}

	async fn send(&self, request: Request<Body>) -> (StatusCode, Vec<u8>) {
		let response = self.router.clone().oneshot(request).await.unwrap();
		let status = response.status();
		(status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
	}

	async fn object(
		&self,
		who: &sr25519::Pair,
		method: &str,
		id: &[u8; 32],
		body: Vec<u8>,
	) -> (StatusCode, Vec<u8>) {
		self.send(self.request(who, method, &format!("/objects/{}", hex32(id)), id, body)).await
	}

	async fn envelope(
		&self,
		who: &sr25519::Pair,
		method: &str,
		id: &[u8; 32],
		recipient: &sr25519::Pair,
		body: Vec<u8>,
	) -> (StatusCode, Vec<u8>) {
		let path = format!("/envelopes/{}/{}", hex32(id), hex32(&recipient.public().0));
		self.send(self.request(who, method, &path, id, body)).await
	}
}

/// The status and machine-readable reason of a refusal.
fn refusal((status, body): (StatusCode, Vec<u8>)) -> (StatusCode, String) {
	let json: Value = serde_json::from_slice(&body)
		.unwrap_or_else(|_| panic!("{status}: {}", String::from_utf8_lossy(&body)));
	(status, json["reason"].as_str().unwrap().to_owned())
}

fn refused(status: StatusCode, reason: &str) -> (StatusCode, String) {
	(status, reason.to_owned())
}

fn logged() -> Value {
	json!({ "Logged": { "index": 3, "at": 41, "basis": "Grant" } })
}

#[tokio::test]
async fn a_record_object_is_served_to_its_patient_and_to_fresh_logged_readers_only() {
	let vault = harness(true).await;
	let (patient, hospital, doctor, lab, stranger) = (
		account("//Bob"),
		account("//Charlie"),
		account("//Dave"),
		account("//Eve"),
		account("//Ferdie"),
	);
	let sealed = medchain_seal::seal(b"consult note");
	let id = sealed.content_id;
	assert_eq!(
		vault.object(&hospital, "PUT", &id, sealed.object.clone()).await.0,
		StatusCode::CREATED
	);

	vault.chain_says(&patient, &id, ticket(&patient, &hospital, json!("Owner")));
	vault.chain_says(&doctor, &id, ticket(&patient, &hospital, logged()));
	vault.chain_says(
		&lab,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "ProviderSuspended" })),
	);
	vault.chain_says(
		&stranger,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "NotAuthorized" })),
	);
	vault.chain_says(
		&hospital,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "NotAuthorized" })),
	);

	assert_eq!(
		vault.object(&patient, "GET", &id, vec![]).await,
		(StatusCode::OK, sealed.object.clone())
	);
	assert_eq!(
		vault.object(&doctor, "GET", &id, vec![]).await,
		(StatusCode::OK, sealed.object.clone())
	);
	assert_eq!(
		refusal(vault.object(&lab, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "provider-suspended")
	);
	assert_eq!(
		refusal(vault.object(&stranger, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	// The hospital uploaded it, but reads only as a grantee would: every read is in the log.
	assert_eq!(
		refusal(vault.object(&hospital, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);

	// The doctor's logged read goes stale (or was never made): refused until logged again.
	vault.chain_says(&doctor, &id, ticket(&patient, &hospital, json!({ "Refused": "NotLogged" })));
	assert_eq!(
		refusal(vault.object(&doctor, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "access-not-logged")
	);
}

#[tokio::test]
async fn attack_naming_someone_elses_object_in_a_record_of_ones_own_opens_nothing() {
	let vault = harness(true).await;
	let (patient, hospital, mallory) =
		(account("//Bob"), account("//Charlie"), account("//Mallory"));
	let sealed = medchain_seal::seal(b"the victim's discharge letter");
	let id = sealed.content_id;
	assert_eq!(vault.object(&hospital, "PUT", &id, sealed.object).await.0, StatusCode::CREATED);
	// Mallory saw the content id in the pool and added a record of her own naming it first:
	// it governs only what Mallory uploads, so the vault asking for the hospital's finds none.
	vault.chain_says(&mallory, &id, ticket(&mallory, &mallory, json!("Owner")));
	assert_eq!(
		refusal(vault.object(&mallory, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	assert_eq!(
		refusal(vault.envelope(&mallory, "PUT", &id, &mallory, vec![1; ENVELOPE_LEN]).await),
		refused(StatusCode::FORBIDDEN, "no-record")
	);
	assert_eq!(
		refusal(vault.object(&mallory, "DELETE", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	// The hospital still adds its record (one per content id and issuer): the patient is served.
	vault.chain_says(&patient, &id, ticket(&patient, &hospital, json!("Owner")));
	assert_eq!(vault.object(&patient, "GET", &id, vec![]).await.0, StatusCode::OK);
}

#[tokio::test]
async fn key_envelopes_go_from_the_patient_to_their_recipient_only_when_it_may_read() {
	let vault = harness(true).await;
	let (patient, hospital, doctor, lab, stranger) = (
		account("//Bob"),
		account("//Charlie"),
		account("//Dave"),
		account("//Eve"),
		account("//Ferdie"),
	);
	let sealed = medchain_seal::seal(b"lab result");
	let id = sealed.content_id;
	let envelope = vec![0xE5; ENVELOPE_LEN];

	// Nothing to deliver a key for before the object is here.
	vault.chain_says(&patient, &id, ticket(&patient, &hospital, json!("Owner")));
	assert_eq!(
		refusal(vault.envelope(&patient, "PUT", &id, &doctor, envelope.clone()).await),
		refused(StatusCode::NOT_FOUND, "not-found")
	);
	assert_eq!(vault.object(&hospital, "PUT", &id, sealed.object).await.0, StatusCode::CREATED);

	// Only the patient delivers, and only whole envelopes.
	vault.chain_says(
		&hospital,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "NotAuthorized" })),
	);
	assert_eq!(
		refusal(vault.envelope(&hospital, "PUT", &id, &doctor, envelope.clone()).await),
		refused(StatusCode::FORBIDDEN, "not-the-patient")
	);
	assert_eq!(
		refusal(vault.envelope(&patient, "PUT", &id, &doctor, vec![0xE5; ENVELOPE_LEN - 1]).await),
		refused(StatusCode::BAD_REQUEST, "malformed-envelope")
	);
	let other = medchain_seal::seal(b"not on chain");
	assert_eq!(
		vault.object(&patient, "PUT", &other.content_id, other.object).await.0,
		StatusCode::CREATED
	);
	assert_eq!(
		refusal(
			vault.envelope(&patient, "PUT", &other.content_id, &doctor, envelope.clone()).await
		),
		refused(StatusCode::FORBIDDEN, "no-record")
	);
	// The hospital that sealed it hands the key to the patient, and to nobody else.
	let patients = vec![0xA7; ENVELOPE_LEN];
	assert_eq!(
		vault.envelope(&hospital, "PUT", &id, &patient, patients.clone()).await.0,
		StatusCode::CREATED
	);
	assert_eq!(
		vault.envelope(&patient, "GET", &id, &patient, vec![]).await,
		(StatusCode::OK, patients)
	);
	assert_eq!(
		vault.envelope(&patient, "PUT", &id, &doctor, envelope.clone()).await.0,
		StatusCode::CREATED
	);
	assert_eq!(
		vault.envelope(&patient, "PUT", &id, &doctor, envelope.clone()).await.0,
		StatusCode::OK
	);

	// The recipient with a fresh logged read gets it; nobody else does.
	vault.chain_says(&doctor, &id, ticket(&patient, &hospital, logged()));
	assert_eq!(
		vault.envelope(&doctor, "GET", &id, &doctor, vec![]).await,
		(StatusCode::OK, envelope.clone())
	);
	vault.chain_says(
		&stranger,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "NotAuthorized" })),
	);
	assert_eq!(
		refusal(vault.envelope(&stranger, "GET", &id, &doctor, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-recipient")
	);
	assert_eq!(
		refusal(vault.envelope(&stranger, "GET", &id, &stranger, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	vault.chain_says(&lab, &id, ticket(&patient, &hospital, logged()));
	assert_eq!(
		refusal(vault.envelope(&lab, "GET", &id, &lab, vec![]).await),
		refused(StatusCode::NOT_FOUND, "no-envelope")
	);
	// Revoked (or stale) at the finalized head: no key either.
	vault.chain_says(
		&doctor,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "NotAuthorized" })),
	);
	assert_eq!(
		refusal(vault.envelope(&doctor, "GET", &id, &doctor, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
}

#[tokio::test]
async fn the_patient_erases_an_object_another_uploaded_and_its_keys_go_with_it() {
	let vault = harness(true).await;
	let (patient, hospital, doctor) = (account("//Bob"), account("//Charlie"), account("//Dave"));
	let sealed = medchain_seal::seal(b"x-ray report");
	let id = sealed.content_id;
	assert_eq!(vault.object(&hospital, "PUT", &id, sealed.object).await.0, StatusCode::CREATED);
	vault.chain_says(&patient, &id, ticket(&patient, &hospital, json!("Owner")));
	vault.chain_says(&doctor, &id, ticket(&patient, &hospital, logged()));
	assert_eq!(
		vault.envelope(&patient, "PUT", &id, &doctor, vec![7; ENVELOPE_LEN]).await.0,
		StatusCode::CREATED
	);

	assert_eq!(
		refusal(vault.object(&doctor, "DELETE", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	assert_eq!(vault.object(&patient, "DELETE", &id, vec![]).await.0, StatusCode::NO_CONTENT);
	assert_eq!(
		refusal(vault.object(&doctor, "GET", &id, vec![]).await),
		refused(StatusCode::GONE, "erased")
	);
	assert_eq!(
		refusal(vault.envelope(&doctor, "GET", &id, &doctor, vec![]).await),
		refused(StatusCode::GONE, "erased")
	);
	assert_eq!(
		refusal(vault.object(&patient, "GET", &id, vec![]).await),
		refused(StatusCode::GONE, "erased")
	);
}

#[tokio::test]
async fn an_object_no_record_names_is_its_uploaders_only() {
	let vault = harness(true).await;
	let (alice, bob) = (account("//Alice"), account("//Bob"));
	let sealed = medchain_seal::seal(b"a draft");
	let id = sealed.content_id;
	assert_eq!(
		vault.object(&alice, "PUT", &id, sealed.object.clone()).await.0,
		StatusCode::CREATED
	);
	assert_eq!(vault.object(&alice, "GET", &id, vec![]).await, (StatusCode::OK, sealed.object));
	assert_eq!(
		refusal(vault.object(&bob, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
}

#[tokio::test]
async fn without_an_answer_from_the_chain_nothing_is_served_or_delivered() {
	let vault = harness(false).await;
	let (patient, doctor) = (account("//Bob"), account("//Dave"));
	let sealed = medchain_seal::seal(b"anything");
	let id = sealed.content_id;
	assert_eq!(vault.object(&patient, "PUT", &id, sealed.object).await.0, StatusCode::CREATED);
	for (who, method) in [(&patient, "GET"), (&doctor, "GET")] {
		assert_eq!(
			refusal(vault.object(who, method, &id, vec![]).await),
			refused(StatusCode::SERVICE_UNAVAILABLE, "chain-unavailable")
		);
	}
	assert_eq!(
		refusal(vault.envelope(&patient, "PUT", &id, &doctor, vec![1; ENVELOPE_LEN]).await),
		refused(StatusCode::SERVICE_UNAVAILABLE, "chain-unavailable")
	);
}

#[tokio::test]
async fn attack_an_ehr_record_naming_a_dna_dataset_object_does_not_block_its_share_holders() {
	let vault = harness(true).await;
	let (owner, clinician, mallory) = (account("//Bob"), account("//Dave"), account("//Mallory"));
	let sealed = medchain_seal::seal(b"##fileformat=VCFv4.2");
	let id = sealed.content_id;
	assert_eq!(
		vault.object(&owner, "PUT", &id, sealed.object.clone()).await.0,
		StatusCode::CREATED
	);
	vault
		.chain
		.datasets
		.lock()
		.unwrap()
		.insert(ss58(&owner), json!([{ "id": 3, "ciphertextHash": hex32(&id) }]));
	vault.chain.decrypters.lock().unwrap().push((3, ss58(&clinician)));
	vault.chain.finalize();
	// Mallory copies the dataset's public ciphertext hash into an EHR record of her own.
	vault.chain_says(
		&clinician,
		&id,
		ticket(&mallory, &mallory, json!({ "Refused": "NotAuthorized" })),
	);
	vault.chain_says(&mallory, &id, ticket(&mallory, &mallory, json!("Owner")));
	assert_eq!(vault.object(&clinician, "GET", &id, vec![]).await, (StatusCode::OK, sealed.object));
	assert_eq!(
		refusal(vault.object(&mallory, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
}

#[tokio::test]
async fn a_read_decision_holds_for_its_finalized_head_and_a_new_head_asks_again() {
	let vault = harness(true).await;
	let (patient, hospital, doctor) = (account("//Bob"), account("//Charlie"), account("//Dave"));
	let sealed = medchain_seal::seal(b"discharge letter");
	let id = sealed.content_id;
	assert_eq!(
		vault.object(&hospital, "PUT", &id, sealed.object.clone()).await.0,
		StatusCode::CREATED
	);
	vault.chain_says(&doctor, &id, ticket(&patient, &hospital, logged()));
	vault.chain_says(&patient, &id, ticket(&patient, &hospital, json!("Owner")));

	for _ in 0..3 {
		assert_eq!(
			vault.object(&doctor, "GET", &id, vec![]).await,
			(StatusCode::OK, sealed.object.clone())
		);
	}
	// Three reads at one head: the head asked each time, the record's ticket once.
	assert_eq!(vault.chain.calls("chain_getFinalizedHead"), 3);
	assert_eq!(vault.chain.calls("ehr_readTicket"), 1);
	// Another reader of the same object at the same head is a question of its own.
	assert_eq!(
		vault.object(&patient, "GET", &id, vec![]).await,
		(StatusCode::OK, sealed.object.clone())
	);
	assert_eq!(vault.chain.calls("ehr_readTicket"), 2);

	// The patient revokes the doctor: the first read at the head that holds it is refused.
	vault.chain_says(
		&doctor,
		&id,
		ticket(&patient, &hospital, json!({ "Refused": "NotAuthorized" })),
	);
	assert_eq!(
		refusal(vault.object(&doctor, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	assert_eq!(vault.chain.calls("ehr_readTicket"), 3);
	// A refusal is remembered at its head too.
	assert_eq!(
		refusal(vault.object(&doctor, "GET", &id, vec![]).await),
		refused(StatusCode::FORBIDDEN, "not-allowed")
	);
	assert_eq!(vault.chain.calls("ehr_readTicket"), 3);
}
