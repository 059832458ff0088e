//! `Parameters` (`pallet-parameters`): the timings that make a chain a demo or a real one. Each
//! has its production value as the default; a chain spec's genesis sets others in its
//! `parameters` section ([`GenesisParameters`]), as the `development` and `local_testnet` presets
//! do so that an era or a rule change passes in minutes.
//!
//! | parameter | default | who changes it later |
//! |-----------|---------|----------------------|
//! | mutual aid: rule-change timelock | 7 days | two thirds of the council |
//! | mutual aid: apportion period | 30 days | nobody: genesis only |
//! | storage power: era length | 1 day | nobody: genesis only |
//! | storage power: heartbeat interval | 10 minutes | nobody: genesis only |
//! | storage power: audit challenge deadline | 10 minutes | two thirds of the council |
//!
//! Why some are fixed at genesis: the number of an era, of an apportion period and of a heartbeat
//! slot is the block number divided by its length, so a new length would renumber the past —
//! rewards of an era already closed paid again or never, members' shares of a period counted twice.
//! Changing one takes a runtime upgrade with a migration that carries the open era or period over.
//! The two the council may change apply only to what starts afterwards (a rule change announced
//! later, a challenge issued later). A challenge deadline is capped so that a challenge always
//! ends inside its era, whatever the council sets.
//!
//! The domain pallets declare these as constants, so the metadata shows the value in force when
//! it was read. The metadata hash that `CheckMetadataHash` embeds is computed at build time from
//! the defaults: on a chain whose parameters differ from them (the dev presets, or after the
//! council changed one), signers that check the hash (hardware wallets) refuse until the next
//! runtime upgrade carries the new default. Signers that send no hash (polkadot.js, the app) are
//! not affected.

use super::governance::EnsureTwoThirdsCouncil;
use crate::{BlockNumber, Runtime, RuntimeOrigin, DAYS, MINUTES};
use alloc::{format, string::String, vec::Vec};
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::{EnsureOrigin, EnsureOriginWithArg, Get},
};
use serde::{Deserialize, Serialize};

#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// Timings of `pallet-mutual-aid`.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod mutual_aid {
		/// Blocks between a pool's rule change being announced and applying: members have this
		/// long to leave before new rules bind them.
		#[codec(index = 0)]
		pub static RuleChangeTimelock: BlockNumber = 7 * DAYS;

		/// Blocks per apportion period of cost-sharing pools. Genesis only.
		#[codec(index = 1)]
		pub static ApportionPeriod: BlockNumber = 30 * DAYS;
	}

	/// Timings of `pallet-storage-power`.
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod storage_power {
		/// Blocks per era, the period of reports and rewards. Genesis only.
		#[codec(index = 0)]
		pub static EraLength: BlockNumber = DAYS;

		/// Blocks per heartbeat slot: a provider is expected to beat once per slot. Genesis only.
		#[codec(index = 1)]
		pub static HeartbeatInterval: BlockNumber = 10 * MINUTES;

		/// Blocks a provider has to answer an audit challenge (see [`ChallengeDeadline`]).
		#[codec(index = 2)]
		pub static ChallengeDeadline: BlockNumber = 10 * MINUTES;
	}
}

pub use dynamic_params::{mutual_aid, storage_power};

/// The benchmark of `set_parameter` sets this one (the council may change it).
#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::MutualAid(mutual_aid::Parameters::RuleChangeTimelock(
			mutual_aid::RuleChangeTimelock,
			Some(7 * DAYS),
		))
	}
}

/// Who may set each parameter: two thirds of the council for the two that apply only to what
/// starts afterwards; nobody (not even Root) for those fixed at genesis.
pub struct ParameterAdmin;

impl ParameterAdmin {
	/// Whether the council may change `key` (see the module's table).
	fn council_may_change(key: &RuntimeParametersKey) -> bool {
		matches!(
			key,
			RuntimeParametersKey::MutualAid(mutual_aid::ParametersKey::RuleChangeTimelock(_))
				| RuntimeParametersKey::StoragePower(
					storage_power::ParametersKey::ChallengeDeadline(_)
				)
		)
	}
}

impl EnsureOriginWithArg<RuntimeOrigin, RuntimeParametersKey> for ParameterAdmin {
	type Success = ();

	fn try_origin(
		origin: RuntimeOrigin,
		key: &RuntimeParametersKey,
	) -> Result<Self::Success, RuntimeOrigin> {
		if !Self::council_may_change(key) {
			return Err(origin);
		}
		<EnsureTwoThirdsCouncil as EnsureOrigin<RuntimeOrigin>>::try_origin(origin).map(|_| ())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(key: &RuntimeParametersKey) -> Result<RuntimeOrigin, ()> {
		if !Self::council_may_change(key) {
			return Err(());
		}
		<EnsureTwoThirdsCouncil as EnsureOrigin<RuntimeOrigin>>::try_successful_origin()
	}
}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	type AdminOrigin = ParameterAdmin;
	type WeightInfo = crate::weights::pallet_parameters::WeightInfo<Runtime>;
}

