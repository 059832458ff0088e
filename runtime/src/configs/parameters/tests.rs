//! The parameters as the presets set them, who may change them, and what a chain spec may not
//! set.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::{
	configs::governance::CouncilInstance,
	genesis_config_presets::{build_state, preset_genesis, PRODUCTION_RUNTIME_PRESET},
	Parameters, RuntimeEvent, System,
};
use frame_support::{assert_noop, assert_ok};
use pallet_collective::RawOrigin as CouncilOrigin;
use sp_genesis_builder::PresetId;
use sp_runtime::DispatchError;

type MutualAidTimings = <Runtime as pallet_mutual_aid::Config>::RuleChangeTimelock;
type ApportionPeriod = <Runtime as pallet_mutual_aid::Config>::ApportionPeriod;
type EraLength = <Runtime as pallet_storage_power::Config>::EraLength;
type HeartbeatInterval = <Runtime as pallet_storage_power::Config>::HeartbeatInterval;
type StorageChallengeDeadline = <Runtime as pallet_storage_power::Config>::ChallengeDeadline;

/// The state of preset `id`, built as the node builds it.
fn preset(id: &str) -> sp_io::TestExternalities {
	let genesis = preset_genesis(&PresetId::from(id)).expect("a listed preset");
	state_of(genesis).expect("the preset builds")
}

/// The state built from `genesis`, or the error `build_state` gives.
fn state_of(genesis: serde_json::Value) -> Result<sp_io::TestExternalities, String> {
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| build_state(serde_json::to_vec(&genesis).unwrap()))?;
	ext.execute_with(|| System::set_block_number(1));
	Ok(ext)
}

/// `proportion` of a three-member council, as a motion's origin.
fn council(ayes: u32) -> RuntimeOrigin {
	CouncilOrigin::<crate::AccountId, CouncilInstance>::Members(ayes, 3).into()
}

/// The timings the pallets see: rule-change timelock, apportion period, era length, heartbeat
/// interval, challenge deadline.
fn timings() -> [BlockNumber; 5] {
	[
		MutualAidTimings::get(),
		ApportionPeriod::get(),
		EraLength::get(),
		HeartbeatInterval::get(),
		StorageChallengeDeadline::get(),
	]
}

#[test]
fn development_and_local_presets_start_with_short_timings() {
	for id in
		[sp_genesis_builder::DEV_RUNTIME_PRESET, sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET]
	{
		preset(id).execute_with(|| assert_eq!(timings(), [10, 20, 30, 5, 5], "{id}"));
	}
}

#[test]
fn the_production_template_keeps_production_timings() {
	preset(PRODUCTION_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(timings(), [7 * DAYS, 30 * DAYS, DAYS, 10 * MINUTES, 10 * MINUTES]);
		assert_eq!(pallet_parameters::Parameters::<Runtime>::iter().count(), 0);
	});
}

#[test]
fn two_thirds_of_the_council_change_the_rule_change_timelock() {
	preset(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let two_days =
			RuntimeParameters::MutualAid((mutual_aid::RuleChangeTimelock, 2 * DAYS).into());
		assert_noop!(
			Parameters::set_parameter(council(1), two_days.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Parameters::set_parameter(
				RuntimeOrigin::signed(crate::AccountId::new([1; 32])),
				two_days.clone()
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Parameters::set_parameter(council(2), two_days));
		assert_eq!(MutualAidTimings::get(), 2 * DAYS);
		System::assert_last_event(RuntimeEvent::Parameters(pallet_parameters::Event::Updated {
			key: RuntimeParametersKey::MutualAid(mutual_aid::ParametersKey::RuleChangeTimelock(
				mutual_aid::RuleChangeTimelock,
			)),
			old_value: Some(RuntimeParametersValue::MutualAid(
				mutual_aid::ParametersValue::RuleChangeTimelock(10),
			)),
			new_value: Some(RuntimeParametersValue::MutualAid(
				mutual_aid::ParametersValue::RuleChangeTimelock(2 * DAYS),
			)),
		}));
	});
}

#[test]
fn nobody_changes_a_timing_fixed_at_genesis() {
	preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let fixed = [
			RuntimeParameters::MutualAid((mutual_aid::ApportionPeriod, DAYS).into()),
			RuntimeParameters::StoragePower((storage_power::EraLength, DAYS).into()),
			RuntimeParameters::StoragePower((storage_power::HeartbeatInterval, 100).into()),
			// Removing the stored value would bring the default back: refused too.
			RuntimeParameters::StoragePower(storage_power::EraLength.into()),
		];
		for parameter in fixed {
			for origin in [RuntimeOrigin::root(), council(3)] {
				assert_noop!(
					Parameters::set_parameter(origin, parameter.clone()),
					DispatchError::BadOrigin
				);
			}
		}
		assert_eq!(timings(), [10, 20, 30, 5, 5]);
	});
}

#[test]
fn a_challenge_deadline_is_kept_inside_the_era() {
	preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let deadline = |blocks| {
			RuntimeParameters::StoragePower((storage_power::ChallengeDeadline, blocks).into())
		};
		assert_ok!(Parameters::set_parameter(council(2), deadline(12)));
		assert_eq!(StorageChallengeDeadline::get(), 12);
		// The era is 30 blocks: a challenge must be answered and resolved in it.
		assert_ok!(Parameters::set_parameter(council(2), deadline(1_000)));
		assert_eq!(StorageChallengeDeadline::get(), 27);
		assert_ok!(Parameters::set_parameter(council(2), deadline(0)));
		assert_eq!(StorageChallengeDeadline::get(), 1);
	});
}

