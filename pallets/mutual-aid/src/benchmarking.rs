//! Benchmarks for the mutual-aid pallet: the worst case of every call.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as MutualAid;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::traits::Zero;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn set_block<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

fn advance<T: Config>(blocks: u32) {
	set_block::<T>(now::<T>() + blocks.into());
}

/// The unit of amounts: the membership deposit (at least the existential deposit).
fn unit<T: Config>() -> BalanceOf<T> {
	T::MembershipDeposit::get().max(T::Currency::minimum_balance())
}

/// An account funded for every deposit, share and contribution of the benchmarks.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let deposits = T::AppealDeposit::get() + T::ObjectionDeposit::get();
	T::Currency::set_balance(&who, unit::<T>() * 1_000_000u32.into() + deposits);
	who
}

/// A valid condition code of 8 characters ending in `i`'s digits.
fn long_code(i: u32) -> ConditionCode {
	let mut code = vec![b'Z'; MAX_CONDITION_CODE_LEN as usize];
	code[7] = b'0' + (i % 10) as u8;
	code[6] = b'0' + ((i / 10) % 10) as u8;
	BoundedVec::truncate_from(code)
}

/// Rules with the most covered codes, the matching one (`C`) last; every period one block.
fn max_rules<T: Config>(funding: FundingModel) -> PoolRulesOf<T> {
	let mut codes: Vec<ConditionCode> = (1..T::MaxConditions::get()).map(long_code).collect();
	codes.push(BoundedVec::truncate_from(b"C".to_vec()));
	PoolRules {
		funding,
		waiting_period: 1u32.into(),
		per_claim_cap: unit::<T>() * 1_000u32.into(),
		lifetime_cap: unit::<T>() * 10_000u32.into(),
		covered_conditions: BoundedVec::truncate_from(codes),
		fee_bps: T::MaxFeeBps::get(),
		min_members: 1,
		notice_period: 1u32.into(),
		review_period: 1u32.into(),
		claim_deposit: unit::<T>(),
		// A contribution schedule in prefunded pools (checked at filing), a share cap that
		// never binds in share-after-claims pools.
		contribution: match funding {
			FundingModel::Prefunded => unit::<T>(),
			FundingModel::ShareAfterClaims => Zero::zero(),
		},
		max_share: match funding {
			FundingModel::Prefunded => Zero::zero(),
			FundingModel::ShareAfterClaims => unit::<T>() * 1_000u32.into(),
		},
	}
}

fn new_pool<T: Config>(funding: FundingModel) -> PoolId {
	let id = NextPoolId::<T>::get();
	MutualAid::<T>::do_create_pool(funded::<T>("manager", 0), max_rules::<T>(funding)).unwrap();
	id
}

fn new_member<T: Config>(pool: PoolId, index: u32) -> T::AccountId {
	let who = funded::<T>("member", index);
	MutualAid::<T>::do_join(who.clone(), pool).unwrap();
	// Paid up for a long while (a prefunded pool's schedule).
	MutualAid::<T>::do_contribute(who.clone(), pool, unit::<T>() * 1_000u32.into()).unwrap();
	who
}

/// `count` distinct records of `claimant`, each issued now by a registered provider.
fn evidence_of<T: Config>(claimant: &T::AccountId, count: u32) -> EvidenceOf<T> {
	let ids: Vec<RecordId> = (0..count)
		.map(|i| T::EvidenceRecords::create_benchmark_record(claimant, i).unwrap())
		.collect();
	BoundedVec::truncate_from(ids)
}

fn claim_amount<T: Config>() -> BalanceOf<T> {
	unit::<T>() * 10u32.into()
}

/// A claim filed by a covered member of `pool`, with the most evidence records (their issuers
/// are read when a panel is drawn).
fn filed_claim<T: Config>(pool: PoolId) -> (ClaimId, T::AccountId) {
	let claimant = new_member::<T>(pool, 0);
	advance::<T>(1);
	let id = NextClaimId::<T>::get();
	MutualAid::<T>::do_file_claim(
		claimant.clone(),
		pool,
		H256::repeat_byte(5),
		claim_amount::<T>(),
		evidence_of::<T>(&claimant, T::MaxEvidence::get()),
		H256::repeat_byte(1),
	)
	.unwrap();
	(id, claimant)
}

