//! Genesis, `integrity_test`, read helpers of the runtime API, invariants.

use super::*;
use frame_support::traits::Hooks;

fn genesis_batch(root: H256) -> GenesisBatch<u64> {
	GenesisBatch {
		gtin: GTIN,
		lot: b"DEMO-001".to_vec(),
		expiry: 10_000,
		quantity: 50,
		certificate_hash: H256::repeat_byte(0xcc),
		codes_root: root,
		code_count: 64,
	}
}

#[test]
fn genesis_seeds_partners_products_and_batches_without_deposits() {
	let packs = Packs::new(64, 3);
	ExtBuilder::default()
		.with_product(GTIN, MANUFACTURER)
		.with_batch(genesis_batch(packs.root))
		.build_and_execute(|| {
			assert_eq!(Partners::<Test>::iter().count(), 6);
			assert_eq!(Partners::<Test>::get(PHARMACY).unwrap().role, PartnerRole::Dispenser);
			let product = Products::<Test>::get(GTIN).unwrap();
			assert_eq!(
				(product.manufacturer, product.batch_count, product.deposit),
				(MANUFACTURER, 1, 0)
			);
			let info = DrugProvenance::batch_by_lot(GTIN, b"DEMO-001".to_vec()).unwrap();
			assert_eq!(info.id, 0);
			assert_eq!(info.batch.quantity, 50);
			assert_eq!(info.batch.deposit, 0);
			assert_eq!(info.effective_status, BatchStatus::Active);
			assert_eq!(info.in_custody, 50);
			assert_eq!(DrugProvenance::holdings(0), vec![(MANUFACTURER, 50)]);
			assert_eq!(NextBatchId::<Test>::get(), 1);
			assert_eq!(held(MANUFACTURER, HoldReason::BatchDeposit), 0);
			// The seeded batch is usable at once.
			assert_ok!(verify(0, &packs, 63));
			move_packs(MANUFACTURER, 0, WHOLESALER, 20);
		});
}

#[test]
fn genesis_without_anything_is_empty() {
	ExtBuilder::default().without_partners().build_and_execute(|| {
		assert_eq!(Partners::<Test>::iter().count(), 0);
		assert_eq!(NextBatchId::<Test>::get(), 0);
	});
}

#[test]
#[should_panic(expected = "genesis partner: invalid GLN")]
fn genesis_rejects_an_invalid_gln() {
	let mut partner = genesis_partner(40, PartnerRole::Wholesaler);
	partner.gln = *b"0614141000006";
	let mut builder = ExtBuilder::default().without_partners();
	builder = builder.with_partner(partner);
	builder.build();
}

#[test]
#[should_panic(expected = "genesis product: manufacturer is not a genesis manufacturer")]
fn genesis_rejects_a_product_of_a_non_manufacturer() {
	ExtBuilder::default().with_product(GTIN, WHOLESALER).build();
}

#[test]
#[should_panic(expected = "genesis batch: unknown GTIN")]
fn genesis_rejects_a_batch_of_an_unknown_product() {
	ExtBuilder::default().with_batch(genesis_batch(H256::zero())).build();
}

#[test]
#[should_panic(expected = "genesis batch: invalid code count")]
fn genesis_rejects_a_batch_with_too_few_codes() {
	let mut batch = genesis_batch(H256::zero());
	batch.code_count = 49;
	ExtBuilder::default().with_product(GTIN, MANUFACTURER).with_batch(batch).build();
}

#[test]
fn integrity_test_passes_for_the_mock() {
	<DrugProvenance as Hooks<u64>>::integrity_test();
}

#[test]
fn unknown_things_read_as_none_or_empty() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(DrugProvenance::batch_info(0), None);
		assert_eq!(DrugProvenance::batch_by_lot(GTIN, b"X".to_vec()), None);
		assert_eq!(DrugProvenance::batch_by_lot(GTIN, vec![b'X'; 21]), None);
		assert!(DrugProvenance::trace(0).is_empty());
		assert!(DrugProvenance::holdings(0).is_empty());
		assert_eq!(DrugProvenance::recall_status(0), None);
		assert_eq!(DrugProvenance::code_status(0, H256::zero()), None);
	});
}

#[test]
fn trace_lists_every_hop_in_order_with_blocks_and_parties() {
	ExtBuilder::default().build_and_execute(|| {
		let (batch_id, _) = batch();
		run_to_block(2);
		move_packs(MANUFACTURER, batch_id, WHOLESALER, 60);
		run_to_block(3);
		let rejected = dispatch(WHOLESALER, batch_id, LOGISTICS, 5);
		assert_ok!(DrugProvenance::reject(RuntimeOrigin::signed(LOGISTICS), batch_id, rejected));
		run_to_block(4);
		dispatch(WHOLESALER, batch_id, PHARMACY, 10);

		let trace = DrugProvenance::trace(batch_id);
		let hops: Vec<_> = trace
			.iter()
			.map(|(i, t)| (*i, t.from, t.to, t.quantity, t.dispatched_at, t.state.clone()))
			.collect();
		assert_eq!(
			hops,
			vec![
				(0, MANUFACTURER, WHOLESALER, 60, 2, TransferState::Received { at: 2 }),
				(1, WHOLESALER, LOGISTICS, 5, 3, TransferState::Rejected { at: 3 }),
				(2, WHOLESALER, PHARMACY, 10, 4, TransferState::Pending),
			]
		);
		let info = DrugProvenance::batch_info(batch_id).unwrap();
		assert_eq!((info.in_custody, info.batch.pending), (90, 10));
	});
}

#[test]
fn try_state_catches_broken_accounting() {
	ExtBuilder::default().build().execute_with(|| {
		let (batch_id, _) = batch();
		assert_eq!(DrugProvenance::do_try_state(), Ok(()));
		Holdings::<Test>::insert(batch_id, MANUFACTURER, 99);
		assert!(DrugProvenance::do_try_state().is_err());
		Holdings::<Test>::insert(batch_id, MANUFACTURER, 100);
		Batches::<Test>::mutate(batch_id, |b| b.as_mut().unwrap().holder_count = 2);
		assert!(DrugProvenance::do_try_state().is_err());
		Batches::<Test>::mutate(batch_id, |b| b.as_mut().unwrap().holder_count = 1);
		Batches::<Test>::mutate(batch_id, |b| b.as_mut().unwrap().deposit = 1);
		assert!(DrugProvenance::do_try_state().is_err(), "held deposit differs");
	});
}
