//! Test runtime for the DNA-wallet pallet.

use crate as pallet_dna_wallet;
use crate::*;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	BoundedVec,
};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

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
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances::Pallet<Test>;
	#[runtime::pallet_index(2)]
	pub type DnaWallet = pallet_dna_wallet::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const KEY_DEPOSIT: u64 = 3;
pub const DATASET_DEPOSIT: u64 = 10;
pub const SHARE_DEPOSIT: u64 = 2;
pub const STUDY_DEPOSIT: u64 = 20;
pub const STUDY_DEPOSIT_PER_PARTICIPANT: u64 = 1;
pub const CONSENT_DEPOSIT: u64 = 5;
pub const GUARDIAN_DEPOSIT: u64 = 7;
pub const MAX_KEYS: u32 = 3;
pub const MAX_DATASETS: u32 = 3;
pub const MAX_SHARES: u32 = 3;
pub const MAX_USE_CODES: u32 = 3;
pub const MAX_PARTICIPANTS: u32 = 4;
pub const MAX_STUDIES: u32 = 3;
pub const MAX_STUDIES_PER_ORG: u32 = 2;
pub const ACCEPTANCE_WINDOW: u64 = 10;
pub const DISPUTE_WINDOW: u64 = 5;
pub const RECOVERY_APPROVAL_WINDOW: u64 = 20;
pub const MAX_GUARDIANS: u32 = 3;
pub const MAX_CLEANUP: u32 = 3;
pub const RECOVERY_DELAY: u64 = 10;

parameter_types! {
	pub const KeyDeposit: u64 = KEY_DEPOSIT;
	pub const DatasetDeposit: u64 = DATASET_DEPOSIT;
	pub const ShareDeposit: u64 = SHARE_DEPOSIT;
	pub const StudyDeposit: u64 = STUDY_DEPOSIT;
	pub const StudyDepositPerParticipant: u64 = STUDY_DEPOSIT_PER_PARTICIPANT;
	pub const ConsentDeposit: u64 = CONSENT_DEPOSIT;
	pub const GuardianDeposit: u64 = GUARDIAN_DEPOSIT;
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrarOrigin = EnsureRoot<u64>;
	type KeyDeposit = KeyDeposit;
	type DatasetDeposit = DatasetDeposit;
	type ShareDeposit = ShareDeposit;
	type StudyDeposit = StudyDeposit;
	type StudyDepositPerParticipant = StudyDepositPerParticipant;
	type ConsentDeposit = ConsentDeposit;
	type GuardianDeposit = GuardianDeposit;
	type MaxKeysPerAccount = ConstU32<MAX_KEYS>;
	type MaxDatasetsPerOwner = ConstU32<MAX_DATASETS>;
	type MaxSharesPerDataset = ConstU32<MAX_SHARES>;
	type MaxLocatorLen = ConstU32<64>;
	type MaxWrappedKeyLen = ConstU32<80>;
	type MaxUseCodes = ConstU32<MAX_USE_CODES>;
	type MaxParticipants = ConstU32<MAX_PARTICIPANTS>;
	type MaxStudies = ConstU32<MAX_STUDIES>;
	type MaxStudiesPerOrganisation = ConstU32<MAX_STUDIES_PER_ORG>;
	type AcceptanceWindow = ConstU64<ACCEPTANCE_WINDOW>;
	type DisputeWindow = ConstU64<DISPUTE_WINDOW>;
	type MaxGuardians = ConstU32<MAX_GUARDIANS>;
	type MaxCleanupBatch = ConstU32<MAX_CLEANUP>;
	type RecoveryDelay = ConstU64<RECOVERY_DELAY>;
	type RecoveryApprovalWindow = ConstU64<RECOVERY_APPROVAL_WINDOW>;
	type WeightInfo = ();
}

