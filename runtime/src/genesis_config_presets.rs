//! Genesis presets: `development` (Alice alone validates and holds sudo), `local_testnet` (Alice,
//! Bob and Charlie validate and form the council, no sudo: block production survives one of them
//! failing, GRANDPA finality needs all three — surviving f failures takes 3f + 1 voters) and
//! `production` (an empty template the operator fills in). The node's `dev`, `local` and
//! `production` chain specs are built from these. The development and local presets also set
//! short timings in their `parameters` section (see [`crate::configs::parameters`]); the
//! production template keeps the production defaults.

use crate::configs::{
	parameters::{GenesisParameters, MutualAidGenesis, StoragePowerGenesis},
	storage_power::{GENESIS_STORAGE_PRICE, GENESIS_SUBSIDY, SUBSIDY_HALF_LIFE_ERAS},
};
use crate::{
	currency::UNIT, opaque::SessionKeys, AccountId, Balance, BalancesConfig, BlockNumber,
	CouncilMembershipConfig, DnaWalletConfig, DrugProvenanceConfig, EhrConfig, MutualAidConfig,
	RuntimeGenesisConfig, SessionConfig, StoragePowerConfig, SudoConfig, ValidatorSetConfig,
};
use alloc::{format, vec, vec::Vec};
use frame_support::{build_struct_json_patch, BoundedVec};
use pallet_dna_wallet::{DataUse, DatasetFormat, KeyType, OrganisationKind};
use pallet_drug_provenance::{GenesisPartner, GenesisProduct, PartnerRole};
use pallet_ehr::{AccessActions, ProviderKind, PurposeOfUse};
use pallet_mutual_aid::{FundingModel, GenesisPool};
use pallet_storage_power::GenesisProvider;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::H256;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::traits::{BlakeTwo256, Hash};

/// What each dev account starts with: one million MED.
const DEV_ACCOUNT_BALANCE: Balance = 1_000_000 * UNIT;

/// A validator of a dev or local network: its account (the dev keyring's sr25519 key) and session
/// keys (the same name's sr25519 key for Aura, ed25519 for GRANDPA).
fn dev_validator(name: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, SessionKeys) {
	let aura: AuraId = name.public().into();
	let grandpa: GrandpaId = grandpa.public().into();
	(name.to_account_id(), SessionKeys { aura, grandpa })
}

/// The genesis of a Medchain network: validators (members of the validator set, with session
/// keys: Session sets Aura's and GRANDPA's authorities from them), the council, endowed accounts
/// and, on a development chain only, the sudo key.
fn medchain_genesis(
	validators: Vec<(AccountId, SessionKeys)>,
	council: Vec<AccountId>,
	endowed_accounts: Vec<AccountId>,
	sudo: Option<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|account| (account, DEV_ACCOUNT_BALANCE))
				.collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			members: BoundedVec::truncate_from(
				validators.iter().map(|(account, _)| account.clone()).collect::<Vec<_>>()
			),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(account, keys)| (account.clone(), account, keys))
				.collect::<Vec<_>>(),
		},
		council_membership: CouncilMembershipConfig { members: BoundedVec::truncate_from(council) },
		sudo: SudoConfig { key: sudo },
		storage_power: StoragePowerConfig {
			storage_price: GENESIS_STORAGE_PRICE,
			subsidy: GENESIS_SUBSIDY,
			subsidy_half_life_eras: SUBSIDY_HALF_LIFE_ERAS,
		},
	})
}

