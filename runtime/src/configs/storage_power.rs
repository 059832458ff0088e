//! `StoragePower`: staked storage providers, audited era reports, a governance-weighted power
//! index and exact pull-based era rewards (`reward = power / total power × era emission`).

use super::{
	governance::EnsureTwoThirdsCouncil,
	parameters::{storage_power, ChallengeDeadline, Deposit},
};
use crate::{
	currency::UNIT, AccountId, Balance, Balances, Runtime, RuntimeHoldReason, Signature, Timestamp,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Contains},
	PalletId,
};
use sp_core::H256;
use sp_runtime::Perbill;

/// The genesis storage price: 0.1 MED per GiB kept one era, per replica (a 10 MiB record in three
/// replicas costs 0.003 MED per era).
pub const GENESIS_STORAGE_PRICE: Balance = UNIT / 10;
/// The genesis subsidy: 1,000 MED per era, halving every [`SUBSIDY_HALF_LIFE_ERAS`] counted from
/// genesis (era 0 mints nothing): less than 2 × 1,000 × 365 = 730,000 MED minted ever, most of it
/// while order revenue is small.
pub const GENESIS_SUBSIDY: Balance = 1_000 * UNIT;
/// Eras per halving of the subsidy: a year of daily eras.
pub const SUBSIDY_HALF_LIFE_ERAS: u32 = 365;

parameter_types! {
	/// The pot account holding the era emissions is derived from this id.
	pub const StoragePowerPalletId: PalletId = PalletId(*b"mc/stpow");
	/// The price, subsidy and half-life a chain of storage version 0 gets when it upgrades.
	pub const StoragePowerInitialPrice: Balance = GENESIS_STORAGE_PRICE;
	pub const StoragePowerInitialSubsidy: Balance = GENESIS_SUBSIDY;
	pub const StoragePowerSubsidyHalfLife: u32 = SUBSIDY_HALF_LIFE_ERAS;
	/// Stake per started TiB of declared capacity: 100 MED.
	pub const StoragePowerStakePerTiB: Balance = 100 * UNIT;
	/// 10% of the stake is slashed when a report's failed audits reach the threshold.
	pub const StoragePowerSlashFraction: Perbill = Perbill::from_percent(10);
}

/// The data subject of a stored object: the patient of the EHR record the order's owner issued
/// naming its content id. They may end that order (and then erase the object). Only the owner's
/// own record counts, so a provider who names someone else's content id in a record of its own
/// cannot let its patient end the victim's order.
pub struct EhrDataSubjects;
impl Contains<(AccountId, AccountId, H256)> for EhrDataSubjects {
	fn contains((who, owner, content_id): &(AccountId, AccountId, H256)) -> bool {
		pallet_ehr::ContentRecords::<Runtime>::get(content_id, owner)
			.and_then(pallet_ehr::Records::<Runtime>::get)
			.is_some_and(|record| record.patient == *who)
	}
}

impl pallet_storage_power::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureTwoThirdsCouncil;
	type PalletId = StoragePowerPalletId;
	// A day; the development and local presets set 30 blocks (see `super::parameters`), with a
	// heartbeat slot of 5 blocks and a 5-block challenge deadline.
	type EraLength = storage_power::EraLength;
	type MinStakePerTiB = StoragePowerStakePerTiB;
	// 1 PiB.
	type MaxCapacityGiB = ConstU64<{ 1024 * 1024 }>;
	type ChallengeDeposit = Deposit<storage_power::ChallengeDeposit>;
	type UnbondingEras = ConstU32<2>;
	type HeartbeatInterval = storage_power::HeartbeatInterval;
	type MaxMaintenanceEras = ConstU32<7>;
	type ChallengeDeadline = ChallengeDeadline;
	type MaxChallengesPerEra = ConstU32<4>;
	type SlashFraction = StoragePowerSlashFraction;
	type MaxUnclaimedEras = ConstU32<32>;
	// The chain draws up to 2 reports per block for an audit, in the blocks of an era whose
	// challenge deadline still fits in it: 48 audits in a 30-block dev era (24 such blocks), about
	// 28,600 in a daily era (each report is drawn at most once per era).
	type AuditsPerBlock = ConstU32<2>;
	type OrderDeposit = Deposit<storage_power::OrderDeposit>;
	// 64 GiB: a whole genome's reads are about 100 GB; larger data is split into objects.
	type MaxObjectSize = ConstU64<{ 64 << 30 }>;
	type MaxReplicas = ConstU32<5>;
	// A year of daily eras; renewals extend an order up to that far ahead.
	type MaxOrderEras = ConstU32<366>;
	// Bandwidth power is backed by audited bytes: each held byte may be read 8 times an era (a
	// record is opened by its patient and a few clinicians; more is not paid).
	type ServedPerAuditedByte = ConstU32<8>;
	// A provider's replica list is read by each take and drop: 512 ids are 4 KiB.
	type MaxReplicasPerProvider = ConstU32<512>;
	// Every replica is audited once per era: 24 blocks × 8 draws cover 192 replicas in a 30-block
	// dev era; a daily era (14,300 blocks with a 100-block deadline) covers 114,000.
	type ReplicaAuditsPerBlock = ConstU32<8>;
	type DataSubjects = EhrDataSubjects;
	// Readers sign vault requests with their account key (sr25519 from wallets and the CLI).
	type ReceiptSignature = Signature;
	type Time = Timestamp;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkReceiptSigner;
	type WeightInfo = pallet_storage_power::weights::SubstrateWeight<Runtime>;
}

/// Signs the benchmarks' receipts with a fresh sr25519 key of the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkReceiptSigner;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_storage_power::ReceiptSigner<AccountId, Signature> for BenchmarkReceiptSigner {
	// A benchmark without a keystore cannot measure this call: stopping it is the right outcome.
	#[allow(clippy::expect_used)]
	fn sign(message: &[u8]) -> (AccountId, Signature) {
		const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"rcpt");
		let public = sp_io::crypto::sr25519_generate(KEY_TYPE, None);
		let signature = sp_io::crypto::sr25519_sign(KEY_TYPE, &public, message)
			.expect("the benchmark registers a keystore");
		(AccountId::from(public), Signature::Sr25519(signature))
	}
}
