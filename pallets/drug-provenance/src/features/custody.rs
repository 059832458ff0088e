//! Custody: two-phase transfers (dispatch, receive, reject, expire), dispensing and destruction.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{traits::Saturating, ArithmeticError};

impl<T: Config> Pallet<T> {
	/// The holding of `who` after taking `quantity` packs out of it. Does not write.
	fn take_from_holding(
		batch_id: BatchId,
		who: &T::AccountId,
		quantity: u32,
	) -> Result<u32, DispatchError> {
		ensure!(quantity > 0, Error::<T>::ZeroQuantity);
		let held = Holdings::<T>::get(batch_id, who).unwrap_or(0);
		held.checked_sub(quantity).ok_or_else(|| Error::<T>::InsufficientHoldings.into())
	}

	/// Write the holding of `who`, removing it at zero, and keep `holder_count` in step.
	fn set_holding(batch: &mut BatchOf<T>, batch_id: BatchId, who: &T::AccountId, amount: u32) {
		let was_holder = Holdings::<T>::contains_key(batch_id, who);
		if amount == 0 {
			Holdings::<T>::remove(batch_id, who);
			if was_holder {
				batch.holder_count = batch.holder_count.saturating_sub(1);
			}
		} else {
			Holdings::<T>::insert(batch_id, who, amount);
			if !was_holder {
				// Bounded by `MaxTransfersPerBatch + 1 < u32::MAX` (integrity test).
				batch.holder_count = batch.holder_count.saturating_add(1);
			}
		}
	}

	pub(crate) fn do_dispatch(
		who: T::AccountId,
		batch_id: BatchId,
		to: T::AccountId,
		quantity: u32,
		shipment_commitment: H256,
	) -> DispatchResult {
		Self::ensure_active_partner(&who)?;
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_movable(&batch)?;
		ensure!(to != who, Error::<T>::TransferToSelf);
		let recipient = Partners::<T>::get(&to).ok_or(Error::<T>::PartnerNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(recipient.is_active(&now), Error::<T>::RecipientInactive);
		let remaining = Self::take_from_holding(batch_id, &who, quantity)?;
		let transfer_index = batch.transfer_count;
		ensure!(transfer_index < T::MaxTransfersPerBatch::get(), Error::<T>::TooManyTransfers);
		batch.transfer_count = transfer_index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		batch.pending = batch.pending.checked_add(quantity).ok_or(ArithmeticError::Overflow)?;

		let deposit = T::TransferDeposit::get();
		Self::hold(HoldReason::TransferDeposit, &who, deposit)?;
		let expires_at = now.saturating_add(T::TransferTimeout::get());
		Self::set_holding(&mut batch, batch_id, &who, remaining);
		Transfers::<T>::insert(
			batch_id,
			transfer_index,
			Transfer {
				from: who.clone(),
				to: to.clone(),
				quantity,
				shipment_commitment,
				dispatched_at: now,
				expires_at,
				state: TransferState::Pending,
				deposit,
			},
		);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::Dispatched {
			batch_id,
			transfer_index,
			from: who,
			to,
			quantity,
			expires_at,
		});
		Ok(())
	}

	/// A pending transfer addressed to `who`, who must be active, before it expires.
	fn pending_transfer_for(
		who: &T::AccountId,
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> Result<TransferOf<T>, DispatchError> {
		let transfer =
			Transfers::<T>::get(batch_id, transfer_index).ok_or(Error::<T>::TransferNotFound)?;
		ensure!(transfer.state == TransferState::Pending, Error::<T>::TransferNotPending);
		ensure!(transfer.to == *who, Error::<T>::NotAuthorized);
		Self::ensure_active_partner(who)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() < transfer.expires_at,
			Error::<T>::TransferExpired
		);
		Ok(transfer)
	}

