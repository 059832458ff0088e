//! Read helpers behind the `DnaWalletApi` runtime API. Each is bounded by a [`Config`] cap.

use crate::*;
use alloc::vec::Vec;

impl<T: Config> Pallet<T> {
	/// The keys of `account`, oldest first, revoked ones included until removed (at most
	/// [`Config::MaxKeysPerAccount`]).
	pub fn keys(account: T::AccountId) -> Vec<KeyViewOf<T>> {
		Keys::<T>::get(&account)
			.into_iter()
			.map(|k| KeyView {
				id: k.id,
				key_type: k.key_type,
				public_key: k.public_key.into_inner(),
				created_at: k.created_at,
				revoked_at: k.revoked_at,
			})
			.collect()
	}

	/// The datasets of `owner`, oldest first (at most [`Config::MaxDatasetsPerOwner`]).
	pub fn datasets(owner: T::AccountId) -> Vec<DatasetViewOf<T>> {
		OwnerDatasets::<T>::get(&owner)
			.into_iter()
			.filter_map(|id| {
				Datasets::<T>::get(id).map(|d| DatasetView {
					id,
					owner: d.owner,
					ciphertext_hash: d.ciphertext_hash,
					format: d.format,
					size: d.size,
					encrypted_locator: d.encrypted_locator.into_inner(),
					key_version: d.key_version,
					allowed_uses: d.allowed_uses.uses.into_inner(),
					commercial_allowed: d.allowed_uses.commercial,
					share_count: d.share_count,
					created_at: d.created_at,
				})
			})
			.collect()
	}

	/// The shares of `dataset`, dead ones included with `decryptable: false` (at most
	/// [`Config::MaxSharesPerDataset`]).
	pub fn shares(dataset: DatasetId) -> Vec<ShareViewOf<T>> {
		let Some(info) = Datasets::<T>::get(dataset) else { return Vec::new() };
		let now = Self::now();
		Shares::<T>::iter_prefix(dataset)
			.map(|(recipient, share)| {
				let decryptable = Self::share_is_live(&info, &recipient, &share, &now);
				ShareView {
					recipient,
					recipient_key_id: share.recipient_key_id,
					wrapped_key: share.wrapped_key.into_inner(),
					key_version: share.key_version,
					expires_at: share.expires_at,
					purpose: share.purpose,
					study: share.study,
					decryptable,
				}
			})
			.collect()
	}

	/// Whether `recipient` holds a live share of `dataset`: of the current data-key version,
	/// not expired, wrapped to a key that is registered and not revoked (and, for a study's
	/// share, held by a registered organisation).
	pub fn can_decrypt(dataset: DatasetId, recipient: T::AccountId) -> bool {
		let Some(info) = Datasets::<T>::get(dataset) else { return false };
		Shares::<T>::get(dataset, &recipient)
			.is_some_and(|share| Self::share_is_live(&info, &recipient, &share, &Self::now()))
	}

	/// The studies on chain, oldest first, only those taking consents now if `open_only` (at
	/// most [`Config::MaxStudies`]).
	pub fn studies(open_only: bool) -> Vec<StudyViewOf<T>> {
		let now = Self::now();
		StudyIndex::<T>::get()
			.into_iter()
			.filter_map(|id| Studies::<T>::get(id).map(|s| (id, s)))
			.filter(|(_, s)| {
				!open_only
					|| (s.status == StudyStatus::Open
						&& now < s.expires_at
						&& s.participants < s.max_participants)
			})
			.map(|(id, s)| StudyView {
				id,
				organisation: s.organisation,
				uses: s.terms.uses.into_inner(),
				commercial: s.terms.commercial,
				formats: s.formats.into_inner(),
				ethics_commitment: s.ethics_commitment,
				budget: s.budget,
				price: s.price,
				max_participants: s.max_participants,
				participants: s.participants,
				pending: s.pending,
				accepted: s.accepted,
				escrow: s.escrow,
				mode: s.mode,
				recipient: s.recipient,
				recipient_key_id: s.recipient_key_id,
				expires_at: s.expires_at,
				status: s.status,
			})
			.collect()
	}
}
