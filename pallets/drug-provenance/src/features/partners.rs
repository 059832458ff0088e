//! Partners: licensing, suspension and licence renewal, and the origin checks the other areas
//! use (an active partner, the registrar or a regulator).

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::{
	ensure_signed,
	pallet_prelude::{BlockNumberFor, OriginFor},
};
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// The partner record of `who` if it may act now.
	pub(crate) fn ensure_active_partner(who: &T::AccountId) -> Result<PartnerOf<T>, DispatchError> {
		let partner = Partners::<T>::get(who).ok_or(Error::<T>::PartnerNotFound)?;
		ensure!(!partner.suspended, Error::<T>::PartnerSuspended);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < partner.licensed_until, Error::<T>::LicenceExpired);
		Ok(partner)
	}

	/// [`Config::RegistrarOrigin`] as [`Actor::Registrar`], or a signed active partner.
	pub(crate) fn ensure_registrar_or_partner(
		origin: OriginFor<T>,
	) -> Result<(ActorOf<T>, Option<PartnerOf<T>>), DispatchError> {
		match T::RegistrarOrigin::try_origin(origin) {
			Ok(_) => Ok((Actor::Registrar, None)),
			Err(origin) => {
				let who = ensure_signed(origin)?;
				let partner = Self::ensure_active_partner(&who)?;
				Ok((Actor::Partner(who), Some(partner)))
			},
		}
	}

	/// [`Config::RegistrarOrigin`] or a signed active regulator partner.
	pub(crate) fn ensure_regulator(origin: OriginFor<T>) -> Result<ActorOf<T>, DispatchError> {
		let (actor, partner) = Self::ensure_registrar_or_partner(origin)?;
		if let Some(partner) = partner {
			ensure!(partner.role == PartnerRole::Regulator, Error::<T>::NotAuthorized);
		}
		Ok(actor)
	}

	pub(crate) fn do_register_partner(
		account: T::AccountId,
		role: PartnerRole,
		gln: Gln,
		licence_ref: H256,
		licensed_until: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(!Partners::<T>::contains_key(&account), Error::<T>::PartnerAlreadyExists);
		ensure!(gs1::is_valid_gln(&gln), Error::<T>::InvalidGln);
		ensure!(
			licensed_until > frame_system::Pallet::<T>::block_number(),
			Error::<T>::InvalidLicencePeriod
		);
		Partners::<T>::insert(
			&account,
			Partner { role, gln, licence_ref, licensed_until, suspended: false },
		);
		Self::deposit_event(Event::PartnerRegistered { account, role, gln, licensed_until });
		Ok(())
	}

	pub(crate) fn do_set_suspended(account: T::AccountId, suspended: bool) -> DispatchResult {
		let mut partner = Partners::<T>::get(&account).ok_or(Error::<T>::PartnerNotFound)?;
		if suspended {
			ensure!(!partner.suspended, Error::<T>::AlreadySuspended);
		} else {
			ensure!(partner.suspended, Error::<T>::NotSuspended);
		}
		partner.suspended = suspended;
		Partners::<T>::insert(&account, partner);
		Self::deposit_event(if suspended {
			Event::PartnerSuspended { account }
		} else {
			Event::PartnerReinstated { account }
		});
		Ok(())
	}

	pub(crate) fn do_renew_licence(
		account: T::AccountId,
		licensed_until: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut partner = Partners::<T>::get(&account).ok_or(Error::<T>::PartnerNotFound)?;
		ensure!(
			licensed_until > frame_system::Pallet::<T>::block_number(),
			Error::<T>::InvalidLicencePeriod
		);
		partner.licensed_until = licensed_until;
		Partners::<T>::insert(&account, partner);
		Self::deposit_event(Event::LicenceRenewed { account, licensed_until });
		Ok(())
	}
}
