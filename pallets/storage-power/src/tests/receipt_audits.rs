//! Reader-signed receipts: what a challenge of a report's bytes served checks, and the attacks
//! on bandwidth it answers (each answered with a tree the attacker built itself).

use super::*;
use crate::receipts::{receipt_key, receipt_payload, wallet_wrapped};

/// ALICE, registered with 1 TiB and a full uptime, reports the tree of `list`; the chain moves
/// on one block and BUYER challenges her at `point`. Returns the challenge.
fn challenged_on(list: &[ReceiptOf<Test>], point: u32) -> ChallengeId {
	register(ALICE, 1024);
	heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
	audited(ALICE, 100);
	let root = sum_root(&sum_leaves(list)).unwrap();
	assert_ok!(StoragePower::submit_report(
		RuntimeOrigin::signed(ALICE),
		CurrentEra::<Test>::get(),
		100,
		0,
		root.sum,
		root.hash,
		list.len() as u32
	));
	run_to_block(System::block_number() + 1);
	let id = challenge(ALICE);
	Challenges::<Test>::mutate(id, |c| c.as_mut().unwrap().point = point);
	id
}

/// What became of challenge `id`: `None` if it passed, else why it failed.
fn outcome(id: ChallengeId) -> Option<AuditFailure> {
	pallet_events().into_iter().rev().find_map(|event| match event {
		Event::ChallengePassed { challenge_id, .. } if challenge_id == id => Some(None),
		Event::AuditFailed { challenge_id, reason, .. } if challenge_id == id => Some(Some(reason)),
		_ => None,
	})?
}

/// `receipt` re-signed by `signer` over `payload_of(receipt)`.
fn signed_as(
	mut receipt: ReceiptOf<Test>,
	signer: AccountId,
	payload_of: impl Fn(&ReceiptOf<Test>) -> Vec<u8>,
) -> ReceiptOf<Test> {
	receipt.signature = TestSignature(signer, payload_of(&receipt));
	receipt
}

/// ALICE's vault payload of `receipt`.
fn alice_payload(receipt: &ReceiptOf<Test>) -> Vec<u8> {
	ALICE.using_encoded(|vault| receipt_payload(vault, receipt))
}

/// `list` in key order.
fn sorted(mut list: Vec<ReceiptOf<Test>>) -> Vec<ReceiptOf<Test>> {
	list.sort_by_key(receipt_key);
	list
}

/// ALICE reports the tree of `odd` and 7 honest 1-byte receipts and is challenged on the first
/// byte of `odd`; returns how the challenge ended.
fn verdict_on(odd: ReceiptOf<Test>) -> Option<AuditFailure> {
	let mut list = receipts_of(ALICE, 0);
	list[0] = odd.clone();
	let list = sorted(list);
	let index = list.iter().position(|r| *r == odd).unwrap();
	let total: u64 = list.iter().map(|r| r.bytes).sum();
	let offset: u64 = list[..index].iter().map(|r| r.bytes).sum();
	// The smallest point whose byte is in the odd receipt.
	let point = ((u128::from(offset) << 32).div_ceil(u128::from(total))) as u32;
	assert!(StoragePower::challenged_byte(point, total) - offset < odd.bytes);
	let id = challenged_on(&list, point);
	respond(ALICE, id, answer_in(&list, id));
	outcome(id)
}

#[test]
fn an_honest_tree_passes_and_a_wallet_wrapped_signature_counts_too() {
	ExtBuilder::default().build_and_execute(|| {
		let wrapped = signed_as(signed_receipt(ALICE, 900, 40), READER, |r| {
			wallet_wrapped(&alice_payload(r))
		});
		assert_eq!(verdict_on(wrapped), None);
	});
}

#[test]
fn a_receipt_the_reader_did_not_sign_for_this_vault_is_invalid() {
	ExtBuilder::default().build_and_execute(|| {
		// Signed for BOB's vault, replayed by ALICE.
		let for_bob = signed_receipt(BOB, 900, 40);
		assert_eq!(verdict_on(for_bob), Some(AuditFailure::InvalidReceipt));
	});
	ExtBuilder::default().build_and_execute(|| {
		// A signature over another request of the reader's (its range is not this one's).
		let forged = signed_as(signed_receipt(ALICE, 900, 40), READER, |r| {
			let mut other = r.clone();
			other.range = b"bytes=0-39".to_vec().try_into().unwrap();
			alice_payload(&other)
		});
		assert_eq!(verdict_on(forged), Some(AuditFailure::InvalidReceipt));
	});
}

#[test]
fn a_provider_reading_from_itself_earns_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let mut own = signed_as(signed_receipt(ALICE, 900, 40), ALICE, alice_payload);
		own.reader = ALICE;
		let own = signed_as(own, ALICE, alice_payload);
		assert_eq!(verdict_on(own), Some(AuditFailure::InvalidReceipt));
	});
}

#[test]
fn a_receipt_counts_only_in_the_era_after_the_one_it_was_served_in() {
	ExtBuilder::default().build_and_execute(|| {
		// Era 0 counts the reads before its start (GENESIS_MILLIS): not one from after it.
		let late = signed_receipt(ALICE, GENESIS_MILLIS, 40);
		assert_eq!(verdict_on(late), Some(AuditFailure::InvalidReceipt));
	});
	ExtBuilder::default().build_and_execute(|| {
		// Era 1 counts era 0's reads: a read era 0 already counted does not count again.
		run_to_era(1);
		let replayed = signed_receipt(ALICE, 900, 40);
		assert_eq!(verdict_on(replayed), Some(AuditFailure::InvalidReceipt));
	});
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		let in_window = signed_receipt(ALICE, GENESIS_MILLIS + 900, 40);
		let mut list = receipts_of(ALICE, 0);
		list[0] = in_window;
		let list = sorted(list);
		let id = challenged_on(&list, 0);
		respond(ALICE, id, answer_in(&list, id));
		assert_eq!(outcome(id), None);
	});
}

