//! What never goes on chain: endpoints, and in events the receipts a challenge answer shows.

use super::*;
use codec::Encode;

/// Whether `needle` occurs anywhere in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn events_and_storage_carry_commitments_never_endpoints_or_receipts() {
	ExtBuilder::default().build_and_execute(|| {
		// Off chain: the endpoint and a salt; on chain only their hash.
		let endpoint = b"https://storage.alice.example:8443/medchain".to_vec();
		let salt = [0x42u8; 32];
		let commitment =
			H256(sp_io::hashing::blake2_256(&[salt.as_slice(), endpoint.as_slice()].concat()));
		assert_ok!(StoragePower::register_provider(RuntimeOrigin::signed(ALICE), 1024, commitment));
		heartbeats(&[ALICE], EXPECTED_HEARTBEATS);
		report(ALICE, 100, 0, GIB_BYTES);
		run_to_block(System::block_number() + 1);
		let id = challenge(ALICE);
		let shown = answer(ALICE, id);
		// What the reader signed: which object of which vault it read, when.
		let signed = shown.receipt.signature.1.clone();
		respond(ALICE, id, shown);
		pay_for_storage(10);
		run_to_era(1);
		assert_ok!(StoragePower::claim_rewards(RuntimeOrigin::signed(ALICE), 1));

		let events = pallet_events();
		assert!(events.len() >= 8);
		for event in &events {
			let bytes = event.encode();
			assert!(!contains(&bytes, &endpoint), "endpoint in {event:?}");
			assert!(!contains(&bytes, b"https://"), "URL in {event:?}");
			assert!(!contains(&bytes, &signed), "a receipt in {event:?}");
		}
		assert!(has_event(Event::ProviderRegistered {
			provider: ALICE,
			capacity_gib: 1024,
			stake: STAKE_PER_TIB,
			endpoint_commitment: commitment,
		}));
		let stored = Providers::<Test>::get(ALICE).unwrap().encode();
		assert!(!contains(&stored, &endpoint));
	});
}
