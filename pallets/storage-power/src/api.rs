//! Read helpers behind the `StoragePowerApi` runtime API. Each reads a bounded number of items.

use crate::*;
use alloc::vec::Vec;
use frame_support::traits::Get;
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill, SaturatedConversion,
};

/// Most orders one [`Pallet::open_orders`] page returns.
pub const MAX_OPEN_ORDERS: u32 = 128;
/// Most order ids one [`Pallet::open_orders`] page reads.
pub const OPEN_ORDERS_SCAN: OrderId = 1024;

impl<T: Config> Pallet<T> {
	/// The provider record of `who` with this era's heartbeats and report power.
	pub fn provider(who: T::AccountId) -> Option<ProviderViewOf<T>> {
		let era = CurrentEra::<T>::get();
		let mut p = Providers::<T>::get(&who)?;
		Self::normalise(&mut p, era);
		let report = Reports::<T>::get(&who, era);
		let audits = Self::replica_audits_in(&who, era);
		Some(ProviderView {
			capacity_gib: p.capacity_gib,
			pending_capacity: p.pending_capacity,
			stake: p.stake,
			required_stake: Self::required_stake(p.capacity_in(era.saturating_add(1)))
				.unwrap_or_default(),
			endpoint_commitment: p.endpoint_commitment,
			status: p.status,
			maintenance: p.maintenance,
			era,
			heartbeats: p.heartbeats,
			expected_heartbeats: Self::expected_heartbeats(),
			heartbeat_slot: Self::heartbeat_slot(Self::now(), era),
			last_heartbeat_slot: p.last_heartbeat_slot,
			power: report.as_ref().map(|r| r.power),
			failures: report.as_ref().map(|r| r.failures).unwrap_or_default(),
			unclaimed_eras: UnclaimedEras::<T>::get(&who).len() as u32,
			replica_bytes: ReplicaBytes::<T>::get(&who),
			backed_bytes: Self::backed_bytes(&p, era),
			audited_bytes: Self::audited_bytes_in(&who, era),
			replica_audits_passed: audits.0,
			replica_audits_failed: audits.1,
		})
	}

	/// Totals of `era` while it is tracked (the current era and closed eras not yet fully
	/// claimed); `None` for a settled or unknown era.
	pub fn era(era: EraIndex) -> Option<EraViewOf<T>> {
		let info = Eras::<T>::get(era)?;
		Some(EraView {
			era,
			total_power: info.total_power,
			emission: info.emission,
			paid: info.paid,
			reports: info.reports,
			powered: info.powered,
			claimed: info.claimed,
			closed: era < CurrentEra::<T>::get(),
		})
	}

	/// What `who` would receive for the current era if it closed now, from the current reports
	/// and emission; `None` without a report this era.
	pub fn estimate_reward(who: T::AccountId) -> Option<RewardEstimateOf<T>> {
		let era = CurrentEra::<T>::get();
		let report = Reports::<T>::get(&who, era)?;
		let info = Eras::<T>::get(era).unwrap_or_default();
		Some(RewardEstimate {
			era,
			power: report.power,
			total_power: info.total_power,
			share: Self::share_of(report.power, info.total_power),
			emission: info.emission,
			reward: Self::reward_of(report.power, info.emission, info.total_power),
		})
	}

	/// What a missed heartbeat or one more failed audit would cost `who` in the current era,
	/// against its projected power (every remaining heartbeat sent); `None` without a report
	/// this era.
	pub fn penalty_preview(who: T::AccountId) -> Option<PenaltyPreviewOf<T>> {
		let era = CurrentEra::<T>::get();
		let report = Reports::<T>::get(&who, era)?;
		let mut provider = Providers::<T>::get(&who)?;
		Self::normalise(&mut provider, era);
		let params = Parameters::<T>::get();
		let info = Eras::<T>::get(era).unwrap_or_default();
		let expected = Self::expected_heartbeats();
		let next_slot = match provider.last_heartbeat_slot {
			Some(last) => last.saturating_add(1),
			None => Self::heartbeat_slot(Self::now(), era),
		};
		let remaining =
			expected.saturating_sub(next_slot.max(Self::heartbeat_slot(Self::now(), era)));
		let projected_beats = provider.heartbeats.saturating_add(remaining).min(expected);
		let power_at = |beats: u32, failures: u32| {
			Self::report_power(&params, &provider, &report, beats, failures, era)
		};
		// The reward of this provider at `power`, the others' power unchanged.
		let others = info.total_power.saturating_sub(report.power);
		let reward_at =
			|power: Power| Self::reward_of(power, info.emission, others.saturating_add(power));
		let projected_power = power_at(projected_beats, report.failures);
		let projected_reward = reward_at(projected_power);
		let power_if_heartbeat_missed =
			power_at(projected_beats.saturating_sub(1), report.failures);
		let power_if_audit_failed = power_at(projected_beats, report.failures.saturating_add(1));
		let audit_slash = if report.failures.saturating_add(1) == params.failure_threshold {
			T::SlashFraction::get().mul_floor(provider.stake)
		} else {
			Zero::zero()
		};
		Some(PenaltyPreview {
			era,
			projected_power,
			projected_reward,
			power_if_heartbeat_missed,
			heartbeat_cost: projected_reward.saturating_sub(reward_at(power_if_heartbeat_missed)),
			power_if_audit_failed,
			audit_reward_cost: projected_reward.saturating_sub(reward_at(power_if_audit_failed)),
			audit_slash,
		})
	}

