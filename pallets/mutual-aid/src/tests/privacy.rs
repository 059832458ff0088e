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
/// the same share + fee and the claimant received the amount. The claim carries a salted
/// commitment to its covered code; no event carries the condition code, the evidence record
/// ids, a vote salt or any document.
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
		join_all(SHARE_POOL, &MEMBERS);
		let file_as = |record_id: RecordId| {
			MutualAid::file_claim(
				signed(ALICE),
				SHARE_POOL,
				condition(SHARE_POOL),
				1_000,
				BoundedVec::try_from(vec![record_id]).unwrap(),
				evidence_commitment,
			)
		};
		assert_noop!(file_as(issue_record(ALICE, PROVIDER)), Error::<Test>::NotEligible);
		advance(WAITING);
		let record_id = issue_record(ALICE, PROVIDER);
		let id = NextClaimId::<Test>::get();
		assert_ok!(file_as(record_id));
		assert_eq!(claim(id).condition_commitment, condition(SHARE_POOL));
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

/// A claim's condition code next to the claimant's account would tell everyone who has which
/// illness. The call, the stored claim, the runtime API view and the events carry only a salted
/// commitment to it: the code (or its unsalted hash) is nowhere, and trying the pool's few
/// covered codes without the salt finds nothing.
#[test]
fn attack_condition_code_readable_next_to_claimant() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let i21 = code("I21");
		let salt = [0x5A_u8; 32];
		let commitment_i21 = MutualAid::condition_commitment(SHARE_POOL, &i21, &salt);
		let call = RuntimeCall::MutualAid(Call::file_claim {
			pool_id: SHARE_POOL,
			condition_commitment: commitment_i21,
			amount: 700,
			evidence: evidence(ALICE),
			evidence_commitment: commitment(0xEE),
		});
		let id = NextClaimId::<Test>::get();
		assert_ok!(MutualAid::file_claim(
			signed(ALICE),
			SHARE_POOL,
			commitment_i21,
			700,
			evidence(ALICE),
			commitment(0xEE)
		));
		let stored = Claims::<Test>::get(id).unwrap().encode();
		let view = MutualAid::claims(SHARE_POOL, None).encode();
		let events: Vec<u8> = System::events().iter().flat_map(|r| r.event.encode()).collect();
		let plain_hash = sp_io::hashing::blake2_256(&i21);
		for (what, bytes) in
			[("call", call.encode()), ("claim", stored), ("view", view), ("events", events)]
		{
			assert!(!contains(&bytes, &i21.encode()), "the {what} carries the condition code");
			assert!(!contains(&bytes, b"I21"), "the {what} carries the condition code");
			assert!(!contains(&bytes, &plain_hash), "the {what} carries its unsalted hash");
		}
		// The commitment opens with the salt the reviewers get; guessing without it fails.
		assert_eq!(claim(id).condition_commitment, commitment_i21);
		for guess in ["C", "I21"] {
			assert_ne!(
				MutualAid::condition_commitment(SHARE_POOL, &code(guess), &[0; 32]),
				commitment_i21
			);
		}
	});
}
