//! Genesis: partners, products and batches from the chain spec, and the one way to fail a bad one.

use crate::*;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Seed partners, products and batches. Genesis items carry no deposit. An invalid entry
	/// aborts chain-spec building through [`genesis_failure`].
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for p in &config.partners {
			if !gs1::is_valid_gln(&p.gln) {
				genesis_failure("genesis partner: invalid GLN");
			}
			if Partners::<T>::contains_key(&p.account) {
				genesis_failure("genesis partner: duplicate");
			}
			Partners::<T>::insert(
				&p.account,
				Partner {
					role: p.role,
					gln: p.gln,
					licence_ref: p.licence_ref,
					licensed_until: p.licensed_until,
					suspended: false,
				},
			);
		}
		for p in &config.products {
			if !gs1::is_valid_gtin(&p.gtin) {
				genesis_failure("genesis product: invalid GTIN");
			}
			if Products::<T>::contains_key(p.gtin) {
				genesis_failure("genesis product: duplicate GTIN");
			}
			let owner = Partners::<T>::get(&p.manufacturer);
			if !owner.is_some_and(|o| o.role.can_register_products()) {
				genesis_failure("genesis product: manufacturer is not a genesis manufacturer");
			}
			Products::<T>::insert(
				p.gtin,
				Product {
					manufacturer: p.manufacturer.clone(),
					metadata_commitment: p.metadata_commitment,
					batch_count: 0,
					deposit: Zero::zero(),
				},
			);
		}
		for b in &config.batches {
			let Some(mut product) = Products::<T>::get(b.gtin) else {
				genesis_failure("genesis batch: unknown GTIN");
			};
			let Ok(lot) = Lot::try_from(b.lot.clone()) else {
				genesis_failure("genesis batch: lot too long");
			};
			if !gs1::is_valid_lot(&lot) {
				genesis_failure("genesis batch: invalid lot");
			}
			if BatchIds::<T>::contains_key(b.gtin, &lot) {
				genesis_failure("genesis batch: duplicate lot");
			}
			if b.quantity == 0 {
				genesis_failure("genesis batch: zero quantity");
			}
			if b.code_count < b.quantity || b.code_count > T::MaxCodesPerBatch::get() {
				genesis_failure("genesis batch: invalid code count");
			}
			let batch_id = NextBatchId::<T>::get();
			product.batch_count = product.batch_count.saturating_add(1);
			Self::insert_batch(
				batch_id,
				Batch {
					gtin: b.gtin,
					lot,
					manufacturer: product.manufacturer.clone(),
					expiry: b.expiry,
					quantity: b.quantity,
					certificate_hash: b.certificate_hash,
					codes_root: b.codes_root,
					code_count: b.code_count,
					status: BatchStatus::Active,
					registered_at: Zero::zero(),
					deposit: Zero::zero(),
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
			Products::<T>::insert(b.gtin, product);
			NextBatchId::<T>::put(batch_id.saturating_add(1));
		}
	}
}

/// Abort genesis building with `what` (never reached by a valid chain spec).
// A chain spec that cannot be built must not start a chain, as pallet-balances' genesis.
#[allow(clippy::panic)]
pub(crate) fn genesis_failure(what: &str) -> ! {
	panic!("pallet-drug-provenance genesis: {what}")
}