	/// The unclaimed reports of `who`, oldest first: exact rewards for closed eras, the
	/// estimate for the current one.
	pub fn pending_rewards(who: T::AccountId) -> Vec<PendingRewardOf<T>> {
		let current = CurrentEra::<T>::get();
		UnclaimedEras::<T>::get(&who)
			.into_iter()
			.filter_map(|era| {
				let report = Reports::<T>::get(&who, era)?;
				let reward = match Eras::<T>::get(era) {
					Some(info) if !report.forfeited => {
						Self::reward_of(report.power, info.emission, info.total_power)
					},
					_ => Zero::zero(),
				};
				Some(PendingReward {
					era,
					power: report.power,
					reward,
					claimable: era < current && report.open_challenges == 0,
				})
			})
			.collect()
	}

	/// The reward share `power / total` (for display).
	pub fn share_of(power: Power, total: Power) -> Perbill {
		if total == 0 {
			return Perbill::zero();
		}
		Perbill::from_rational(power, total)
	}

	/// Order `id`, live or expired (until removed).
	pub fn order(id: OrderId) -> Option<OrderViewOf<T>> {
		Orders::<T>::get(id).map(|order| Self::order_view(id, order))
	}

	/// The orders of `owner`, by id.
	pub fn orders_of(owner: T::AccountId) -> Vec<OrderViewOf<T>> {
		Self::orders_by_id(OwnerOrders::<T>::iter_key_prefix(&owner))
	}

	/// The orders of `content_id` placed by `owner`, by id: the order a record's issuer placed
	/// for its object, found in one read however many orders the issuer has.
	pub fn orders_of_content(content_id: ContentId, owner: T::AccountId) -> Vec<OrderViewOf<T>> {
		Self::orders_by_id(ContentOrders::<T>::iter_key_prefix((content_id, owner)))
	}

	/// The views of orders `ids` (read in hash order), sorted by id.
	fn orders_by_id(ids: impl Iterator<Item = OrderId>) -> Vec<OrderViewOf<T>> {
		let mut ids: Vec<OrderId> = ids.collect();
		ids.sort_unstable();
		ids.into_iter().filter_map(Self::order).collect()
	}

	/// The live orders with a free place (fewer holders than replicas), by id, from order id
	/// `from`: at most `min(limit, MAX_OPEN_ORDERS)` of them, from at most
	/// [`OPEN_ORDERS_SCAN`] ids read. A provider's vault pages through them (`next`) to find
	/// the objects it holds that still need a replica.
	pub fn open_orders(from: OrderId, limit: u32) -> OpenOrdersPageOf<T> {
		let end = NextOrderId::<T>::get();
		let wanted = limit.min(MAX_OPEN_ORDERS) as usize;
		let era = CurrentEra::<T>::get();
		let mut orders = Vec::new();
		let mut id = from;
		while id < end && id.saturating_sub(from) < OPEN_ORDERS_SCAN && orders.len() < wanted {
			if let Some(order) = Orders::<T>::get(id) {
				let held = OrderHolders::<T>::decode_len(id).unwrap_or_default();
				if order.is_live(era) && held < order.replicas as usize {
					orders.push(Self::order_view(id, order));
				}
			}
			id = id.saturating_add(1);
		}
		OpenOrdersPage { orders, next: (id < end).then_some(id) }
	}

	/// What an order placed now would pay per era and in all; `None` if `place_order` would
	/// refuse it.
	pub fn quote(size_bytes: u64, replicas: u32, eras: u32) -> Option<OrderQuoteOf<T>> {
		let (per_era, total) = Self::quote_order(size_bytes, replicas, eras).ok()?;
		Some(OrderQuote { per_era, total })
	}

	/// Where the era amount comes from: the price, the subsidy schedule, this era's and the
	/// next era's order revenue and subsidy, and what orders prepaid.
	pub fn economics() -> EconomicsViewOf<T> {
		let era = CurrentEra::<T>::get();
		let next = era.saturating_add(1);
		let revenue = Self::order_revenue_now(era);
		let change = OrderRevenueChanges::<T>::get(next);
		let subsidy = Subsidy::<T>::get();
		let pending = PendingSubsidy::<T>::get();
		let next_schedule = pending.filter(|p| p.start_era <= next).unwrap_or(subsidy);
		EconomicsView {
			era,
			price_per_gib_era: StoragePrice::<T>::get(),
			subsidy,
			pending_subsidy: pending,
			next_subsidy: next_schedule.amount(next),
			order_revenue: revenue.credited,
			next_order_revenue: revenue
				.rate
				.saturating_add(change.rises)
				.saturating_sub(change.falls),
			prepaid: PrepaidRevenue::<T>::get(),
		}
	}

	fn order_view(id: OrderId, order: StorageOrder<T>) -> OrderViewOf<T> {
		OrderView {
			id,
			live: order.is_live(CurrentEra::<T>::get()),
			owner: order.owner,
			content_id: order.content_id,
			size_bytes: order.size_bytes,
			replicas: order.replicas,
			start_era: order.start_era,
			end_era: order.end_era,
			per_era: order.per_era,
			deposit: order.deposit,
			holders: OrderHolders::<T>::get(id).into_inner(),
		}
	}

	/// The replicas `provider` holds, with their open audits (what its vault must answer).
	pub fn replicas_of(provider: T::AccountId) -> Vec<ReplicaView> {
		ProviderReplicas::<T>::get(&provider)
			.into_iter()
			.filter_map(|order_id| {
				let replica = Replicas::<T>::get(order_id, &provider)?;
				let order = Orders::<T>::get(order_id)?;
				let audit = ReplicaAudits::<T>::get(order_id, &provider)
					.map(|audit| (audit.segment, audit.deadline.saturated_into::<u64>()));
				Some(ReplicaView {
					order_id,
					content_id: order.content_id,
					size_bytes: order.size_bytes,
					since: replica.since,
					audit,
				})
			})
			.collect()
	}
}
