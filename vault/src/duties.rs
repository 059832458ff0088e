//! A storage provider's chain duties, done by its vault (`--provider-key`), each chosen with
//! `--duties` (all by default). Every `--duty-interval` the vault reads the provider's state at
//! the node's best block and:
//! - **audits**: for each open audit of a replica (`storagePower_replicasOf`) of an object it
//!   holds, reads the object, builds the audited segment's path to the content id
//!   ([`medchain_seal::segment_proof`]) and submits `StoragePower::prove_replica`. An object it
//!   does not hold (lost, deleted behind its back) cannot be proved: it logs the loss, and the
//!   chain settles the audit as missed at its deadline;
//! - **replicas**: pages through the live orders with a free place (`storagePower_openOrders`)
//!   and takes a replica (`take_replica`) of each whose object it holds intact (its bytes
//!   hash to the order's content id), within the bytes its capacity and stake back and the
//!   runtime's replica limit. So an order is re-replicated by itself when a holder fails;
//! - **heartbeats**: sends the provider's `heartbeat` once in each heartbeat slot of the era (the
//!   slot of the block it will be included in);
//! - **reports**: submits the provider's report of each era once, early in the era (the chain
//!   revalues it as replica audits pass and heartbeats land): the bytes of its replicas as used
//!   space, the rest of its capacity as free, and as bytes served the receipts of the reads it
//!   served in the previous era ([`crate::receipts`]: the reads signed between the chain's
//!   `EraStartedAt` of the previous era and of this one), committed as a Merkle-sum tree. With
//!   **audits** it answers the chain's challenges of that report with the receipt covering the
//!   challenged byte. The receipts of the reads served are written once a round.
//!
//! Reads signed in the last moments of an era may reach the vault after its report of the next
//! era was sent (a reader's clock may be up to `--max-clock-skew` behind): those are not
//! counted.
//!
//! Extrinsics are signed with the provider's key and built with the runtime's own types
//! (`medchain-runtime`): a vault is built for the runtime it serves, like the node.

use std::{
	collections::{HashMap, HashSet},
	sync::Arc,
	time::{Duration, Instant},
};

use medchain_runtime::RuntimeCall;
use serde::Deserialize;
use serde_json::{json, Value};
use sp_core::{
	crypto::{AccountId32, Ss58Codec},
	sr25519, Get, Pair, H256,
};

use crate::{
	chain::{ChainClient, ChainError},
	http::Vault,
	receipts::ReceiptTree,
	store::{Id, StoreError},
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

/// A provider duty the vault can do (`--duties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Duty {
	/// Answer the chain's audits of the provider's replicas.
	Audits,
	/// Take a replica of each live order with a free place whose object this vault holds.
	Replicas,
	/// Send the provider's heartbeat in each heartbeat slot.
	Heartbeats,
	/// Submit the provider's report of each era.
	Reports,
}

/// Every duty: what a provider's vault does unless told otherwise.
pub const ALL_DUTIES: [Duty; 4] = [Duty::Audits, Duty::Replicas, Duty::Heartbeats, Duty::Reports];

/// Pages of open orders read per round (each at most [`pallet_storage_power::MAX_OPEN_ORDERS`]
/// orders from at most [`pallet_storage_power::OPEN_ORDERS_SCAN`] ids); the next round goes on
/// where this one stopped.
const OPEN_ORDER_PAGES_PER_ROUND: u32 = 4;

/// Most challenge records read per round: the chain keeps at most `MaxChallengesPerEra` per
/// report and settles them within `ChallengeDeadline` blocks, so this is far more than open.
const MAX_CHALLENGES_READ: u32 = 1000;

/// How long an order the vault tried to take (or found damaged in its store) is left alone
/// before it is considered again: a refused `take_replica` costs a fee.
const RETAKE_AFTER: Duration = Duration::from_secs(60);

/// A replica as `storagePower_replicasOf` returns it (`pallet_storage_power::ReplicaView`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Replica {
	order_id: u64,
	content_id: H256,
	/// The open audit: `[segment, deadline block]`.
	audit: Option<(u32, u64)>,
}

/// The part of `storagePower_provider` (`pallet_storage_power::ProviderView`) the duties use.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProviderState {
	status: Value,
	era: u32,
	heartbeats: u32,
	expected_heartbeats: u32,
	last_heartbeat_slot: Option<u32>,
	replica_bytes: u64,
	backed_bytes: u64,
	capacity_gib: u64,
	/// The power of this era's report; `None` (JSON `null`): not reported yet.
	power: Option<Value>,
	unclaimed_eras: u32,
}

