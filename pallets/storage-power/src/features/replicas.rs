//! Replicas and their audits: providers take replicas of live orders; the chain audits every
//! replica once per era, at a block drawn from the pool and a segment drawn from the parent block
//! hash; a pass adds the object's bytes to the provider's audited bytes of the era, the space term
//! of its power; a miss or a wrong answer slashes the stake and ends the replica, so that its
//! order can be replicated again.
//!
//! The [`ReplicaPool`] lists every replica by slot. Slots `0..audited` were drawn this era and
//! slots `audited..size` wait; each draw swaps a uniformly chosen waiting slot to the front of the
//! waiting part, so an era start resets the pool in O(1) (`audited = 0`) and removal is a swap.

use crate::*;
use codec::Encode;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use medchain_merkle::segments;
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedSub, Saturating},
	ArithmeticError, SaturatedConversion,
};

/// Domain separator of the replica draw.
const REPLICA_DRAW_DOMAIN: &[u8] = b"medchain/storage-power/replica-draw";
/// Domain separator of the audited segment.
const SEGMENT_DOMAIN: &[u8] = b"medchain/storage-power/segment";

impl<T: Config> Pallet<T> {
	/// `u64(first 8 bytes, little endian) of blake2_256(preimage) mod modulus` (0 if the modulus
	/// is 0).
	fn draw(preimage: impl Encode, modulus: u32) -> u32 {
		let hash = preimage.using_encoded(sp_io::hashing::blake2_256);
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(hash.get(..8).unwrap_or(&[0u8; 8]));
		u64::from_le_bytes(bytes)
			.checked_rem(u64::from(modulus))
			.unwrap_or_default()
			.saturated_into::<u32>()
	}

	/// The segment audited in `era` of `provider`'s replica of `order_id`, an object of
	/// `segment_count` segments, drawn from `seed` (the parent block hash of the draw):
	/// `blake2_256(domain ‖ seed ‖ order_id ‖ provider ‖ era)` as in [`Self::challenge_index`].
	pub fn replica_segment(
		seed: &[u8],
		order_id: OrderId,
		provider: &T::AccountId,
		era: EraIndex,
		segment_count: u32,
	) -> u32 {
		Self::draw((SEGMENT_DOMAIN, seed, order_id, provider, era), segment_count)
	}

	/// Bytes `provider`'s stake backs: [`Config::MinStakePerTiB`] per TiB, at most the declared
	/// capacity in `era` (a slash lowers it).
	pub fn backed_bytes(provider: &Provider<T>, era: EraIndex) -> u64 {
		let per_tib: u128 = T::MinStakePerTiB::get().saturated_into();
		let stake: u128 = provider.stake.saturated_into();
		let tib = stake.checked_div(per_tib).unwrap_or_default();
		let backed = tib.saturating_mul(u128::from(GIB_PER_TIB)).saturating_mul(u128::from(GIB));
		let declared = u128::from(provider.capacity_in(era)).saturating_mul(u128::from(GIB));
		backed.min(declared).saturated_into()
	}

	pub(crate) fn do_take_replica(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let provider = Self::active_provider(&who, era)?;
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(order.is_live(era), Error::<T>::OrderExpired);
		ensure!(!Replicas::<T>::contains_key(order_id, &who), Error::<T>::ReplicaAlreadyHeld);
		ensure!(
			!ProviderContent::<T>::contains_key(&who, order.content_id),
			Error::<T>::ContentAlreadyHeld
		);
		let mut holders = OrderHolders::<T>::get(order_id);
		ensure!((holders.len() as u32) < order.replicas, Error::<T>::ReplicasFull);
		holders.try_push(who.clone()).map_err(|_| Error::<T>::ReplicasFull)?;
		let mut held = ProviderReplicas::<T>::get(&who);
		held.try_push(order_id).map_err(|_| Error::<T>::TooManyReplicas)?;
		let bytes = ReplicaBytes::<T>::get(&who)
			.checked_add(order.size_bytes)
			.ok_or(ArithmeticError::Overflow)?;
		ensure!(bytes <= Self::backed_bytes(&provider, era), Error::<T>::ExceedsCapacity);
		let mut pool = ReplicaPoolInfo::<T>::get().in_era(era);
		let slot = pool.size;
		pool.size = slot.checked_add(1).ok_or(ArithmeticError::Overflow)?;

		Replicas::<T>::insert(order_id, &who, Replica { slot, since: era });
		ReplicaPool::<T>::insert(slot, (order_id, who.clone()));
		ReplicaPoolInfo::<T>::put(pool);
		OrderHolders::<T>::insert(order_id, holders);
		ProviderReplicas::<T>::insert(&who, held);
		ProviderContent::<T>::insert(&who, order.content_id, order_id);
		ReplicaBytes::<T>::insert(&who, bytes);
		Self::deposit_event(Event::ReplicaTaken { order_id, provider: who });
		Ok(())
	}

