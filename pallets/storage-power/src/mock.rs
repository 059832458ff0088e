//! Test runtime: System, Balances and StoragePower, with funded providers and a buyer.

use crate::{self as pallet_storage_power, types::*};
use frame_support::{
	derive_impl,
	traits::{fungible::Inspect, ConstU32, ConstU64, Hooks},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::{testing::TestSignature, BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(2)]
	pub type StoragePower = pallet_storage_power;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const ERA_LENGTH: u64 = 22;
pub const HEARTBEAT_INTERVAL: u64 = 4;
/// `ERA_LENGTH / HEARTBEAT_INTERVAL` (rounded down: the last two blocks are a sixth slot).
pub const EXPECTED_HEARTBEATS: u32 = 5;
pub const CHALLENGE_DEADLINE: u64 = 3;
/// The genesis subsidy of every era (its half-life is longer than any test).
pub const ERA_EMISSION: Balance = 1_000;
pub const SUBSIDY_HALF_LIFE: u32 = 1_000;
/// The genesis storage price: 1 per GiB, era and replica.
pub const STORAGE_PRICE: Balance = 1;
pub const ORDER_DEPOSIT: Balance = 5;
/// 4 TiB.
pub const MAX_OBJECT_SIZE: u64 = 1 << 42;
pub const MAX_REPLICAS: u32 = 3;
pub const MAX_ORDER_ERAS: u32 = 6;
pub const MAX_REPLICAS_PER_PROVIDER: u32 = 4;
pub const SERVED_PER_AUDITED_BYTE: u32 = 8;
pub const REPLICA_AUDITS_PER_BLOCK: u32 = 2;
pub const STAKE_PER_TIB: Balance = 100;
pub const MAX_CAPACITY_GIB: u64 = 100 * 1024;
pub const CHALLENGE_DEPOSIT: Balance = 10;
pub const UNBONDING_ERAS: u32 = 2;
pub const MAX_MAINTENANCE_ERAS: u32 = 3;
pub const MAX_CHALLENGES: u32 = 2;
pub const SLASH_PERCENT: u32 = 10;
pub const MAX_UNCLAIMED: u32 = 4;
/// Last block of an era's first `…` where a report is accepted: `era_end - deadline - 2`.
pub const LAST_REPORT_OFFSET: u64 = ERA_LENGTH - CHALLENGE_DEADLINE - 2;
/// Last offset in an era at which a challenge can be issued: `era_end - deadline - 1`.
pub const LAST_CHALLENGE_OFFSET: u64 = ERA_LENGTH - CHALLENGE_DEADLINE - 1;

frame_support::parameter_types! {
	pub const StoragePowerPalletId: PalletId = PalletId(*b"py/stpow");
	pub const Slash: Perbill = Perbill::from_percent(SLASH_PERCENT);
	/// Chain-issued audits per block: 0 (off) unless a test turns them on with
	/// [`ExtBuilder::with_audits_per_block`], so that the tests of other rules are not audited.
	pub static AuditsPerBlock: u32 = 0;
	/// The wall clock [`MockTime`] shows, unix milliseconds: [`GENESIS_MILLIS`] at block 1, then
	/// [`BLOCK_MILLIS`] more per block ([`run_to_block`]).
	pub static NowMillis: u64 = GENESIS_MILLIS;
	/// The (account, order owner, content id) triples [`MockDataSubjects`] holds: a test names
	/// the patient of an object stored by an owner.
	pub static DataSubjectsOf: Vec<(AccountId, AccountId, H256)> = Vec::new();
}

/// The data subjects a test set in [`DataSubjectsOf`].
pub struct MockDataSubjects;
impl frame_support::traits::Contains<(AccountId, AccountId, H256)> for MockDataSubjects {
	fn contains(subject: &(AccountId, AccountId, H256)) -> bool {
		DataSubjectsOf::get().contains(subject)
	}
}

impl pallet_storage_power::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = StoragePowerPalletId;
	type EraLength = ConstU64<ERA_LENGTH>;
	type MinStakePerTiB = ConstU64<STAKE_PER_TIB>;
	type MaxCapacityGiB = ConstU64<MAX_CAPACITY_GIB>;
	type ChallengeDeposit = ConstU64<CHALLENGE_DEPOSIT>;
	type UnbondingEras = ConstU32<UNBONDING_ERAS>;
	type HeartbeatInterval = ConstU64<HEARTBEAT_INTERVAL>;
	type MaxMaintenanceEras = ConstU32<MAX_MAINTENANCE_ERAS>;
	type ChallengeDeadline = ConstU64<CHALLENGE_DEADLINE>;
	type MaxChallengesPerEra = ConstU32<MAX_CHALLENGES>;
	type SlashFraction = Slash;
	type MaxUnclaimedEras = ConstU32<MAX_UNCLAIMED>;
	type AuditsPerBlock = AuditsPerBlock;
	type OrderDeposit = ConstU64<ORDER_DEPOSIT>;
	type MaxObjectSize = ConstU64<MAX_OBJECT_SIZE>;
	type MaxReplicas = ConstU32<MAX_REPLICAS>;
	type MaxOrderEras = ConstU32<MAX_ORDER_ERAS>;
	type ServedPerAuditedByte = ConstU32<SERVED_PER_AUDITED_BYTE>;
	type MaxReplicasPerProvider = ConstU32<MAX_REPLICAS_PER_PROVIDER>;
	type ReplicaAuditsPerBlock = ConstU32<REPLICA_AUDITS_PER_BLOCK>;
	type DataSubjects = MockDataSubjects;
	// A signature that verifies when it names the signer and holds the message itself.
	type ReceiptSignature = TestSignature;
	type Time = MockTime;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSigner;
	type WeightInfo = ();
}

