//! Review access: a claim panel's reviewer (here [`STRANGER`], not a provider) reads exactly the
//! records the claim cites, through `EvidenceRecords` only, logged, until the review ends.

use super::*;
use medchain_evidence::{EvidenceRecords, ReviewId};

const REVIEW: ReviewId = 7;
/// Another reviewer, not a provider.
const REVIEWER_2: u64 = 21;
/// A third reviewer, not a provider.
const REVIEWER_3: u64 = 22;

fn grant_review(patient: u64, reviewer: u64, records: &[RecordId], until: u64) -> DispatchResult {
	<Ehr as EvidenceRecords<u64, u64>>::grant_review_access(
		&patient, &reviewer, REVIEW, records, until,
	)
}

fn end_review(patient: u64, reviewer: u64, review: ReviewId) -> bool {
	<Ehr as EvidenceRecords<u64, u64>>::end_review_access(&patient, &reviewer, review)
}

fn review_log(reviewer: u64, patient: u64, record: RecordId) -> DispatchResult {
	Ehr::log_access(RuntimeOrigin::signed(reviewer), patient, record, PurposeOfUse::ClaimReview)
}

const REFUSED: Option<ReadVerdict<u64>> = Some(ReadVerdict::Refused(ReadRefusal::NotAuthorized));

#[test]
fn review_access_lets_a_non_provider_read_the_cited_records_and_logs_each_read() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(grant(PATIENT, HOSPITAL, AccessActions::APPEND, 100, None));
		let note = add_record(HOSPITAL, PATIENT, CONSULT_NOTE, 1);
		assert_noop!(review_log(STRANGER, PATIENT, note), Error::<Test>::ProviderNotFound);

		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 10));
		System::assert_last_event(ehr_event(Event::ReviewAccessGranted {
			patient: PATIENT,
			reviewer: STRANGER,
			review: REVIEW,
		}));
		assert!(Ehr::can_access(STRANGER, note, AccessAction::Read));
		assert_eq!(ticket(STRANGER, note), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));

		run_to_block(2);
		assert_ok!(review_log(STRANGER, PATIENT, note));
		assert_eq!(
			Ehr::access_log(PATIENT, 0, 10),
			vec![AccessEntry {
				index: 0,
				accessor: STRANGER,
				record_id: Some(note),
				purpose: PurposeOfUse::ClaimReview,
				basis: AccessBasis::Review,
				at: 2,
			}]
		);
		// The vault serves the object to the reviewer for the read window after the logged read.
		assert_eq!(
			ticket(STRANGER, note),
			Some(ReadVerdict::Logged { index: 0, at: 2, basis: AccessBasis::Review })
		);
		// No grant and no deposit: review access is not a patient's grant (the one grant is the
		// hospital's append grant).
		assert_eq!(GrantCount::<Test>::get(PATIENT), 1);
		assert!(Ehr::active_grants(PATIENT).iter().all(|g| g.grantee == HOSPITAL));
		assert_eq!(held(HoldReason::GrantDeposit, PATIENT), GRANT_DEPOSIT);
		assert_eq!(ReviewAccessCount::<Test>::get(STRANGER), 1);
	});
}

#[test]
fn the_patient_sees_who_may_read_for_a_review_until_it_expires_or_ends() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let lab = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		let theirs = add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 3);
		let granted_at = System::block_number();
		assert_ok!(grant_review(PATIENT, STRANGER, &[note, lab], 10));
		assert_ok!(grant_review(PATIENT, REVIEWER_2, &[note], 20));
		assert_ok!(grant_review(PATIENT_2, REVIEWER_3, &[theirs], 10));
		let view = |reviewer, records: Vec<RecordId>, expires_at| ReviewAccessView {
			reviewer,
			review: REVIEW,
			records,
			granted_at,
			expires_at,
		};
		let mut seen = Ehr::review_accesses(PATIENT);
		seen.sort_by_key(|access| access.reviewer);
		assert_eq!(
			seen,
			vec![view(STRANGER, vec![note, lab], 10), view(REVIEWER_2, vec![note], 20)]
		);
		assert_eq!(Ehr::review_accesses(PATIENT_2), vec![view(REVIEWER_3, vec![theirs], 10)]);

		// Expired (still stored until the citing pallet ends it) no longer shows.
		run_to_block(10);
		assert_eq!(Ehr::review_accesses(PATIENT), vec![view(REVIEWER_2, vec![note], 20)]);
		assert!(end_review(PATIENT, REVIEWER_2, REVIEW));
		assert_eq!(Ehr::review_accesses(PATIENT), vec![]);
	});
}

