//! The content id of a sealed object (spec §2): a Merkle root over its 1 KiB segments, bound to
//! its length. A storage audit checks one segment against the id with a proof of about 2 KiB.

use medchain_merkle::{merkle_proof, merkle_root, verify, LEAF_PREFIX};
use sp_core::H256;
use sp_crypto_hashing::blake2_256;

use crate::Hash32;

/// Bytes of the object under one Merkle leaf (the last segment may be shorter).
pub const SEGMENT_LEN: usize = 1024;
/// Domain-separation prefix of the content id's preimage (leaves use 0x00, nodes 0x01).
pub const CONTENT_ID_PREFIX: u8 = 0x02;

/// One segment of an object and the path that ties it to the object's content id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentProof {
	/// The object's length in bytes.
	pub object_len: u64,
	/// The Merkle root over the object's segments.
	pub root: Hash32,
	/// Which segment.
	pub index: u32,
	/// The segment's bytes.
	pub segment: Vec<u8>,
	/// Siblings from the leaf up.
	pub siblings: Vec<Hash32>,
}

/// The content id of `object`: `blake2_256(0x02 ‖ u64 len ‖ root)`.
pub fn content_id(object: &[u8]) -> Hash32 {
	id_of(object.len() as u64, &tree_root(object))
}

/// The proof of segment `index` of `object`, or `None` if the object has no such segment.
pub fn segment_proof(object: &[u8], index: u32) -> Option<SegmentProof> {
	let leaves = leaves(object);
	let proof = merkle_proof(&leaves, index as usize)?;
	let segment = object.chunks(SEGMENT_LEN).nth(index as usize)?.to_vec();
	Some(SegmentProof {
		object_len: object.len() as u64,
		root: tree_root_of(&leaves).0,
		index,
		segment,
		siblings: proof.into_iter().map(|sibling| sibling.0).collect(),
	})
}

/// Whether `proof` shows a segment of the object named `content_id`: the id's preimage matches,
/// the segment has the length its position implies, and the path leads to the root.
pub fn verify_segment(content_id: &Hash32, proof: &SegmentProof) -> bool {
	if id_of(proof.object_len, &proof.root) != *content_id {
		return false;
	}
	let Some(segment_count) = segment_count(proof.object_len) else { return false };
	let expected_len = if proof.index.saturating_add(1) == segment_count {
		proof.object_len.saturating_sub(u64::from(proof.index).saturating_mul(SEGMENT_LEN as u64))
	} else {
		SEGMENT_LEN as u64
	};
	if proof.segment.len() as u64 != expected_len {
		return false;
	}
	let siblings: Vec<H256> = proof.siblings.iter().copied().map(H256).collect();
	verify(&H256(proof.root), leaf(&proof.segment), proof.index, segment_count, &siblings)
}

fn segment_count(object_len: u64) -> Option<u32> {
	u32::try_from(object_len.div_ceil(SEGMENT_LEN as u64)).ok().filter(|count| *count > 0)
}

fn leaf(segment: &[u8]) -> H256 {
	let mut preimage = Vec::with_capacity(segment.len().saturating_add(1));
	preimage.push(LEAF_PREFIX);
	preimage.extend_from_slice(segment);
	H256(blake2_256(&preimage))
}

fn leaves(object: &[u8]) -> Vec<H256> {
	object.chunks(SEGMENT_LEN).map(leaf).collect()
}

fn tree_root(object: &[u8]) -> Hash32 {
	tree_root_of(&leaves(object)).0
}

// An empty object (never a sealed one) and one of more than u32::MAX segments have no tree;
// their root is all zeroes, so their id names nothing a proof can match.
fn tree_root_of(leaves: &[H256]) -> H256 {
	merkle_root(leaves).unwrap_or_default()
}

fn id_of(object_len: u64, root: &Hash32) -> Hash32 {
	let mut preimage = [0u8; 1 + 8 + 32];
	let (prefix, rest) = preimage.split_at_mut(1);
	prefix.copy_from_slice(&[CONTENT_ID_PREFIX]);
	let (len, root_part) = rest.split_at_mut(8);
	len.copy_from_slice(&object_len.to_le_bytes());
	root_part.copy_from_slice(root);
	blake2_256(&preimage)
}
