//! Storage orders and the era amount they pay: placement, renewal at the current price, removal
//! after expiry, the order-revenue rate moved into each era as it starts, the storage price and
//! the subsidy schedule.
//!
//! Every order pays `per_era` for each of its eras up front. The current era's part is credited
//! at once; the rest waits in [`PrepaidRevenue`]. [`OrderRevenue`]`.rate` is what the live
//! orders pay the current era; [`OrderRevenueChanges`] says how it changes when each future era
//! starts (an order's end, a renewal's new price). So an era start is O(1), however many orders
//! exist.

use crate::*;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation, Contains},
};
use sp_core::H256;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, CheckedMul, CheckedSub, Saturating, Zero},
	ArithmeticError, Rounding, SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// What one era of `replicas` copies of `size_bytes` costs at `price` per GiB and era:
	/// `ceil(size_bytes × replicas × price / GiB)`, so that no order is free at a positive price.
	pub fn per_era_cost(
		size_bytes: u64,
		replicas: u32,
		price: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let bytes = u128::from(size_bytes)
			.checked_mul(u128::from(replicas))
			.ok_or(ArithmeticError::Overflow)?;
		let cost = multiply_by_rational_with_rounding(
			bytes,
			price.saturated_into::<u128>(),
			u128::from(GIB),
			Rounding::Up,
		)
		.ok_or(ArithmeticError::Overflow)?;
		BalanceOf::<T>::try_from(cost).map_err(|_| ArithmeticError::Overflow.into())
	}

	/// The cost of an order placed now: `(per_era, total)`, checked as `place_order` checks it.
	pub fn quote_order(
		size_bytes: u64,
		replicas: u32,
		eras: u32,
	) -> Result<(BalanceOf<T>, BalanceOf<T>), DispatchError> {
		ensure!(size_bytes > 0, Error::<T>::ZeroSize);
		ensure!(size_bytes <= T::MaxObjectSize::get(), Error::<T>::ObjectTooLarge);
		ensure!(replicas > 0 && replicas <= T::MaxReplicas::get(), Error::<T>::InvalidReplicas);
		ensure!(eras > 0 && eras <= T::MaxOrderEras::get(), Error::<T>::InvalidOrderEras);
		let per_era = Self::per_era_cost(size_bytes, replicas, StoragePrice::<T>::get())?;
		let total = per_era.checked_mul(&eras.into()).ok_or(ArithmeticError::Overflow)?;
		Ok((per_era, total))
	}

	pub(crate) fn do_place_order(
		owner: T::AccountId,
		content_id: H256,
		size_bytes: u64,
		replicas: u32,
		eras: u32,
	) -> DispatchResult {
		let (per_era, paid) = Self::quote_order(size_bytes, replicas, eras)?;
		let era = CurrentEra::<T>::get();
		let end_era = era.checked_add(eras).ok_or(ArithmeticError::Overflow)?;
		let order_id = NextOrderId::<T>::get();
		let next_id = order_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let prepaid = paid.checked_sub(&per_era).ok_or(ArithmeticError::Underflow)?;
		let prepaid_total =
			PrepaidRevenue::<T>::get().checked_add(&prepaid).ok_or(ArithmeticError::Overflow)?;
		let mut revenue = Self::order_revenue_now(era);
		revenue.rate = revenue.rate.checked_add(&per_era).ok_or(ArithmeticError::Overflow)?;
		revenue.credited =
			revenue.credited.checked_add(&per_era).ok_or(ArithmeticError::Overflow)?;
		let mut at_end = OrderRevenueChanges::<T>::get(end_era);
		at_end.falls = at_end.falls.checked_add(&per_era).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::OrderDeposit::get();
		Self::hold(HoldReason::OrderDeposit, &owner, deposit)?;
		if !paid.is_zero() {
			T::Currency::transfer(&owner, &Self::pot_account(), paid, Preservation::Preserve)?;
		}
		Self::credit_current_era(per_era)?;
		PrepaidRevenue::<T>::put(prepaid_total);
		OrderRevenue::<T>::put(revenue);
		OrderRevenueChanges::<T>::insert(end_era, at_end);
		Orders::<T>::insert(
			order_id,
			StorageOrder {
				owner: owner.clone(),
				content_id,
				size_bytes,
				replicas,
				start_era: era,
				end_era,
				per_era,
				deposit,
			},
		);
		OwnerOrders::<T>::insert(&owner, order_id, ());
		ContentOrders::<T>::insert((content_id, &owner, order_id), ());
		NextOrderId::<T>::put(next_id);
		Self::deposit_event(Event::OrderPlaced {
			order_id,
			owner,
			content_id,
			size_bytes,
			replicas,
			end_era,
			per_era,
			paid,
		});
		Ok(())
	}

	/// Extends a live order; its eras after the current one are repriced. With `old` and `new`
	/// the per-era prices and `f` the order's eras after the current one:
	/// the owner pays `new × (f + eras) − old × f` (or is refunded the opposite), the rate falls
	/// by `old` and rises by `new` when the next era starts, and the order's end moves.
	pub(crate) fn do_renew_order(
		who: T::AccountId,
		order_id: OrderId,
		eras: u32,
	) -> DispatchResult {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(order.owner == who, Error::<T>::NotOrderOwner);
		let era = CurrentEra::<T>::get();
		ensure!(order.is_live(era), Error::<T>::OrderExpired);
		let new_end = order.end_era.checked_add(eras).ok_or(ArithmeticError::Overflow)?;
		let horizon = era.saturating_add(T::MaxOrderEras::get());
		ensure!(eras > 0 && new_end <= horizon, Error::<T>::InvalidOrderEras);
		let next = era.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let old = order.per_era;
		let new = Self::per_era_cost(order.size_bytes, order.replicas, StoragePrice::<T>::get())?;
		let future_eras = order.end_era.saturating_sub(next);
		let had = old.checked_mul(&future_eras.into()).ok_or(ArithmeticError::Overflow)?;
		let owes = new
			.checked_mul(&future_eras.saturating_add(eras).into())
			.ok_or(ArithmeticError::Overflow)?;
		let prepaid = PrepaidRevenue::<T>::get()
			.checked_sub(&had)
			.ok_or(ArithmeticError::Underflow)?
			.checked_add(&owes)
			.ok_or(ArithmeticError::Overflow)?;

		// The rate: the old price stops at the next era (or at the old end, if that is the next
		// era), the new price runs from the next era to the new end.
		let mut at_old_end = OrderRevenueChanges::<T>::get(order.end_era);
		at_old_end.falls = at_old_end.falls.checked_sub(&old).ok_or(ArithmeticError::Underflow)?;
		// An order in its last era ends at the next era: both changes are that one entry.
		let ends_next = order.end_era == next;
		let mut at_next =
			if ends_next { at_old_end.clone() } else { OrderRevenueChanges::<T>::get(next) };
		at_next.falls = at_next.falls.checked_add(&old).ok_or(ArithmeticError::Overflow)?;
		at_next.rises = at_next.rises.checked_add(&new).ok_or(ArithmeticError::Overflow)?;
		let mut at_new_end = OrderRevenueChanges::<T>::get(new_end);
		at_new_end.falls = at_new_end.falls.checked_add(&new).ok_or(ArithmeticError::Overflow)?;

		let pot = Self::pot_account();
		let (paid, refunded) = if owes >= had {
			(owes.saturating_sub(had), Zero::zero())
		} else {
			(Zero::zero(), had.saturating_sub(owes))
		};
		if !paid.is_zero() {
			T::Currency::transfer(&who, &pot, paid, Preservation::Preserve)?;
		}
		if !refunded.is_zero() {
			T::Currency::transfer(&pot, &who, refunded, Preservation::Preserve)?;
		}
		PrepaidRevenue::<T>::put(prepaid);
		if !ends_next {
			OrderRevenueChanges::<T>::insert(order.end_era, at_old_end);
		}
		OrderRevenueChanges::<T>::insert(next, at_next);
		OrderRevenueChanges::<T>::insert(new_end, at_new_end);
		order.end_era = new_end;
		order.per_era = new;
		Orders::<T>::insert(order_id, order);
		Self::deposit_event(Event::OrderRenewed {
			order_id,
			end_era: new_end,
			per_era: new,
			paid,
			refunded,
		});
		Ok(())
	}

	pub(crate) fn do_remove_order(order_id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(order.end_era <= CurrentEra::<T>::get(), Error::<T>::OrderNotExpired);
		Self::forget_order(order_id, &order);
		Self::deposit_event(Event::OrderRemoved { order_id, owner: order.owner });
		Ok(())
	}

	/// Ends live order `order_id` of `who` now, as erasing its object requires: its replicas end
	/// (no audit, no slash of a provider whose vault deletes the object), the eras after the
	/// current one are refunded from the prepaid revenue, the revenue rate falls by `per_era`
	/// when the next era starts instead of at the order's end, the deposit is released and the
	/// order removed. The current era stays paid: its providers held the object in it.
	pub(crate) fn do_cancel_order(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let owner = order.owner.clone();
		ensure!(
			owner == who
				|| T::DataSubjects::contains(&(who.clone(), owner.clone(), order.content_id)),
			Error::<T>::NotOrderOwner
		);
		let era = CurrentEra::<T>::get();
		ensure!(order.is_live(era), Error::<T>::OrderExpired);
		let next = era.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let future_eras = order.end_era.saturating_sub(next);
		let refunded =
			order.per_era.checked_mul(&future_eras.into()).ok_or(ArithmeticError::Overflow)?;
		let prepaid =
			PrepaidRevenue::<T>::get().checked_sub(&refunded).ok_or(ArithmeticError::Underflow)?;
		// An order in its last era already stops paying at the next era: nothing moves.
		let rate_changes = if order.end_era == next {
			None
		} else {
			let mut at_end = OrderRevenueChanges::<T>::get(order.end_era);
			at_end.falls =
				at_end.falls.checked_sub(&order.per_era).ok_or(ArithmeticError::Underflow)?;
			let mut at_next = OrderRevenueChanges::<T>::get(next);
			at_next.falls =
				at_next.falls.checked_add(&order.per_era).ok_or(ArithmeticError::Overflow)?;
			Some((at_end, at_next))
		};
		if !refunded.is_zero() {
			T::Currency::transfer(&Self::pot_account(), &owner, refunded, Preservation::Preserve)?;
		}
		PrepaidRevenue::<T>::put(prepaid);
		if let Some((at_end, at_next)) = rate_changes {
			OrderRevenueChanges::<T>::insert(order.end_era, at_end);
			OrderRevenueChanges::<T>::insert(next, at_next);
		}
		Self::forget_order(order_id, &order);
		Self::deposit_event(Event::OrderCancelled { order_id, owner, by: who, refunded });
		Ok(())
	}

	/// Releases the deposit of `order` (id `order_id`), ends its replicas and removes it from
	/// every index.
	fn forget_order(order_id: OrderId, order: &StorageOrder<T>) {
		Self::release(HoldReason::OrderDeposit, &order.owner, order.deposit);
		Self::end_order_replicas(order_id);
		Orders::<T>::remove(order_id);
		OwnerOrders::<T>::remove(&order.owner, order_id);
		ContentOrders::<T>::remove((order.content_id, &order.owner, order_id));
	}

	pub(crate) fn do_set_subsidy(initial: BalanceOf<T>, half_life_eras: u32) -> DispatchResult {
		ensure!(half_life_eras > 0, Error::<T>::InvalidSubsidy);
		let start_era = CurrentEra::<T>::get().checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let schedule = SubsidySchedule { initial, start_era, half_life_eras };
		PendingSubsidy::<T>::put(schedule);
		Self::deposit_event(Event::SubsidyScheduled { schedule });
		Ok(())
	}

	/// The order revenue of era `era` (the current one): the stored state, or a fresh one if it
	/// belongs to an older era.
	pub(crate) fn order_revenue_now(era: EraIndex) -> OrderRevenueOf<T> {
		let revenue = OrderRevenue::<T>::get();
		if revenue.era == era {
			revenue
		} else {
			OrderRevenueState { era, rate: revenue.rate, credited: Zero::zero() }
		}
	}

	/// At the start of era `new`: applies the era's rate change and moves the new rate from the
	/// prepaid revenue into the era. Returns the amount to credit to the era. O(1).
	pub(crate) fn start_order_revenue(new: EraIndex) -> BalanceOf<T> {
		let change = OrderRevenueChanges::<T>::take(new);
		let mut revenue = Self::order_revenue_now(new);
		revenue.rate = revenue.rate.saturating_add(change.rises).saturating_sub(change.falls);
		let prepaid = PrepaidRevenue::<T>::get();
		let moved = if revenue.rate > prepaid {
			frame_support::defensive!("the order-revenue rate exceeds the prepaid revenue");
			prepaid
		} else {
			revenue.rate
		};
		revenue.credited = moved;
		PrepaidRevenue::<T>::put(prepaid.saturating_sub(moved));
		OrderRevenue::<T>::put(revenue);
		moved
	}

	/// The subsidy of era `new`, after a pending schedule due by then takes effect.
	pub(crate) fn start_subsidy(new: EraIndex) -> BalanceOf<T> {
		if let Some(pending) = PendingSubsidy::<T>::get() {
			if pending.start_era <= new {
				Subsidy::<T>::put(pending);
				PendingSubsidy::<T>::kill();
			}
		}
		Subsidy::<T>::get().amount(new)
	}
}