	pub(crate) fn do_drop_replica(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		ensure!(Replicas::<T>::contains_key(order_id, &who), Error::<T>::ReplicaNotFound);
		ensure!(!ReplicaAudits::<T>::contains_key(order_id, &who), Error::<T>::ReplicaAuditPending);
		Self::end_replica(order_id, &who, ReplicaEnd::Dropped);
		Ok(())
	}

	pub(crate) fn do_prove_replica(
		who: T::AccountId,
		order_id: OrderId,
		root: H256,
		segment: SegmentOf,
		siblings: ProofOf,
	) -> DispatchResult {
		let audit =
			ReplicaAudits::<T>::get(order_id, &who).ok_or(Error::<T>::ReplicaAuditNotFound)?;
		// No deadline check: `on_initialize` of the block after the deadline settles the audit
		// before any transaction, so an open audit is always in time.
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let valid = segments::verify_segment(
			&order.content_id,
			order.size_bytes,
			&root,
			audit.segment,
			&segment,
			&siblings,
		);
		if !valid {
			return Self::fail_replica(order_id, &who, audit.era, AuditFailure::WrongProof);
		}
		let era = audit.era;
		let (audited_bytes, power) = Self::add_audited_bytes(&who, era, order.size_bytes)?;
		ReplicaAudits::<T>::remove(order_id, &who);
		Self::tally_replica_audit(&who, era, true);
		Self::deposit_event(Event::ReplicaAuditPassed {
			order_id,
			provider: who,
			era,
			audited_bytes,
			power,
		});
		Ok(())
	}

	/// `(passed, failed)`: the replica audits of `who` settled in `era`.
	pub fn replica_audits_in(who: &T::AccountId, era: EraIndex) -> (u32, u32) {
		match ReplicaAuditTallies::<T>::get(who) {
			tally if tally.era == era => (tally.passed, tally.failed),
			_ => (0, 0),
		}
	}

	/// Counts a settled replica audit of `who` in `era` (the current era).
	fn tally_replica_audit(who: &T::AccountId, era: EraIndex, passed: bool) {
		ReplicaAuditTallies::<T>::mutate(who, |tally| {
			if tally.era != era {
				*tally = ReplicaAuditTally { era, passed: 0, failed: 0 };
			}
			let count = if passed { &mut tally.passed } else { &mut tally.failed };
			*count = count.saturating_add(1);
		});
	}

	/// Bytes of replicas `who` proved in `era`.
	pub fn audited_bytes_in(who: &T::AccountId, era: EraIndex) -> u64 {
		match AuditedBytes::<T>::get(who) {
			(e, bytes) if e == era => bytes,
			_ => 0,
		}
	}

	/// Adds `bytes` to what `who` proved in `era` (the current era) and, if it has reported,
	/// recomputes its report's power and the era's total. Returns the audited bytes and the
	/// report's power (`None` without a report: the report will count them when it comes).
	pub(crate) fn add_audited_bytes(
		who: &T::AccountId,
		era: EraIndex,
		bytes: u64,
	) -> Result<(u64, Option<Power>), DispatchError> {
		let audited =
			Self::audited_bytes_in(who, era).checked_add(bytes).ok_or(ArithmeticError::Overflow)?;
		let update = match Reports::<T>::get(who, era) {
			Some(mut report) => {
				let params = Parameters::<T>::get();
				report.raw_power = Self::report_raw_power(&params, audited, report.bytes_served);
				let provider = Providers::<T>::get(who).map(|mut p| {
					Self::normalise(&mut p, era);
					p
				});
				let info = Self::revalue(&mut report, provider.as_ref(), era)?;
				Some((report, info))
			},
			None => None,
		};
		AuditedBytes::<T>::insert(who, (era, audited));
		let power = update.map(|(report, info)| {
			let power = report.power;
			Reports::<T>::insert(who, era, report);
			Eras::<T>::insert(era, info);
			power
		});
		Ok((audited, power))
	}

	/// A failed replica audit: the failure counts on the era's report, the stake is slashed and
	/// the replica ends.
	fn fail_replica(
		order_id: OrderId,
		provider: &T::AccountId,
		era: EraIndex,
		reason: AuditFailure,
	) -> DispatchResult {
		ReplicaAudits::<T>::remove(order_id, provider);
		Self::tally_replica_audit(provider, era, false);
		let (failures, power) = Self::count_failure(provider, era, false)?.unwrap_or_default();
		Self::deposit_event(Event::ReplicaAuditFailed {
			order_id,
			provider: provider.clone(),
			era,
			reason,
			failures,
			power,
		});
		Self::slash_stake(provider, era)?;
		Self::end_replica(order_id, provider, ReplicaEnd::AuditFailed(reason));
		Ok(())
	}

