//! Test runtime: System, Balances and DrugProvenance, with a genesis of licensed partners.

use crate::{self as pallet_drug_provenance, merkle, types::*};
use codec::Encode;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;

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
	pub type DrugProvenance = pallet_drug_provenance;
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

pub const PRODUCT_DEPOSIT: Balance = 10;
pub const BATCH_DEPOSIT: Balance = 100;
pub const PACK_RECORD_DEPOSIT: Balance = 1;
pub const TRANSFER_DEPOSIT: Balance = 5;
pub const REPORT_DEPOSIT: Balance = 20;
pub const TRANSFER_TIMEOUT: u64 = 10;
pub const CLONE_ALARM_THRESHOLD: u32 = 3;
pub const MAX_CODES_PER_BATCH: u32 = 5_000;
pub const MAX_TRANSFERS_PER_BATCH: u32 = 6;
pub const MAX_BATCHES_PER_RECALL: u32 = 3;
pub const TRACE_RETENTION: u64 = 100;
pub const RETIRE_BATCH_LIMIT: u32 = 4;
pub const UNSIGNED_PRIORITY: u64 = 1 << 20;
pub const UNSIGNED_LONGEVITY: u64 = 64;

impl pallet_drug_provenance::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type ProductDeposit = ConstU64<PRODUCT_DEPOSIT>;
	type BatchDeposit = ConstU64<BATCH_DEPOSIT>;
	type PackRecordDeposit = ConstU64<PACK_RECORD_DEPOSIT>;
	type TransferDeposit = ConstU64<TRANSFER_DEPOSIT>;
	type SuspectReportDeposit = ConstU64<REPORT_DEPOSIT>;
	type TransferTimeout = ConstU64<TRANSFER_TIMEOUT>;
	type CloneAlarmThreshold = ConstU32<CLONE_ALARM_THRESHOLD>;
	type MaxCodesPerBatch = ConstU32<MAX_CODES_PER_BATCH>;
	type MaxTransfersPerBatch = ConstU32<MAX_TRANSFERS_PER_BATCH>;
	type MaxBatchesPerRecall = ConstU32<MAX_BATCHES_PER_RECALL>;
	type TraceRetention = ConstU64<TRACE_RETENTION>;
	type RetireBatchLimit = ConstU32<RETIRE_BATCH_LIMIT>;
	type UnsignedPriority = ConstU64<UNSIGNED_PRIORITY>;
	type UnsignedLongevity = ConstU64<UNSIGNED_LONGEVITY>;
	type WeightInfo = ();
}

pub const REGULATOR: AccountId = 1;
pub const MANUFACTURER: AccountId = 2;
pub const WHOLESALER: AccountId = 3;
pub const PHARMACY: AccountId = 4;
pub const LOGISTICS: AccountId = 5;
pub const MANUFACTURER_2: AccountId = 6;
/// A funded account that is no partner (a patient).
pub const PATIENT: AccountId = 9;
/// An account with no funds at all.
pub const POOR: AccountId = 10;

pub const INITIAL_BALANCE: Balance = 100_000;
/// Licences of the genesis partners end at this block (exclusive).
pub const LICENSED_UNTIL: u64 = 1_000;

/// Valid GS1 identifiers.
pub const GTIN: Gtin = *b"09506000134352";
pub const GTIN_2: Gtin = *b"04006381333931";
pub const GLN: Gln = *b"0614141000005";

pub fn genesis_partner(account: AccountId, role: PartnerRole) -> GenesisPartner<AccountId, u64> {
	GenesisPartner {
		account,
		role,
		gln: GLN,
		licence_ref: H256::repeat_byte(account as u8),
		licensed_until: LICENSED_UNTIL,
	}
}

pub struct ExtBuilder {
	partners: Vec<GenesisPartner<AccountId, u64>>,
	products: Vec<GenesisProduct<AccountId>>,
	batches: Vec<GenesisBatch<u64>>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			partners: vec![
				genesis_partner(REGULATOR, PartnerRole::Regulator),
				genesis_partner(MANUFACTURER, PartnerRole::Manufacturer),
				genesis_partner(WHOLESALER, PartnerRole::Wholesaler),
				genesis_partner(PHARMACY, PartnerRole::Dispenser),
				genesis_partner(LOGISTICS, PartnerRole::Logistics),
				genesis_partner(MANUFACTURER_2, PartnerRole::Manufacturer),
			],
			products: vec![],
			batches: vec![],
		}
	}
}

impl ExtBuilder {
	/// No genesis partners.
	pub fn without_partners(mut self) -> Self {
		self.partners.clear();
		self
	}

	pub fn with_partner(mut self, partner: GenesisPartner<AccountId, u64>) -> Self {
		self.partners.push(partner);
		self
	}

	pub fn with_product(mut self, gtin: Gtin, manufacturer: AccountId) -> Self {
		self.products.push(GenesisProduct {
			gtin,
			manufacturer,
			metadata_commitment: H256::repeat_byte(0xee),
		});
		self
	}

	pub fn with_batch(mut self, batch: GenesisBatch<u64>) -> Self {
		self.batches.push(batch);
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: [REGULATOR, MANUFACTURER, WHOLESALER, PHARMACY, LOGISTICS, MANUFACTURER_2]
				.into_iter()
				.chain([PATIENT])
				.map(|who| (who, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_drug_provenance::GenesisConfig::<Test> {
			partners: self.partners,
			products: self.products,
			batches: self.batches,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Run `test` in a fresh externality, then check every storage invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			DrugProvenance::do_try_state().expect("storage invariants hold after the test");
		});
	}
}

/// The externality for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// The packs of a test batch: serials, scratch codes, the manufacturer's salt and the tree.
pub struct Packs {
	pub serials: Vec<Serial>,
	pub codes: Vec<ScratchCode>,
	pub salt: Salt,
	pub leaves: Vec<H256>,
	pub root: H256,
}

impl Packs {
	/// `n` packs with distinct serials and random-looking 16-character codes.
	pub fn new(n: u32, salt_byte: u8) -> Self {
		let salt = [salt_byte; 32];
		let serials: Vec<Serial> =
			(0..n).map(|i| format!("SN{:010}", i + 1).into_bytes().try_into().unwrap()).collect();
		let codes: Vec<ScratchCode> = (0..n)
			.map(|i| {
				let h = sp_io::hashing::blake2_256(&(salt_byte, i).encode());
				let alphabet = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
				h.iter().take(16).map(|b| alphabet[(*b % 32) as usize]).collect::<Vec<u8>>()
			})
			.map(|c| c.try_into().unwrap())
			.collect();
		let leaves: Vec<H256> =
			serials.iter().zip(&codes).map(|(s, c)| merkle::leaf_hash(s, c, &salt)).collect();
		let root = merkle::merkle_root(&leaves).unwrap();
		Self { serials, codes, salt, leaves, root }
	}

	pub fn proof(&self, i: usize) -> MerkleProof {
		MerkleProof {
			index: i as u32,
			siblings: merkle::merkle_proof(&self.leaves, i).unwrap().try_into().unwrap(),
		}
	}
}
