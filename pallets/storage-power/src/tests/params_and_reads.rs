//! Governance parameters, genesis and the runtime-API read helpers.

use super::*;
use sp_runtime::{DispatchError, Perbill};

#[test]
fn parameters_take_effect_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		let mut params = test_parameters();
		params.alpha = 200;
		assert_noop!(
			StoragePower::set_parameters(RuntimeOrigin::signed(ALICE), params),
			DispatchError::BadOrigin
		);
		assert_ok!(StoragePower::set_parameters(RuntimeOrigin::root(), params));
		System::assert_last_event(
			Event::ParametersScheduled { from_era: 1, parameters: params }.into(),
		);
		assert_eq!(PendingParameters::<Test>::get(), Some((1, params)));
		// This era still uses alpha = 100.
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		report(ALICE, 100, 0, 0);
		assert_eq!(report_of(ALICE, 0).power, 10_000);
		run_to_era(1);
		assert_eq!(Parameters::<Test>::get(), params);
		assert!(PendingParameters::<Test>::get().is_none());
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		report(ALICE, 100, 0, 0);
		assert_eq!(report_of(ALICE, 1).power, 20_000);
	});
}

#[test]
fn parameters_reject_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let mut params = test_parameters();
		params.cap = 0;
		assert_noop!(
			StoragePower::set_parameters(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidParameters
		);
		let mut params = test_parameters();
		params.failure_threshold = 0;
		assert_noop!(
			StoragePower::set_parameters(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidParameters
		);
	});
}

#[test]
fn factor_curves_match_the_documentation() {
	let p = test_parameters();
	assert_eq!(p.uptime_factor(1, 5, false), Perbill::zero());
	assert_eq!(p.uptime_factor(2, 5, false), Perbill::from_percent(40));
	assert_eq!(p.uptime_factor(7, 5, false), Perbill::one());
	assert_eq!(p.uptime_factor(0, 5, true), Perbill::one());
	assert_eq!(p.audit_factor(0), Perbill::one());
	assert_eq!(p.audit_factor(1), Perbill::from_percent(75));
	assert_eq!(p.audit_factor(2), Perbill::zero());
	// Audited space counts to the byte: 3.5 GiB at 100 per GiB, then 7 GiB served at 10.
	assert_eq!(p.raw_power(3 * GIB_BYTES + GIB_BYTES / 2, 7), 350 + 70);
	assert_eq!(p.raw_power(GIB_BYTES / 100 * 3, 0), 2);
	assert_eq!(p.power(1_000_001, Perbill::one(), Perbill::one()), p.cap);
	assert_eq!(p.power(1_001, Perbill::from_percent(50), Perbill::from_percent(50)), 250);
}

#[test]
fn genesis_registers_providers_and_funds_the_pot() {
	ExtBuilder::default().with_provider(ALICE, 2048).build_and_execute(|| {
		assert_eq!(held(ALICE, HoldReason::ProviderStake), 2 * STAKE_PER_TIB);
		assert_eq!(ProviderCount::<Test>::get(), 1);
		assert_eq!(pot(), 1);
		assert_eq!(Parameters::<Test>::get(), test_parameters());
		assert!(Eras::<Test>::get(0).is_some());
	});
}

#[test]
fn read_helpers_show_provider_era_estimate_penalty_and_pending() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(StoragePower::provider(ALICE).is_none());
		register(ALICE, 1024);
		register(BOB, 1024);
		heartbeats(&[ALICE, BOB], 3);
		report(ALICE, 100, 0, 0);
		report(BOB, 300, 0, 0);
		pay_for_storage(1_000);

		let view = StoragePower::provider(ALICE).unwrap();
		assert_eq!(view.capacity_gib, 1024);
		assert_eq!(view.stake, STAKE_PER_TIB);
		assert_eq!(view.required_stake, STAKE_PER_TIB);
		assert_eq!((view.heartbeats, view.expected_heartbeats), (3, EXPECTED_HEARTBEATS));
		// The third heartbeat was sent in the current slot: the next is due in the next slot.
		assert_eq!((view.heartbeat_slot, view.last_heartbeat_slot), (2, Some(2)));
		assert_eq!(view.power, Some(6_000));
		assert_eq!(view.unclaimed_eras, 1);

		let era = StoragePower::era(0).unwrap();
		assert_eq!((era.total_power, era.emission, era.closed), (24_000, 1_000, false));
		assert!(StoragePower::era(5).is_none());

		let estimate = StoragePower::estimate_reward(ALICE).unwrap();
		assert_eq!(estimate.reward, 250);
		assert_eq!(estimate.share, Perbill::from_percent(25));
		assert!(StoragePower::estimate_reward(CHARLIE).is_none());

		// At block 9 (slot 2 used), slots 3 and 4 remain: projected 5/5.
		let preview = StoragePower::penalty_preview(ALICE).unwrap();
		assert_eq!(preview.projected_power, 10_000);
		// Others: BOB 18_000. Projected reward floor(10_000 × 1000 / 28_000) = 357.
		assert_eq!(preview.projected_reward, 357);
		assert_eq!(preview.power_if_heartbeat_missed, 8_000);
		assert_eq!(preview.heartbeat_cost, 357 - 8_000 * 1_000 / 26_000);
		assert_eq!(preview.power_if_audit_failed, 7_500);
		assert_eq!(preview.audit_reward_cost, 357 - 7_500 * 1_000 / 25_500);
		assert_eq!(preview.audit_slash, 0);

		let pending = StoragePower::pending_rewards(ALICE);
		assert_eq!(pending.len(), 1);
		assert_eq!((pending[0].era, pending[0].reward, pending[0].claimable), (0, 250, false));
		run_to_era(1);
		assert!(StoragePower::era(0).unwrap().closed);
		assert!(StoragePower::pending_rewards(ALICE)[0].claimable);
	});
}

#[test]
fn penalty_preview_shows_the_slash_one_failure_before_the_threshold() {
	ExtBuilder::default().build_and_execute(|| {
		register(ALICE, 1024);
		heartbeats(&[ALICE], 1);
		report(ALICE, 100, 0, 0);
		run_to_block(System::block_number() + 1);
		let id = challenge(ALICE);
		respond(ALICE, id, wrong_answer(ALICE, id));
		let preview = StoragePower::penalty_preview(ALICE).unwrap();
		assert_eq!(preview.audit_slash, STAKE_PER_TIB * SLASH_PERCENT as u64 / 100);
		assert_eq!(preview.power_if_audit_failed, 0);
	});
}
