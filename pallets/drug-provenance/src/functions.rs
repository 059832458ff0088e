//! The logic behind the calls, the unsigned validation, the read helpers of the runtime API,
//! genesis and `try_state`. Every `do_*` checks everything before it writes anything.

use crate::{merkle, pallet::*, types::*, WeightInfo, UNSIGNED_TAG_PREFIX};
use alloc::vec::Vec;
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
	weights::Weight,
};
use frame_system::{
	ensure_signed,
	pallet_prelude::{BlockNumberFor, OriginFor},
};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	// ---------------------------------------------------------------------------------------
	// Origins and partners
	// ---------------------------------------------------------------------------------------

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
		ensure!(crate::gs1::is_valid_gln(&gln), Error::<T>::InvalidGln);
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

	// ---------------------------------------------------------------------------------------
	// Products and batches
	// ---------------------------------------------------------------------------------------

	pub(crate) fn do_register_product(
		who: T::AccountId,
		gtin: Gtin,
		metadata_commitment: H256,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		ensure!(partner.role.can_register_products(), Error::<T>::NotAuthorized);
		ensure!(crate::gs1::is_valid_gtin(&gtin), Error::<T>::InvalidGtin);
		ensure!(!Products::<T>::contains_key(gtin), Error::<T>::ProductAlreadyExists);

		let deposit = T::ProductDeposit::get();
		Self::hold(HoldReason::ProductDeposit, &who, deposit)?;
		Products::<T>::insert(
			gtin,
			Product { manufacturer: who.clone(), metadata_commitment, batch_count: 0, deposit },
		);
		Self::deposit_event(Event::ProductRegistered {
			gtin,
			manufacturer: who,
			metadata_commitment,
		});
		Ok(())
	}

	pub(crate) fn do_deregister_product(who: T::AccountId, gtin: Gtin) -> DispatchResult {
		let product = Products::<T>::get(gtin).ok_or(Error::<T>::ProductNotFound)?;
		ensure!(product.manufacturer == who, Error::<T>::NotAuthorized);
		ensure!(product.batch_count == 0, Error::<T>::ProductInUse);

		Self::release(HoldReason::ProductDeposit, &who, product.deposit)?;
		Products::<T>::remove(gtin);
		Self::deposit_event(Event::ProductDeregistered { gtin });
		Ok(())
	}

	/// The deposit for a batch of `code_count` codes.
	pub fn batch_deposit(code_count: u32) -> BalanceOf<T> {
		T::BatchDeposit::get()
			.saturating_add(T::PackRecordDeposit::get().saturating_mul(code_count.into()))
	}

	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_register_batch(
		who: T::AccountId,
		gtin: Gtin,
		lot: Lot,
		expiry: BlockNumberFor<T>,
		quantity: u32,
		certificate_hash: H256,
		codes_root: H256,
		code_count: u32,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		ensure!(partner.role.can_register_products(), Error::<T>::NotAuthorized);
		let mut product = Products::<T>::get(gtin).ok_or(Error::<T>::ProductNotFound)?;
		ensure!(product.manufacturer == who, Error::<T>::NotAuthorized);
		ensure!(crate::gs1::is_valid_lot(&lot), Error::<T>::InvalidLot);
		ensure!(!BatchIds::<T>::contains_key(gtin, &lot), Error::<T>::BatchAlreadyExists);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expiry > now, Error::<T>::InvalidExpiry);
		ensure!(quantity > 0, Error::<T>::ZeroQuantity);
		ensure!(
			code_count >= quantity && code_count <= T::MaxCodesPerBatch::get(),
			Error::<T>::InvalidCodeCount
		);
		let batch_id = NextBatchId::<T>::get();
		let next_batch_id = batch_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		product.batch_count = product.batch_count.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let deposit = Self::batch_deposit(code_count);
		Self::hold(HoldReason::BatchDeposit, &who, deposit)?;
		Self::insert_batch(
			batch_id,
			Batch {
				gtin,
				lot: lot.clone(),
				manufacturer: who.clone(),
				expiry,
				quantity,
				certificate_hash,
				codes_root,
				code_count,
				status: BatchStatus::Active,
				registered_at: now,
				deposit,
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
		NextBatchId::<T>::put(next_batch_id);
		Products::<T>::insert(gtin, product);
		Self::deposit_event(Event::BatchRegistered {
			batch_id,
			gtin,
			lot,
			manufacturer: who,
			quantity,
			expiry,
			codes_root,
			code_count,
		});
		Ok(())
	}

	/// Write a new batch, its lot index and the manufacturer's holding of all of it.
	pub(crate) fn insert_batch(batch_id: BatchId, batch: BatchOf<T>) {
		BatchIds::<T>::insert(batch.gtin, &batch.lot, batch_id);
		Holdings::<T>::insert(batch_id, &batch.manufacturer, batch.quantity);
		Batches::<T>::insert(batch_id, batch);
	}

	/// Ok if the batch may move or be dispensed at the current block, else the error naming its
	/// status.
	pub(crate) fn ensure_movable(batch: &BatchOf<T>) -> DispatchResult {
		match batch.effective_status(&frame_system::Pallet::<T>::block_number()) {
			BatchStatus::Active => Ok(()),
			BatchStatus::Quarantined => Err(Error::<T>::BatchQuarantined.into()),
			BatchStatus::Recalled => Err(Error::<T>::BatchRecalled.into()),
			BatchStatus::Expired => Err(Error::<T>::BatchExpired.into()),
			BatchStatus::Destroyed => Err(Error::<T>::BatchDestroyed.into()),
			BatchStatus::Retiring | BatchStatus::Retired => Err(Error::<T>::BatchRetired.into()),
		}
	}

	// ---------------------------------------------------------------------------------------
	// Custody
	// ---------------------------------------------------------------------------------------

	/// The holding of `who` after taking `quantity` packs out of it. Does not write.
	fn take_from_holding(
		batch_id: BatchId,
		who: &T::AccountId,
		quantity: u32,
	) -> Result<u32, DispatchError> {
		ensure!(quantity > 0, Error::<T>::ZeroQuantity);
		let held = Holdings::<T>::get(batch_id, who).unwrap_or(0);
		held.checked_sub(quantity).ok_or_else(|| Error::<T>::InsufficientHoldings.into())
	}

	/// Write the holding of `who`, removing it at zero, and keep `holder_count` in step.
	fn set_holding(batch: &mut BatchOf<T>, batch_id: BatchId, who: &T::AccountId, amount: u32) {
		let was_holder = Holdings::<T>::contains_key(batch_id, who);
		if amount == 0 {
			Holdings::<T>::remove(batch_id, who);
			if was_holder {
				batch.holder_count = batch.holder_count.saturating_sub(1);
			}
		} else {
			Holdings::<T>::insert(batch_id, who, amount);
			if !was_holder {
				// Bounded by `MaxTransfersPerBatch + 1 < u32::MAX` (integrity test).
				batch.holder_count = batch.holder_count.saturating_add(1);
			}
		}
	}

	pub(crate) fn do_dispatch(
		who: T::AccountId,
		batch_id: BatchId,
		to: T::AccountId,
		quantity: u32,
		shipment_commitment: H256,
	) -> DispatchResult {
		Self::ensure_active_partner(&who)?;
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_movable(&batch)?;
		ensure!(to != who, Error::<T>::TransferToSelf);
		let recipient = Partners::<T>::get(&to).ok_or(Error::<T>::PartnerNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(recipient.is_active(&now), Error::<T>::RecipientInactive);
		let remaining = Self::take_from_holding(batch_id, &who, quantity)?;
		let transfer_index = batch.transfer_count;
		ensure!(transfer_index < T::MaxTransfersPerBatch::get(), Error::<T>::TooManyTransfers);
		batch.transfer_count = transfer_index.checked_add(1).ok_or(Error::<T>::Overflow)?;
		batch.pending = batch.pending.checked_add(quantity).ok_or(Error::<T>::Overflow)?;

		let deposit = T::TransferDeposit::get();
		Self::hold(HoldReason::TransferDeposit, &who, deposit)?;
		let expires_at = now.saturating_add(T::TransferTimeout::get());
		Self::set_holding(&mut batch, batch_id, &who, remaining);
		Transfers::<T>::insert(
			batch_id,
			transfer_index,
			Transfer {
				from: who.clone(),
				to: to.clone(),
				quantity,
				shipment_commitment,
				dispatched_at: now,
				expires_at,
				state: TransferState::Pending,
				deposit,
			},
		);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::Dispatched {
			batch_id,
			transfer_index,
			from: who,
			to,
			quantity,
			expires_at,
		});
		Ok(())
	}

	/// A pending transfer addressed to `who`, who must be active, before it expires.
	fn pending_transfer_for(
		who: &T::AccountId,
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> Result<TransferOf<T>, DispatchError> {
		let transfer =
			Transfers::<T>::get(batch_id, transfer_index).ok_or(Error::<T>::TransferNotFound)?;
		ensure!(transfer.state == TransferState::Pending, Error::<T>::TransferNotPending);
		ensure!(transfer.to == *who, Error::<T>::NotAuthorized);
		Self::ensure_active_partner(who)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() < transfer.expires_at,
			Error::<T>::TransferExpired
		);
		Ok(transfer)
	}

	/// Close a pending transfer: `beneficiary` gets the packs, the sender's deposit is released,
	/// the transfer takes `state`.
	fn settle_transfer(
		batch_id: BatchId,
		transfer_index: TransferIndex,
		mut transfer: TransferOf<T>,
		beneficiary: &T::AccountId,
		state: TransferState<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		let held = Holdings::<T>::get(batch_id, beneficiary).unwrap_or(0);
		let new_holding = held.checked_add(transfer.quantity).ok_or(Error::<T>::Overflow)?;
		batch.pending = batch.pending.checked_sub(transfer.quantity).ok_or(Error::<T>::Overflow)?;

		Self::release(HoldReason::TransferDeposit, &transfer.from, transfer.deposit)?;
		Self::set_holding(&mut batch, batch_id, beneficiary, new_holding);
		Batches::<T>::insert(batch_id, batch);
		transfer.state = state;
		transfer.deposit = Zero::zero();
		Transfers::<T>::insert(batch_id, transfer_index, transfer);
		Ok(())
	}

	pub(crate) fn do_receive(
		who: T::AccountId,
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> DispatchResult {
		let transfer = Self::pending_transfer_for(&who, batch_id, transfer_index)?;
		let batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_movable(&batch)?;
		let (from, quantity) = (transfer.from.clone(), transfer.quantity);
		let at = frame_system::Pallet::<T>::block_number();
		Self::settle_transfer(
			batch_id,
			transfer_index,
			transfer,
			&who,
			TransferState::Received { at },
		)?;
		Self::deposit_event(Event::Received { batch_id, transfer_index, from, to: who, quantity });
		Ok(())
	}

	pub(crate) fn do_reject(
		who: T::AccountId,
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> DispatchResult {
		let transfer = Self::pending_transfer_for(&who, batch_id, transfer_index)?;
		let (from, quantity) = (transfer.from.clone(), transfer.quantity);
		let at = frame_system::Pallet::<T>::block_number();
		Self::settle_transfer(
			batch_id,
			transfer_index,
			transfer,
			&from,
			TransferState::Rejected { at },
		)?;
		Self::deposit_event(Event::Rejected { batch_id, transfer_index, from, to: who, quantity });
		Ok(())
	}

	pub(crate) fn do_expire_transfer(
		batch_id: BatchId,
		transfer_index: TransferIndex,
	) -> DispatchResult {
		let transfer =
			Transfers::<T>::get(batch_id, transfer_index).ok_or(Error::<T>::TransferNotFound)?;
		ensure!(transfer.state == TransferState::Pending, Error::<T>::TransferNotPending);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= transfer.expires_at, Error::<T>::TransferNotExpired);
		let (from, to, quantity) = (transfer.from.clone(), transfer.to.clone(), transfer.quantity);
		Self::settle_transfer(
			batch_id,
			transfer_index,
			transfer,
			&from,
			TransferState::Expired { at: now },
		)?;
		Self::deposit_event(Event::TransferExpired {
			batch_id,
			transfer_index,
			from,
			to,
			quantity,
		});
		Ok(())
	}

	pub(crate) fn do_mark_dispensed(
		who: T::AccountId,
		batch_id: BatchId,
		quantity: u32,
	) -> DispatchResult {
		let partner = Self::ensure_active_partner(&who)?;
		ensure!(partner.role == PartnerRole::Dispenser, Error::<T>::NotAuthorized);
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		Self::ensure_movable(&batch)?;
		let remaining = Self::take_from_holding(batch_id, &who, quantity)?;
		batch.dispensed = batch.dispensed.checked_add(quantity).ok_or(Error::<T>::Overflow)?;

		Self::set_holding(&mut batch, batch_id, &who, remaining);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::Dispensed { batch_id, dispenser: who, quantity });
		Ok(())
	}

	pub(crate) fn do_destroy(
		who: T::AccountId,
		batch_id: BatchId,
		quantity: u32,
		reason: DestructionReason,
	) -> DispatchResult {
		Self::ensure_active_partner(&who)?;
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		let remaining = Self::take_from_holding(batch_id, &who, quantity)?;
		batch.destroyed = batch.destroyed.checked_add(quantity).ok_or(Error::<T>::Overflow)?;
		let fully_destroyed = batch.destroyed == batch.quantity;
		if fully_destroyed {
			batch.status = BatchStatus::Destroyed;
		}

		Self::set_holding(&mut batch, batch_id, &who, remaining);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::Destroyed { batch_id, holder: who, quantity, reason });
		if fully_destroyed {
			Self::deposit_event(Event::BatchFullyDestroyed { batch_id });
		}
		Ok(())
	}

	// ---------------------------------------------------------------------------------------
	// Pack verification
	// ---------------------------------------------------------------------------------------

	/// The weight charged for `verify_pack` with a proof of `proof_len` siblings: the heavier of
	/// a first verification and a clone alarm that quarantines the batch, plus the unsigned
	/// validation that block building repeats before dispatch.
	pub fn verify_pack_weight(proof_len: usize) -> Weight {
		let p = u32::try_from(proof_len).unwrap_or(MAX_PROOF_DEPTH).min(MAX_PROOF_DEPTH);
		T::WeightInfo::verify_pack(p)
			.max(T::WeightInfo::verify_pack_clone_alarm(p))
			.saturating_add(T::WeightInfo::validate_verify_pack(p))
	}

	/// What the holder of a pack should be told about its batch.
	fn verdict(batch: &BatchOf<T>) -> PackVerdict {
		match batch.effective_status(&frame_system::Pallet::<T>::block_number()) {
			BatchStatus::Active => PackVerdict::Genuine,
			reason => PackVerdict::DoNotUse { reason },
		}
	}

	/// Check a pack without changing anything (the runtime API `verify_pack` and the unsigned
	/// validation).
	pub fn check_pack(
		batch_id: BatchId,
		serial: &[u8],
		scratch_code: &[u8],
		salt: &Salt,
		proof: &MerkleProof,
	) -> PackCheck<BlockNumberFor<T>> {
		let Some(batch) = Batches::<T>::get(batch_id) else { return PackCheck::UnknownBatch };
		if batch.is_retired() {
			return PackCheck::BatchRetired;
		}
		let leaf = merkle::leaf_hash(serial, scratch_code, salt);
		if !merkle::verify(&batch.codes_root, leaf, proof.index, batch.code_count, &proof.siblings)
		{
			return PackCheck::Invalid;
		}
		let verdict = Self::verdict(&batch);
		match VerifiedPacks::<T>::get(batch_id, leaf) {
			None => PackCheck::NotYetVerified { leaf, verdict },
			Some(record) => PackCheck::AlreadyVerified { leaf, record, verdict },
		}
	}

	pub(crate) fn validate_verify_pack(
		batch_id: BatchId,
		serial: &[u8],
		scratch_code: &[u8],
		salt: &Salt,
		proof: &MerkleProof,
	) -> TransactionValidity {
		let builder = ValidTransaction::with_tag_prefix(UNSIGNED_TAG_PREFIX)
			.priority(T::UnsignedPriority::get())
			.longevity(T::UnsignedLongevity::get())
			.propagate(true);
		match Self::check_pack(batch_id, serial, scratch_code, salt, proof) {
			PackCheck::UnknownBatch | PackCheck::BatchRetired => InvalidTransaction::Call.into(),
			PackCheck::Invalid => InvalidTransaction::BadProof.into(),
			PackCheck::NotYetVerified { leaf, .. } => {
				builder.and_provides((batch_id, leaf)).build()
			},
			PackCheck::AlreadyVerified { leaf, record, .. } => {
				if record.alarms >= T::MaxAlarmsPerPack::get() {
					return InvalidTransaction::Stale.into();
				}
				builder.and_provides((batch_id, leaf, record.alarms)).build()
			},
		}
	}

	/// Verify a pack; returns whether this was its first verification.
	pub(crate) fn do_verify_pack(
		batch_id: BatchId,
		serial: &[u8],
		scratch_code: &[u8],
		salt: &Salt,
		proof: &MerkleProof,
		region: Option<RegionCode>,
	) -> Result<bool, DispatchError> {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		// A retiring batch's pack records are being removed: a verification would start over.
		ensure!(!batch.is_retired(), Error::<T>::BatchRetired);
		let leaf = merkle::leaf_hash(serial, scratch_code, salt);
		ensure!(
			merkle::verify(&batch.codes_root, leaf, proof.index, batch.code_count, &proof.siblings),
			Error::<T>::InvalidProof
		);
		let now = frame_system::Pallet::<T>::block_number();
		let verdict = Self::verdict(&batch);

		let Some(mut record) = VerifiedPacks::<T>::get(batch_id, leaf) else {
			// Bounded by `code_count`: one record per distinct leaf of the tree.
			batch.verified_packs = batch.verified_packs.saturating_add(1);
			VerifiedPacks::<T>::insert(
				batch_id,
				leaf,
				PackRecord { first_verified_at: now, region, alarms: 0, last_alarm_at: None },
			);
			Batches::<T>::insert(batch_id, batch);
			Self::deposit_event(Event::PackVerified { batch_id, leaf, region, verdict });
			return Ok(true);
		};

		record.alarms = record.alarms.saturating_add(1);
		record.last_alarm_at = Some(now);
		if record.alarms == 1 {
			batch.alarmed_packs = batch.alarmed_packs.saturating_add(1);
		}
		batch.clone_alarms = batch.clone_alarms.saturating_add(1);
		let quarantine = batch.status == BatchStatus::Active
			&& batch.alarmed_packs >= T::CloneAlarmThreshold::get();
		if quarantine {
			batch.status = BatchStatus::Quarantined;
		}
		let (alarms, alarmed_packs) = (record.alarms, batch.alarmed_packs);
		let (first_verified_at, first_region) = (record.first_verified_at, record.region);
		VerifiedPacks::<T>::insert(batch_id, leaf, record);
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::CloneAlarmRaised {
			batch_id,
			leaf,
			first_verified_at,
			first_region,
			region,
			alarms,
			alarmed_packs,
		});
		if quarantine {
			Self::deposit_event(Event::BatchQuarantined {
				batch_id,
				cause: QuarantineCause::CloneAlarms,
			});
		}
		Ok(false)
	}

	// ---------------------------------------------------------------------------------------
	// Suspects and recalls
	// ---------------------------------------------------------------------------------------

	pub(crate) fn do_report_suspect(
		who: T::AccountId,
		batch_id: BatchId,
		evidence_commitment: H256,
	) -> DispatchResult {
		Self::ensure_active_partner(&who)?;
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		match batch.status {
			BatchStatus::Recalled => return Err(Error::<T>::BatchRecalled.into()),
			BatchStatus::Destroyed => return Err(Error::<T>::BatchDestroyed.into()),
			BatchStatus::Retiring | BatchStatus::Retired => {
				return Err(Error::<T>::BatchRetired.into())
			},
			BatchStatus::Active | BatchStatus::Quarantined | BatchStatus::Expired => {},
		}
		ensure!(!SuspectReports::<T>::contains_key(batch_id), Error::<T>::ReportAlreadyOpen);

		let deposit = T::SuspectReportDeposit::get();
		Self::hold(HoldReason::SuspectReportDeposit, &who, deposit)?;
		let newly_quarantined = batch.status != BatchStatus::Quarantined;
		batch.status = BatchStatus::Quarantined;
		Batches::<T>::insert(batch_id, batch);
		SuspectReports::<T>::insert(
			batch_id,
			SuspectReport {
				reporter: who.clone(),
				evidence_commitment,
				reported_at: frame_system::Pallet::<T>::block_number(),
				deposit,
			},
		);
		Self::deposit_event(Event::SuspectReported {
			batch_id,
			reporter: who,
			evidence_commitment,
		});
		if newly_quarantined {
			Self::deposit_event(Event::BatchQuarantined {
				batch_id,
				cause: QuarantineCause::SuspectReport,
			});
		}
		Ok(())
	}

	/// Close the open report of `batch_id`, if any, releasing its deposit.
	fn close_report(batch_id: BatchId) -> DispatchResult {
		if let Some(report) = SuspectReports::<T>::take(batch_id) {
			Self::release(HoldReason::SuspectReportDeposit, &report.reporter, report.deposit)?;
		}
		Ok(())
	}

	pub(crate) fn do_clear_suspect(by: ActorOf<T>, batch_id: BatchId) -> DispatchResult {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		let reactivated = batch.status == BatchStatus::Quarantined;
		ensure!(
			reactivated || SuspectReports::<T>::contains_key(batch_id),
			Error::<T>::NotQuarantined
		);

		Self::close_report(batch_id)?;
		if reactivated {
			batch.status = BatchStatus::Active;
			batch.alarmed_packs = 0;
			Batches::<T>::insert(batch_id, batch);
		}
		Self::deposit_event(Event::SuspectCleared { batch_id, by, reactivated });
		Ok(())
	}

	pub(crate) fn do_confirm_illegitimate(
		by: ActorOf<T>,
		batch_id: BatchId,
		class: RecallClass,
		reason_commitment: H256,
	) -> DispatchResult {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		ensure!(batch.status == BatchStatus::Quarantined, Error::<T>::NotQuarantined);

		Self::close_report(batch_id)?;
		batch.status = BatchStatus::Recalled;
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::IllegitimateConfirmed { batch_id, by: by.clone() });
		Self::start_recall(batch_id, by, class, reason_commitment);
		Ok(())
	}

	/// Write the recall record of `batch_id` (whose status is already `Recalled`) and emit.
	fn start_recall(
		batch_id: BatchId,
		initiator: ActorOf<T>,
		class: RecallClass,
		reason_commitment: H256,
	) {
		Recalls::<T>::insert(
			batch_id,
			Recall {
				initiator: initiator.clone(),
				class,
				reason_commitment,
				initiated_at: frame_system::Pallet::<T>::block_number(),
				acknowledged: 0,
			},
		);
		Self::deposit_event(Event::RecallInitiated {
			batch_id,
			initiator,
			class,
			reason_commitment,
		});
	}

	pub(crate) fn do_initiate_recall(
		(by, partner): (ActorOf<T>, Option<PartnerOf<T>>),
		batch_ids: BoundedVec<BatchId, T::MaxBatchesPerRecall>,
		class: RecallClass,
		reason_commitment: H256,
	) -> DispatchResult {
		ensure!(!batch_ids.is_empty(), Error::<T>::NoBatches);
		let mut seen = alloc::collections::BTreeSet::new();
		let mut batches = Vec::with_capacity(batch_ids.len());
		for batch_id in batch_ids {
			ensure!(seen.insert(batch_id), Error::<T>::DuplicateBatch);
			let batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
			if let (Actor::Partner(who), Some(partner)) = (&by, &partner) {
				ensure!(
					partner.role == PartnerRole::Regulator || batch.manufacturer == *who,
					Error::<T>::NotAuthorized
				);
			}
			match batch.status {
				BatchStatus::Recalled => return Err(Error::<T>::BatchRecalled.into()),
				BatchStatus::Destroyed => return Err(Error::<T>::BatchDestroyed.into()),
				BatchStatus::Retiring | BatchStatus::Retired => {
					return Err(Error::<T>::BatchRetired.into())
				},
				BatchStatus::Active | BatchStatus::Quarantined | BatchStatus::Expired => {},
			}
			batches.push((batch_id, batch));
		}

		for (batch_id, mut batch) in batches {
			batch.status = BatchStatus::Recalled;
			Batches::<T>::insert(batch_id, batch);
			Self::start_recall(batch_id, by.clone(), class, reason_commitment);
		}
		Ok(())
	}

	pub(crate) fn do_ack_recall(who: T::AccountId, batch_id: BatchId) -> DispatchResult {
		ensure!(Partners::<T>::contains_key(&who), Error::<T>::PartnerNotFound);
		let mut recall = Recalls::<T>::get(batch_id).ok_or(Error::<T>::RecallNotFound)?;
		ensure!(Holdings::<T>::contains_key(batch_id, &who), Error::<T>::NotHolder);
		ensure!(!RecallAcks::<T>::contains_key(batch_id, &who), Error::<T>::AlreadyAcknowledged);
		// Bounded by the batch's holders, themselves bounded by its transfers.
		recall.acknowledged = recall.acknowledged.saturating_add(1);

		RecallAcks::<T>::insert(batch_id, &who, frame_system::Pallet::<T>::block_number());
		Recalls::<T>::insert(batch_id, recall);
		Self::deposit_event(Event::RecallAcknowledged { batch_id, holder: who });
		Ok(())
	}

	// ---------------------------------------------------------------------------------------
	// Retirement
	// ---------------------------------------------------------------------------------------

	/// Start or continue the retirement of `batch_id`; returns the number of records removed.
	///
	/// The first call checks that the batch is finished (every pack dispensed or destroyed, no
	/// open report, not quarantined) and past `expiry + TraceRetention`, and marks it
	/// `Retiring`. Every call removes up to [`Config::RetireBatchLimit`] records (pack records,
	/// then transfers, then recall acknowledgements); the call that finds none left removes the
	/// recall, releases the deposit and leaves the batch record as a `Retired` tombstone.
	pub(crate) fn do_retire_batch(
		who: T::AccountId,
		batch_id: BatchId,
	) -> Result<u32, DispatchError> {
		let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::BatchNotFound)?;
		ensure!(batch.manufacturer == who, Error::<T>::NotAuthorized);
		match batch.status {
			BatchStatus::Retired => return Err(Error::<T>::BatchRetired.into()),
			BatchStatus::Retiring => {},
			BatchStatus::Quarantined => return Err(Error::<T>::BatchQuarantined.into()),
			BatchStatus::Active
			| BatchStatus::Recalled
			| BatchStatus::Destroyed
			| BatchStatus::Expired => {
				ensure!(
					batch.pending == 0 && batch.holder_count == 0,
					Error::<T>::BatchNotFinished
				);
				ensure!(
					!SuspectReports::<T>::contains_key(batch_id),
					Error::<T>::ReportAlreadyOpen
				);
				let now = frame_system::Pallet::<T>::block_number();
				ensure!(
					now >= batch.expiry.saturating_add(T::TraceRetention::get()),
					Error::<T>::RetentionNotOver
				);
			},
		}

		let limit = T::RetireBatchLimit::get();
		let mut removed = VerifiedPacks::<T>::drain_prefix(batch_id).take(limit as usize).count();
		let mut left = (limit as usize).saturating_sub(removed);
		let transfers = Transfers::<T>::drain_prefix(batch_id).take(left).count();
		removed = removed.saturating_add(transfers);
		left = left.saturating_sub(transfers);
		let acks = RecallAcks::<T>::drain_prefix(batch_id).take(left).count();
		removed = removed.saturating_add(acks);
		left = left.saturating_sub(acks);
		let removed = u32::try_from(removed).unwrap_or(limit);

		// Records may remain only if the limit was used up: check before finishing.
		let finished = left > 0
			|| (VerifiedPacks::<T>::iter_prefix(batch_id).next().is_none()
				&& Transfers::<T>::iter_prefix(batch_id).next().is_none()
				&& RecallAcks::<T>::iter_prefix(batch_id).next().is_none());
		if !finished {
			batch.status = BatchStatus::Retiring;
			Batches::<T>::insert(batch_id, batch);
			Self::deposit_event(Event::BatchRetirementProgressed { batch_id, removed });
			return Ok(removed);
		}

		let deposit = core::mem::replace(&mut batch.deposit, Zero::zero());
		Self::release(HoldReason::BatchDeposit, &who, deposit)?;
		Recalls::<T>::remove(batch_id);
		batch.status = BatchStatus::Retired;
		Batches::<T>::insert(batch_id, batch);
		Self::deposit_event(Event::BatchRetired { batch_id, removed, deposit_released: deposit });
		Ok(removed)
	}

	// ---------------------------------------------------------------------------------------
	// Deposits
	// ---------------------------------------------------------------------------------------

	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
	}

	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&reason.into(), who, amount, Precision::BestEffort).map(|_| ())
	}

	// ---------------------------------------------------------------------------------------
	// Read helpers for the runtime API
	// ---------------------------------------------------------------------------------------

	/// The batch `batch_id` with its status at the current block.
	pub fn batch_info(batch_id: BatchId) -> Option<BatchInfoOf<T>> {
		let batch = Batches::<T>::get(batch_id)?;
		let effective_status = batch.effective_status(&frame_system::Pallet::<T>::block_number());
		let in_custody = batch.in_custody();
		Some(BatchInfo { id: batch_id, batch, effective_status, in_custody })
	}

	/// The batch of product `gtin` with lot `lot`.
	pub fn batch_by_lot(gtin: Gtin, lot: Vec<u8>) -> Option<BatchInfoOf<T>> {
		let lot = Lot::try_from(lot).ok()?;
		Self::batch_info(BatchIds::<T>::get(gtin, lot)?)
	}

	/// Every transfer of `batch_id` in dispatch order (at most
	/// [`Config::MaxTransfersPerBatch`]).
	pub fn trace(batch_id: BatchId) -> Vec<(TransferIndex, TransferOf<T>)> {
		let count = Batches::<T>::get(batch_id).map(|b| b.transfer_count).unwrap_or(0);
		(0..count).filter_map(|i| Transfers::<T>::get(batch_id, i).map(|t| (i, t))).collect()
	}

	/// Every current holder of `batch_id` with its quantity.
	pub fn holdings(batch_id: BatchId) -> Vec<(T::AccountId, u32)> {
		Holdings::<T>::iter_prefix(batch_id).collect()
	}

	/// The record of the pack with `leaf` in `batch_id`, if it was ever verified.
	pub fn code_status(batch_id: BatchId, leaf: H256) -> Option<PackRecordOf<T>> {
		VerifiedPacks::<T>::get(batch_id, leaf)
	}

	/// The recall of `batch_id` with who acknowledged and which holders have not.
	pub fn recall_status(batch_id: BatchId) -> Option<RecallStatusOf<T>> {
		let recall = Recalls::<T>::get(batch_id)?;
		let acknowledged = RecallAcks::<T>::iter_prefix(batch_id).collect();
		let outstanding = Holdings::<T>::iter_prefix(batch_id)
			.filter(|(who, _)| !RecallAcks::<T>::contains_key(batch_id, who))
			.collect();
		Some(RecallStatus { recall, acknowledged, outstanding })
	}

	// ---------------------------------------------------------------------------------------
	// Genesis
	// ---------------------------------------------------------------------------------------

	/// Seed partners, products and batches. Genesis items carry no deposit. An invalid entry
	/// aborts chain-spec building.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for p in &config.partners {
			assert!(crate::gs1::is_valid_gln(&p.gln), "genesis partner: invalid GLN");
			assert!(!Partners::<T>::contains_key(&p.account), "genesis partner: duplicate");
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
			assert!(crate::gs1::is_valid_gtin(&p.gtin), "genesis product: invalid GTIN");
			assert!(!Products::<T>::contains_key(p.gtin), "genesis product: duplicate GTIN");
			let owner = Partners::<T>::get(&p.manufacturer);
			assert!(
				owner.is_some_and(|o| o.role.can_register_products()),
				"genesis product: manufacturer is not a genesis manufacturer"
			);
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
				unreachable_genesis("genesis batch: unknown GTIN");
				continue;
			};
			let Ok(lot) = Lot::try_from(b.lot.clone()) else {
				unreachable_genesis("genesis batch: lot too long");
				continue;
			};
			assert!(crate::gs1::is_valid_lot(&lot), "genesis batch: invalid lot");
			assert!(!BatchIds::<T>::contains_key(b.gtin, &lot), "genesis batch: duplicate lot");
			assert!(b.quantity > 0, "genesis batch: zero quantity");
			assert!(
				b.code_count >= b.quantity && b.code_count <= T::MaxCodesPerBatch::get(),
				"genesis batch: invalid code count"
			);
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

	// ---------------------------------------------------------------------------------------
	// Invariants
	// ---------------------------------------------------------------------------------------

	/// Check every invariant of the pallet's storage. Iterates all of it: for `try-runtime` and
	/// tests only, never called by a hook in production.
	///
	/// - per batch: holdings + pending + dispensed + destroyed = quantity; no zero holding;
	///   `holder_count`, `transfer_count`, `pending`, `verified_packs`, `clone_alarms` match the
	///   maps (a retiring batch's maps may hold fewer, a retired one none and no deposit); the lot
	///   index points back; a `Destroyed` batch has every pack destroyed;
	/// - per product: `batch_count` matches;
	/// - reports only on non-active batches, recalls only on recalled or destroyed batches,
	///   acknowledgements only for recalls and counted;
	/// - the held balance of every account under every reason equals its recorded deposits;
	/// - no record refers to a missing batch.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let mut held: BTreeMap<(T::AccountId, u8), BalanceOf<T>> = BTreeMap::new();
		let mut add_held = |who: &T::AccountId, reason: u8, amount: BalanceOf<T>| {
			let entry = held.entry((who.clone(), reason)).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(amount);
		};
		let next_batch_id = NextBatchId::<T>::get();
		let mut batches_per_product: BTreeMap<Gtin, u32> = BTreeMap::new();

		for (batch_id, batch) in Batches::<T>::iter() {
			ensure!(batch_id < next_batch_id, "batch id not below NextBatchId");
			ensure!(
				BatchIds::<T>::get(batch.gtin, &batch.lot) == Some(batch_id),
				"lot index does not point to the batch"
			);
			ensure!(Products::<T>::contains_key(batch.gtin), "batch of a missing product");
			let count = batches_per_product.entry(batch.gtin).or_insert(0);
			*count = count.saturating_add(1);
			add_held(&batch.manufacturer, 1, batch.deposit);

			let (mut holders, mut held_packs) = (0u32, 0u64);
			for (_, amount) in Holdings::<T>::iter_prefix(batch_id) {
				ensure!(amount > 0, "zero holding stored");
				holders = holders.saturating_add(1);
				held_packs = held_packs.saturating_add(amount.into());
			}
			ensure!(holders == batch.holder_count, "holder_count mismatch");
			let accounted = held_packs
				.saturating_add(batch.pending.into())
				.saturating_add(batch.dispensed.into())
				.saturating_add(batch.destroyed.into());
			ensure!(
				accounted == u64::from(batch.quantity),
				"holdings + pending + dispensed + destroyed != quantity"
			);
			// A retiring batch loses its records while its counts stay as they were.
			let retired = batch.is_retired();
			ensure!(
				retired
					|| (batch.status == BatchStatus::Destroyed)
						== (batch.destroyed == batch.quantity),
				"Destroyed status iff every pack destroyed"
			);
			ensure!(!retired || batch.in_custody() == 0, "retired batch with packs in custody");
			ensure!(batch.status != BatchStatus::Expired, "Expired is never stored");

			let (mut transfers, mut pending) = (0u32, 0u64);
			for (index, transfer) in Transfers::<T>::iter_prefix(batch_id) {
				ensure!(index < batch.transfer_count, "transfer index beyond transfer_count");
				transfers = transfers.saturating_add(1);
				if transfer.state == TransferState::Pending {
					pending = pending.saturating_add(transfer.quantity.into());
					add_held(&transfer.from, 2, transfer.deposit);
				} else {
					ensure!(transfer.deposit.is_zero(), "settled transfer keeps a deposit");
				}
			}
			ensure!(
				transfers == batch.transfer_count || (retired && transfers < batch.transfer_count),
				"transfer_count mismatch"
			);
			ensure!(transfers <= T::MaxTransfersPerBatch::get(), "too many transfers");
			ensure!(pending == u64::from(batch.pending), "pending mismatch");

			let (mut verified, mut alarms, mut alarmed) = (0u32, 0u32, 0u32);
			for (_, record) in VerifiedPacks::<T>::iter_prefix(batch_id) {
				verified = verified.saturating_add(1);
				alarms = alarms.saturating_add(record.alarms);
				if record.alarms > 0 {
					alarmed = alarmed.saturating_add(1);
				}
			}
			ensure!(
				verified == batch.verified_packs || (retired && verified < batch.verified_packs),
				"verified_packs mismatch"
			);
			ensure!(verified <= batch.code_count, "more verified packs than codes");
			ensure!(
				alarms == batch.clone_alarms || (retired && alarms < batch.clone_alarms),
				"clone_alarms mismatch"
			);
			ensure!(
				retired || batch.alarmed_packs <= alarmed,
				"alarmed_packs above packs with alarms"
			);
			if batch.status == BatchStatus::Retired {
				ensure!(
					transfers == 0 && verified == 0 && batch.deposit.is_zero(),
					"retired batch keeps records or a deposit"
				);
			}

			if let Some(report) = SuspectReports::<T>::get(batch_id) {
				ensure!(batch.status != BatchStatus::Active, "open report on an active batch");
				add_held(&report.reporter, 3, report.deposit);
			}
			let acks = RecallAcks::<T>::iter_prefix(batch_id).count();
			match Recalls::<T>::get(batch_id) {
				Some(recall) => {
					ensure!(
						matches!(
							batch.status,
							BatchStatus::Recalled | BatchStatus::Destroyed | BatchStatus::Retiring
						),
						"recall on a batch neither recalled nor destroyed"
					);
					ensure!(
						acks == recall.acknowledged as usize
							|| (retired && acks < recall.acknowledged as usize),
						"acknowledged mismatch"
					);
				},
				None => {
					ensure!(batch.status != BatchStatus::Recalled, "recalled batch without recall");
					ensure!(acks == 0, "acknowledgement without recall");
				},
			}
		}

		for (gtin, product) in Products::<T>::iter() {
			ensure!(
				batches_per_product.get(&gtin).copied().unwrap_or(0) == product.batch_count,
				"product batch_count mismatch"
			);
			add_held(&product.manufacturer, 0, product.deposit);
		}
		for (_, _, batch_id) in BatchIds::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "lot index to a missing batch");
		}
		for (batch_id, _, _) in Holdings::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "holding of a missing batch");
		}
		for (batch_id, _, _) in Transfers::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "transfer of a missing batch");
		}
		for (batch_id, _, _) in VerifiedPacks::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch_id), "pack record of a missing batch");
		}
		for batch_id in SuspectReports::<T>::iter_keys() {
			ensure!(Batches::<T>::contains_key(batch_id), "report on a missing batch");
		}
		for batch_id in Recalls::<T>::iter_keys() {
			ensure!(Batches::<T>::contains_key(batch_id), "recall of a missing batch");
		}

		let reasons = [
			HoldReason::ProductDeposit,
			HoldReason::BatchDeposit,
			HoldReason::TransferDeposit,
			HoldReason::SuspectReportDeposit,
		];
		let mut accounts: Vec<T::AccountId> = held.keys().map(|(who, _)| who.clone()).collect();
		accounts.extend(Partners::<T>::iter_keys());
		accounts.sort();
		accounts.dedup();
		for who in accounts {
			for (code, reason) in (0u8..).zip(reasons) {
				let expected = held.get(&(who.clone(), code)).copied().unwrap_or_else(Zero::zero);
				let actual = T::Currency::balance_on_hold(&reason.into(), &who);
				ensure!(actual == expected, "held deposit differs from recorded deposits");
			}
		}
		Ok(())
	}
}

/// Abort genesis building with `message` (never reached by a valid chain spec).
#[allow(clippy::panic)]
fn unreachable_genesis(message: &str) {
	panic!("{message}");
}
