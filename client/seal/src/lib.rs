//! Client-side sealing of Medchain's off-chain objects, as specified in `docs/sealing-v1.md`:
//!
//! - [`object`]: the sealed object (chunked XChaCha20-Poly1305, STREAM nonces) and its opening;
//! - [`content_id`]: the Merkle content id that goes on chain, and the segment proofs of audits;
//! - [`commitment`]: the salted commitment of the plaintext;
//! - [`keys`]: key-agreement keys derived from an account's secret phrase;
//! - [`envelope`]: HPKE envelopes that carry a data key to one recipient, and encrypted locators.
//!
//! The JavaScript module `scripts/lib/seal.mjs` implements the same text; the two agree on
//! `tests/vectors/sealing-v1.json`.

pub mod commitment;
pub mod content_id;
pub mod envelope;
pub mod keys;
pub mod object;

pub use commitment::commitment;
pub use content_id::{content_id, segment_proof, verify_segment, ContentIdHasher, SegmentProof};
pub use envelope::{
	open_locator, seal_locator, unwrap_key, wrap_key, EnvelopeError, WrapContext,
	GENESIS_LOCATOR_HASH,
};
pub use keys::{KeyAgreementSecret, KeyError};
pub use object::{
	check_framing, check_framing_of, open, open_into, open_to, seal, seal_into, seal_to,
	seal_v1_with, seal_with, DataKey, OpenError, OpenToError, Opened, Sealed,
};

/// A 32-byte blake2-256 digest or account id.
pub type Hash32 = [u8; 32];
