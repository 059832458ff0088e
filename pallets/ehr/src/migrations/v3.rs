//! Storage version 3: [`ContentRecords`] is keyed by content id and issuer.
//!
//! Version 2 let one record name a content id, so whoever named an object first in a record of
//! its own (content ids are public) kept the rightful issuer from adding the record of its own
//! upload. Each version-2 entry moves under its record's issuer; an entry whose record is gone
//! (none should be) is dropped. One block: the chains this runs on hold few records. A chain
//! holding many would run it as a multi-block migration (`pallet-migrations`) instead.

use crate::*;
use alloc::vec::Vec;
#[cfg(any(feature = "try-runtime", test))]
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::Weight, traits::UncheckedOnRuntimeUpgrade,
};
use sp_core::Get;

/// The storage of version 2, for the migration and its checks.
pub mod v2 {
	use super::*;

	/// `ContentRecords` as version 2 stored it: one record per content id.
	#[frame_support::storage_alias]
	pub type ContentRecords<T: Config> = StorageMap<
		Pallet<T>,
		frame_support::Blake2_128Concat,
		ContentId,
		RecordId,
		frame_support::pallet_prelude::OptionQuery,
	>;
}

/// Moves every content id's record under the record's issuer. Use [`MigrateV2ToV3`], which runs
/// it only at storage version 2 and then sets version 3.
pub struct InnerMigrateV2ToV3<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
	fn on_runtime_upgrade() -> Weight {
		// Drained whole before anything is written: the new keys share the old ones' prefix.
		let entries: Vec<(ContentId, RecordId)> = v2::ContentRecords::<T>::drain().collect();
		let moved = entries.len() as u64;
		for (content_id, record_id) in entries {
			if let Some(record) = Records::<T>::get(record_id) {
				ContentRecords::<T>::insert(content_id, record.issuer, record_id);
			}
		}
		// Per entry: the old entry read and removed, its record read, the new entry written.
		T::DbWeight::get().reads_writes(moved.saturating_mul(2), moved.saturating_mul(2))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		Ok(pre_upgrade_snapshot::<T>())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(snapshot: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		post_upgrade_check::<T>(snapshot)
	}
}

/// Runs [`InnerMigrateV2ToV3`] once, at storage version 2, and sets version 3.
pub type MigrateV2ToV3<T> = VersionedMigration<
	2,
	3,
	InnerMigrateV2ToV3<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Every version-2 entry of `ContentRecords`, SCALE-encoded: what [`post_upgrade_check`]
/// compares.
#[cfg(any(feature = "try-runtime", test))]
pub(crate) fn pre_upgrade_snapshot<T: Config>() -> Vec<u8> {
	let entries: Vec<(ContentId, RecordId)> = v2::ContentRecords::<T>::iter().collect();
	entries.encode()
}

/// After the upgrade: each entry whose record exists is found under (content id, the record's
/// issuer), and nothing else is.
#[cfg(any(feature = "try-runtime", test))]
pub(crate) fn post_upgrade_check<T: Config>(
	snapshot: Vec<u8>,
) -> Result<(), sp_runtime::TryRuntimeError> {
	let before: Vec<(ContentId, RecordId)> = Decode::decode(&mut snapshot.as_slice())
		.map_err(|_| "the pre-upgrade snapshot is unreadable")?;
	let mut kept: usize = 0;
	for (content_id, record_id) in before {
		let Some(record) = Records::<T>::get(record_id) else { continue };
		frame_support::ensure!(
			ContentRecords::<T>::get(content_id, &record.issuer) == Some(record_id),
			"a content id's record is not under its issuer after the upgrade"
		);
		kept = kept.saturating_add(1);
	}
	frame_support::ensure!(
		ContentRecords::<T>::iter().count() == kept,
		"the upgrade added a content id entry"
	);
	Ok(())
}
