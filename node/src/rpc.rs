//! The node's JSON-RPC methods beyond Substrate's built-in ones (`system_*`, `chain_*`,
//! `state_*`, `author_*`). Each domain pallet adds its read methods here as a thin jsonrpsee
//! module over its runtime API (namespace = the pallet's short name, e.g. `ehr_records`).

mod dna_wallet;
mod drug_provenance;
mod ehr;
mod mutual_aid;
mod storage_power;

use std::sync::Arc;

use jsonrpsee::{types::ErrorObjectOwned, RpcModule};
use medchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
}

/// All of Medchain's RPC extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>
		+ pallet_dna_wallet_runtime_api::DnaWalletApi<Block, AccountId, Balance, BlockNumber>
		+ pallet_ehr_runtime_api::EhrApi<Block, AccountId, BlockNumber>
		+ pallet_storage_power_runtime_api::StoragePowerApi<Block, AccountId, Balance>
		+ pallet_mutual_aid_runtime_api::MutualAidApi<Block, AccountId, BlockNumber>
		+ pallet_drug_provenance_runtime_api::DrugProvenanceApi<
			Block,
			AccountId,
			Balance,
			BlockNumber,
		>,
	P: TransactionPool + 'static,
{
	use dna_wallet::{DnaWallet, DnaWalletApiServer};
	use drug_provenance::{DrugProvenance, DrugProvenanceApiServer};
	use ehr::{Ehr, EhrApiServer};
	use mutual_aid::{MutualAid, MutualAidApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use storage_power::{StoragePower, StoragePowerApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(DnaWallet::new(client.clone()).into_rpc())?;
	module.merge(Ehr::new(client.clone()).into_rpc())?;
	module.merge(StoragePower::new(client.clone()).into_rpc())?;
	module.merge(MutualAid::new(client.clone()).into_rpc())?;
	module.merge(DrugProvenance::new(client).into_rpc())?;

	Ok(module)
}

/// Calls the runtime API through `call` at block `at` (the best block if `None`), with a failure
/// turned into a JSON-RPC error: the whole body of each pallet read method.
fn query_runtime<C, R>(
	client: &C,
	at: Option<Hash>,
	call: impl FnOnce(&C::Api, Hash) -> Result<R, sp_api::ApiError>,
) -> jsonrpsee::core::RpcResult<R>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
{
	let at = at.unwrap_or_else(|| client.info().best_hash);
	call(&client.runtime_api(), at).map_err(runtime_error)
}

/// JSON-RPC error code for a failed runtime API call.
const RUNTIME_ERROR: i32 = 1;

/// A runtime API failure as a JSON-RPC error.
fn runtime_error(error: sp_api::ApiError) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(RUNTIME_ERROR, "Runtime API call failed", Some(error.to_string()))
}

/// A parameter the runtime API cannot take, as a JSON-RPC "invalid params" error.
fn invalid_params(message: String) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message, None::<()>)
}
