//! Products and batches: registering and deregistering products, registering batches, and the
//! batch status check of the areas that move packs.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{traits::Saturating, ArithmeticError};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_product(
		who: T::AccountId,
		gtin: Gtin,
		metadata_commitment: H256,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		ensure!(partner.role.can_register_products(), Error::<T>::NotAuthorized);
		ensure!(gs1::is_valid_gtin(&gtin), Error::<T>::InvalidGtin);
		ensure!(!Products::<T>::contains_key(gtin), Error::<T>::ProductAlreadyExists);

		let deposit = T::ProductDeposit::get();
		Self::hold(HoldReason::ProductDeposit, &who, deposit)?;
		Products::<T>::insert(
			gtin,
			Product { manufacturer: who.clone(), metadata_commitment, batch_count: 0, deposit },
		);
		Self::deposit_event(Event::ProductRegistered {
			gtin,
			manufacturer: who,
			metadata_commitment,
		});
		Ok(())
	}

	pub(crate) fn do_deregister_product(who: T::AccountId, gtin: Gtin) -> DispatchResult {
		let product = Products::<T>::get(gtin).ok_or(Error::<T>::ProductNotFound)?;
		ensure!(product.manufacturer == who, Error::<T>::NotAuthorized);
		ensure!(product.batch_count == 0, Error::<T>::ProductInUse);

		Self::release(HoldReason::ProductDeposit, &who, product.deposit);
		Products::<T>::remove(gtin);
		Self::deposit_event(Event::ProductDeregistered { gtin });
		Ok(())
	}

	/// The deposit for a batch of `code_count` codes.
	pub fn batch_deposit(code_count: u32) -> BalanceOf<T> {
		T::BatchDeposit::get()
			.saturating_add(T::PackRecordDeposit::get().saturating_mul(code_count.into()))
	}

	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_register_batch(
		who: T::AccountId,
		gtin: Gtin,
		lot: Lot,
		expiry: BlockNumberFor<T>,
		quantity: u32,
		certificate_hash: H256,
		codes_root: H256,
		code_count: u32,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		ensure!(partner.role.can_register_products(), Error::<T>::NotAuthorized);
		let mut product = Products::<T>::get(gtin).ok_or(Error::<T>::ProductNotFound)?;
		ensure!(product.manufacturer == who, Error::<T>::NotAuthorized);
		ensure!(gs1::is_valid_lot(&lot), Error::<T>::InvalidLot);
		ensure!(!BatchIds::<T>::contains_key(gtin, &lot), Error::<T>::BatchAlreadyExists);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expiry > now, Error::<T>::InvalidExpiry);
		ensure!(quantity > 0, Error::<T>::ZeroQuantity);
		ensure!(
			code_count >= quantity && code_count <= T::MaxCodesPerBatch::get(),
			Error::<T>::InvalidCodeCount
		);
		let batch_id = NextBatchId::<T>::get();
		let next_batch_id = batch_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		product.batch_count =
			product.batch_count.checked_add(1).ok_or(ArithmeticError::Overflow)?;

		let deposit = Self::batch_deposit(code_count);
		Self::hold(HoldReason::BatchDeposit, &who, deposit)?;
		Self::insert_batch(
			batch_id,
			Batch {
				gtin,
				lot: lot.clone(),
				manufacturer: who.clone(),
				expiry,
				quantity,
				certificate_hash,
				codes_root,
				code_count,
				status: BatchStatus::Active,
				registered_at: now,
				deposit,
				pending: 0,
				dispensed: 0,
				destroyed: 0,
				holder_count: 1,
				transfer_count: 0,
				verified_packs: 0,
				alarmed_packs: 0,
				clone_alarms: 0,
			},
		);
		NextBatchId::<T>::put(next_batch_id);
		Products::<T>::insert(gtin, product);
		Self::deposit_event(Event::BatchRegistered {
			batch_id,
			gtin,
			lot,
			manufacturer: who,
			quantity,
			expiry,
			codes_root,
			code_count,
		});
		Ok(())
	}

	/// Write a new batch, its lot index and the manufacturer's holding of all of it.
	pub(crate) fn insert_batch(batch_id: BatchId, batch: BatchOf<T>) {
		BatchIds::<T>::insert(batch.gtin, &batch.lot, batch_id);
		Holdings::<T>::insert(batch_id, &batch.manufacturer, batch.quantity);
		Batches::<T>::insert(batch_id, batch);
	}

	/// Ok if the batch may move or be dispensed at the current block, else the error naming its
	/// status.
	pub(crate) fn ensure_movable(batch: &BatchOf<T>) -> DispatchResult {
		match batch.effective_status(&frame_system::Pallet::<T>::block_number()) {
			BatchStatus::Active => Ok(()),
			BatchStatus::Quarantined => Err(Error::<T>::BatchQuarantined.into()),
			BatchStatus::Recalled => Err(Error::<T>::BatchRecalled.into()),
			BatchStatus::Expired => Err(Error::<T>::BatchExpired.into()),
			BatchStatus::Destroyed => Err(Error::<T>::BatchDestroyed.into()),
			BatchStatus::Retiring | BatchStatus::Retired => Err(Error::<T>::BatchRetired.into()),
		}
	}
}
