//! The end-to-end flow of a batch, from registration to recall, and what it leaves on chain.

use super::*;
use codec::Encode;

const NEW_MANUFACTURER: AccountId = 21;
const NEW_WHOLESALER: AccountId = 22;
const NEW_PHARMACY: AccountId = 23;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every key and value in the state.
fn state() -> Vec<(Vec<u8>, Vec<u8>)> {
	let mut pairs = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		let value = sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default();
		pairs.push((next.clone(), value));
		key = next;
	}
	pairs
}

#[test]
fn issue_flow_from_registration_to_recall() {
	use frame_support::traits::fungible::Mutate;
	ExtBuilder::default().without_partners().build_and_execute(|| {
		// Regulator registers a manufacturer, a wholesaler and a pharmacy.
		for (who, role) in [
			(NEW_MANUFACTURER, PartnerRole::Manufacturer),
			(NEW_WHOLESALER, PartnerRole::Wholesaler),
			(NEW_PHARMACY, PartnerRole::Dispenser),
		] {
			Balances::set_balance(&who, INITIAL_BALANCE);
			assert_ok!(DrugProvenance::register_partner(
				RuntimeOrigin::root(),
				who,
				role,
				GLN,
				H256::repeat_byte(1),
				LICENSED_UNTIL
			));
		}
		// Product and a batch of 1,000 packs.
		assert_ok!(DrugProvenance::register_product(
			RuntimeOrigin::signed(NEW_MANUFACTURER),
			GTIN,
			H256::repeat_byte(2)
		));
		let packs = Packs::new(1_000, 9);
		assert_ok!(DrugProvenance::register_batch(
			RuntimeOrigin::signed(NEW_MANUFACTURER),
			GTIN,
			lot("LOT-E2E"),
			EXPIRY,
			1_000,
			H256::repeat_byte(3),
			packs.root,
			1_000
		));
		let batch_id = 0;
		// 600 to the wholesaler, 100 on to the pharmacy.
		move_packs(NEW_MANUFACTURER, batch_id, NEW_WHOLESALER, 600);
		move_packs(NEW_WHOLESALER, batch_id, NEW_PHARMACY, 100);
		// A patient (no account, no funds) verifies a pack; a replay of it is refused; a pharmacy
		// scanning the same code on another pack raises a clone alarm.
		assert_eq!(Balances::free_balance(POOR), 0);
		assert_ok!(verify(batch_id, &packs, 777));
		assert!(matches!(last_event(), Event::PackVerified { verdict: PackVerdict::Genuine, .. }));
		assert_noop!(verify(batch_id, &packs, 777), Error::<Test>::AlreadyVerified);
		assert_ok!(scan(NEW_PHARMACY, batch_id, &packs, 777));
		assert!(matches!(
			last_event(),
			Event::CloneAlarmRaised { alarms: 1, reporter: NEW_PHARMACY, .. }
		));
		// A forged code is rejected.
		let mut forged = packs.codes[778].clone();
		forged[3] = if forged[3] == b'Z' { b'Y' } else { b'Z' };
		assert_noop!(
			DrugProvenance::verify_pack(
				RuntimeOrigin::none(),
				batch_id,
				packs.serials[778].clone(),
				forged,
				packs.salt,
				packs.proof(778),
				None
			),
			Error::<Test>::InvalidProof
		);
		// Manufacturer recalls; the pharmacy acknowledges; dispatch now fails.
		assert_ok!(DrugProvenance::initiate_recall(
			RuntimeOrigin::signed(NEW_MANUFACTURER),
			vec![batch_id].try_into().unwrap(),
			RecallClass::ClassI,
			H256::repeat_byte(4)
		));
		assert_ok!(DrugProvenance::ack_recall(RuntimeOrigin::signed(NEW_PHARMACY), batch_id));
		assert_noop!(
			DrugProvenance::dispatch(
				RuntimeOrigin::signed(NEW_WHOLESALER),
				batch_id,
				NEW_PHARMACY,
				1,
				H256::zero()
			),
			Error::<Test>::BatchRecalled
		);
		let trace = DrugProvenance::trace(batch_id);
		assert_eq!(trace.len(), 2);
		let mut outstanding = DrugProvenance::recall_status(batch_id).unwrap().outstanding;
		outstanding.sort();
		assert_eq!(outstanding, vec![(NEW_MANUFACTURER, 400), (NEW_WHOLESALER, 500)]);

		// Privacy: no serial, scratch code or salt in clear in any event or anywhere in state.
		let needles: Vec<Vec<u8>> = [777usize, 778]
			.iter()
			.flat_map(|i| [packs.serials[*i].to_vec(), packs.codes[*i].to_vec()])
			.chain([packs.salt.to_vec()])
			.collect();
		let events: Vec<Vec<u8>> = System::events().iter().map(|r| r.event.encode()).collect();
		assert!(!events.is_empty());
		for needle in &needles {
			assert!(needle.len() >= 12);
			for event in &events {
				assert!(!contains(event, needle), "event carries a serial, code or salt");
			}
			for (key, value) in state() {
				assert!(!contains(&key, needle) && !contains(&value, needle), "state leaks");
			}
		}
		// The leaf is what identifies the pack.
		assert!(events.iter().any(|e| contains(e, packs.leaves[777].as_bytes())));
	});
}
