//! Benchmarks for the EHR pallet: the worst case of every call.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as Ehr;
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
use medchain_keys::KeyAgreementRegistry;
use sp_core::H256;
use sp_runtime::traits::{Hash, Saturating};

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

/// An account funded for every deposit it could be asked for.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let deposits = T::RecordDeposit::get()
		+ T::GrantDeposit::get()
		+ T::RequestDeposit::get()
		+ T::BreakGlassDeposit::get()
		+ T::GuardianDeposit::get()
		+ T::ProposalDeposit::get();
	let times = T::MaxRecordsPerPatient::get() + T::MaxGrantsPerPatient::get() + 100;
	T::Currency::set_balance(&who, T::Currency::minimum_balance() + deposits * times.into());
	who
}

fn max_credential<T: Config>() -> CredentialOf<T> {
	BoundedVec::truncate_from(vec![7u8; T::MaxCredentialLen::get() as usize])
}

/// A funded, active provider with a live sealing key (read access needs one).
fn provider<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = funded::<T>(name, index);
	Ehr::<T>::do_register_provider(who.clone(), ProviderKind::Hospital, max_credential::<T>())
		.unwrap();
	T::KeyRegistry::set_up_sealing_key(&who);
	who
}

fn max_type_code<T: Config>(tag: u8) -> TypeCodeOf<T> {
	BoundedVec::truncate_from(vec![tag; T::MaxTypeCodeLen::get() as usize])
}

fn max_locator<T: Config>() -> LocatorOf<T> {
	BoundedVec::truncate_from(vec![0xAB; T::MaxLocatorLen::get() as usize])
}

/// A `Types` scope of `MaxScopeItems` longest codes with `matching` last, so that a scope
/// check scans all of it.
fn full_types_scope<T: Config>(matching: &TypeCodeOf<T>) -> GrantScopeOf<T> {
	let mut codes: Vec<TypeCodeOf<T>> =
		(1..T::MaxScopeItems::get()).map(|i| max_type_code::<T>((i % 200) as u8 + 1)).collect();
	codes.push(matching.clone());
	GrantScope::Types(BoundedVec::truncate_from(codes))
}

fn grant<T: Config>(
	patient: &T::AccountId,
	grantee: &T::AccountId,
	scope: GrantScopeOf<T>,
	actions: AccessActions,
	max_reads: Option<u32>,
) {
	Ehr::<T>::do_grant_access(
		patient.clone(),
		patient.clone(),
		grantee.clone(),
		scope,
		actions,
		PurposeOfUse::Treatment,
		now::<T>(),
		far::<T>(),
		max_reads,
	)
	.unwrap();
}

/// `n` grants of `patient` to fresh providers.
fn fill_grants<T: Config>(patient: &T::AccountId, n: u32) {
	for i in 0..n {
		let other = provider::<T>("other", i);
		grant::<T>(patient, &other, GrantScope::All, AccessActions::READ, None);
	}
}

/// A content id no record names yet: the hash of the next record's id (never zero).
fn next_content_id<T: Config>() -> ContentId {
	<sp_runtime::traits::BlakeTwo256 as Hash>::hash(&NextRecordId::<T>::get().to_le_bytes())
}

/// `n` records the patient adds about themselves.
fn fill_records<T: Config>(patient: &T::AccountId, n: u32) {
	for _ in 0..n {
		Ehr::<T>::do_add_record(
			patient.clone(),
			patient.clone(),
			max_type_code::<T>(1),
			H256::repeat_byte(1),
			next_content_id::<T>(),
			max_locator::<T>(),
			1,
		)
		.unwrap();
	}
}

