//! `Parameters` (`pallet-parameters`): the timings, deposits and caps that make a chain a demo or
//! a real one. Each has its production value as the default; a chain spec's genesis sets other
//! timings in its `parameters` section ([`GenesisParameters`]), as the `development` and
//! `local_testnet` presets do so that an era or a rule change passes in minutes.
//!
//! | parameters | default | who changes them later |
//! |------------|---------|------------------------|
//! | mutual aid: rule-change timelock | 7 days | two thirds of the council |
//! | mutual aid: apportion period | 30 days | nobody: genesis only |
//! | storage power: era length | 1 day | nobody: genesis only |
//! | storage power: heartbeat interval | 10 minutes | nobody: genesis only |
//! | storage power: audit challenge deadline | 10 minutes | two thirds of the council |
//! | every deposit of the five domain pallets (26) | see each | two thirds of the council |
//! | mutual aid: caps on a pool's fee and periods (4) | 10 %, a year, 30 and 14 days | two thirds of the council |
//!
//! Why some are fixed at genesis: the number of an era, of an apportion period and of a heartbeat
//! slot is the block number divided by its length, so a new length would renumber the past —
//! rewards of an era already closed paid again or never, members' shares of a period counted twice.
//! Changing one takes a runtime upgrade with a migration that carries the open era or period over.
//! The others the council may change apply only to what starts afterwards:
//! - a rule change announced later, a challenge issued later (a challenge deadline is capped so
//!   that a challenge always ends inside its era, whatever the council sets);
//! - a deposit held later: each item keeps the deposit it was charged and gets exactly that back.
//!   A deposit is never zero ([`Deposit`]) and break-glass always costs more than a grant
//!   ([`EhrBreakGlassDeposit`]), whatever is set;
//! - a pool created, or a rule change announced, later (a pool's rules are checked against the
//!   caps then; rules already announced stand).
//!
//! What stays a constant, and why: the caps that bound a list in storage (`MaxMembersPerPool`,
//! `MaxReplicasPerProvider`, …; lowering one would leave lists longer than their bound, so it
//! takes a migration), storage power's stake per TiB (a new value would change at once how many
//! bytes the providers' existing stakes back), and the transaction fees (every transaction would
//! read them: a cost on the chain's throughput; they change with a runtime upgrade, which the
//! council passes too).
//!
//! The domain pallets declare these as constants, so the metadata shows the value in force when
//! it was read. The metadata hash that `CheckMetadataHash` embeds is computed at build time from
//! the defaults: on a chain whose parameters differ from them (the dev presets, or after the
//! council changed one), signers that check the hash (hardware wallets) refuse until the next
//! runtime upgrade carries the new default. Signers that send no hash (polkadot.js, the app) are
//! not affected.

