//! The binary Merkle tree committing to a batch's packs.
//!
//! A manufacturer prints on each pack a serial number and, under a scratch-off surface, a random
//! scratch code. For a batch of `n` packs it computes `n` leaves and registers only the root.
//!
//! - **Leaf**: `blake2_256(0x00 ‖ SCALE(serial) ‖ SCALE(scratch_code) ‖ salt)`, where `SCALE(x)` is
//!   the SCALE encoding of a byte vector (compact length prefix, then the bytes; for the at most 32
//!   bytes used here the prefix is the single byte `len << 2`) and `salt` is 32 bytes.
//! - **Node**: `blake2_256(0x01 ‖ left ‖ right)`. The prefixes keep leaves and nodes apart.
//! - **Tree**: leaves stay in their index order `0..n`. Each level pairs `(0,1)`, `(2,3)`, …; an
//!   odd last node is promoted unchanged to the next level (never duplicated). The root of one leaf
//!   is the leaf itself.
//! - **Proof** of leaf `i`: its index and the siblings met on the way up, bottom first; a level
//!   where the node is promoted contributes no sibling. Given `n`, the path is fully determined, so
//!   a proof has at most `ceil(log2 n)` ≤ [`crate::types::MAX_PROOF_DEPTH`] siblings and is checked
//!   exactly (no missing or extra sibling).
//!
//! The verifier never sees the full tree: the chain keeps the root and `n`, the manufacturer (or a
//! verification service it runs) keeps the leaves and hands out proofs.

use crate::types::Salt;
use codec::Encode;
use sp_core::H256;
use sp_io::hashing::blake2_256;

pub use medchain_merkle::{compute_root, node_hash, verify, LEAF_PREFIX, NODE_PREFIX};
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub use medchain_merkle::{merkle_proof, merkle_root};

/// The leaf of a pack: `blake2_256(0x00 ‖ SCALE(serial) ‖ SCALE(scratch_code) ‖ salt)`.
pub fn leaf_hash(serial: &[u8], scratch_code: &[u8], salt: &Salt) -> H256 {
	H256((LEAF_PREFIX, serial, scratch_code, salt).using_encoded(blake2_256))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

	fn leaves(n: u32) -> Vec<H256> {
		(0..n).map(|i| leaf_hash(format!("SN{i:08}").as_bytes(), b"CODE", &[7; 32])).collect()
	}

	#[test]
	fn leaf_hash_matches_documented_preimage() {
		let salt = [9u8; 32];
		let mut preimage = vec![0x00, 3 << 2];
		preimage.extend_from_slice(b"S01");
		preimage.push(5 << 2);
		preimage.extend_from_slice(b"ABCDE");
		preimage.extend_from_slice(&salt);
		assert_eq!(leaf_hash(b"S01", b"ABCDE", &salt), H256(blake2_256(&preimage)));
	}

	#[test]
	fn length_prefixes_separate_serial_and_code() {
		let salt = [0u8; 32];
		assert_ne!(leaf_hash(b"AB", b"C", &salt), leaf_hash(b"A", b"BC", &salt));
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
