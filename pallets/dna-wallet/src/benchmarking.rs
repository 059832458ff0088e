//! Benchmarks for the DNA-wallet pallet: the worst case of every call.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as DnaWallet;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn far<T: Config>() -> BlockNumberFor<T> {
	now::<T>().saturating_add(1_000u32.into())
}

/// What one study participant is paid in the benchmarks.
fn price<T: Config>() -> BalanceOf<T> {
	T::KeyDeposit::get()
}

/// An account funded for every deposit and budget it could be asked for.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let deposits = T::KeyDeposit::get()
		+ T::DatasetDeposit::get()
		+ T::ShareDeposit::get()
		+ T::StudyDeposit::get()
		+ T::StudyDepositPerParticipant::get() * T::MaxParticipants::get().into()
		+ T::ConsentDeposit::get()
		+ T::GuardianDeposit::get()
		+ price::<T>() * T::MaxParticipants::get().into();
	let times = T::MaxKeysPerAccount::get()
		+ T::MaxDatasetsPerOwner::get()
		+ T::MaxSharesPerDataset::get()
		+ 100;
	T::Currency::set_balance(&who, T::Currency::minimum_balance() + deposits * times.into());
	who
}

/// The X25519 public key number `i`: distinct for every `i`, never all zero.
fn public_key(i: u32) -> PublicKey {
	let mut key = vec![0xAA; 32];
	key[..4].copy_from_slice(&i.saturating_add(1).to_le_bytes());
	BoundedVec::truncate_from(key)
}

/// Register `n` keys of `who`; returns the id of the last.
fn fill_keys<T: Config>(who: &T::AccountId, n: u32) -> KeyId {
	let mut last = 0;
	for i in 0..n {
		last =
			DnaWallet::<T>::do_register_key(who.clone(), public_key(i), KeyType::X25519).unwrap();
	}
	last
}

fn max_locator<T: Config>() -> LocatorOf<T> {
	BoundedVec::truncate_from(vec![0xAB; T::MaxLocatorLen::get() as usize])
}

fn max_wrapped<T: Config>() -> WrappedKeyOf<T> {
	BoundedVec::truncate_from(vec![0xCD; T::MaxWrappedKeyLen::get() as usize])
}

/// `MaxUseCodes` uses with `last` at the end, so that matching scans all of them.
fn max_uses<T: Config>(last: DataUse, commercial: bool) -> UseTermsOf<T> {
	let mut uses: Vec<DataUse> =
		(1..T::MaxUseCodes::get()).map(|i| DataUse::DiseaseSpecific(100_000 + i)).collect();
	uses.push(last);
	UseTerms { uses: BoundedVec::truncate_from(uses), commercial }
}

fn all_formats() -> FormatList {
	BoundedVec::truncate_from(vec![
		DatasetFormat::Other,
		DatasetFormat::Fastq,
		DatasetFormat::Bam,
		DatasetFormat::Cram,
		DatasetFormat::Vcf,
	])
}

fn dataset<T: Config>(owner: &T::AccountId, tag: u8) -> DatasetId {
	DnaWallet::<T>::do_register_dataset(
		owner.clone(),
		H256::repeat_byte(tag.max(1)),
		DatasetFormat::Vcf,
		1 << 30,
		max_locator::<T>(),
	)
	.unwrap()
}

/// A funded recipient with `MaxKeysPerAccount` keys; returns it and its last key.
fn recipient<T: Config>(name: &'static str, index: u32) -> (T::AccountId, KeyId) {
	let who = funded::<T>(name, index);
	let key = fill_keys::<T>(&who, T::MaxKeysPerAccount::get());
	(who, key)
}

fn share<T: Config>(
	owner: &T::AccountId,
	dataset: DatasetId,
	to: &T::AccountId,
	key: KeyId,
	expires_at: BlockNumberFor<T>,
) {
	DnaWallet::<T>::do_share_key(
		owner.clone(),
		dataset,
		to.clone(),
		key,
		max_wrapped::<T>(),
		expires_at,
		SharePurpose::Clinical,
	)
	.unwrap();
}

/// A research organisation with a full key list; returns it and its last key.
fn research_org<T: Config>(index: u32) -> (T::AccountId, KeyId) {
	let (org, key) = recipient::<T>("organisation", index);
	DnaWallet::<T>::do_register_organisation(org.clone(), OrganisationKind::Research).unwrap();
	(org, key)
}

