//! A provider's vault doing its chain duties ([`Duties`]): answering replica audits, taking
//! replicas of open orders, sending heartbeats. A fake node reports the provider's state, its
//! replicas and the open orders, and records what the vault submits; each test checks the
//! submitted extrinsic as the chain would: signed by the provider over the runtime's payload,
//! calling what the duty should (`prove_replica` with a segment whose path leads to the order's
//! content id, `take_replica` of an order whose object the vault holds, `heartbeat`).
// Tests may unwrap, panic, index and count freely: the runtime-safety lints (in clippy's
// restriction group) are for the vault's own code.
#![allow(clippy::restriction)]

use std::{
	io::Write,
	sync::{Arc, Mutex},
	time::Duration,
};

use axum::{extract::State, routing::post, Json, Router};
use codec::{Decode, Encode};
use medchain_runtime::{Runtime, RuntimeCall, SignedPayload, UncheckedExtrinsic};
use medchain_vault::{
	auth::Verifier,
	chain::ChainClient,
	duties::{load_key, Duties, Duty, DutyError, KeyError, Round, ALL_DUTIES},
	http::{router, Limits, UploaderOnly, Vault},
	receipts::ReceiptLog,
	store::Store,
};
use serde_json::{json, Value};
use sp_core::{
	crypto::{AccountId32, Ss58Codec},
	sr25519, Get, Pair, H256,
};
use sp_runtime::{generic::Preamble, traits::Verify, MultiAddress, MultiSignature};

const SPEC_VERSION: u32 = 100;
const TX_VERSION: u32 = 1;
const GENESIS: [u8; 32] = [0x42; 32];
const BEST: [u8; 32] = [0x5b; 32];
/// The fake chain's heartbeats per era (`EraLength / HeartbeatInterval`).
const EXPECTED_HEARTBEATS: u32 = 6;

