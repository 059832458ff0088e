//! The leaves of the Merkle tree committing to a batch's packs.
//!
//! A manufacturer prints on each pack a serial number and, under a scratch-off surface, a random
//! scratch code. For a batch of `n` packs it computes `n` leaves and registers only the root.
//!
//! - **Leaf**: `blake2_256(0x00 ‖ SCALE(serial) ‖ SCALE(scratch_code) ‖ salt)`, where `SCALE(x)` is
//!   the SCALE encoding of a byte vector (compact length prefix, then the bytes; for the at most 32
//!   bytes used here the prefix is the single byte `len << 2`) and `salt` is 32 bytes.
//! - **Tree and proofs**: [`medchain_merkle`] (nodes `blake2_256(0x01 ‖ left ‖ right)`, odd last
//!   node promoted, proofs checked exactly against the root and `n`, at most
//!   [`crate::types::MAX_PROOF_DEPTH`] siblings); re-exported here.
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
#[allow(clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

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
}
