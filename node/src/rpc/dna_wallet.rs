//! `dnaWallet_*`: read methods over the `DnaWalletApi` runtime API. Public keys, ciphertext
//! pointers, wrapped keys and studies only; the chain holds no genome and no data key.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use medchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash};
use pallet_dna_wallet_runtime_api::{
	DatasetId, DatasetView, DnaWalletApi as DnaWalletRuntimeApi, KeyView, ShareView, StudyView,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;

use super::query_runtime;

#[rpc(server, namespace = "dnaWallet")]
pub trait DnaWalletApi {
	/// The public keys of `account`, revoked ones included until removed.
	#[method(name = "keys")]
	fn keys(&self, account: AccountId, at: Option<Hash>) -> RpcResult<Vec<KeyView<BlockNumber>>>;

	/// The datasets of `owner` (ciphertext hashes and encrypted locators).
	#[method(name = "datasets")]
	fn datasets(
		&self,
		owner: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<DatasetView<AccountId, BlockNumber>>>;

	/// The key shares of `dataset`, each with whether it decrypts the current ciphertext.
	#[method(name = "shares")]
	fn shares(
		&self,
		dataset: DatasetId,
		at: Option<Hash>,
	) -> RpcResult<Vec<ShareView<AccountId, BlockNumber>>>;

	/// Whether `recipient` holds a live share of the current data-key version of `dataset`.
	#[method(name = "canDecrypt")]
	fn can_decrypt(
		&self,
		dataset: DatasetId,
		recipient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<bool>;

	/// The studies on chain; only those taking consents now if `open_only`.
	#[method(name = "studies")]
	fn studies(
		&self,
		open_only: bool,
		at: Option<Hash>,
	) -> RpcResult<Vec<StudyView<AccountId, Balance, BlockNumber>>>;
}

/// The `dnaWallet_*` methods, answered from the client's state.
pub struct DnaWallet<C> {
	client: Arc<C>,
}

impl<C> DnaWallet<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> DnaWalletApiServer for DnaWallet<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DnaWalletRuntimeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn keys(&self, account: AccountId, at: Option<Hash>) -> RpcResult<Vec<KeyView<BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.keys(at, account))
	}

	fn datasets(
		&self,
		owner: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Vec<DatasetView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.datasets(at, owner))
	}

	fn shares(
		&self,
		dataset: DatasetId,
		at: Option<Hash>,
	) -> RpcResult<Vec<ShareView<AccountId, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.shares(at, dataset))
	}

	fn can_decrypt(
		&self,
		dataset: DatasetId,
		recipient: AccountId,
		at: Option<Hash>,
	) -> RpcResult<bool> {
		query_runtime(&*self.client, at, |api, at| api.can_decrypt(at, dataset, recipient))
	}

	fn studies(
		&self,
		open_only: bool,
		at: Option<Hash>,
	) -> RpcResult<Vec<StudyView<AccountId, Balance, BlockNumber>>> {
		query_runtime(&*self.client, at, |api, at| api.studies(at, open_only))
	}
}
