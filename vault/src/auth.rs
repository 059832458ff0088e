//! Signed requests. Every PUT and GET carries the caller's account, a timestamp and an sr25519
//! signature over what the request does, on this vault, now
//! ([`pallet_storage_power::receipts::request_payload`], one definition for the vault and the
//! chain, which checks a GET's signature as a receipt of bytes served):
//!
//! ```text
//! payload = "medchain-vault/v1" ‖ vault id (32) ‖ method ‖ 0x00 ‖ path ‖ 0x00
//!           ‖ content id (32) ‖ u64 body length ‖ u64 timestamp (unix milliseconds)
//!           [‖ Range header value, as sent, when the request has one]
//! ```
//!
//! The vault id of a provider's vault is the provider's account, so that a reader's signature
//! names the provider it read from; another vault has a random id of its own.
//!
//! The `Range` header is signed so that a ranged read is the reader's statement of exactly the
//! bytes it asked for (an audit's segment, a receipt of bytes served): nobody on the way can
//! widen or move it. A request without one signs nothing after the timestamp, which is fixed
//! length, so the two forms cannot be confused.
//!
//! headers: `x-medchain-account` (SS58 or 0x-hex account id), `x-medchain-timestamp`,
//! `x-medchain-signature` (0x-hex, 64 bytes). The signature is over the payload as is, or over
//! `<Bytes>` ‖ payload ‖ `</Bytes>`: what a browser wallet (polkadot.js extension, Talisman,
//! SubWallet) signs when asked to sign raw bytes, so that no raw signature can pass for a
//! transaction. A request is refused when its timestamp is further
//! than the allowed skew from the vault's clock, and when its signature was already seen within
//! that window (no replay).

use std::{
	collections::{HashMap, VecDeque},
	sync::Mutex,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::http::HeaderMap;
use sp_core::{
	crypto::{AccountId32, Ss58Codec},
	sr25519, Pair,
};

use crate::store::Id;

pub use pallet_storage_power::receipts::{
	wallet_wrapped, SIGNING_DOMAIN, WALLET_WRAP_PREFIX, WALLET_WRAP_SUFFIX,
};
pub const ACCOUNT_HEADER: &str = "x-medchain-account";
pub const TIMESTAMP_HEADER: &str = "x-medchain-timestamp";
pub const SIGNATURE_HEADER: &str = "x-medchain-signature";

/// Why a request's signature was refused; `reason()` is the machine-readable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
	#[error("the request has no `{0}` header")]
	MissingHeader(&'static str),
	#[error("the `{0}` header is not valid: {1}")]
	BadHeader(&'static str, String),
	#[error("the request's timestamp is {0} ms away from the vault's clock; the limit is {1} ms")]
	Stale(u64, u64),
	#[error("the signature does not match the account and the request")]
	BadSignature,
	#[error("this signed request was already used")]
	Replayed,
}

impl AuthError {
	/// A stable code for clients.
	pub fn reason(&self) -> &'static str {
		match self {
			Self::MissingHeader(_) => "missing-signature-header",
			Self::BadHeader(..) => "bad-signature-header",
			Self::Stale(..) => "stale-timestamp",
			Self::BadSignature => "bad-signature",
			Self::Replayed => "replayed-request",
		}
	}
}

/// What a signed request asks for, as the signature covers it.
pub struct Intent<'a> {
	pub method: &'a str,
	pub path: &'a str,
	pub content_id: &'a Id,
	pub body_len: u64,
	/// The `Range` header's value, as sent; `None` without one.
	pub range: Option<&'a [u8]>,
}

/// The payload a client signs for `intent` on vault `vault_id` at `timestamp_ms`.
pub fn signing_payload(vault_id: &Id, intent: &Intent<'_>, timestamp_ms: u64) -> Vec<u8> {
	pallet_storage_power::receipts::request_payload(
		vault_id,
		intent.method.as_bytes(),
		intent.path.as_bytes(),
		intent.content_id,
		intent.body_len,
		timestamp_ms,
		intent.range.unwrap_or_default(),
	)
}

