//! Keys: register, rotate, revoke and remove an account's public key-agreement keys.

use crate::*;
use frame_support::{ensure, traits::Get};
use sp_runtime::{ArithmeticError, DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Check a new key for `who`'s `keys` and hold its deposit; returns the key to push and the
	/// next key id. Writes nothing but the hold.
	pub(crate) fn new_key(
		who: &T::AccountId,
		keys: &KeyListOf<T>,
		public_key: PublicKey,
		key_type: KeyType,
	) -> Result<(KeyInfoOf<T>, KeyId), DispatchError> {
		ensure!(key_type.accepts(&public_key), Error::<T>::InvalidPublicKey);
		ensure!(!keys.iter().any(|k| k.public_key == public_key), Error::<T>::KeyAlreadyExists);
		ensure!((keys.len() as u32) < T::MaxKeysPerAccount::get(), Error::<T>::TooManyKeys);
		let id = NextKeyId::<T>::get();
		let next = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::KeyDeposit::get();
		Self::hold(HoldReason::KeyDeposit, who, deposit)?;
		Ok((
			KeyInfo {
				id,
				key_type,
				public_key,
				created_at: Self::now(),
				revoked_at: None,
				deposit,
			},
			next,
		))
	}

	/// Push a key checked by [`Self::new_key`] and store the list.
	pub(crate) fn store_new_key(
		who: &T::AccountId,
		mut keys: KeyListOf<T>,
		key: KeyInfoOf<T>,
		next: KeyId,
	) -> DispatchResult {
		keys.try_push(key).map_err(|_| Error::<T>::TooManyKeys)?;
		NextKeyId::<T>::put(next);
		Keys::<T>::insert(who, keys);
		Ok(())
	}

	pub(crate) fn do_register_key(
		who: T::AccountId,
		public_key: PublicKey,
		key_type: KeyType,
	) -> Result<KeyId, DispatchError> {
		let keys = Keys::<T>::get(&who);
		let (key, next) = Self::new_key(&who, &keys, public_key, key_type)?;
		let key_id = key.id;
		Self::store_new_key(&who, keys, key, next)?;
		Self::deposit_event(Event::KeyRegistered { who, key_id, key_type });
		Ok(key_id)
	}

	pub(crate) fn do_rotate_key(
		who: T::AccountId,
		old_key_id: KeyId,
		public_key: PublicKey,
		key_type: KeyType,
	) -> DispatchResult {
		let mut keys = Keys::<T>::get(&who);
		let old = keys.iter_mut().find(|k| k.id == old_key_id).ok_or(Error::<T>::KeyNotFound)?;
		ensure!(old.is_live(), Error::<T>::KeyRevoked);
		old.revoked_at = Some(Self::now());
		let (key, next) = Self::new_key(&who, &keys, public_key, key_type)?;
		let new_key_id = key.id;
		Self::store_new_key(&who, keys, key, next)?;
		Self::deposit_event(Event::KeyRotated { who, old_key_id, new_key_id });
		Ok(())
	}

	pub(crate) fn do_revoke_key(who: T::AccountId, key_id: KeyId) -> DispatchResult {
		let mut keys = Keys::<T>::get(&who);
		let key = keys.iter_mut().find(|k| k.id == key_id).ok_or(Error::<T>::KeyNotFound)?;
		ensure!(key.is_live(), Error::<T>::KeyRevoked);
		key.revoked_at = Some(Self::now());
		Keys::<T>::insert(&who, keys);
		Self::deposit_event(Event::KeyRevoked { who, key_id });
		Ok(())
	}

	pub(crate) fn do_remove_key(who: T::AccountId, key_id: KeyId) -> DispatchResult {
		let mut keys = Keys::<T>::get(&who);
		let index = keys.iter().position(|k| k.id == key_id).ok_or(Error::<T>::KeyNotFound)?;
		let key = keys.remove(index);
		ensure!(!key.is_live(), Error::<T>::KeyNotRevoked);
		Self::release(HoldReason::KeyDeposit, &who, key.deposit);
		if keys.is_empty() {
			Keys::<T>::remove(&who);
		} else {
			Keys::<T>::insert(&who, keys);
		}
		Self::deposit_event(Event::KeyRemoved { who, key_id });
		Ok(())
	}

	/// `who`'s key `key_id`, if it is registered and live.
	pub(crate) fn live_key(
		who: &T::AccountId,
		key_id: KeyId,
	) -> Result<KeyInfoOf<T>, DispatchError> {
		let key = Keys::<T>::get(who)
			.into_iter()
			.find(|k| k.id == key_id)
			.ok_or(Error::<T>::KeyNotFound)?;
		ensure!(key.is_live(), Error::<T>::KeyRevoked);
		Ok(key)
	}
}

/// The registry as pallet-ehr sees it (the runtime wires it as `pallet_ehr::Config::KeyRegistry`).
impl<T: Config> medchain_keys::KeyAgreementRegistry<T::AccountId> for Pallet<T> {
	fn has_sealing_key(who: &T::AccountId) -> bool {
		Keys::<T>::get(who).iter().any(|k| k.is_live() && k.key_type == KeyType::X25519)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_up_sealing_key(who: &T::AccountId) {
		use sp_runtime::traits::Zero;
		let id = NextKeyId::<T>::get();
		let key = KeyInfo {
			id,
			key_type: KeyType::X25519,
			public_key: PublicKey::truncate_from([0x5a; 32].to_vec()),
			created_at: Self::now(),
			revoked_at: None,
			// No hold: the benchmark's account need not be funded, and nothing removes the key.
			deposit: Zero::zero(),
		};
		Keys::<T>::mutate(who, |keys| {
			if keys.try_push(key).is_ok() {
				NextKeyId::<T>::put(id.saturating_add(1));
			}
		});
	}
}
