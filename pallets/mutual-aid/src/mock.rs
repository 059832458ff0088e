//! Test runtime for the mutual-aid pallet.

use crate as pallet_mutual_aid;
use crate::*;
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::InspectHold, ConstU16, ConstU32, ConstU64},
	BoundedVec, PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are `u128`: a pool account (`modl` ‖ pallet id ‖ pool id) needs 16 bytes to be
/// distinct per pool.
pub type AccountId = u128;

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
	pub type MutualAid = pallet_mutual_aid::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const MEMBERSHIP_DEPOSIT: u64 = 10;
pub const OBJECTION_DEPOSIT: u64 = 5;
pub const APPEAL_DEPOSIT: u64 = 50;
pub const CLAIM_DEPOSIT: u64 = 20;
pub const TIMELOCK: u64 = 10;
pub const PERIOD: u64 = 100;
pub const MAX_FEE_BPS: u16 = 500;
pub const MAX_MEMBERS: u32 = 8;
pub const MAX_OPEN_CLAIMS: u32 = 3;
pub const MAX_CLAIMS_PER_PERIOD: u32 = 2;
pub const MAX_CONDITIONS: u32 = 4;
pub const MAX_EVIDENCE: u32 = 3;
pub const MAX_OBJECTIONS: u32 = 2;
pub const MAX_REVIEWERS: u32 = 10;
pub const PANEL: u32 = 3;
pub const APPEAL_PANEL: u32 = 5;
pub const MAX_ESCALATIONS: u32 = 1;
pub const BATCH: u32 = 2;
pub const MAX_WAITING: u64 = 1_000;
pub const MAX_NOTICE: u64 = 100;
pub const MAX_REVIEW: u64 = 50;

pub const WAITING: u64 = 20;
pub const CLAIM_CAP: u64 = 3_000;
pub const LIFETIME_CAP: u64 = 5_000;
pub const FEE_BPS: u16 = 100;
pub const NOTICE: u64 = 3;
pub const REVIEW: u64 = 4;

parameter_types! {
	pub const MutualAidPalletId: PalletId = PalletId(*b"mc/mutal");
}

/// A registered, active EHR provider.
pub const PROVIDER: AccountId = 30;
/// A second registered provider, suspended by the test that needs it.
pub const OTHER_PROVIDER: AccountId = 31;

std::thread_local! {
	/// The EHR records of the test (each test runs in its own thread).
	static RECORDS: core::cell::RefCell<std::collections::BTreeMap<RecordId, EvidenceRecord<AccountId, u64>>> =
		Default::default();
	/// Review access: (reviewer, patient) → (review, records, until), as pallet-ehr keeps it.
	static REVIEW_ACCESS: core::cell::RefCell<
		std::collections::BTreeMap<(AccountId, AccountId), ReviewAccessOf>,
	> = Default::default();
	/// The active registered providers.
	static PROVIDERS: core::cell::RefCell<std::collections::BTreeSet<AccountId>> =
		core::cell::RefCell::new([PROVIDER, OTHER_PROVIDER].into_iter().collect());
}

/// Add an active EHR record of `patient` issued by `issuer` in the current block; returns its id.
pub fn issue_record(patient: AccountId, issuer: AccountId) -> RecordId {
	RECORDS.with(|r| {
		let mut records = r.borrow_mut();
		// Distinctive ids, so that a test can look for them in encoded events.
		let id = 7_770_000 + records.len() as RecordId;
		records.insert(
			id,
			EvidenceRecord { patient, issuer, issued_at: System::block_number(), active: true },
		);
		id
	})
}

/// Mark record `id` amended (no longer the active version).
pub fn amend_record(id: RecordId) {
	RECORDS.with(|r| {
		if let Some(record) = r.borrow_mut().get_mut(&id) {
			record.active = false;
		}
	});
}

/// One review access of the EHR stand-in: the review, the records, the first block it no longer
/// reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewAccessOf {
	pub review: ReviewId,
	pub records: Vec<RecordId>,
	pub until: u64,
}

/// Most review accesses one reviewer holds in the EHR stand-in.
pub const MAX_REVIEW_ACCESS: u32 = 2;

/// `reviewer`'s review access to `patient`'s records, if any.
pub fn review_access(reviewer: AccountId, patient: AccountId) -> Option<ReviewAccessOf> {
	REVIEW_ACCESS.with(|a| a.borrow().get(&(reviewer, patient)).cloned())
}

