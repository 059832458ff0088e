//! The binary Merkle tree committing to a report's chunks.
//!
//! With each era's report a provider commits `receipts_root`, the root of a tree over `leaf_count`
//! chunks: the client-signed receipts backing its `bytes_served`, and samples of the data it
//! stores. An audit challenge names one leaf index; the provider answers with the chunk's bytes and
//! the siblings on the way up.
//!
//! - **Leaf**: `blake2_256(0x00 ‖ SCALE(chunk))`, where `SCALE(chunk)` is the SCALE encoding of the
//!   chunk bytes (compact length prefix, then the bytes).
//! - **Node**: `blake2_256(0x01 ‖ left ‖ right)`. The prefixes keep leaves and nodes apart.
//! - **Tree**: leaves stay in their index order `0..n`. Each level pairs `(0,1)`, `(2,3)`, …; an
//!   odd last node is promoted unchanged to the next level (never duplicated). The root of one leaf
//!   is the leaf itself.
//! - **Proof** of leaf `i`: the siblings met on the way up, bottom first; a level where the node is
//!   promoted contributes no sibling. Given `n`, the path is fully determined, so a proof has at
//!   most `ceil(log2 n)` ≤ [`crate::types::MAX_PROOF_DEPTH`] siblings and is checked exactly.

use codec::Encode;
use sp_core::H256;
use sp_io::hashing::blake2_256;

pub use medchain_merkle::{compute_root, node_hash, verify, LEAF_PREFIX, NODE_PREFIX};
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub use medchain_merkle::{merkle_proof, merkle_root};

/// The leaf of a chunk: `blake2_256(0x00 ‖ SCALE(chunk))`.
pub fn leaf_hash(chunk: &[u8]) -> H256 {
	H256((LEAF_PREFIX, chunk).using_encoded(blake2_256))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

	fn leaves(n: u32) -> Vec<H256> {
		(0..n).map(|i| leaf_hash(format!("CHUNK{i:08}").as_bytes())).collect()
	}

	#[test]
	fn leaf_hash_matches_documented_preimage() {
		let mut preimage = vec![0x00, 5 << 2];
		preimage.extend_from_slice(b"ABCDE");
		assert_eq!(leaf_hash(b"ABCDE"), H256(blake2_256(&preimage)));
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
}
