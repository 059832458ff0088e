//! The key-agreement registry as the pallets that rely on it see it.
//!
//! Medchain has one registry of key-agreement keys for every account (patients, clinicians,
//! research organisations, reviewers): `pallet-dna-wallet` holds it (register, rotate, revoke,
//! remove; RPC `dnaWallet_keys`). A data key reaches a reader only wrapped to the reader's
//! registered X25519 key (docs/sealing-v1.md §4–5), so a pallet that gives an account the right
//! to read sealed data asks the registry first whether that account can be sent a key at all:
//! a read grant to an account without one would hold a deposit and open nothing. The holding
//! pallet implements [`KeyAgreementRegistry`]; the runtime names it in the relying pallet's
//! Config (`pallet-ehr`'s `KeyRegistry`), so that neither pallet imports the other.

#![cfg_attr(not(feature = "std"), no_std)]

/// What a pallet may ask the key-agreement registry.
pub trait KeyAgreementRegistry<AccountId> {
	/// Whether `who` has a live (registered, not revoked) X25519 key, the kind sealing-v1 wraps
	/// data keys to. One storage read.
	fn has_sealing_key(who: &AccountId) -> bool;

	/// Give `who` a live X25519 key, for the relying pallet's benchmarks (the worst case of
	/// their check is a registered key, read in full).
	#[cfg(feature = "runtime-benchmarks")]
	fn set_up_sealing_key(who: &AccountId);
}