use super::governance::EnsureTwoThirdsCouncil;
use crate::{
	currency::{EXISTENTIAL_DEPOSIT, MILLI_UNIT, UNIT},
	Balance, BlockNumber, Runtime, RuntimeOrigin, DAYS, MINUTES,
};
use alloc::{format, string::String, vec::Vec};
use core::marker::PhantomData;
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

		/// Held per membership: 1 MED.
		#[codec(index = 2)]
		pub static MembershipDeposit: Balance = UNIT;

		/// Held per objection: 5 MED, lost if the claim is approved.
		#[codec(index = 3)]
		pub static ObjectionDeposit: Balance = 5 * UNIT;

		/// Held per appeal: 50 MED, lost if the appeal does not prevail.
		#[codec(index = 4)]
		pub static AppealDeposit: Balance = 50 * UNIT;

		/// The highest management fee a pool may set, in basis points of the share: 10 %
		/// (at most 10,000 whatever is set, see [`MutualAidMaxFeeBps`]).
		#[codec(index = 5)]
		pub static MaxFeeBps: u16 = 1_000;

		/// The longest waiting period a pool may set: a year.
		#[codec(index = 6)]
		pub static MaxWaitingPeriod: BlockNumber = 365 * DAYS;

		/// The longest notice period (and appeal window) a pool may set: 30 days.
		#[codec(index = 7)]
		pub static MaxNoticePeriod: BlockNumber = 30 * DAYS;

		/// The longest review period (commit, reveal and draw windows) a pool may set: 14 days.
		#[codec(index = 8)]
		pub static MaxReviewPeriod: BlockNumber = 14 * DAYS;
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

		/// Held per storage order's record (about 150 bytes with its owner index): 0.1 MED.
		#[codec(index = 3)]
		pub static OrderDeposit: Balance = UNIT / 10;

		/// Held per audit challenge until it is resolved: 1 MED.
		#[codec(index = 4)]
		pub static ChallengeDeposit: Balance = UNIT;
	}

	/// Deposits of `pallet-ehr`.
	#[dynamic_pallet_params]
	#[codec(index = 2)]
	pub mod ehr {
		/// Held per record pointer: 0.1 MED.
		#[codec(index = 0)]
		pub static RecordDeposit: Balance = UNIT / 10;

		/// Held per access grant: 0.05 MED.
		#[codec(index = 1)]
		pub static GrantDeposit: Balance = UNIT / 20;

		/// Held per pending access request: 0.05 MED.
		#[codec(index = 2)]
		pub static RequestDeposit: Balance = UNIT / 20;

		/// Held per break-glass access until it is reviewed, slashed to the patient if
		/// unjustified: 10 MED (always more than a grant's, see [`EhrBreakGlassDeposit`]).
		#[codec(index = 3)]
		pub static BreakGlassDeposit: Balance = 10 * UNIT;

		/// Held per guardian set: 0.2 MED.
		#[codec(index = 4)]
		pub static GuardianDeposit: Balance = UNIT / 5;

		/// Held per open guardian proposal: 0.05 MED.
		#[codec(index = 5)]
		pub static ProposalDeposit: Balance = UNIT / 20;
	}

	/// Deposits of `pallet-dna-wallet`.
	#[dynamic_pallet_params]
	#[codec(index = 3)]
	pub mod dna_wallet {
		/// Held per registered public key: 0.05 MED.
		#[codec(index = 0)]
		pub static KeyDeposit: Balance = UNIT / 20;

		/// Held per dataset: 0.1 MED.
		#[codec(index = 1)]
		pub static DatasetDeposit: Balance = UNIT / 10;

		/// Held per key share (consent shares included): 0.05 MED.
		#[codec(index = 2)]
		pub static ShareDeposit: Balance = UNIT / 20;

		/// Held per study: 1 MED.
		#[codec(index = 3)]
		pub static StudyDeposit: Balance = UNIT;

		/// Held per participant a study can take (its consent record and owner entry): 0.01 MED.
		#[codec(index = 4)]
		pub static StudyDepositPerParticipant: Balance = UNIT / 100;

		/// Held from an owner per consent until it is settled, and from an organisation per
		/// rejection while it can be disputed; the losing side forfeits it to the other: 0.5 MED.
		#[codec(index = 5)]
		pub static ConsentDeposit: Balance = UNIT / 2;

		/// Held per guardian set and its recovery state: 0.2 MED.
		#[codec(index = 6)]
		pub static GuardianDeposit: Balance = UNIT / 5;
	}

	/// Deposits of `pallet-drug-provenance`.
	#[dynamic_pallet_params]
	#[codec(index = 4)]
	pub mod drug_provenance {
		/// Held per registered product: 1 MED.
		#[codec(index = 0)]
		pub static ProductDeposit: Balance = UNIT;

		/// Held per registered batch: 10 MED (plus the per-pack deposit below).
		#[codec(index = 1)]
		pub static BatchDeposit: Balance = 10 * UNIT;

		/// Held per pack code of a batch: 0.0001 MED, prepaying the storage of its free
		/// verification.
		#[codec(index = 2)]
		pub static PackRecordDeposit: Balance = MILLI_UNIT / 10;

		/// Held per transfer record, from its sender until the batch is retired: 0.1 MED.
		#[codec(index = 3)]
		pub static TransferDeposit: Balance = UNIT / 10;

		/// Held per suspect report: 5 MED, burned if the regulator finds the report unfounded.
		#[codec(index = 4)]
		pub static SuspectReportDeposit: Balance = 5 * UNIT;
	}
}

pub use dynamic_params::{dna_wallet, drug_provenance, ehr, mutual_aid, storage_power};

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

/// Who may set each parameter: two thirds of the council for those that apply only to what starts
/// afterwards; nobody (not even Root) for the timings fixed at genesis.
pub struct ParameterAdmin;

impl ParameterAdmin {
	/// Whether the council may change `key` (see the module's table): everything but the
	/// timings fixed at genesis.
	fn council_may_change(key: &RuntimeParametersKey) -> bool {
		!matches!(
			key,
			RuntimeParametersKey::MutualAid(mutual_aid::ParametersKey::ApportionPeriod(_))
				| RuntimeParametersKey::StoragePower(
					storage_power::ParametersKey::EraLength(_)
						| storage_power::ParametersKey::HeartbeatInterval(_)
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

/// A deposit parameter as the pallets take it: never zero, whatever is set (a pallet's rules rely
/// on every item holding something).
pub struct Deposit<P>(PhantomData<P>);

impl<P: Get<Balance>> Get<Balance> for Deposit<P> {
	fn get() -> Balance {
		P::get().max(1)
	}
}

/// The break-glass deposit in force: above a grant's (break-glass must cost more than asking for
/// a grant) and at least the existential deposit (it may be paid to an empty patient account).
pub struct EhrBreakGlassDeposit;

impl Get<Balance> for EhrBreakGlassDeposit {
	fn get() -> Balance {
		ehr::BreakGlassDeposit::get()
			.max(Deposit::<ehr::GrantDeposit>::get().saturating_add(1))
			.max(EXISTENTIAL_DEPOSIT)
	}
}

/// The cap on pools' management fees in force: at most the whole share (10,000 basis points).
pub struct MutualAidMaxFeeBps;

impl Get<u16> for MutualAidMaxFeeBps {
	fn get() -> u16 {
		mutual_aid::MaxFeeBps::get().min(10_000)
	}
}

/// A cap on pools' periods as the pallet takes it: at least one block.
pub struct AtLeastOneBlock<P>(PhantomData<P>);

impl<P: Get<BlockNumber>> Get<BlockNumber> for AtLeastOneBlock<P> {
	fn get() -> BlockNumber {
		P::get().max(1)
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
