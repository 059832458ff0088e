//! The leaves of the Merkle tree committing to a report's chunks.
//!
//! With each era's report a provider commits `receipts_root`, the root of a tree over `leaf_count`
//! chunks: the client-signed receipts backing its `bytes_served`, and samples of the data it
//! stores. An audit challenge names one leaf index; the provider answers with the chunk's bytes and
//! the siblings on the way up.
//!
//! - **Leaf**: `blake2_256(0x00 ‖ SCALE(chunk))`, where `SCALE(chunk)` is the SCALE encoding of the
//!   chunk bytes (compact length prefix, then the bytes).
//! - **Tree and proofs**: [`medchain_merkle`] (nodes `blake2_256(0x01 ‖ left ‖ right)`, odd last
//!   node promoted, proofs checked exactly against the root and `leaf_count`, at most
//!   [`crate::types::MAX_PROOF_DEPTH`] siblings); re-exported here.

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
#[allow(clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

	#[test]
	fn leaf_hash_matches_documented_preimage() {
		let mut preimage = vec![0x00, 5 << 2];
		preimage.extend_from_slice(b"ABCDE");
		assert_eq!(leaf_hash(b"ABCDE"), H256(blake2_256(&preimage)));
	}
}