/// An open direct study of a fresh organisation for `MaxParticipants` participants, accepting
/// every format, with `MaxUseCodes` purposes; returns it and the organisation.
fn study<T: Config>() -> (StudyId, T::AccountId) {
	let (org, key) = research_org::<T>(0);
	let max = T::MaxParticipants::get();
	let id = DnaWallet::<T>::do_create_study(
		org.clone(),
		max_uses::<T>(DataUse::DiseaseSpecific(5148), false),
		all_formats(),
		H256::repeat_byte(0xE1),
		price::<T>() * max.into(),
		max,
		StudyMode::Direct,
		org.clone(),
		key,
		far::<T>(),
	)
	.unwrap();
	(id, org)
}

/// A dataset of a fresh owner allowing everything, the allowing code last.
fn research_dataset<T: Config>(index: u32) -> (T::AccountId, DatasetId) {
	let owner = funded::<T>("owner", index);
	let id = dataset::<T>(&owner, 1);
	DnaWallet::<T>::do_set_allowed_uses(
		owner.clone(),
		id,
		max_uses::<T>(DataUse::GeneralResearch, true),
	)
	.unwrap();
	(owner, id)
}

/// Owner `index` consents a fresh dataset to `study`; returns the owner and the dataset.
fn consented<T: Config>(study: StudyId, index: u32) -> (T::AccountId, DatasetId) {
	let (owner, id) = research_dataset::<T>(index);
	DnaWallet::<T>::do_consent(owner.clone(), study, id, max_wrapped::<T>()).unwrap();
	(owner, id)
}

/// Owner `index` consents to `study` and the organisation `org` accepts.
fn accepted<T: Config>(study: StudyId, org: &T::AccountId, index: u32) -> DatasetId {
	let (_, id) = consented::<T>(study, index);
	DnaWallet::<T>::do_accept_consent(org.clone(), study, id).unwrap();
	id
}

/// A consent to `study` rejected by `org`; returns the owner and the dataset.
fn rejected<T: Config>(study: StudyId, org: &T::AccountId) -> (T::AccountId, DatasetId) {
	let (owner, id) = consented::<T>(study, 0);
	DnaWallet::<T>::do_reject_consent(org.clone(), study, id, H256::repeat_byte(0xBA)).unwrap();
	(owner, id)
}

