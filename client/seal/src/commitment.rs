//! The salted commitment of a plaintext (spec §3): what the pallets store in place of content.

use sp_crypto_hashing::blake2_256;

use crate::Hash32;

/// `blake2_256(salt ‖ blake2_256(content))`.
pub fn commitment(salt: &Hash32, content: &[u8]) -> Hash32 {
	let mut preimage = [0u8; 64];
	let (salt_part, hash_part) = preimage.split_at_mut(32);
	salt_part.copy_from_slice(salt);
	hash_part.copy_from_slice(&blake2_256(content));
	blake2_256(&preimage)
}
