//! The receipts a provider's vault keeps of the reads it serves ([`ReceiptLog`]) and the
//! Merkle-sum tree its report commits ([`ReceiptTree`]), as the chain checks them.
// Tests may unwrap, panic and index freely: the runtime-safety lints (in clippy's restriction
// group) are for the vault's own code.
#![allow(clippy::restriction)]

use medchain_vault::receipts::{receipt_of, ChainReceipt, ReceiptLog, ReceiptTree};
use pallet_storage_power::receipts;
use sp_core::{sr25519, Pair};

fn read(reader: &sr25519::Pair, at: u64, bytes: u64) -> ChainReceipt {
	let signature = reader.sign(b"any").0;
	receipt_of(reader.public().0, at, [7; 32], None, bytes, signature).expect("a receipt")
}

#[test]
fn only_what_the_chain_counts_is_a_receipt() {
	let sig = [1; 64];
	assert!(receipt_of([1; 32], 5, [7; 32], Some(b"bytes=0-9"), 10, sig).is_some());
	assert!(receipt_of([1; 32], 5, [7; 32], Some(b"bytes=0-9"), 11, sig).is_none());
	assert!(receipt_of([1; 32], 5, [7; 32], Some(b"bytes=-9"), 9, sig).is_none());
	assert!(receipt_of([1; 32], 5, [7; 32], None, 0, sig).is_none());
}

#[test]
fn the_log_keeps_one_receipt_per_request_in_key_order_and_forgets_what_no_report_counts() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let log = ReceiptLog::open(&dir.path().join("receipts.redb")).expect("the log opens");
	let reader = sr25519::Pair::from_seed(&[3; 32]);
	for at in [10, 20, 30, 20] {
		log.note(read(&reader, at, 100));
	}
	assert_eq!(log.flush().expect("written"), 4);
	let all = log.window(0, 100).expect("read");
	assert_eq!(all.len(), 3);
	assert!(all
		.windows(2)
		.all(|pair| receipts::receipt_key(&pair[0]) < receipts::receipt_key(&pair[1])));
	assert_eq!(log.window(15, 30).expect("read").len(), 1);
	log.commit_report(4, &all, 15).expect("committed");
	assert_eq!(log.reported(4).expect("read"), Some(all));
	assert_eq!(log.window(0, 100).expect("read").len(), 2);
	log.commit_report(6, &[], 0).expect("committed");
	assert_eq!(log.reported(4).expect("read"), None);
}

#[test]
fn every_challenged_byte_is_answered_with_the_receipt_covering_it() {
	let reader = sr25519::Pair::from_seed(&[3; 32]);
	let mut list: Vec<_> = (1..=5).map(|at| read(&reader, at, at * 1000)).collect();
	list.sort_by_key(receipts::receipt_key);
	let tree = ReceiptTree::new(list).expect("a tree");
	assert_eq!(tree.root().sum, 15_000);
	for point in [0, 1 << 31, u32::MAX] {
		let answer = tree.answer(point).expect("an answer");
		let last = answer.leaf_index + 1 == tree.leaf_count();
		assert_eq!(answer.next.is_none(), last);
		let leaf = receipts::receipt_leaf(&answer.receipt);
		let (root, offset) = medchain_merkle::sum::compute_sum_root(
			leaf,
			answer.leaf_index,
			tree.leaf_count(),
			&answer.proof,
		)
		.expect("the path folds");
		assert_eq!(root, tree.root());
		let byte = pallet_storage_power::Pallet::<medchain_runtime::Runtime>::challenged_byte(
			point, 15_000,
		);
		assert!(offset <= byte && byte < offset + leaf.sum);
	}
}
