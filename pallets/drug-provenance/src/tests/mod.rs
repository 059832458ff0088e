//! Unit tests. Every test runs in [`ExtBuilder::build_and_execute`], which checks the storage
//! invariants (`do_try_state`) at the end.

use crate::{mock::*, pallet::*, types::*, Error, Event, HoldReason};
use frame_support::{
	assert_noop, assert_ok, dispatch::DispatchResultWithPostInfo, traits::fungible::InspectHold,
};
use sp_core::H256;

mod custody;
mod flow;
mod genesis_and_reads;
mod partners;
mod products_and_batches;
mod retirement;
mod suspects_and_recalls;
mod verification;

/// Lot number from text.
pub fn lot(s: &str) -> Lot {
	s.as_bytes().to_vec().try_into().unwrap()
}

/// Balance held from `who` for `reason`.
pub fn held(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::DrugProvenance(reason), &who)
}

/// The events of this pallet, oldest first.
pub fn pallet_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::DrugProvenance(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn last_event() -> Event<Test> {
	pallet_events().pop().expect("an event was emitted")
}

pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// Register [`GTIN`] for [`MANUFACTURER`].
pub fn product() {
	assert_ok!(DrugProvenance::register_product(
		RuntimeOrigin::signed(MANUFACTURER),
		GTIN,
		H256::repeat_byte(0xaa)
	));
}

/// Batch expiry used by [`batch`].
pub const EXPIRY: u64 = 500;

/// Register product [`GTIN`] (if needed) and lot `lot_text` of `packs.leaves.len()` packs for
/// [`MANUFACTURER`].
pub fn batch_with(lot_text: &str, packs: &Packs) -> BatchId {
	if !Products::<Test>::contains_key(GTIN) {
		product();
	}
	let id = NextBatchId::<Test>::get();
	let n = packs.leaves.len() as u32;
	assert_ok!(DrugProvenance::register_batch(
		RuntimeOrigin::signed(MANUFACTURER),
		GTIN,
		lot(lot_text),
		EXPIRY,
		n,
		H256::repeat_byte(0xce),
		packs.root,
		n,
	));
	id
}

/// A batch "LOT1" of 100 packs held by [`MANUFACTURER`], and its packs.
pub fn batch() -> (BatchId, Packs) {
	let packs = Packs::new(100, 1);
	(batch_with("LOT1", &packs), packs)
}

/// Dispatch and return the transfer index.
pub fn dispatch(from: AccountId, batch_id: BatchId, to: AccountId, quantity: u32) -> TransferIndex {
	let index = Batches::<Test>::get(batch_id).unwrap().transfer_count;
	assert_ok!(DrugProvenance::dispatch(
		RuntimeOrigin::signed(from),
		batch_id,
		to,
		quantity,
		H256::repeat_byte(0x5e)
	));
	index
}

/// Dispatch and receive.
pub fn move_packs(from: AccountId, batch_id: BatchId, to: AccountId, quantity: u32) {
	let index = dispatch(from, batch_id, to, quantity);
	assert_ok!(DrugProvenance::receive(RuntimeOrigin::signed(to), batch_id, index));
}

/// Verify pack `i` of `packs` as an unsigned transaction.
pub fn verify(batch_id: BatchId, packs: &Packs, i: usize) -> DispatchResultWithPostInfo {
	DrugProvenance::verify_pack(
		RuntimeOrigin::none(),
		batch_id,
		packs.serials[i].clone(),
		packs.codes[i].clone(),
		packs.salt,
		packs.proof(i),
		Some(250),
	)
}

/// Verify pack `i` of `packs` signed by `who` (a pharmacy's scan).
pub fn scan(
	who: AccountId,
	batch_id: BatchId,
	packs: &Packs,
	i: usize,
) -> DispatchResultWithPostInfo {
	DrugProvenance::verify_pack(
		RuntimeOrigin::signed(who),
		batch_id,
		packs.serials[i].clone(),
		packs.codes[i].clone(),
		packs.salt,
		packs.proof(i),
		Some(250),
	)
}

pub fn holding(batch_id: BatchId, who: AccountId) -> u32 {
	Holdings::<Test>::get(batch_id, who).unwrap_or(0)
}

pub fn status(batch_id: BatchId) -> BatchStatus {
	Batches::<Test>::get(batch_id).unwrap().status
}
