//! The account the client acts as: its sr25519 signing key and its key-agreement secret, both
//! from one secret URI (`docs/sealing-v1.md` §4 derives the second apart from the first).

use std::path::Path;

use medchain_seal::KeyAgreementSecret;
use sp_core::{
	crypto::{AccountId32, Ss58Codec, DEV_PHRASE},
	sr25519, Pair,
};

use crate::CliError;

/// The account: who signs, and whose envelopes open.
pub struct Account {
	pub pair: sr25519::Pair,
	pub agreement: KeyAgreementSecret,
	pub id: AccountId32,
}

impl Account {
	/// The account of `suri`, or of the secret URI in `key_file`.
	pub fn load(suri: Option<&str>, key_file: Option<&Path>) -> Result<Self, CliError> {
		let text = match (suri, key_file) {
			(Some(suri), _) => suri.to_owned(),
			(None, Some(path)) => std::fs::read_to_string(path)
				.map_err(|error| CliError::Io(path.display().to_string(), error))?,
			(None, None) => return Err(CliError::NoAccount),
		};
		Self::from_suri(text.trim())
	}

	fn from_suri(suri: &str) -> Result<Self, CliError> {
		// A path alone is under the development phrase, as `Pair::from_string` reads it.
		let full = if suri.starts_with('/') { format!("{DEV_PHRASE}{suri}") } else { suri.into() };
		let pair = sr25519::Pair::from_string(&full, None)
			.map_err(|error| CliError::BadSecret(format!("{error:?}")))?;
		let agreement = KeyAgreementSecret::from_suri(&full)
			.map_err(|error| CliError::BadSecret(error.to_string()))?;
		let id = AccountId32::from(pair.public());
		Ok(Self { pair, agreement, id })
	}

	/// The account's 32 bytes.
	pub fn bytes(&self) -> [u8; 32] {
		self.id.clone().into()
	}

	/// The account in SS58 (prefix 42).
	pub fn ss58(&self) -> String {
		self.id.to_ss58check()
	}
}

/// An account given on the command line: SS58 or 0x-hex.
pub fn parse_account(text: &str) -> Result<AccountId32, CliError> {
	medchain_vault::auth::parse_account(text)
		.map(AccountId32::from)
		.map_err(|_| CliError::BadAccount(text.to_owned()))
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	#[test]
	fn a_dev_path_is_under_the_development_phrase_for_both_keys() {
		let short = Account::from_suri("//Alice").unwrap();
		let full = Account::from_suri(&format!("{DEV_PHRASE}//Alice")).unwrap();
		assert_eq!(short.ss58(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert_eq!(short.agreement.public(), full.agreement.public());
		assert_ne!(short.agreement.public(), short.bytes(), "apart from the signing key");
	}

	#[test]
	fn a_bad_secret_is_refused_by_name() {
		assert!(matches!(Account::from_suri("not a phrase"), Err(CliError::BadSecret(_))));
		assert!(matches!(Account::load(None, None), Err(CliError::NoAccount)));
		assert!(matches!(parse_account("5Grw"), Err(CliError::BadAccount(_))));
	}
}
