//! Reader-signed receipts: what a provider's bandwidth report commits to, and the one definition
//! of the vault's signed request that makes a GET a receipt.
//!
//! With its report of era `e` a provider commits `receipts_root`, the root of a Merkle-sum tree
//! ([`medchain_merkle::sum`]) over `leaf_count` [`Receipt`]s of reads its vault served in era
//! `e − 1`, in strictly increasing [`receipt_key`] order; the root's sum is the report's
//! `bytes_served`. An audit names a byte of that total; the provider answers with the receipt
//! covering it (its path shows the receipt's offset), and the next receipt with its path (its key
//! must be greater: no receipt counts twice). The chain then checks the reader's signature.
//!
//! - **Leaf**: [`receipt_leaf`] = `SumNode::leaf(blake2_256(SCALE(receipt)), receipt.bytes)`.
//! - **Key**: [`receipt_key`] = `blake2_256(SCALE(reader, timestamp_ms, content_id, range))`: the
//!   request itself, without the signature, so that signing one request twice does not make two
//!   receipts.

use crate::types::Receipt;
use alloc::vec::Vec;
use codec::Encode;
use medchain_merkle::sum::SumNode;
use sp_core::H256;
use sp_io::hashing::blake2_256;

/// Domain of the vault's signed request payload.
pub const SIGNING_DOMAIN: &[u8] = b"medchain-vault/v1";
/// What browser wallets put before raw bytes they sign (`u8aWrapBytes` in `@polkadot/util`).
pub const WALLET_WRAP_PREFIX: &[u8] = b"<Bytes>";
/// What browser wallets put after raw bytes they sign.
pub const WALLET_WRAP_SUFFIX: &[u8] = b"</Bytes>";
/// The path of an object on a vault, before its content id in lowercase hex.
pub const OBJECT_PATH_PREFIX: &[u8] = b"/objects/0x";

/// What a caller of a vault signs:
///
/// ```text
/// "medchain-vault/v1" ‖ vault id ‖ method ‖ 0x00 ‖ path ‖ 0x00 ‖ content id (32)
///   ‖ u64 body length ‖ u64 timestamp (unix milliseconds) [‖ Range header value, as sent]
/// ```
///
/// The timestamp is fixed length, so a request without a `Range` (nothing after it) and one with
/// cannot be confused.
pub fn request_payload(
	vault_id: &[u8],
	method: &[u8],
	path: &[u8],
	content_id: &[u8; 32],
	body_len: u64,
	timestamp_ms: u64,
	range: &[u8],
) -> Vec<u8> {
	[
		SIGNING_DOMAIN,
		vault_id,
		method,
		&[0],
		path,
		&[0],
		content_id,
		&body_len.to_le_bytes(),
		&timestamp_ms.to_le_bytes(),
		range,
	]
	.concat()
}

/// `payload` as a browser wallet signs it: `<Bytes>` ‖ payload ‖ `</Bytes>`.
pub fn wallet_wrapped(payload: &[u8]) -> Vec<u8> {
	[WALLET_WRAP_PREFIX, payload, WALLET_WRAP_SUFFIX].concat()
}

/// `/objects/0x<content id in lowercase hex>`: the path a receipt's GET was signed for.
pub fn object_path(content_id: &H256) -> Vec<u8> {
	const HEX: &[u8; 16] = b"0123456789abcdef";
	let mut path = OBJECT_PATH_PREFIX.to_vec();
	for byte in content_id.as_bytes() {
		let digit = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
		path.extend([digit(byte >> 4), digit(byte & 0x0f)]);
	}
	path
}

/// The payload a receipt's reader signed, for the vault of `provider` (its encoded account).
pub fn receipt_payload<AccountId, Signature>(
	provider: &[u8],
	receipt: &Receipt<AccountId, Signature>,
) -> Vec<u8> {
	request_payload(
		provider,
		b"GET",
		&object_path(&receipt.content_id),
		receipt.content_id.as_fixed_bytes(),
		0,
		receipt.timestamp_ms,
		&receipt.range,
	)
}

/// The key receipts are ordered by: `blake2_256(SCALE(reader, timestamp_ms, content_id, range))`.
pub fn receipt_key<AccountId: Encode, Signature>(receipt: &Receipt<AccountId, Signature>) -> H256 {
	H256(
		(&receipt.reader, receipt.timestamp_ms, &receipt.content_id, &receipt.range)
			.using_encoded(blake2_256),
	)
}

/// The receipt's leaf: `SumNode::leaf(blake2_256(SCALE(receipt)), receipt.bytes)`.
pub fn receipt_leaf<AccountId: Encode, Signature: Encode>(
	receipt: &Receipt<AccountId, Signature>,
) -> SumNode {
	SumNode::leaf(&H256(receipt.using_encoded(blake2_256)), receipt.bytes)
}

/// The number of bytes a `Range` header value `bytes=first-last` asks for (`last − first + 1`),
/// or `None` for any other form (suffix, open-ended or several ranges: a vault records no
/// receipt for those).
pub fn range_len(range: &[u8]) -> Option<u64> {
	let spec = range.strip_prefix(b"bytes=")?;
	let dash = spec.iter().position(|byte| *byte == b'-')?;
	let first = decimal(spec.get(..dash)?)?;
	let last = decimal(spec.get(dash.checked_add(1)?..)?)?;
	last.checked_sub(first)?.checked_add(1)
}

/// A non-empty run of ASCII digits as a `u64`, or `None`.
fn decimal(digits: &[u8]) -> Option<u64> {
	if digits.is_empty() || digits.len() > 20 {
		return None;
	}
	digits.iter().try_fold(0u64, |value, digit| {
		let digit = digit.checked_sub(b'0').filter(|d| *d <= 9)?;
		value.checked_mul(10)?.checked_add(u64::from(digit))
	})
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn only_a_single_closed_byte_range_has_a_length() {
		assert_eq!(range_len(b"bytes=0-4095"), Some(4096));
		assert_eq!(range_len(b"bytes=7-7"), Some(1));
		for other in [
			&b""[..],
			b"bytes=5-4",
			b"bytes=-500",
			b"bytes=100-",
			b"bytes=0-1,5-9",
			b"bytes= 0-1",
			b"items=0-1",
			b"bytes=0-99999999999999999999",
		] {
			assert_eq!(range_len(other), None, "{}", String::from_utf8_lossy(other));
		}
	}

	#[test]
	fn the_object_path_is_lowercase_hex_of_the_content_id() {
		let path = object_path(&H256::repeat_byte(0xab));
		assert_eq!(path, [b"/objects/0x".as_slice(), &[b'a', b'b'].repeat(32)].concat());
	}

	#[test]
	fn the_payload_is_laid_out_as_documented() {
		let payload = request_payload(b"V", b"GET", b"/p", &[9; 32], 0, 5, b"bytes=0-1");
		let mut expected = b"medchain-vault/v1VGET\0/p\0".to_vec();
		expected.extend([9; 32]);
		expected.extend(0u64.to_le_bytes());
		expected.extend(5u64.to_le_bytes());
		expected.extend(b"bytes=0-1");
		assert_eq!(payload, expected);
	}
}
