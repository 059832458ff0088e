//! The tree's properties, over plain test leaves (the pallets test only their leaf preimages).

use super::*;
use alloc::vec;

/// `n` distinct leaves, in the shape a pallet makes them: `blake2_256(0x00 ‖ SCALE(i))`.
fn leaves(n: u32) -> Vec<H256> {
	(0..n).map(|i| H256((LEAF_PREFIX, i).using_encoded(blake2_256))).collect()
}

#[test]
fn node_hash_matches_documented_preimage() {
	let (l, r) = (H256::repeat_byte(1), H256::repeat_byte(2));
	let mut preimage = vec![0x01];
	preimage.extend_from_slice(l.as_bytes());
	preimage.extend_from_slice(r.as_bytes());
	assert_eq!(node_hash(&l, &r), H256(blake2_256(&preimage)));
}

#[test]
fn small_trees_have_the_documented_shape() {
	let l = leaves(3);
	assert_eq!(merkle_root(&l[..1]), Some(l[0]));
	assert_eq!(merkle_root(&l[..2]), Some(node_hash(&l[0], &l[1])));
	// Odd last leaf promoted, not duplicated.
	assert_eq!(merkle_root(&l), Some(node_hash(&node_hash(&l[0], &l[1]), &l[2])));
	assert_eq!(merkle_proof(&l, 2), Some(vec![node_hash(&l[0], &l[1])]));
	assert_eq!(merkle_root(&[]), None);
}

#[test]
fn every_proof_verifies_for_many_sizes() {
	for n in 1..=33u32 {
		let l = leaves(n);
		let root = merkle_root(&l).unwrap();
		for (i, leaf) in l.iter().enumerate() {
			let proof = merkle_proof(&l, i).unwrap();
			// At most ceil(log2 n) siblings.
			assert!(proof.len() as u32 <= 32 - (n - 1).leading_zeros());
			assert!(verify(&root, *leaf, i as u32, n, &proof), "n={n} i={i}");
		}
	}
}

#[test]
fn wrong_index_leaf_or_count_fails() {
	let l = leaves(10);
	let root = merkle_root(&l).unwrap();
	let proof = merkle_proof(&l, 4).unwrap();
	assert!(verify(&root, l[4], 4, 10, &proof));
	assert!(!verify(&root, l[5], 4, 10, &proof));
	assert!(!verify(&root, l[4], 5, 10, &proof));
	// The leaf count fixes the path: a count giving another depth fails.
	assert!(!verify(&root, l[4], 4, 8, &proof));
	assert!(!verify(&root, l[4], 10, 10, &proof), "index out of range");
}

#[test]
fn missing_or_extra_siblings_fail() {
	let l = leaves(8);
	let root = merkle_root(&l).unwrap();
	let mut proof = merkle_proof(&l, 3).unwrap();
	proof.push(H256::zero());
	assert!(!verify(&root, l[3], 3, 8, &proof));
	proof.truncate(2);
	assert!(!verify(&root, l[3], 3, 8, &proof));
}

#[test]
fn a_node_cannot_be_passed_off_as_a_leaf() {
	let l = leaves(4);
	let root = merkle_root(&l).unwrap();
	let node = node_hash(&l[0], &l[1]);
	// In a 2-leaf view the node would be leaf 0; the leaf count stored on chain prevents it.
	assert!(!verify(&root, node, 0, 4, &[node_hash(&l[2], &l[3])]));
}

#[test]
fn deepest_path_has_32_siblings() {
	// Path of leaf 0 in a tree of u32::MAX leaves: a sibling at every one of 32 levels.
	let siblings: Vec<H256> = (0..32u8).map(H256::repeat_byte).collect();
	let leaf = H256::repeat_byte(0xaa);
	let root = compute_root(leaf, 0, u32::MAX, &siblings).unwrap();
	assert!(verify(&root, leaf, 0, u32::MAX, &siblings));
	assert_eq!(compute_root(leaf, 0, u32::MAX, &siblings[..31]), None);
	// The last leaf of u32::MAX is promoted at the bottom level: 31 siblings.
	assert!(compute_root(leaf, u32::MAX - 1, u32::MAX, &siblings[..31]).is_some());
}
