//! Genesis: the parameters of era 0 (power, storage price, subsidy), the pot's existential
//! deposit, the first era and the genesis providers. A genesis that cannot be built fails in one
//! way, `genesis_failure`.

use crate::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The body of `BuildGenesisConfig::build`.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		let params = config.parameters.unwrap_or_default();
		let valid = params.cap > 0 && params.failure_threshold > 0;
		if !valid {
			genesis_failure("invalid parameters");
		}
		Parameters::<T>::put(params);
		StoragePrice::<T>::put(config.storage_price);
		if !config.subsidy.is_zero() {
			if config.subsidy_half_life_eras == 0 {
				genesis_failure("a subsidy needs a positive half-life");
			}
			Subsidy::<T>::put(SubsidySchedule {
				initial: config.subsidy,
				start_era: Self::era_of(Self::now()),
				half_life_eras: config.subsidy_half_life_eras,
			});
		}
		let pot = Self::pot_account();
		let ed = T::Currency::minimum_balance();
		let have = T::Currency::balance(&pot);
		if have < ed && T::Currency::mint_into(&pot, ed.saturating_sub(have)).is_err() {
			genesis_failure("cannot fund the pot");
		}
		let era = Self::era_of(Self::now());
		CurrentEra::<T>::put(era);
		// The genesis era started before the chain's clock (which starts with its first block):
		// the reads before it are the window of its reports, none.
		EraStartedAt::<T>::insert(era, 0);
		if !Eras::<T>::contains_key(era) {
			Eras::<T>::insert(era, EraInfoOf::<T>::default());
		}
		for p in &config.providers {
			if Self::do_register_provider(p.account.clone(), p.capacity_gib, p.endpoint_commitment)
				.is_err()
			{
				genesis_failure("provider: cannot register (duplicate, bad capacity or too poor)");
			}
		}
	}
}

/// Stops a genesis build that cannot succeed; `what` says why.
// A chain spec that cannot be built must not start a chain, as pallet-balances' genesis.
#[allow(clippy::panic)]
pub(crate) fn genesis_failure(what: &str) -> ! {
	panic!("pallet-storage-power genesis: {what}")
}
