//! Runtime API of the DNA-wallet pallet: what an owner's wallet, a clinician's client, a research
//! organisation and polkadot.js need to read without decoding storage. Exposed over JSON-RPC by
//! the node as `dnaWallet_keys`, `dnaWallet_datasets`, `dnaWallet_shares`,
//! `dnaWallet_canDecrypt` and `dnaWallet_studies`.
//!
//! Each method maps one-to-one onto a read helper of `pallet_dna_wallet::Pallet`, so the runtime
//! implementation (`runtime/src/apis.rs`) is one line per method. Every list is bounded by a
//! pallet constant.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

pub use pallet_dna_wallet::{
	DataUse, DatasetFormat, DatasetId, DatasetView, KeyId, KeyType, KeyView, SharePurpose,
	ShareView, StudyId, StudyMode, StudyStatus, StudyView,
};

sp_api::decl_runtime_apis! {
	/// Read access to DNA-wallet keys, datasets, shares and studies.
	pub trait DnaWalletApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The public keys of `account`, revoked ones included until removed.
		fn keys(account: AccountId) -> Vec<KeyView<BlockNumber>>;

		/// The datasets of `owner`: ciphertext hashes and encrypted locators only.
		fn datasets(owner: AccountId) -> Vec<DatasetView<AccountId, BlockNumber>>;

		/// The key shares of `dataset`, each with whether it decrypts the current ciphertext.
		fn shares(dataset: DatasetId) -> Vec<ShareView<AccountId, BlockNumber>>;

		/// Whether `recipient` holds a live share of the current data-key version of `dataset`.
		fn can_decrypt(dataset: DatasetId, recipient: AccountId) -> bool;

		/// The studies on chain; only those taking consents now if `open_only`.
		fn studies(open_only: bool) -> Vec<StudyView<AccountId, Balance, BlockNumber>>;
	}
}