/// Whether `signature` by `public` covers `payload`, signed as is or wrapped by a browser wallet.
fn signs(signature: &sr25519::Signature, payload: &[u8], public: &sr25519::Public) -> bool {
	sr25519::Pair::verify(signature, payload, public)
		|| sr25519::Pair::verify(signature, wallet_wrapped(payload), public)
}

/// A request's verified signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed {
	/// The signer.
	pub account: Id,
	/// The signed timestamp, unix milliseconds.
	pub timestamp_ms: u64,
	/// The signature.
	pub signature: [u8; 64],
}

/// Checks signatures and remembers the ones seen within the skew window.
pub struct Verifier {
	vault_id: Id,
	max_skew: Duration,
	seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
	signatures: HashMap<[u8; 64], u64>,
	by_age: VecDeque<(u64, [u8; 64])>,
}

impl Verifier {
	pub fn new(vault_id: Id, max_skew: Duration) -> Self {
		Self { vault_id, max_skew, seen: Mutex::new(Seen::default()) }
	}

	/// The id requests to this vault are signed for.
	pub fn vault_id(&self) -> Id {
		self.vault_id
	}

	/// Who signed `intent` with `headers`, when and how, or why the request is refused.
	pub fn verify(&self, headers: &HeaderMap, intent: &Intent<'_>) -> Result<Signed, AuthError> {
		let account = parse_account(header(headers, ACCOUNT_HEADER)?)?;
		let timestamp: u64 = header(headers, TIMESTAMP_HEADER)?.parse().map_err(|_| {
			AuthError::BadHeader(TIMESTAMP_HEADER, "expected unix milliseconds".into())
		})?;
		let signature = parse_signature(header(headers, SIGNATURE_HEADER)?)?;
		let now = unix_millis();
		let skew = now.abs_diff(timestamp);
		let limit = u64::try_from(self.max_skew.as_millis()).unwrap_or(u64::MAX);
		if skew > limit {
			return Err(AuthError::Stale(skew, limit));
		}
		let payload = signing_payload(&self.vault_id, intent, timestamp);
		let public = sr25519::Public::from_raw(account);
		if !signs(&sr25519::Signature::from_raw(signature), &payload, &public) {
			return Err(AuthError::BadSignature);
		}
		self.remember(signature, now, limit)?;
		Ok(Signed { account, timestamp_ms: timestamp, signature })
	}

	fn remember(&self, signature: [u8; 64], now: u64, window: u64) -> Result<(), AuthError> {
		// A poisoned lock only means another request panicked mid-update; the map is still valid.
		let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let horizon = now.saturating_sub(window.saturating_mul(2));
		while seen.by_age.front().is_some_and(|(at, _)| *at < horizon) {
			if let Some((_, old)) = seen.by_age.pop_front() {
				seen.signatures.remove(&old);
			}
		}
		if seen.signatures.insert(signature, now).is_some() {
			return Err(AuthError::Replayed);
		}
		seen.by_age.push_back((now, signature));
		Ok(())
	}
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, AuthError> {
	headers
		.get(name)
		.ok_or(AuthError::MissingHeader(name))?
		.to_str()
		.map_err(|_| AuthError::BadHeader(name, "not ASCII".into()))
}

/// An account id from SS58 text or 0x-hex.
pub fn parse_account(text: &str) -> Result<Id, AuthError> {
	if let Some(hex_text) = text.strip_prefix("0x") {
		let mut id = [0u8; 32];
		hex::decode_to_slice(hex_text, &mut id).map_err(|_| {
			AuthError::BadHeader(ACCOUNT_HEADER, "expected 32 bytes of 0x-hex or SS58".into())
		})?;
		return Ok(id);
	}
	AccountId32::from_ss58check(text)
		.map(Into::into)
		.map_err(|error| AuthError::BadHeader(ACCOUNT_HEADER, format!("{error:?}")))
}

fn parse_signature(text: &str) -> Result<[u8; 64], AuthError> {
	let mut signature = [0u8; 64];
	hex::decode_to_slice(text.strip_prefix("0x").unwrap_or(text), &mut signature).map_err(
		|_| AuthError::BadHeader(SIGNATURE_HEADER, "expected 64 bytes of 0x-hex".into()),
	)?;
	Ok(signature)
}

/// Milliseconds since the unix epoch by the vault's clock.
pub fn unix_millis() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0)
}
