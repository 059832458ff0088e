//! Rewards: eras (the `on_initialize` hook, the era start and its emission), pull
//! claims and dust, and the power parameters that take effect at an era start.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation, UnixTime},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, CheckedSub, Saturating, Zero},
	ArithmeticError, Rounding, SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// `on_initialize`: settles the chain-issued challenges whose deadline was the previous
	/// block (still in their era, before it may close), starts a new era at the first block of
	/// one, then lets the chain draw this block's audits.
	pub(crate) fn on_new_block(now: BlockNumberFor<T>) -> Weight {
		let expired = Self::settle_expired_challenges(now);
		let replicas_expired = Self::settle_replica_audits(now);
		let era = Self::era_of(now);
		let era_weight = if era > CurrentEra::<T>::get() {
			Self::start_era(era);
			T::WeightInfo::on_initialize_new_era()
		} else {
			T::WeightInfo::on_initialize_same_era()
		};
		let draws = Self::draw_audits(now, T::AuditsPerBlock::get());
		let replica_draws = Self::draw_replica_audits(now);
		era_weight
			.saturating_add(T::WeightInfo::on_initialize_expire(expired))
			.saturating_add(T::WeightInfo::on_initialize_audit(draws))
			.saturating_add(T::WeightInfo::on_initialize_replica_expire(replicas_expired))
			.saturating_add(T::WeightInfo::on_initialize_replica_audit(replica_draws))
	}

	/// The wall clock, unix milliseconds.
	pub(crate) fn unix_millis() -> u64 {
		u64::try_from(T::Time::now().as_millis()).unwrap_or(u64::MAX)
	}

	/// Closes the current era and starts `new`, in O(1): the closing era's totals are frozen
	/// (if nobody has power in it, its emission is carried over), pending parameters apply, the
	/// orders' revenue for the era moves from the prepaid revenue into its emission and its
	/// subsidy is minted into the pot.
	pub(crate) fn start_era(new: EraIndex) {
		let old = CurrentEra::<T>::get();
		EraStartedAt::<T>::insert(new, Self::unix_millis());
		if let Some(expired) = new.checked_sub(ERA_STARTS_KEPT) {
			EraStartedAt::<T>::remove(expired);
		}
		let mut carried = BalanceOf::<T>::zero();
		if let Some(info) = Eras::<T>::get(old) {
			Self::deposit_event(Event::EraClosed {
				era: old,
				total_power: info.total_power,
				emission: info.emission,
				reports: info.reports,
			});
			if info.powered == 0 {
				carried = info.emission.saturating_sub(info.paid);
				Eras::<T>::remove(old);
				Self::deposit_event(Event::EraSettled {
					era: old,
					emission: info.emission,
					paid: info.paid,
					dust: carried,
					to_era: new,
				});
			}
		}
		if let Some((from, params)) = PendingParameters::<T>::get() {
			if from <= new {
				Parameters::<T>::put(params);
				PendingParameters::<T>::kill();
			}
		}
		let order_revenue = Self::start_order_revenue(new);
		let subsidy = Self::start_subsidy(new);
		let minted = if !subsidy.is_zero()
			&& PotLiability::<T>::get()
				.saturating_add(order_revenue)
				.checked_add(&subsidy)
				.is_some()
			&& T::Currency::mint_into(&Self::pot_account(), subsidy).is_ok()
		{
			subsidy
		} else {
			Zero::zero()
		};
		PotLiability::<T>::mutate(|l| *l = l.saturating_add(minted).saturating_add(order_revenue));
		Eras::<T>::insert(
			new,
			EraInfo {
				emission: carried.saturating_add(minted).saturating_add(order_revenue),
				..Default::default()
			},
		);
		CurrentEra::<T>::put(new);
		Self::deposit_event(Event::EraStarted { era: new, minted, order_revenue, carried });
	}

	/// `floor(power × emission / total_power)`; zero when there is no power.
	pub fn reward_of(power: Power, emission: BalanceOf<T>, total_power: Power) -> BalanceOf<T> {
		if power == 0 || total_power == 0 {
			return Zero::zero();
		}
		let emission: u128 = emission.saturated_into();
		multiply_by_rational_with_rounding(power, emission, total_power, Rounding::Down)
			.unwrap_or_default()
			.saturated_into()
	}

	/// Pays up to `max_eras` closed eras; returns how many were processed.
	pub(crate) fn do_claim_rewards(who: T::AccountId, max_eras: u32) -> Result<u32, DispatchError> {
		ensure!(max_eras > 0 && max_eras <= T::MaxUnclaimedEras::get(), Error::<T>::InvalidMaxEras);
		let current = CurrentEra::<T>::get();
		let unclaimed = UnclaimedEras::<T>::get(&who);
		let first = unclaimed.first().copied().ok_or(Error::<T>::NothingToClaim)?;
		ensure!(first < current, Error::<T>::NothingToClaim);
		if let Some(report) = Reports::<T>::get(&who, first) {
			ensure!(report.open_challenges == 0, Error::<T>::ChallengePending);
		}
		let pot = Self::pot_account();
		let mut processed = 0u32;
		while processed < max_eras {
			let Some(era) = unclaimed.get(processed as usize).copied() else { break };
			if era >= current {
				break;
			}
			let report = Reports::<T>::get(&who, era);
			if report.as_ref().is_some_and(|r| r.open_challenges > 0) {
				break;
			}
			let power = report.as_ref().map(|r| r.power).unwrap_or_default();
			let forfeited = report.as_ref().is_some_and(|r| r.forfeited);
			let mut reward = BalanceOf::<T>::zero();
			let mut settled = None;
			if power > 0 {
				if let Some(mut info) = Eras::<T>::get(era) {
					if !forfeited {
						reward = Self::reward_of(power, info.emission, info.total_power);
					}
					info.paid = info.paid.checked_add(&reward).ok_or(ArithmeticError::Overflow)?;
					info.claimed = info.claimed.checked_add(1).ok_or(ArithmeticError::Overflow)?;
					let liability = PotLiability::<T>::get()
						.checked_sub(&reward)
						.ok_or(ArithmeticError::Underflow)?;
					if !reward.is_zero() {
						T::Currency::transfer(&pot, &who, reward, Preservation::Preserve)?;
					}
					PotLiability::<T>::put(liability);
					if info.claimed >= info.powered {
						settled = Some(info);
					} else {
						Eras::<T>::insert(era, info);
					}
				}
			}
			Reports::<T>::remove(&who, era);
			if let Some(slot) = report.as_ref().and_then(|r| r.audit_slot) {
				AuditPool::<T>::remove(era, slot);
			}
			processed = processed.saturating_add(1);
			Self::deposit_event(Event::RewardClaimed { provider: who.clone(), era, power, reward });
			if let Some(info) = settled {
				Self::settle_era(era, info, current)?;
			}
		}
		let rest: Vec<EraIndex> = unclaimed.into_iter().skip(processed as usize).collect();
		if rest.is_empty() {
			UnclaimedEras::<T>::remove(&who);
		} else {
			UnclaimedEras::<T>::insert(
				&who,
				BoundedVec::<EraIndex, T::MaxUnclaimedEras>::truncate_from(rest),
			);
		}
		Ok(processed)
	}

	/// Every positive-power report of closed era `era` is claimed: its dust joins era `to_era`
	/// (the current one) and its record is removed.
	fn settle_era(era: EraIndex, info: EraInfoOf<T>, to_era: EraIndex) -> DispatchResult {
		let dust = info.emission.saturating_sub(info.paid);
		let mut target = Eras::<T>::get(to_era).unwrap_or_default();
		target.emission = target.emission.checked_add(&dust).ok_or(ArithmeticError::Overflow)?;
		Eras::<T>::insert(to_era, target);
		Eras::<T>::remove(era);
		Self::deposit_event(Event::EraSettled {
			era,
			emission: info.emission,
			paid: info.paid,
			dust,
			to_era,
		});
		Ok(())
	}

	pub(crate) fn do_set_parameters(parameters: PowerParameters) -> DispatchResult {
		ensure!(
			parameters.cap > 0 && parameters.failure_threshold > 0,
			Error::<T>::InvalidParameters
		);
		let from_era = CurrentEra::<T>::get().checked_add(1).ok_or(ArithmeticError::Overflow)?;
		PendingParameters::<T>::put((from_era, parameters));
		Self::deposit_event(Event::ParametersScheduled { from_era, parameters });
		Ok(())
	}
}
