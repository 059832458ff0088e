//! # Medchain runtime fuzzing harness
//!
//! In the style of SRLabs' `substrate-runtime-fuzzer`: an input is a sequence of [`Op`]s (SCALE,
//! decoded with a depth limit). Each op advances the chain by `advance` blocks, then submits
//! `call` from `origin` — a signed dev account, Root (wrapped in `Sudo::sudo` and signed by the
//! sudo key) or unsigned — as a transaction.
//!
//! The chain is the real runtime (native), starting from the `development` genesis preset (dev
//! accounts funded; EHR providers, DNA-wallet keys, drug partners, a mutual-aid pool and storage
//! providers registered). Blocks are built as a block author builds them: `initialize_block` with
//! an Aura pre-digest, the timestamp inherent, then every transaction validated as the pool does
//! (`Applyable::validate`, rolled back) and applied as the block builder does
//! (`Applyable::apply` in a storage transaction that is dropped if the transaction is invalid),
//! with the runtime's real transaction extensions (nonce, era, weight, fees, …); only the
//! signature check is skipped. Then `finalize_block`.
//!
//! After every block it checks ([`check_block`]):
//! - the block's weight (`frame_system::BlockWeight`) is at most `max_block`, the normal class at
//!   most its `max_total`;
//! - the block ran within [`MAX_BLOCK_TIME`] of wall time (catches underestimated weights);
//! - `TotalIssuance` equals the sum of every account's `free + reserved`, and each account's holds
//!   add up to its `reserved` (the runtime allows no reserves, so holds are all of it);
//! - issuance grew only by what `StoragePower` minted into its pot (unless Root acted in the block:
//!   Root may mint with `force_set_balance`);
//! - no account has consumers without providers;
//! - every pallet's `try_state` holds.
//!
//! A panic anywhere is a finding (the runtime must never panic; `defensive!` panics here since
//! debug assertions are on).
//!
//! `MEDCHAIN_FUZZ_DEBUG=1` prints every block, call and result while an input runs.

use codec::{Decode, DecodeLimit, Encode};
use frame_support::{
	dispatch::{DispatchClass, DispatchInfo, GetDispatchInfo},
	traits::{IntegrityTest, TryState, TryStateSelect},
};
use medchain_runtime::{
	tx_extension, AccountId, Address, AllPalletsWithSystem, Balance, BlockNumber, Executive,
	Header, Runtime, RuntimeCall, RuntimeEvent, TxExtension, UncheckedExtrinsic, SLOT_DURATION,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, H256};
use sp_runtime::{
	generic::{CheckedExtrinsic, ExtrinsicFormat},
	traits::{Applyable, Header as _},
	transaction_validity::TransactionSource,
	Digest, DigestItem, MultiSignature, Storage,
};
use sp_state_machine::BasicExternalities;
use std::{
	sync::OnceLock,
	time::{Duration, Instant},
};

pub mod seeds;

/// Depth limit for decoding an input's calls (nested `batch`/`sudo`/`as_derivative`).
pub const DECODE_DEPTH_LIMIT: u32 = 64;
/// A block must execute within this wall time: the runtime's blocks carry two seconds of weight.
pub const MAX_BLOCK_TIME: Duration = Duration::from_secs(2);
/// At most this many blocks per input, so that one input cannot stall the fuzzer.
pub const MAX_BLOCKS_PER_INPUT: u32 = 300;

/// The origin an op's call is submitted with.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Origin {
	/// Signed by `accounts()[index % accounts().len()]`.
	Signed(u8),
	/// `Sudo::sudo(call)` signed by the sudo key (Alice in the development preset).
	Root,
	/// An unsigned (bare) transaction: only what `ValidateUnsigned` admits gets in.
	Unsigned,
}

/// One step of an input.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Op {
	/// Blocks to finalize (each followed by a fresh one) before the call is submitted.
	pub advance: u8,
	/// Who submits the call.
	pub origin: Origin,
	/// The call.
	pub call: RuntimeCall,
}

/// What happened to an input's calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
	/// Ops decoded from the input (after the filter).
	pub ops: usize,
	/// Ops whose transaction the pool would refuse (or that have no origin to sign them).
	pub refused: usize,
	/// Transactions included whose call dispatched `Ok`.
	pub dispatched_ok: usize,
	/// Transactions included whose call returned an error.
	pub dispatch_errors: usize,
	/// Blocks built, the genesis block not counted.
	pub blocks: u32,
}

