//! The binary Merkle tree Medchain's pallets commit to off-chain item lists with (a batch's pack
//! codes in `pallet-drug-provenance`, a provider's report chunks in `pallet-storage-power`). This
//! crate is the one definition of the tree: node hash, root, proof shape and proof check.
//!
//! - **Leaf**: `blake2_256(0x00 ‖ preimage)`, starting with [`LEAF_PREFIX`]. Each pallet defines
//!   its own leaf preimage (and documents it next to its `leaf_hash`); the tree takes leaves as
//!   opaque `H256`s.
//! - **Node**: `blake2_256(0x01 ‖ left ‖ right)`, starting with [`NODE_PREFIX`]. The prefixes keep
//!   leaves and nodes apart: no leaf preimage is a node preimage.
//! - **Tree**: leaves stay in their index order `0..n`. Each level pairs `(0,1)`, `(2,3)`, …; an
//!   odd last node is promoted unchanged to the next level (never duplicated). The root of one leaf
//!   is the leaf itself; there is no root of zero leaves.
//! - **Proof** of leaf `i`: its index and the siblings met on the way up, bottom first; a level
//!   where the node is promoted contributes no sibling. Given `n`, the path is fully determined, so
//!   a proof has at most `ceil(log2 n)` siblings and is checked exactly (no missing or extra
//!   sibling, index below `n`). The verifier must know `n` (the chain stores it with the root):
//!   with it, an inner node cannot be passed off as a leaf of a shallower tree.
//! - **Depth bound**: `n` is a `u32`, so a proof has at most [`MAX_PROOF_DEPTH`] = 32 siblings;
//!   [`compute_root`] rejects longer ones before hashing.
//!
//! [`sum`] is the same tree with a sum in every node, for lists whose items carry amounts.
//!
//! [`compute_root`] and [`verify`] are what a runtime uses. The builders `merkle_root` and
//! `merkle_proof` (compiled with the `std` or `runtime-benchmarks` feature) are for tests,
//! benchmarks, genesis presets and off-chain tools.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod segments;
pub mod sum;

#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
use alloc::vec::Vec;
use codec::Encode;
use sp_core::H256;
use sp_io::hashing::blake2_256;

/// Most siblings in a proof: enough for `u32::MAX` leaves.
pub const MAX_PROOF_DEPTH: u32 = 32;
/// Domain-separation prefix of a leaf preimage.
pub const LEAF_PREFIX: u8 = 0x00;
/// Domain-separation prefix of an inner-node preimage.
pub const NODE_PREFIX: u8 = 0x01;

/// An inner node: `blake2_256(0x01 ‖ left ‖ right)` (an `H256` encodes as its 32 bytes).
pub fn node_hash(left: &H256, right: &H256) -> H256 {
	H256((NODE_PREFIX, left, right).using_encoded(blake2_256))
}

/// The root obtained by folding `leaf` at `index` with `siblings` in a tree of `leaf_count`
/// leaves, or `None` if `index` is out of range or the number of siblings does not match the
/// path exactly.
pub fn compute_root(leaf: H256, index: u32, leaf_count: u32, siblings: &[H256]) -> Option<H256> {
	if index >= leaf_count || siblings.len() > MAX_PROOF_DEPTH as usize {
		return None;
	}
	let mut siblings = siblings.iter();
	let (mut hash, mut index, mut width) = (leaf, index, leaf_count);
	while width > 1 {
		if index % 2 == 1 {
			hash = node_hash(siblings.next()?, &hash);
		} else if index.saturating_add(1) < width {
			hash = node_hash(&hash, siblings.next()?);
		}
		// else: the last node of an odd level is promoted unchanged.
		index /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none().then_some(hash)
}

/// Whether `siblings` prove `leaf` at `index` in the tree of `leaf_count` leaves rooted at `root`.
pub fn verify(root: &H256, leaf: H256, index: u32, leaf_count: u32, siblings: &[H256]) -> bool {
	compute_root(leaf, index, leaf_count, siblings).as_ref() == Some(root)
}

/// The root of `leaves`, or `None` if there are none or more than `u32::MAX`.
///
/// For tests, benchmarks, genesis presets and off-chain tools; not compiled into a production
/// runtime.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub fn merkle_root(leaves: &[H256]) -> Option<H256> {
	root_with(leaves, |left, right| Some(node_hash(left, right)))
}

/// The siblings proving `leaves[index]`, bottom first, or `None` if `index` is out of range or
/// there are more than `u32::MAX` leaves.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub fn merkle_proof(leaves: &[H256], index: usize) -> Option<Vec<H256>> {
	proof_with(leaves, index, |left, right| Some(node_hash(left, right)))
}

/// The root of the tree of `leaves` whose nodes `parent` makes (`None` when it cannot), in this
/// crate's shape: `None` for no leaves or more than `u32::MAX`.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub(crate) fn root_with<N: Copy>(leaves: &[N], parent: impl Fn(&N, &N) -> Option<N>) -> Option<N> {
	if leaves.is_empty() || u32::try_from(leaves.len()).is_err() {
		return None;
	}
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		level = next_level(&level, &parent)?;
	}
	level.first().copied()
}

/// The siblings proving `leaves[index]` in the tree whose nodes `parent` makes, bottom first.
#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
pub(crate) fn proof_with<N: Copy>(
	leaves: &[N],
	index: usize,
	parent: impl Fn(&N, &N) -> Option<N>,
) -> Option<Vec<N>> {
	if index >= leaves.len() || u32::try_from(leaves.len()).is_err() {
		return None;
	}
	let mut proof = Vec::new();
	let mut level = leaves.to_vec();
	let mut index = index;
	while level.len() > 1 {
		let sibling = if index % 2 == 1 { index.checked_sub(1) } else { index.checked_add(1) };
		if let Some(sibling) = sibling.and_then(|s| level.get(s)) {
			proof.push(*sibling);
		}
		level = next_level(&level, &parent)?;
		index /= 2;
	}
	Some(proof)
}

#[cfg(any(feature = "std", feature = "runtime-benchmarks", test))]
fn next_level<N: Copy>(level: &[N], parent: &impl Fn(&N, &N) -> Option<N>) -> Option<Vec<N>> {
	level
		.chunks(2)
		.map(|pair| match pair {
			[left, right] => parent(left, right),
			[single] => Some(*single),
			_ => None,
		})
		.collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests;