/// What the fake node holds: its best block's number, the provider's state (at that block) and
/// replicas, the pages of open orders by their first id, and what the vault asked and submitted.
#[derive(Default)]
struct Node {
	best: Mutex<u64>,
	replicas: Mutex<Value>,
	provider: Mutex<Value>,
	open_orders: Mutex<Vec<(u64, Value)>>,
	pages_asked: Mutex<Vec<u64>>,
	submitted: Mutex<Vec<String>>,
	/// The answer to `state_queryStorageAt` instead of [`chain_parameters`], if set.
	schedule: Mutex<Option<Value>>,
	/// Storage beside the chain parameters: `(key, value)`.
	storage: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

async fn rpc(State(node): State<Arc<Node>>, Json(request): Json<Value>) -> Json<Value> {
	let result = match request["method"].as_str().unwrap() {
		"storagePower_replicasOf" => node.replicas.lock().unwrap().clone(),
		"storagePower_provider" => {
			assert_eq!(request["params"][1], json!(H256(BEST)), "read at the best block");
			node.provider.lock().unwrap().clone()
		},
		"storagePower_openOrders" => {
			let from = request["params"][0].as_u64().unwrap();
			assert_eq!(request["params"][1], json!(pallet_storage_power::MAX_OPEN_ORDERS));
			node.pages_asked.lock().unwrap().push(from);
			let pages = node.open_orders.lock().unwrap();
			let page = pages.iter().find(|(first, _)| *first == from).map(|(_, page)| page.clone());
			page.unwrap_or_else(|| json!({ "orders": [], "next": null }))
		},
		"state_queryStorageAt" if node.schedule.lock().unwrap().is_some() => {
			node.schedule.lock().unwrap().clone().unwrap()
		},
		"state_queryStorageAt" => {
			assert_eq!(request["params"][1], json!(H256(BEST)), "read at the best block");
			let asked: Vec<String> = serde_json::from_value(request["params"][0].clone()).unwrap();
			let held = chain_parameters().into_iter().chain(node.storage.lock().unwrap().clone());
			let changes: Vec<Value> = held
				.filter(|(key, _)| asked.contains(&format!("0x{}", hex::encode(key))))
				.map(|(key, value)| json!([sp_core::Bytes(key), sp_core::Bytes(value)]))
				.collect();
			json!([{ "block": H256(BEST), "changes": changes }])
		},
		"state_getKeysPaged" => {
			assert_eq!(request["params"][3], json!(H256(BEST)), "read at the best block");
			let prefix = request["params"][0].as_str().unwrap().to_owned();
			let keys: Vec<String> = node
				.storage
				.lock()
				.unwrap()
				.iter()
				.map(|(key, _)| format!("0x{}", hex::encode(key)))
				.filter(|key| key.starts_with(&prefix))
				.collect();
			json!(keys)
		},
		"system_accountNextIndex" => json!(7),
		"state_getRuntimeVersion" => {
			json!({ "specVersion": SPEC_VERSION, "transactionVersion": TX_VERSION })
		},
		"chain_getBlockHash" if request["params"] == json!([0]) => json!(H256(GENESIS)),
		"chain_getBlockHash" if request["params"] == json!([]) => json!(H256(BEST)),
		"chain_getHeader" => {
			assert_eq!(request["params"], json!([H256(BEST)]));
			json!({ "number": format!("0x{:x}", *node.best.lock().unwrap()) })
		},
		"author_submitExtrinsic" => {
			node.submitted.lock().unwrap().push(request["params"][0].as_str().unwrap().to_owned());
			json!(format!("0x{}", "ab".repeat(32)))
		},
		other => panic!("the vault asked the node for {other}"),
	};
	Json(json!({ "jsonrpc": "2.0", "id": request["id"], "result": result }))
}

struct Harness {
	duties: Duties,
	node: Arc<Node>,
	/// The fake node's URL.
	url: String,
	vault: Arc<Vault>,
	key: sr25519::Pair,
	_dir: tempfile::TempDir,
}

/// A provider's vault on the store in `dir` (opened, or reopened after a restart), as
/// `--provider-key` starts it: its id is the provider's account, and it keeps receipts.
fn vault_in(dir: &std::path::Path) -> Arc<Vault> {
	let (store, _) = Store::open(dir).unwrap();
	let receipts = ReceiptLog::open(&dir.join("receipts.redb")).unwrap();
	let verifier = Verifier::new(provider_key().public().0, Duration::from_secs(60));
	let limits = Limits {
		max_object_bytes: 1 << 20,
		quota_bytes: 1 << 20,
		body_idle: Duration::from_secs(30),
		max_staged_bytes: 1 << 30,
	};
	Arc::new(
		Vault::new(store, verifier, limits, Box::new(UploaderOnly))
			.with_provider_duties()
			.with_receipts(receipts),
	)
}

fn provider_key() -> sr25519::Pair {
	sr25519::Pair::from_string("//Provider", None).unwrap()
}

async fn harness(duties: &[Duty]) -> Harness {
	let node = Arc::new(Node::default());
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	let app = Router::new().route("/", post(rpc)).with_state(Arc::clone(&node));
	tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	let dir = tempfile::tempdir().unwrap();
	let vault = vault_in(dir.path());
	let key = provider_key();
	let url = format!("http://{address}");
	let duties =
		Duties::new(ChainClient::new(&url).unwrap(), Arc::clone(&vault), key.clone(), duties);
	Harness { duties, node, url, vault, key, _dir: dir }
}

/// A sealed object of `len` content bytes, stored in the vault by an uploader.
/// Who uploaded the objects [`stored`] puts in the vault.
const UPLOADER: [u8; 32] = [1u8; 32];

fn stored(harness: &Harness, len: usize) -> medchain_seal::Sealed {
	let sealed = medchain_seal::seal(&vec![7u8; len]);
	harness.vault.store.put(&sealed.content_id, &sealed.object, &UPLOADER, 1 << 30).unwrap();
	sealed
}

fn replica(order_id: u64, content_id: &[u8; 32], audit: Option<(u32, u64)>) -> Value {
	json!({
		"orderId": order_id,
		"contentId": format!("0x{}", hex::encode(content_id)),
		"sizeBytes": 0,
		"since": 1,
		"audit": audit.map(|(segment, deadline)| json!([segment, deadline])),
	})
}

/// The extrinsic the vault submitted, checked as the chain checks a signed transaction.
fn submitted_call(harness: &Harness, index: usize) -> pallet_storage_power::Call<Runtime> {
	let hex = harness.node.submitted.lock().unwrap()[index].clone();
	let bytes = hex::decode(hex.trim_start_matches("0x")).unwrap();
	let extrinsic = UncheckedExtrinsic::decode(&mut &bytes[..]).unwrap();
	let Preamble::Signed(MultiAddress::Id(signer), MultiSignature::Sr25519(signature), extension) =
		extrinsic.preamble.clone()
	else {
		panic!("the vault submitted an unsigned extrinsic")
	};
	assert_eq!(signer, AccountId32::from(harness.key.public()));
	let implicit =
		((), SPEC_VERSION, TX_VERSION, H256(GENESIS), H256(GENESIS), (), (), (), None, ());
	let payload = SignedPayload::from_raw(extrinsic.function.clone(), extension, implicit);
	assert!(
		payload.using_encoded(|p| signature.verify(p, &harness.key.public())),
		"signed by the provider"
	);
	match extrinsic.function {
		RuntimeCall::StoragePower(call) => call,
		other => panic!("the vault submitted {other:?}"),
	}
}

#[tokio::test]
async fn an_open_audit_is_answered_with_the_segment_and_its_path_to_the_content_id() {
	let mut h = harness(&[Duty::Audits]).await;
	let sealed = stored(&h, 5_000);
	*h.node.replicas.lock().unwrap() = json!([
		replica(3, &sealed.content_id, Some((2, 40))),
		replica(4, &sealed.content_id, None)
	]);

	assert_eq!(h.duties.round().await.unwrap(), Round { answered: 1, ..Round::default() });
	let pallet_storage_power::Call::prove_replica { order_id, root, segment, siblings } =
		submitted_call(&h, 0)
	else {
		panic!("not prove_replica")
	};
	assert_eq!(order_id, 3);
	let proof = medchain_seal::SegmentProof {
		object_len: sealed.object.len() as u64,
		root: root.0,
		index: 2,
		segment: segment.into_inner(),
		siblings: siblings.into_iter().map(|s| s.0).collect(),
	};
	assert!(medchain_seal::verify_segment(&sealed.content_id, &proof), "the chain's check passes");

	// The objects held as replicas are the ones the vault refuses to erase.
	assert!(h.vault.holds_replica(&sealed.content_id));
	// The same audit is not answered twice while the answer is pending.
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	assert_eq!(h.node.submitted.lock().unwrap().len(), 1);
	// The next era's audit of the replica is answered again.
	*h.node.replicas.lock().unwrap() = json!([replica(3, &sealed.content_id, Some((0, 70)))]);
	assert_eq!(h.duties.round().await.unwrap().answered, 1);
	assert!(matches!(
		submitted_call(&h, 1),
		pallet_storage_power::Call::prove_replica { order_id: 3, .. }
	));
}

#[tokio::test]
async fn an_object_the_vault_lost_is_reported_and_nothing_is_submitted() {
	let mut h = harness(&[Duty::Audits]).await;
	let sealed = stored(&h, 2_000);
	assert!(h.vault.store.delete(&sealed.content_id).unwrap());
	let unknown = [9u8; 32];
	*h.node.replicas.lock().unwrap() =
		json!(
			[replica(1, &sealed.content_id, Some((0, 10))), replica(2, &unknown, Some((1, 10))),]
		);
	assert_eq!(h.duties.round().await.unwrap(), Round { lost: 2, ..Round::default() });
	assert!(h.node.submitted.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_node_answer_that_is_not_a_replica_list_fails_the_round() {
	let mut h = harness(&ALL_DUTIES).await;
	*h.node.replicas.lock().unwrap() = json!({ "not": "a list" });
	assert!(h.duties.round().await.is_err());
}

/// An active provider's state with `room` bytes its stake backs beyond its replicas, in slot
/// `slot` with its last heartbeat in `last`.
fn provider(room: u64, slot: u32, last: Option<u32>, heartbeats: u32) -> Value {
	json!({
		"status": "Active",
		"era": 3,
		"heartbeats": heartbeats,
		"expectedHeartbeats": EXPECTED_HEARTBEATS,
		"heartbeatSlot": slot,
		"lastHeartbeatSlot": last,
		"replicaBytes": 1_000,
		"backedBytes": 1_000 + room,
		"capacityGib": 100,
		"power": null,
		"unclaimedEras": 0,
	})
}

/// An open order the objects' uploader placed.
fn open_order(id: u64, content_id: &[u8; 32], size: usize, holders: &[&sr25519::Pair]) -> Value {
	open_order_by(UPLOADER, id, content_id, size, holders)
}

fn open_order_by(
	owner: [u8; 32],
	id: u64,
	content_id: &[u8; 32],
	size: usize,
	holders: &[&sr25519::Pair],
) -> Value {
	let holders: Vec<String> =
		holders.iter().map(|k| AccountId32::from(k.public()).to_ss58check()).collect();
	json!({
		"id": id,
		"owner": AccountId32::from(owner).to_ss58check(),
		"contentId": format!("0x{}", hex::encode(content_id)),
		"sizeBytes": size,
		"holders": holders,
	})
}

fn submitted_count(h: &Harness) -> usize {
	h.node.submitted.lock().unwrap().len()
}

#[tokio::test]
async fn the_vault_takes_a_replica_of_each_open_order_whose_object_it_holds_once() {
	let mut h = harness(&[Duty::Replicas]).await;
	let held = stored(&h, 3_000);
	let also_held = stored(&h, 4_000);
	let later = stored(&h, 5_000);
	let other = sr25519::Pair::from_string("//Other", None).unwrap();
	let size = held.object.len();
	*h.node.replicas.lock().unwrap() = json!([replica(6, &also_held.content_id, None)]);
	*h.node.provider.lock().unwrap() = provider(1 << 20, 0, Some(0), 1);
	// Two pages: the vault follows `next`, and skips orders of objects it does not hold, orders
	// it already holds a replica of, and second orders of an object it holds or takes (the
	// chain takes one replica of an object per provider).
	*h.node.open_orders.lock().unwrap() = vec![
		(
			0,
			json!({
				"orders": [
					open_order(2, &[9; 32], 100, &[]),
					open_order(5, &held.content_id, size, &[&other]),
					open_order(6, &also_held.content_id, also_held.object.len(), &[&h.key]),
					open_order(7, &also_held.content_id, also_held.object.len(), &[]),
				],
				"next": 1024,
			}),
		),
		(
			1024,
			json!({
				"orders": [
					open_order(1030, &later.content_id, later.object.len(), &[]),
					open_order(1031, &held.content_id, size, &[]),
				],
				"next": null,
			}),
		),
	];
	assert_eq!(h.duties.round().await.unwrap(), Round { taken: 2, ..Round::default() });
	assert_eq!(*h.node.pages_asked.lock().unwrap(), vec![0, 1024]);
	// Taken objects are kept from erasure at once.
	assert!(h.vault.holds_replica(&held.content_id) && h.vault.holds_replica(&later.content_id));
	assert!(matches!(
		submitted_call(&h, 0),
		pallet_storage_power::Call::take_replica { order_id: 5 }
	));
	assert!(matches!(
		submitted_call(&h, 1),
		pallet_storage_power::Call::take_replica { order_id: 1030 }
	));
	// While the takes are pending (the orders still look open, the replicas not yet listed), they
	// are not sent again, and their objects stay kept from erasure.
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	assert_eq!(submitted_count(&h), 2);
	assert!(h.vault.holds_replica(&held.content_id) && h.vault.holds_replica(&later.content_id));
	// Included, then ended (the order cancelled): the chain's list decides, and erasure is free.
	let also_held_replica = replica(6, &also_held.content_id, None);
	*h.node.replicas.lock().unwrap() =
		json!([replica(5, &held.content_id, None), also_held_replica.clone()]);
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	*h.node.replicas.lock().unwrap() = json!([also_held_replica]);
	*h.node.open_orders.lock().unwrap() = vec![(0, json!({ "orders": [], "next": null }))];
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	assert!(!h.vault.holds_replica(&held.content_id), "an ended replica's object may be erased");
	assert!(h.vault.holds_replica(&later.content_id), "a take not yet included is still kept");
	// With that replica gone, the object's other open order is the vault's to take.
	*h.node.open_orders.lock().unwrap() = vec![(
		0,
		json!({ "orders": [open_order(1031, &held.content_id, size, &[])], "next": null }),
	)];
	assert_eq!(h.duties.round().await.unwrap(), Round { taken: 1, ..Round::default() });
	assert!(matches!(
		submitted_call(&h, 2),
		pallet_storage_power::Call::take_replica { order_id: 1031 }
	));
}

#[tokio::test]
async fn of_an_objects_open_orders_the_uploaders_is_taken_before_a_strangers() {
	let mut h = harness(&[Duty::Replicas]).await;
	let ordered_twice = stored(&h, 3_000);
	let ordered_by_a_stranger = stored(&h, 4_000);
	let stranger = [2u8; 32];
	*h.node.replicas.lock().unwrap() = json!([]);
	*h.node.provider.lock().unwrap() = provider(1 << 20, 0, Some(0), 1);
	// A stranger's cheap order of the object comes first; the uploader's own comes on the next
	// page. The stranger's order of the other object is the only one it has.
	let (twice, twice_len) = (&ordered_twice.content_id, ordered_twice.object.len());
	let (other, other_len) =
		(&ordered_by_a_stranger.content_id, ordered_by_a_stranger.object.len());
	*h.node.open_orders.lock().unwrap() = vec![
		(
			0,
			json!({
				"orders": [
					open_order_by(stranger, 3, twice, twice_len, &[]),
					open_order_by(stranger, 4, other, other_len, &[]),
				],
				"next": 1024,
			}),
		),
		(1024, json!({ "orders": [open_order(1040, twice, twice_len, &[])], "next": null })),
	];
	assert_eq!(h.duties.round().await.unwrap(), Round { taken: 2, ..Round::default() });
	assert!(matches!(
		submitted_call(&h, 0),
		pallet_storage_power::Call::take_replica { order_id: 1040 }
	));
	assert!(matches!(
		submitted_call(&h, 1),
		pallet_storage_power::Call::take_replica { order_id: 4 }
	));
	assert_eq!(submitted_count(&h), 2, "the stranger's order of the first object is left");
}

#[tokio::test]
async fn an_order_naming_a_held_object_with_another_size_is_neither_taken_nor_reported_damaged() {
	let mut h = harness(&[Duty::Replicas]).await;
	let held = stored(&h, 3_000);
	let (id, len) = (&held.content_id, held.object.len());
	*h.node.replicas.lock().unwrap() = json!([]);
	*h.node.provider.lock().unwrap() = provider(1 << 20, 0, Some(0), 1);
	// Content ids are public: a stranger's order (or the uploader's own mistake) may name the
	// object with a size it does not have. Its audits could not be answered; it is passed over
	// quietly, and the order with the object's true size is taken.
	*h.node.open_orders.lock().unwrap() = vec![(
		0,
		json!({
			"orders": [
				open_order_by([2u8; 32], 3, id, len + 1, &[]),
				open_order(4, id, len - 1, &[]),
				open_order_by([2u8; 32], 5, id, len, &[]),
			],
			"next": null,
		}),
	)];
	assert_eq!(h.duties.round().await.unwrap(), Round { taken: 1, ..Round::default() });
	assert!(matches!(
		submitted_call(&h, 0),
		pallet_storage_power::Call::take_replica { order_id: 5 }
	));
	assert_eq!(submitted_count(&h), 1);
}

#[tokio::test]
async fn a_take_still_pending_at_a_restart_is_kept_from_erasure_by_the_restarted_vault() {
	let mut h = harness(&[Duty::Replicas]).await;
	let held = stored(&h, 3_000);
	*h.node.replicas.lock().unwrap() = json!([]);
	*h.node.provider.lock().unwrap() = provider(1 << 20, 0, Some(0), 1);
	*h.node.open_orders.lock().unwrap() = vec![(
		0,
		json!({ "orders": [open_order(5, &held.content_id, held.object.len(), &[])], "next": null }),
	)];
	assert_eq!(h.duties.round().await.unwrap().taken, 1);
	// The vault stops before the chain includes the take, and starts again on the same store.
	drop(h.duties);
	drop(h.vault);
	let vault = vault_in(h._dir.path());
	let chain = ChainClient::new(&h.url).unwrap();
	let mut duties = Duties::new(chain, Arc::clone(&vault), h.key.clone(), &[Duty::Replicas]);
	assert!(!vault.replicas_known(), "erasure waits for the first round");
	// The chain does not list the replica yet and the order still looks open: the restarted vault
	// keeps the object from erasure, and does not take it again.
	assert_eq!(duties.round().await.unwrap(), Round::default());
	assert!(vault.holds_replica(&held.content_id));
	assert_eq!(h.node.submitted.lock().unwrap().len(), 1);
	// Included: the chain's list decides from now on, and the store forgets the take.
	*h.node.replicas.lock().unwrap() = json!([replica(5, &held.content_id, None)]);
	duties.round().await.unwrap();
	assert!(vault.store.pending_takes().unwrap().is_empty());
	*h.node.replicas.lock().unwrap() = json!([]);
	duties.round().await.unwrap();
	assert!(!vault.holds_replica(&held.content_id), "an ended replica's object may be erased");
}

#[tokio::test]
async fn no_replica_is_taken_beyond_the_backed_bytes_or_of_bytes_the_vault_lost() {
	let mut h = harness(&[Duty::Replicas]).await;
	let big = stored(&h, 6_000);
	let lost = stored(&h, 2_000);
	std::fs::remove_file(h._dir.path().join("objects").join(hex::encode(lost.content_id))).unwrap();
	*h.node.replicas.lock().unwrap() = json!([]);
	*h.node.provider.lock().unwrap() = provider(big.object.len() as u64 - 1, 0, Some(0), 1);
	*h.node.open_orders.lock().unwrap() = vec![(
		0,
		json!({
			"orders": [
				open_order(1, &big.content_id, big.object.len(), &[]),
				open_order(2, &lost.content_id, lost.object.len(), &[]),
			],
			"next": null,
		}),
	)];
	// The lost object is reported to the operator; the one that does not fit is not.
	assert_eq!(h.duties.round().await.unwrap(), Round { damaged: 1, ..Round::default() });
	assert_eq!(submitted_count(&h), 0);
	// An unbonding provider takes nothing, whatever it holds.
	let mut unbonding = provider(1 << 20, 0, Some(0), 1);
	unbonding["status"] = json!({ "Unbonding": { "until": 9 } });
	*h.node.provider.lock().unwrap() = unbonding;
	*h.node.open_orders.lock().unwrap() = vec![(
		0,
		json!({
			"orders": [open_order(1, &big.content_id, big.object.len(), &[])],
			"next": null,
		}),
	)];
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
}

/// The storage-power timings the fake node's chain holds, as storage entries: a dev chain's
/// (30-block eras, 5-block heartbeat slots and challenge deadline), not the runtime's defaults (a
/// day, 100 and 100 blocks), so that the tests see the vault keep the chain's schedule.
fn chain_parameters() -> Vec<(Vec<u8>, Vec<u8>)> {
	use frame_support::traits::dynamic_params::AggregatedKeyValue;
	use medchain_runtime::configs::parameters::{storage_power, RuntimeParameters};
	[
		RuntimeParameters::StoragePower((storage_power::EraLength, 30).into()),
		RuntimeParameters::StoragePower((storage_power::HeartbeatInterval, 5).into()),
		RuntimeParameters::StoragePower((storage_power::ChallengeDeadline, 5).into()),
	]
	.into_iter()
	.map(|parameter| {
		let (key, value) = parameter.into_parts();
		(pallet_parameters::Parameters::<Runtime>::hashed_key_for(key), value.unwrap().encode())
	})
	.collect()
}

/// `f` run over the fake chain's parameters: the runtime's values there.
fn on_chain<R>(f: impl FnOnce() -> R) -> R {
	let mut ext = sp_io::TestExternalities::new_empty();
	for (key, value) in chain_parameters() {
		ext.insert(key, value);
	}
	ext.execute_with(f)
}

/// The chain's heartbeat interval, in blocks.
fn interval() -> u64 {
	on_chain(|| u64::from(<Runtime as pallet_storage_power::Config>::HeartbeatInterval::get()))
}

/// Block `offset` of heartbeat slot `slot` of era `era`, by the chain's schedule.
fn block(era: u32, slot: u64, offset: u64) -> u64 {
	let start = on_chain(|| pallet_storage_power::Pallet::<Runtime>::era_start(era));
	u64::from(start) + slot * interval() + offset
}

#[tokio::test]
async fn a_heartbeat_is_sent_once_for_the_slot_of_the_next_block_until_the_era_has_its_heartbeats()
{
	assert_eq!(
		on_chain(pallet_storage_power::Pallet::<Runtime>::expected_heartbeats),
		EXPECTED_HEARTBEATS
	);
	let mut h = harness(&[Duty::Heartbeats]).await;
	let last_slot = u64::from(EXPECTED_HEARTBEATS - 1);
	let at = |h: &Harness, best: u64, state: Value| {
		*h.node.best.lock().unwrap() = best;
		*h.node.provider.lock().unwrap() = state;
	};
	*h.node.replicas.lock().unwrap() = json!([]);
	at(&h, block(3, 2, 0), provider(0, 2, Some(1), 2));
	assert_eq!(h.duties.round().await.unwrap(), Round { heartbeats: 1, ..Round::default() });
	assert!(matches!(submitted_call(&h, 0), pallet_storage_power::Call::heartbeat {}));
	// Pending, then included: not sent again in the slot.
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	at(&h, block(3, 2, 1), provider(0, 2, Some(2), 3));
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	// At the slot's last block, the next block opens slot 3: its heartbeat goes now, once.
	at(&h, block(3, 2, interval() - 1), provider(0, 2, Some(2), 3));
	assert_eq!(h.duties.round().await.unwrap().heartbeats, 1);
	at(&h, block(3, 3, 0), provider(0, 3, Some(3), 4));
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	// None once the era has all it expects.
	at(&h, block(3, last_slot, 0), provider(0, 5, Some(4), EXPECTED_HEARTBEATS));
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	// At the era's last block, the first heartbeat of the next era.
	at(&h, block(4, 0, 0) - 1, provider(0, 5, Some(5), EXPECTED_HEARTBEATS));
	assert_eq!(h.duties.round().await.unwrap().heartbeats, 1);
	assert_eq!(submitted_count(&h), 3);
	// A provider the chain does not know sends nothing.
	*h.node.provider.lock().unwrap() = Value::Null;
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
}

#[tokio::test]
async fn a_schedule_holding_another_parameters_value_fails_the_round_and_sends_nothing() {
	let mut h = harness(&[Duty::Heartbeats]).await;
	*h.node.replicas.lock().unwrap() = json!([]);
	*h.node.best.lock().unwrap() = block(3, 2, 0);
	*h.node.provider.lock().unwrap() = provider(0, 2, Some(1), 2);
	// The era length's key holding the heartbeat interval's value (5 blocks, a valid number).
	let entries = chain_parameters();
	let swapped =
		json!([[sp_core::Bytes(entries[0].0.clone()), sp_core::Bytes(entries[1].1.clone())]]);
	*h.node.schedule.lock().unwrap() = Some(json!([{ "block": H256(BEST), "changes": swapped }]));
	assert!(matches!(
		h.duties.round().await,
		Err(DutyError::UnexpectedAnswer("state_queryStorageAt"))
	));
	assert_eq!(submitted_count(&h), 0);
	// With the chain's own answer the slot's heartbeat goes.
	*h.node.schedule.lock().unwrap() = None;
	assert_eq!(h.duties.round().await.unwrap(), Round { heartbeats: 1, ..Round::default() });
	assert_eq!(submitted_count(&h), 1);
}

#[tokio::test]
async fn the_era_is_reported_once_with_the_replicas_bytes_and_no_receipts_while_its_window_is_open()
{
	let mut h = harness(&[Duty::Reports]).await;
	let deadline =
		on_chain(|| u64::from(<Runtime as pallet_storage_power::Config>::ChallengeDeadline::get()));
	let era_end =
		|era| u64::from(on_chain(|| pallet_storage_power::Pallet::<Runtime>::era_end(era)));
	let at = |h: &Harness, best: u64, power: Value| {
		*h.node.best.lock().unwrap() = best;
		let mut state = provider(0, 0, None, 0);
		state["replicaBytes"] = json!(pallet_storage_power::GIB + 1);
		state["power"] = power;
		*h.node.provider.lock().unwrap() = state;
	};
	*h.node.replicas.lock().unwrap() = json!([]);
	// Too late in era 3: a report landing in its last ChallengeDeadline + 1 blocks is refused.
	at(&h, era_end(3) - deadline - 2, Value::Null);
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	// In the window: 1 GiB and a byte of replicas are 2 GiB used, the other 98 free.
	at(&h, block(3, 1, 0), Value::Null);
	assert_eq!(h.duties.round().await.unwrap(), Round { reports: 1, ..Round::default() });
	let pallet_storage_power::Call::submit_report {
		era,
		used_space_gib,
		free_space_gib,
		bytes_served,
		receipts_root,
		leaf_count,
	} = submitted_call(&h, 0)
	else {
		panic!("not submit_report")
	};
	assert_eq!((era, used_space_gib, free_space_gib), (3, 2, 98));
	assert_eq!((bytes_served, receipts_root, leaf_count), (0, H256::zero(), 0));
	// Pending, then included (the era's report has a power): not sent again.
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	at(&h, block(3, 1, 1), json!(7));
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	assert_eq!(submitted_count(&h), 1);
	// A provider with as many unclaimed eras as the chain keeps is not sent to be refused.
	let max_unclaimed: u32 = <Runtime as pallet_storage_power::Config>::MaxUnclaimedEras::get();
	at(&h, block(4, 0, 1), Value::Null);
	h.node.provider.lock().unwrap()["era"] = json!(4);
	h.node.provider.lock().unwrap()["unclaimedEras"] = json!(max_unclaimed);
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	assert_eq!(submitted_count(&h), 1);
}

#[test]
fn the_provider_key_file_holds_a_secret_uri() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("provider");
	std::fs::File::create(&path).unwrap().write_all(b"//Provider\n").unwrap();
	let key = load_key(&path).unwrap();
	assert_eq!(
		AccountId32::from(key.public()).to_ss58check(),
		AccountId32::from(sr25519::Pair::from_string("//Provider", None).unwrap().public())
			.to_ss58check()
	);
	std::fs::write(&path, "not a key").unwrap();
	assert!(matches!(load_key(&path), Err(KeyError::Invalid(_))));
	assert!(matches!(load_key(&dir.path().join("missing")), Err(KeyError::Read { .. })));
}

#[tokio::test]
async fn the_reads_served_in_the_last_era_are_reported_and_a_challenge_gets_the_receipt_of_its_byte(
) {
	use medchain_merkle::sum::compute_sum_root;
	use pallet_storage_power::{receipts, Challenge, Challenges, EraStartedAt};

	let mut h = harness(&[Duty::Reports, Duty::Audits]).await;
	*h.node.replicas.lock().unwrap() = json!([]);
	// A reader stores two objects and reads them back, one whole and one in part, through the
	// vault's HTTP interface; under the default policy an uploader may read its own objects.
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	let app = router(Arc::clone(&h.vault));
	tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	let reader = sr25519::Pair::from_string("//Reader", None).unwrap();
	let client =
		medchain_vault::client::VaultClient::new(&format!("http://{address}"), reader.clone())
			.unwrap();
	let (first, second) = (medchain_seal::seal(&[1u8; 3_000]), medchain_seal::seal(&[2u8; 9_000]));
	for sealed in [&first, &second] {
		client.put_object(&sealed.content_id, sealed.object.clone()).await.unwrap();
	}
	let started = medchain_vault::auth::unix_millis();
	assert_eq!(client.get_object(&first.content_id).await.unwrap().len(), first.object.len());
	assert_eq!(client.get_object(&second.content_id).await.unwrap().len(), second.object.len());
	// The provider reading from its own vault is no receipt.
	let own = medchain_vault::client::VaultClient::new(&format!("http://{address}"), h.key.clone())
		.unwrap();
	let third = medchain_seal::seal(&[3u8; 1_000]);
	own.put_object(&third.content_id, third.object.clone()).await.unwrap();
	assert_eq!(own.get_object(&third.content_id).await.unwrap().len(), third.object.len());

	// Era 3 counts the reads signed in era 2: from its start to era 3's.
	let era_start = |era: u32, at: u64| (EraStartedAt::<Runtime>::hashed_key_for(era), at.encode());
	h.node
		.storage
		.lock()
		.unwrap()
		.extend([era_start(2, started - 1), era_start(3, started + 600_000)]);
	*h.node.best.lock().unwrap() = block(3, 1, 0);
	*h.node.provider.lock().unwrap() = provider(0, 0, None, 0);
	assert_eq!(h.duties.round().await.unwrap(), Round { reports: 1, ..Round::default() });
	let pallet_storage_power::Call::submit_report {
		era,
		bytes_served,
		receipts_root,
		leaf_count,
		..
	} = submitted_call(&h, 0)
	else {
		panic!("not submit_report")
	};
	assert_eq!(era, 3);
	assert_eq!(bytes_served, (first.object.len() + second.object.len()) as u64);
	assert_eq!(leaf_count, 2);

	// The chain challenges the last byte of the report: the second receipt by key covers it.
	let challenge = Challenge::<Runtime> {
		provider: AccountId32::from(h.key.public()),
		era: 3,
		issuer: None,
		deposit: 0,
		point: u32::MAX,
		deadline: block(3, 1, 5) as u32,
	};
	h.node
		.storage
		.lock()
		.unwrap()
		.push((Challenges::<Runtime>::hashed_key_for(17u64), challenge.encode()));
	*h.node.best.lock().unwrap() = block(3, 1, 1);
	h.node.provider.lock().unwrap()["power"] = json!(7);
	assert_eq!(h.duties.round().await.unwrap(), Round { answered: 1, ..Round::default() });
	let pallet_storage_power::Call::respond_challenge { challenge_id, answer } =
		submitted_call(&h, 1)
	else {
		panic!("not respond_challenge")
	};
	assert_eq!((challenge_id, answer.leaf_index, answer.next.is_none()), (17, 1, true));
	// What the chain checks: the path to the report's root and sum, the byte, the signature.
	let leaf = receipts::receipt_leaf(&answer.receipt);
	let (root, offset) = compute_sum_root(leaf, 1, leaf_count, &answer.proof).unwrap();
	assert_eq!((root.hash, root.sum), (receipts_root, bytes_served));
	let last_byte = bytes_served - 1;
	assert!((offset..offset + leaf.sum).contains(&last_byte), "the receipt covers the byte");
	let receipt = answer.receipt;
	assert_eq!(receipt.reader, AccountId32::from(reader.public()));
	let payload = receipts::receipt_payload(&h.key.public().0, &receipt);
	assert!(receipt.signature.verify(&payload[..], &receipt.reader), "the reader's signature");
	// Answered once.
	assert_eq!(h.duties.round().await.unwrap(), Round::default());
	assert_eq!(submitted_count(&h), 2);
}