	/// Removes `provider`'s replica of `order_id` (and its open audit) from every index and the
	/// pool, and emits [`Event::ReplicaEnded`]. Nothing to do if there is no such replica.
	pub(crate) fn end_replica(order_id: OrderId, provider: &T::AccountId, reason: ReplicaEnd) {
		let Some(replica) = Replicas::<T>::take(order_id, provider) else { return };
		ReplicaAudits::<T>::remove(order_id, provider);
		OrderHolders::<T>::mutate_exists(order_id, |holders| {
			if let Some(list) = holders.as_mut() {
				list.retain(|holder| holder != provider);
				if list.is_empty() {
					*holders = None;
				}
			}
		});
		ProviderReplicas::<T>::mutate_exists(provider, |held| {
			if let Some(list) = held.as_mut() {
				list.retain(|id| *id != order_id);
				if list.is_empty() {
					*held = None;
				}
			}
		});
		let order = Orders::<T>::get(order_id);
		if let Some(order) = order.as_ref() {
			// Only this replica's entry: a provider holds an object under one order.
			ProviderContent::<T>::mutate_exists(provider, order.content_id, |held| {
				if *held == Some(order_id) {
					*held = None;
				}
			});
		}
		let size = order.map(|order| order.size_bytes).unwrap_or_default();
		ReplicaBytes::<T>::mutate_exists(provider, |bytes| {
			let left = bytes.unwrap_or_default().saturating_sub(size);
			*bytes = (left > 0).then_some(left);
		});
		Self::remove_from_pool(replica.slot);
		Self::deposit_event(Event::ReplicaEnded { order_id, provider: provider.clone(), reason });
	}

	/// Moves the pool entry at slot `from` to slot `to` (which must be empty) and updates its
	/// replica's slot.
	fn move_pool_entry(from: u32, to: u32) {
		if from == to {
			return;
		}
		if let Some(entry) = ReplicaPool::<T>::take(from) {
			Replicas::<T>::mutate(entry.0, &entry.1, |replica| {
				if let Some(replica) = replica.as_mut() {
					replica.slot = to;
				}
			});
			ReplicaPool::<T>::insert(to, entry);
		}
	}

	/// Swaps the pool entries at slots `a` and `b`.
	fn swap_pool_entries(a: u32, b: u32) {
		if a == b {
			return;
		}
		let (Some(at_a), Some(at_b)) = (ReplicaPool::<T>::take(a), ReplicaPool::<T>::take(b))
		else {
			frame_support::defensive!("a replica pool slot below its size is empty");
			return;
		};
		ReplicaPool::<T>::insert(b, at_a);
		ReplicaPool::<T>::insert(a, at_b);
		for slot in [a, b] {
			if let Some((order_id, provider)) = ReplicaPool::<T>::get(slot) {
				Replicas::<T>::mutate(order_id, &provider, |replica| {
					if let Some(replica) = replica.as_mut() {
						replica.slot = slot;
					}
				});
			}
		}
	}

	/// Removes slot `slot` from the pool, keeping the audited part `0..audited` and the waiting
	/// part `audited..size` contiguous.
	fn remove_from_pool(slot: u32) {
		let mut pool = ReplicaPoolInfo::<T>::get().in_era(CurrentEra::<T>::get());
		let Some(last) = pool.size.checked_sub(1) else {
			frame_support::defensive!("a replica was removed from an empty pool");
			return;
		};
		ReplicaPool::<T>::remove(slot);
		let mut hole = slot;
		if hole < pool.audited {
			// Fill the hole with the last audited entry, which moves the hole to the boundary.
			let boundary = pool.audited.saturating_sub(1);
			Self::move_pool_entry(boundary, hole);
			hole = boundary;
			pool.audited = boundary;
		}
		Self::move_pool_entry(last, hole);
		pool.size = last;
		ReplicaPoolInfo::<T>::put(pool);
	}

