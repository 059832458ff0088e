//! Invariants checked by `try_state` (and after every unit test).

use crate::*;
use alloc::collections::btree_set::BTreeSet;
use frame_support::{ensure, traits::Get};
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// The pallet's invariants: counters match their maps, every deposit and escrow recorded
	/// is exactly what is held, no orphans, every cap respected.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::traits::CheckedMul;

		type Sums<T> = BTreeMap<(u8, AccountIdOf<T>), BalanceOf<T>>;
		fn add<T: Config>(
			sums: &mut Sums<T>,
			reason: u8,
			who: &AccountIdOf<T>,
			amount: BalanceOf<T>,
		) {
			let sum = sums.entry((reason, who.clone())).or_default();
			*sum = sum.saturating_add(amount);
		}
		let mut sums = Sums::<T>::new();
		const KEY: u8 = 0;
		const DATASET: u8 = 1;
		const SHARE: u8 = 2;
		const STUDY: u8 = 3;
		const ESCROW: u8 = 4;
		const GUARDIAN: u8 = 5;
		const CONSENT: u8 = 6;

		// Keys.
		let next_key = NextKeyId::<T>::get();
		let mut key_ids = BTreeSet::new();
		for (who, keys) in Keys::<T>::iter() {
			ensure!(!keys.is_empty(), "an empty key list is stored");
			for key in keys.iter() {
				ensure!(key.id < next_key, "a key id is not below NextKeyId");
				ensure!(key_ids.insert(key.id), "a key id is used twice");
				ensure!(key.key_type.accepts(&key.public_key), "a stored key is malformed");
				add::<T>(&mut sums, KEY, &who, key.deposit);
			}
		}

		// Datasets and shares.
		let next_dataset = NextDatasetId::<T>::get();
		let mut datasets: u64 = 0;
		for (id, info) in Datasets::<T>::iter() {
			datasets = datasets.saturating_add(1);
			ensure!(id < next_dataset, "a dataset id is not below NextDatasetId");
			ensure!(
				OwnerDatasets::<T>::get(&info.owner).contains(&id),
				"a dataset is not listed under its owner"
			);
			ensure!(info.key_version >= 1, "a data-key version is zero");
			add::<T>(&mut sums, DATASET, &info.owner, info.deposit);
			let mut shares: u32 = 0;
			for (_, share) in Shares::<T>::iter_prefix(id) {
				shares = shares.saturating_add(1);
				ensure!(share.key_version <= info.key_version, "a share is of a future version");
				add::<T>(&mut sums, SHARE, &info.owner, share.deposit);
			}
			ensure!(shares == info.share_count, "a dataset's share count differs from its shares");
			ensure!(shares <= T::MaxSharesPerDataset::get(), "a dataset has too many shares");
		}
		let mut listed: u64 = 0;
		for (owner, ids) in OwnerDatasets::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty dataset list is stored");
			for id in ids.iter() {
				ensure!(
					Datasets::<T>::get(id).is_some_and(|d| d.owner == owner),
					"a listed dataset is missing or another owner's"
				);
			}
			listed = listed.saturating_add(ids.len() as u64);
		}
		ensure!(listed == datasets, "datasets and owner lists differ");
		for (id, _, _) in Shares::<T>::iter() {
			ensure!(Datasets::<T>::contains_key(id), "a share of a removed dataset");
		}

		// Studies and consents.
		let next_study = NextStudyId::<T>::get();
		let index = StudyIndex::<T>::get();
		let mut studies: usize = 0;
		let mut per_organisation = BTreeMap::<AccountIdOf<T>, u32>::new();
		for (id, study) in Studies::<T>::iter() {
			studies = studies.saturating_add(1);
			ensure!(id < next_study, "a study id is not below NextStudyId");
			ensure!(index.contains(&id), "a study is not in StudyIndex");
			ensure!(
				study.participants <= study.max_participants,
				"a study has too many participants"
			);
			ensure!(
				study.max_participants <= T::MaxParticipants::get(),
				"a study's cap is too high"
			);
			let mut counts = (0u32, 0u32, 0u32);
			for (dataset, consent) in Consents::<T>::iter_prefix(id) {
				counts.0 = counts.0.saturating_add(1);
				ensure!(
					StudyParticipants::<T>::get(id, &consent.owner) == Some(dataset),
					"a consent's owner is not listed as a participant"
				);
				match consent.status {
					ConsentStatus::Accepted => {
						counts.2 = counts.2.saturating_add(1);
						ensure!(consent.paid == study.price, "an accepted consent was not paid");
					},
					_ => ensure!(consent.paid.is_zero(), "an unaccepted consent was paid"),
				}
				if consent.status.is_unsettled() {
					counts.1 = counts.1.saturating_add(1);
					ensure!(!consent.deposit.is_zero(), "an unsettled consent holds no deposit");
				} else {
					ensure!(consent.deposit.is_zero(), "a settled consent keeps its deposit");
				}
				let rejected = matches!(
					consent.status,
					ConsentStatus::Rejected { .. } | ConsentStatus::Disputed { .. }
				);
				ensure!(
					rejected != consent.rejection_deposit.is_zero(),
					"a rejection deposit is held exactly while a rejection is open"
				);
				add::<T>(&mut sums, CONSENT, &consent.owner, consent.deposit);
				add::<T>(&mut sums, CONSENT, &study.organisation, consent.rejection_deposit);
			}
			ensure!(
				counts == (study.participants, study.pending, study.accepted),
				"a study's counters differ from its consent records"
			);
			ensure!(
				StudyParticipants::<T>::iter_prefix(id).count() == study.participants as usize,
				"a study's participant entries differ from its participants"
			);
			let mul = |n: u32| {
				study
					.price
					.checked_mul(&BalanceOf::<T>::from(n))
					.ok_or("a study's payments overflow")
			};
			match study.status {
				StudyStatus::Open => ensure!(
					study.escrow.checked_add(&mul(study.accepted)?) == Some(study.budget),
					"an open study's escrow is not budget minus payments"
				),
				StudyStatus::Closed => ensure!(
					study.escrow == mul(study.pending)?,
					"a closed study's escrow is not the price of its unsettled consents"
				),
			}
			let owned = per_organisation.entry(study.organisation.clone()).or_insert(0u32);
			*owned = owned.saturating_add(1);
			add::<T>(&mut sums, STUDY, &study.organisation, study.deposit);
			add::<T>(&mut sums, ESCROW, &study.organisation, study.escrow);
		}
		ensure!(studies == index.len(), "StudyIndex lists a missing study");
		for (id, _, _) in Consents::<T>::iter() {
			ensure!(Studies::<T>::contains_key(id), "a consent of a removed study");
		}
		for (id, _, _) in StudyParticipants::<T>::iter() {
			ensure!(Studies::<T>::contains_key(id), "a participant of a removed study");
		}
		for (organisation, count) in OrganisationStudies::<T>::iter() {
			ensure!(
				per_organisation.remove(&organisation) == Some(count),
				"an organisation's study count differs from its studies"
			);
			ensure!(
				count <= T::MaxStudiesPerOrganisation::get(),
				"an organisation has too many studies"
			);
		}
		ensure!(per_organisation.is_empty(), "studies of an organisation are not counted");

		// Guardians.
		for (owner, set) in Guardians::<T>::iter() {
			ensure!(
				set.threshold > 0 && set.threshold as usize <= set.guardians.len(),
				"a guardian threshold is out of range"
			);
			add::<T>(&mut sums, GUARDIAN, &owner, set.deposit);
		}
		for (owner, recovery) in Recoveries::<T>::iter() {
			let set = Guardians::<T>::get(&owner).ok_or("a recovery without guardians")?;
			ensure!(
				recovery.votes.iter().all(|v| set.guardians.contains(&v.guardian)),
				"a recovery vote of a non-guardian"
			);
			ensure!(
				recovery.pending.is_none() || recovery.votes.is_empty(),
				"a pending recovery keeps votes"
			);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				recovery.votes.iter().all(|v| v.approved_at <= now),
				"a recovery vote from the future"
			);
		}

		// Holds: for every account seen, every reason holds exactly what is recorded (zero
		// included, so a hold left behind by a removed item is caught).
		let accounts: BTreeSet<AccountIdOf<T>> = sums.keys().map(|(_, who)| who.clone()).collect();
		for who in accounts {
			for (code, reason) in [
				(KEY, HoldReason::KeyDeposit),
				(DATASET, HoldReason::DatasetDeposit),
				(SHARE, HoldReason::ShareDeposit),
				(STUDY, HoldReason::StudyDeposit),
				(ESCROW, HoldReason::StudyEscrow),
				(GUARDIAN, HoldReason::GuardianDeposit),
				(CONSENT, HoldReason::ConsentDeposit),
			] {
				let recorded = sums.get(&(code, who.clone())).copied().unwrap_or_default();
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), &who) == recorded,
					"a hold differs from the deposits and escrow recorded"
				);
			}
		}
		Ok(())
	}
}