/// The demo record and dataset of the development preset, as real sealed objects
/// (`genesis_demo.json`, written by `scripts/demo-objects.mjs`, which also puts the objects in
/// the dev vault): each object's content id, commitment and size, and a locator encrypted to its
/// owner (bound to the zero hash: the genesis state cannot name its own block's hash,
/// `docs/sealing-v1.md` §6) carrying its data key; and the key-agreement public keys the dev
/// accounts derive from their phrases.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DemoObjects {
	note: DemoObject,
	genome: DemoObject,
	agreement_keys: DemoKeys,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DemoObject {
	content_id: H256,
	commitment: H256,
	size: u64,
	#[serde(with = "sp_core::bytes")]
	locator: Vec<u8>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoKeys {
	bob: H256,
	charlie: H256,
	dave: H256,
	eve: H256,
	ferdie: H256,
}

/// Demo data of the development chain, so that a fresh `--dev` chain shows something in
/// polkadot.js Apps and the app. Never real data, but real sealing: the record and the dataset
/// are sealed objects their owner opens ([`DemoObjects`]). `None` if `genesis_demo.json` does not
/// read (a test makes sure it does).
///
/// - EHR: Charlie is a hospital, Dave a clinician; Bob (a patient) lets Charlie read and append and
///   has one record from Charlie, a progress note.
/// - DNA wallet: Bob, Charlie, Dave, Eve and Ferdie have their X25519 keys; Bob has a sealed VCF
///   allowing health/medical research; Eve is a research organisation, Ferdie a compute service.
/// - Drug provenance: Eve is a manufacturer of one product, Ferdie a wholesaler, Dave a pharmacy.
/// - Mutual aid: Charlie, Dave, Eve and Ferdie are reviewers; pool 0 shares costs after claims
///   (cancer and heart attack, 300 000 MED cap, 1 % fee), managed by Alice, with Bob as a member.
///   Its periods are a dev chain's, so that a newcomer can follow a claim in one sitting: a
///   10-minute waiting period, 1 minute's notice and 10 minutes of review (a real pool's are
///   months, days and days).
/// - Storage power: Charlie (2 TiB) and Dave (4 TiB) are storage providers with their stake held.
fn development_demo_data() -> Option<Value> {
	let demo: DemoObjects = serde_json::from_str(include_str!("genesis_demo.json")).ok()?;
	let account = |keyring: Sr25519Keyring| keyring.to_account_id();
	// Licences and grants of the demo run for about a year of 6-second blocks.
	let demo_until: BlockNumber = 5_000_000;
	let demo_commitment = |label: &[u8]| -> H256 { BlakeTwo256::hash(label) };
	let key = |public: H256| public.as_bytes().to_vec();
	Some(build_struct_json_patch!(RuntimeGenesisConfig {
		ehr: EhrConfig {
			providers: vec![
				(
					account(Sr25519Keyring::Charlie),
					ProviderKind::Hospital,
					b"licence:demo-hospital".to_vec()
				),
				(
					account(Sr25519Keyring::Dave),
					ProviderKind::Clinician,
					b"licence:demo-clinician".to_vec()
				),
			],
			grants: vec![(
				account(Sr25519Keyring::Bob),
				account(Sr25519Keyring::Charlie),
				AccessActions { read: true, append: true },
				PurposeOfUse::Treatment,
				demo_until,
			)],
			records: vec![(
				account(Sr25519Keyring::Bob),
				account(Sr25519Keyring::Charlie),
				// LOINC 11506-3: progress note.
				b"11506-3".to_vec(),
				demo.note.commitment,
				demo.note.content_id,
				demo.note.locator,
				demo.note.size,
			)],
		},
		mutual_aid: MutualAidConfig {
			reviewers: vec![
				account(Sr25519Keyring::Charlie),
				account(Sr25519Keyring::Dave),
				account(Sr25519Keyring::Eve),
				account(Sr25519Keyring::Ferdie),
			],
			pools: vec![GenesisPool {
				manager: account(Sr25519Keyring::Alice),
				funding: FundingModel::ShareAfterClaims,
				// 10 minutes of 6-second blocks.
				waiting_period: 100,
				per_claim_cap: 300_000 * UNIT,
				lifetime_cap: 600_000 * UNIT,
				// ICD-10 chapter C (malignant neoplasms) and I21 (acute myocardial infarction).
				covered_conditions: vec![b"C".to_vec(), b"I21".to_vec()],
				fee_bps: 100,
				min_members: 1,
				notice_period: 10,
				review_period: 100,
				claim_deposit: 10 * UNIT,
				// Share-after-claims: no contribution schedule; a member owes at most one
				// claim cap for the claims open at once.
				contribution: 0,
				max_share: 300_000 * UNIT,
				members: vec![account(Sr25519Keyring::Bob)],
			}],
		},
		dna_wallet: DnaWalletConfig {
			keys: vec![
				(account(Sr25519Keyring::Bob), KeyType::X25519, key(demo.agreement_keys.bob)),
				(
					account(Sr25519Keyring::Charlie),
					KeyType::X25519,
					key(demo.agreement_keys.charlie)
				),
				(account(Sr25519Keyring::Dave), KeyType::X25519, key(demo.agreement_keys.dave)),
				(account(Sr25519Keyring::Eve), KeyType::X25519, key(demo.agreement_keys.eve)),
				(account(Sr25519Keyring::Ferdie), KeyType::X25519, key(demo.agreement_keys.ferdie)),
			],
			organisations: vec![
				(account(Sr25519Keyring::Eve), OrganisationKind::Research),
				(account(Sr25519Keyring::Ferdie), OrganisationKind::Compute),
			],
			datasets: vec![(
				account(Sr25519Keyring::Bob),
				demo.genome.content_id,
				DatasetFormat::Vcf,
				demo.genome.size,
				demo.genome.locator,
				vec![DataUse::HealthMedicalBiomedical],
			)],
		},
		storage_power: StoragePowerConfig {
			providers: vec![
				GenesisProvider {
					account: account(Sr25519Keyring::Charlie),
					capacity_gib: 2048,
					endpoint_commitment: demo_commitment(
						b"medchain demo: storage endpoint of Charlie"
					),
				},
				GenesisProvider {
					account: account(Sr25519Keyring::Dave),
					capacity_gib: 4096,
					endpoint_commitment: demo_commitment(
						b"medchain demo: storage endpoint of Dave"
					),
				},
			],
		},
		drug_provenance: DrugProvenanceConfig {
			partners: vec![
				GenesisPartner {
					account: account(Sr25519Keyring::Eve),
					role: PartnerRole::Manufacturer,
					gln: *b"0950600013439",
					licence_ref: demo_commitment(b"medchain demo: manufacturer licence"),
					licensed_until: demo_until,
				},
				GenesisPartner {
					account: account(Sr25519Keyring::Ferdie),
					role: PartnerRole::Wholesaler,
					gln: *b"0950600013446",
					licence_ref: demo_commitment(b"medchain demo: wholesaler licence"),
					licensed_until: demo_until,
				},
				GenesisPartner {
					account: account(Sr25519Keyring::Dave),
					role: PartnerRole::Dispenser,
					gln: *b"0950600013453",
					licence_ref: demo_commitment(b"medchain demo: pharmacy licence"),
					licensed_until: demo_until,
				},
			],
			products: vec![GenesisProduct {
				// GS1's example GTIN, with a valid check digit.
				gtin: *b"09506000134352",
				manufacturer: account(Sr25519Keyring::Eve),
				metadata_commitment: demo_commitment(b"medchain demo: product metadata"),
			}],
		},
	}))
}

/// The timings of the development and local presets, so that the end-to-end tests see eras and
/// periods close in minutes: storage eras of 30 blocks (3 minutes) with heartbeat slots of 5
/// blocks and a 5-block audit deadline; pool rule changes 10 blocks after their announcement;
/// cost-sharing periods of 20 blocks.
fn short_timings() -> Value {
	let parameters = GenesisParameters {
		mutual_aid: MutualAidGenesis { rule_change_timelock: Some(10), apportion_period: Some(20) },
		storage_power: StoragePowerGenesis {
			era_length: Some(30),
			heartbeat_interval: Some(5),
			challenge_deadline: Some(5),
		},
	};
	serde_json::json!({ "parameters": parameters })
}

/// The `development` preset: Alice is the only validator and holds the sudo key; Alice, Bob and
/// Charlie form the council (so that motions can be tried); short timings and demo data.
pub fn development_config_genesis() -> Value {
	let mut genesis = medchain_genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_council(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	);
	json_merge(&mut genesis, short_timings());
	if let Some(demo) = development_demo_data() {
		json_merge(&mut genesis, demo);
	}
	genesis
}

/// Alice, Bob and Charlie: the council of the development and local presets.
fn dev_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.into_iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// Merges the JSON object `patch` into `base`, key by key.
fn json_merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The `local_testnet` preset: Alice, Bob and Charlie validate and form the council; no sudo;
/// short timings.
pub fn local_testnet_genesis() -> Value {
	let mut genesis = medchain_genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		dev_council(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		None,
	);
	json_merge(&mut genesis, short_timings());
	genesis
}

/// The name of the production template preset.
pub const PRODUCTION_RUNTIME_PRESET: &str = "production";

/// The `production` preset: a template with no sudo, no demo data, no well-known keys and
/// nobody in it. The operator fills in the council, the validators with their session keys and
/// the endowed accounts (`build-spec --chain production`, edit, `build-spec --raw`); the node
/// refuses to start a live chain without validators or with a development key.
pub fn production_template_genesis() -> Value {
	medchain_genesis(Vec::new(), Vec::new(), Vec::new(), None)
}

/// The JSON patch of the preset `id`, if there is one.
fn preset_patch(id: &PresetId) -> Option<Value> {
	match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => Some(development_config_genesis()),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => Some(local_testnet_genesis()),
		PRODUCTION_RUNTIME_PRESET => Some(production_template_genesis()),
		_ => None,
	}
}