/// `count` members of the claim's pool object to it.
fn objections<T: Config>(id: ClaimId, count: u32) -> Vec<T::AccountId> {
	let pool = Claims::<T>::get(id).unwrap().pool;
	(1..=count)
		.map(|i| {
			let who = new_member::<T>(pool, i);
			MutualAid::<T>::do_object(who.clone(), id, H256::repeat_byte(2)).unwrap();
			who
		})
		.collect()
}

/// Fill the reviewer set up to its maximum.
fn fill_reviewers<T: Config>(upto: u32) {
	let mut i = 0;
	while (Reviewers::<T>::get().len() as u32) < upto {
		let _ = MutualAid::<T>::do_add_reviewer(account("reviewer", i, SEED));
		i += 1;
	}
}

/// A claim with the most objections and a drawn panel of `level`.
fn drawn_claim<T: Config>(pool: PoolId, level: ReviewLevel) -> ClaimId {
	let (id, _) = filed_claim::<T>(pool);
	objections::<T>(id, T::MaxObjections::get());
	fill_reviewers::<T>(T::MaxReviewers::get());
	Claims::<T>::mutate(id, |c| c.as_mut().unwrap().level = level);
	set_block::<T>(Claims::<T>::get(id).unwrap().seed_block + 1u32.into());
	MutualAid::<T>::do_draw_panel(id).unwrap();
	id
}

fn salt(i: u32) -> [u8; 32] {
	[i as u8; 32]
}

fn seats<T: Config>(id: ClaimId) -> Vec<T::AccountId> {
	Claims::<T>::get(id).unwrap().panel.iter().map(|s| s.reviewer.clone()).collect()
}

