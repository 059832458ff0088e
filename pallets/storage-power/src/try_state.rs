//! The storage invariants, checked by the `try_state` hook and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::traits::{Saturating, Zero};

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Checks every invariant: counters match maps, held stakes and deposits match records,
	/// unclaimed lists match reports, the current era's totals match its reports, challenges
	/// match open counts, and the pot holds the existential deposit plus exactly what it owes.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let current = CurrentEra::<T>::get();
		ensure!(Eras::<T>::contains_key(current), "the current era has no record");
		ensure!(
			EraStartedAt::<T>::iter_keys()
				.all(|era| era <= current && current.saturating_sub(era) < ERA_STARTS_KEPT),
			"an era start older than the window is kept"
		);
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
			if report.leaf_count == 0 {
				ensure!(
					report.bytes_served == 0 && report.receipts_root.is_zero(),
					"a report without receipt leaves claims served bytes or a root"
				);
				ensure!(report.audit_slot.is_none(), "a report without receipts is in the pool");
			}
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
		Self::try_state_orders(current)?;
		Self::try_state_replicas(current)?;
		ensure!(
			T::Currency::balance(&Self::pot_account())
				>= T::Currency::minimum_balance()
					.saturating_add(owed)
					.saturating_add(PrepaidRevenue::<T>::get()),
			"the pot holds less than it owes and the orders prepaid"
		);
		Ok(())
	}

	/// Replicas: the pool, the per-order and per-provider indexes and byte counts, and the open
	/// audits agree with the replicas.
	fn try_state_replicas(current: EraIndex) -> Result<(), sp_runtime::TryRuntimeError> {
		let pool = ReplicaPoolInfo::<T>::get().in_era(current);
		ensure!(pool.audited <= pool.size, "more replicas audited than pooled");
		ensure!(
			ReplicaPool::<T>::iter().count() as u32 == pool.size,
			"replica pool size differs from its entries"
		);
		let mut bytes_of: BTreeMap<T::AccountId, u64> = BTreeMap::new();
		let mut count_of: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut replicas = 0u32;
		for (order_id, provider, replica) in Replicas::<T>::iter() {
			replicas = replicas.saturating_add(1);
			ensure!(
				ReplicaPool::<T>::get(replica.slot) == Some((order_id, provider.clone())),
				"a replica's pool slot holds another entry"
			);
			let order = Orders::<T>::get(order_id).ok_or("a replica of no order")?;
			ensure!(
				OrderHolders::<T>::get(order_id).contains(&provider),
				"a replica missing from its order's holders"
			);
			ensure!(
				ProviderReplicas::<T>::get(&provider).contains(&order_id),
				"a replica missing from its provider's list"
			);
			ensure!(
				ProviderContent::<T>::get(&provider, order.content_id) == Some(order_id),
				"a replica missing from its provider's content index"
			);
			let bytes = bytes_of.entry(provider.clone()).or_insert(0);
			*bytes = bytes.saturating_add(order.size_bytes);
			let count = count_of.entry(provider).or_insert(0);
			*count = count.saturating_add(1);
		}
		ensure!(replicas == pool.size, "replicas and pool entries differ");
		ensure!(
			ProviderContent::<T>::iter().count() == replicas as usize,
			"the providers' content index and the replicas differ"
		);
		for (order_id, holders) in OrderHolders::<T>::iter() {
			let order = Orders::<T>::get(order_id).ok_or("holders of no order")?;
			ensure!(holders.len() as u32 <= order.replicas, "more holders than replicas ordered");
			ensure!(!holders.is_empty(), "an empty holder list is stored");
		}
		for (provider, held) in ProviderReplicas::<T>::iter() {
			ensure!(
				count_of.get(&provider).copied().unwrap_or_default() == held.len() as u32,
				"a provider's replica list differs from its replicas"
			);
		}
		for (provider, bytes) in ReplicaBytes::<T>::iter() {
			ensure!(
				bytes_of.get(&provider).copied().unwrap_or_default() == bytes,
				"a provider's replica bytes differ from its replicas"
			);
		}
		ensure!(
			bytes_of.len() == ReplicaBytes::<T>::iter().count(),
			"a provider with replicas has no byte count"
		);
		for (order_id, provider, audit) in ReplicaAudits::<T>::iter() {
			ensure!(Replicas::<T>::contains_key(order_id, &provider), "an audit of no replica");
			ensure!(
				ReplicaAuditExpiries::<T>::get(audit.deadline).contains(&(order_id, provider)),
				"an open audit missing from its deadline's queue"
			);
		}
		for (provider, (era, _)) in AuditedBytes::<T>::iter() {
			ensure!(Providers::<T>::contains_key(&provider), "audited bytes of no provider");
			ensure!(era <= current, "audited bytes of a future era");
		}
		for (provider, tally) in ReplicaAuditTallies::<T>::iter() {
			ensure!(Providers::<T>::contains_key(&provider), "replica audits of no provider");
			ensure!(tally.era <= current, "replica audits of a future era");
		}
		Ok(())
	}

	/// Orders: deposits held, the owner and content indexes, the prepaid revenue and the revenue
	/// schedule agree with the live orders.
	fn try_state_orders(current: EraIndex) -> Result<(), sp_runtime::TryRuntimeError> {
		let next = current.saturating_add(1);
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let (mut prepaid, mut next_rate) = (BalanceOf::<T>::zero(), BalanceOf::<T>::zero());
		let next_id = NextOrderId::<T>::get();
		for (id, order) in Orders::<T>::iter() {
			ensure!(id < next_id, "order id not below NextOrderId");
			ensure!(order.start_era < order.end_era, "an order without eras");
			ensure!(OwnerOrders::<T>::contains_key(&order.owner, id), "order not indexed");
			ensure!(
				ContentOrders::<T>::contains_key((order.content_id, &order.owner, id)),
				"order not indexed by content id"
			);
			let d = deposits.entry(order.owner.clone()).or_insert_with(Zero::zero);
			*d = d.saturating_add(order.deposit);
			let future = order.end_era.saturating_sub(next);
			prepaid = prepaid.saturating_add(order.per_era.saturating_mul(future.into()));
			if order.end_era > next {
				next_rate = next_rate.saturating_add(order.per_era);
			}
		}
		ensure!(
			OwnerOrders::<T>::iter().count() == Orders::<T>::iter().count(),
			"owner index and orders differ"
		);
		ensure!(
			ContentOrders::<T>::iter().count() == Orders::<T>::iter().count(),
			"content index and orders differ"
		);
		for (owner, amount) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::OrderDeposit.into(), &owner) == amount,
				"held order deposits differ"
			);
		}
		ensure!(prepaid == PrepaidRevenue::<T>::get(), "PrepaidRevenue differs from the orders");
		let revenue = OrderRevenue::<T>::get();
		ensure!(revenue.era <= current, "the order revenue belongs to a future era");
		let change = OrderRevenueChanges::<T>::get(next);
		ensure!(
			revenue.rate.saturating_add(change.rises).saturating_sub(change.falls) == next_rate,
			"the next era's order revenue differs from the orders"
		);
		for (era, _) in OrderRevenueChanges::<T>::iter() {
			ensure!(era > current, "a rate change of a started era was not applied");
		}
		Ok(())
	}
}
