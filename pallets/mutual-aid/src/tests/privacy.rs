//! What never goes into events, and the issue's flow end to end.

use super::*;
use codec::Encode;

/// Whether `needle` occurs anywhere in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// The issue's flow: a share-after-claims pool → five members join → a claim before
/// eligibility is rejected → after eligibility a claim is filed → one objection during notice
/// → three reviewers commit and reveal → approved → finalize → apportion → every member paid
/// the same share + fee and the claimant received the amount. The claim names only the pool's
/// covered category (the finer diagnosis code is refused); no event carries the condition code,
/// the evidence record ids, a vote salt or any document.
#[test]
fn issue_flow_emits_no_plaintext() {
	ExtBuilder::default().build_and_execute(|| {
		// Off chain: the diagnosis document, its salted commitment, the objection's reason.
		let diagnosis = b"Invasive ductal carcinoma, left breast".to_vec();
		let salt = [0x42_u8; 32];
		let evidence_commitment =
			H256(sp_io::hashing::blake2_256(&[salt.as_slice(), &diagnosis].concat()));
		let reason = b"claimant was diagnosed before joining".to_vec();
		let reason_commitment =
			H256(sp_io::hashing::blake2_256(&[salt.as_slice(), &reason].concat()));
		let record_id: RecordId = ALICE as u64 * 1000 + 777;

		join_all(SHARE_POOL, &MEMBERS);
		let file_as = |condition: &str| {
			MutualAid::file_claim(
				signed(ALICE),
				SHARE_POOL,
				code(condition),
				1_000,
				now(),
				BoundedVec::try_from(vec![record_id]).unwrap(),
				evidence_commitment,
			)
		};
		assert_noop!(file_as("C"), Error::<Test>::NotEligible);
		advance(WAITING);
		assert_noop!(file_as("C50.912"), Error::<Test>::ConditionNotCovered);
		let id = NextClaimId::<Test>::get();
		assert_ok!(file_as("C"));
		assert_eq!(Claims::<Test>::get(id).map(|c| c.condition.to_vec()), Some(b"C".to_vec()));
		assert_ok!(MutualAid::object(signed(BOB), id, reason_commitment));
		review(id, &approve_all());
		finalize(id);
		run_to_block(PERIOD);
		let before: Vec<u64> = MEMBERS.iter().map(|m| free(*m)).collect();
		while {
			assert_ok!(MutualAid::apportion(signed(STRANGER), SHARE_POOL, 0));
			Apportionments::<Test>::contains_key(SHARE_POOL)
		} {}
		for (i, who) in MEMBERS.iter().enumerate() {
			let received = if *who == ALICE { 1_000 } else { 0 };
			assert_eq!(free(*who), before[i] - 200 - 2 + received);
		}

		let events: Vec<u8> = System::events().iter().flat_map(|r| r.event.encode()).collect();
		assert!(!contains(&events, &code("C").encode()), "no event carries the condition code");
		assert!(!contains(&events, &record_id.encode()), "no event carries evidence record ids");
		assert!(!contains(&events, &diagnosis), "no event carries the diagnosis");
		assert!(!contains(&events, &reason), "no event carries the objection reason");
		assert!(!contains(&events, &salt), "no event carries a document salt");
		for reviewer in panel_members_of_history() {
			assert!(!contains(&events, &[reviewer as u8; 32]), "no event carries a vote salt");
		}
		// The commitments are what the chain shows.
		assert!(contains(&events, evidence_commitment.as_bytes()));
		assert!(contains(&events, reason_commitment.as_bytes()));
	});
}

/// Every reviewer who could have sat on a panel.
fn panel_members_of_history() -> Vec<AccountId> {
	REVIEWERS.to_vec()
}