#[test]
fn two_thirds_of_the_council_change_a_deposit_and_each_item_keeps_its_own() {
	use frame_support::traits::fungible::InspectHold;
	use pallet_dna_wallet::{KeyType, Keys};
	preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		// Alice has no key at genesis.
		let alice = sp_keyring::Sr25519Keyring::Alice.to_account_id();
		let held = || {
			crate::Balances::balance_on_hold(
				&crate::RuntimeHoldReason::DnaWallet(pallet_dna_wallet::HoldReason::KeyDeposit),
				&alice,
			)
		};
		let register = |byte: u8| {
			crate::DnaWallet::register_key(
				RuntimeOrigin::signed(alice.clone()),
				vec![byte; 32].try_into().unwrap(),
				KeyType::X25519,
			)
		};
		let key_deposit =
			|amount| RuntimeParameters::DnaWallet((dna_wallet::KeyDeposit, amount).into());
		assert_ok!(register(1));
		assert_eq!(held(), UNIT / 20);

		for origin in [council(1), RuntimeOrigin::signed(alice.clone())] {
			assert_noop!(
				Parameters::set_parameter(origin, key_deposit(0)),
				DispatchError::BadOrigin
			);
		}
		assert_ok!(Parameters::set_parameter(council(2), key_deposit(UNIT)));
		assert_ok!(register(2));
		assert_eq!(held(), UNIT / 20 + UNIT);

		// The first key gives back what it was charged, not today's deposit.
		let first = Keys::<Runtime>::get(&alice)[0].id;
		assert_ok!(crate::DnaWallet::revoke_key(RuntimeOrigin::signed(alice.clone()), first));
		assert_ok!(crate::DnaWallet::remove_key(RuntimeOrigin::signed(alice.clone()), first));
		assert_eq!(held(), UNIT);

		// A deposit set to zero still holds something.
		assert_ok!(Parameters::set_parameter(council(2), key_deposit(0)));
		assert_ok!(register(3));
		assert_eq!(held(), UNIT + 1);
	});
}

#[test]
fn whatever_the_council_sets_break_glass_costs_more_than_a_grant_and_caps_stay_sound() {
	type BreakGlassDeposit = <Runtime as pallet_ehr::Config>::BreakGlassDeposit;
	type GrantDeposit = <Runtime as pallet_ehr::Config>::GrantDeposit;
	type MaxFeeBps = <Runtime as pallet_mutual_aid::Config>::MaxFeeBps;
	type MaxReviewPeriod = <Runtime as pallet_mutual_aid::Config>::MaxReviewPeriod;
	preset(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!((BreakGlassDeposit::get(), GrantDeposit::get()), (10 * UNIT, UNIT / 20));
		assert_eq!((MaxFeeBps::get(), MaxReviewPeriod::get()), (1_000, 14 * DAYS));
		let set = |parameter| {
			assert_ok!(Parameters::set_parameter(council(2), parameter));
		};

		set(RuntimeParameters::Ehr((ehr::BreakGlassDeposit, 0).into()));
		assert_eq!(BreakGlassDeposit::get(), UNIT / 20 + 1);
		set(RuntimeParameters::Ehr((ehr::GrantDeposit, 0).into()));
		assert_eq!(GrantDeposit::get(), 1);
		assert_eq!(BreakGlassDeposit::get(), EXISTENTIAL_DEPOSIT);
		set(RuntimeParameters::Ehr((ehr::GrantDeposit, 20 * UNIT).into()));
		assert_eq!(BreakGlassDeposit::get(), 20 * UNIT + 1);

		set(RuntimeParameters::MutualAid((mutual_aid::MaxFeeBps, 20_000).into()));
		assert_eq!(MaxFeeBps::get(), 10_000);
		set(RuntimeParameters::MutualAid((mutual_aid::MaxReviewPeriod, 0).into()));
		assert_eq!(MaxReviewPeriod::get(), 1);
	});
}

#[test]
fn genesis_parameters_that_break_a_rule_are_refused_by_name() {
	let with = |parameters: serde_json::Value| {
		let mut genesis = preset_genesis(&PresetId::from(PRODUCTION_RUNTIME_PRESET)).unwrap();
		genesis["parameters"] = parameters;
		state_of(genesis).err().unwrap_or_default()
	};
	let refused = [
		(serde_json::json!({ "mutualAid": { "apportionPeriod": 0 } }), "mutualAid.apportionPeriod must be at least 1 block"),
		(serde_json::json!({ "storagePower": { "eraLength": 0 } }), "storagePower.eraLength must be at least 1 block"),
		(
			serde_json::json!({ "storagePower": { "eraLength": 30, "heartbeatInterval": 31 } }),
			"storagePower.heartbeatInterval (31) must not exceed storagePower.eraLength (30)",
		),
		// The default deadline (100 blocks) does not fit a 30-block era.
		(
			serde_json::json!({ "storagePower": { "eraLength": 30, "heartbeatInterval": 5 } }),
			"storagePower.challengeDeadline (100) must be less than storagePower.eraLength (30) minus 2",
		),
		(serde_json::json!({ "storagePower": { "eraLenght": 30 } }), "unknown field `eraLenght`"),
		(serde_json::json!({ "mutualAid": { "ruleChangeTimelock": "soon" } }), "invalid type"),
	];
	for (parameters, error) in refused {
		let got = with(parameters.clone());
		assert!(got.contains(error), "{parameters}: {got}");
	}
	// And a sound section builds.
	let mut genesis = preset_genesis(&PresetId::from(PRODUCTION_RUNTIME_PRESET)).unwrap();
	genesis["parameters"] =
		serde_json::json!({ "storagePower": { "eraLength": 600, "challengeDeadline": 20 } });
	state_of(genesis).unwrap().execute_with(|| {
		assert_eq!(timings(), [7 * DAYS, 30 * DAYS, 600, 10 * MINUTES, 20]);
	});
}
