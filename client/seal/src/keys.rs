//! Key-agreement keys (spec §4): an X25519 pair derived from an account's secret URI, apart from
//! its signing key, so that the same phrase the user already backs up restores both.

use hkdf::Hkdf;
use hpke::{kem::X25519HkdfSha256, Deserializable, Kem, Serializable};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::Hash32;

/// HKDF salt of the derivation: keeps these keys apart from every other use of the phrase.
pub const KEY_AGREEMENT_SALT: &[u8] = b"medchain/key-agreement/v1";

type KemPrivateKey = <X25519HkdfSha256 as Kem>::PrivateKey;
type KemPublicKey = <X25519HkdfSha256 as Kem>::PublicKey;

/// Why a key could not be derived or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
	#[error("the secret phrase is not a valid BIP-39 English mnemonic: {0}")]
	InvalidPhrase(String),
	#[error("a 0x-hex mini secret must be 32 bytes of hex")]
	InvalidMiniSecret,
	#[error("a public key must be 32 bytes")]
	InvalidPublicKey,
}

/// An account's X25519 secret for opening envelopes.
pub struct KeyAgreementSecret {
	private: KemPrivateKey,
	public: KemPublicKey,
}

impl KeyAgreementSecret {
	/// The key of the secret URI `phrase[path][///password]`, e.g. the development phrase
	/// followed by `//Alice`. The phrase may also be a 0x-hex 32-byte mini secret.
	pub fn from_suri(suri: &str) -> Result<Self, KeyError> {
		let (rest, password) = match suri.split_once("///") {
			Some((rest, password)) => (rest, password),
			None => (suri, ""),
		};
		let (phrase, path) = match rest.find('/') {
			Some(at) => rest.split_at(at),
			None => (rest, ""),
		};
		let mini_secret = mini_secret(phrase.trim(), password)?;
		Ok(Self::from_mini_secret(&mini_secret, path))
	}

	/// The key of the account at `path` (as written, e.g. `//Alice`, or empty) under `mini_secret`.
	pub fn from_mini_secret(mini_secret: &Hash32, path: &str) -> Self {
		let mut ikm = Zeroizing::new([0u8; 32]);
		// HKDF-SHA256 can expand up to 8 160 bytes; 32 always succeed.
		let _ = Hkdf::<Sha256>::new(Some(KEY_AGREEMENT_SALT), mini_secret)
			.expand(path.as_bytes(), ikm.as_mut());
		let (private, public) = X25519HkdfSha256::derive_keypair(ikm.as_ref());
		Self { private, public }
	}

	/// The public key to register on chain.
	pub fn public(&self) -> Hash32 {
		self.public.to_bytes().into()
	}

	pub(crate) fn private_key(&self) -> &KemPrivateKey {
		&self.private
	}

	/// The secret's 32 bytes (RFC 9180 `SerializePrivateKey`), for a key file.
	pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
		Zeroizing::new(self.private.to_bytes().into())
	}
}

/// A recipient's registered public key, checked for length.
pub(crate) fn public_key(bytes: &Hash32) -> Result<KemPublicKey, KeyError> {
	KemPublicKey::from_bytes(bytes).map_err(|_| KeyError::InvalidPublicKey)
}

fn mini_secret(phrase: &str, password: &str) -> Result<Hash32, KeyError> {
	if let Some(hex) = phrase.strip_prefix("0x") {
		let mut secret = [0u8; 32];
		return decode_hex(hex, &mut secret).map(|()| secret).ok_or(KeyError::InvalidMiniSecret);
	}
	let mnemonic = bip39::Mnemonic::parse_in(bip39::Language::English, phrase)
		.map_err(|error| KeyError::InvalidPhrase(error.to_string()))?;
	let mut entropy = mnemonic.to_entropy();
	let secret = substrate_bip39::mini_secret_from_entropy(&entropy, password)
		.map_err(|error| KeyError::InvalidPhrase(format!("{error:?}")));
	entropy.zeroize();
	Ok(secret?.to_bytes())
}

fn decode_hex(hex: &str, out: &mut [u8; 32]) -> Option<()> {
	if hex.len() != 64 {
		return None;
	}
	for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
		*byte = u8::from_str_radix(core::str::from_utf8(pair).ok()?, 16).ok()?;
	}
	Some(())
}
