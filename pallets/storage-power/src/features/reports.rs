//! Reports and heartbeats: an era's report, its power and the era's running totals.

use crate::*;
use frame_support::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::ArithmeticError;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit_report(
		who: T::AccountId,
		era: EraIndex,
		used_space_gib: u64,
		free_space_gib: u64,
		bytes_served: u64,
		receipts_root: H256,
		leaf_count: u32,
	) -> DispatchResult {
		let current = CurrentEra::<T>::get();
		ensure!(era >= current, Error::<T>::EraClosed);
		ensure!(era == current, Error::<T>::EraNotStarted);
		let mut provider = Self::active_provider(&who, era)?;
		let now = Self::now();
		ensure!(Self::report_window_open(era, now), Error::<T>::ReportWindowClosed);
		ensure!(!Reports::<T>::contains_key(&who, era), Error::<T>::AlreadyReported);
		let space = used_space_gib.checked_add(free_space_gib).ok_or(ArithmeticError::Overflow)?;
		ensure!(space <= provider.capacity_in(era), Error::<T>::ExceedsCapacity);
		// Served bytes need receipts to sample, and a challenge draws one of the bytes; a report
		// without receipts commits no tree, so there is nothing of it to challenge and it stays
		// out of the audit pool.
		ensure!((leaf_count > 0) == (bytes_served > 0), Error::<T>::EmptyCommitment);
		ensure!(leaf_count > 0 || receipts_root.is_zero(), Error::<T>::RootWithoutLeaves);
		let mut unclaimed = UnclaimedEras::<T>::get(&who);
		unclaimed.try_push(era).map_err(|_| Error::<T>::TooManyUnclaimedEras)?;
		// The report's slot in the era's audit pool and the pool's size with it.
		let audit_entry = if leaf_count > 0 {
			let slot = Self::audit_pool_size(era);
			Some((slot, slot.checked_add(1).ok_or(ArithmeticError::Overflow)?))
		} else {
			None
		};

		let params = Parameters::<T>::get();
		let audited = Self::audited_bytes_in(&who, era);
		let mut report = Report {
			used_space_gib,
			free_space_gib,
			bytes_served,
			receipts_root,
			leaf_count,
			submitted_at: now,
			raw_power: Self::report_raw_power(&params, audited, bytes_served),
			power: 0,
			failures: 0,
			challenges_issued: 0,
			open_challenges: 0,
			forfeited: false,
			audit_slot: audit_entry.map(|(slot, _)| slot),
		};
		let power =
			Self::report_power(&params, &provider, &report, provider.heartbeats_in(era), 0, era);
		report.power = power;
		let mut info = Self::with_power_change(Eras::<T>::get(era).unwrap_or_default(), 0, power)?;
		info.reports = info.reports.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Self::normalise(&mut provider, era);

		Reports::<T>::insert(&who, era, report);
		UnclaimedEras::<T>::insert(&who, unclaimed);
		Eras::<T>::insert(era, info);
		Providers::<T>::insert(&who, provider);
		if let Some((slot, size)) = audit_entry {
			AuditPool::<T>::insert(era, slot, &who);
			AuditPoolSize::<T>::put((era, size));
		}
		Self::deposit_event(Event::ReportSubmitted {
			provider: who,
			era,
			used_space_gib,
			free_space_gib,
			bytes_served,
			receipts_root,
			leaf_count,
			power,
		});
		Ok(())
	}

	pub(crate) fn do_heartbeat(who: T::AccountId) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let mut provider = Self::active_provider(&who, era)?;
		let slot = Self::heartbeat_slot(Self::now(), era);
		if let Some(last) = provider.last_heartbeat_slot {
			ensure!(slot > last, Error::<T>::HeartbeatTooSoon);
		}
		ensure!(provider.heartbeats < Self::expected_heartbeats(), Error::<T>::TooManyHeartbeats);
		provider.heartbeats =
			provider.heartbeats.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		provider.last_heartbeat_slot = Some(slot);

		let update = match Reports::<T>::get(&who, era) {
			Some(mut report) => {
				let info = Self::revalue(&mut report, Some(&provider), era)?;
				Some((report, info))
			},
			None => None,
		};
		let power = update.as_ref().map(|(report, _)| report.power);
		if let Some((report, info)) = update {
			Reports::<T>::insert(&who, era, report);
			Eras::<T>::insert(era, info);
		}
		let heartbeats = provider.heartbeats;
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::HeartbeatReceived { provider: who, era, heartbeats, power });
		Ok(())
	}
}