/// A genome owner.
pub const OWNER: u64 = 1;
/// Another owner.
pub const OWNER_2: u64 = 2;
/// A clinician with a key registered at genesis (key id [`CLINICIAN_KEY`]).
pub const CLINICIAN: u64 = 10;
/// A genetic counsellor without keys.
pub const COUNSELLOR: u64 = 11;
/// A research organisation with a key registered at genesis (key id [`ORG_KEY`]).
pub const ORG: u64 = 20;
/// Another research organisation, without keys.
pub const ORG_2: u64 = 21;
/// An attested compute service (enclave) with a key registered at genesis ([`ENCLAVE_KEY`]).
pub const ENCLAVE: u64 = 30;
/// An account that is nothing in particular.
pub const STRANGER: u64 = 40;
/// Guardians.
pub const MUM: u64 = 50;
pub const DAD: u64 = 51;
pub const SIS: u64 = 52;
/// An account with no funds.
pub const PAUPER: u64 = 99;

/// Genesis key ids, in genesis order.
pub const CLINICIAN_KEY: KeyId = 0;
pub const ORG_KEY: KeyId = 1;
pub const ENCLAVE_KEY: KeyId = 2;

pub const INITIAL_BALANCE: u64 = 10_000;

/// An X25519 public key: 32 bytes of `tag`.
pub fn x25519(tag: u8) -> PublicKey {
	BoundedVec::try_from(vec![tag; 32]).unwrap()
}

/// A compressed secp256k1 point: `0x02` and 32 bytes of `tag`.
pub fn secp256k1(tag: u8) -> PublicKey {
	BoundedVec::try_from([vec![0x02], vec![tag; 32]].concat()).unwrap()
}

pub fn locator(tag: u8) -> LocatorOf<Test> {
	// Stands for "s3://bucket/genome.vcf.gz.enc" encrypted to the owner: opaque bytes.
	BoundedVec::try_from([b"enc:".as_slice(), &[tag; 8]].concat()).unwrap()
}

/// A data key wrapped to a recipient: opaque bytes.
pub fn wrapped(tag: u8) -> WrappedKeyOf<Test> {
	BoundedVec::try_from([b"wrap:".as_slice(), &[tag; 40]].concat()).unwrap()
}

pub fn hash(tag: u8) -> H256 {
	H256::repeat_byte(tag)
}

pub fn uses(list: &[DataUse], commercial: bool) -> UseTermsOf<Test> {
	UseTerms { uses: BoundedVec::try_from(list.to_vec()).unwrap(), commercial }
}

pub fn formats(list: &[DatasetFormat]) -> FormatList {
	BoundedVec::try_from(list.to_vec()).unwrap()
}

pub fn held(reason: HoldReason, who: u64) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&RuntimeHoldReason::DnaWallet(reason), &who)
}

pub fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Builds genesis: funded accounts, organisations and keys.
pub struct ExtBuilder {
	balances: Vec<(u64, u64)>,
	organisations: Vec<(u64, OrganisationKind)>,
	keys: Vec<(u64, KeyType, Vec<u8>)>,
	datasets: Vec<(u64, H256, DatasetFormat, u64, Vec<u8>, Vec<DataUse>)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			balances: [
				OWNER, OWNER_2, CLINICIAN, COUNSELLOR, ORG, ORG_2, ENCLAVE, STRANGER, MUM, DAD, SIS,
			]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.collect(),
			organisations: vec![
				(ORG, OrganisationKind::Research),
				(ORG_2, OrganisationKind::Research),
				(ENCLAVE, OrganisationKind::Compute),
			],
			keys: vec![
				(CLINICIAN, KeyType::X25519, x25519(10).into_inner()),
				(ORG, KeyType::X25519, x25519(20).into_inner()),
				(ENCLAVE, KeyType::X25519, x25519(30).into_inner()),
			],
			datasets: vec![],
		}
	}
}

impl ExtBuilder {
	/// A VCF dataset of `owner` allowing `allowed` (non-commercial) at genesis.
	pub fn with_dataset(mut self, owner: u64, tag: u8, allowed: &[DataUse]) -> Self {
		self.datasets.push((
			owner,
			hash(tag),
			DatasetFormat::Vcf,
			1 << 30,
			locator(tag).into_inner(),
			allowed.to_vec(),
		));
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		GenesisConfig::<Test> {
			keys: self.keys,
			organisations: self.organisations,
			datasets: self.datasets,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			DnaWallet::do_try_state().expect("try_state invariants hold after the test");
		});
	}
}

/// Genesis for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