#[test]
fn a_receipt_counts_no_more_bytes_than_the_reader_asked_for() {
	let ranged = |range: &[u8], bytes| {
		let mut receipt = signed_receipt(ALICE, 900, bytes);
		receipt.range = range.to_vec().try_into().unwrap();
		signed_as(receipt, READER, alice_payload)
	};
	for (receipt, expected) in [
		(ranged(b"bytes=0-39", 40), None),
		(ranged(b"bytes=0-39", 41), Some(AuditFailure::InvalidReceipt)),
		(ranged(b"bytes=-40", 40), Some(AuditFailure::InvalidReceipt)),
		(signed_receipt(ALICE, 900, MAX_OBJECT_SIZE), None),
		(signed_receipt(ALICE, 900, MAX_OBJECT_SIZE + 1), Some(AuditFailure::InvalidReceipt)),
	] {
		ExtBuilder::default().build_and_execute(|| {
			assert_eq!(verdict_on(receipt), expected);
		});
	}
}

#[test]
fn one_huge_forged_leaf_among_honest_receipts_is_where_the_challenge_falls() {
	ExtBuilder::default().build_and_execute(|| {
		// The review's attack with receipts: a tree of honest 1-byte reads and one forged
		// receipt of 1 TiB. A challenge draws a byte, so it lands in the forgery unless it hits
		// one of the 7 honest bytes of 2^40.
		let mut forged = signed_receipt(BOB, 900, 1 << 40);
		forged.signature = TestSignature(READER, b"not a signature of this request".to_vec());
		let mut list = receipts_of(ALICE, 0);
		list[0] = forged;
		let list = sorted(list);
		let forged_at = list.iter().position(|r| r.bytes == 1 << 40).unwrap();
		let id = challenged_on(&list, StoragePower::challenge_point(&[7; 32], &ALICE, 0, 0));
		let answer = answer_in(&list, id);
		assert_eq!(answer.leaf_index as usize, forged_at);
		// An honest leaf next to it is no answer: it does not cover the byte.
		let mut dodge = answer_in(&list, id);
		let honest = if forged_at > 0 { forged_at - 1 } else { forged_at + 1 };
		let leaves = sum_leaves(&list);
		dodge.leaf_index = honest as u32;
		dodge.receipt = list[honest].clone();
		dodge.proof = sum_proof(&leaves, honest).unwrap().try_into().unwrap();
		dodge.next = list
			.get(honest + 1)
			.map(|n| (n.clone(), sum_proof(&leaves, honest + 1).unwrap().try_into().unwrap()));
		respond(ALICE, id, dodge);
		assert_eq!(outcome(id), Some(AuditFailure::WrongProof));
		let id = challenge(ALICE);
		respond(ALICE, id, answer_in(&list, id));
		assert_eq!(outcome(id), Some(AuditFailure::InvalidReceipt));
	});
}

#[test]
fn a_receipt_counted_twice_breaks_the_key_order() {
	ExtBuilder::default().build_and_execute(|| {
		// The same read eight times: every leaf but the last has an equal next key.
		let read = signed_receipt(ALICE, 900, GIB_BYTES);
		let list = vec![read; LEAVES as usize];
		let id = challenged_on(&list, 0);
		respond(ALICE, id, answer_in(&list, id));
		assert_eq!(outcome(id), Some(AuditFailure::WrongProof));
	});
	ExtBuilder::default().build_and_execute(|| {
		// Out of order: the next key is smaller.
		let mut list = receipts_of(ALICE, 0);
		list.reverse();
		let id = challenged_on(&list, 0);
		respond(ALICE, id, answer_in(&list, id));
		assert_eq!(outcome(id), Some(AuditFailure::WrongProof));
	});
}

#[test]
fn the_next_leaf_is_shown_exactly_when_there_is_one() {
	ExtBuilder::default().build_and_execute(|| {
		let list = receipts_of(ALICE, 0);
		let id = challenged_on(&list, 0);
		let mut without_next = answer_in(&list, id);
		without_next.next = None;
		respond(ALICE, id, without_next);
		assert_eq!(outcome(id), Some(AuditFailure::WrongProof));
		// The last leaf has no next one to show.
		let id = challenge(ALICE);
		Challenges::<Test>::mutate(id, |c| c.as_mut().unwrap().point = u32::MAX);
		let mut with_next = answer_in(&list, id);
		assert_eq!(with_next.leaf_index, LEAVES - 1);
		with_next.next = Some((list[0].clone(), with_next.proof.clone()));
		respond(ALICE, id, with_next);
		assert_eq!(outcome(id), Some(AuditFailure::WrongProof));
	});
}

#[test]
fn era_starts_are_kept_for_the_current_and_the_previous_era_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(EraStartedAt::<Test>::get(0), Some(GENESIS_MILLIS));
		run_to_era(1);
		run_to_era(2);
		let start = |era: u32| GENESIS_MILLIS + era_start(era) * BLOCK_MILLIS;
		assert_eq!(
			EraStartedAt::<Test>::iter().collect::<std::collections::BTreeMap<_, _>>(),
			[(1, start(1)), (2, start(2))].into()
		);
	});
}
