//! A Merkle-sum tree: every node commits to a hash and to the sum of the amounts of the leaves
//! under it, so the root commits to the total. A provider's bandwidth report commits its
//! reader-signed receipts this way (`pallet-storage-power`): the root's sum is the bytes it
//! claims, and a proof of one leaf also shows where the leaf's bytes lie within that total, so
//! the chain can challenge a random *byte* and learn which receipt must back it.
//!
//! - **Leaf**: [`SumNode`] `{ hash: blake2_256(0x03 ‖ item ‖ u64 amount), sum: amount }`, where
//!   `item` is the hash of what the leaf stands for (the pallet defines it).
//! - **Node**: `{ hash: blake2_256(0x04 ‖ left.hash ‖ left.sum ‖ right.hash ‖ right.sum), sum:
//!   left.sum + right.sum }` (sums as u64, little endian; a sum that overflows has no node).
//! - **Shape**: as the plain tree of this crate: leaves in index order, pairs `(0,1)`, `(2,3)`, …,
//!   an odd last node promoted unchanged, proofs bottom first and exact for a known leaf count.
//! - **Offset**: the sum of everything left of a leaf, which the verifier adds up from the left
//!   siblings of its path. Leaf `i` covers the amounts `[offset, offset + amount)` of the total.
//!
//! The prefixes differ from the plain tree's (0x00, 0x01) and from a content id's (0x02), so no
//! preimage of one kind is a preimage of another.

#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_io::hashing::blake2_256;

use crate::MAX_PROOF_DEPTH;

/// Domain-separation prefix of a sum-tree leaf preimage.
pub const SUM_LEAF_PREFIX: u8 = 0x03;
/// Domain-separation prefix of a sum-tree node preimage.
pub const SUM_NODE_PREFIX: u8 = 0x04;

/// A node of a Merkle-sum tree: its hash and the sum of the amounts under it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SumNode {
	pub hash: H256,
	pub sum: u64,
}

impl SumNode {
	/// The leaf standing for `item` (a hash) with `amount`.
	pub fn leaf(item: &H256, amount: u64) -> Self {
		Self { hash: H256((SUM_LEAF_PREFIX, item, amount).using_encoded(blake2_256)), sum: amount }
	}

	/// The parent of `left` and `right`, or `None` if their sums overflow.
	pub fn parent(left: &Self, right: &Self) -> Option<Self> {
		let sum = left.sum.checked_add(right.sum)?;
		let hash =
			(SUM_NODE_PREFIX, left.hash, left.sum, right.hash, right.sum).using_encoded(blake2_256);
		Some(Self { hash: H256(hash), sum })
	}
}

/// Folds `leaf` at `index` with `siblings` in a tree of `leaf_count` leaves: the root and the
/// leaf's offset (the sum of the amounts left of it), or `None` if `index` is out of range, the
/// number of siblings does not match the path exactly, or a sum overflows.
pub fn compute_sum_root(
	leaf: SumNode,
	index: u32,
	leaf_count: u32,
	siblings: &[SumNode],
) -> Option<(SumNode, u64)> {
	if index >= leaf_count || siblings.len() > MAX_PROOF_DEPTH as usize {
		return None;
	}
	let mut siblings = siblings.iter();
	let (mut node, mut offset, mut index, mut width) = (leaf, 0u64, index, leaf_count);
	while width > 1 {
		if index % 2 == 1 {
			let left = siblings.next()?;
			offset = offset.checked_add(left.sum)?;
			node = SumNode::parent(left, &node)?;
		} else if index.saturating_add(1) < width {
			node = SumNode::parent(&node, siblings.next()?)?;
		}
		// else: the last node of an odd level is promoted unchanged.
		index /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none().then_some((node, offset))
}

/// The root of `leaves`, or `None` if there are none, more than `u32::MAX`, or the sum overflows.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub fn sum_root(leaves: &[SumNode]) -> Option<SumNode> {
	crate::root_with(leaves, SumNode::parent)
}