	/// The chain's replica audits of block `now`: while the deadline `now + ChallengeDeadline`
	/// stays in the era, draws about `waiting / blocks left` replicas (at most
	/// [`Config::ReplicaAuditsPerBlock`]) from the waiting part of the pool and audits each, so
	/// that every replica is audited once per era at a block nobody can pick in advance. A drawn
	/// replica of an order no longer live ends instead. Returns the number of draws.
	pub(crate) fn draw_replica_audits(now: BlockNumberFor<T>) -> u32 {
		let era = CurrentEra::<T>::get();
		let deadline = now.saturating_add(T::ChallengeDeadline::get());
		let Some(blocks_left) = Self::era_end(era).checked_sub(&deadline) else { return 0 };
		let blocks_left: u32 = blocks_left.saturated_into();
		if blocks_left == 0 {
			return 0;
		}
		let pool = ReplicaPoolInfo::<T>::get().in_era(era);
		let waiting = pool.size.saturating_sub(pool.audited);
		if waiting == 0 {
			return 0;
		}
		let seed = frame_system::Pallet::<T>::parent_hash();
		// `waiting / blocks_left` draws, plus one with probability `(waiting mod blocks_left) /
		// blocks_left`: on average the waiting replicas spread evenly over the blocks left, the
		// window's last block draws all that still wait, and a lone replica's audit block is
		// uniform over the window.
		let base = waiting.checked_div(blocks_left).unwrap_or_default();
		let rest = waiting.checked_rem(blocks_left).unwrap_or_default();
		let coin = Self::draw((REPLICA_DRAW_DOMAIN, seed, era, now, u32::MAX), blocks_left) < rest;
		let draws = base.saturating_add(u32::from(coin)).min(T::ReplicaAuditsPerBlock::get());
		for draw in 0..draws {
			let mut pool = ReplicaPoolInfo::<T>::get().in_era(era);
			let waiting = pool.size.saturating_sub(pool.audited);
			if waiting == 0 {
				break;
			}
			let pick = pool
				.audited
				.saturating_add(Self::draw((REPLICA_DRAW_DOMAIN, seed, era, now, draw), waiting));
			Self::swap_pool_entries(pick, pool.audited);
			let slot = pool.audited;
			pool.audited = slot.saturating_add(1);
			ReplicaPoolInfo::<T>::put(pool);
			let Some((order_id, provider)) = ReplicaPool::<T>::get(slot) else {
				frame_support::defensive!("a drawn replica pool slot is empty");
				continue;
			};
			let result = storage::with_storage_layer(|| {
				Self::audit_replica(order_id, provider, era, seed.as_ref(), deadline)
			});
			if result.is_err() {
				frame_support::defensive!("a replica audit could not be issued");
			}
		}
		draws
	}

	/// Opens the era audit of `provider`'s replica of `order_id`, or ends the replica if its
	/// order is no longer live.
	fn audit_replica(
		order_id: OrderId,
		provider: T::AccountId,
		era: EraIndex,
		seed: &[u8],
		deadline: BlockNumberFor<T>,
	) -> DispatchResult {
		let order = Orders::<T>::get(order_id).filter(|order| order.is_live(era));
		let Some(order) = order else {
			Self::end_replica(order_id, &provider, ReplicaEnd::OrderEnded);
			return Ok(());
		};
		let count = segments::segment_count(order.size_bytes).ok_or(Error::<T>::ZeroSize)?;
		let segment = Self::replica_segment(seed, order_id, &provider, era, count);
		let mut queue = ReplicaAuditExpiries::<T>::get(deadline);
		queue.try_push((order_id, provider.clone())).map_err(|_| Error::<T>::TooManyChallenges)?;
		ReplicaAuditExpiries::<T>::insert(deadline, queue);
		ReplicaAudits::<T>::insert(order_id, &provider, ReplicaAudit { era, segment, deadline });
		Self::deposit_event(Event::ReplicaAuditIssued { order_id, provider, segment, deadline });
		Ok(())
	}

	/// Settles the replica audits whose deadline was block `now − 1`: each one still open is a
	/// missed audit. Returns the number of queued audits (at most
	/// [`Config::ReplicaAuditsPerBlock`]), for the weight.
	pub(crate) fn settle_replica_audits(now: BlockNumberFor<T>) -> u32 {
		let Some(deadline) = now.checked_sub(&1u32.into()) else { return 0 };
		let queue = ReplicaAuditExpiries::<T>::take(deadline);
		let queued = queue.len() as u32;
		for (order_id, provider) in queue {
			let Some(audit) = ReplicaAudits::<T>::get(order_id, &provider) else { continue };
			let result = storage::with_storage_layer(|| {
				Self::fail_replica(order_id, &provider, audit.era, AuditFailure::Missed)
			});
			if result.is_err() {
				frame_support::defensive!("a missed replica audit could not be recorded");
			}
		}
		queued
	}

	/// Ends every replica of `order_id` (its order is removed).
	pub(crate) fn end_order_replicas(order_id: OrderId) {
		for provider in OrderHolders::<T>::get(order_id) {
			Self::end_replica(order_id, &provider, ReplicaEnd::OrderEnded);
		}
	}
}