/// The fixed set of funded accounts the fuzzer signs with: the 12 well-known dev accounts,
/// endowed by the `development` preset (Alice, Bob, …, Ferdie, then their stash accounts).
pub fn accounts() -> &'static [AccountId] {
	static ACCOUNTS: OnceLock<Vec<AccountId>> = OnceLock::new();
	ACCOUNTS.get_or_init(|| {
		sp_keyring::Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
	})
}

/// The storage of the `development` preset's genesis, built once.
pub fn genesis() -> &'static Storage {
	static GENESIS: OnceLock<Storage> = OnceLock::new();
	GENESIS.get_or_init(build_genesis)
}

fn build_genesis() -> Storage {
	use medchain_runtime::genesis_config_presets::{build_state, preset_genesis};
	let id = sp_genesis_builder::PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET);
	let genesis = preset_genesis(&id).expect("the runtime has the development preset");
	let json = serde_json::to_vec(&genesis).expect("a JSON value serializes");
	let mut storage = Storage::default();
	BasicExternalities::execute_with_storage(&mut storage, || {
		build_state(json).expect("the development preset builds");
		// The pallets' configuration is sane, and the genesis satisfies every invariant.
		AllPalletsWithSystem::integrity_test();
		check_state(0);
	});
	storage
}

fn debug() -> bool {
	static DEBUG: OnceLock<bool> = OnceLock::new();
	*DEBUG.get_or_init(|| std::env::var_os("MEDCHAIN_FUZZ_DEBUG").is_some_and(|v| v != "0"))
}

macro_rules! trace {
	($($arg:tt)*) => {
		if debug() {
			eprintln!($($arg)*);
		}
	};
}

/// Decodes an input into its ops: as many as decode, in order; calls out of scope dropped.
pub fn decode_ops(mut data: &[u8]) -> Vec<Op> {
	std::iter::from_fn(|| Op::decode_with_depth_limit(DECODE_DEPTH_LIMIT, &mut data).ok())
		.filter(|op| !contains_call(&op.call, &out_of_scope))
		.collect()
}

/// Calls the harness does not submit. Only Root can make them, and what they do is by design
/// outside every invariant: raw storage writes, and runtime code replacement (the harness runs
/// the native runtime and could not execute new code); and a whitelisted call dispatched by its
/// preimage's hash, whose call this filter cannot see.
fn out_of_scope(call: &RuntimeCall) -> bool {
	use frame_system::Call as S;
	matches!(
		call,
		RuntimeCall::System(
			S::set_code { .. }
				| S::set_code_without_checks { .. }
				| S::set_storage { .. }
				| S::kill_storage { .. }
				| S::kill_prefix { .. }
				| S::authorize_upgrade { .. }
				| S::authorize_upgrade_without_checks { .. }
				| S::apply_authorized_upgrade { .. }
		) | RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call { .. })
	)
}

/// Whether `call`, or any call nested in it (batches, sudo, derivative and dispatch-as
/// wrappers, proxies, multisigs, council motions and whitelisted dispatches), matches `filter`.
fn contains_call(call: &RuntimeCall, filter: &impl Fn(&RuntimeCall) -> bool) -> bool {
	use pallet_collective::Call as Council;
	use pallet_multisig::Call as Multisig;
	use pallet_proxy::Call as Proxy;
	use pallet_sudo::Call as Sudo;
	use pallet_utility::Call as Utility;
	use pallet_whitelist::Call as Whitelist;
	if filter(call) {
		return true;
	}
	match call {
		RuntimeCall::Utility(
			Utility::batch { calls }
			| Utility::batch_all { calls }
			| Utility::force_batch { calls },
		) => calls.iter().any(|c| contains_call(c, filter)),
		RuntimeCall::Utility(Utility::if_else { main, fallback }) => {
			contains_call(main, filter) || contains_call(fallback, filter)
		},
		RuntimeCall::Utility(
			Utility::as_derivative { call, .. }
			| Utility::dispatch_as { call, .. }
			| Utility::dispatch_as_fallible { call, .. }
			| Utility::with_weight { call, .. },
		)
		| RuntimeCall::Sudo(
			Sudo::sudo { call }
			| Sudo::sudo_as { call, .. }
			| Sudo::sudo_unchecked_weight { call, .. },
		)
		| RuntimeCall::Proxy(Proxy::proxy { call, .. } | Proxy::proxy_announced { call, .. })
		| RuntimeCall::Multisig(
			Multisig::as_multi_threshold_1 { call, .. } | Multisig::as_multi { call, .. },
		)
		| RuntimeCall::Whitelist(Whitelist::dispatch_whitelisted_call_with_preimage { call }) => {
			contains_call(call, filter)
		},
		RuntimeCall::Council(
			Council::propose { proposal, .. } | Council::execute { proposal, .. },
		) => contains_call(proposal, filter),
		_ => false,
	}
}

