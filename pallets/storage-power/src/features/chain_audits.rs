//! Chain audits: the draws from the audit pool in `on_initialize` and the settling of the chain's
//! challenges missed at their deadline.

use crate::*;
use codec::Encode;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedSub, Saturating, Zero},
	SaturatedConversion,
};

/// Domain separator of the chain's audit draw.
const AUDIT_DOMAIN: &[u8] = b"medchain/storage-power/audit";

impl<T: Config> Pallet<T> {
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
}
