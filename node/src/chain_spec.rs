//! Chain specifications, built from the runtime's genesis presets.

use medchain_runtime::{
	currency::{TOKEN_DECIMALS, TOKEN_SYMBOL},
	SS58_PREFIX, WASM_BINARY,
};
use sc_service::{ChainType, Properties};

/// A chain spec of the Medchain runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// What wallets need to show amounts and addresses right.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "The runtime wasm was not built (SKIP_WASM_BUILD set?)".to_string())
}

/// `dev`: one validator (Alice), for a single-node development chain.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Medchain Development")
		.with_id("medchain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: three validators (Alice, Bob, Charlie) on one machine.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Medchain Local Testnet")
		.with_id("medchain_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