#[test]
fn attack_reviewer_reads_a_record_the_claim_does_not_cite() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let lab = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		let theirs = add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 3);
		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 10));

		assert_noop!(review_log(STRANGER, PATIENT, lab), Error::<Test>::ProviderNotFound);
		assert_noop!(review_log(STRANGER, PATIENT_2, theirs), Error::<Test>::ProviderNotFound);
		assert!(!Ehr::can_access(STRANGER, lab, AccessAction::Read));
		assert_eq!(ticket(STRANGER, lab), REFUSED);
		assert_eq!(ticket(STRANGER, theirs), REFUSED);
	});
}

#[test]
fn attack_reviewer_reads_for_another_purpose() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 10));
		for purpose in [PurposeOfUse::Treatment, PurposeOfUse::Research, PurposeOfUse::Emergency] {
			assert_noop!(
				Ehr::log_access(RuntimeOrigin::signed(STRANGER), PATIENT, note, purpose),
				Error::<Test>::PurposeMismatch
			);
		}
	});
}

#[test]
fn attack_reviewer_appends_or_amends_with_review_access() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 10));
		assert!(!Ehr::can_access(STRANGER, note, AccessAction::Append));
		assert_noop!(
			Ehr::amend_record(
				RuntimeOrigin::signed(STRANGER),
				note,
				commitment(9),
				next_content_id(),
				locator(9),
				1,
			),
			Error::<Test>::ProviderNotFound
		);
		assert_noop!(
			Ehr::add_record(
				RuntimeOrigin::signed(STRANGER),
				PATIENT,
				type_code(CONSULT_NOTE),
				commitment(9),
				next_content_id(),
				locator(9),
				1,
			),
			Error::<Test>::ProviderNotFound
		);
	});
}

#[test]
fn attack_reviewer_reads_after_review_access_expires() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 5));
		run_to_block(4);
		assert_ok!(review_log(STRANGER, PATIENT, note));
		assert!(matches!(ticket(STRANGER, note), Some(ReadVerdict::Logged { .. })));
		// From the expiry block on, neither a new read nor the fresh logged one serves.
		run_to_block(5);
		assert_noop!(review_log(STRANGER, PATIENT, note), Error::<Test>::ProviderNotFound);
		assert_eq!(ticket(STRANGER, note), REFUSED);
	});
}

#[test]
fn attack_reviewer_reads_after_review_access_ended() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 100));
		assert_ok!(review_log(STRANGER, PATIENT, note));
		assert!(matches!(ticket(STRANGER, note), Some(ReadVerdict::Logged { .. })));

		// Ending another review's access leaves this one.
		assert!(!end_review(PATIENT, STRANGER, REVIEW + 1));
		assert!(ReviewAccesses::<Test>::contains_key(STRANGER, PATIENT));

		assert!(end_review(PATIENT, STRANGER, REVIEW));
		System::assert_last_event(ehr_event(Event::ReviewAccessEnded {
			patient: PATIENT,
			reviewer: STRANGER,
			review: REVIEW,
		}));
		// The read logged a moment ago no longer opens the object.
		assert_eq!(ticket(STRANGER, note), REFUSED);
		assert_noop!(review_log(STRANGER, PATIENT, note), Error::<Test>::ProviderNotFound);
		assert_eq!(ReviewAccessCount::<Test>::get(STRANGER), 0);
		assert!(!end_review(PATIENT, STRANGER, REVIEW));
	});
}

#[test]
fn attack_review_access_to_another_patients_record_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let mine = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let theirs = add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 2);
		assert_noop!(
			grant_review(PATIENT, STRANGER, &[mine, theirs], 10),
			Error::<Test>::RecordNotFound
		);
		assert_eq!(ticket(STRANGER, theirs), REFUSED);
	});
}

