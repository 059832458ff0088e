//! Benchmarks of every call, each in its worst case.

use super::*;
use crate::merkle;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::traits::{Bounded, One, Saturating, Zero};

const SEED: u32 = 0;
/// A valid GTIN-14.
const GTIN: Gtin = *b"09506000134352";
/// A valid GLN.
const GLN: Gln = *b"0614141000005";

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

fn far_future<T: Config>() -> BlockNumberFor<T> {
	BlockNumberFor::<T>::max_value() / 2u32.into()
}

/// An account with enough free balance for every deposit a benchmark takes.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let deposits = Pallet::<T>::batch_deposit(T::MaxCodesPerBatch::get())
		.saturating_add(T::ProductDeposit::get())
		.saturating_add(T::TransferDeposit::get())
		.saturating_add(T::SuspectReportDeposit::get());
	let amount =
		T::Currency::minimum_balance().saturating_add(deposits.saturating_mul(10u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

/// A funded active partner with `role`.
fn partner<T: Config>(name: &'static str, index: u32, role: PartnerRole) -> T::AccountId {
	let who = funded::<T>(name, index);
	Partners::<T>::insert(
		&who,
		Partner {
			role,
			gln: GLN,
			licence_ref: H256::repeat_byte(1),
			licensed_until: far_future::<T>(),
			suspended: false,
		},
	);
	who
}

fn lot(i: u32) -> Lot {
	alloc::format!("LOT{i}").into_bytes().try_into().expect("at most 13 characters; qed")
}

/// Register [`GTIN`] for `manufacturer` if it is not yet registered.
fn product<T: Config>(manufacturer: &T::AccountId) {
	if !Products::<T>::contains_key(GTIN) {
		Pallet::<T>::do_register_product(manufacturer.clone(), GTIN, H256::repeat_byte(2))
			.expect("manufacturer is active and funded; qed");
	}
}

/// A batch of `quantity` packs and `code_count` codes under `codes_root`, written directly
/// (no deposit, so that `code_count` may exceed `MaxCodesPerBatch`).
fn raw_batch<T: Config>(
	manufacturer: &T::AccountId,
	quantity: u32,
	code_count: u32,
	codes_root: H256,
) -> BatchId {
	product::<T>(manufacturer);
	let batch_id = NextBatchId::<T>::get();
	Pallet::<T>::insert_batch(
		batch_id,
		Batch {
			gtin: GTIN,
			lot: lot(batch_id),
			manufacturer: manufacturer.clone(),
			expiry: far_future::<T>(),
			quantity,
			certificate_hash: H256::repeat_byte(3),
			codes_root,
			code_count,
			status: BatchStatus::Active,
			registered_at: frame_system::Pallet::<T>::block_number(),
			deposit: Default::default(),
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
	NextBatchId::<T>::put(batch_id + 1);
	Products::<T>::mutate(GTIN, |p| {
		if let Some(p) = p {
			p.batch_count += 1;
		}
	});
	batch_id
}

/// A pack and a proof of `depth` siblings for leaf 0 of a batch whose code count makes the path
/// exactly that deep.
fn deep_pack(depth: u32) -> (Serial, ScratchCode, Salt, MerkleProof, H256, u32, H256) {
	let serial: Serial = b"SN00000000000000001".to_vec().try_into().unwrap();
	let code: ScratchCode = b"K7Q2X9PL4MZDTT3RK7Q2X9PL4MZDTT3R".to_vec().try_into().unwrap();
	let salt = [7u8; 32];
	let leaf = merkle::leaf_hash(&serial, &code, &salt);
	let siblings: Vec<H256> = (0..depth).map(|i| H256::repeat_byte(i as u8)).collect();
	let code_count = if depth >= 32 { u32::MAX } else { 1u32 << depth };
	let root = merkle::compute_root(leaf, 0, code_count, &siblings).unwrap();
	let proof = MerkleProof { index: 0, siblings: siblings.try_into().unwrap() };
	(serial, code, salt, proof, leaf, code_count, root)
}

fn start<T: Config>() {
	frame_system::Pallet::<T>::set_block_number(One::one());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_partner() -> Result<(), BenchmarkError> {
		start::<T>();
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let account: T::AccountId = account("partner", 0, SEED);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			account.clone(),
			PartnerRole::Wholesaler,
			GLN,
			H256::repeat_byte(1),
			far_future::<T>(),
		);

		assert!(Partners::<T>::contains_key(&account));
		Ok(())
	}

	#[benchmark]
	fn suspend_partner() -> Result<(), BenchmarkError> {
		start::<T>();
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let account = partner::<T>("partner", 0, PartnerRole::Wholesaler);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, account.clone());

		assert!(Partners::<T>::get(&account).unwrap().suspended);
		Ok(())
	}

	#[benchmark]
	fn reinstate_partner() -> Result<(), BenchmarkError> {
		start::<T>();
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let account = partner::<T>("partner", 0, PartnerRole::Wholesaler);
		Partners::<T>::mutate(&account, |p| p.as_mut().unwrap().suspended = true);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, account.clone());

		assert!(!Partners::<T>::get(&account).unwrap().suspended);
		Ok(())
	}

	#[benchmark]
	fn renew_licence() -> Result<(), BenchmarkError> {
		start::<T>();
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let account = partner::<T>("partner", 0, PartnerRole::Wholesaler);
		let until = far_future::<T>().saturating_add(One::one());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, account.clone(), until);

		assert_eq!(Partners::<T>::get(&account).unwrap().licensed_until, until);
		Ok(())
	}

	#[benchmark]
	fn register_product() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);

		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer.clone()), GTIN, H256::repeat_byte(2));

		assert_eq!(Products::<T>::get(GTIN).unwrap().manufacturer, manufacturer);
	}

	#[benchmark]
	fn deregister_product() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		product::<T>(&manufacturer);

		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer), GTIN);

		assert!(!Products::<T>::contains_key(GTIN));
	}

	#[benchmark]
	fn register_batch() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		product::<T>(&manufacturer);
		let code_count = T::MaxCodesPerBatch::get();
		let quantity = code_count;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(manufacturer.clone()),
			GTIN,
			lot(0),
			far_future::<T>(),
			quantity,
			H256::repeat_byte(3),
			H256::repeat_byte(4),
			code_count,
		);

		assert_eq!(Holdings::<T>::get(0, &manufacturer), Some(quantity));
	}

	#[benchmark]
	fn dispatch() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let wholesaler = partner::<T>("wholesaler", 0, PartnerRole::Wholesaler);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());

		// The whole holding: the sender's holding is removed.
		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer.clone()), batch_id, wholesaler, 1000, H256::zero());

		assert_eq!(Batches::<T>::get(batch_id).unwrap().pending, 1000);
		assert!(!Holdings::<T>::contains_key(batch_id, &manufacturer));
	}

	#[benchmark]
	fn receive() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let wholesaler = partner::<T>("wholesaler", 0, PartnerRole::Wholesaler);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_dispatch(manufacturer, batch_id, wholesaler.clone(), 600, H256::zero())
			.unwrap();

		// A new holder.
		#[extrinsic_call]
		_(RawOrigin::Signed(wholesaler.clone()), batch_id, 0);

		assert_eq!(Holdings::<T>::get(batch_id, &wholesaler), Some(600));
	}

	#[benchmark]
	fn reject() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let wholesaler = partner::<T>("wholesaler", 0, PartnerRole::Wholesaler);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_dispatch(
			manufacturer.clone(),
			batch_id,
			wholesaler.clone(),
			1000,
			H256::zero(),
		)
		.unwrap();

		// The sender becomes a holder again.
		#[extrinsic_call]
		_(RawOrigin::Signed(wholesaler), batch_id, 0);

		assert_eq!(Holdings::<T>::get(batch_id, &manufacturer), Some(1000));
	}

	#[benchmark]
	fn expire_transfer() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let wholesaler = partner::<T>("wholesaler", 0, PartnerRole::Wholesaler);
		let caller = funded::<T>("caller", 0);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_dispatch(manufacturer.clone(), batch_id, wholesaler, 1000, H256::zero())
			.unwrap();
		let expires_at = Transfers::<T>::get(batch_id, 0).unwrap().expires_at;
		frame_system::Pallet::<T>::set_block_number(expires_at);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), batch_id, 0);

		assert_eq!(Holdings::<T>::get(batch_id, &manufacturer), Some(1000));
	}

	#[benchmark]
	fn mark_dispensed() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let pharmacy = partner::<T>("pharmacy", 0, PartnerRole::Dispenser);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_dispatch(manufacturer, batch_id, pharmacy.clone(), 100, H256::zero())
			.unwrap();
		Pallet::<T>::do_receive(pharmacy.clone(), batch_id, 0).unwrap();

		// The whole holding: the holding is removed.
		#[extrinsic_call]
		_(RawOrigin::Signed(pharmacy.clone()), batch_id, 100);

		assert_eq!(Batches::<T>::get(batch_id).unwrap().dispensed, 100);
		assert!(!Holdings::<T>::contains_key(batch_id, &pharmacy));
	}

	#[benchmark]
	fn destroy() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());

		// The whole batch: the batch becomes `Destroyed`.
		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer), batch_id, 1000, DestructionReason::Damaged);

		assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Destroyed);
		assert_last_event::<T>(Event::BatchFullyDestroyed { batch_id });
	}

	#[benchmark]
	fn verify_pack(p: Linear<0, MAX_PROOF_DEPTH>) {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let (serial, code, salt, proof, leaf, code_count, root) = deep_pack(p);
		let batch_id = raw_batch::<T>(&manufacturer, 1, code_count, root);

		#[extrinsic_call]
		_(RawOrigin::None, batch_id, serial, code, salt, proof, Some(250));

		assert!(VerifiedPacks::<T>::contains_key(batch_id, leaf));
	}

	/// A licensed dispenser reports the second scan that quarantines the batch.
	#[benchmark]
	fn verify_pack_clone_alarm(p: Linear<0, MAX_PROOF_DEPTH>) {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let pharmacy = partner::<T>("pharmacy", 0, PartnerRole::Dispenser);
		let (serial, code, salt, proof, leaf, code_count, root) = deep_pack(p);
		let batch_id = raw_batch::<T>(&manufacturer, 1, code_count, root);
		VerifiedPacks::<T>::insert(
			batch_id,
			leaf,
			PackRecord {
				first_verified_at: One::one(),
				region: Some(250),
				first_verifier: Verifier::Public,
				alarms: 0,
				last_alarm_at: None,
			},
		);
		// This alarm reaches the threshold and quarantines the batch.
		Batches::<T>::mutate(batch_id, |b| {
			let b = b.as_mut().unwrap();
			b.verified_packs = 1;
			b.alarmed_packs = T::CloneAlarmThreshold::get() - 1;
		});

		#[extrinsic_call]
		verify_pack(RawOrigin::Signed(pharmacy), batch_id, serial, code, salt, proof, Some(276));

		assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Quarantined);
		assert_last_event::<T>(Event::BatchQuarantined {
			batch_id,
			cause: QuarantineCause::CloneAlarms,
		});
	}

	/// The unsigned validation, which block building runs again before dispatching an unsigned
	/// `verify_pack` (`ValidateUnsigned::pre_dispatch`): it checks the proof a second time.
	#[benchmark]
	fn validate_verify_pack(p: Linear<0, MAX_PROOF_DEPTH>) {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let (serial, code, salt, proof, _, code_count, root) = deep_pack(p);
		let batch_id = raw_batch::<T>(&manufacturer, 1, code_count, root);
		let validity;

		#[block]
		{
			validity = Pallet::<T>::validate_verify_pack(batch_id, &serial, &code, &salt, &proof);
		}

		assert!(validity.is_ok());
	}

	/// The costliest custody check: the reporter holds nothing and names the transfer that was
	/// addressed to it.
	#[benchmark]
	fn report_suspect() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let wholesaler = partner::<T>("wholesaler", 0, PartnerRole::Wholesaler);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_dispatch(manufacturer, batch_id, wholesaler.clone(), 10, H256::zero())
			.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(wholesaler), batch_id, H256::repeat_byte(5), Some(0));

		assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Quarantined);
	}

	#[benchmark]
	fn clear_suspect() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let regulator = partner::<T>("regulator", 0, PartnerRole::Regulator);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_report_suspect(manufacturer, batch_id, H256::repeat_byte(5), None).unwrap();

		// An unfounded report: the deposit is burned (the costlier close).
		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), batch_id, ReportFinding::Unfounded);

		assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Active);
		assert!(!SuspectReports::<T>::contains_key(batch_id));
	}

	#[benchmark]
	fn confirm_illegitimate() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let regulator = partner::<T>("regulator", 0, PartnerRole::Regulator);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_report_suspect(manufacturer, batch_id, H256::repeat_byte(5), None).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), batch_id, RecallClass::ClassI, H256::repeat_byte(6));

		assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Recalled);
		assert!(Recalls::<T>::contains_key(batch_id));
	}

	#[benchmark]
	fn initiate_recall(b: Linear<1, { T::MaxBatchesPerRecall::get() }>) {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let ids: Vec<BatchId> =
			(0..b).map(|_| raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero())).collect();
		let batches: BoundedVec<BatchId, T::MaxBatchesPerRecall> = ids.clone().try_into().unwrap();

		// The manufacturer: its ownership of every batch is checked.
		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer), batches, RecallClass::ClassII, H256::repeat_byte(6));

		for batch_id in ids {
			assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Recalled);
		}
	}

	#[benchmark]
	fn ack_recall() {
		start::<T>();
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_initiate_recall(
			(Actor::Registrar, None),
			alloc::vec![batch_id].try_into().unwrap(),
			RecallClass::ClassI,
			H256::repeat_byte(6),
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer.clone()), batch_id);

		assert!(RecallAcks::<T>::contains_key(batch_id, &manufacturer));
	}

	/// A recalled batch, every pack destroyed, past its trace retention, with `r` records
	/// (transfers holding their senders' deposits, then pack records), a deposit and a recall:
	/// the call removes the `r` records and finishes the retirement.
	#[benchmark]
	fn retire_batch(r: Linear<0, { T::RetireBatchLimit::get() }>) {
		let manufacturer = partner::<T>("manufacturer", 0, PartnerRole::Manufacturer);
		let batch_id = raw_batch::<T>(&manufacturer, 1000, 1000, H256::zero());
		Pallet::<T>::do_initiate_recall(
			(Actor::Registrar, None),
			alloc::vec![batch_id].try_into().unwrap(),
			RecallClass::ClassI,
			H256::repeat_byte(6),
		)
		.unwrap();
		Pallet::<T>::do_destroy(manufacturer.clone(), batch_id, 1000, DestructionReason::Recalled)
			.unwrap();
		let deposit = Pallet::<T>::batch_deposit(1000);
		T::Currency::hold(&HoldReason::BatchDeposit.into(), &manufacturer, deposit).unwrap();
		// The costliest records are transfers: each releases its sender's deposit.
		let transfers = r.min(T::MaxTransfersPerBatch::get());
		let sender = funded::<T>("sender", 0);
		for i in 0..transfers {
			T::Currency::hold(
				&HoldReason::TransferDeposit.into(),
				&sender,
				T::TransferDeposit::get(),
			)
			.unwrap();
			Transfers::<T>::insert(
				batch_id,
				i,
				Transfer {
					from: sender.clone(),
					to: manufacturer.clone(),
					quantity: 1,
					shipment_commitment: H256::zero(),
					dispatched_at: One::one(),
					expires_at: One::one(),
					state: TransferState::Rejected { at: One::one() },
					deposit: T::TransferDeposit::get(),
				},
			);
		}
		Batches::<T>::mutate(batch_id, |batch| {
			let batch = batch.as_mut().unwrap();
			batch.deposit = deposit;
			batch.transfer_count = transfers;
			batch.verified_packs = r - transfers;
		});
		for i in 0..(r - transfers) {
			let record = PackRecord {
				first_verified_at: One::one(),
				region: None,
				first_verifier: Verifier::Public,
				alarms: 0,
				last_alarm_at: None,
			};
			let mut leaf = [0u8; 32];
			leaf[..4].copy_from_slice(&i.to_le_bytes());
			VerifiedPacks::<T>::insert(batch_id, H256::from(leaf), record);
		}
		let expiry = Batches::<T>::get(batch_id).unwrap().expiry;
		frame_system::Pallet::<T>::set_block_number(
			expiry.saturating_add(T::TraceRetention::get()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer.clone()), batch_id);

		assert_eq!(Batches::<T>::get(batch_id).unwrap().status, BatchStatus::Retired);
		assert_eq!(VerifiedPacks::<T>::iter_prefix(batch_id).count(), 0);
		assert_eq!(Transfers::<T>::iter_prefix(batch_id).count(), 0);
		assert!(
			T::Currency::balance_on_hold(&HoldReason::TransferDeposit.into(), &sender).is_zero()
		);
		assert!(!Recalls::<T>::contains_key(batch_id));
		assert_last_event::<T>(Event::BatchRetired {
			batch_id,
			removed: r,
			deposit_released: deposit,
		});
	}

	impl_benchmark_test_suite!(Pallet, mock::new_test_ext(), mock::Test);
}