impl ProviderState {
	fn is_active(&self) -> bool {
		self.status == "Active"
	}

	/// Whether a heartbeat included in a block of heartbeat slot `(era, slot)` counts: the era
	/// expects more and the slot has none yet.
	fn heartbeat_due(&self, (era, slot): (u32, u32)) -> bool {
		if era != self.era {
			// The block opens the next era, which has no heartbeat yet.
			return era > self.era && self.expected_heartbeats > 0;
		}
		self.heartbeats < self.expected_heartbeats
			&& self.last_heartbeat_slot.is_none_or(|last| last < slot)
	}

	/// The report of this era: its replicas' bytes as used space (whole GiB, rounded up, within
	/// the capacity), the rest of the capacity as free, and the bytes served under `receipts`.
	fn report(
		&self,
		receipts: Option<&ReceiptTree>,
	) -> pallet_storage_power::Call<medchain_runtime::Runtime> {
		let used_space_gib =
			self.replica_bytes.div_ceil(pallet_storage_power::GIB).min(self.capacity_gib);
		pallet_storage_power::Call::submit_report {
			era: self.era,
			used_space_gib,
			free_space_gib: self.capacity_gib.saturating_sub(used_space_gib),
			bytes_served: receipts.map_or(0, |tree| tree.root().sum),
			receipts_root: receipts.map_or(H256::zero(), |tree| tree.root().hash),
			leaf_count: receipts.map_or(0, ReceiptTree::leaf_count),
		}
	}
}

/// The pallet, whose own schedule the duties follow (a vault is built for its runtime).
type StoragePower = pallet_storage_power::Pallet<medchain_runtime::Runtime>;

/// The chain's storage-power schedule at a block: the runtime parameters the pallet's schedule
/// reads (era length, heartbeat interval, challenge deadline), as the chain holds them there. The
/// pallet's own schedule functions run here over them, so the vault keeps the chain's timings
/// (a dev chain's 30-block eras, a production chain's daily ones) without repeating its rules.
struct Schedule(sp_io::TestExternalities);

impl Schedule {
	/// The storage keys of the parameters the schedule reads.
	fn keys() -> [Vec<u8>; 3] {
		use medchain_runtime::configs::parameters::storage_power::{
			ChallengeDeadline, EraLength, HeartbeatInterval, ParametersKey,
		};
		[
			ParametersKey::EraLength(EraLength),
			ParametersKey::HeartbeatInterval(HeartbeatInterval),
			ParametersKey::ChallengeDeadline(ChallengeDeadline),
		]
		.map(Self::storage_key)
	}

	/// Where the chain stores storage-power parameter `key`.
	fn storage_key(
		key: medchain_runtime::configs::parameters::storage_power::ParametersKey,
	) -> Vec<u8> {
		use medchain_runtime::configs::parameters::RuntimeParametersKey;
		pallet_parameters::Parameters::<medchain_runtime::Runtime>::hashed_key_for(
			RuntimeParametersKey::StoragePower(key),
		)
	}

	/// The schedule from `changes`, the answer of `state_queryStorageAt` for [`Schedule::keys`]:
	/// a parameter the chain does not hold has its default. An entry under another key, or a
	/// value that is not the named parameter's, is refused.
	fn from_changes(changes: Vec<StorageChanges>) -> Result<Self, DutyError> {
		use codec::DecodeAll;
		use medchain_runtime::configs::parameters::{
			storage_power::{ParametersKey, ParametersValue, *},
			RuntimeParametersValue,
		};
		let mut ext = sp_io::TestExternalities::new_empty();
		for (key, value) in changes.into_iter().flat_map(|block| block.changes) {
			let Some(value) = value else { continue };
			// The key the value belongs under: it must be the key it was found under.
			let own_key = match RuntimeParametersValue::decode_all(&mut value.0.as_slice()) {
				Ok(RuntimeParametersValue::StoragePower(parameter)) => Some(match parameter {
					ParametersValue::EraLength(_) => ParametersKey::EraLength(EraLength),
					ParametersValue::HeartbeatInterval(_) => {
						ParametersKey::HeartbeatInterval(HeartbeatInterval)
					},
					ParametersValue::ChallengeDeadline(_) => {
						ParametersKey::ChallengeDeadline(ChallengeDeadline)
					},
					ParametersValue::OrderDeposit(_) => ParametersKey::OrderDeposit(OrderDeposit),
					ParametersValue::ChallengeDeposit(_) => {
						ParametersKey::ChallengeDeposit(ChallengeDeposit)
					},
				}),
				_ => None,
			};
			if own_key.map(Self::storage_key).as_ref() != Some(&key.0) {
				return Err(DutyError::UnexpectedAnswer("state_queryStorageAt"));
			}
			ext.insert(key.0, value.0);
		}
		Ok(Schedule(ext))
	}

