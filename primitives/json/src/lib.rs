//! Serde helpers for the JSON of the domain RPCs, one convention for every pallet:
//! - a balance (or any other `u128`) is a decimal string, `"12000000000000"`, never a JSON
//!   number. JavaScript's `JSON.parse` (which `@polkadot/api` uses) rounds numbers above 2^53
//!   silently, so a client would see a price one planck off; a string reads back exactly with
//!   `BigInt(text)`;
//! - a byte string is 0x-hex, `"0x0a1b"`, never an array of numbers, as Substrate's own RPCs
//!   write bytes (`sp_core::bytes`);
//! - an identifier printed on a pack (a GTIN, a lot) is its text, `"LOT-2024/07A"`, the form a
//!   person types and reads;
//! - keys are camelCase (`#[serde(rename_all = "camelCase")]` on the view, not a helper here).
//!
//! Use on a field: `#[serde(with = "medchain_json::balance")]` (`option_balance` for an
//! `Option`: a string or `null`), `medchain_json::bytes`, `medchain_json::byte_strings` (a list
//! of byte strings) or `medchain_json::text`. On a field of a generic type, add the field's own
//! bounds: `#[serde(with = "medchain_json::balance", bound(serialize = "Balance:
//! core::fmt::Display"))]`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{traits::Get, BoundedVec};

/// A balance as a decimal string.
pub mod balance {
	use alloc::string::String;
	use core::{fmt::Display, str::FromStr};
	use sp_runtime::serde::{de::Error, Deserialize, Deserializer, Serializer};

	/// Writes `value` as a decimal string.
	pub fn serialize<S: Serializer, B: Display>(
		value: &B,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		serializer.collect_str(value)
	}

	/// Reads a decimal string; a number, a sign or anything else is refused with the reason.
	pub fn deserialize<'de, D: Deserializer<'de>, B>(deserializer: D) -> Result<B, D::Error>
	where
		B: FromStr,
		B::Err: Display,
	{
		let text = String::deserialize(deserializer)?;
		text.parse::<B>().map_err(D::Error::custom)
	}
}

/// An optional balance as a decimal string or `null`.
pub mod option_balance {
	use alloc::string::String;
	use core::{fmt::Display, str::FromStr};
	use sp_runtime::serde::{de::Error, Deserialize, Deserializer, Serializer};

	/// Writes `Some(value)` as a decimal string, `None` as `null`.
	pub fn serialize<S: Serializer, B: Display>(
		value: &Option<B>,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		match value {
			Some(value) => serializer.collect_str(value),
			None => serializer.serialize_none(),
		}
	}

	/// Reads a decimal string or `null`.
	pub fn deserialize<'de, D: Deserializer<'de>, B>(deserializer: D) -> Result<Option<B>, D::Error>
	where
		B: FromStr,
		B::Err: Display,
	{
		let text = Option::<String>::deserialize(deserializer)?;
		text.map(|text| text.parse::<B>().map_err(D::Error::custom)).transpose()
	}
}

/// A byte string as 0x-hex.
pub mod bytes {
	use alloc::vec::Vec;
	use sp_runtime::serde::{de::Error, Deserializer, Serializer};

	/// Writes `value` as `"0x…"` (lower-case hex, two digits a byte).
	pub fn serialize<S: Serializer, B: AsRef<[u8]>>(
		value: &B,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		sp_core::bytes::serialize(value.as_ref(), serializer)
	}

	/// Reads hex (`"0x…"`; `sp_core::bytes` also takes it without the prefix); anything else,
	/// or more bytes than `B` holds, is refused with the reason.
	pub fn deserialize<'de, D: Deserializer<'de>, B: TryFrom<Vec<u8>>>(
		deserializer: D,
	) -> Result<B, D::Error> {
		let bytes = sp_core::bytes::deserialize(deserializer)?;
		let len = bytes.len();
		B::try_from(bytes).map_err(|_| {
			D::Error::custom(format_args!("{len} bytes are more than the field holds"))
		})
	}
}

