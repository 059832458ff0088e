//! Unit tests. Every test runs in [`ExtBuilder::build_and_execute`], which checks the storage
//! invariants (`do_try_state`) and the exact pot balance at the end.

use crate::{mock::*, pallet::*, receipts, types::*, Error, Event, HoldReason};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use medchain_merkle::sum::{leaf_at, sum_proof, sum_root, SumNode};
use sp_core::H256;
use sp_runtime::testing::TestSignature;

mod audits;
mod chain_audits;
mod flow;
mod migrations;
mod orders;
mod params_and_reads;
mod privacy;
mod providers;
mod receipt_audits;
mod replicas;
mod reports;
mod rewards;

/// Balance held from `who` for `reason`.
pub fn held(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::StoragePower(reason), &who)
}

pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

pub fn pot() -> Balance {
	Balances::balance(&StoragePower::pot_account())
}

/// The events of this pallet, oldest first.
pub fn pallet_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::StoragePower(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn has_event(event: Event<Test>) -> bool {
	pallet_events().contains(&event)
}

/// The object the tests' receipts read.
pub const READ_OBJECT: H256 = H256::repeat_byte(0xD0);

/// A receipt [`READER`] signed for a GET of `bytes` bytes of [`READ_OBJECT`] (no range) from
/// `provider`'s vault at `timestamp_ms`.
pub fn signed_receipt(provider: AccountId, timestamp_ms: u64, bytes: u64) -> ReceiptOf<Test> {
	let unsigned = Receipt {
		reader: READER,
		timestamp_ms,
		content_id: READ_OBJECT,
		range: Default::default(),
		bytes,
		signature: (),
	};
	let payload = provider.using_encoded(|vault| receipts::receipt_payload(vault, &unsigned));
	let Receipt { reader, timestamp_ms, content_id, range, bytes, .. } = unsigned;
	Receipt {
		reader,
		timestamp_ms,
		content_id,
		range,
		bytes,
		signature: TestSignature(READER, payload),
	}
}

/// Leaves in the report trees of the tests.
pub const LEAVES: u32 = 8;
/// The bytes of a report tree of no bytes asked for ([`receipts_of`]): one per leaf.
pub const UNIT_TREE_BYTES: u64 = LEAVES as u64;

/// The [`LEAVES`] receipts of `provider`'s report tree in the current era, in key order: reads
/// at the start of the era's window, `bytes` in all, at least 1 each (the last one takes the
/// remainder), so that the tree of a tree's own total is the same tree.
pub fn receipts_of(provider: AccountId, bytes: u64) -> Vec<ReceiptOf<Test>> {
	let era = CurrentEra::<Test>::get();
	let from = if era == 0 { 0 } else { EraStartedAt::<Test>::get(era - 1).unwrap() };
	let share = bytes / u64::from(LEAVES);
	let mut list: Vec<_> = (0..u64::from(LEAVES))
		.map(|i| {
			let amount = if i + 1 == u64::from(LEAVES) { bytes - share * i } else { share };
			signed_receipt(provider, from + 1 + i, amount.max(1))
		})
		.collect();
	list.sort_by_key(receipts::receipt_key);
	list
}

pub fn sum_leaves(list: &[ReceiptOf<Test>]) -> Vec<SumNode> {
	list.iter().map(receipts::receipt_leaf).collect()
}

/// The root of `provider`'s receipts tree of `bytes` ([`receipts_of`]) and its total.
pub fn tree_of(provider: AccountId, bytes: u64) -> (H256, u64) {
	let root = sum_root(&sum_leaves(&receipts_of(provider, bytes))).unwrap();
	(root.hash, root.sum)
}

/// The root of `provider`'s receipts tree of `bytes` ([`receipts_of`]).
pub fn receipts_root(provider: AccountId, bytes: u64) -> H256 {
	tree_of(provider, bytes).0
}

/// The answer of `provider` to challenge `id` on its report tree ([`receipts_of`]).
pub fn answer(provider: AccountId, id: ChallengeId) -> ReceiptAnswerOf<Test> {
	let challenge = Challenges::<Test>::get(id).unwrap();
	let bytes = report_of(provider, challenge.era).bytes_served;
	answer_in(&receipts_of(provider, bytes), id)
}

/// The answer to challenge `id` from the tree of `list`: the leaf covering the challenged byte
/// of the list's total.
pub fn answer_in(list: &[ReceiptOf<Test>], id: ChallengeId) -> ReceiptAnswerOf<Test> {
	let challenge = Challenges::<Test>::get(id).unwrap();
	let leaves = sum_leaves(list);
	let bytes = leaves.iter().map(|leaf| leaf.sum).sum();
	let byte = StoragePower::challenged_byte(challenge.point, bytes);
	let index = leaf_at(&leaves, byte).unwrap();
	let proof_of = |i: usize| sum_proof(&leaves, i).unwrap().try_into().unwrap();
	ReceiptAnswer {
		leaf_index: index as u32,
		receipt: list[index].clone(),
		proof: proof_of(index),
		next: list.get(index + 1).map(|next| (next.clone(), proof_of(index + 1))),
	}
}

/// `provider`'s answer to challenge `id` with its receipt's bytes raised by one: the leaf no
/// longer folds to the root.
pub fn wrong_answer(provider: AccountId, id: ChallengeId) -> ReceiptAnswerOf<Test> {
	let mut wrong = answer(provider, id);
	wrong.receipt.bytes += 1;
	wrong
}

/// Register `who` with `capacity_gib`.
pub fn register(who: AccountId, capacity_gib: u64) {
	assert_ok!(StoragePower::register_provider(
		RuntimeOrigin::signed(who),
		capacity_gib,
		H256::repeat_byte(who as u8)
	));
}

/// Credit `who` with `gib` GiB of replicas audited in the current era, as passed replica audits
/// do (`tests/replicas.rs` runs the audits themselves).
pub fn audited(who: AccountId, gib: u64) {
	assert_ok!(StoragePower::add_audited_bytes(&who, CurrentEra::<Test>::get(), gib * GIB));
}

/// A provider whose `used + free_gib` GiB were all audited this era ([`audited`]) submits its
/// report for the current era with a tree of [`LEAVES`] receipts of `bytes` ([`receipts_of`]:
/// [`LEAVES`] bytes when `bytes` is 0).
pub fn report(who: AccountId, used: u64, free_gib: u64, bytes: u64) {
	audited(who, used + free_gib);
	let (root, total) = tree_of(who, bytes);
	assert_ok!(StoragePower::submit_report(
		RuntimeOrigin::signed(who),
		CurrentEra::<Test>::get(),
		used,
		free_gib,
		total,
		root,
		LEAVES
	));
}

pub fn heartbeat(who: AccountId) {
	assert_ok!(StoragePower::heartbeat(RuntimeOrigin::signed(who)));
}

/// Send `n` heartbeats from each of `who` in slots `0..n` of the current era (at offsets 1, 5,
/// 9, …), advancing blocks as needed.
pub fn heartbeats(who: &[AccountId], n: u32) {
	let start = era_start(CurrentEra::<Test>::get());
	for i in 0..n as u64 {
		let block = start + 1 + i * HEARTBEAT_INTERVAL;
		if System::block_number() < block {
			run_to_block(block);
		}
		for w in who {
			heartbeat(*w);
		}
	}
}

pub fn report_of(who: AccountId, era: u32) -> Report<Test> {
	Reports::<Test>::get(who, era).expect("report exists")
}

pub fn era_info(era: u32) -> EraInfo<Balance> {
	Eras::<Test>::get(era).expect("era tracked")
}

/// Issue a challenge on `provider` from [`BUYER`] and return its id.
pub fn challenge(provider: AccountId) -> ChallengeId {
	let id = NextChallengeId::<Test>::get();
	assert_ok!(StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), provider));
	id
}

/// `provider` answers challenge `id` with `answer`.
pub fn respond(provider: AccountId, id: ChallengeId, answer: ReceiptAnswerOf<Test>) {
	assert_ok!(StoragePower::respond_challenge(RuntimeOrigin::signed(provider), id, answer));
}

pub const GIB_BYTES: u64 = GIB;

/// [`BUYER`] orders `gib` GiB, one replica, for the current era only: at the test price of 1 per
/// GiB and era it adds exactly `gib` to the current era's emission. Returns the order's id.
pub fn pay_for_storage(gib: u64) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(StoragePower::place_order(
		RuntimeOrigin::signed(BUYER),
		H256::repeat_byte(0xC0),
		gib * GIB_BYTES,
		1,
		1
	));
	id
}
