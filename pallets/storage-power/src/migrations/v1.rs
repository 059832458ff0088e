//! Storage version 1: storage orders and the subsidy schedule replace the fixed emission.
//!
//! Version 0 minted a constant (`EraEmission`) every era and had no price. A chain upgraded to
//! version 1 gets the storage price `Price` and a subsidy of `Subsidy` per era halving every
//! `HalfLife` eras, starting with the next era (the current one was already paid by the old
//! rule), and the order revenue of the current era (none yet). Three writes: no loop.

use crate::*;
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::Weight, traits::UncheckedOnRuntimeUpgrade,
};
use sp_core::Get;

/// Sets the price, the subsidy schedule and the order revenue's era. Use [`MigrateV0ToV1`].
pub struct InnerMigrateV0ToV1<T, Price, Subsidy, HalfLife>(
	PhantomData<(T, Price, Subsidy, HalfLife)>,
);

impl<T, Price, SubsidyPerEra, HalfLife> UncheckedOnRuntimeUpgrade
	for InnerMigrateV0ToV1<T, Price, SubsidyPerEra, HalfLife>
where
	T: Config,
	Price: Get<BalanceOf<T>>,
	SubsidyPerEra: Get<BalanceOf<T>>,
	HalfLife: Get<u32>,
{
	fn on_runtime_upgrade() -> Weight {
		let era = CurrentEra::<T>::get();
		StoragePrice::<T>::put(Price::get());
		Subsidy::<T>::put(SubsidySchedule {
			initial: SubsidyPerEra::get(),
			start_era: era.saturating_add(1),
			half_life_eras: HalfLife::get().max(1),
		});
		OrderRevenue::<T>::put(OrderRevenueState { era, ..Default::default() });
		T::DbWeight::get().reads_writes(1, 3)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let era = CurrentEra::<T>::get();
		frame_support::ensure!(StoragePrice::<T>::get() == Price::get(), "price not set");
		frame_support::ensure!(
			Subsidy::<T>::get().amount(era.saturating_add(1)) == SubsidyPerEra::get(),
			"the next era's subsidy is not the configured one"
		);
		Pallet::<T>::do_try_state()
	}
}

/// Runs [`InnerMigrateV0ToV1`] once, at storage version 0, and sets version 1.
pub type MigrateV0ToV1<T, Price, Subsidy, HalfLife> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T, Price, Subsidy, HalfLife>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
