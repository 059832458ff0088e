//! Pack verification: its weight, the unsigned validation, and the first verification or clone
//! alarm of a pack.

use crate::*;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
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
	pub(crate) fn verdict(batch: &BatchOf<T>) -> PackVerdict {
		match batch.effective_status(&frame_system::Pallet::<T>::block_number()) {
			BatchStatus::Active => PackVerdict::Genuine,
			reason => PackVerdict::DoNotUse { reason },
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
			// The code of a verified pack is public: a free repeat proves nothing and raises
			// nothing. The record tells a checker when it was verified (`check_pack`).
			PackCheck::AlreadyVerified { .. } => InvalidTransaction::Stale.into(),
		}
	}

	/// `who` if it is an active partner allowed to report a second scan (clone alarm).
	fn clone_alarm_reporter(who: Option<T::AccountId>) -> Option<T::AccountId> {
		let now = frame_system::Pallet::<T>::block_number();
		who.filter(|who| {
			Partners::<T>::get(who)
				.is_some_and(|p| p.is_active(&now) && p.role.can_raise_clone_alarm())
		})
	}

	/// Verify a pack for `who` (`None`: unsigned); returns whether this was its first
	/// verification. A repeat raises a clone alarm only for an active licensed dispenser or
	/// regulator, and fails with [`Error::AlreadyVerified`] for anyone else.
	pub(crate) fn do_verify_pack(
		who: Option<T::AccountId>,
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
		let licensed = Self::clone_alarm_reporter(who);

		let Some(mut record) = VerifiedPacks::<T>::get(batch_id, leaf) else {
			let first_verifier =
				if licensed.is_some() { Verifier::LicensedPartner } else { Verifier::Public };
			// Bounded by `code_count`: one record per distinct leaf of the tree.
			batch.verified_packs = batch.verified_packs.saturating_add(1);
			VerifiedPacks::<T>::insert(
				batch_id,
				leaf,
				PackRecord {
					first_verified_at: now,
					region,
					first_verifier,
					alarms: 0,
					last_alarm_at: None,
				},
			);
			Batches::<T>::insert(batch_id, batch);
			Self::deposit_event(Event::PackVerified { batch_id, leaf, region, verdict });
			return Ok(true);
		};

		// A repeat by anyone else may be a replay of the public call data of the first one.
		let reporter = licensed.ok_or(Error::<T>::AlreadyVerified)?;
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
			reporter,
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
}
