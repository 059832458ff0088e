//! Unit tests. Every test runs in [`ExtBuilder::build_and_execute`], which checks the storage
//! invariants (`do_try_state`) and the exact pot balance at the end.

use crate::{merkle, mock::*, pallet::*, types::*, Error, Event, HoldReason};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_core::H256;

mod audits;
mod chain_audits;
mod flow;
mod migrations;
mod orders;
mod params_and_reads;
mod privacy;
mod providers;
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

/// The chunks of a test report tree: `receipt-<tag>-<i>`.
pub fn chunks(tag: u8, n: u32) -> Vec<Vec<u8>> {
	(0..n).map(|i| format!("receipt-{tag}-{i}").into_bytes()).collect()
}

pub fn leaves(tag: u8, n: u32) -> Vec<H256> {
	chunks(tag, n).iter().map(|c| merkle::leaf_hash(c)).collect()
}

/// The root of the tree of `n` chunks tagged `tag`.
pub fn root(tag: u8, n: u32) -> H256 {
	merkle::merkle_root(&leaves(tag, n)).unwrap()
}

/// The chunk and proof answering leaf `index` of the tree `(tag, n)`.
pub fn answer(tag: u8, n: u32, index: u32) -> (ChunkOf<Test>, ProofOf) {
	let chunk = chunks(tag, n)[index as usize].clone().try_into().unwrap();
	let proof = merkle::merkle_proof(&leaves(tag, n), index as usize).unwrap().try_into().unwrap();
	(chunk, proof)
}

/// Leaves in the report trees of the tests.
pub const LEAVES: u32 = 8;

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
/// report for the current era with a tree of [`LEAVES`] chunks tagged `who`.
pub fn report(who: AccountId, used: u64, free_gib: u64, bytes: u64) {
	audited(who, used + free_gib);
	assert_ok!(StoragePower::submit_report(
		RuntimeOrigin::signed(who),
		CurrentEra::<Test>::get(),
		used,
		free_gib,
		bytes,
		root(who as u8, LEAVES),
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

/// Issue a challenge on `provider` from [`BUYER`] and return its id and leaf index.
pub fn challenge(provider: AccountId) -> (ChallengeId, u32) {
	let id = NextChallengeId::<Test>::get();
	assert_ok!(StoragePower::issue_challenge(RuntimeOrigin::signed(BUYER), provider));
	(id, Challenges::<Test>::get(id).unwrap().leaf_index)
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