/// Whether `reviewer` may read record `id` of `patient` now under review access (what
/// pallet-ehr's `log_access` and `read_ticket` check for a reviewer).
pub fn reviewer_reads(reviewer: AccountId, patient: AccountId, id: RecordId) -> bool {
	review_access(reviewer, patient)
		.is_some_and(|a| System::block_number() < a.until && a.records.contains(&id))
}

/// The number of review accesses `reviewer` holds.
pub fn review_access_count(reviewer: AccountId) -> usize {
	REVIEW_ACCESS.with(|a| a.borrow().keys().filter(|(r, _)| *r == reviewer).count())
}

/// Suspend `provider`.
pub fn suspend_provider(provider: AccountId) {
	PROVIDERS.with(|p| p.borrow_mut().remove(&provider));
}

/// The EHR pallet stand-in: records in [`RECORDS`], providers in [`PROVIDERS`].
pub struct MockEvidence;
impl EvidenceRecords<AccountId, u64> for MockEvidence {
	fn evidence_record(record_id: RecordId) -> Option<EvidenceRecord<AccountId, u64>> {
		RECORDS.with(|r| r.borrow().get(&record_id).cloned())
	}

	fn is_active_provider(who: &AccountId) -> bool {
		PROVIDERS.with(|p| p.borrow().contains(who))
	}

	fn can_grant_review_access(patient: &AccountId, reviewer: &AccountId) -> bool {
		patient != reviewer
			&& match review_access(*reviewer, *patient) {
				Some(access) => access.until <= System::block_number(),
				None => review_access_count(*reviewer) < MAX_REVIEW_ACCESS as usize,
			}
	}

	fn grant_review_access(
		patient: &AccountId,
		reviewer: &AccountId,
		review: ReviewId,
		records: &[RecordId],
		until: u64,
	) -> sp_runtime::DispatchResult {
		let foreign = records
			.iter()
			.any(|id| Self::evidence_record(*id).is_some_and(|record| record.patient != *patient));
		if foreign || records.is_empty() || until <= System::block_number() {
			return Err(sp_runtime::DispatchError::Other("refused by the EHR stand-in"));
		}
		if !Self::can_grant_review_access(patient, reviewer) {
			return Err(sp_runtime::DispatchError::Other("no room in the EHR stand-in"));
		}
		REVIEW_ACCESS.with(|a| {
			a.borrow_mut().insert(
				(*reviewer, *patient),
				ReviewAccessOf { review, records: records.to_vec(), until },
			)
		});
		Ok(())
	}

	fn end_review_access(patient: &AccountId, reviewer: &AccountId, review: ReviewId) -> bool {
		REVIEW_ACCESS.with(|a| {
			let mut map = a.borrow_mut();
			if map.get(&(*reviewer, *patient)).is_some_and(|access| access.review == review) {
				map.remove(&(*reviewer, *patient));
				true
			} else {
				false
			}
		})
	}

	fn end_all_review_access(reviewer: &AccountId) -> u32 {
		REVIEW_ACCESS.with(|a| {
			let mut map = a.borrow_mut();
			let before = map.len();
			map.retain(|(r, _), _| r != reviewer);
			(before - map.len()) as u32
		})
	}

	fn review_access(patient: &AccountId, reviewer: &AccountId) -> Option<ReviewId> {
		review_access(*reviewer, *patient).map(|access| access.review)
	}