#[test]
fn attack_review_access_piles_up_in_storage() {
	ExtBuilder::default().build_and_execute(|| {
		let mine = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let theirs = add_record(PATIENT_2, PATIENT_2, CONSULT_NOTE, 2);
		let third = add_record(MUM, MUM, CONSULT_NOTE, 3);
		assert_ok!(grant_review(PATIENT, STRANGER, &[mine], 10));
		// One live review access per (reviewer, patient): a second review cannot stack.
		assert!(!Ehr::can_grant_review_access(&PATIENT, &STRANGER));
		assert_noop!(
			<Ehr as EvidenceRecords<u64, u64>>::grant_review_access(
				&PATIENT,
				&STRANGER,
				REVIEW + 1,
				&[mine],
				10,
			),
			Error::<Test>::ReviewAccessAlreadyExists
		);
		assert_ok!(grant_review(PATIENT_2, STRANGER, &[theirs], 10));
		// At most MAX_REVIEW_ACCESS per reviewer.
		assert_eq!(ReviewAccessCount::<Test>::get(STRANGER), MAX_REVIEW_ACCESS);
		assert!(!Ehr::can_grant_review_access(&MUM, &STRANGER));
		assert_noop!(
			grant_review(MUM, STRANGER, &[third], 10),
			Error::<Test>::TooManyReviewAccesses
		);

		// An expired access (its review not yet closed) is replaced, not added to.
		run_to_block(10);
		assert!(Ehr::can_grant_review_access(&PATIENT, &STRANGER));
		assert_ok!(<Ehr as EvidenceRecords<u64, u64>>::grant_review_access(
			&PATIENT,
			&STRANGER,
			REVIEW + 1,
			&[mine],
			20,
		));
		assert_eq!(ReviewAccessCount::<Test>::get(STRANGER), MAX_REVIEW_ACCESS);
		assert_eq!(
			<Ehr as EvidenceRecords<u64, u64>>::review_access(&PATIENT, &STRANGER),
			Some(REVIEW + 1)
		);
		// The old review's end does not touch the new access.
		assert!(!end_review(PATIENT, STRANGER, REVIEW));

		// Leaving every panel ends every access of the reviewer at once.
		assert_eq!(<Ehr as EvidenceRecords<u64, u64>>::end_all_review_access(&STRANGER), 2);
		System::assert_has_event(ehr_event(Event::ReviewAccessEnded {
			patient: PATIENT_2,
			reviewer: STRANGER,
			review: REVIEW,
		}));
		assert_eq!(ReviewAccesses::<Test>::iter_prefix(STRANGER).count(), 0);
		assert_eq!(ReviewAccessCount::<Test>::get(STRANGER), 0);
		assert_eq!(<Ehr as EvidenceRecords<u64, u64>>::end_all_review_access(&STRANGER), 0);
	});
}

#[test]
fn replacing_an_expired_review_access_ends_the_old_one() {
	ExtBuilder::default().build_and_execute(|| {
		let mine = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_review(PATIENT, STRANGER, &[mine], 3));
		run_to_block(3);
		assert_ok!(<Ehr as EvidenceRecords<u64, u64>>::grant_review_access(
			&PATIENT,
			&STRANGER,
			REVIEW + 1,
			&[mine],
			9,
		));
		System::assert_has_event(ehr_event(Event::ReviewAccessEnded {
			patient: PATIENT,
			reviewer: STRANGER,
			review: REVIEW,
		}));
		System::assert_last_event(ehr_event(Event::ReviewAccessGranted {
			patient: PATIENT,
			reviewer: STRANGER,
			review: REVIEW + 1,
		}));
	});
}

