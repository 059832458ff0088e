//! The migration to storage version 1 (orders and the subsidy schedule).

use super::*;
use crate::migrations::v1::MigrateV0ToV1;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

frame_support::parameter_types! {
	pub const NewPrice: Balance = 3;
	pub const NewSubsidy: Balance = 700;
	pub const NewHalfLife: u32 = 4;
}

type Migration = MigrateV0ToV1<Test, NewPrice, NewSubsidy, NewHalfLife>;

#[test]
fn a_version_0_chain_gets_the_price_and_a_subsidy_from_the_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(2);
		// A version-0 chain: no price, no schedule.
		StorageVersion::new(0).put::<StoragePower>();
		StoragePrice::<Test>::kill();
		Subsidy::<Test>::kill();
		OrderRevenue::<Test>::kill();

		Migration::on_runtime_upgrade();

		assert_eq!(StoragePower::on_chain_storage_version(), 1);
		assert_eq!(StoragePrice::<Test>::get(), 3);
		assert_eq!(
			Subsidy::<Test>::get(),
			SubsidySchedule { initial: 700, start_era: 3, half_life_eras: 4 }
		);
		assert_eq!(OrderRevenue::<Test>::get().era, 2);
		// Era 3 is the first the schedule pays.
		run_to_era(3);
		assert!(pallet_events()
			.iter()
			.any(|e| matches!(e, Event::EraStarted { era: 3, minted: 700, order_revenue: 0, .. })));
	});
}

#[test]
fn a_chain_at_version_1_is_left_alone() {
	ExtBuilder::default().build_and_execute(|| {
		// What a chain built from this genesis (or already migrated) has.
		StorageVersion::new(1).put::<StoragePower>();
		Migration::on_runtime_upgrade();
		assert_eq!(StoragePrice::<Test>::get(), STORAGE_PRICE);
		assert_eq!(Subsidy::<Test>::get().initial, ERA_EMISSION);
	});
}
