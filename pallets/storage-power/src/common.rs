//! Helpers more than one area uses: the pot account, the block and era clock, the audit pool's
//! size, a provider brought to an era, a report's power, the era's running totals, crediting the
//! current era, and holding and releasing deposits and stake.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, CheckedDiv, Saturating},
	ArithmeticError, SaturatedConversion,
};

/// Deposits and stake are held and released one way in every Medchain pallet
/// ([`medchain_deposits`]).
impl<T: Config> Deposits<T::AccountId> for Pallet<T> {
	type Currency = T::Currency;
	type Reason = HoldReason;
}

impl<T: Config> Pallet<T> {
	/// The pot account.
	pub fn pot_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The era containing block `n`.
	pub fn era_of(n: BlockNumberFor<T>) -> EraIndex {
		n.checked_div(&T::EraLength::get()).unwrap_or_default().saturated_into::<EraIndex>()
	}

	/// First block of `era`.
	pub fn era_start(era: EraIndex) -> BlockNumberFor<T> {
		BlockNumberFor::<T>::from(era).saturating_mul(T::EraLength::get())
	}

	/// First block after `era`.
	pub fn era_end(era: EraIndex) -> BlockNumberFor<T> {
		Self::era_start(era.saturating_add(1))
	}

	/// Whether a report of `era` is accepted in block `now` (of that era): not in the era's last
	/// `ChallengeDeadline + 1` blocks, where its challenges could not be answered in the era.
	pub fn report_window_open(era: EraIndex, now: BlockNumberFor<T>) -> bool {
		now.saturating_add(T::ChallengeDeadline::get()).saturating_add(1u32.into())
			< Self::era_end(era)
	}

	/// Heartbeats expected per era: `EraLength / HeartbeatInterval`.
	pub fn expected_heartbeats() -> u32 {
		T::EraLength::get()
			.checked_div(&T::HeartbeatInterval::get())
			.unwrap_or_default()
			.saturated_into::<u32>()
	}

	/// The heartbeat slot of block `now` in `era` (public for a provider's vault, which times its
	/// heartbeats by it).
	pub fn heartbeat_slot(now: BlockNumberFor<T>, era: EraIndex) -> u32 {
		now.saturating_sub(Self::era_start(era))
			.checked_div(&T::HeartbeatInterval::get())
			.unwrap_or_default()
			.saturated_into::<u32>()
	}

	/// Size of the current era's [`AuditPool`] (a size recorded for another era counts as 0).
	pub fn audit_pool_size(era: EraIndex) -> u32 {
		match AuditPoolSize::<T>::get() {
			(e, size) if e == era => size,
			_ => 0,
		}
	}

	/// Brings `provider`'s lazily updated fields to `era`: a pending capacity whose era came
	/// takes effect, and heartbeat counters of an older era are reset.
	pub(crate) fn normalise(provider: &mut Provider<T>, era: EraIndex) {
		if let Some((from, capacity)) = provider.pending_capacity {
			if from <= era {
				provider.capacity_gib = capacity;
				provider.pending_capacity = None;
			}
		}
		if provider.heartbeat_era != era {
			provider.heartbeat_era = era;
			provider.heartbeats = 0;
			provider.last_heartbeat_slot = None;
		}
	}

	/// `raw_power` of a report with `audited` bytes of replicas proved in the era and
	/// `bytes_served` claimed: the served bytes count up to [`Config::ServedPerAuditedByte`] ×
	/// `audited`, in whole GiB.
	pub(crate) fn report_raw_power(
		params: &PowerParameters,
		audited: u64,
		bytes_served: u64,
	) -> Power {
		let backed = audited.saturating_mul(u64::from(T::ServedPerAuditedByte::get()));
		let bandwidth_gib = bytes_served.min(backed).checked_div(GIB).unwrap_or_default();
		params.raw_power(audited, bandwidth_gib)
	}

	/// The power of `report` with `heartbeats` in `era`, with the parameters in effect.
	pub(crate) fn report_power(
		params: &PowerParameters,
		provider: &Provider<T>,
		report: &Report<T>,
		heartbeats: u32,
		failures: u32,
		era: EraIndex,
	) -> Power {
		if !provider.is_active() {
			return 0;
		}
		let uptime = params.uptime_factor(
			heartbeats,
			Self::expected_heartbeats(),
			provider.in_maintenance(era),
		);
		params.power(report.raw_power, uptime, params.audit_factor(failures))
	}

	/// Revalues `report`, a report of the current `era` by `provider` (brought to the era;
	/// `None`: no longer a provider, no power), with the parameters in effect: sets its power
	/// and returns the era's totals with the change, for the caller to write.
	pub(crate) fn revalue(
		report: &mut Report<T>,
		provider: Option<&Provider<T>>,
		era: EraIndex,
	) -> Result<EraInfoOf<T>, DispatchError> {
		let params = Parameters::<T>::get();
		let power = provider
			.map(|p| {
				Self::report_power(&params, p, report, p.heartbeats_in(era), report.failures, era)
			})
			.unwrap_or_default();
		let info =
			Self::with_power_change(Eras::<T>::get(era).unwrap_or_default(), report.power, power)?;
		report.power = power;
		Ok(info)
	}

	/// `info` with a report's power changed from `old` to `new`.
	pub(crate) fn with_power_change(
		mut info: EraInfoOf<T>,
		old: Power,
		new: Power,
	) -> Result<EraInfoOf<T>, DispatchError> {
		info.total_power = info
			.total_power
			.saturating_sub(old)
			.checked_add(new)
			.ok_or(ArithmeticError::Overflow)?;
		if old == 0 && new > 0 {
			info.powered = info.powered.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		} else if old > 0 && new == 0 {
			info.powered = info.powered.saturating_sub(1);
		}
		Ok(info)
	}

	/// Adds `amount` to the current era's emission and to the pot's liability.
	pub(crate) fn credit_current_era(amount: BalanceOf<T>) -> Result<EraIndex, DispatchError> {
		let era = CurrentEra::<T>::get();
		let mut info = Eras::<T>::get(era).unwrap_or_default();
		info.emission = info.emission.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		let liability =
			PotLiability::<T>::get().checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		Eras::<T>::insert(era, info);
		PotLiability::<T>::put(liability);
		Ok(era)
	}
}
