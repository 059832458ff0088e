//! Shares: wrap a dataset's data key to a recipient's key, revoke it, and clean up dead shares.

use crate::*;
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use frame_support::{ensure, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_share_key(
		owner: T::AccountId,
		dataset: DatasetId,
		recipient: T::AccountId,
		recipient_key_id: KeyId,
		wrapped_key: WrappedKeyOf<T>,
		expires_at: BlockNumberFor<T>,
		purpose: SharePurpose,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		ensure!(!wrapped_key.is_empty(), Error::<T>::InvalidWrappedKey);
		let now = Self::now();
		ensure!(expires_at > now, Error::<T>::Expired);
		Self::live_key(&recipient, recipient_key_id)?;
		let deposit = match Shares::<T>::get(dataset, &recipient) {
			Some(old) => {
				ensure!(old.study.is_none(), Error::<T>::ShareAlreadyExists);
				old.deposit
			},
			None => {
				ensure!(
					info.share_count < T::MaxSharesPerDataset::get(),
					Error::<T>::TooManyShares
				);
				let deposit = T::ShareDeposit::get();
				Self::hold(HoldReason::ShareDeposit, &owner, deposit)?;
				info.share_count = info.share_count.saturating_add(1);
				deposit
			},
		};
		let key_version = info.key_version;
		Datasets::<T>::insert(dataset, info);
		Shares::<T>::insert(
			dataset,
			&recipient,
			Share {
				recipient_key_id,
				wrapped_key,
				key_version,
				expires_at,
				purpose,
				study: None,
				created_at: now,
				deposit,
			},
		);
		Self::deposit_event(Event::KeyShared {
			dataset,
			recipient,
			recipient_key_id,
			key_version,
			expires_at,
			purpose,
		});
		Ok(())
	}

	/// Remove the share of `dataset` to `recipient` from storage and `info`'s count and release
	/// its deposit to the owner. The caller stores `info`.
	pub(crate) fn take_share(
		info: &mut DatasetOf<T>,
		dataset: DatasetId,
		recipient: &T::AccountId,
		share: &ShareOf<T>,
	) {
		Shares::<T>::remove(dataset, recipient);
		info.share_count = info.share_count.saturating_sub(1);
		Self::release(HoldReason::ShareDeposit, &info.owner, share.deposit);
	}

	pub(crate) fn do_revoke_share(
		owner: T::AccountId,
		dataset: DatasetId,
		recipient: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&owner, dataset)?;
		let share = Shares::<T>::get(dataset, &recipient).ok_or(Error::<T>::ShareNotFound)?;
		Self::take_share(&mut info, dataset, &recipient, &share);
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::ShareRevoked { dataset, recipient });
		Ok(())
	}

	/// Whether `share` (of `info`, to `recipient`) decrypts the current ciphertext at `now`. A
	/// study's share also needs its recipient to be a registered organisation: one the
	/// registrar deregistered (a compute service whose attestation was revoked, say) loses
	/// access at once.
	pub(crate) fn share_is_live(
		info: &DatasetOf<T>,
		recipient: &T::AccountId,
		share: &ShareOf<T>,
		now: &BlockNumberFor<T>,
	) -> bool {
		share.key_version == info.key_version
			&& *now < share.expires_at
			&& (share.study.is_none() || Organisations::<T>::contains_key(recipient))
			&& Self::live_key(recipient, share.recipient_key_id).is_ok()
	}

	pub(crate) fn do_remove_expired_shares(
		dataset: DatasetId,
		recipients: BoundedVec<T::AccountId, T::MaxCleanupBatch>,
	) -> DispatchResult {
		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::DatasetNotFound)?;
		let now = Self::now();
		let mut seen = BTreeSet::new();
		let mut dead = Vec::with_capacity(recipients.len());
		for recipient in recipients {
			ensure!(seen.insert(recipient.clone()), Error::<T>::DuplicateTarget);
			let share = Shares::<T>::get(dataset, &recipient).ok_or(Error::<T>::ShareNotFound)?;
			ensure!(!Self::share_is_live(&info, &recipient, &share, &now), Error::<T>::ShareLive);
			dead.push((recipient, share));
		}
		for (recipient, share) in dead {
			Self::take_share(&mut info, dataset, &recipient, &share);
			Self::deposit_event(Event::DeadShareRemoved { dataset, recipient });
		}
		Datasets::<T>::insert(dataset, info);
		Ok(())
	}
}