/// Runs one input from genesis; panics on any finding.
pub fn run(data: &[u8]) -> Stats {
	let ops = decode_ops(data);
	let mut stats = Stats { ops: ops.len(), ..Default::default() };
	if ops.is_empty() {
		return stats;
	}
	let mut storage = genesis().clone();
	BasicExternalities::execute_with_storage(&mut storage, || {
		let mut chain = Chain::start();
		for op in ops {
			for _ in 0..op.advance {
				if chain.number >= MAX_BLOCKS_PER_INPUT {
					break;
				}
				chain.next_block();
			}
			chain.submit(op.origin, op.call, &mut stats);
		}
		chain.end_block();
		stats.blocks = chain.number;
	});
	trace!("stats: {stats:?}");
	stats
}

/// The block being built.
struct Chain {
	number: BlockNumber,
	parent_hash: H256,
	/// Wall time spent executing the current block (not counting the harness's checks).
	elapsed: Duration,
	/// Whether a Root call was applied in the current block.
	root_acted: bool,
	issuance_before: Balance,
}

impl Chain {
	fn start() -> Self {
		let parent_hash = frame_system::BlockHash::<Runtime>::get(0);
		let mut chain = Chain {
			number: 0,
			parent_hash,
			elapsed: Duration::ZERO,
			root_acted: false,
			issuance_before: 0,
		};
		chain.begin_block();
		chain
	}

	fn next_block(&mut self) {
		self.end_block();
		self.begin_block();
	}

	fn begin_block(&mut self) {
		self.number += 1;
		self.elapsed = Duration::ZERO;
		self.root_acted = false;
		self.issuance_before = pallet_balances::TotalIssuance::<Runtime>::get();
		trace!("block {}", self.number);
		let started = Instant::now();
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(
				AURA_ENGINE_ID,
				Slot::from(u64::from(self.number)).encode(),
			)],
		};
		let header = Header::new(self.number, H256::zero(), H256::zero(), self.parent_hash, digest);
		Executive::initialize_block(&header);
		// The timestamp inherent, as the block author puts it first.
		let now = u64::from(self.number).saturating_mul(SLOT_DURATION);
		let inherent =
			UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
				now,
			}));
		let applied = Executive::apply_extrinsic(inherent);
		assert!(matches!(applied, Ok(Ok(()))), "the timestamp inherent failed: {applied:?}");
		Executive::inherents_applied();
		self.elapsed += started.elapsed();
	}

	fn end_block(&mut self) {
		let started = Instant::now();
		let header = Executive::finalize_block();
		self.elapsed += started.elapsed();
		self.parent_hash = header.hash();
		trace!("  block {} took {:?}", self.number, self.elapsed);
		check_block(self.number, self.elapsed, self.root_acted, self.issuance_before);
	}

	/// Submits `call` as a transaction of `origin`: validated as the pool does, then applied as
	/// the block builder does.
	fn submit(&mut self, origin: Origin, call: RuntimeCall, stats: &mut Stats) {
		let is_root = origin == Origin::Root;
		let Some((xt, encoded)) = transaction(origin, call) else {
			stats.refused += 1;
			return;
		};
		let info = xt.get_dispatch_info();
		// Inherents are put in by the block author, never taken from the pool.
		if info.class == DispatchClass::Mandatory {
			stats.refused += 1;
			return;
		}
		let len = encoded.len();
		trace!("  call {:?}", xt.function);

		// The pool's check, against the current state, thrown away afterwards.
		sp_io::storage::start_transaction();
		let validity = xt.validate::<Runtime>(TransactionSource::External, &info, len);
		sp_io::storage::rollback_transaction();
		if let Err(e) = validity {
			trace!("    refused by the pool: {e:?}");
			stats.refused += 1;
			return;
		}

		// The block builder applies each transaction in a storage transaction and drops it
		// (with its changes) if it turns out invalid.
		let started = Instant::now();
		sp_io::storage::start_transaction();
		frame_system::Pallet::<Runtime>::note_extrinsic(encoded);
		match xt.apply::<Runtime>(&info, len) {
			Err(e) => {
				sp_io::storage::rollback_transaction();
				self.elapsed += started.elapsed();
				trace!("    not included: {e:?}");
				stats.refused += 1;
			},
			Ok(result) => {
				frame_system::Pallet::<Runtime>::note_applied_extrinsic(&result, info);
				sp_io::storage::commit_transaction();
				self.elapsed += started.elapsed();
				trace!("    result {result:?}");
				check_post_dispatch_weight(&info, &result);
				self.root_acted |= is_root;
				// `Sudo::sudo` succeeds whatever its call does; its event tells.
				let inner_failed = is_root && last_sudo_failed();
				match result {
					Ok(_) if !inner_failed => stats.dispatched_ok += 1,
					_ => stats.dispatch_errors += 1,
				}
			},
		}
	}
}

