//! Test runtime for the EHR pallet.

use crate as pallet_ehr;
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
	pub type Ehr = pallet_ehr::Pallet<Test>;
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

pub const RECORD_DEPOSIT: u64 = 10;
pub const GRANT_DEPOSIT: u64 = 5;
pub const REQUEST_DEPOSIT: u64 = 3;
pub const BREAK_GLASS_DEPOSIT: u64 = 100;
pub const GUARDIAN_DEPOSIT: u64 = 7;
pub const PROPOSAL_DEPOSIT: u64 = 4;
pub const MAX_RECORDS: u32 = 5;
pub const MAX_GRANTS: u32 = 3;
pub const MAX_REQUESTS: u32 = 2;
pub const MAX_SCOPE: u32 = 3;
pub const MAX_GUARDIANS: u32 = 3;
pub const MAX_PROPOSALS: u32 = 2;
pub const MAX_LOG: u32 = 4;
pub const MAX_CLEANUP: u32 = 3;
pub const REQUEST_TTL: u64 = 10;
pub const BREAK_GLASS_DURATION: u64 = 5;
pub const GUARDIAN_PROPOSAL_TTL: u64 = 20;
pub const READ_WINDOW: u64 = 3;
pub const MAX_REVIEW_ACCESS: u32 = 2;

parameter_types! {
	pub const RecordDeposit: u64 = RECORD_DEPOSIT;
	pub const GrantDeposit: u64 = GRANT_DEPOSIT;
	pub const RequestDeposit: u64 = REQUEST_DEPOSIT;
	pub const BreakGlassDeposit: u64 = BREAK_GLASS_DEPOSIT;
	pub const GuardianDeposit: u64 = GUARDIAN_DEPOSIT;
	pub const ProposalDeposit: u64 = PROPOSAL_DEPOSIT;
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrarOrigin = EnsureRoot<u64>;
	type ReviewerOrigin = EnsureRoot<u64>;
	type KeyRegistry = MockKeys;
	type RecordDeposit = RecordDeposit;
	type GrantDeposit = GrantDeposit;
	type RequestDeposit = RequestDeposit;
	type BreakGlassDeposit = BreakGlassDeposit;
	type GuardianDeposit = GuardianDeposit;
	type ProposalDeposit = ProposalDeposit;
	type MaxRecordsPerPatient = ConstU32<MAX_RECORDS>;
	type MaxGrantsPerPatient = ConstU32<MAX_GRANTS>;
	type MaxPendingRequests = ConstU32<MAX_REQUESTS>;
	type MaxScopeItems = ConstU32<MAX_SCOPE>;
	type MaxTypeCodeLen = ConstU32<16>;
	type MaxLocatorLen = ConstU32<64>;
	type MaxCredentialLen = ConstU32<32>;
	type MaxGuardians = ConstU32<MAX_GUARDIANS>;
	type MaxGuardianProposals = ConstU32<MAX_PROPOSALS>;
	type MaxAccessLogLen = ConstU32<MAX_LOG>;
	type MaxCleanupBatch = ConstU32<MAX_CLEANUP>;
	type RequestTtl = ConstU64<REQUEST_TTL>;
	type BreakGlassDuration = ConstU64<BREAK_GLASS_DURATION>;
	type GuardianProposalTtl = ConstU64<GUARDIAN_PROPOSAL_TTL>;
	type ReadWindow = ConstU64<READ_WINDOW>;
	type MaxReviewAccessPerReviewer = ConstU32<MAX_REVIEW_ACCESS>;
	type WeightInfo = ();
}

thread_local! {
	/// The accounts without a live sealing key (each test runs on its own thread).
	static KEYLESS: std::cell::RefCell<std::collections::BTreeSet<u64>> = Default::default();
}

/// The key-agreement registry of the tests: every account has a sealing key until
/// [`MockKeys::revoke`] takes it away.
pub struct MockKeys;

impl MockKeys {
	/// `who` no longer has a live sealing key.
	pub fn revoke(who: u64) {
		KEYLESS.with(|keyless| keyless.borrow_mut().insert(who));
	}
}

