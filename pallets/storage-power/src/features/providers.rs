//! Providers: registration and its stake, capacity, maintenance windows, unbonding and withdrawal.

use crate::*;
use frame_support::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedMul, Saturating, Zero},
	ArithmeticError, SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// Stake required for `capacity_gib`: [`Config::MinStakePerTiB`] per started TiB.
	pub fn required_stake(capacity_gib: u64) -> Result<BalanceOf<T>, DispatchError> {
		let tib = capacity_gib.div_ceil(GIB_PER_TIB);
		T::MinStakePerTiB::get()
			.checked_mul(&tib.saturated_into::<BalanceOf<T>>())
			.ok_or_else(|| ArithmeticError::Overflow.into())
	}

	pub(crate) fn do_register_provider(
		who: T::AccountId,
		capacity_gib: u64,
		endpoint_commitment: H256,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&who), Error::<T>::ProviderAlreadyExists);
		ensure!(capacity_gib > 0, Error::<T>::ZeroCapacity);
		ensure!(capacity_gib <= T::MaxCapacityGiB::get(), Error::<T>::CapacityTooLarge);
		let stake = Self::required_stake(capacity_gib)?;
		let count = ProviderCount::<T>::get().checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Self::hold(HoldReason::ProviderStake, &who, stake)?;
		let era = CurrentEra::<T>::get();
		Providers::<T>::insert(
			&who,
			Provider {
				capacity_gib,
				pending_capacity: None,
				stake,
				endpoint_commitment,
				status: ProviderStatus::Active,
				maintenance: None,
				heartbeat_era: era,
				heartbeats: 0,
				last_heartbeat_slot: None,
				registered_era: era,
			},
		);
		ProviderCount::<T>::put(count);
		Self::deposit_event(Event::ProviderRegistered {
			provider: who,
			capacity_gib,
			stake,
			endpoint_commitment,
		});
		Ok(())
	}

	/// The provider record of `who`, which must be active, brought to the current era.
	pub(crate) fn active_provider(
		who: &T::AccountId,
		era: EraIndex,
	) -> Result<Provider<T>, DispatchError> {
		let mut provider = Providers::<T>::get(who).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(provider.is_active(), Error::<T>::ProviderNotActive);
		Self::normalise(&mut provider, era);
		Ok(provider)
	}

	pub(crate) fn do_declare_capacity(who: T::AccountId, capacity_gib: u64) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let mut provider = Self::active_provider(&who, era)?;
		ensure!(capacity_gib > 0, Error::<T>::ZeroCapacity);
		ensure!(capacity_gib <= T::MaxCapacityGiB::get(), Error::<T>::CapacityTooLarge);
		let from_era = era.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let required = Self::required_stake(capacity_gib)?;
		let extra = required.saturating_sub(provider.stake);
		if !extra.is_zero() {
			Self::hold(HoldReason::ProviderStake, &who, extra)?;
		}
		provider.stake = provider.stake.saturating_add(extra);
		provider.pending_capacity = Some((from_era, capacity_gib));
		let stake = provider.stake;
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::CapacityDeclared {
			provider: who,
			capacity_gib,
			from_era,
			stake,
		});
		Ok(())
	}

	pub(crate) fn do_unbond(who: T::AccountId) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let mut provider = Self::active_provider(&who, era)?;
		ensure!(ProviderReplicas::<T>::get(&who).is_empty(), Error::<T>::ProviderHoldsReplicas);
		let until = era.checked_add(T::UnbondingEras::get()).ok_or(ArithmeticError::Overflow)?;
		provider.status = ProviderStatus::Unbonding { until };
		let report = Reports::<T>::get(&who, era);
		let update = match report {
			Some(mut report) if report.power > 0 => {
				let info = Eras::<T>::get(era).unwrap_or_default();
				let info = Self::with_power_change(info, report.power, 0)?;
				report.power = 0;
				Some((report, info))
			},
			_ => None,
		};
		if let Some((report, info)) = update {
			Reports::<T>::insert(&who, era, report);
			Eras::<T>::insert(era, info);
		}
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::Unbonding { provider: who, until });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
		let provider = Providers::<T>::get(&who).ok_or(Error::<T>::ProviderNotFound)?;
		let ProviderStatus::Unbonding { until } = provider.status else {
			return Err(Error::<T>::ProviderNotUnbonding.into());
		};
		ensure!(CurrentEra::<T>::get() >= until, Error::<T>::UnbondingNotOver);
		ensure!(UnclaimedEras::<T>::get(&who).is_empty(), Error::<T>::UnclaimedRewards);
		Self::release(HoldReason::ProviderStake, &who, provider.stake);
		Providers::<T>::remove(&who);
		AuditedBytes::<T>::remove(&who);
		ReplicaAuditTallies::<T>::remove(&who);
		ProviderCount::<T>::mutate(|c| *c = c.saturating_sub(1));
		Self::deposit_event(Event::Withdrawn { provider: who, stake: provider.stake });
		Ok(())
	}

	pub(crate) fn do_announce_maintenance(who: T::AccountId, eras: u32) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let mut provider = Self::active_provider(&who, era)?;
		ensure!(eras > 0 && eras <= T::MaxMaintenanceEras::get(), Error::<T>::InvalidMaintenance);
		if let Some((_, to)) = provider.maintenance {
			ensure!(to < era, Error::<T>::MaintenanceAlreadyAnnounced);
		}
		let from_era = era.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let to_era = era.checked_add(eras).ok_or(ArithmeticError::Overflow)?;
		provider.maintenance = Some((from_era, to_era));
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::MaintenanceAnnounced { provider: who, from_era, to_era });
		Ok(())
	}
}