	/// Whether a report sent in block `number` lands in `era` while the era takes reports, by the
	/// pallet's own rule.
	fn report_window_open(&mut self, era: u32, number: u64) -> bool {
		let number = u32::try_from(number).unwrap_or(u32::MAX);
		self.0.execute_with(|| {
			StoragePower::era_of(number) == era && StoragePower::report_window_open(era, number)
		})
	}

	/// The (era, heartbeat slot) of block `number`, by the pallet's own schedule.
	fn heartbeat_slot_of(&mut self, number: u64) -> (u32, u32) {
		let number = u32::try_from(number).unwrap_or(u32::MAX);
		self.0.execute_with(|| {
			let era = StoragePower::era_of(number);
			(era, StoragePower::heartbeat_slot(number, era))
		})
	}
}

/// One block's entry of a `state_queryStorageAt` answer.
#[derive(Debug, Deserialize)]
struct StorageChanges {
	changes: Vec<(sp_core::Bytes, Option<sp_core::Bytes>)>,
}

/// An order as `storagePower_openOrders` returns it (`pallet_storage_power::OrderView`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenOrder {
	id: u64,
	owner: AccountId32,
	content_id: H256,
	size_bytes: u64,
	holders: Vec<AccountId32>,
}

/// A page of `storagePower_openOrders`.
#[derive(Debug, Clone, Deserialize)]
struct OpenOrders {
	orders: Vec<OpenOrder>,
	next: Option<u64>,
}

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
	/// Audits answered.
	pub answered: u32,
	/// Audits of objects this vault does not hold.
	pub lost: u32,
	/// Replicas taken (`take_replica` submitted).
	pub taken: u32,
	/// Heartbeats sent.
	pub heartbeats: u32,
	/// Reports submitted.
	pub reports: u32,
	/// Duties that could not be done this round (tried again later).
	pub failed: u32,
	/// Open orders of objects the store indexes but whose bytes are missing or damaged (no
	/// replica taken; the operator should restore them).
	pub damaged: u32,
}

/// Whether this vault holds an order's object.
#[derive(Clone, Copy)]
enum Holding {
	/// Not in the store, or of another size than the order says (an order anyone may place of a
	/// public content id: a mistaken or hostile one is not this vault's damage).
	No,
	/// In the index, but its bytes are missing or do not hash to the content id.
	Damaged,
	/// Intact; `uploader` is the account that put it in this vault.
	Yes { uploader: Id },
}

/// What a round may still take: replica places, backed bytes, and the objects held or being
/// taken.
struct Room {
	places: usize,
	bytes: u64,
	held: HashSet<H256>,
}

impl Room {
	/// Whether `order` fits: a place, its bytes, and an object not held yet.
	fn fits(&self, order: &OpenOrder) -> bool {
		self.places > 0 && order.size_bytes <= self.bytes && !self.held.contains(&order.content_id)
	}
}

/// The duties of one provider.
pub struct Duties {
	chain: ChainClient,
	vault: Arc<Vault>,
	key: sr25519::Pair,
	account: AccountId32,
	duties: HashSet<Duty>,
	/// Audits (order, deadline) already answered, so that a pending answer is not sent twice.
	answered: HashSet<(u64, u64)>,
	/// Orders tried and when, left alone for [`RETAKE_AFTER`]: with the content id of a take
	/// submitted (kept from erasure until the chain lists the replica), without for an object
	/// found damaged here.
	tried: HashMap<u64, (Instant, Option<Id>)>,
	/// The order id the next round's open-order pages start from.
	next_order: u64,
	/// The (era, slot) of the last heartbeat sent, so that a pending one is not sent twice.
	last_heartbeat: Option<(u32, u32)>,
	/// The era of the last report sent, so that a pending one is not sent twice.
	last_report: Option<u32>,
	/// The challenges of the provider's reports answered, so that a pending answer is not sent
	/// twice.
	answered_challenges: HashSet<u64>,
}