/// Whether the block's last `Sudid` event reports a failed call.
fn last_sudo_failed() -> bool {
	frame_system::Pallet::<Runtime>::read_events_no_consensus()
		.filter_map(|record| match record.event {
			RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => Some(sudo_result),
			_ => None,
		})
		.last()
		.is_some_and(|result| {
			trace!("    sudo result {result:?}");
			result.is_err()
		})
}

type Checked = CheckedExtrinsic<AccountId, RuntimeCall, TxExtension>;

/// The checked transaction of `origin` and `call`, and its encoding as it would be on the wire
/// (signed with a dummy signature of the right size), or `None` if no account can sign it.
fn transaction(origin: Origin, call: RuntimeCall) -> Option<(Checked, Vec<u8>)> {
	let (signer, call) = match origin {
		Origin::Unsigned => {
			let encoded = UncheckedExtrinsic::new_bare(call.clone()).encode();
			return Some((Checked { format: ExtrinsicFormat::Bare, function: call }, encoded));
		},
		Origin::Signed(index) => {
			let accounts = accounts();
			(accounts.get(usize::from(index) % accounts.len())?.clone(), call)
		},
		Origin::Root => (
			pallet_sudo::Key::<Runtime>::get()?,
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }),
		),
	};
	let nonce = frame_system::Account::<Runtime>::get(&signer).nonce;
	let extension = tx_extension(nonce);
	let encoded = UncheckedExtrinsic::new_signed(
		call.clone(),
		Address::Id(signer.clone()),
		MultiSignature::Sr25519(sr25519::Signature::from_raw([0; 64])),
		extension.clone(),
	)
	.encode();
	Some((Checked { format: ExtrinsicFormat::Signed(signer, extension), function: call }, encoded))
}

/// A call may report less weight than it declared, never more: the excess would be unpaid and
/// unaccounted in the block.
fn check_post_dispatch_weight(
	info: &DispatchInfo,
	result: &frame_support::dispatch::DispatchResultWithPostInfo,
) {
	let post_info = match result {
		Ok(post_info) => post_info,
		Err(e) => &e.post_info,
	};
	if let Some(actual) = post_info.actual_weight {
		let declared = info.total_weight();
		assert!(
			actual.all_lte(declared),
			"actual weight {actual:?} exceeds the declared weight {declared:?}"
		);
	}
}

