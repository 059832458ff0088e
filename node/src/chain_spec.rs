//! Chain specifications, built from the runtime's genesis presets.

use medchain_runtime::{
	currency::{TOKEN_DECIMALS, TOKEN_SYMBOL},
	SS58_PREFIX, WASM_BINARY,
};
use sc_service::{ChainType, Properties};
use sp_core::storage::well_known_keys;
use sp_io::hashing::twox_128;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

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

/// `dev`: one validator (Alice, also the sudo key), for a single-node development chain.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Medchain Development")
		.with_id("medchain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: three validators (Alice, Bob, Charlie), also the council, on one machine; no sudo.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Medchain Local Testnet")
		.with_id("medchain_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `production`: the template of a production chain, with no sudo, no demo data and nobody in it.
/// The operator exports it (`build-spec --chain production`), fills in the council, validators
/// with their session keys and endowed accounts, and converts it (`build-spec --raw`); the node
/// runs a live chain only if [`ensure_fit_for_production`] passes.
pub fn production_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Medchain")
		.with_id("medchain")
		.with_chain_type(ChainType::Live)
		.with_genesis_config_preset_name(
			medchain_runtime::genesis_config_presets::PRODUCTION_RUNTIME_PRESET,
		)
		.with_properties(properties())
		.build())
}

/// Refuses a live chain that anyone could take over or that cannot start: one whose genesis holds a
/// well-known development key (the dev keyring's sr25519 or ed25519 public keys, anywhere in the
/// genesis state's keys or values other than the runtime's code: a validator's session key, a
/// council member, the sudo key, a funded account), or one without validators.
pub fn ensure_fit_for_production(spec: &dyn sc_service::ChainSpec) -> Result<(), String> {
	let genesis = spec.build_storage()?;
	let development_keys = Sr25519Keyring::iter()
		.map(|key| (format!("{key:?} (sr25519)"), key.public().0))
		.chain(Ed25519Keyring::iter().map(|key| (format!("{key:?} (ed25519)"), key.public().0)));
	for (name, public) in development_keys {
		let holds = |bytes: &Vec<u8>| bytes.windows(public.len()).any(|window| window == public);
		// Not the runtime's code: its Wasm embeds the dev keyring (for the development presets),
		// and whether a key survives compression as a literal run changes from build to build.
		let in_state = |(key, value): (&Vec<u8>, &Vec<u8>)| {
			holds(key) || (key.as_slice() != well_known_keys::CODE && holds(value))
		};
		if genesis.top.iter().any(in_state) {
			return Err(format!(
				"The live chain `{}` holds the development key of {name} in its genesis: a \
				 production chain needs the operator's own council, validator and session keys",
				spec.id()
			));
		}
	}
	// `Session::Validators`, a SCALE vector: its first byte is zero exactly when it is empty.
	let validators_key = [twox_128(b"Session"), twox_128(b"Validators")].concat();
	let has_validators = genesis
		.top
		.get(&validators_key)
		.is_some_and(|value| value.first().is_some_and(|b| *b != 0));
	if !has_validators {
		return Err(format!(
			"The live chain `{}` has no validators in its genesis: add the validators' accounts to \
			 `validatorSet.members` and their session keys to `session.keys`",
			spec.id()
		));
	}
	Ok(())
}