impl Duties {
	/// The `duties` of the provider whose key is `key`, done with `vault`'s objects.
	/// Takes noted in the store by an earlier run that may still be pending are kept from
	/// erasure as if taken in this one.
	pub fn new(chain: ChainClient, vault: Arc<Vault>, key: sr25519::Pair, duties: &[Duty]) -> Self {
		let account = AccountId32::from(key.public());
		let now = Instant::now();
		let tried = match vault.store.pending_takes() {
			Ok(takes) => takes
				.into_iter()
				.filter_map(|(order, id, age)| {
					let at = now.checked_sub(Duration::from_secs(age))?;
					Some((order, (at, Some(id))))
				})
				.collect(),
			Err(error) => {
				tracing::warn!(%error, "the pending replica takes could not be read");
				HashMap::new()
			},
		};
		Self {
			chain,
			vault,
			key,
			account,
			duties: duties.iter().copied().collect(),
			answered: HashSet::new(),
			tried,
			next_order: 0,
			last_heartbeat: None,
			last_report: None,
			answered_challenges: HashSet::new(),
		}
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
					taken = round.taken,
					heartbeats = round.heartbeats,
					reports = round.reports,
					failed = round.failed,
					damaged = round.damaged,
					"provider duties"
				),
				Ok(_) => {},
				Err(error) => tracing::warn!(%error, "provider duties: the round failed"),
			}
		}
	}

	/// Does each duty once: answers the open audits, sends a due heartbeat, takes replicas,
	/// reports the era.
	pub async fn round(&mut self) -> Result<Round, DutyError> {
		let mut round = Round::default();
		self.write_receipts();
		let replicas: Vec<Replica> =
			self.read("storagePower_replicasOf", json!([self.account()])).await?;
		self.guard_from_erasure(&replicas);
		if self.duties.contains(&Duty::Audits) {
			self.answer_audits(&replicas, &mut round).await;
		}
		if [Duty::Heartbeats, Duty::Replicas, Duty::Reports]
			.iter()
			.all(|d| !self.duties.contains(d))
		{
			return Ok(round);
		}
		let (best, number) = self.best_block().await?;
		let state: Option<ProviderState> =
			self.read("storagePower_provider", json!([self.account(), best])).await?;
		let Some(state) = state.filter(ProviderState::is_active) else { return Ok(round) };
		let keys: Vec<String> =
			Schedule::keys().iter().map(|key| format!("0x{}", hex::encode(key))).collect();
		let mut schedule =
			Schedule::from_changes(self.read("state_queryStorageAt", json!([keys, best])).await?)?;
		if self.duties.contains(&Duty::Heartbeats) {
			self.send_heartbeat(&state, &mut schedule, number.saturating_add(1), &mut round).await;
		}
		if self.duties.contains(&Duty::Reports) {
			let next = number.saturating_add(1);
			self.send_report(&state, &mut schedule, best, next, &mut round).await;
		}
		if self.duties.contains(&Duty::Audits) {
			self.answer_report_challenges(state.era, best, &mut round).await;
		}
		if self.duties.contains(&Duty::Replicas) {
			self.take_replicas(&state, &replicas, &mut round).await?;
		}
		Ok(round)
	}

	/// Keeps from erasure the objects held as `replicas` and those whose take may still be
	/// included: their audits would be missed.
	fn guard_from_erasure(&mut self, replicas: &[Replica]) {
		let now = Instant::now();
		let listed: HashSet<u64> = replicas.iter().map(|r| r.order_id).collect();
		let mut settled = Vec::new();
		self.tried.retain(|order, (at, taken)| {
			let expired = now.duration_since(*at) >= RETAKE_AFTER;
			// Included: from now on the chain's list says whether the replica is held.
			if taken.is_some() && (expired || listed.contains(order)) {
				*taken = None;
				settled.push(*order);
			}
			!expired
		});
		if let Err(error) = self.vault.store.forget_takes(&settled) {
			tracing::warn!(%error, "settled replica takes could not be forgotten in the store");
		}
		let mut kept: HashSet<Id> = replicas.iter().map(|r| r.content_id.0).collect();
		kept.extend(self.tried.values().filter_map(|(_, taken)| *taken));
		self.vault.set_replicas(kept);
	}

	/// Answers every open audit of the provider's replicas once.
	async fn answer_audits(&mut self, replicas: &[Replica], round: &mut Round) {
		let open: HashSet<(u64, u64)> = replicas
			.iter()
			.filter_map(|r| r.audit.map(|(_, deadline)| (r.order_id, deadline)))
			.collect();
		self.answered.retain(|audit| open.contains(audit));
		for replica in replicas {
			let Some((segment, deadline)) = replica.audit else { continue };
			if self.answered.contains(&(replica.order_id, deadline)) {
				continue;
			}
			match self.answer(replica, segment).await {
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
	}

	/// Sends the heartbeat of the slot of block `next`, the block a transaction sent now goes in,
	/// unless it is not due or was sent (it may still be pending). At a slot's last block that is
	/// the next slot's heartbeat: one for the closing slot would land in the next anyway.
	async fn send_heartbeat(
		&mut self,
		state: &ProviderState,
		schedule: &mut Schedule,
		next: u64,
		round: &mut Round,
	) {
		let slot = schedule.heartbeat_slot_of(next);
		if !state.heartbeat_due(slot) || self.last_heartbeat == Some(slot) {
			return;
		}
		let call = RuntimeCall::StoragePower(pallet_storage_power::Call::heartbeat {});
		match self.submit(call).await {
			Ok(hash) => {
				tracing::info!(era = slot.0, slot = slot.1, tx = %hash, "heartbeat sent");
				self.last_heartbeat = Some(slot);
				round.heartbeats = round.heartbeats.saturating_add(1);
			},
			Err(error) => {
				tracing::warn!(%error, "the heartbeat was not accepted");
				round.failed = round.failed.saturating_add(1);
			},
		}
	}

	/// Writes the receipts of the reads served since the last round.
	fn write_receipts(&self) {
		let Some(log) = self.vault.receipts.as_ref() else { return };
		match log.flush() {
			Ok(0) => {},
			Ok(written) => tracing::debug!(receipts = written, "receipts written"),
			Err(error) => {
				tracing::warn!(%error, "the receipts of the reads served could not be written")
			},
		}
	}

	/// The receipts tree the report of `era` commits: the reads signed between the chain's
	/// start of the previous era (0 for the first) and of `era`, as the chain holds them at
	/// `best`; kept in the log as the report's before it is sent. `None` without receipts.
	async fn receipts_tree(&self, era: u32, best: H256) -> Result<Option<ReceiptTree>, DutyError> {
		let Some(log) = self.vault.receipts.as_ref() else { return Ok(None) };
		let window = match era.checked_sub(1) {
			Some(previous) => self.era_started_at([previous, era], best).await?,
			None => self.era_started_at([era, era], best).await?.map(|(_, to)| (0, to)),
		};
		let Some((from, to)) = window else {
			tracing::info!(
				era,
				"the chain does not know when the previous era started: no bytes served reported"
			);
			return Ok(None);
		};
		let receipts = log.window(from, to)?;
		// Reads before the window count in no report from now on; the window's own stay, for a
		// report that has to be sent again.
		log.commit_report(era, &receipts, from)?;
		Ok(ReceiptTree::new(receipts))
	}

	/// The chain's `EraStartedAt` of `eras` at `best`, or `None` if it lacks either.
	async fn era_started_at(
		&self,
		eras: [u32; 2],
		best: H256,
	) -> Result<Option<(u64, u64)>, DutyError> {
		use codec::DecodeAll;
		let keys = eras.map(|era| {
			format!(
				"0x{}",
				hex::encode(
					pallet_storage_power::EraStartedAt::<medchain_runtime::Runtime>::hashed_key_for(
						era
					)
				)
			)
		});
		let found = self.storage_at(&keys, best).await?;
		let millis = |key: &String| -> Result<Option<u64>, DutyError> {
			found
				.get(key)
				.map(|value| u64::decode_all(&mut value.as_slice()))
				.transpose()
				.map_err(|_| DutyError::UnexpectedAnswer("state_queryStorageAt"))
		};
		Ok(millis(&keys[0])?.zip(millis(&keys[1])?))
	}

	/// The values the chain holds at `best` under `keys` (0x-hex storage keys), by key; a key it
	/// holds no value under, or one it was not asked for, is left out.
	async fn storage_at(
		&self,
		keys: &[String],
		best: H256,
	) -> Result<HashMap<String, Vec<u8>>, DutyError> {
		let changes: Vec<StorageChanges> =
			self.read("state_queryStorageAt", json!([keys, best])).await?;
		Ok(changes
			.into_iter()
			.flat_map(|block| block.changes)
			.filter_map(|(key, value)| Some((format!("0x{}", hex::encode(key.0)), value?.0)))
			.filter(|(key, _)| keys.contains(key))
			.collect())
	}

	/// Answers, once each, the open challenges of the provider's report of `era` (at `best`)
	/// with the receipt covering the challenged byte.
	async fn answer_report_challenges(&mut self, era: u32, best: H256, round: &mut Round) {
		// Without receipts the vault reports no bytes served: nothing of its reports to challenge.
		if self.vault.receipts.is_none() {
			return;
		}
		let challenges = match self.report_challenges(era, best).await {
			Ok(challenges) => challenges,
			Err(error) => {
				tracing::warn!(%error, "the challenges of the report could not be read");
				round.failed = round.failed.saturating_add(1);
				return;
			},
		};
		let open: HashSet<u64> = challenges.iter().map(|(id, _)| *id).collect();
		self.answered_challenges.retain(|id| open.contains(id));
		let unanswered: Vec<(u64, u32)> = challenges
			.into_iter()
			.filter(|(id, _)| !self.answered_challenges.contains(id))
			.collect();
		if unanswered.is_empty() {
			return;
		}
		// The report's tree, built once for all of this round's answers.
		let tree = match self.vault.receipts.as_ref().map(|log| log.reported(era)) {
			Some(Ok(receipts)) => receipts.and_then(ReceiptTree::new),
			Some(Err(error)) => {
				tracing::warn!(%error, era, "the report's receipts could not be read");
				round.failed = round.failed.saturating_add(1);
				return;
			},
			None => None,
		};
		for (id, point) in unanswered {
			let Some(answer) = tree.as_ref().and_then(|tree| tree.answer(point)) else {
				tracing::error!(
					challenge = id,
					era,
					"no receipts of this report are kept here: the challenge will be missed"
				);
				self.answered_challenges.insert(id);
				round.lost = round.lost.saturating_add(1);
				continue;
			};
			let call = pallet_storage_power::Call::respond_challenge { challenge_id: id, answer };
			match self.submit(RuntimeCall::StoragePower(call)).await {
				Ok(hash) => {
					tracing::info!(challenge = id, era, tx = %hash, "report challenge answered");
					self.answered_challenges.insert(id);
					round.answered = round.answered.saturating_add(1);
				},
				Err(error) => {
					tracing::warn!(challenge = id, %error, "the answer was not accepted");
					round.failed = round.failed.saturating_add(1);
				},
			}
		}
	}

	/// The open challenges `(id, point)` of the provider's report of `era` at `best`.
	async fn report_challenges(&self, era: u32, best: H256) -> Result<Vec<(u64, u32)>, DutyError> {
		use codec::Decode;
		use frame_support::storage::StoragePrefixedMap;
		type Challenges = pallet_storage_power::Challenges<medchain_runtime::Runtime>;
		let prefix = format!("0x{}", hex::encode(Challenges::final_prefix()));
		let keys: Vec<String> = self
			.read("state_getKeysPaged", json!([prefix, MAX_CHALLENGES_READ, Value::Null, best]))
			.await?;
		if keys.is_empty() {
			return Ok(Vec::new());
		}
		let mut found = Vec::new();
		for (key, value) in self.storage_at(&keys, best).await? {
			let challenge = pallet_storage_power::Challenge::<medchain_runtime::Runtime>::decode(
				&mut value.as_slice(),
			)
			.map_err(|_| DutyError::UnexpectedAnswer("state_queryStorageAt"))?;
			// Twox64Concat: the id is the key's last 8 bytes (16 hex digits).
			let id = key
				.len()
				.checked_sub(16)
				.and_then(|at| key.get(at..))
				.and_then(|digits| hex::decode(digits).ok())
				.and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
				.map(u64::from_le_bytes)
				.ok_or(DutyError::UnexpectedAnswer("state_queryStorageAt"))?;
			if challenge.provider == self.account && challenge.era == era {
				found.push((id, challenge.point));
			}
		}
		Ok(found)
	}

	/// Submits the era's report if it has none (and none is pending) and block `next`, where it
	/// lands, is in the era's report window.
	async fn send_report(
		&mut self,
		state: &ProviderState,
		schedule: &mut Schedule,
		best: H256,
		next: u64,
		round: &mut Round,
	) {
		if state.power.is_some()
			|| self.last_report == Some(state.era)
			|| !schedule.report_window_open(state.era, next)
		{
			return;
		}
		let max_unclaimed: u32 =
			<medchain_runtime::Runtime as pallet_storage_power::Config>::MaxUnclaimedEras::get();
		if state.unclaimed_eras >= max_unclaimed {
			// The chain would refuse it, for a fee: once per era, say what to do instead.
			tracing::warn!(
				era = state.era,
				unclaimed_eras = state.unclaimed_eras,
				"no report sent: the provider has as many unclaimed eras as the chain keeps; claim the rewards (claim_rewards) to report again"
			);
			self.last_report = Some(state.era);
			return;
		}
		let tree = match self.receipts_tree(state.era, best).await {
			Ok(tree) => tree,
			Err(error) => {
				tracing::warn!(%error, "the receipts of the last era could not be read: no report sent");
				round.failed = round.failed.saturating_add(1);
				return;
			},
		};
		let bytes_served = tree.as_ref().map_or(0, |tree| tree.root().sum);
		match self.submit(RuntimeCall::StoragePower(state.report(tree.as_ref()))).await {
			Ok(hash) => {
				tracing::info!(era = state.era, replica_bytes = state.replica_bytes, bytes_served, tx = %hash, "report sent");
				self.last_report = Some(state.era);
				round.reports = round.reports.saturating_add(1);
			},
			Err(error) => {
				tracing::warn!(%error, "the report was not accepted");
				round.failed = round.failed.saturating_add(1);
			},
		}
	}

	/// Takes a replica of each open order whose object this vault holds intact, while the
	/// provider's backed bytes and the runtime's replica limit leave room. The chain takes one
	/// replica of an object per provider, so of an object's open orders the one its uploader
	/// placed is taken first: anyone may order a public content id, and an order of the object
	/// placed by a stranger (a cheap one-era order, say) would otherwise keep the uploader's
	/// order from this provider's replica.
	async fn take_replicas(
		&mut self,
		state: &ProviderState,
		replicas: &[Replica],
		round: &mut Round,
	) -> Result<(), DutyError> {
		let limit: u32 = <medchain_runtime::Runtime as pallet_storage_power::Config>::MaxReplicasPerProvider::get();
		let mut room = Room {
			places: usize::try_from(limit).unwrap_or(usize::MAX).saturating_sub(replicas.len()),
			bytes: state.backed_bytes.saturating_sub(state.replica_bytes),
			// The objects held, or being taken, are not taken again under another order
			// (`ContentAlreadyHeld`).
			held: replicas
				.iter()
				.map(|replica| replica.content_id)
				.chain(self.tried.values().filter_map(|(_, taken)| taken.map(H256)))
				.collect(),
		};
		let now = Instant::now();
		// What the store holds, by (content id, size): each object is read and hashed at most
		// once a round, however many orders name it.
		let mut holdings: HashMap<(H256, u64), Holding> = HashMap::new();
		// Orders of held objects placed by someone other than their uploader, the first of each
		// object: taken after the pages, if the uploader's order did not come.
		let mut others: Vec<OpenOrder> = Vec::new();
		for _ in 0..OPEN_ORDER_PAGES_PER_ROUND {
			let page: OpenOrders = self
				.read(
					"storagePower_openOrders",
					json!([self.next_order, pallet_storage_power::MAX_OPEN_ORDERS]),
				)
				.await?;
			self.next_order = page.next.unwrap_or(0);
			for order in page.orders {
				if room.places == 0 {
					return Ok(());
				}
				if !room.fits(&order)
					|| order.holders.contains(&self.account)
					|| self.tried.contains_key(&order.id)
				{
					continue;
				}
				let key = (order.content_id, order.size_bytes);
				let holding = match holdings.get(&key) {
					Some(holding) => *holding,
					None => {
						let holding = self.holding(key.0, key.1).await?;
						holdings.insert(key, holding);
						holding
					},
				};
				let uploader = match holding {
					Holding::No => continue,
					Holding::Damaged => {
						round.damaged = round.damaged.saturating_add(1);
						tracing::error!(
							order = order.id,
							content_id = %hex::encode(order.content_id),
							"the object is indexed but its bytes are missing or damaged: no replica taken"
						);
						self.tried.insert(order.id, (now, None));
						continue;
					},
					Holding::Yes { uploader } => uploader,
				};
				if order.owner == AccountId32::from(uploader) {
					self.take(order, now, &mut room, round).await;
				} else if !others.iter().any(|other| other.content_id == order.content_id) {
					others.push(order);
				}
			}
			if page.next.is_none() {
				break;
			}
		}
		for order in others {
			if room.fits(&order) {
				self.take(order, now, &mut room, round).await;
			}
		}
		Ok(())
	}

	/// Submits `take_replica` for `order` (checked: its object is held intact and fits `room`),
	/// keeping the object from erasure from now on.
	async fn take(&mut self, order: OpenOrder, now: Instant, room: &mut Room, round: &mut Round) {
		// Kept from erasure from now on, until the chain lists the replica or, for a take the
		// chain refused, RETAKE_AFTER has passed.
		self.tried.insert(order.id, (now, Some(order.content_id.0)));
		room.held.insert(order.content_id);
		self.vault.add_replica(order.content_id.0);
		// And across a restart: the take may be included after it.
		if let Err(error) = self.vault.store.note_take(order.id, &order.content_id.0) {
			tracing::warn!(order = order.id, %error, "the take could not be noted in the store");
		}
		let call = pallet_storage_power::Call::take_replica { order_id: order.id };
		match self.submit(RuntimeCall::StoragePower(call)).await {
			Ok(hash) => {
				tracing::info!(order = order.id, bytes = order.size_bytes, tx = %hash, "replica taken");
				room.places = room.places.saturating_sub(1);
				room.bytes = room.bytes.saturating_sub(order.size_bytes);
				round.taken = round.taken.saturating_add(1);
			},
			Err(error) => {
				tracing::warn!(order = order.id, %error, "take_replica was not accepted");
				round.failed = round.failed.saturating_add(1);
			},
		}
	}

	/// Whether the store holds `content_id` of `size` bytes intact (read and hashed: a replica
	/// taken of bytes the vault does not have is a slash at its first audit).
	async fn holding(&self, content_id: H256, size: u64) -> Result<Holding, DutyError> {
		let vault = self.vault.clone();
		tokio::task::spawn_blocking(move || -> Result<Holding, DutyError> {
			let id = content_id.0;
			let uploader = match vault.store.info(&id)? {
				Some(info) if info.size == size => info.uploader,
				Some(_) | None => return Ok(Holding::No),
			};
			Ok(match vault.store.read(&id) {
				Ok(Some(bytes)) if medchain_seal::content_id(&bytes) == id => {
					Holding::Yes { uploader }
				},
				Ok(_) => Holding::Damaged,
				Err(error) => {
					tracing::warn!(%error, "reading the object failed");
					Holding::Damaged
				},
			})
		})
		.await
		.map_err(|error| DutyError::Task(error.to_string()))?
	}

	/// The best block's hash and number: the provider's state is read there, and a transaction
	/// sent now is included in a block after it.
	async fn best_block(&self) -> Result<(H256, u64), DutyError> {
		let hash: H256 = self.read("chain_getBlockHash", json!([])).await?;
		let header = self.chain.call("chain_getHeader", json!([hash])).await?;
		let number = header
			.get("number")
			.and_then(Value::as_str)
			.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
			.ok_or(DutyError::UnexpectedAnswer("chain_getHeader"))?;
		Ok((hash, number))
	}

	/// The node's answer to `method(params)`, decoded as `T`.
	async fn read<T: serde::de::DeserializeOwned>(
		&self,
		method: &'static str,
		params: Value,
	) -> Result<T, DutyError> {
		serde_json::from_value(self.chain.call(method, params).await?)
			.map_err(|_| DutyError::UnexpectedAnswer(method))
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

	/// Signs `call` with the provider's key and submits it; the transaction's hash.
	async fn submit(&self, call: RuntimeCall) -> Result<String, DutyError> {
		Ok(self.chain.submit(&self.key, call).await?)
	}
}