	fn max_review_access() -> u32 {
		MAX_REVIEW_ACCESS
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_benchmark_record(patient: &AccountId, _index: u32) -> Option<RecordId> {
		Some(issue_record(*patient, PROVIDER))
	}
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type PoolCreatorOrigin = EnsureRoot<AccountId>;
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type EvidenceRecords = MockEvidence;
	type PalletId = MutualAidPalletId;
	type MembershipDeposit = ConstU64<MEMBERSHIP_DEPOSIT>;
	type ObjectionDeposit = ConstU64<OBJECTION_DEPOSIT>;
	type AppealDeposit = ConstU64<APPEAL_DEPOSIT>;
	type RuleChangeTimelock = ConstU64<TIMELOCK>;
	type ApportionPeriod = ConstU64<PERIOD>;
	type MaxWaitingPeriod = ConstU64<MAX_WAITING>;
	type MaxNoticePeriod = ConstU64<MAX_NOTICE>;
	type MaxReviewPeriod = ConstU64<MAX_REVIEW>;
	type MaxFeeBps = ConstU16<MAX_FEE_BPS>;
	type MaxMembersPerPool = ConstU32<MAX_MEMBERS>;
	type MaxOpenClaimsPerPool = ConstU32<MAX_OPEN_CLAIMS>;
	type MaxClaimsPerPeriod = ConstU32<MAX_CLAIMS_PER_PERIOD>;
	type MaxConditions = ConstU32<MAX_CONDITIONS>;
	type MaxEvidence = ConstU32<MAX_EVIDENCE>;
	type MaxObjections = ConstU32<MAX_OBJECTIONS>;
	type MaxReviewers = ConstU32<MAX_REVIEWERS>;
	type PanelSize = ConstU32<PANEL>;
	type AppealPanelSize = ConstU32<APPEAL_PANEL>;
	type MaxEscalations = ConstU32<MAX_ESCALATIONS>;
	type MaxApportionBatch = ConstU32<BATCH>;
	type WeightInfo = ();
}

/// Members.
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
/// Not a member.
pub const STRANGER: AccountId = 9;
/// A member with almost no funds.
pub const PAUPER: AccountId = 8;
/// The manager of the genesis pools.
pub const MANAGER: AccountId = 100;
/// Registered reviewers.
pub const REVIEWERS: [AccountId; 8] = [20, 21, 22, 23, 24, 25, 26, 27];

pub const INITIAL_BALANCE: u64 = 100_000;
/// The share-after-claims pool created at genesis.
pub const SHARE_POOL: PoolId = 0;
/// The prefunded pool created at genesis.
pub const PREFUNDED_POOL: PoolId = 1;

pub fn code(text: &str) -> ConditionCode {
	BoundedVec::try_from(text.as_bytes().to_vec()).unwrap()
}

pub fn rules(funding: FundingModel) -> PoolRulesOf<Test> {
	PoolRules {
		funding,
		waiting_period: WAITING,
		per_claim_cap: CLAIM_CAP,
		lifetime_cap: LIFETIME_CAP,
		covered_conditions: BoundedVec::try_from(vec![code("C"), code("I21")]).unwrap(),
		fee_bps: FEE_BPS,
		min_members: 2,
		notice_period: NOTICE,
		review_period: REVIEW,
		claim_deposit: CLAIM_DEPOSIT,
		contribution: 0,
		max_share: match funding {
			FundingModel::ShareAfterClaims => CLAIM_CAP,
			FundingModel::Prefunded => 0,
		},
	}
}

fn genesis_pool(funding: FundingModel) -> GenesisPool<AccountId, u64, u64> {
	let r = rules(funding);
	GenesisPool {
		manager: MANAGER,
		funding,
		waiting_period: r.waiting_period,
		per_claim_cap: r.per_claim_cap,
		lifetime_cap: r.lifetime_cap,
		covered_conditions: vec![b"C".to_vec(), b"I21".to_vec()],
		fee_bps: r.fee_bps,
		min_members: r.min_members,
		notice_period: r.notice_period,
		review_period: r.review_period,
		claim_deposit: r.claim_deposit,
		contribution: r.contribution,
		max_share: r.max_share,
		members: vec![],
	}
}

pub fn held(reason: HoldReason, who: AccountId) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::MutualAid(reason), &who)
}

pub fn free(who: AccountId) -> u64 {
	Balances::free_balance(who)
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

pub fn advance(blocks: u64) {
	run_to_block(System::block_number() + blocks);
}

/// Builds genesis: funded accounts, registered reviewers, a share-after-claims pool (0) and a
/// prefunded pool (1), both managed by [`MANAGER`] with [`rules`].
pub struct ExtBuilder {
	balances: Vec<(AccountId, u64)>,
	reviewers: Vec<AccountId>,
	pools: Vec<GenesisPool<AccountId, u64, u64>>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		let mut balances: Vec<(AccountId, u64)> =
			[ALICE, BOB, CHARLIE, DAVE, EVE, STRANGER, MANAGER]
				.into_iter()
				.chain(REVIEWERS)
				.map(|who| (who, INITIAL_BALANCE))
				.collect();
		balances.push((PAUPER, MEMBERSHIP_DEPOSIT + 3));
		Self {
			balances,
			reviewers: REVIEWERS.to_vec(),
			pools: vec![
				genesis_pool(FundingModel::ShareAfterClaims),
				genesis_pool(FundingModel::Prefunded),
			],
		}
	}
}

impl ExtBuilder {
	pub fn with_reviewers(mut self, reviewers: &[AccountId]) -> Self {
		self.reviewers = reviewers.to_vec();
		self
	}

	pub fn with_genesis_members(mut self, pool: usize, members: &[AccountId]) -> Self {
		self.pools[pool].members = members.to_vec();
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		GenesisConfig::<Test> { reviewers: self.reviewers, pools: self.pools }
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
			MutualAid::do_try_state().expect("try_state invariants hold after the test");
		});
	}
}

/// Genesis for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
