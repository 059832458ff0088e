//! The content id of a sealed object (spec §2): a Merkle root over its 1 KiB segments, bound to
//! its length. A storage audit checks one segment against the id with a proof of about 2 KiB.

use medchain_merkle::{
	merkle_proof, merkle_root,
	segments::{content_id_of, segment_leaf},
};
use sp_core::H256;

use crate::Hash32;

pub use medchain_merkle::segments::CONTENT_ID_PREFIX;

/// Bytes of the object under one Merkle leaf (the last segment may be shorter).
pub const SEGMENT_LEN: usize = medchain_merkle::segments::SEGMENT_LEN as usize;

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

/// The content id of an object that arrives piece by piece (an upload, a file read in blocks):
/// `update` with its bytes in order, in pieces of any size, then `finish`. Holds one partial
/// segment and a 32-byte leaf per segment (1/32 of the object), never the object.
#[derive(Debug, Default, Clone)]
pub struct ContentIdHasher {
	leaves: Vec<H256>,
	partial: Vec<u8>,
	len: u64,
}

impl ContentIdHasher {
	pub fn new() -> Self {
		Self::default()
	}

	/// Takes the next `bytes` of the object.
	pub fn update(&mut self, mut bytes: &[u8]) {
		self.len = self.len.saturating_add(bytes.len() as u64);
		if !self.partial.is_empty() {
			let missing = SEGMENT_LEN.saturating_sub(self.partial.len()).min(bytes.len());
			let (head, rest) = bytes.split_at(missing);
			self.partial.extend_from_slice(head);
			bytes = rest;
			if self.partial.len() < SEGMENT_LEN {
				return;
			}
			self.leaves.push(segment_leaf(&self.partial));
			self.partial.clear();
		}
		let whole = bytes.len().saturating_sub(bytes.len() % SEGMENT_LEN);
		let (segments, rest) = bytes.split_at(whole);
		self.leaves.extend(segments.chunks(SEGMENT_LEN).map(segment_leaf));
		self.partial.extend_from_slice(rest);
	}

	/// Bytes taken so far.
	pub fn len(&self) -> u64 {
		self.len
	}

	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// The content id of the bytes taken, as [`content_id`] gives it for them whole.
	pub fn finish(mut self) -> Hash32 {
		if !self.partial.is_empty() {
			self.leaves.push(segment_leaf(&self.partial));
		}
		id_of(self.len, &tree_root_of(&self.leaves).0)
	}
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
/// the segment has the length its position implies, and the path leads to the root. The check is
/// the chain's own ([`medchain_merkle::segments::verify_segment`]).
pub fn verify_segment(content_id: &Hash32, proof: &SegmentProof) -> bool {
	let siblings: Vec<H256> = proof.siblings.iter().copied().map(H256).collect();
	medchain_merkle::segments::verify_segment(
		&H256(*content_id),
		proof.object_len,
		&H256(proof.root),
		proof.index,
		&proof.segment,
		&siblings,
	)
}

fn leaves(object: &[u8]) -> Vec<H256> {
	object.chunks(SEGMENT_LEN).map(segment_leaf).collect()
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
	content_id_of(object_len, &H256(*root)).0
}