fn commit_all<T: Config>(id: ClaimId, vote: &VoteOf<T>) {
	for (i, reviewer) in seats::<T>(id).into_iter().enumerate() {
		let c = MutualAid::<T>::vote_commitment(id, &reviewer, vote, &salt(i as u32));
		MutualAid::<T>::do_commit_vote(reviewer, id, c).unwrap();
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_pool() {
		let manager = funded::<T>("manager", 0);
		let rules = max_rules::<T>(FundingModel::ShareAfterClaims);
		let origin = T::PoolCreatorOrigin::try_successful_origin().unwrap();
		let id = NextPoolId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, manager.clone(), rules);

		assert_eq!(Pools::<T>::get(id).unwrap().manager, manager);
	}

	#[benchmark]
	fn propose_rule_change() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let manager = Pools::<T>::get(pool).unwrap().manager;

		#[extrinsic_call]
		_(RawOrigin::Signed(manager), pool, max_rules::<T>(FundingModel::ShareAfterClaims));

		assert!(Pools::<T>::get(pool).unwrap().pending.is_some());
	}

	#[benchmark]
	fn apply_rule_change() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let mut rules = max_rules::<T>(FundingModel::ShareAfterClaims);
		rules.min_members = 2;
		MutualAid::<T>::do_propose_rule_change(None, pool, rules).unwrap();
		set_block::<T>(now::<T>() + T::RuleChangeTimelock::get());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		assert_eq!(Pools::<T>::get(pool).unwrap().rules.min_members, 2);
	}

	#[benchmark]
	fn join() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let who = funded::<T>("member", 0);
		// Worst case: a former member whose approved claims are restored.
		FormerClaims::<T>::insert(pool, &who, unit::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), pool);

		assert_eq!(Members::<T>::get(pool, &who).unwrap().claimed_total, unit::<T>());
	}

	#[benchmark]
	fn leave() {
		// Worst case: arrears, and a share of the most open claims, all filed while the leaver
		// was a member, paid from its free balance and its deposit.
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let who = new_member::<T>(pool, 0);
		let template = {
			let (id, _) = filed_claim::<T>(new_pool::<T>(FundingModel::ShareAfterClaims));
			Claims::<T>::get(id).unwrap()
		};
		let mut ids = Vec::new();
		for i in 0..T::MaxOpenClaimsPerPool::get() {
			let id = NextClaimId::<T>::get();
			NextClaimId::<T>::put(id + 1);
			let mut claim = template.clone();
			claim.pool = pool;
			claim.claimant = account("claimant", i, SEED);
			claim.deposit = Zero::zero();
			claim.filed_at = now::<T>();
			Claims::<T>::insert(id, claim);
			ids.push(id);
		}
		let amount = template.amount;
		Pools::<T>::mutate(pool, |p| {
			let p = p.as_mut().unwrap();
			p.open_claims = ids.len() as u32;
			p.exposure = amount * (ids.len() as u32).into();
		});
		PoolClaims::<T>::insert(pool, BoundedVec::truncate_from(ids));
		Members::<T>::mutate(pool, &who, |m| {
			let m = m.as_mut().unwrap();
			m.arrears = unit::<T>();
			m.claimed_total = unit::<T>();
		});
		// Just short of what it owes: the rest comes from the deposit.
		let owed = unit::<T>() + amount * T::MaxOpenClaimsPerPool::get().into();
		T::Currency::set_balance(&who, owed + T::Currency::minimum_balance() - 1u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), pool);

		assert!(!Members::<T>::contains_key(pool, &who));
		assert!(FormerClaims::<T>::contains_key(pool, &who));
	}

	#[benchmark]
	fn contribute() {
		let pool = new_pool::<T>(FundingModel::Prefunded);
		let who = new_member::<T>(pool, 0);
		let before = Members::<T>::get(pool, &who).unwrap().contributed;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), pool, unit::<T>());

		assert_eq!(Members::<T>::get(pool, &who).unwrap().contributed, before + unit::<T>());
	}

	#[benchmark]
	fn file_claim(e: Linear<1, { T::MaxEvidence::get() }>) {
		// Worst case: a prefunded pool (its balance is read for solvency) and `e` distinct
		// records, each read with its issuer's provider entry.
		let pool = new_pool::<T>(FundingModel::Prefunded);
		let claimant = new_member::<T>(pool, 0);
		advance::<T>(1);
		let evidence = evidence_of::<T>(&claimant, e);
		let id = NextClaimId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(claimant.clone()),
			pool,
			H256::repeat_byte(5),
			claim_amount::<T>(),
			evidence,
			H256::repeat_byte(1),
		);

		assert_eq!(Claims::<T>::get(id).unwrap().evidence.len() as u32, e);
	}

	#[benchmark]
	fn object() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let (id, _) = filed_claim::<T>(pool);
		objections::<T>(id, T::MaxObjections::get() - 1);
		let objector = new_member::<T>(pool, 1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(objector), id, H256::repeat_byte(3));

		assert_eq!(Claims::<T>::get(id).unwrap().objections.len() as u32, T::MaxObjections::get());
	}

	/// Worst case: an appeal-level panel, each reviewer granted read access to the most
	/// evidence records (`AppealPanelSize` × `MaxEvidence`), drawn from the most reviewers.
	#[benchmark]
	fn draw_panel() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let (id, _) = filed_claim::<T>(pool);
		objections::<T>(id, T::MaxObjections::get());
		fill_reviewers::<T>(T::MaxReviewers::get());
		Claims::<T>::mutate(id, |c| c.as_mut().unwrap().level = ReviewLevel::Appeal);
		set_block::<T>(Claims::<T>::get(id).unwrap().seed_block + 1u32.into());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		let claim = Claims::<T>::get(id).unwrap();
		assert_eq!(claim.panel.len() as u32, T::AppealPanelSize::get());
		assert_eq!(claim.evidence.len() as u32, T::MaxEvidence::get());
		assert!(claim.panel.iter().all(|seat| {
			T::EvidenceRecords::review_access(&claim.claimant, &seat.reviewer) == Some(id)
		}));
	}

	#[benchmark]
	fn commit_vote() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let id = drawn_claim::<T>(pool, ReviewLevel::Appeal);
		let reviewer = seats::<T>(id).pop().unwrap();
		let c = MutualAid::<T>::vote_commitment(id, &reviewer, &Vote::Approve, &salt(0));

		#[extrinsic_call]
		_(RawOrigin::Signed(reviewer), id, c);

		assert!(Claims::<T>::get(id).unwrap().panel.iter().any(|s| s.commitment.is_some()));
	}

	#[benchmark]
	fn reveal_vote() {
		// Worst case: the last reveal of an appeal-level panel decides the claim.
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let id = drawn_claim::<T>(pool, ReviewLevel::Appeal);
		let amount = claim_amount::<T>();
		let vote = Vote::ApprovePartial(amount - unit::<T>());
		let reviewers = seats::<T>(id);
		for (i, reviewer) in reviewers.iter().enumerate() {
			let c = MutualAid::<T>::vote_commitment(id, reviewer, &vote, &salt(i as u32));
			MutualAid::<T>::do_commit_vote(reviewer.clone(), id, c).unwrap();
		}
		let last = reviewers.len() - 1;
		for (i, reviewer) in reviewers.iter().enumerate().take(last) {
			MutualAid::<T>::do_reveal_vote(reviewer.clone(), id, vote.clone(), salt(i as u32))
				.unwrap();
		}
		let reviewer = reviewers[last].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(reviewer), id, vote.clone(), salt(last as u32));

		// The decision ended the whole appeal-level panel's read access.
		let claim = Claims::<T>::get(id).unwrap();
		assert_eq!(claim.status, ClaimStatus::Decided);
		assert!(reviewers
			.iter()
			.all(|r| T::EvidenceRecords::review_access(&claim.claimant, r).is_none()));
	}

	#[benchmark]
	fn close_review() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let id = drawn_claim::<T>(pool, ReviewLevel::Appeal);
		commit_all::<T>(id, &Vote::Approve);
		set_block::<T>(Claims::<T>::get(id).unwrap().reveal_ends);
		let caller: T::AccountId = whitelisted_caller();

		let reviewers = seats::<T>(id);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		// The escalation ended the whole appeal-level panel's read access.
		let claim = Claims::<T>::get(id).unwrap();
		assert_eq!(claim.status, ClaimStatus::AwaitingPanel);
		assert!(reviewers
			.iter()
			.all(|r| T::EvidenceRecords::review_access(&claim.claimant, r).is_none()));
	}

	#[benchmark]
	fn appeal() {
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let id = drawn_claim::<T>(pool, ReviewLevel::First);
		let claimant = Claims::<T>::get(id).unwrap().claimant;
		Claims::<T>::mutate(id, |c| {
			let c = c.as_mut().unwrap();
			c.status = ClaimStatus::Decided;
			c.outcome = Some(Outcome::Denied);
			c.decided_at = now::<T>();
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(claimant.clone()), id);

		assert_last_event::<T>(Event::Appealed {
			claim_id: id,
			appellant: claimant,
			seed_block: now::<T>() + 1u32.into(),
		});
	}

	#[benchmark]
	fn finalize_claim() {
		// Worst case: a prefunded payout with every objection and the appeal deposit slashed.
		let pool = new_pool::<T>(FundingModel::Prefunded);
		let id = drawn_claim::<T>(pool, ReviewLevel::Appeal);
		let claim = Claims::<T>::get(id).unwrap();
		let appellant = claim.objections[0].objector.clone();
		let deposit = T::AppealDeposit::get();
		T::Currency::hold(&HoldReason::AppealDeposit.into(), &appellant, deposit).unwrap();
		let amount = claim.amount;
		Claims::<T>::mutate(id, |c| {
			let c = c.as_mut().unwrap();
			c.status = ClaimStatus::Decided;
			c.outcome = Some(Outcome::Approved(amount));
			c.decided_at = now::<T>();
			c.appeal = Some(Appeal {
				appellant: appellant.clone(),
				deposit,
				first_outcome: Outcome::Approved(amount),
			});
		});
		T::Currency::set_balance(&MutualAid::<T>::pool_account(pool), amount * 2u32.into());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(Claims::<T>::get(id).is_none());
		assert!(
			T::Currency::balance_on_hold(&HoldReason::AppealDeposit.into(), &appellant).is_zero()
		);
	}

	#[benchmark]
	fn apportion(n: Linear<1, { T::MaxApportionBatch::get() }>) {
		// Charging `n` members completes the period, paying the most claims it can hold.
		let pool = new_pool::<T>(FundingModel::ShareAfterClaims);
		let members: Vec<T::AccountId> = (0..n).map(|i| new_member::<T>(pool, i)).collect();
		let amount = claim_amount::<T>();
		let template = {
			let (id, _) = filed_claim::<T>(new_pool::<T>(FundingModel::ShareAfterClaims));
			Claims::<T>::get(id).unwrap()
		};
		let claims = T::MaxClaimsPerPeriod::get();
		let mut ids = Vec::new();
		for i in 0..claims {
			let id = NextClaimId::<T>::get();
			NextClaimId::<T>::put(id + 1);
			let mut claim = template.clone();
			claim.pool = pool;
			claim.claimant = account("claimant", i, SEED);
			claim.deposit = Zero::zero();
			claim.status = ClaimStatus::AwaitingApportion;
			claim.outcome = Some(Outcome::Approved(amount));
			claim.period = Some(0);
			Claims::<T>::insert(id, claim);
			ids.push(id);
		}
		PeriodClaims::<T>::insert(pool, 0, BoundedVec::truncate_from(ids));
		PoolClaims::<T>::insert(
			pool,
			BoundedVec::truncate_from(PeriodClaims::<T>::get(pool, 0).into_inner()),
		);
		let total = amount * claims.into();
		let (share, fee) = MutualAid::<T>::share_and_fee(total, n, T::MaxFeeBps::get()).unwrap();
		Apportionments::<T>::insert(
			pool,
			Apportionment {
				period: 0,
				phase: ApportionPhase::Charging,
				cursor: None,
				total,
				eligible: n,
				share,
				fee,
				charged: 0,
				collected: Zero::zero(),
			},
		);
		// The pool can pay every claim even if shares fall short.
		T::Currency::set_balance(&MutualAid::<T>::pool_account(pool), total);
		set_block::<T>(T::ApportionPeriod::get() * 2u32.into());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, 0);

		assert!(Ledgers::<T>::get(pool, 0).unwrap().apportioned);
		assert_eq!(Ledgers::<T>::get(pool, 0).unwrap().members, members.len() as u32);
	}

	#[benchmark]
	fn add_reviewer() {
		fill_reviewers::<T>(T::MaxReviewers::get() - 1);
		let reviewer: T::AccountId = account("new-reviewer", 0, SEED);
		let origin = T::RegistrarOrigin::try_successful_origin().unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, reviewer.clone());

		assert!(Reviewers::<T>::get().contains(&reviewer));
	}

	#[benchmark]
	fn remove_reviewer() {
		// Worst case: the reviewer holds the most review accesses the EHR side allows, each to
		// another claimant's evidence, and all of them end.
		fill_reviewers::<T>(T::MaxReviewers::get());
		let reviewer = Reviewers::<T>::get().last().unwrap().clone();
		let until = now::<T>() + 100u32.into();
		let patients: Vec<T::AccountId> = (0..T::EvidenceRecords::max_review_access())
			.map(|i| {
				let patient: T::AccountId = account("patient", i, SEED);
				let record =
					T::EvidenceRecords::create_benchmark_record(&patient, 1_000 + i).unwrap();
				T::EvidenceRecords::grant_review_access(
					&patient,
					&reviewer,
					u64::from(i),
					&[record],
					until,
				)
				.unwrap();
				patient
			})
			.collect();
		let origin = T::RegistrarOrigin::try_successful_origin().unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, reviewer.clone());

		assert!(!Reviewers::<T>::get().contains(&reviewer));
		assert!(patients.iter().all(|p| T::EvidenceRecords::review_access(p, &reviewer).is_none()));
	}

	impl_benchmark_test_suite!(MutualAid, mock::new_test_ext(), mock::Test);
}
