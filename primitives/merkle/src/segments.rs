//! Content ids of sealed objects (`docs/sealing-v1.md` §2): a Merkle root over an object's
//! [`SEGMENT_LEN`]-byte segments, bound to the object's length. A storage audit asks for one
//! segment and checks it against the id on chain with [`verify_segment`]; the proof is the segment
//! and at most [`crate::MAX_PROOF_DEPTH`] siblings (about 2 KiB for a 1 GiB object).

use crate::{verify, LEAF_PREFIX};
use alloc::vec::Vec;
use codec::Encode;
use sp_core::H256;
use sp_io::hashing::blake2_256;

/// Bytes of an object under one leaf (the last segment may be shorter).
pub const SEGMENT_LEN: u32 = 1024;
/// Domain-separation prefix of a content id's preimage (leaves use 0x00, nodes 0x01).
pub const CONTENT_ID_PREFIX: u8 = 0x02;

/// The content id of an object of `object_len` bytes whose segment tree has root `root`:
/// `blake2_256(0x02 ‖ u64 object_len, little endian ‖ root)`.
pub fn content_id_of(object_len: u64, root: &H256) -> H256 {
	H256((CONTENT_ID_PREFIX, object_len, root).using_encoded(blake2_256))
}

/// The leaf of one segment: `blake2_256(0x00 ‖ segment)`.
pub fn segment_leaf(segment: &[u8]) -> H256 {
	let mut preimage = Vec::with_capacity(segment.len().saturating_add(1));
	preimage.push(LEAF_PREFIX);
	preimage.extend_from_slice(segment);
	H256(blake2_256(&preimage))
}

/// Segments of an object of `object_len` bytes, or `None` for an empty object or one of more
/// than `u32::MAX` segments (neither has a tree).
pub fn segment_count(object_len: u64) -> Option<u32> {
	u32::try_from(object_len.div_ceil(u64::from(SEGMENT_LEN))).ok().filter(|count| *count > 0)
}

/// Length of segment `index` of an object of `object_len` bytes (`None` past the last one).
pub fn segment_len(object_len: u64, index: u32) -> Option<u64> {
	let start = u64::from(index).checked_mul(u64::from(SEGMENT_LEN))?;
	let rest = object_len.checked_sub(start).filter(|rest| *rest > 0)?;
	Some(rest.min(u64::from(SEGMENT_LEN)))
}

/// Whether `segment` is segment `index` of the object of `object_len` bytes named `content_id`:
/// `root` is the id's preimage with that length, the segment has the length its position
/// implies, and `siblings` lead from its leaf to `root`.
pub fn verify_segment(
	content_id: &H256,
	object_len: u64,
	root: &H256,
	index: u32,
	segment: &[u8],
	siblings: &[H256],
) -> bool {
	if content_id_of(object_len, root) != *content_id {
		return false;
	}
	let Some(count) = segment_count(object_len) else { return false };
	if segment_len(object_len, index) != Some(segment.len() as u64) {
		return false;
	}
	verify(root, segment_leaf(segment), index, count, siblings)
}
