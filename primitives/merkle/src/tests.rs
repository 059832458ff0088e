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

mod segments {
	use crate::segments::*;
	use crate::{merkle_proof, merkle_root};
	use sp_core::H256;

	/// An object of `len` bytes, its segment leaves' root and its content id.
	fn object(len: usize) -> (Vec<u8>, H256, H256) {
		let object: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
		let leaves: Vec<H256> = object.chunks(SEGMENT_LEN as usize).map(segment_leaf).collect();
		let root = merkle_root(&leaves).unwrap();
		(object.clone(), root, content_id_of(len as u64, &root))
	}

	fn proof(object: &[u8], index: u32) -> Vec<H256> {
		let leaves: Vec<H256> = object.chunks(SEGMENT_LEN as usize).map(segment_leaf).collect();
		merkle_proof(&leaves, index as usize).unwrap()
	}

	#[test]
	fn segment_lengths_follow_the_object_length() {
		assert_eq!(segment_count(0), None);
		assert_eq!(segment_count(1), Some(1));
		assert_eq!(segment_count(1024), Some(1));
		assert_eq!(segment_count(1025), Some(2));
		assert_eq!(segment_len(2100, 0), Some(1024));
		assert_eq!(segment_len(2100, 2), Some(52));
		assert_eq!(segment_len(2100, 3), None);
		assert_eq!(segment_len(2048, 2), None);
		assert_eq!(segment_len(u64::MAX, u32::MAX), Some(1024));
	}

	#[test]
	fn every_segment_verifies_against_the_content_id() {
		let (object, root, id) = object(5 * 1024 + 77);
		for (index, segment) in object.chunks(1024).enumerate() {
			let index = index as u32;
			assert!(verify_segment(
				&id,
				object.len() as u64,
				&root,
				index,
				segment,
				&proof(&object, index)
			));
		}
	}

	#[test]
	fn a_wrong_segment_length_root_or_position_fails() {
		let (object, root, id) = object(3 * 1024 + 10);
		let len = object.len() as u64;
		let siblings = proof(&object, 1);
		let segment = &object[1024..2048];
		assert!(verify_segment(&id, len, &root, 1, segment, &siblings));
		let mut flipped = segment.to_vec();
		flipped[7] ^= 1;
		assert!(!verify_segment(&id, len, &root, 1, &flipped, &siblings));
		assert!(!verify_segment(&id, len, &root, 1, &segment[..1000], &siblings));
		assert!(!verify_segment(&id, len, &root, 0, segment, &siblings));
		// The id binds the length: the same root under another length names nothing.
		assert!(!verify_segment(&id, len + 1, &root, 1, segment, &siblings));
		assert!(!verify_segment(&id, len, &H256::repeat_byte(1), 1, segment, &siblings));
		// The last, short segment must have exactly its length.
		let last = &object[3072..];
		assert!(verify_segment(&id, len, &root, 3, last, &proof(&object, 3)));
		let padded = [last, &[0u8; 4]].concat();
		assert!(!verify_segment(&id, len, &root, 3, &padded, &proof(&object, 3)));
	}
}