fn guardians<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n).map(|i| funded::<T>("guardian", i)).collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_key() {
		let who = funded::<T>("who", 0);
		fill_keys::<T>(&who, T::MaxKeysPerAccount::get() - 1);
		let key = public_key(T::MaxKeysPerAccount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key, KeyType::X25519);

		assert_eq!(Keys::<T>::get(&who).len() as u32, T::MaxKeysPerAccount::get());
	}

	#[benchmark]
	fn rotate_key() {
		let who = funded::<T>("who", 0);
		let old = fill_keys::<T>(&who, T::MaxKeysPerAccount::get() - 1);
		let key = public_key(T::MaxKeysPerAccount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), old, key, KeyType::X25519);

		assert!(DnaWallet::<T>::live_key(&who, old).is_err());
	}

	#[benchmark]
	fn revoke_key() {
		let (who, key) = recipient::<T>("who", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key);

		assert_last_event::<T>(Event::KeyRevoked { who, key_id: key });
	}

	#[benchmark]
	fn remove_key() {
		let (who, key) = recipient::<T>("who", 0);
		DnaWallet::<T>::do_revoke_key(who.clone(), key).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key);

		assert_last_event::<T>(Event::KeyRemoved { who, key_id: key });
	}

	#[benchmark]
	fn register_dataset() {
		let owner = funded::<T>("owner", 0);
		for i in 1..T::MaxDatasetsPerOwner::get() {
			dataset::<T>(&owner, i as u8);
		}

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			H256::repeat_byte(0xFE),
			DatasetFormat::Cram,
			1 << 40,
			max_locator::<T>(),
		);

		assert_eq!(OwnerDatasets::<T>::get(&owner).len() as u32, T::MaxDatasetsPerOwner::get());
	}

	#[benchmark]
	fn set_allowed_uses() {
		let owner = funded::<T>("owner", 0);
		let id = dataset::<T>(&owner, 1);
		let allowed = max_uses::<T>(DataUse::GeneralResearch, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, allowed.clone());

		assert_eq!(Datasets::<T>::get(id).unwrap().allowed_uses, allowed);
	}

	#[benchmark]
	fn share_key() {
		let owner = funded::<T>("owner", 0);
		let id = dataset::<T>(&owner, 1);
		let (to, key) = recipient::<T>("recipient", 0);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			id,
			to.clone(),
			key,
			max_wrapped::<T>(),
			far::<T>(),
			SharePurpose::Clinical,
		);

		assert!(DnaWallet::<T>::can_decrypt(id, to));
	}

	#[benchmark]
	fn revoke_share() {
		let owner = funded::<T>("owner", 0);
		let id = dataset::<T>(&owner, 1);
		let (to, key) = recipient::<T>("recipient", 0);
		share::<T>(&owner, id, &to, key, far::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, to.clone());

		assert!(!Shares::<T>::contains_key(id, to));
	}

	#[benchmark]
	fn rotate_data_key() {
		let owner = funded::<T>("owner", 0);
		let id = dataset::<T>(&owner, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, H256::repeat_byte(0xFE));

		assert_eq!(Datasets::<T>::get(id).unwrap().key_version, 2);
	}

	/// A dataset with `s` shares.
	#[benchmark]
	fn remove_dataset(s: Linear<0, { T::MaxSharesPerDataset::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = dataset::<T>(&owner, 1);
		for i in 0..s {
			let to = funded::<T>("recipient", i);
			let key = fill_keys::<T>(&to, 1);
			share::<T>(&owner, id, &to, key, far::<T>());
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), id);

		assert!(!Datasets::<T>::contains_key(id));
		assert!(T::Currency::balance_on_hold(&HoldReason::ShareDeposit.into(), &owner).is_zero());
	}

	/// `n` study shares to registered organisations whose keys were revoked: every liveness
	/// check runs through the organisation lookup to the key lookup.
	#[benchmark]
	fn remove_expired_shares(n: Linear<1, { T::MaxCleanupBatch::get() }>) {
		let owner = funded::<T>("owner", 0);
		let id = dataset::<T>(&owner, 1);
		let mut recipients = Vec::new();
		for i in 0..n {
			let (to, key) = recipient::<T>("recipient", i);
			share::<T>(&owner, id, &to, key, far::<T>());
			DnaWallet::<T>::do_register_organisation(to.clone(), OrganisationKind::Compute)
				.unwrap();
			Shares::<T>::mutate(id, &to, |s| s.as_mut().unwrap().study = Some(0));
			DnaWallet::<T>::do_revoke_key(to.clone(), key).unwrap();
			recipients.push(to);
		}
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, BoundedVec::truncate_from(recipients));

		assert_eq!(Datasets::<T>::get(id).unwrap().share_count, 0);
	}

	#[benchmark]
	fn register_organisation() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let org: T::AccountId = account("organisation", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org.clone(), OrganisationKind::Research);

		assert!(Organisations::<T>::contains_key(org));
		Ok(())
	}

	#[benchmark]
	fn deregister_organisation() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let org: T::AccountId = account("organisation", 0, SEED);
		DnaWallet::<T>::do_register_organisation(org.clone(), OrganisationKind::Compute).unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org.clone());

		assert!(!Organisations::<T>::contains_key(org));
		Ok(())
	}

	/// An aggregate-only study (the compute service is checked too) with the longest terms.
	#[benchmark]
	fn create_study() {
		let (org, _) = research_org::<T>(0);
		let (service, key) = recipient::<T>("service", 0);
		DnaWallet::<T>::do_register_organisation(service.clone(), OrganisationKind::Compute)
			.unwrap();
		let max = T::MaxParticipants::get();
		let budget = price::<T>() * max.into();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(org.clone()),
			max_uses::<T>(DataUse::DiseaseSpecific(5148), true),
			all_formats(),
			H256::repeat_byte(0xE1),
			budget,
			max,
			StudyMode::AggregateOnly,
			service,
			key,
			far::<T>(),
		);

		assert_eq!(T::Currency::balance_on_hold(&HoldReason::StudyEscrow.into(), &org), budget);
	}

	/// An aggregate-only study with the longest terms, a dataset allowing them with the
	/// matching code last, a recipient with a full key list.
	#[benchmark]
	fn consent() {
		let (org, _) = research_org::<T>(0);
		let (service, key) = recipient::<T>("service", 0);
		DnaWallet::<T>::do_register_organisation(service.clone(), OrganisationKind::Compute)
			.unwrap();
		let max = T::MaxParticipants::get();
		let study = DnaWallet::<T>::do_create_study(
			org,
			max_uses::<T>(DataUse::DiseaseSpecific(5148), true),
			all_formats(),
			H256::repeat_byte(0xE1),
			price::<T>() * max.into(),
			max,
			StudyMode::AggregateOnly,
			service.clone(),
			key,
			far::<T>(),
		)
		.unwrap();
		let (owner, id) = research_dataset::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), study, id, max_wrapped::<T>());

		assert!(DnaWallet::<T>::can_decrypt(id, service));
	}

	/// A pending consent to a closed study: cancelled, its price goes back to the
	/// organisation, the share deposit is released and the consent deposit transferred.
	#[benchmark]
	fn withdraw_consent() {
		let (study, org) = study::<T>();
		let (owner, id) = consented::<T>(study, 0);
		DnaWallet::<T>::do_close_study(org.clone(), study).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), study, id);

		assert!(!Shares::<T>::contains_key(id, org.clone()));
		assert!(T::Currency::balance_on_hold(&HoldReason::StudyEscrow.into(), &org).is_zero());
	}

	#[benchmark]
	fn close_study() {
		let (study, org) = study::<T>();
		accepted::<T>(study, &org, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(org.clone()), study);

		assert!(T::Currency::balance_on_hold(&HoldReason::StudyEscrow.into(), &org).is_zero());
	}

	/// A closed study with `p` accepted consents.
	#[benchmark]
	fn remove_study(p: Linear<0, { T::MaxParticipants::get() }>) {
		let (study, org) = study::<T>();
		for i in 0..p {
			accepted::<T>(study, &org, i);
		}
		DnaWallet::<T>::do_close_study(org.clone(), study).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(org), study);

		assert!(!Studies::<T>::contains_key(study));
	}

	/// Accepted by anyone after the window (the organisation's check is skipped, the window
	/// read): the price is paid, the consent deposit released.
	#[benchmark]
	fn accept_consent() {
		let (study, org) = study::<T>();
		let (owner, id) = consented::<T>(study, 0);
		frame_system::Pallet::<T>::set_block_number(
			now::<T>().saturating_add(T::AcceptanceWindow::get()),
		);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), study, id);

		assert_last_event::<T>(Event::ConsentAccepted {
			study,
			dataset: id,
			owner,
			paid: price::<T>(),
		});
		assert_eq!(Studies::<T>::get(study).unwrap().accepted, 1);
		assert!(
			T::Currency::balance_on_hold(&HoldReason::StudyEscrow.into(), &org)
				< price::<T>() * T::MaxParticipants::get().into()
		);
	}

	/// The rejection holds a deposit and removes the study's share.
	#[benchmark]
	fn reject_consent() {
		let (study, org) = study::<T>();
		let (_, id) = consented::<T>(study, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(org.clone()), study, id, H256::repeat_byte(0xBA));

		assert!(!Shares::<T>::contains_key(id, org));
	}

	#[benchmark]
	fn dispute_rejection() {
		let (study, org) = study::<T>();
		let (owner, id) = rejected::<T>(study, &org);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), study, id);

		assert_last_event::<T>(Event::RejectionDisputed { study, dataset: id });
	}

	/// The owner wins: the rejection deposit moves to the owner, the price is paid and the
	/// consent deposit released.
	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (study, org) = study::<T>();
		let (owner, id) = rejected::<T>(study, &org);
		DnaWallet::<T>::do_dispute_rejection(owner, study, id).unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, study, id, true);

		assert_last_event::<T>(Event::DisputeResolved { study, dataset: id, owner_wins: true });
		Ok(())
	}

	/// On a closed study: the owner's deposit moves to the organisation, the organisation's is
	/// released and so is the price.
	#[benchmark]
	fn settle_rejection() {
		let (study, org) = study::<T>();
		let (_, id) = rejected::<T>(study, &org);
		DnaWallet::<T>::do_close_study(org.clone(), study).unwrap();
		frame_system::Pallet::<T>::set_block_number(
			now::<T>().saturating_add(T::DisputeWindow::get()),
		);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), study, id);

		assert!(T::Currency::balance_on_hold(&HoldReason::StudyEscrow.into(), &org).is_zero());
	}

	/// An open study with `p` accepted consents: closed and removed.
	#[benchmark]
	fn force_close_study(
		p: Linear<0, { T::MaxParticipants::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (study, org) = study::<T>();
		for i in 0..p {
			accepted::<T>(study, &org, i);
		}

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, study);

		assert!(!Studies::<T>::contains_key(study));
		Ok(())
	}

	/// A first set of `n` guardians (the deposit is held).
	#[benchmark]
	fn set_guardians(n: Linear<1, { T::MaxGuardians::get() }>) {
		let owner = funded::<T>("owner", 0);
		let list = guardians::<T>(n);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), BoundedVec::truncate_from(list), n);

		assert!(Guardians::<T>::contains_key(owner));
	}

	/// With a full recovery state to drop.
	#[benchmark]
	fn remove_guardians() {
		let owner = funded::<T>("owner", 0);
		let max = T::MaxGuardians::get();
		let list = guardians::<T>(max);
		DnaWallet::<T>::do_set_guardians(
			owner.clone(),
			BoundedVec::truncate_from(list.clone()),
			max,
		)
		.unwrap();
		for (i, guardian) in list.into_iter().enumerate().skip(1) {
			DnaWallet::<T>::do_approve_recovery(
				guardian,
				owner.clone(),
				public_key(i as u32),
				KeyType::X25519,
			)
			.unwrap();
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()));

		assert!(!Guardians::<T>::contains_key(owner));
	}

	/// The approval that reaches a threshold of all `MaxGuardians`, against a full key list.
	#[benchmark]
	fn approve_recovery() {
		let owner = funded::<T>("owner", 0);
		fill_keys::<T>(&owner, T::MaxKeysPerAccount::get() - 1);
		let max = T::MaxGuardians::get();
		let list = guardians::<T>(max);
		DnaWallet::<T>::do_set_guardians(
			owner.clone(),
			BoundedVec::truncate_from(list.clone()),
			max,
		)
		.unwrap();
		let key = public_key(1_000);
		for guardian in list.iter().skip(1) {
			DnaWallet::<T>::do_approve_recovery(
				guardian.clone(),
				owner.clone(),
				key.clone(),
				KeyType::X25519,
			)
			.unwrap();
		}
		let last = list[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last), owner.clone(), key, KeyType::X25519);

		assert!(Recoveries::<T>::get(&owner).unwrap().pending.is_some());
	}

	#[benchmark]
	fn cancel_recovery() {
		let owner = funded::<T>("owner", 0);
		let list = guardians::<T>(1);
		DnaWallet::<T>::do_set_guardians(owner.clone(), BoundedVec::truncate_from(list.clone()), 1)
			.unwrap();
		DnaWallet::<T>::do_approve_recovery(
			list[0].clone(),
			owner.clone(),
			public_key(1_000),
			KeyType::X25519,
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()));

		assert!(!Recoveries::<T>::contains_key(owner));
	}

	/// Registers the recovery key next to `MaxKeysPerAccount - 1` live keys, retiring them.
	#[benchmark]
	fn finish_recovery() {
		let owner = funded::<T>("owner", 0);
		fill_keys::<T>(&owner, T::MaxKeysPerAccount::get() - 1);
		let list = guardians::<T>(1);
		DnaWallet::<T>::do_set_guardians(owner.clone(), BoundedVec::truncate_from(list.clone()), 1)
			.unwrap();
		DnaWallet::<T>::do_approve_recovery(
			list[0].clone(),
			owner.clone(),
			public_key(1_000),
			KeyType::X25519,
		)
		.unwrap();
		frame_system::Pallet::<T>::set_block_number(
			now::<T>().saturating_add(T::RecoveryDelay::get()),
		);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), owner.clone());

		assert_eq!(Keys::<T>::get(&owner).iter().filter(|k| k.is_live()).count(), 1);
	}

	impl_benchmark_test_suite!(DnaWallet, mock::new_test_ext(), mock::Test);
}