/// A list of byte strings as a JSON array of 0x-hex strings (e.g. the type codes of a grant's
/// scope, the conditions a pool covers).
pub mod byte_strings {
	use super::ByteStrings;
	use alloc::vec::Vec;
	use sp_runtime::serde::{
		de::Error, ser::SerializeSeq, Deserialize, Deserializer, Serialize, Serializer,
	};

	/// One byte string as hex, for the sequence.
	struct Hex<'a>(&'a [u8]);

	impl Serialize for Hex<'_> {
		fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
			sp_core::bytes::serialize(self.0, serializer)
		}
	}

	/// One byte string read from hex.
	struct FromHex(Vec<u8>);

	impl<'de> Deserialize<'de> for FromHex {
		fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
			sp_core::bytes::deserialize(deserializer).map(FromHex)
		}
	}

	/// Writes `["0x…", …]`.
	pub fn serialize<S: Serializer, L: ByteStrings>(
		value: &L,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		let strings = value.byte_strings();
		let mut seq = serializer.serialize_seq(Some(strings.len()))?;
		for bytes in strings {
			seq.serialize_element(&Hex(bytes))?;
		}
		seq.end()
	}

	/// Reads `["0x…", …]`; a list or a string longer than `L` holds is refused.
	pub fn deserialize<'de, D: Deserializer<'de>, L: ByteStrings>(
		deserializer: D,
	) -> Result<L, D::Error> {
		let list = Vec::<FromHex>::deserialize(deserializer)?;
		L::from_byte_strings(list.into_iter().map(|FromHex(bytes)| bytes).collect()).ok_or_else(
			|| D::Error::custom("more byte strings, or longer ones, than the field holds"),
		)
	}
}

/// A list of byte strings, stored (bounded) or viewed (`Vec<Vec<u8>>`), as
/// [`byte_strings`] writes and reads it.
pub trait ByteStrings: Sized {
	/// The byte strings, in order.
	fn byte_strings(&self) -> Vec<&[u8]>;
	/// The list of `strings`, or `None` if it does not fit.
	fn from_byte_strings(strings: Vec<Vec<u8>>) -> Option<Self>;
}

impl ByteStrings for Vec<Vec<u8>> {
	fn byte_strings(&self) -> Vec<&[u8]> {
		self.iter().map(|bytes| bytes.as_slice()).collect()
	}

	fn from_byte_strings(strings: Vec<Vec<u8>>) -> Option<Self> {
		Some(strings)
	}
}

impl<Item: Get<u32>, List: Get<u32>> ByteStrings for BoundedVec<BoundedVec<u8, Item>, List> {
	fn byte_strings(&self) -> Vec<&[u8]> {
		self.iter().map(|bytes| bytes.as_slice()).collect()
	}

	fn from_byte_strings(strings: Vec<Vec<u8>>) -> Option<Self> {
		let strings =
			strings.into_iter().map(|bytes| bytes.try_into().ok()).collect::<Option<Vec<_>>>()?;
		strings.try_into().ok()
	}
}

/// An identifier printed on a pack (GTIN, lot) as its text. The pallet admits only ASCII for
/// these, so the text is exact.
pub mod text {
	use alloc::{string::String, vec::Vec};
	use sp_runtime::serde::{de::Error, ser, Deserialize, Deserializer, Serializer};

	/// Writes the bytes as a string; bytes that are not UTF-8 are refused (the pallet never
	/// stores such an identifier).
	pub fn serialize<S: Serializer, B: AsRef<[u8]>>(
		value: &B,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		let text = core::str::from_utf8(value.as_ref())
			.map_err(|_| <S::Error as ser::Error>::custom("an identifier that is not text"))?;
		serializer.serialize_str(text)
	}

	/// Reads a string as its UTF-8 bytes; more bytes than `B` holds are refused.
	pub fn deserialize<'de, D: Deserializer<'de>, B: TryFrom<Vec<u8>>>(
		deserializer: D,
	) -> Result<B, D::Error> {
		let text = String::deserialize(deserializer)?;
		B::try_from(text.into_bytes())
			.map_err(|_| D::Error::custom("an identifier of the wrong length"))
	}
}

#[cfg(test)]
mod tests {
	use sp_runtime::serde::{Deserialize, Serialize};

