//! HPKE envelopes (spec §5, §6): a data key sealed to one recipient for one chain, object, key
//! version and account; a locator sealed to its owner.

use hpke::{
	aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, Kem, OpModeR,
	OpModeS, Serializable,
};
use rand_core::OsRng;
use zeroize::Zeroizing;

use crate::{
	keys::{public_key, KeyAgreementSecret, KeyError},
	object::DataKey,
	Hash32,
};

/// Label in front of an envelope's `info`.
pub const KEY_WRAP_LABEL: &[u8] = b"medchain/key-wrap/v1";
/// Label in front of an encrypted locator's `info`.
pub const LOCATOR_LABEL: &[u8] = b"medchain/locator/v1";
/// `enc` (32) ‖ sealed data key (32) ‖ tag (16).
pub const ENVELOPE_LEN: usize = 32 + 32 + 16;

const ENC_LEN: usize = 32;

type EncappedKey = <X25519HkdfSha256 as Kem>::EncappedKey;

/// What an envelope is bound to: it opens for this and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrapContext {
	/// The chain's genesis hash.
	pub genesis_hash: Hash32,
	/// The content id of the object whose key is wrapped.
	pub content_id: Hash32,
	/// The object's key version on chain (bumped by every re-seal).
	pub key_version: u32,
	/// The account id of the recipient.
	pub recipient: Hash32,
}

impl WrapContext {
	fn info(&self) -> Vec<u8> {
		let mut info = Vec::with_capacity(KEY_WRAP_LABEL.len().saturating_add(100));
		info.extend_from_slice(KEY_WRAP_LABEL);
		info.extend_from_slice(&self.genesis_hash);
		info.extend_from_slice(&self.content_id);
		info.extend_from_slice(&self.key_version.to_le_bytes());
		info.extend_from_slice(&self.recipient);
		info
	}
}

/// Why an envelope could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
	#[error(transparent)]
	Key(#[from] KeyError),
	#[error("the envelope has {0} bytes; an envelope has 80")]
	WrongLength(usize),
	#[error("the envelope does not open with this key for this chain, object, key version and recipient")]
	WrongEnvelope,
	#[error("the locator is not valid UTF-8 text")]
	LocatorNotText,
	#[error("HPKE could not seal: {0}")]
	Seal(String),
}

/// Seals `data_key` to the holder of `recipient_public` for `context`.
pub fn wrap_key(
	data_key: &DataKey,
	recipient_public: &Hash32,
	context: &WrapContext,
) -> Result<[u8; ENVELOPE_LEN], EnvelopeError> {
	let sealed = hpke_seal(recipient_public, &context.info(), &data_key.0)?;
	sealed.try_into().map_err(|sealed: Vec<u8>| EnvelopeError::WrongLength(sealed.len()))
}

/// Opens an envelope made by [`wrap_key`] for `context`.
pub fn unwrap_key(
	envelope: &[u8],
	secret: &KeyAgreementSecret,
	context: &WrapContext,
) -> Result<DataKey, EnvelopeError> {
	if envelope.len() != ENVELOPE_LEN {
		return Err(EnvelopeError::WrongLength(envelope.len()));
	}
	let key = Zeroizing::new(hpke_open(envelope, secret, &context.info())?);
	let key: [u8; 32] = key.as_slice().try_into().map_err(|_| EnvelopeError::WrongEnvelope)?;
	Ok(DataKey(key))
}

/// Encrypts `locator` (where the object lives) to its owner on the chain `genesis_hash`.
pub fn seal_locator(
	locator: &str,
	owner: &Hash32,
	owner_public: &Hash32,
	genesis_hash: &Hash32,
) -> Result<Vec<u8>, EnvelopeError> {
	hpke_seal(owner_public, &locator_info(owner, genesis_hash), locator.as_bytes())
}

/// What the locators of a chain's genesis state are bound to instead of its genesis hash, which
/// the state cannot name (spec §6).
pub const GENESIS_LOCATOR_HASH: Hash32 = [0; 32];

/// Decrypts a locator made by [`seal_locator`].
pub fn open_locator(
	sealed: &[u8],
	owner: &Hash32,
	secret: &KeyAgreementSecret,
	genesis_hash: &Hash32,
) -> Result<String, EnvelopeError> {
	let plain = hpke_open(sealed, secret, &locator_info(owner, genesis_hash))?;
	String::from_utf8(plain).map_err(|_| EnvelopeError::LocatorNotText)
}

fn locator_info(owner: &Hash32, genesis_hash: &Hash32) -> Vec<u8> {
	[LOCATOR_LABEL, genesis_hash.as_slice(), owner.as_slice()].concat()
}

fn hpke_seal(recipient: &Hash32, info: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
	let recipient = public_key(recipient)?;
	let (enc, ciphertext) = hpke::single_shot_seal::<
		ChaCha20Poly1305,
		HkdfSha256,
		X25519HkdfSha256,
		_,
	>(&OpModeS::Base, &recipient, info, plaintext, &[], &mut OsRng)
	.map_err(|error| EnvelopeError::Seal(error.to_string()))?;
	Ok([enc.to_bytes().as_slice(), &ciphertext].concat())
}

fn hpke_open(
	sealed: &[u8],
	secret: &KeyAgreementSecret,
	info: &[u8],
) -> Result<Vec<u8>, EnvelopeError> {
	let (enc, ciphertext) = sealed.split_at_checked(ENC_LEN).ok_or(EnvelopeError::WrongEnvelope)?;
	let enc = EncappedKey::from_bytes(enc).map_err(|_| EnvelopeError::WrongEnvelope)?;
	hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
		&OpModeR::Base,
		secret.private_key(),
		&enc,
		info,
		ciphertext,
		&[],
	)
	.map_err(|_| EnvelopeError::WrongEnvelope)
}