	/// Close a pending transfer: `beneficiary` gets the packs, the transfer takes `state`. The
	/// sender's deposit stays held: it pays for the trace record until the batch is retired.
	fn settle_transfer(
		batch_id: BatchId,
		transfer_index: TransferIndex,
		mut transfer: TransferOf<T>,
		beneficiary: &T::AccountId,
		state: TransferState<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		let held = Holdings::<T>::get(batch_id, beneficiary).unwrap_or(0);
		let new_holding = held.checked_add(transfer.quantity).ok_or(ArithmeticError::Overflow)?;
		batch.pending =
			batch.pending.checked_sub(transfer.quantity).ok_or(ArithmeticError::Underflow)?;

		Self::set_holding(&mut batch, batch_id, beneficiary, new_holding);
		Batches::<T>::insert(batch_id, batch);
		transfer.state = state;
		Transfers::<T>::insert(batch_id, transfer_index, transfer);
		Ok(())
	}

	pub(crate) fn do_receive(
		who: T::AccountId,
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> DispatchResult {
		let transfer = Self::pending_transfer_for(&who, batch_id, transfer_index)?;
		let batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_movable(&batch)?;
		let (from, quantity) = (transfer.from.clone(), transfer.quantity);
		let at = frame_system::Pallet::<T>::block_number();
		Self::settle_transfer(
			batch_id,
			transfer_index,
			transfer,
			&who,
			TransferState::Received { at },
		)?;
		Self::deposit_event(Event::Received { batch_id, transfer_index, from, to: who, quantity });
		Ok(())
	}

	pub(crate) fn do_reject(
		who: T::AccountId,
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> DispatchResult {
		let transfer = Self::pending_transfer_for(&who, batch_id, transfer_index)?;
		let (from, quantity) = (transfer.from.clone(), transfer.quantity);
		let at = frame_system::Pallet::<T>::block_number();
		Self::settle_transfer(
			batch_id,
			transfer_index,
			transfer,
			&from,
			TransferState::Rejected { at },
		)?;
		Self::deposit_event(Event::Rejected { batch_id, transfer_index, from, to: who, quantity });
		Ok(())
	}

	pub(crate) fn do_expire_transfer(
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> DispatchResult {
		let transfer =
			Transfers::<T>::get(batch_id, transfer_index).ok_or(Error::<T>::TransferNotFound)?;
		ensure!(transfer.state == TransferState::Pending, Error::<T>::TransferNotPending);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= transfer.expires_at, Error::<T>::TransferNotExpired);
		let (from, to, quantity) = (transfer.from.clone(), transfer.to.clone(), transfer.quantity);
		Self::settle_transfer(
			batch_id,
			transfer_index,
			transfer,
			&from,
			TransferState::Expired { at: now },
		)?;
		Self::deposit_event(Event::TransferExpired {
			batch_id,
			transfer_index,
			from,
			to,
			quantity,
		});
		Ok(())
	}

	pub(crate) fn do_mark_dispensed(
		who: T::AccountId,
		batch_id: BatchId,
		quantity: u32,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		ensure!(partner.role == PartnerRole::Dispenser, Error::<T>::NotAuthorized);
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_movable(&batch)?;
		let remaining = Self::take_from_holding(batch_id, &who, quantity)?;
		batch.dispensed = batch.dispensed.checked_add(quantity).ok_or(ArithmeticError::Overflow)?;

		Self::set_holding(&mut batch, batch_id, &who, remaining);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::Dispensed { batch_id, dispenser: who, quantity });
		Ok(())
	}

	pub(crate) fn do_destroy(
		who: T::AccountId,
		batch_id: BatchId,
		quantity: u32,
		reason: DestructionReason,
	) -> DispatchResult {
		Self::ensure_active_partner(&who)?;
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		let remaining = Self::take_from_holding(batch_id, &who, quantity)?;
		batch.destroyed = batch.destroyed.checked_add(quantity).ok_or(ArithmeticError::Overflow)?;
		let fully_destroyed = batch.destroyed == batch.quantity;
		if fully_destroyed {
			batch.status = BatchStatus::Destroyed;
		}

		Self::set_holding(&mut batch, batch_id, &who, remaining);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::Destroyed { batch_id, holder: who, quantity, reason });
		if fully_destroyed {
			Self::deposit_event(Event::BatchFullyDestroyed { batch_id });
		}
		Ok(())
	}
}