	#[derive(Serialize, Deserialize, Debug, PartialEq)]
	#[serde(crate = "sp_runtime::serde")]
	struct View {
		#[serde(with = "crate::balance")]
		price: u128,
		#[serde(with = "crate::option_balance")]
		cap: Option<u128>,
	}

	#[test]
	fn balances_read_back_exactly_above_two_to_the_53() {
		let view = View { price: u128::MAX, cap: Some((1 << 53) + 1) };
		let json = serde_json::to_string(&view).unwrap_or_default();
		assert_eq!(
			json,
			r#"{"price":"340282366920938463463374607431768211455","cap":"9007199254740993"}"#
		);
		assert_eq!(serde_json::from_str::<View>(&json).ok(), Some(view));
		let none = View { price: 0, cap: None };
		assert_eq!(serde_json::to_string(&none).unwrap_or_default(), r#"{"price":"0","cap":null}"#);
	}

	#[derive(Serialize, Deserialize, Debug, PartialEq)]
	#[serde(crate = "sp_runtime::serde")]
	struct Bytes {
		#[serde(with = "crate::bytes")]
		locator: sp_runtime::BoundedVec<u8, sp_runtime::traits::ConstU32<4>>,
		#[serde(with = "crate::byte_strings")]
		codes: sp_runtime::BoundedVec<
			sp_runtime::BoundedVec<u8, sp_runtime::traits::ConstU32<2>>,
			sp_runtime::traits::ConstU32<2>,
		>,
		#[serde(with = "crate::text")]
		gtin: [u8; 14],
	}

	fn bytes_view() -> Bytes {
		Bytes {
			locator: vec![0x0a, 0xff].try_into().unwrap_or_default(),
			codes: vec![b"J1".to_vec().try_into().unwrap_or_default(), Default::default()]
				.try_into()
				.unwrap_or_default(),
			gtin: *b"09506000134352",
		}
	}

	#[test]
	fn bytes_are_hex_lists_of_bytes_are_hex_strings_and_pack_identifiers_are_text() {
		let json = serde_json::to_string(&bytes_view()).unwrap_or_default();
		assert_eq!(json, r#"{"locator":"0x0aff","codes":["0x4a31","0x"],"gtin":"09506000134352"}"#);
		assert_eq!(serde_json::from_str::<Bytes>(&json).ok(), Some(bytes_view()));
		let plain = vec![vec![1u8, 2], vec![]];
		let mut out = Vec::new();
		let written =
			crate::byte_strings::serialize(&plain, &mut serde_json::Serializer::new(&mut out));
		assert!(written.is_ok());
		assert_eq!(String::from_utf8(out).unwrap_or_default(), r#"["0x0102","0x"]"#);
	}

	#[test]
	fn arrays_of_numbers_oversized_bytes_and_wrong_identifiers_are_refused() {
		for json in [
			r#"{"locator":[10,255],"codes":[],"gtin":"09506000134352"}"#,
			r#"{"locator":"0xzz","codes":[],"gtin":"09506000134352"}"#,
			r#"{"locator":"0x0102030405","codes":[],"gtin":"09506000134352"}"#,
			r#"{"locator":"0x","codes":["0x010203"],"gtin":"09506000134352"}"#,
			r#"{"locator":"0x","codes":["0x","0x","0x"],"gtin":"09506000134352"}"#,
			r#"{"locator":"0x","codes":[],"gtin":"0950600013435"}"#,
			r#"{"locator":"0x","codes":[],"gtin":"0x3039353036303030313334333532"}"#,
		] {
			assert!(serde_json::from_str::<Bytes>(json).is_err(), "{json}");
		}
		let not_text = Bytes { gtin: [0xff; 14], ..bytes_view() };
		assert!(serde_json::to_string(&not_text).is_err());
	}

	#[test]
	fn numbers_and_malformed_text_are_refused() {
		for json in [
			r#"{"price":12,"cap":null}"#,
			r#"{"price":"-1","cap":null}"#,
			r#"{"price":"1e3","cap":null}"#,
			r#"{"price":"0","cap":"x"}"#,
			r#"{"price":"340282366920938463463374607431768211456","cap":null}"#,
		] {
			assert!(serde_json::from_str::<View>(json).is_err(), "{json}");
		}
	}
}
