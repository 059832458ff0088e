//! Providers: registration, suspension, resumption, removal, and the active-provider check.

use crate::*;
use frame_support::ensure;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_provider(
		provider: T::AccountId,
		kind: ProviderKind,
		credential: CredentialOf<T>,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&provider), Error::<T>::ProviderAlreadyExists);
		Providers::<T>::insert(
			&provider,
			ProviderInfo {
				kind,
				credential,
				status: ProviderStatus::Active,
				registered_at: Self::now(),
			},
		);
		Self::deposit_event(Event::ProviderRegistered { provider, kind });
		Ok(())
	}

	pub(crate) fn do_set_provider_status(
		provider: T::AccountId,
		status: ProviderStatus,
	) -> DispatchResult {
		let mut info = Providers::<T>::get(&provider).ok_or(Error::<T>::ProviderNotFound)?;
		match status {
			ProviderStatus::Suspended => {
				ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderSuspended)
			},
			ProviderStatus::Active => {
				ensure!(info.status == ProviderStatus::Suspended, Error::<T>::ProviderNotSuspended)
			},
		}
		info.status = status;
		Providers::<T>::insert(&provider, info);
		Self::deposit_event(match status {
			ProviderStatus::Suspended => Event::ProviderSuspended { provider },
			ProviderStatus::Active => Event::ProviderResumed { provider },
		});
		Ok(())
	}

	pub(crate) fn do_deregister_provider(provider: T::AccountId) -> DispatchResult {
		ensure!(Providers::<T>::contains_key(&provider), Error::<T>::ProviderNotFound);
		Providers::<T>::remove(&provider);
		Self::deposit_event(Event::ProviderDeregistered { provider });
		Ok(())
	}

	/// `who` is a registered provider and not suspended; returns its kind.
	pub(crate) fn ensure_active_provider(
		who: &T::AccountId,
	) -> Result<ProviderKind, sp_runtime::DispatchError> {
		let info = Providers::<T>::get(who).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderSuspended);
		Ok(info.kind)
	}
}