impl medchain_keys::KeyAgreementRegistry<u64> for MockKeys {
	fn has_sealing_key(who: &u64) -> bool {
		!KEYLESS.with(|keyless| keyless.borrow().contains(who))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_up_sealing_key(who: &u64) {
		KEYLESS.with(|keyless| keyless.borrow_mut().remove(who));
	}
}

/// A patient.
pub const PATIENT: u64 = 1;
/// Another patient.
pub const PATIENT_2: u64 = 2;
/// A hospital, registered at genesis.
pub const HOSPITAL: u64 = 10;
/// A doctor, registered at genesis.
pub const DOCTOR: u64 = 11;
/// An emergency physician, registered at genesis.
pub const ER_DOCTOR: u64 = 12;
/// A laboratory, registered at genesis.
pub const LAB: u64 = 13;
/// An account that is not a provider.
pub const STRANGER: u64 = 20;
/// Guardians.
pub const MUM: u64 = 30;
pub const DAD: u64 = 31;
pub const AUNT: u64 = 32;
/// An account with no funds.
pub const PAUPER: u64 = 99;

pub const INITIAL_BALANCE: u64 = 1_000;

/// A LOINC "Consult note" type code.
pub const CONSULT_NOTE: &[u8] = b"11488-4";
/// A LOINC "Discharge summary" type code.
pub const DISCHARGE: &[u8] = b"18842-5";
/// A LOINC "Lab report" type code.
pub const LAB_REPORT: &[u8] = b"11502-2";

pub fn type_code(code: &[u8]) -> TypeCodeOf<Test> {
	BoundedVec::try_from(code.to_vec()).unwrap()
}

pub fn locator(tag: u8) -> LocatorOf<Test> {
	// Stands for "ipfs://<cid>" encrypted to the patient: opaque bytes.
	BoundedVec::try_from([b"enc:".as_slice(), &[tag; 8]].concat()).unwrap()
}

pub fn commitment(tag: u8) -> H256 {
	H256::repeat_byte(tag)
}

/// The content id of the sealed object of the record with id `record_id` in these tests (one
/// object per record; never zero).
pub fn content_id(record_id: RecordId) -> ContentId {
	H256::from_low_u64_be(record_id.saturating_add(0xC1D0))
}

/// The content id the next record added gets in these tests.
pub fn next_content_id() -> ContentId {
	content_id(NextRecordId::<Test>::get())
}

pub fn types_scope(codes: &[&[u8]]) -> GrantScopeOf<Test> {
	GrantScope::Types(
		BoundedVec::try_from(codes.iter().map(|c| type_code(c)).collect::<Vec<_>>()).unwrap(),
	)
}

pub fn records_scope(ids: &[RecordId]) -> GrantScopeOf<Test> {
	GrantScope::Records(BoundedVec::try_from(ids.to_vec()).unwrap())
}

pub fn held(reason: HoldReason, who: u64) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&RuntimeHoldReason::Ehr(reason), &who)
}

pub fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Builds genesis: funded accounts, registered providers, optional grants and records.
pub struct ExtBuilder {
	balances: Vec<(u64, u64)>,
	providers: Vec<(u64, ProviderKind, Vec<u8>)>,
	grants: Vec<(u64, u64, AccessActions, PurposeOfUse, u64)>,
	records: Vec<(u64, u64, Vec<u8>, H256, ContentId, Vec<u8>, u64)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			balances: [
				PATIENT, PATIENT_2, HOSPITAL, DOCTOR, ER_DOCTOR, LAB, STRANGER, MUM, DAD, AUNT,
			]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.collect(),
			providers: vec![
				(HOSPITAL, ProviderKind::Hospital, b"licence:hospital".to_vec()),
				(DOCTOR, ProviderKind::Clinician, b"licence:doctor".to_vec()),
				(ER_DOCTOR, ProviderKind::Clinician, b"licence:er".to_vec()),
				(LAB, ProviderKind::Laboratory, b"licence:lab".to_vec()),
			],
			grants: vec![],
			records: vec![],
		}
	}
}

impl ExtBuilder {
	pub fn with_grant(
		mut self,
		patient: u64,
		grantee: u64,
		actions: AccessActions,
		purpose: PurposeOfUse,
		expires_at: u64,
	) -> Self {
		self.grants.push((patient, grantee, actions, purpose, expires_at));
		self
	}

	pub fn with_record(mut self, patient: u64, issuer: u64, code: &[u8], tag: u8) -> Self {
		// Genesis records get ids from 0 in the order listed.
		let record_id = self.records.len() as RecordId;
		self.records.push((
			patient,
			issuer,
			code.to_vec(),
			commitment(tag),
			content_id(record_id),
			locator(tag).into_inner(),
			1024,
		));
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		GenesisConfig::<Test> {
			providers: self.providers,
			grants: self.grants,
			records: self.records,
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
			Ehr::do_try_state().expect("try_state invariants hold after the test");
		});
	}
}

/// Genesis for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