/// The siblings proving `leaves[index]`, bottom first, or `None` if `index` is out of range,
/// there are more than `u32::MAX` leaves, or a sum overflows.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub fn sum_proof(leaves: &[SumNode], index: usize) -> Option<Vec<SumNode>> {
	crate::proof_with(leaves, index, SumNode::parent)
}

/// The index of the leaf covering amount `position` (`offset ≤ position < offset + amount`), or
/// `None` if `position` is not below the total.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub fn leaf_at(leaves: &[SumNode], position: u64) -> Option<usize> {
	let mut offset = 0u64;
	for (index, leaf) in leaves.iter().enumerate() {
		let end = offset.checked_add(leaf.sum)?;
		if position < end {
			return Some(index);
		}
		offset = end;
	}
	None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

	fn leaves(amounts: &[u64]) -> Vec<SumNode> {
		amounts
			.iter()
			.enumerate()
			.map(|(i, amount)| SumNode::leaf(&H256::repeat_byte(i as u8), *amount))
			.collect()
	}

	#[test]
	fn every_leaf_proves_its_offset_and_the_root_sums_all_amounts() {
		for amounts in [&[7u64][..], &[1, 2], &[5, 0, 9], &[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]] {
			let leaves = leaves(amounts);
			let root = sum_root(&leaves).unwrap();
			assert_eq!(root.sum, amounts.iter().sum::<u64>());
			let n = leaves.len() as u32;
			let mut offset = 0;
			for (i, leaf) in leaves.iter().enumerate() {
				let proof = sum_proof(&leaves, i).unwrap();
				assert_eq!(compute_sum_root(*leaf, i as u32, n, &proof), Some((root, offset)));
				if leaf.sum > 0 {
					assert_eq!(leaf_at(&leaves, offset), Some(i));
					assert_eq!(leaf_at(&leaves, offset + leaf.sum - 1), Some(i));
				}
				offset += leaf.sum;
			}
			assert_eq!(leaf_at(&leaves, offset), None);
		}
	}

	#[test]
	fn a_changed_amount_a_moved_leaf_or_an_inexact_proof_does_not_fold_to_the_root() {
		let leaves = leaves(&[3, 1, 4, 1, 5]);
		let root = sum_root(&leaves).unwrap();
		let proof = sum_proof(&leaves, 2).unwrap();
		let fold = |leaf, index, proof: &[SumNode]| compute_sum_root(leaf, index, 5, proof);
		let inflated = SumNode { sum: 400, ..leaves[2] };
		assert_ne!(fold(inflated, 2, &proof).map(|(r, _)| r), Some(root));
		assert_ne!(fold(leaves[2], 3, &proof).map(|(r, _)| r), Some(root));
		assert_eq!(fold(leaves[2], 2, &proof[1..]), None);
		let mut longer = proof.clone();
		longer.push(root);
		assert_eq!(fold(leaves[2], 2, &longer), None);
		assert_eq!(fold(leaves[2], 5, &proof), None);
	}

	#[test]
	fn a_sum_that_overflows_has_no_root() {
		let leaves = leaves(&[u64::MAX, 1]);
		assert_eq!(sum_root(&leaves), None);
		assert_eq!(compute_sum_root(leaves[1], 1, 2, &[leaves[0]]), None);
	}

	#[test]
	fn leaf_and_node_preimages_are_documented_and_kept_apart() {
		let item = H256::repeat_byte(9);
		let mut preimage = vec![SUM_LEAF_PREFIX];
		preimage.extend_from_slice(item.as_bytes());
		preimage.extend_from_slice(&5u64.to_le_bytes());
		assert_eq!(SumNode::leaf(&item, 5), SumNode { hash: H256(blake2_256(&preimage)), sum: 5 });
		let (left, right) = (SumNode::leaf(&item, 5), SumNode::leaf(&item, 6));
		let mut preimage = vec![SUM_NODE_PREFIX];
		for node in [left, right] {
			preimage.extend_from_slice(node.hash.as_bytes());
			preimage.extend_from_slice(&node.sum.to_le_bytes());
		}
		assert_eq!(
			SumNode::parent(&left, &right),
			Some(SumNode { hash: H256(blake2_256(&preimage)), sum: 11 })
		);
	}
}
