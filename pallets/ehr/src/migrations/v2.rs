//! Storage version 2: a record names the content id of its sealed object
//! ([`Record::content_id`](crate::Record::content_id), [`ContentRecords`]).
//!
//! Records stored by version 1 get `content_id: None`, which says that no vault serves them (a
//! vault finds a record by its content id, and these name none); [`ContentRecords`] starts
//! empty. Every record is rewritten in one block: the chains this runs on hold few records.
//! A chain holding many would run it as a multi-block migration (`pallet-migrations`) instead.

use crate::*;
#[cfg(any(feature = "try-runtime", test))]
use alloc::vec::Vec;
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::Weight, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::{Get, H256};

/// The storage of version 1, for the migration and its checks.
pub mod v1 {
	use super::*;

	/// A record as version 1 stored it: no content id.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub struct Record<AccountId, Balance, BlockNumber, TypeCode, Locator> {
		pub patient: AccountId,
		pub issuer: AccountId,
		pub type_code: TypeCode,
		pub commitment: H256,
		pub locator: Locator,
		pub size: u64,
		pub version: u32,
		pub supersedes: Option<RecordId>,
		pub status: RecordStatus,
		pub created_at: BlockNumber,
		pub depositor: AccountId,
		pub deposit: Balance,
	}

	/// A version-1 record of `T`.
	pub type RecordOf<T> =
		Record<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, TypeCodeOf<T>, LocatorOf<T>>;

	/// `Records` as version 1 stored it.
	#[frame_support::storage_alias]
	pub type Records<T: Config> = StorageMap<
		Pallet<T>,
		frame_support::Twox64Concat,
		RecordId,
		RecordOf<T>,
		frame_support::pallet_prelude::OptionQuery,
	>;
}

/// A version-1 record with the content id version 2 gives it: none.
fn upgrade<T: Config>(old: v1::RecordOf<T>) -> RecordOf<T> {
	Record {
		patient: old.patient,
		issuer: old.issuer,
		type_code: old.type_code,
		commitment: old.commitment,
		content_id: None,
		locator: old.locator,
		size: old.size,
		version: old.version,
		supersedes: old.supersedes,
		status: old.status,
		created_at: old.created_at,
		depositor: old.depositor,
		deposit: old.deposit,
	}
}

/// Rewrites every record with `content_id: None`. Use [`MigrateV1ToV2`], which runs it only at
/// storage version 1 and then sets version 2.
pub struct InnerMigrateV1ToV2<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut records: u64 = 0;
		Records::<T>::translate::<v1::RecordOf<T>, _>(|_, old| {
			records = records.saturating_add(1);
			Some(upgrade::<T>(old))
		});
		T::DbWeight::get().reads_writes(records, records)
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

/// Runs [`InnerMigrateV1ToV2`] once, at storage version 1, and sets version 2.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Every version-1 record, SCALE-encoded with its id: what [`post_upgrade_check`] compares.
#[cfg(any(feature = "try-runtime", test))]
pub(crate) fn pre_upgrade_snapshot<T: Config>() -> Vec<u8> {
	let records: Vec<(RecordId, v1::RecordOf<T>)> = v1::Records::<T>::iter().collect();
	records.encode()
}

/// After the upgrade: the same records with the same fields, each without a content id, and no
/// content id mapped to a record.
#[cfg(any(feature = "try-runtime", test))]
pub(crate) fn post_upgrade_check<T: Config>(
	snapshot: Vec<u8>,
) -> Result<(), sp_runtime::TryRuntimeError> {
	let before: Vec<(RecordId, v1::RecordOf<T>)> = Decode::decode(&mut snapshot.as_slice())
		.map_err(|_| "the pre-upgrade snapshot is unreadable")?;
	frame_support::ensure!(
		Records::<T>::iter().count() == before.len(),
		"the number of records changed"
	);
	for (id, old) in before {
		let new = Records::<T>::get(id).ok_or("a record is missing after the upgrade")?;
		frame_support::ensure!(new == upgrade::<T>(old), "a record changed in the upgrade");
	}
	frame_support::ensure!(
		ContentRecords::<T>::iter().next().is_none(),
		"a content id names a record after the upgrade"
	);
	Ok(())
}
