//! # Medchain runtime
//!
//! A proof-of-authority FRAME runtime (Aura blocks, GRANDPA finality) for a consortium of
//! hospitals, regulators and insurers. Pallet indices are grouped by purpose and never reused:
//!
//! | indices | group |
//! |---------|-------|
//! | 0–9     | system and consensus |
//! | 10–19   | money |
//! | 20–30   | governance and utilities: council, validator set, sessions, upgrades, multisig, proxy, the parameters the council sets (`Sudo` keyed only on a development chain) |
//! | 50–59   | Medchain domain pallets: `Ehr` 50, `DnaWallet` 51, `DrugProvenance` 52, `MutualAid` 53, `StoragePower` 54 |
#![cfg_attr(not(feature = "std"), no_std)]
// `#[frame_support::runtime]` and `impl_runtime_apis!` (this file and `apis`) expand to arithmetic
// and indexing that the workspace lints reject in hand-written runtime code; every other module
// denies them again below.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod benchmarks;
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
pub mod configs;
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
pub mod genesis_config_presets;
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know about blocks without knowing the runtime.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;

	impl_opaque_keys! {
		/// The session keys of a validator: one Aura and one GRANDPA key.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}

/// The runtime version; `spec_version` must rise with every runtime upgrade.
#[cfg(not(medchain_upgrade_test))]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("medchain"),
	impl_name: alloc::borrow::Cow::Borrowed("medchain"),
	authoring_version: 1,
	spec_version: 100,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// This runtime one `spec_version` later: what tests/e2e/governance.test.mjs upgrades a running
/// network to, through a council motion (built by scripts/lib/upgrade.mjs with
/// `MEDCHAIN_UPGRADE_TEST=1`, see build.rs). `#[runtime_version]` takes only literals, hence the
/// second constant.
#[cfg(medchain_upgrade_test)]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("medchain"),
	impl_name: alloc::borrow::Cow::Borrowed("medchain"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

mod block_times {
	/// Target block time. Blocks are produced at most this often (one Aura slot).
	///
	/// It cannot be changed once the chain has started: that would brick block production.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// The Aura slot duration (used by `pallet_timestamp` and `pallet_aura`).
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Block-count units of time, for configuring periods.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// One hour in blocks.
pub const HOURS: BlockNumber = MINUTES * 60;
/// One day in blocks.
pub const DAYS: BlockNumber = HOURS * 24;

/// The `MED` token: 12 decimals.
pub mod currency {
	use super::Balance;
	/// Symbol shown by wallets.
	pub const TOKEN_SYMBOL: &str = "MED";
	/// Decimals shown by wallets.
	pub const TOKEN_DECIMALS: u8 = 12;
	/// One MED in its smallest unit.
	pub const UNIT: Balance = 1_000_000_000_000;
	/// 0.001 MED.
	pub const MILLI_UNIT: Balance = 1_000_000_000;
	/// 0.000001 MED.
	pub const MICRO_UNIT: Balance = 1_000_000;
	/// An account below this balance is reaped: 0.001 MED.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;
}

/// Generic Substrate SS58 address prefix (addresses start with `5`).
pub const SS58_PREFIX: u16 = 42;

/// Signature of a transaction.
pub type Signature = MultiSignature;
/// Account identifier: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Hash type of blocks and tries.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions every signed transaction carries. All are known to polkadot.js
/// and polkadot-api, so wallets sign without custom types.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The transaction extensions as a wallet fills them: immortal, the signer's next `nonce`, no
/// tip, no metadata hash. For clients that build transactions with the runtime's own types (the
/// vault's provider duties, the fuzzer); the implicit part a signature covers is
/// `((), spec_version, transaction_version, genesis, genesis, (), (), (), None, ())`.
pub fn tx_extension(nonce: Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade, besides the pallets' own.
#[allow(unused_parens)]
type Migrations = (
	// EHR storage version 2: records name the content id of their sealed object.
	pallet_ehr::migrations::v2::MigrateV1ToV2<Runtime>,
	// EHR storage version 3: a content id names one record per issuer, so naming another's
	// object first no longer keeps its issuer from adding the record.
	pallet_ehr::migrations::v3::MigrateV2ToV3<Runtime>,
	// StorageVersion 1 of StoragePower: a storage price and a halving subsidy replace the fixed
	// era emission.
	pallet_storage_power::migrations::v1::MigrateV0ToV1<
		Runtime,
		configs::storage_power::StoragePowerInitialPrice,
		configs::storage_power::StoragePowerInitialSubsidy,
		configs::storage_power::StoragePowerSubsidyHalfLife,
	>,
	// StorageVersion 2 of StoragePower: orders indexed by content id, one replica of an object
	// per provider.
	pallet_storage_power::migrations::v2::MigrateV1ToV2<Runtime>,
	// A chain from before governance: its Aura and GRANDPA authorities become the validator set
	// (Session and ValidatorSet); nothing on any other chain.
	configs::governance::migration::SeedSessionFromAuthorities,
);

/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

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
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System and consensus.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	// Money.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Governance and utilities (see `configs::governance`). Sudo has a key only in the
	// development preset; elsewhere the council governs.
	#[runtime::pallet_index(20)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(21)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(22)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(23)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	// Before Session: Session's genesis reads the validator set.
	#[runtime::pallet_index(24)]
	pub type ValidatorSet = pallet_membership<Instance2>;
	#[runtime::pallet_index(25)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(26)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(27)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(28)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(29)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(30)]
	pub type Parameters = pallet_parameters;

	// Medchain domain pallets, 50–54.
	#[runtime::pallet_index(50)]
	pub type Ehr = pallet_ehr;
	#[runtime::pallet_index(51)]
	pub type DnaWallet = pallet_dna_wallet;
	#[runtime::pallet_index(52)]
	pub type DrugProvenance = pallet_drug_provenance;
	#[runtime::pallet_index(53)]
	pub type MutualAid = pallet_mutual_aid;
	#[runtime::pallet_index(54)]
	pub type StoragePower = pallet_storage_power;
}
