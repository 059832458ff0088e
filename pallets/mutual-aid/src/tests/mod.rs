//! Unit tests. Every test runs through [`ExtBuilder::build_and_execute`], which checks
//! [`Pallet::do_try_state`] at the end.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult, TokenError};

mod apportion;
mod claims;
mod membership;
mod pools;
mod privacy;
mod reads;
mod review;

const MEMBERS: [AccountId; 5] = [ALICE, BOB, CHARLIE, DAVE, EVE];

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn ma_event(event: Event<Test>) -> RuntimeEvent {
	RuntimeEvent::MutualAid(event)
}

fn now() -> u64 {
	System::block_number()
}

/// `members` join `pool`.
fn join_all(pool: PoolId, members: &[AccountId]) {
	for who in members {
		assert_ok!(MutualAid::join(signed(*who), pool));
	}
}

/// The five members join `pool` at the current block and the waiting period passes.
fn eligible_members(pool: PoolId) {
	join_all(pool, &MEMBERS);
	advance(WAITING);
}

/// `who`'s evidence: an EHR record of `who` that [`PROVIDER`] issues now.
fn evidence(who: AccountId) -> EvidenceOf<Test> {
	BoundedVec::try_from(vec![issue_record(who, PROVIDER)]).unwrap()
}

/// Evidence citing `ids`.
fn cite(ids: &[RecordId]) -> EvidenceOf<Test> {
	BoundedVec::try_from(ids.to_vec()).unwrap()
}

/// The salt of a claimant's condition commitment.
const CONDITION_SALT: [u8; 32] = [0xC5; 32];

/// The condition commitment of `who`'s claims on `pool`: the covered code `C`.
fn condition(pool: PoolId) -> H256 {
	MutualAid::condition_commitment(pool, &code("C"), &CONDITION_SALT)
}

/// `members` contribute `amount` each to the prefunded pool.
fn fund(members: &[AccountId], amount: u64) {
	for who in members {
		assert_ok!(MutualAid::contribute(signed(*who), PREFUNDED_POOL, amount));
	}
}

fn commitment(tag: u8) -> H256 {
	H256::repeat_byte(tag)
}

/// `who` files a claim on `pool` for `amount` under the covered code `C`, with a record
/// [`PROVIDER`] issues now.
fn try_file(who: AccountId, pool: PoolId, amount: u64) -> DispatchResult {
	try_file_with(who, pool, amount, evidence(who))
}

/// `who` files a claim on `pool` for `amount` citing `evidence`.
fn try_file_with(
	who: AccountId,
	pool: PoolId,
	amount: u64,
	evidence: EvidenceOf<Test>,
) -> DispatchResult {
	MutualAid::file_claim(signed(who), pool, condition(pool), amount, evidence, commitment(0xEE))
}

/// As [`try_file`], asserting success; returns the claim id.
fn file(who: AccountId, pool: PoolId, amount: u64) -> ClaimId {
	let id = NextClaimId::<Test>::get();
	assert_ok!(try_file(who, pool, amount));
	id
}

fn claim(id: ClaimId) -> ClaimOf<Test> {
	Claims::<Test>::get(id).expect("claim exists")
}

fn member(pool: PoolId, who: AccountId) -> MemberOf<Test> {
	Members::<Test>::get(pool, who).expect("member exists")
}

fn salt(reviewer: AccountId) -> [u8; 32] {
	[reviewer as u8; 32]
}

/// The reviewers on `id`'s panel.
fn panel(id: ClaimId) -> Vec<AccountId> {
	claim(id).panel.iter().map(|s| s.reviewer).collect()
}

/// Pass the notice of `id` and draw its panel.
fn draw(id: ClaimId) {
	run_to_block(claim(id).seed_block + 1);
	assert_ok!(MutualAid::draw_panel(signed(STRANGER), id));
}

fn commit(reviewer: AccountId, id: ClaimId, vote: &VoteOf<Test>) -> DispatchResult {
	let c = MutualAid::vote_commitment(id, &reviewer, vote, &salt(reviewer));
	MutualAid::commit_vote(signed(reviewer), id, c)
}

fn reveal(reviewer: AccountId, id: ClaimId, vote: VoteOf<Test>) -> DispatchResult {
	MutualAid::reveal_vote(signed(reviewer), id, vote, salt(reviewer))
}

/// Draw the panel of `id` and have its members vote `votes` (in panel order), all revealing.
fn review(id: ClaimId, votes: &[VoteOf<Test>]) {
	draw(id);
	let seats = panel(id);
	for (reviewer, vote) in seats.iter().zip(votes) {
		assert_ok!(commit(*reviewer, id, vote));
	}
	for (reviewer, vote) in seats.iter().zip(votes) {
		assert_ok!(reveal(*reviewer, id, vote.clone()));
	}
}

/// Wait out the appeal window of `id` and finalize it.
fn finalize(id: ClaimId) {
	let c = claim(id);
	if c.level == ReviewLevel::First {
		run_to_block(c.decided_at + NOTICE);
	}
	assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
}

/// The approved outcome of three approvals.
fn approve_all() -> Vec<VoteOf<Test>> {
	vec![Vote::Approve, Vote::Approve, Vote::Approve]
}

fn deny_all() -> Vec<VoteOf<Test>> {
	vec![Vote::Deny, Vote::Deny, Vote::Deny]
}

fn bad_origin() -> DispatchError {
	DispatchError::BadOrigin
}
