//! Configuration of the runtime's pallets, grouped as in `construct_runtime`. The domain
//! pallets each have their own file.

mod dna_wallet;
mod drug_provenance;
mod ehr;
pub mod governance;
mod mutual_aid;
pub mod parameters;
pub(crate) mod storage_power;

use crate::{
	currency::{EXISTENTIAL_DEPOSIT, MICRO_UNIT},
	weights::{BlockExecutionWeight, ExtrinsicBaseWeight},
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, System, SLOT_DURATION, SS58_PREFIX, VERSION,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, ConstantMultiplier, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

/// Normal (user) transactions may fill 75% of a block; the rest is kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per block; proof size is unlimited on a solochain.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64.saturating_mul(WEIGHT_REF_TIME_PER_SECOND), u64::MAX);

/// `ratio` of `amount` as `Perbill`'s `Mul` computes it: rounded, never above `amount`, so it
/// cannot overflow (the arithmetic lint cannot see that through the operator).
#[allow(clippy::arithmetic_side_effects)]
pub(crate) fn portion<N>(ratio: Perbill, amount: N) -> N
where
	Perbill: core::ops::Mul<N, Output = N>,
{
	ratio * amount
}

/// The database accesses the transaction extensions' benchmarked weights charge a signed
/// extrinsic: `CheckNonce` and `ChargeTransactionPayment` each read and write the signer's account
/// (`frame_system_extensions.rs`, `pallet_transaction_payment.rs`). `(reads, writes)`.
const EXTENSION_DB_ACCESSES: (u64, u64) = (2, 2);

/// The base weight of every extrinsic: `ExtrinsicBaseWeight`, what the overhead benchmark measured
/// for a signed `System::remark` in a full block, less the execution time of the transaction
/// extensions inside it, which every signed extrinsic is charged again by their own benchmarks
/// (polkadot-sdk issue 9981). Their database weight stays charged: the overhead benchmark's block
/// reads and writes an in-memory state, not the database the weights price. So nothing is counted
/// twice, and a signed extrinsic pays measured no-op + extensions' database weight + its call.
pub fn extrinsic_base_weight() -> Weight {
	use sp_runtime::traits::TransactionExtension;
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: Default::default() });
	let extensions = crate::tx_extension(0).weight(&remark);
	let (reads, writes) = EXTENSION_DB_ACCESSES;
	let database = <Runtime as frame_system::Config>::DbWeight::get().reads_writes(reads, writes);
	let execution = extensions.ref_time().saturating_sub(database.ref_time());
	let measured = ExtrinsicBaseWeight::get();
	Weight::from_parts(measured.ref_time().saturating_sub(execution), measured.proof_size())
}

parameter_types! {
	pub const Version: RuntimeVersion = VERSION;
	/// Block hashes kept for mortal transactions: 2400 blocks = 4 hours.
	pub const BlockHashCount: BlockNumber = 2400;
	/// Two seconds of compute in a six-second block, with the block and extrinsic base weights
	/// measured on our hardware (see `crate::weights`).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| class.base_extrinsic = extrinsic_base_weight())
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(portion(NORMAL_DISPATCH_RATIO, MAXIMUM_BLOCK_WEIGHT))
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			let normal = portion(NORMAL_DISPATCH_RATIO, MAXIMUM_BLOCK_WEIGHT);
			class.reserved = Some(MAXIMUM_BLOCK_WEIGHT.saturating_sub(normal));
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	/// Eight MiB per block, three quarters of it for normal transactions: the runtime's own code
	/// (about 5.2 MB compressed as this workspace builds it, benchmarks included) must fit in the
	/// one operational `system.applyAuthorizedUpgrade` that a council's upgrade ends with.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(8 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = portion(NORMAL_DISPATCH_RATIO, *max))
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB; read and write costs measured on this machine.
	type DbWeight = crate::weights::paritydb_weights::constants::ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

// ---- Consensus ----

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// Equivocations are not reported on chain: the validators are a known consortium.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

// ---- Money ----

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<0>;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fees do not float with congestion yet: a consortium chain runs far below capacity.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// 0.00001 MED per byte of transaction.
	pub const TransactionByteFee: Balance = 10 * MICRO_UNIT;
	/// 100 planck per picosecond of execution: a base extrinsic (about 0.1 ms) costs about
	/// 0.01 MED, a transfer a little more.
	pub const WeightFee: Balance = 100;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Fees are burnt; a treasury can take them once governance lands.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type WeightToFee = ConstantMultiplier<Balance, WeightFee>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

// ---- Governance and utilities ----

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::TransactionExtension;

	/// What `RuntimeBlockWeights` charges a signed extrinsic of `call` besides its length fee:
	/// the base, the extensions and the call.
	fn charged(call: &RuntimeCall) -> Weight {
		let base = RuntimeBlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
		base.saturating_add(crate::tx_extension(0).weight(call))
			.saturating_add(call.get_dispatch_info().call_weight)
	}

	#[test]
	fn the_base_extrinsic_leaves_out_the_extensions_execution_the_overhead_benchmark_measured() {
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: Default::default() });
		let extensions = crate::tx_extension(0).weight(&remark);
		let (reads, writes) = EXTENSION_DB_ACCESSES;
		let database =
			<Runtime as frame_system::Config>::DbWeight::get().reads_writes(reads, writes);
		// The extensions' weight is their execution plus exactly these accesses' database weight.
		assert!(extensions.ref_time() > database.ref_time());
		let execution = extensions.ref_time().saturating_sub(database.ref_time());
		let measured = ExtrinsicBaseWeight::get().ref_time();
		assert!(
			measured > execution,
			"the signed no-op's measurement holds its extensions' execution"
		);
		for class in [DispatchClass::Normal, DispatchClass::Operational, DispatchClass::Mandatory] {
			let base = RuntimeBlockWeights::get().get(class).base_extrinsic;
			assert_eq!(base.ref_time(), measured.saturating_sub(execution), "{class:?}");
		}
		// Charged: the measured no-op, the extensions' database weight and the call, once each.
		let remark_call = remark.get_dispatch_info().call_weight;
		assert_eq!(
			charged(&remark).ref_time(),
			measured.saturating_add(database.ref_time()).saturating_add(remark_call.ref_time())
		);
	}

	#[test]
	fn only_the_nonce_check_and_the_fee_charge_touch_storage() {
		// EXTENSION_DB_ACCESSES counts their accesses only: should another extension start to
		// read or write (its benchmark then gives it a proof size), this fails.
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: Default::default() });
		let extensions = crate::tx_extension(0).weight(&remark);
		let nonce = <crate::weights::frame_system_extensions::WeightInfo<Runtime> as frame_system::ExtensionsWeightInfo>::check_nonce();
		let fee = <crate::weights::pallet_transaction_payment::WeightInfo<Runtime> as pallet_transaction_payment::WeightInfo>::charge_transaction_payment();
		assert_eq!(extensions.proof_size(), nonce.proof_size().saturating_add(fee.proof_size()));
	}

	#[test]
	fn a_transfer_is_charged_its_call_over_the_measured_signed_no_op() {
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: sp_keyring::Sr25519Keyring::Bob.to_account_id().into(),
			value: 1,
		});
		let call = transfer.get_dispatch_info().call_weight;
		assert!(
			charged(&transfer).ref_time()
				>= ExtrinsicBaseWeight::get().ref_time().saturating_add(call.ref_time())
		);
	}
}