/// The JSON patch of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	preset_patch(id).and_then(|patch| serde_json::to_vec(&patch).ok())
}

/// The whole genesis JSON of preset `id`, as the node makes it: the default genesis with the
/// preset's patch merged in.
pub fn preset_genesis(id: &PresetId) -> Option<Value> {
	let mut genesis = serde_json::to_value(RuntimeGenesisConfig::default()).ok()?;
	json_merge(&mut genesis, preset_patch(id)?);
	Some(genesis)
}

/// Builds the genesis state from a chain spec's genesis JSON: the pallets' sections as FRAME
/// builds them, then the `parameters` section ([`GenesisParameters`]), which is no pallet's
/// genesis config (`pallet-parameters` has none). Invalid JSON, an unknown field or a parameter
/// that breaks a pallet's rule is refused with what is wrong.
pub fn build_state(json: Vec<u8>) -> sp_genesis_builder::Result {
	let mut genesis: Value =
		serde_json::from_slice(&json).map_err(|error| format!("Invalid JSON blob: {error}"))?;
	let parameters =
		match genesis.as_object_mut().and_then(|sections| sections.remove("parameters")) {
			Some(section) => serde_json::from_value::<GenesisParameters>(section)
				.map_err(|error| format!("Invalid genesis parameters: {error}"))?,
			None => GenesisParameters::default(),
		};
	let pallets = serde_json::to_vec(&genesis).map_err(|error| format!("{error}"))?;
	frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(pallets)?;
	parameters.build()
}

