//! The logic behind the calls, the era hook and genesis. Every `do_*` checks everything before
//! it writes anything.

use crate::{merkle, pallet::*, types::*, weights::WeightInfo};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{
		AccountIdConversion, CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Saturating, Zero,
	},
	Perbill, Rounding, SaturatedConversion,
};

/// Domain separator of the challenge seed.
const CHALLENGE_DOMAIN: &[u8] = b"medchain/storage-power/challenge";
/// Domain separator of the chain's audit draw.
const AUDIT_DOMAIN: &[u8] = b"medchain/storage-power/audit";

/// A challenge checked and ready to be written.
struct NewChallenge<T: Config> {
	id: ChallengeId,
	next_id: ChallengeId,
	challenge: Challenge<T>,
	report: Report<T>,
}

impl<T: Config> Pallet<T> {
	// ----- Helpers -----

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

	/// Heartbeats expected per era: `EraLength / HeartbeatInterval`.
	pub fn expected_heartbeats() -> u32 {
		T::EraLength::get()
			.checked_div(&T::HeartbeatInterval::get())
			.unwrap_or_default()
			.saturated_into::<u32>()
	}

	/// The heartbeat slot of block `now` in `era`.
	pub(crate) fn heartbeat_slot(now: BlockNumberFor<T>, era: EraIndex) -> u32 {
		now.saturating_sub(Self::era_start(era))
			.checked_div(&T::HeartbeatInterval::get())
			.unwrap_or_default()
			.saturated_into::<u32>()
	}