/// The clock at genesis: the reads before it are the window of the genesis era's reports.
pub const GENESIS_MILLIS: u64 = 1_000_000;
/// Milliseconds per block.
pub const BLOCK_MILLIS: u64 = 6_000;

/// The reader who signs the tests' receipts.
pub const READER: AccountId = 99;

/// A clock at [`NowMillis`].
pub struct MockTime;
impl frame_support::traits::UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(NowMillis::get())
	}
}

/// Signs as [`READER`].
pub struct MockSigner;
#[cfg(feature = "runtime-benchmarks")]
impl ReceiptSigner<AccountId, TestSignature> for MockSigner {
	fn sign(message: &[u8]) -> (AccountId, TestSignature) {
		(READER, TestSignature(READER, message.to_vec()))
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// A storage buyer and auditor, never a provider.
pub const BUYER: AccountId = 9;
/// An account with no funds at all.
pub const POOR: AccountId = 10;

pub const INITIAL_BALANCE: Balance = 100_000;

/// The parameters of the test runtime's genesis.
pub fn test_parameters() -> PowerParameters {
	PowerParameters {
		alpha: 100,
		beta: 10,
		cap: 1_000_000,
		min_uptime: Perbill::from_percent(40),
		audit_penalty: Perbill::from_percent(25),
		failure_threshold: 2,
	}
}

pub struct ExtBuilder {
	providers: Vec<GenesisProvider<AccountId>>,
	parameters: PowerParameters,
	audits_per_block: u32,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { providers: vec![], parameters: test_parameters(), audits_per_block: 0 }
	}
}

impl ExtBuilder {
	pub fn with_provider(mut self, account: AccountId, capacity_gib: u64) -> Self {
		self.providers.push(GenesisProvider {
			account,
			capacity_gib,
			endpoint_commitment: H256::repeat_byte(account as u8),
		});
		self
	}

	pub fn with_parameters(mut self, parameters: PowerParameters) -> Self {
		self.parameters = parameters;
		self
	}

	/// Turn chain-issued audits on: `n` per block.
	pub fn with_audits_per_block(mut self, n: u32) -> Self {
		self.audits_per_block = n;
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		AuditsPerBlock::set(self.audits_per_block);
		NowMillis::set(GENESIS_MILLIS);
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: [ALICE, BOB, CHARLIE, BUYER]
				.into_iter()
				.map(|w| (w, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_storage_power::GenesisConfig::<Test> {
			parameters: Some(self.parameters),
			providers: self.providers,
			storage_price: STORAGE_PRICE,
			subsidy: ERA_EMISSION,
			subsidy_half_life_eras: SUBSIDY_HALF_LIFE,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			// A chain's clock starts with its first block, so its genesis era counts no reads;
			// the tests' genesis era started at GENESIS_MILLIS, after the reads they count.
			crate::EraStartedAt::<Test>::insert(0, GENESIS_MILLIS);
		});
		ext
	}

	/// Run `test` in a fresh externality, then check every storage invariant, including the
	/// exact pot balance (no stray transfers in tests).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			StoragePower::do_try_state().expect("storage invariants hold after the test");
			assert_eq!(
				Balances::balance(&StoragePower::pot_account()),
				Balances::minimum_balance()
					+ crate::PotLiability::<Test>::get()
					+ crate::PrepaidRevenue::<Test>::get(),
				"the pot holds exactly the existential deposit, what it owes and what orders prepaid"
			);
		});
	}
}

/// The externality for the benchmark test suite (chain audits on: 2 per block).
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().with_audits_per_block(MOCK_AUDITS_PER_BLOCK).build()
}

/// Chain-issued audits per block in the audit tests and benchmarks.
pub const MOCK_AUDITS_PER_BLOCK: u32 = 2;

/// Advance to block `n`, initialising each block (parent hash, `on_initialize`).
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::initialize(&next, &H256::repeat_byte(next as u8), &Default::default());
		NowMillis::set(GENESIS_MILLIS + next * BLOCK_MILLIS);
		StoragePower::on_initialize(next);
	}
}

/// First block of `era`.
pub fn era_start(era: u32) -> u64 {
	era as u64 * ERA_LENGTH
}

/// Advance to the first block of `era`.
pub fn run_to_era(era: u32) {
	run_to_block(era_start(era));
}
