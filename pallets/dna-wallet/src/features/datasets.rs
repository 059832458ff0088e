//! Datasets: register, set allowed uses, rotate the data key and remove (crypto-shred) a dataset.

use crate::*;
use frame_support::{ensure, traits::Get};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_dataset(
		owner: T::AccountId,
		ciphertext_hash: H256,
		format: DatasetFormat,
		size: u64,
		encrypted_locator: LocatorOf<T>,
	) -> Result<DatasetId, DispatchError> {
		ensure!(!ciphertext_hash.is_zero(), Error::<T>::InvalidCiphertextHash);
		ensure!(!encrypted_locator.is_empty(), Error::<T>::InvalidLocator);
		let dataset = NextDatasetId::<T>::get();
		let next = dataset.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut ids = OwnerDatasets::<T>::get(&owner);
		ids.try_push(dataset).map_err(|_| Error::<T>::TooManyDatasets)?;
		let deposit = T::DatasetDeposit::get();
		Self::hold(HoldReason::DatasetDeposit, &owner, deposit)?;

		OwnerDatasets::<T>::insert(&owner, ids);
		NextDatasetId::<T>::put(next);
		Datasets::<T>::insert(
			dataset,
			Dataset {
				owner: owner.clone(),
				ciphertext_hash,
				format,
				size,
				encrypted_locator,
				key_version: 1,
				allowed_uses: Default::default(),
				share_count: 0,
				created_at: Self::now(),
				deposit,
			},
		);
		Self::deposit_event(Event::DatasetRegistered { dataset, owner, format, ciphertext_hash });
		Ok(dataset)
	}

	/// The dataset `dataset`, if `owner` owns it.
	pub(crate) fn owned_dataset(
		owner: &T::AccountId,
		dataset: DatasetId,
	) -> Result<DatasetOf<T>, DispatchError> {
		let info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		ensure!(info.owner == *owner, Error::<T>::NotAuthorized);
		Ok(info)
	}

	pub(crate) fn do_set_allowed_uses(
		owner: T::AccountId,
		dataset: DatasetId,
		allowed: UseTermsOf<T>,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		info.allowed_uses = allowed;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::AllowedUsesSet { dataset, owner });
		Ok(())
	}

	pub(crate) fn do_rotate_data_key(
		owner: T::AccountId,
		dataset: DatasetId,
		new_ciphertext_hash: H256,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		ensure!(
			!new_ciphertext_hash.is_zero() && new_ciphertext_hash != info.ciphertext_hash,
			Error::<T>::InvalidCiphertextHash
		);
		let key_version = info.key_version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		info.key_version = key_version;
		info.ciphertext_hash = new_ciphertext_hash;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DataKeyRotated {
			dataset,
			key_version,
			ciphertext_hash: new_ciphertext_hash,
		});
		Ok(())
	}

	/// Returns the number of shares removed.
	pub(crate) fn do_remove_dataset(
		owner: T::AccountId,
		dataset: DatasetId,
	) -> Result<u32, DispatchError> {
		let info = Self::owned_dataset(&owner, dataset)?;
		let mut ids = OwnerDatasets::<T>::get(&owner);
		ids.retain(|id| *id != dataset);

		// At most `MaxSharesPerDataset` entries: the dataset's own bounded count.
		let mut removed: u32 = 0;
		let mut deposits = BalanceOf::<T>::zero();
		for (_, share) in Shares::<T>::drain_prefix(dataset) {
			removed = removed.saturating_add(1);
			deposits = deposits.saturating_add(share.deposit);
		}
		Self::release(HoldReason::ShareDeposit, &owner, deposits);
		Self::release(HoldReason::DatasetDeposit, &owner, info.deposit);
		if ids.is_empty() {
			OwnerDatasets::<T>::remove(&owner);
		} else {
			OwnerDatasets::<T>::insert(&owner, ids);
		}
		Datasets::<T>::remove(dataset);
		Self::deposit_event(Event::DatasetRemoved { dataset, owner, shares_removed: removed });
		Ok(removed)
	}
}
