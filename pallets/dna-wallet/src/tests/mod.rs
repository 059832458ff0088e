//! Unit tests. Every test runs through [`ExtBuilder::build_and_execute`], which checks
//! [`Pallet::do_try_state`] at the end.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::{DispatchError, DispatchResult, TokenError};

mod api;
mod datasets;
mod keys;
mod privacy;
mod recovery;
mod research;
mod shares;

fn dw_event(event: Event<Test>) -> RuntimeEvent {
	RuntimeEvent::DnaWallet(event)
}

/// `owner` registers a VCF dataset `tag`; returns its id.
fn register_dataset(owner: u64, tag: u8) -> DatasetId {
	let id = NextDatasetId::<Test>::get();
	assert_ok!(DnaWallet::register_dataset(
		RuntimeOrigin::signed(owner),
		hash(tag),
		DatasetFormat::Vcf,
		1 << 30,
		locator(tag),
	));
	id
}

/// `owner` shares `dataset` with `recipient`'s key `key_id` for clinical use until `expires_at`.
fn share(
	owner: u64,
	dataset: DatasetId,
	recipient: u64,
	key_id: KeyId,
	expires_at: u64,
) -> DispatchResult {
	DnaWallet::share_key(
		RuntimeOrigin::signed(owner),
		dataset,
		recipient,
		key_id,
		wrapped(recipient as u8),
		expires_at,
		SharePurpose::Clinical,
	)
}

/// `who` registers the X25519 key `tag`; returns its id.
fn register_key(who: u64, tag: u8) -> KeyId {
	let id = NextKeyId::<Test>::get();
	assert_ok!(DnaWallet::register_key(RuntimeOrigin::signed(who), x25519(tag), KeyType::X25519));
	id
}

/// The arguments of [`Pallet::create_study`], with defaults: ORG, health/medical research,
/// non-commercial, VCF or CRAM, budget 1000 for 4 participants (250 each), direct to
/// [`ORG_KEY`], open until block 100.
#[derive(Clone)]
struct StudyParams {
	organisation: u64,
	terms: UseTermsOf<Test>,
	formats: FormatList,
	ethics: sp_core::H256,
	budget: u64,
	max_participants: u32,
	mode: StudyMode,
	recipient: u64,
	recipient_key_id: KeyId,
	expires_at: u64,
}

impl Default for StudyParams {
	fn default() -> Self {
		Self {
			organisation: ORG,
			terms: uses(&[DataUse::HealthMedicalBiomedical], false),
			formats: formats(&[DatasetFormat::Vcf, DatasetFormat::Cram]),
			ethics: hash(0xE1),
			budget: 1_000,
			max_participants: 4,
			mode: StudyMode::Direct,
			recipient: ORG,
			recipient_key_id: ORG_KEY,
			expires_at: 100,
		}
	}
}

impl StudyParams {
	fn create(self) -> DispatchResult {
		DnaWallet::create_study(
			RuntimeOrigin::signed(self.organisation),
			self.terms,
			self.formats,
			self.ethics,
			self.budget,
			self.max_participants,
			self.mode,
			self.recipient,
			self.recipient_key_id,
			self.expires_at,
		)
	}

	/// Create the study; returns its id.
	fn open(self) -> StudyId {
		let id = NextStudyId::<Test>::get();
		assert_ok!(self.create());
		id
	}
}

/// `owner` consents `dataset` to `study`.
fn consent(owner: u64, study: StudyId, dataset: DatasetId) -> DispatchResult {
	DnaWallet::consent(RuntimeOrigin::signed(owner), study, dataset, wrapped(0xAA))
}

/// The organisation of `study` accepts the consent of `dataset`.
fn accept(study: StudyId, dataset: DatasetId) -> DispatchResult {
	let organisation = Studies::<Test>::get(study).unwrap().organisation;
	DnaWallet::accept_consent(RuntimeOrigin::signed(organisation), study, dataset)
}

/// `owner` consents `dataset` to `study` and the organisation accepts: the owner is paid.
fn consent_accepted(owner: u64, study: StudyId, dataset: DatasetId) {
	assert_ok!(consent(owner, study, dataset));
	assert_ok!(accept(study, dataset));
}

/// A key for [`ORG_2`], and the parameters of a study of it.
fn org_2_study() -> StudyParams {
	let key = register_key(ORG_2, 21);
	StudyParams {
		organisation: ORG_2,
		recipient: ORG_2,
		recipient_key_id: key,
		..Default::default()
	}
}

/// A dataset of [`OWNER`] allowing health/medical research.
fn research_dataset(tag: u8) -> DatasetId {
	research_dataset_of(OWNER, tag)
}

/// A dataset of `owner` allowing health/medical research.
fn research_dataset_of(owner: u64, tag: u8) -> DatasetId {
	let dataset = register_dataset(owner, tag);
	assert_ok!(DnaWallet::set_allowed_uses(
		RuntimeOrigin::signed(owner),
		dataset,
		uses(&[DataUse::HealthMedicalBiomedical], false),
	));
	dataset
}
