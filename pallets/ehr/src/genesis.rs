//! Genesis build: the providers, demo grants and demo records of the chain spec. A chain spec that
//! cannot be built fails in one way, [`genesis_failure`].

use crate::*;

/// Stop building a genesis that cannot be built, naming what is wrong.
// A chain spec that cannot be built must not start a chain, as pallet-balances' genesis.
#[allow(clippy::panic)]
pub(crate) fn genesis_failure(what: &str) -> ! {
	panic!("pallet-ehr genesis: {what}")
}

impl<T: Config> Pallet<T> {
	/// Register the providers, then grant the grants, then add the records of `config`.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for (provider, kind, credential) in &config.providers {
			let credential = CredentialOf::<T>::try_from(credential.clone()).unwrap_or_else(|_| {
				genesis_failure("provider credential longer than MaxCredentialLen")
			});
			Pallet::<T>::do_register_provider(provider.clone(), *kind, credential)
				.unwrap_or_else(|_| genesis_failure("provider listed twice"));
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (patient, grantee, actions, purpose, expires_at) in &config.grants {
			// Not checked against the key registry: the registry's pallet (pallet-dna-wallet)
			// builds its genesis after this one, so its keys are not there yet.
			Pallet::<T>::ensure_valid_grant(
				patient,
				grantee,
				&GrantScope::All,
				actions,
				&now,
				expires_at,
				None,
				&now,
			)
			.and_then(|()| {
				Pallet::<T>::store_grant(
					patient.clone(),
					patient.clone(),
					grantee.clone(),
					GrantScope::All,
					*actions,
					*purpose,
					now,
					*expires_at,
					None,
				)
			})
			.unwrap_or_else(|_| {
				genesis_failure("invalid grant (grantee registered? patient funded?)")
			});
		}
		for (patient, issuer, type_code, commitment, content_id, locator, size) in &config.records {
			let type_code = TypeCodeOf::<T>::try_from(type_code.clone())
				.unwrap_or_else(|_| genesis_failure("type code longer than MaxTypeCodeLen"));
			let locator = LocatorOf::<T>::try_from(locator.clone())
				.unwrap_or_else(|_| genesis_failure("locator longer than MaxLocatorLen"));
			Pallet::<T>::do_add_record(
				issuer.clone(),
				patient.clone(),
				type_code,
				*commitment,
				*content_id,
				locator,
				*size,
			)
			.unwrap_or_else(|_| {
				genesis_failure("invalid record (append grant? issuer funded? content id unique?)")
			});
		}
	}
}