/// The names of the presets this runtime has.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(PRODUCTION_RUNTIME_PRESET),
	]
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
	use super::*;

	#[test]
	fn every_preset_builds_a_genesis_state() {
		for id in preset_names() {
			let genesis = preset_genesis(&id).expect("a listed preset");
			let json = serde_json::to_vec(&genesis).expect("JSON serializes");
			sp_io::TestExternalities::default()
				.execute_with(|| build_state(json))
				.expect("the preset builds");
		}
	}

	#[test]
	fn development_preset_has_demo_data() {
		let json = get_preset(&PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET))
			.expect("the development preset exists");
		let genesis: Value = serde_json::from_slice(&json).unwrap_or_default();
		assert_eq!(genesis["ehr"]["providers"].as_array().map(Vec::len), Some(2));
		assert_eq!(genesis["dnaWallet"]["datasets"].as_array().map(Vec::len), Some(1));
		// The record and the dataset are the sealed objects of `genesis_demo.json`.
		let demo: DemoObjects = serde_json::from_str(include_str!("genesis_demo.json"))
			.expect("genesis_demo.json reads");
		let note = &genesis["ehr"]["records"][0];
		assert_eq!(note[4], serde_json::to_value(demo.note.content_id).unwrap_or_default());
		assert_eq!(note[3], serde_json::to_value(demo.note.commitment).unwrap_or_default());
		assert_eq!(
			genesis["dnaWallet"]["datasets"][0][1],
			serde_json::to_value(demo.genome.content_id).unwrap_or_default()
		);
		assert_eq!(
			genesis["dnaWallet"]["keys"][0][2],
			serde_json::to_value(demo.agreement_keys.bob.as_bytes()).unwrap_or_default()
		);
		assert_eq!(genesis["drugProvenance"]["partners"].as_array().map(Vec::len), Some(3));
		assert_eq!(genesis["mutualAid"]["reviewers"].as_array().map(Vec::len), Some(4));
		assert_eq!(genesis["mutualAid"]["pools"].as_array().map(Vec::len), Some(1));
	}
}
