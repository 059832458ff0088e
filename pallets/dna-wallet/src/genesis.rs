//! Genesis build: the chain spec's keys, organisations and datasets, registered through the same
//! `do_*` helpers as the calls. A chain spec that cannot be built fails one way:
//! [`genesis_failure`].

use crate::*;

impl<T: Config> Pallet<T> {
	/// Register the keys, organisations and datasets of `config`.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for (who, key_type, public_key) in &config.keys {
			let public_key = PublicKey::try_from(public_key.clone())
				.unwrap_or_else(|_| genesis_failure("public key longer than 65 bytes"));
			Pallet::<T>::do_register_key(who.clone(), public_key, *key_type)
				.unwrap_or_else(|_| genesis_failure("invalid key (type, duplicate, funds?)"));
		}
		for (organisation, kind) in &config.organisations {
			Pallet::<T>::do_register_organisation(organisation.clone(), *kind)
				.unwrap_or_else(|_| genesis_failure("organisation listed twice"));
		}
		for (owner, hash, format, size, locator, uses) in &config.datasets {
			let locator = LocatorOf::<T>::try_from(locator.clone())
				.unwrap_or_else(|_| genesis_failure("locator longer than MaxLocatorLen"));
			let uses = DataUsesOf::<T>::try_from(uses.clone())
				.unwrap_or_else(|_| genesis_failure("more uses than MaxUseCodes"));
			let dataset =
				Pallet::<T>::do_register_dataset(owner.clone(), *hash, *format, *size, locator)
					.unwrap_or_else(|_| genesis_failure("invalid dataset (hash, locator, funds?)"));
			Pallet::<T>::do_set_allowed_uses(
				owner.clone(),
				dataset,
				UseTerms { uses, commercial: false },
			)
			.unwrap_or_else(|_| genesis_failure("the dataset was just registered"));
		}
	}
}

/// Fail the genesis build with `what`.
// A chain spec that cannot be built must not start a chain, as pallet-balances' genesis.
#[allow(clippy::panic)]
pub(crate) fn genesis_failure(what: &str) -> ! {
	panic!("pallet-dna-wallet genesis: {what}")
}