	/// Stake required for `capacity_gib`: [`Config::MinStakePerTiB`] per started TiB.
	pub fn required_stake(capacity_gib: u64) -> Result<BalanceOf<T>, DispatchError> {
		let tib = capacity_gib.div_ceil(GIB_PER_TIB);
		T::MinStakePerTiB::get()
			.checked_mul(&tib.saturated_into::<BalanceOf<T>>())
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	/// The leaf challenged by challenge `id` of `provider`'s report of `era`, drawn from `seed`
	/// (the parent block hash): `u64(first 8 bytes, little endian) of blake2_256(domain ‖ seed ‖
	/// provider ‖ era ‖ id) mod leaf_count`.
	pub fn challenge_index(
		seed: &[u8],
		provider: &T::AccountId,
		era: EraIndex,
		id: ChallengeId,
		leaf_count: u32,
	) -> u32 {
		let hash =
			(CHALLENGE_DOMAIN, seed, provider, era, id).using_encoded(sp_io::hashing::blake2_256);
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(hash.get(..8).unwrap_or(&[0u8; 8]));
		u64::from_le_bytes(bytes)
			.checked_rem(u64::from(leaf_count))
			.unwrap_or_default()
			.saturated_into::<u32>()
	}

	/// The slot drawn by the chain's `draw`-th audit of block `now` in era `era` among `size`
	/// slots of the [`AuditPool`], from `seed` (the parent block hash): `u64(first 8 bytes, little
	/// endian) of blake2_256(domain ‖ seed ‖ era ‖ now ‖ draw) mod size`.
	pub fn audit_draw(
		seed: &[u8],
		era: EraIndex,
		now: BlockNumberFor<T>,
		draw: u32,
		size: u32,
	) -> u32 {
		let hash = (AUDIT_DOMAIN, seed, era, now, draw).using_encoded(sp_io::hashing::blake2_256);
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(hash.get(..8).unwrap_or(&[0u8; 8]));
		u64::from_le_bytes(bytes)
			.checked_rem(u64::from(size))
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

	/// `info` with a report's power changed from `old` to `new`.
	pub(crate) fn with_power_change(
		mut info: EraInfoOf<T>,
		old: Power,
		new: Power,
	) -> Result<EraInfoOf<T>, DispatchError> {
		info.total_power =
			info.total_power.saturating_sub(old).checked_add(new).ok_or(Error::<T>::Overflow)?;
		if old == 0 && new > 0 {
			info.powered = info.powered.checked_add(1).ok_or(Error::<T>::Overflow)?;
		} else if old > 0 && new == 0 {
			info.powered = info.powered.saturating_sub(1);
		}
		Ok(info)
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

	/// The reward share `power / total` (for display).
	pub fn share_of(power: Power, total: Power) -> Perbill {
		if total == 0 {
			return Perbill::zero();
		}
		Perbill::from_rational(power, total)
	}

	/// Adds `amount` to the current era's emission and to the pot's liability.
	fn credit_current_era(amount: BalanceOf<T>) -> Result<EraIndex, DispatchError> {
		let era = CurrentEra::<T>::get();
		let mut info = Eras::<T>::get(era).unwrap_or_default();
		info.emission = info.emission.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		let liability =
			PotLiability::<T>::get().checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Eras::<T>::insert(era, info);
		PotLiability::<T>::put(liability);
		Ok(era)
	}

	// ----- Eras -----

	/// `on_initialize`: settles the chain-issued challenges whose deadline was the previous
	/// block (still in their era, before it may close), starts a new era at the first block of
	/// one, then lets the chain draw this block's audits.
	pub(crate) fn on_new_block(now: BlockNumberFor<T>) -> Weight {
		let expired = Self::settle_expired_challenges(now);
		let era = Self::era_of(now);
		let era_weight = if era > CurrentEra::<T>::get() {
			Self::start_era(era);
			T::WeightInfo::on_initialize_new_era()
		} else {
			T::WeightInfo::on_initialize_same_era()
		};
		let draws = Self::draw_audits(now, T::AuditsPerBlock::get());
		era_weight
			.saturating_add(T::WeightInfo::on_initialize_expire(expired))
			.saturating_add(T::WeightInfo::on_initialize_audit(draws))
	}

	/// Closes the current era and starts `new`, in O(1): the closing era's totals are frozen
	/// (if nobody has power in it, its emission is carried over), pending parameters apply and
	/// the scheduled emission is minted into the pot.
	pub(crate) fn start_era(new: EraIndex) {
		let old = CurrentEra::<T>::get();
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
		let scheduled = T::EraEmission::get();
		let minted = if !scheduled.is_zero()
			&& PotLiability::<T>::get().checked_add(&scheduled).is_some()
			&& T::Currency::mint_into(&Self::pot_account(), scheduled).is_ok()
		{
			scheduled
		} else {
			Zero::zero()
		};
		PotLiability::<T>::mutate(|l| *l = l.saturating_add(minted));
		Eras::<T>::insert(
			new,
			EraInfo { emission: carried.saturating_add(minted), ..Default::default() },
		);
		CurrentEra::<T>::put(new);
		Self::deposit_event(Event::EraStarted { era: new, minted, carried });
	}

	// ----- Providers -----

	pub(crate) fn do_register_provider(
		who: T::AccountId,
		capacity_gib: u64,
		endpoint_commitment: H256,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		ensure!(capacity_gib > 0, Error::<T>::ZeroCapacity);
		ensure!(capacity_gib <= T::MaxCapacityGiB::get(), Error::<T>::CapacityTooLarge);
		let stake = Self::required_stake(capacity_gib)?;
		let count = ProviderCount::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::ProviderStake.into(), &who, stake)?;
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
	fn active_provider(who: &T::AccountId, era: EraIndex) -> Result<Provider<T>, DispatchError> {
		let mut provider = Providers::<T>::get(who).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(provider.is_active(), Error::<T>::NotActive);
		Self::normalise(&mut provider, era);
		Ok(provider)
	}

	pub(crate) fn do_declare_capacity(who: T::AccountId, capacity_gib: u64) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let mut provider = Self::active_provider(&who, era)?;
		ensure!(capacity_gib > 0, Error::<T>::ZeroCapacity);
		ensure!(capacity_gib <= T::MaxCapacityGiB::get(), Error::<T>::CapacityTooLarge);
		let from_era = era.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let required = Self::required_stake(capacity_gib)?;
		let extra = required.saturating_sub(provider.stake);
		if !extra.is_zero() {
			T::Currency::hold(&HoldReason::ProviderStake.into(), &who, extra)?;
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
		let until = era.checked_add(T::UnbondingEras::get()).ok_or(Error::<T>::Overflow)?;
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
			return Err(Error::<T>::NotUnbonding.into());
		};
		ensure!(CurrentEra::<T>::get() >= until, Error::<T>::UnbondingNotOver);
		ensure!(UnclaimedEras::<T>::get(&who).is_empty(), Error::<T>::UnclaimedRewards);
		T::Currency::release(
			&HoldReason::ProviderStake.into(),
			&who,
			provider.stake,
			Precision::BestEffort,
		)?;
		Providers::<T>::remove(&who);
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
		let from_era = era.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let to_era = era.checked_add(eras).ok_or(Error::<T>::Overflow)?;
		provider.maintenance = Some((from_era, to_era));
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::MaintenanceAnnounced { provider: who, from_era, to_era });
		Ok(())
	}

	// ----- Reports and heartbeats -----

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
		ensure!(era == current, Error::<T>::WrongEra);
		let mut provider = Self::active_provider(&who, era)?;
		let now = Self::now();
		ensure!(
			now.saturating_add(T::ChallengeDeadline::get()).saturating_add(1u32.into())
				< Self::era_end(era),
			Error::<T>::ReportWindowClosed
		);
		ensure!(!Reports::<T>::contains_key(&who, era), Error::<T>::AlreadyReported);
		let space = used_space_gib.checked_add(free_space_gib).ok_or(Error::<T>::Overflow)?;
		ensure!(space <= provider.capacity_in(era), Error::<T>::ExceedsCapacity);
		ensure!(leaf_count > 0, Error::<T>::EmptyCommitment);
		let mut unclaimed = UnclaimedEras::<T>::get(&who);
		unclaimed.try_push(era).map_err(|_| Error::<T>::TooManyUnclaimedEras)?;
		let audit_slot = Self::audit_pool_size(era);
		let pool_size = audit_slot.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let params = Parameters::<T>::get();
		let bandwidth_gib = bytes_served.checked_div(GIB).unwrap_or_default();
		let mut report = Report {
			used_space_gib,
			free_space_gib,
			bytes_served,
			receipts_root,
			leaf_count,
			submitted_at: now,
			raw_power: params.raw_power(space, bandwidth_gib),
			power: 0,
			failures: 0,
			challenges_issued: 0,
			open_challenges: 0,
			forfeited: false,
			audit_slot: Some(audit_slot),
		};
		let power =
			Self::report_power(&params, &provider, &report, provider.heartbeats_in(era), 0, era);
		report.power = power;
		let mut info = Self::with_power_change(Eras::<T>::get(era).unwrap_or_default(), 0, power)?;
		info.reports = info.reports.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Self::normalise(&mut provider, era);

		Reports::<T>::insert(&who, era, report);
		UnclaimedEras::<T>::insert(&who, unclaimed);
		Eras::<T>::insert(era, info);
		Providers::<T>::insert(&who, provider);
		AuditPool::<T>::insert(era, audit_slot, &who);
		AuditPoolSize::<T>::put((era, pool_size));
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
		provider.heartbeats = provider.heartbeats.checked_add(1).ok_or(Error::<T>::Overflow)?;
		provider.last_heartbeat_slot = Some(slot);

		let update = match Reports::<T>::get(&who, era) {
			Some(mut report) => {
				let params = Parameters::<T>::get();
				let power = Self::report_power(
					&params,
					&provider,
					&report,
					provider.heartbeats,
					report.failures,
					era,
				);
				let info = Self::with_power_change(
					Eras::<T>::get(era).unwrap_or_default(),
					report.power,
					power,
				)?;
				report.power = power;
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

	// ----- Audits -----

	pub(crate) fn do_issue_challenge(
		issuer: T::AccountId,
		provider: T::AccountId,
	) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let report = Reports::<T>::get(&provider, era).ok_or(Error::<T>::ReportNotFound)?;
		let deposit = T::ChallengeDeposit::get();
		let new = Self::prepare_challenge(&provider, era, report, Some(issuer.clone()), deposit)?;
		T::Currency::hold(&HoldReason::ChallengeDeposit.into(), &issuer, deposit)?;
		Self::store_challenge(provider, new);
		Ok(())
	}

	/// Checks that `provider`'s `report` of the current `era` can be challenged now by `issuer`
	/// (`None`: the chain) and draws the leaf; writes nothing.
	fn prepare_challenge(
		provider: &T::AccountId,
		era: EraIndex,
		mut report: Report<T>,
		issuer: Option<T::AccountId>,
		deposit: BalanceOf<T>,
	) -> Result<NewChallenge<T>, DispatchError> {
		let now = Self::now();
		ensure!(now > report.submitted_at, Error::<T>::ReportTooRecent);
		let deadline = now.saturating_add(T::ChallengeDeadline::get());
		ensure!(deadline < Self::era_end(era), Error::<T>::ChallengeWindowClosed);
		ensure!(
			report.challenges_issued < T::MaxChallengesPerEra::get(),
			Error::<T>::TooManyChallenges
		);
		let id = NextChallengeId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		report.challenges_issued =
			report.challenges_issued.checked_add(1).ok_or(Error::<T>::Overflow)?;
		report.open_challenges =
			report.open_challenges.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let seed = frame_system::Pallet::<T>::parent_hash();
		let leaf_index = Self::challenge_index(seed.as_ref(), provider, era, id, report.leaf_count);
		let challenge =
			Challenge { provider: provider.clone(), era, issuer, deposit, leaf_index, deadline };
		Ok(NewChallenge { id, next_id, challenge, report })
	}

	/// Writes a prepared challenge and emits [`Event::ChallengeIssued`].
	fn store_challenge(provider: T::AccountId, new: NewChallenge<T>) {
		let NewChallenge { id, next_id, challenge, report } = new;
		let (era, leaf_index, deadline) = (challenge.era, challenge.leaf_index, challenge.deadline);
		let issuer = challenge.issuer.clone();
		Challenges::<T>::insert(id, challenge);
		NextChallengeId::<T>::put(next_id);
		Reports::<T>::insert(&provider, era, report);
		Self::deposit_event(Event::ChallengeIssued {
			challenge_id: id,
			provider,
			era,
			issuer,
			leaf_index,
			deadline,
		});
	}

	/// The chain's audits of block `now`: while the deadline `now + ChallengeDeadline` stays in
	/// the current era, draws up to `max_draws` ([`Config::AuditsPerBlock`]) reporters from the
	/// era's [`AuditPool`] (uniformly, without replacement: each drawn entry is swap-removed)
	/// and challenges each drawn report unless it already has [`Config::MaxChallengesPerEra`]
	/// challenges. Returns the number of draws.
	pub(crate) fn draw_audits(now: BlockNumberFor<T>, max_draws: u32) -> u32 {
		let era = CurrentEra::<T>::get();
		if now.saturating_add(T::ChallengeDeadline::get()) >= Self::era_end(era) {
			return 0;
		}
		let mut size = Self::audit_pool_size(era);
		if size == 0 {
			return 0;
		}
		let seed = frame_system::Pallet::<T>::parent_hash();
		let mut draws = 0u32;
		while draws < max_draws && size > 0 {
			let slot = Self::audit_draw(seed.as_ref(), era, now, draws, size);
			draws = draws.saturating_add(1);
			size = size.saturating_sub(1);
			let result = storage::with_storage_layer(|| Self::audit_slot(era, slot, size));
			if result.is_err() {
				frame_support::defensive!("a chain audit could not be issued");
			}
		}
		AuditPoolSize::<T>::put((era, size));
		draws
	}

	/// Takes the reporter at `slot` out of `era`'s pool (moving the entry at `last`, the pool's
	/// last slot, into its place) and challenges its report if it can still be challenged.
	fn audit_slot(era: EraIndex, slot: u32, last: u32) -> DispatchResult {
		let provider = AuditPool::<T>::take(era, slot).ok_or(Error::<T>::ReportNotFound)?;
		if slot != last {
			if let Some(moved) = AuditPool::<T>::take(era, last) {
				Reports::<T>::mutate(&moved, era, |r| {
					if let Some(r) = r.as_mut() {
						r.audit_slot = Some(slot);
					}
				});
				AuditPool::<T>::insert(era, slot, moved);
			}
		}
		let Some(mut report) = Reports::<T>::get(&provider, era) else { return Ok(()) };
		report.audit_slot = None;
		let mut queue =
			ChallengeExpiries::<T>::get(Self::now().saturating_add(T::ChallengeDeadline::get()));
		let prepared = Self::prepare_challenge(&provider, era, report.clone(), None, Zero::zero());
		match prepared {
			Ok(new) if queue.try_push(new.id).is_ok() => {
				ChallengeExpiries::<T>::insert(new.challenge.deadline, queue);
				Self::store_challenge(provider, new);
			},
			// Challenged [`Config::MaxChallengesPerEra`] times already: audited enough.
			_ => Reports::<T>::insert(&provider, era, report),
		}
		Ok(())
	}

	/// Settles the chain-issued challenges whose deadline was block `now − 1`: each one still
	/// open is an audit failure ([`AuditFailure::Missed`]); answered ones are skipped. Returns
	/// the number of queued ids (at most [`Config::AuditsPerBlock`]), for the weight.
	pub(crate) fn settle_expired_challenges(now: BlockNumberFor<T>) -> u32 {
		let Some(deadline) = now.checked_sub(&1u32.into()) else { return 0 };
		let queue = ChallengeExpiries::<T>::take(deadline);
		let queued = queue.len() as u32;
		for id in queue {
			let Some(challenge) = Challenges::<T>::get(id) else { continue };
			let result = storage::with_storage_layer(|| {
				Self::record_failure(id, challenge, AuditFailure::Missed)
			});
			if result.is_err() {
				frame_support::defensive!("a missed chain audit could not be recorded");
			}
		}
		queued
	}

	pub(crate) fn do_respond_challenge(
		who: T::AccountId,
		challenge_id: ChallengeId,
		chunk: ChunkOf<T>,
		proof: ProofOf,
	) -> DispatchResult {
		let challenge = Challenges::<T>::get(challenge_id).ok_or(Error::<T>::ChallengeNotFound)?;
		ensure!(who == challenge.provider, Error::<T>::NotAuthorized);
		ensure!(Self::now() <= challenge.deadline, Error::<T>::ChallengeExpired);
		let mut report =
			Reports::<T>::get(&who, challenge.era).ok_or(Error::<T>::ReportNotFound)?;
		let valid = merkle::verify(
			&report.receipts_root,
			merkle::leaf_hash(&chunk),
			challenge.leaf_index,
			report.leaf_count,
			&proof,
		);
		if !valid {
			return Self::record_failure(challenge_id, challenge, AuditFailure::WrongProof);
		}
		report.open_challenges = report.open_challenges.saturating_sub(1);
		Self::release_challenge_deposit(&challenge)?;
		Challenges::<T>::remove(challenge_id);
		Reports::<T>::insert(&who, challenge.era, report);
		Self::deposit_event(Event::ChallengePassed {
			challenge_id,
			provider: who,
			era: challenge.era,
		});
		Ok(())
	}

	pub(crate) fn do_report_missed_challenge(challenge_id: ChallengeId) -> DispatchResult {
		let challenge = Challenges::<T>::get(challenge_id).ok_or(Error::<T>::ChallengeNotFound)?;
		ensure!(Self::now() > challenge.deadline, Error::<T>::ChallengeNotExpired);
		Self::record_failure(challenge_id, challenge, AuditFailure::Missed)
	}

	/// Releases the deposit of a challenge's issuer (nothing for a chain-issued challenge).
	fn release_challenge_deposit(challenge: &Challenge<T>) -> DispatchResult {
		if let Some(issuer) = challenge.issuer.as_ref() {
			T::Currency::release(
				&HoldReason::ChallengeDeposit.into(),
				issuer,
				challenge.deposit,
				Precision::BestEffort,
			)?;
		}
		Ok(())
	}

	/// Records a failed audit: closes the challenge (releasing the issuer's deposit), counts the
	/// failure on the report, lowers its power in an open era or forfeits its reward in a closed
	/// one, and slashes the stake when the failures reach the threshold.
	fn record_failure(
		challenge_id: ChallengeId,
		challenge: Challenge<T>,
		reason: AuditFailure,
	) -> DispatchResult {
		let current = CurrentEra::<T>::get();
		let params = Parameters::<T>::get();
		let provider_id = challenge.provider.clone();
		let era = challenge.era;
		let mut provider = Providers::<T>::get(&provider_id);
		let mut report = Reports::<T>::get(&provider_id, era);
		let mut era_update = None;
		let (mut failures, mut power) = (0, 0);
		if let Some(report) = report.as_mut() {
			report.open_challenges = report.open_challenges.saturating_sub(1);
			report.failures = report.failures.saturating_add(1);
			failures = report.failures;
			if era == current {
				let new_power = match provider.as_mut() {
					Some(p) => {
						Self::normalise(p, era);
						Self::report_power(&params, p, report, p.heartbeats_in(era), failures, era)
					},
					None => 0,
				};
				let info = Self::with_power_change(
					Eras::<T>::get(era).unwrap_or_default(),
					report.power,
					new_power,
				)?;
				report.power = new_power;
				era_update = Some(info);
			} else {
				report.forfeited = true;
			}
			power = report.power;
		}
		let slash = match provider.as_ref() {
			Some(p) if report.is_some() && failures == params.failure_threshold => {
				T::SlashFraction::get().mul_floor(p.stake)
			},
			_ => Zero::zero(),
		};

		Self::release_challenge_deposit(&challenge)?;
		Challenges::<T>::remove(challenge_id);
		if let Some(info) = era_update {
			Eras::<T>::insert(era, info);
		}
		if let Some(report) = report {
			Reports::<T>::insert(&provider_id, era, report);
		}
		Self::deposit_event(Event::AuditFailed {
			challenge_id,
			provider: provider_id.clone(),
			era,
			reason,
			failures,
			power,
		});
		if let Some(mut p) = provider {
			if !slash.is_zero() {
				let amount = T::Currency::transfer_on_hold(
					&HoldReason::ProviderStake.into(),
					&provider_id,
					&Self::pot_account(),
					slash,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Force,
				)?;
				p.stake = p.stake.saturating_sub(amount);
				Self::credit_current_era(amount)?;
				Self::deposit_event(Event::Slashed { provider: provider_id.clone(), era, amount });
			}
			Providers::<T>::insert(&provider_id, p);
		}
		Ok(())
	}

	// ----- Rewards and fees -----

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
					info.paid = info.paid.checked_add(&reward).ok_or(Error::<T>::Overflow)?;
					info.claimed = info.claimed.checked_add(1).ok_or(Error::<T>::Overflow)?;
					let liability = PotLiability::<T>::get()
						.checked_sub(&reward)
						.ok_or(Error::<T>::Overflow)?;
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
		target.emission = target.emission.checked_add(&dust).ok_or(Error::<T>::Overflow)?;
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

	pub(crate) fn do_pay_storage_fee(payer: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let era = CurrentEra::<T>::get();
		let info = Eras::<T>::get(era).unwrap_or_default();
		ensure!(info.emission.checked_add(&amount).is_some(), Error::<T>::Overflow);
		ensure!(PotLiability::<T>::get().checked_add(&amount).is_some(), Error::<T>::Overflow);
		T::Currency::transfer(&payer, &Self::pot_account(), amount, Preservation::Preserve)?;
		Self::credit_current_era(amount)?;
		Self::deposit_event(Event::StorageFeePaid { payer, era, amount });
		Ok(())
	}

	pub(crate) fn do_set_parameters(parameters: PowerParameters) -> DispatchResult {
		ensure!(
			parameters.cap > 0 && parameters.failure_threshold > 0,
			Error::<T>::InvalidParameters
		);
		let from_era = CurrentEra::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;
		PendingParameters::<T>::put((from_era, parameters));
		Self::deposit_event(Event::ParametersScheduled { from_era, parameters });
		Ok(())
	}

	// ----- Genesis and invariants -----

	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		let params = config.parameters.unwrap_or_default();
		assert!(params.cap > 0 && params.failure_threshold > 0, "genesis: invalid parameters");
		Parameters::<T>::put(params);
		let pot = Self::pot_account();
		let ed = T::Currency::minimum_balance();
		let have = T::Currency::balance(&pot);
		if have < ed {
			assert!(
				T::Currency::mint_into(&pot, ed.saturating_sub(have)).is_ok(),
				"genesis: cannot fund the pot"
			);
		}
		let era = Self::era_of(Self::now());
		CurrentEra::<T>::put(era);
		if !Eras::<T>::contains_key(era) {
			Eras::<T>::insert(era, EraInfoOf::<T>::default());
		}
		for p in &config.providers {
			assert!(
				Self::do_register_provider(
					p.account.clone(),
					p.capacity_gib,
					p.endpoint_commitment
				)
				.is_ok(),
				"genesis provider: cannot register (duplicate, bad capacity or too poor)"
			);
		}
	}

	/// Checks every invariant: counters match maps, held stakes and deposits match records,
	/// unclaimed lists match reports, the current era's totals match its reports, challenges
	/// match open counts, and the pot holds the existential deposit plus exactly what it owes.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let current = CurrentEra::<T>::get();
		ensure!(Eras::<T>::contains_key(current), "the current era has no record");
		ensure!(
			Providers::<T>::iter().count() as u32 == ProviderCount::<T>::get(),
			"ProviderCount mismatch"
		);
		for (who, provider) in Providers::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProviderStake.into(), &who)
					== provider.stake,
				"held stake differs from the recorded stake"
			);
		}

		// Reports and unclaimed lists.
		let mut reports_of: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let (mut total, mut count, mut powered) = (0u128, 0u32, 0u32);
		let mut open_of: BTreeMap<(T::AccountId, EraIndex), u32> = BTreeMap::new();
		for (who, era, report) in Reports::<T>::iter() {
			let n = reports_of.entry(who.clone()).or_insert(0);
			*n = n.saturating_add(1);
			ensure!(
				UnclaimedEras::<T>::get(&who).contains(&era),
				"report missing from the unclaimed list"
			);
			ensure!(era <= current, "report for a future era");
			ensure!(report.open_challenges <= report.challenges_issued, "open > issued");
			open_of.insert((who, era), report.open_challenges);
			if era == current {
				total = total.saturating_add(report.power);
				count = count.saturating_add(1);
				if report.power > 0 {
					powered = powered.saturating_add(1);
				}
			}
		}
		for (who, eras) in UnclaimedEras::<T>::iter() {
			ensure!(
				eras.windows(2).all(|w| w.first() < w.get(1)),
				"unclaimed eras not strictly increasing"
			);
			ensure!(
				reports_of.get(&who).copied().unwrap_or_default() == eras.len() as u32,
				"unclaimed list and reports differ"
			);
		}
		let info = Eras::<T>::get(current).unwrap_or_default();
		ensure!(info.total_power == total, "current total power differs from its reports");
		ensure!(info.reports == count, "current report count differs");
		ensure!(info.powered == powered, "current powered count differs");

		// Challenges.
		let next_id = NextChallengeId::<T>::get();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut open_found: BTreeMap<(T::AccountId, EraIndex), u32> = BTreeMap::new();
		let now = Self::now();
		for (id, challenge) in Challenges::<T>::iter() {
			ensure!(id < next_id, "challenge id not below NextChallengeId");
			match challenge.issuer.clone() {
				Some(issuer) => {
					let d = deposits.entry(issuer).or_insert_with(Zero::zero);
					*d = d.saturating_add(challenge.deposit);
				},
				None => {
					ensure!(challenge.deposit.is_zero(), "a chain-issued challenge has a deposit");
					ensure!(challenge.deadline >= now, "a missed chain audit was not settled");
					ensure!(
						ChallengeExpiries::<T>::get(challenge.deadline).contains(&id),
						"a chain-issued challenge is not queued at its deadline"
					);
				},
			}
			let n = open_found.entry((challenge.provider, challenge.era)).or_insert(0);
			*n = n.saturating_add(1);
		}
		for (key, open) in open_of {
			ensure!(
				open_found.get(&key).copied().unwrap_or_default() == open,
				"open challenges differ from the report's count"
			);
		}
		for (issuer, amount) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ChallengeDeposit.into(), &issuer)
					== amount,
				"held challenge deposits differ"
			);
		}

		// The chain's audit pool: one entry per report not yet drawn, pointing both ways; the
		// current era's entries fill slots `0..size`.
		let size = Self::audit_pool_size(current);
		let mut current_entries = 0u32;
		for (era, slot, who) in AuditPool::<T>::iter() {
			let report = Reports::<T>::get(&who, era).ok_or("audit pool entry without a report")?;
			ensure!(report.audit_slot == Some(slot), "audit pool entry and report slot differ");
			if era == current {
				ensure!(slot < size, "audit pool entry beyond the pool size");
				current_entries = current_entries.saturating_add(1);
			}
		}
		ensure!(current_entries == size, "audit pool size differs from its entries");
		for (who, era, report) in Reports::<T>::iter() {
			if let Some(slot) = report.audit_slot {
				ensure!(
					AuditPool::<T>::get(era, slot).as_ref() == Some(&who),
					"report's audit slot is not in the pool"
				);
			}
		}
		for (deadline, ids) in ChallengeExpiries::<T>::iter() {
			ensure!(deadline >= now, "an expiry queue of a past block was not settled");
			ensure!(ids.iter().all(|id| *id < next_id), "queued challenge id not issued");
		}

		// The pot.
		let mut owed = BalanceOf::<T>::zero();
		for (era, info) in Eras::<T>::iter() {
			ensure!(era <= current, "era record in the future");
			ensure!(info.paid <= info.emission, "paid more than the emission");
			ensure!(info.claimed <= info.powered, "more claims than powered reports");
			owed = owed.saturating_add(info.emission.saturating_sub(info.paid));
		}
		ensure!(owed == PotLiability::<T>::get(), "PotLiability differs from the eras' sum");
		ensure!(
			T::Currency::balance(&Self::pot_account())
				>= T::Currency::minimum_balance().saturating_add(owed),
			"the pot holds less than it owes"
		);
		Ok(())
	}
}
