//! Storage version 2: orders indexed by content id ([`ContentOrders`]) and replicas by provider
//! and content id ([`ProviderContent`]), one replica of an object per provider.
//!
//! Version 1 had neither index. This migration fills both from [`Orders`] and [`Replicas`]. A
//! provider holding one object under two orders (which version 1 allowed, and paid twice) keeps
//! the replica of the lower order id; the other ends (`ReplicaEnded`, reason `Dropped`), and its
//! order's place is free for another provider. Every order and replica is read in one block:
//! the chains this runs on hold few. A chain holding many would run it as a multi-block
//! migration (`pallet-migrations`) instead.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::Weight, traits::UncheckedOnRuntimeUpgrade,
};
use sp_core::Get;

/// Fills [`ContentOrders`] and [`ProviderContent`]. Use [`MigrateV1ToV2`], which runs it only
/// at storage version 1 and then sets version 2.
pub struct InnerMigrateV1ToV2<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut content_of = BTreeMap::new();
		for (id, order) in Orders::<T>::iter() {
			ContentOrders::<T>::insert((order.content_id, &order.owner, id), ());
			content_of.insert(id, order.content_id);
		}
		let orders = content_of.len() as u64;
		// By order id, so that the replica a provider keeps does not depend on storage order.
		let mut replicas: Vec<(OrderId, T::AccountId)> = Replicas::<T>::iter_keys().collect();
		replicas.sort_by_key(|(id, _)| *id);
		let mut duplicates = Vec::new();
		for (id, provider) in replicas.iter() {
			let Some(content_id) = content_of.get(id) else { continue };
			if ProviderContent::<T>::contains_key(provider, content_id) {
				duplicates.push((*id, provider.clone()));
			} else {
				ProviderContent::<T>::insert(provider, content_id, id);
			}
		}
		for (id, provider) in duplicates.iter() {
			Pallet::<T>::end_replica(*id, provider, ReplicaEnd::Dropped);
		}
		let replicas = replicas.len() as u64;
		// Each ended replica touches about a dozen items (its indexes and two pool moves).
		let ended = (duplicates.len() as u64).saturating_mul(12);
		T::DbWeight::get().reads_writes(
			orders.saturating_add(replicas).saturating_add(ended),
			orders.saturating_add(replicas).saturating_add(ended),
		)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		Pallet::<T>::do_try_state()
	}
}

/// Runs [`InnerMigrateV1ToV2`] once, at storage version 1, and sets version 2.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