fn guardians<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n).map(|i| funded::<T>("guardian", i)).collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let provider: T::AccountId = account("provider", 0, SEED);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			provider.clone(),
			ProviderKind::Hospital,
			max_credential::<T>(),
		);

		assert_last_event::<T>(Event::ProviderRegistered {
			provider,
			kind: ProviderKind::Hospital,
		});
		Ok(())
	}

	#[benchmark]
	fn suspend_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let provider = provider::<T>("provider", 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider.clone());

		assert_eq!(Providers::<T>::get(&provider).unwrap().status, ProviderStatus::Suspended);
		Ok(())
	}

	#[benchmark]
	fn resume_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let provider = provider::<T>("provider", 0);
		Ehr::<T>::do_set_provider_status(provider.clone(), ProviderStatus::Suspended).unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider.clone());

		assert_eq!(Providers::<T>::get(&provider).unwrap().status, ProviderStatus::Active);
		Ok(())
	}

	#[benchmark]
	fn deregister_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let provider = provider::<T>("provider", 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider.clone());

		assert!(!Providers::<T>::contains_key(&provider));
		Ok(())
	}

	/// A provider adds the patient's last allowed record under a full `Types` append grant.
	#[benchmark]
	fn add_record() {
		let patient = funded::<T>("patient", 0);
		let hospital = provider::<T>("hospital", 0);
		let code = max_type_code::<T>(0xFF);
		grant::<T>(
			&patient,
			&hospital,
			full_types_scope::<T>(&code),
			AccessActions::READ_APPEND,
			None,
		);
		fill_records::<T>(&patient, T::MaxRecordsPerPatient::get() - 1);
		let content_id = next_content_id::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(hospital.clone()),
			patient.clone(),
			code,
			H256::repeat_byte(2),
			content_id,
			max_locator::<T>(),
			u64::MAX,
		);

		assert_eq!(PatientRecords::<T>::get(&patient).len() as u32, T::MaxRecordsPerPatient::get());
		assert!(ContentRecords::<T>::contains_key(content_id, &hospital));
		assert_eq!(
			T::Currency::balance_on_hold(&HoldReason::RecordDeposit.into(), &hospital),
			T::RecordDeposit::get()
		);
	}

	/// A provider amends a record into the patient's last allowed slot.
	#[benchmark]
	fn amend_record() {
		let patient = funded::<T>("patient", 0);
		let hospital = provider::<T>("hospital", 0);
		let code = max_type_code::<T>(0xFF);
		grant::<T>(
			&patient,
			&hospital,
			full_types_scope::<T>(&code),
			AccessActions::READ_APPEND,
			None,
		);
		fill_records::<T>(&patient, T::MaxRecordsPerPatient::get() - 2);
		let record_id = Ehr::<T>::do_add_record(
			hospital.clone(),
			patient.clone(),
			code,
			H256::repeat_byte(2),
			next_content_id::<T>(),
			max_locator::<T>(),
			1,
		)
		.unwrap();

		let content_id = next_content_id::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(hospital.clone()),
			record_id,
			H256::repeat_byte(3),
			content_id,
			max_locator::<T>(),
			2,
		);

		assert_eq!(Records::<T>::get(record_id).unwrap().status, RecordStatus::Amended);
		assert!(ContentRecords::<T>::contains_key(content_id, &hospital));
		assert_eq!(PatientRecords::<T>::get(&patient).len() as u32, T::MaxRecordsPerPatient::get());
	}

	/// Erasing a provider's current version, which makes its predecessor current again, from a
	/// full record list.
	#[benchmark]
	fn erase_record() {
		let patient = funded::<T>("patient", 0);
		let hospital = provider::<T>("hospital", 0);
		let code = max_type_code::<T>(0xFF);
		grant::<T>(&patient, &hospital, GrantScope::All, AccessActions::APPEND, None);
		let previous = Ehr::<T>::do_add_record(
			hospital.clone(),
			patient.clone(),
			code,
			H256::repeat_byte(2),
			next_content_id::<T>(),
			max_locator::<T>(),
			1,
		)
		.unwrap();
		let record_id = Ehr::<T>::do_amend_record(
			hospital.clone(),
			previous,
			H256::repeat_byte(3),
			next_content_id::<T>(),
			max_locator::<T>(),
			1,
		)
		.unwrap();
		fill_records::<T>(&patient, T::MaxRecordsPerPatient::get() - 2);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), record_id);

		assert!(!Records::<T>::contains_key(record_id));
		assert_eq!(ContentRecords::<T>::iter_values().filter(|id| *id == record_id).count(), 0);
		assert_eq!(Records::<T>::get(previous).unwrap().status, RecordStatus::Active);
		assert_eq!(
			PatientRecords::<T>::get(&patient).len() as u32,
			T::MaxRecordsPerPatient::get() - 1
		);
		assert_eq!(
			T::Currency::balance_on_hold(&HoldReason::RecordDeposit.into(), &hospital),
			T::RecordDeposit::get()
		);
	}

	/// The patient's last allowed grant, with a full `Types` scope and a read limit.
	#[benchmark]
	fn grant_access() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);
		fill_grants::<T>(&patient, T::MaxGrantsPerPatient::get() - 1);
		let scope = full_types_scope::<T>(&max_type_code::<T>(0xFF));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(patient.clone()),
			doctor.clone(),
			scope,
			AccessActions::READ_APPEND,
			PurposeOfUse::Treatment,
			now::<T>(),
			far::<T>(),
			Some(u32::MAX),
		);

		assert!(Grants::<T>::contains_key(&patient, &doctor));
		assert_eq!(GrantCount::<T>::get(&patient), T::MaxGrantsPerPatient::get());
	}

	#[benchmark]
	fn revoke_access() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);
		grant::<T>(
			&patient,
			&doctor,
			full_types_scope::<T>(&max_type_code::<T>(0xFF)),
			AccessActions::READ,
			None,
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), doctor.clone());

		assert!(!Grants::<T>::contains_key(&patient, &doctor));
	}

	/// The patient's last allowed pending request, with a full `Types` scope.
	#[benchmark]
	fn request_access() {
		let patient = funded::<T>("patient", 0);
		for i in 0..T::MaxPendingRequests::get() - 1 {
			let other = provider::<T>("other", i);
			Ehr::<T>::do_request_access(
				other,
				patient.clone(),
				GrantScope::All,
				AccessActions::READ,
				PurposeOfUse::Treatment,
				10u32.into(),
			)
			.unwrap();
		}
		let doctor = provider::<T>("doctor", 0);
		let scope = full_types_scope::<T>(&max_type_code::<T>(0xFF));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(doctor.clone()),
			patient.clone(),
			scope,
			AccessActions::READ_APPEND,
			PurposeOfUse::Treatment,
			100u32.into(),
		);

		assert!(Requests::<T>::contains_key(&patient, &doctor));
		assert_eq!(RequestCount::<T>::get(&patient), T::MaxPendingRequests::get());
	}

	/// Approving a request, which creates the patient's last allowed grant.
	#[benchmark]
	fn respond_request() {
		let patient = funded::<T>("patient", 0);
		fill_grants::<T>(&patient, T::MaxGrantsPerPatient::get() - 1);
		let doctor = provider::<T>("doctor", 0);
		Ehr::<T>::do_request_access(
			doctor.clone(),
			patient.clone(),
			full_types_scope::<T>(&max_type_code::<T>(0xFF)),
			AccessActions::READ_APPEND,
			PurposeOfUse::Treatment,
			100u32.into(),
		)
		.unwrap();
		let terms = Ehr::<T>::request_terms(patient.clone(), doctor.clone()).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), doctor.clone(), true, terms);

		assert!(!Requests::<T>::contains_key(&patient, &doctor));
		assert!(Grants::<T>::contains_key(&patient, &doctor));
		assert_last_event::<T>(Event::RequestApproved { patient, requester: doctor });
	}

	#[benchmark]
	fn cancel_request() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);
		Ehr::<T>::do_request_access(
			doctor.clone(),
			patient.clone(),
			GrantScope::All,
			AccessActions::READ,
			PurposeOfUse::Treatment,
			100u32.into(),
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor.clone()), patient.clone());

		assert!(!Requests::<T>::contains_key(&patient, &doctor));
	}

	/// A read under a full `Types` grant with a read limit (the grant is rewritten).
	#[benchmark]
	fn log_access() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);
		let code = max_type_code::<T>(0xFF);
		grant::<T>(
			&patient,
			&doctor,
			full_types_scope::<T>(&code),
			AccessActions::READ,
			Some(u32::MAX),
		);
		let record_id = Ehr::<T>::do_add_record(
			patient.clone(),
			patient.clone(),
			code,
			H256::repeat_byte(2),
			next_content_id::<T>(),
			max_locator::<T>(),
			1,
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor.clone()), patient.clone(), record_id, PurposeOfUse::Treatment);

		assert_eq!(AccessLogNext::<T>::get(&patient), 1);
		assert_eq!(Grants::<T>::get(&patient, &doctor).unwrap().reads_left, Some(u32::MAX - 1));
	}

	#[benchmark]
	fn break_glass() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor.clone()), patient.clone(), H256::repeat_byte(9));

		assert!(BreakGlasses::<T>::contains_key(&patient, &doctor));
		assert_eq!(PendingReviews::<T>::get(), 1);
	}

	/// An unjustified break-glass: the deposit goes to a patient account that does not exist
	/// yet.
	#[benchmark]
	fn review_break_glass() -> Result<(), BenchmarkError> {
		let origin =
			T::ReviewerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let patient: T::AccountId = account("patient", 0, SEED);
		let doctor = provider::<T>("doctor", 0);
		Ehr::<T>::do_break_glass(doctor.clone(), patient.clone(), H256::repeat_byte(9)).unwrap();

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			patient.clone(),
			doctor.clone(),
			BreakGlassVerdict::Unjustified,
		);

		assert!(!BreakGlasses::<T>::contains_key(&patient, &doctor));
		assert_eq!(T::Currency::balance(&patient), T::BreakGlassDeposit::get());
		Ok(())
	}

	/// `n` guardians, given in reverse order so that they must be sorted.
	#[benchmark]
	fn set_guardians(n: Linear<1, { T::MaxGuardians::get() }>) {
		let patient = funded::<T>("patient", 0);
		let mut list = guardians::<T>(n);
		list.sort();
		list.reverse();
		let list = GuardianListOf::<T>::truncate_from(list);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), list, n);

		assert_eq!(Guardians::<T>::get(&patient).unwrap().guardians.len() as u32, n);
	}

	#[benchmark]
	fn remove_guardians() {
		let patient = funded::<T>("patient", 0);
		let max = T::MaxGuardians::get();
		Ehr::<T>::do_set_guardians(
			patient.clone(),
			GuardianListOf::<T>::truncate_from(guardians::<T>(max)),
			max,
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()));

		assert!(!Guardians::<T>::contains_key(&patient));
	}

	/// The last of `MaxGuardians` approvals, which executes a grant with a full `Types` scope.
	#[benchmark]
	fn guardian_approve() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);
		let max = T::MaxGuardians::get();
		let list = guardians::<T>(max);
		Ehr::<T>::do_set_guardians(
			patient.clone(),
			GuardianListOf::<T>::truncate_from(list.clone()),
			max,
		)
		.unwrap();
		let action = GuardianAction::Grant {
			grantee: doctor.clone(),
			scope: full_types_scope::<T>(&max_type_code::<T>(0xFF)),
			actions: AccessActions::READ_APPEND,
			purpose: PurposeOfUse::Treatment,
			not_before: now::<T>(),
			expires_at: far::<T>(),
			max_reads: Some(u32::MAX),
		};
		let (last, earlier) = list.split_last().unwrap();
		for guardian in earlier {
			Ehr::<T>::do_guardian_approve(guardian.clone(), patient.clone(), action.clone())
				.unwrap();
		}
		let proposal = T::Hashing::hash_of(&action);

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), patient.clone(), action);

		assert!(Grants::<T>::contains_key(&patient, &doctor));
		assert!(!GuardianProposals::<T>::contains_key(&patient, proposal));
		assert_last_event::<T>(Event::GuardianActionExecuted { patient, proposal, approvals: max });
	}

	#[benchmark]
	fn guardian_cancel() {
		let patient = funded::<T>("patient", 0);
		let doctor = provider::<T>("doctor", 0);
		let max = T::MaxGuardians::get();
		assert!(max >= 2, "a proposal stays pending only with a threshold of at least 2");
		let list = guardians::<T>(max);
		Ehr::<T>::do_set_guardians(
			patient.clone(),
			GuardianListOf::<T>::truncate_from(list.clone()),
			max,
		)
		.unwrap();
		let action = GuardianAction::Grant {
			grantee: doctor,
			scope: full_types_scope::<T>(&max_type_code::<T>(0xFF)),
			actions: AccessActions::READ_APPEND,
			purpose: PurposeOfUse::Treatment,
			not_before: now::<T>(),
			expires_at: far::<T>(),
			max_reads: Some(u32::MAX),
		};
		let proposer = list[0].clone();
		Ehr::<T>::do_guardian_approve(proposer.clone(), patient.clone(), action.clone()).unwrap();
		let proposal = T::Hashing::hash_of(&action);

		#[extrinsic_call]
		_(RawOrigin::Signed(proposer), patient.clone(), proposal);

		assert!(!GuardianProposals::<T>::contains_key(&patient, proposal));
	}

	/// `n` expired grants of `n` patients.
	#[benchmark]
	fn cleanup_expired(n: Linear<1, { T::MaxCleanupBatch::get() }>) {
		let doctor = provider::<T>("doctor", 0);
		let start = now::<T>();
		let expires_at = start.saturating_add(1u32.into());
		let mut targets = Vec::new();
		for i in 0..n {
			let patient = funded::<T>("patient", i);
			Ehr::<T>::do_grant_access(
				patient.clone(),
				patient.clone(),
				doctor.clone(),
				full_types_scope::<T>(&max_type_code::<T>(0xFF)),
				AccessActions::READ,
				PurposeOfUse::Treatment,
				start,
				expires_at,
				None,
			)
			.unwrap();
			targets.push(CleanupTarget::Grant { patient, grantee: doctor.clone() });
		}
		frame_system::Pallet::<T>::set_block_number(expires_at);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), BoundedVec::truncate_from(targets));

		assert_eq!(Grants::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(Ehr, mock::new_test_ext(), mock::Test);
}
