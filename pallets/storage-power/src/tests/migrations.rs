//! The migrations to storage version 1 (orders and the subsidy schedule) and 2 (the content
//! indexes).

use super::*;
use crate::migrations::{v1::MigrateV0ToV1, v2::MigrateV1ToV2};
use frame_support::{
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	BoundedVec,
};

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

#[test]
fn a_version_1_chain_gets_its_content_indexes_and_a_provider_keeps_one_replica_of_an_object() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_era(1);
		register(ALICE, 1024);
		register(BOB, 1024);
		let order = |content: u8| {
			let id = NextOrderId::<Test>::get();
			assert_ok!(StoragePower::place_order(
				RuntimeOrigin::signed(BUYER),
				H256::repeat_byte(content),
				1_000,
				2,
				3
			));
			id
		};
		let (first, second, other) = (order(1), order(1), order(2));
		for (who, id) in [(ALICE, first), (BOB, second), (ALICE, other)] {
			assert_ok!(StoragePower::take_replica(RuntimeOrigin::signed(who), id));
		}
		// What version 1 allowed: Alice holds object 1 under both of its orders.
		ProviderContent::<Test>::remove(BOB, H256::repeat_byte(1));
		let replica = Replicas::<Test>::take(second, BOB).unwrap();
		Replicas::<Test>::insert(second, ALICE, replica);
		ReplicaPool::<Test>::insert(replica.slot, (second, ALICE));
		OrderHolders::<Test>::insert(second, BoundedVec::truncate_from(vec![ALICE]));
		ProviderReplicas::<Test>::remove(BOB);
		ProviderReplicas::<Test>::insert(
			ALICE,
			BoundedVec::truncate_from(vec![first, second, other]),
		);
		ReplicaBytes::<Test>::remove(BOB);
		ReplicaBytes::<Test>::insert(ALICE, 3_000);
		// A version-1 chain: no content index of either kind.
		let _ = ContentOrders::<Test>::clear(u32::MAX, None);
		let _ = ProviderContent::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<StoragePower>();

		MigrateV1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(StoragePower::on_chain_storage_version(), 2);
		let ids = |content: u8| -> Vec<OrderId> {
			StoragePower::orders_of_content(H256::repeat_byte(content), BUYER)
				.iter()
				.map(|o| o.id)
				.collect()
		};
		assert_eq!((ids(1), ids(2)), (vec![first, second], vec![other]));
		// Alice keeps the replica of the lower order id; the other ends and frees its place.
		assert_eq!(ProviderContent::<Test>::get(ALICE, H256::repeat_byte(1)), Some(first));
		assert_eq!(ProviderContent::<Test>::get(ALICE, H256::repeat_byte(2)), Some(other));
		System::assert_last_event(
			Event::ReplicaEnded { order_id: second, provider: ALICE, reason: ReplicaEnd::Dropped }
				.into(),
		);
		assert_eq!(ReplicaBytes::<Test>::get(ALICE), 2_000);
		assert!(OrderHolders::<Test>::get(second).is_empty());
		// Run again: nothing changes (the version is 2 now).
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(ProviderContent::<Test>::iter().count(), 2);
	});
}