/// The audit challenge deadline in force: the council's value, kept at least one block and at
/// most the era length less 3 blocks, so that a challenge issued in an era can be answered and
/// resolved in it (`pallet-storage-power` requires `deadline + 2 < era length`).
pub struct ChallengeDeadline;

impl Get<BlockNumber> for ChallengeDeadline {
	fn get() -> BlockNumber {
		storage_power::ChallengeDeadline::get()
			.min(storage_power::EraLength::get().saturating_sub(3))
			.max(1)
	}
}

/// The `parameters` section of a chain spec's genesis: the parameters a chain starts with where
/// they differ from the defaults, e.g.
/// `{"parameters": {"storagePower": {"eraLength": 30, "heartbeatInterval": 5}}}`. Each field left
/// out keeps its default.
#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisParameters {
	#[serde(default)]
	pub mutual_aid: MutualAidGenesis,
	#[serde(default)]
	pub storage_power: StoragePowerGenesis,
}

/// Mutual aid's genesis timings, in blocks.
#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MutualAidGenesis {
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub rule_change_timelock: Option<BlockNumber>,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub apportion_period: Option<BlockNumber>,
}

/// Storage power's genesis timings, in blocks.
#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoragePowerGenesis {
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub era_length: Option<BlockNumber>,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub heartbeat_interval: Option<BlockNumber>,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub challenge_deadline: Option<BlockNumber>,
}

impl GenesisParameters {
	/// Checks the values against the pallets' rules and stores those given; a value that breaks
	/// a rule is refused with its name, and nothing is stored.
	pub fn build(&self) -> Result<(), String> {
		let mutual_aid = &self.mutual_aid;
		let storage = &self.storage_power;
		let era_length = storage.era_length.unwrap_or_else(storage_power::EraLength::get);
		let heartbeat_interval =
			storage.heartbeat_interval.unwrap_or_else(storage_power::HeartbeatInterval::get);
		let challenge_deadline =
			storage.challenge_deadline.unwrap_or_else(storage_power::ChallengeDeadline::get);
		// Each given value with its name and as the parameter to store.
		let given: Vec<(&str, BlockNumber, RuntimeParameters)> = [
			mutual_aid.rule_change_timelock.map(|value| {
				let parameter = (mutual_aid::RuleChangeTimelock, value).into();
				("mutualAid.ruleChangeTimelock", value, RuntimeParameters::MutualAid(parameter))
			}),
			mutual_aid.apportion_period.map(|value| {
				let parameter = (mutual_aid::ApportionPeriod, value).into();
				("mutualAid.apportionPeriod", value, RuntimeParameters::MutualAid(parameter))
			}),
			storage.era_length.map(|value| {
				let parameter = (storage_power::EraLength, value).into();
				("storagePower.eraLength", value, RuntimeParameters::StoragePower(parameter))
			}),
			storage.heartbeat_interval.map(|value| {
				let parameter = (storage_power::HeartbeatInterval, value).into();
				(
					"storagePower.heartbeatInterval",
					value,
					RuntimeParameters::StoragePower(parameter),
				)
			}),
			storage.challenge_deadline.map(|value| {
				let parameter = (storage_power::ChallengeDeadline, value).into();
				(
					"storagePower.challengeDeadline",
					value,
					RuntimeParameters::StoragePower(parameter),
				)
			}),
		]
		.into_iter()
		.flatten()
		.collect();
		if let Some((name, ..)) = given.iter().find(|(_, value, _)| *value == 0) {
			return Err(format!("genesis parameter {name} must be at least 1 block"));
		}
		if heartbeat_interval > era_length {
			return Err(format!(
				"genesis parameter storagePower.heartbeatInterval ({heartbeat_interval}) must not \
				 exceed storagePower.eraLength ({era_length})"
			));
		}
		if challenge_deadline.saturating_add(2) >= era_length {
			return Err(format!(
				"genesis parameter storagePower.challengeDeadline ({challenge_deadline}) must be \
				 less than storagePower.eraLength ({era_length}) minus 2"
			));
		}
		for (_, _, parameter) in given {
			use frame_support::traits::dynamic_params::AggregatedKeyValue;
			if let (key, Some(value)) = parameter.into_parts() {
				pallet_parameters::Parameters::<Runtime>::insert(key, value);
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests;