/// The checks after every block: weight, wall time, issuance, and every pallet's `try_state`.
pub fn check_block(
	number: BlockNumber,
	elapsed: Duration,
	root_acted: bool,
	issuance_before: Balance,
) {
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let consumed = frame_system::BlockWeight::<Runtime>::get();
	assert!(
		consumed.total().all_lte(limits.max_block),
		"block {number}: weight {:?} exceeds max_block {:?}",
		consumed.total(),
		limits.max_block
	);
	if let Some(max_normal) = limits.get(DispatchClass::Normal).max_total {
		assert!(
			consumed.get(DispatchClass::Normal).all_lte(max_normal),
			"block {number}: normal weight {:?} exceeds its max_total {max_normal:?}",
			consumed.get(DispatchClass::Normal)
		);
	}
	assert!(
		elapsed <= MAX_BLOCK_TIME,
		"block {number} took {elapsed:?} (weight {:?}): a weight is underestimated",
		consumed.total()
	);

	// Issuance grows only by the storage-power emission minted into its pot, unless Root (who
	// may `force_set_balance`) acted in the block.
	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	if !root_acted {
		let pot = pallet_storage_power::Pallet::<Runtime>::pot_account();
		let minted: Balance = frame_system::Pallet::<Runtime>::read_events_no_consensus()
			.filter_map(|record| match record.event {
				RuntimeEvent::Balances(pallet_balances::Event::Minted { who, amount })
					if who == pot =>
				{
					Some(amount)
				},
				_ => None,
			})
			.sum();
		assert!(
			issuance <= issuance_before.saturating_add(minted),
			"block {number}: issuance rose from {issuance_before} to {issuance}, but only \
			 {minted} was minted into the storage-power pot"
		);
	}
	check_state(number);
}

/// Invariants of the whole state: issuance equals the sum of balances, holds equal reserved
/// balances, consumers need providers, and every pallet's `try_state`.
pub fn check_state(number: BlockNumber) {
	let mut total: Balance = 0;
	for (who, account) in frame_system::Account::<Runtime>::iter() {
		assert!(
			account.consumers == 0 || account.providers > 0,
			"block {number}: {who} has {} consumers but no provider",
			account.consumers
		);
		let held: Balance =
			pallet_balances::Holds::<Runtime>::get(&who).iter().map(|hold| hold.amount).sum();
		assert_eq!(
			held, account.data.reserved,
			"block {number}: {who}'s holds do not add up to its reserved balance"
		);
		total = total
			.checked_add(account.data.free)
			.and_then(|t| t.checked_add(account.data.reserved))
			.expect("the sum of all balances overflows u128");
	}
	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	assert_eq!(
		issuance, total,
		"block {number}: total issuance differs from the sum of all accounts' free + reserved"
	);
	assert!(pallet_balances::InactiveIssuance::<Runtime>::get() <= issuance);
	if let Err(e) = AllPalletsWithSystem::try_state(number, TryStateSelect::All) {
		panic!("block {number}: try_state failed: {e:?}");
	}
}

/// Called once by the fuzz target before the first input: builds the genesis (which runs the
/// integrity tests and checks the genesis invariants).
///
/// With `MEDCHAIN_FUZZ_WRITE_SEEDS=<dir>` it instead runs the seeds, writes them to `<dir>/seeds/`
/// and the dictionary to `<dir>/medchain.dict`, and exits (non-zero if a seed's call failed): the
/// seeds come from the same build as the fuzzer, so they always match the runtime's call encoding.
pub fn init() {
	genesis();
	if let Some(dir) = std::env::var_os("MEDCHAIN_FUZZ_WRITE_SEEDS") {
		let code = match write_seeds(std::path::Path::new(&dir)) {
			Ok(()) => 0,
			Err(e) => {
				eprintln!("{e}");
				1
			},
		};
		std::process::exit(code);
	}
}

/// Runs every seed (each call must dispatch `Ok`), writes them to `dir/seeds/<name>.bin` and the
/// dictionary to `dir/medchain.dict`.
pub fn write_seeds(dir: &std::path::Path) -> Result<(), String> {
	let seeds_dir = dir.join("seeds");
	std::fs::create_dir_all(&seeds_dir).map_err(|e| format!("{}: {e}", seeds_dir.display()))?;
	let mut failed = Vec::new();
	for (name, bytes) in seeds::encoded_seeds() {
		let stats = run(&bytes);
		eprintln!(
			"seed {name}: {} calls, {} dispatched Ok, {} dispatch errors, {} refused, {} blocks",
			stats.ops, stats.dispatched_ok, stats.dispatch_errors, stats.refused, stats.blocks
		);
		if stats.dispatched_ok != stats.ops {
			failed.push(name);
		}
		let path = seeds_dir.join(format!("{name}.bin"));
		std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
	}
	let path = dir.join("medchain.dict");
	std::fs::write(&path, seeds::dictionary()).map_err(|e| format!("{}: {e}", path.display()))?;
	if failed.is_empty() {
		Ok(())
	} else {
		Err(format!(
			"seeds with calls that did not dispatch Ok: {failed:?} (MEDCHAIN_FUZZ_DEBUG=1 shows why)"
		))
	}
}
