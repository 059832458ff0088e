//! Serde helpers for the JSON of the domain RPCs, one convention for every pallet: a balance (or
//! any other `u128`) is a decimal string, `"12000000000000"`, never a JSON number. JavaScript's
//! `JSON.parse` (which `@polkadot/api` uses) rounds numbers above 2^53 silently, so a client
//! would see a price one planck off; a string reads back exactly with `BigInt(text)`.
//!
//! Use on a field: `#[serde(with = "medchain_json::balance")]`, or `option_balance` for an
//! `Option` (a string or `null`). On a field of a generic type, add the field's own bounds:
//! `#[serde(with = "medchain_json::balance", bound(serialize = "Balance: core::fmt::Display"))]`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

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