#[test]
fn review_access_terms_are_checked() {
	ExtBuilder::default().build_and_execute(|| {
		let ids: Vec<RecordId> = (1..=MAX_SCOPE + 1)
			.map(|tag| add_record(PATIENT, PATIENT, CONSULT_NOTE, tag as u8))
			.collect();
		assert_noop!(
			grant_review(PATIENT, PATIENT, &ids[..1], 10),
			Error::<Test>::CannotTargetSelf
		);
		assert!(!Ehr::can_grant_review_access(&PATIENT, &PATIENT));
		assert_noop!(grant_review(PATIENT, STRANGER, &[], 10), Error::<Test>::EmptyScope);
		assert_noop!(grant_review(PATIENT, STRANGER, &ids, 10), Error::<Test>::TooManyScopeItems);
		assert_noop!(grant_review(PATIENT, STRANGER, &ids[..1], 1), Error::<Test>::Expired);
		// A record erased since the claim cited it stays listed but never reads.
		assert_ok!(grant_review(PATIENT, STRANGER, &[ids[0], 999], 10));
		assert_ok!(grant_review(PATIENT, REVIEWER_2, &ids[..MAX_SCOPE as usize], 10));
		assert_noop!(review_log(STRANGER, PATIENT, 999), Error::<Test>::RecordNotFound);
	});
}

#[test]
fn review_access_serves_only_the_reviewer_who_logged_the_read() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant_review(PATIENT, STRANGER, &[note], 10));
		assert_ok!(grant_review(PATIENT, REVIEWER_2, &[note], 10));
		assert_ok!(review_log(STRANGER, PATIENT, note));
		assert!(matches!(ticket(STRANGER, note), Some(ReadVerdict::Logged { .. })));
		// A fellow reviewer must log its own read; an account off the panel gets nothing.
		assert_eq!(ticket(REVIEWER_2, note), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));
		assert_eq!(ticket(REVIEWER_3, note), REFUSED);
		assert_eq!(ticket(DOCTOR, note), REFUSED);
	});
}

#[test]
fn a_provider_reviewer_keeps_its_own_grant_apart_from_review_access() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		let lab = add_record(PATIENT, PATIENT, LAB_REPORT, 2);
		assert_ok!(grant_scope(PATIENT, DOCTOR, records_scope(&[lab]), AccessActions::READ));
		assert_ok!(grant_review(PATIENT, DOCTOR, &[note], 10));
		// Each access reads what it covers, for its own purpose.
		assert_ok!(review_log(DOCTOR, PATIENT, note));
		assert_ok!(log(DOCTOR, PATIENT, lab));
		assert_noop!(log(DOCTOR, PATIENT, note), Error::<Test>::PurposeMismatch);
		assert_noop!(review_log(DOCTOR, PATIENT, lab), Error::<Test>::PurposeMismatch);
		assert_eq!(Ehr::access_log(PATIENT, 0, 2)[0].basis, AccessBasis::Review);
		assert_eq!(Ehr::access_log(PATIENT, 0, 2)[1].basis, AccessBasis::Grant);
		// Ending the review leaves the patient's grant.
		assert!(end_review(PATIENT, DOCTOR, REVIEW));
		assert!(Grants::<Test>::contains_key(PATIENT, DOCTOR));
	});
}

/// A provider that also sat on a claim's panel, and holds a grant of the patient covering the
/// same record for treatment, cannot have the vault serve a read it logged for the review once
/// the review ended: the logged read counts only under the access it was logged under.
#[test]
fn attack_provider_reviewer_replays_a_review_read_after_the_review_ended() {
	ExtBuilder::default().build_and_execute(|| {
		let note = add_record(PATIENT, PATIENT, CONSULT_NOTE, 1);
		assert_ok!(grant(PATIENT, DOCTOR, AccessActions::READ, 100, None));
		assert_ok!(grant_review(PATIENT, DOCTOR, &[note], 100));
		assert_ok!(review_log(DOCTOR, PATIENT, note));
		assert_eq!(
			ticket(DOCTOR, note),
			Some(ReadVerdict::Logged { index: 0, at: 1, basis: AccessBasis::Review })
		);
		assert!(end_review(PATIENT, DOCTOR, REVIEW));
		// The treatment grant is live, but no treatment read was logged.
		assert_eq!(ticket(DOCTOR, note), Some(ReadVerdict::Refused(ReadRefusal::NotLogged)));
	});
}
