//! Products (GTIN) and batches (lot).

use super::*;
use frame_support::traits::fungible::Mutate;
use sp_runtime::{ArithmeticError, TokenError};

#[test]
fn manufacturer_registers_a_product_with_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		assert_eq!(
			Products::<Test>::get(GTIN),
			Some(Product {
				manufacturer: MANUFACTURER,
				metadata_commitment: H256::repeat_byte(0xaa),
				batch_count: 0,
				deposit: PRODUCT_DEPOSIT,
			})
		);
		assert_eq!(held(MANUFACTURER, HoldReason::ProductDeposit), PRODUCT_DEPOSIT);
		System::assert_last_event(
			Event::ProductRegistered {
				gtin: GTIN,
				manufacturer: MANUFACTURER,
				metadata_commitment: H256::repeat_byte(0xaa),
			}
			.into(),
		);
	});
}

#[test]
fn only_manufacturers_and_repackagers_register_products() {
	ExtBuilder::default().build_and_execute(|| {
		for who in [WHOLESALER, PHARMACY, LOGISTICS, REGULATOR] {
			assert_noop!(
				DrugProvenance::register_product(RuntimeOrigin::signed(who), GTIN, H256::zero()),
				Error::<Test>::NotAuthorized
			);
		}
		assert_ok!(DrugProvenance::register_partner(
			RuntimeOrigin::root(),
			30,
			PartnerRole::Repackager,
			GLN,
			H256::zero(),
			100
		));
		Balances::set_balance(&30, 1_000);
		assert_ok!(DrugProvenance::register_product(RuntimeOrigin::signed(30), GTIN, H256::zero()));
	});
}

#[test]
fn gtin_check_digit_is_enforced() {
	ExtBuilder::default().build_and_execute(|| {
		for gtin in [*b"09506000134353", *b"0950600013435X", *b"9506000134352 "] {
			assert_noop!(
				DrugProvenance::register_product(
					RuntimeOrigin::signed(MANUFACTURER),
					gtin,
					H256::zero()
				),
				Error::<Test>::InvalidGtin
			);
		}
	});
}

#[test]
fn a_gtin_is_registered_once() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		assert_noop!(
			DrugProvenance::register_product(
				RuntimeOrigin::signed(MANUFACTURER_2),
				GTIN,
				H256::zero()
			),
			Error::<Test>::ProductAlreadyExists
		);
	});
}

#[test]
fn product_deposit_that_cannot_be_held_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(DrugProvenance::register_partner(
			RuntimeOrigin::root(),
			POOR,
			PartnerRole::Manufacturer,
			GLN,
			H256::zero(),
			100
		));
		assert_noop!(
			DrugProvenance::register_product(RuntimeOrigin::signed(POOR), GTIN, H256::zero()),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn product_without_batches_is_deregistered_and_deposit_released() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		assert_noop!(
			DrugProvenance::deregister_product(RuntimeOrigin::signed(MANUFACTURER_2), GTIN),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			DrugProvenance::deregister_product(RuntimeOrigin::signed(MANUFACTURER), GTIN_2),
			Error::<Test>::ProductNotFound
		);
		assert_ok!(DrugProvenance::deregister_product(RuntimeOrigin::signed(MANUFACTURER), GTIN));
		assert!(!Products::<Test>::contains_key(GTIN));
		assert_eq!(held(MANUFACTURER, HoldReason::ProductDeposit), 0);
		System::assert_last_event(Event::ProductDeregistered { gtin: GTIN }.into());
	});
}

#[test]
fn product_with_batches_cannot_be_deregistered() {
	ExtBuilder::default().build_and_execute(|| {
		batch();
		assert_noop!(
			DrugProvenance::deregister_product(RuntimeOrigin::signed(MANUFACTURER), GTIN),
			Error::<Test>::ProductInUse
		);
	});
}

#[test]
fn manufacturer_registers_a_batch_and_holds_all_of_it() {
	ExtBuilder::default().build_and_execute(|| {
		let packs = Packs::new(100, 1);
		let batch_id = batch_with("LOT-2026/01", &packs);
		assert_eq!(batch_id, 0);
		let batch = Batches::<Test>::get(batch_id).unwrap();
		assert_eq!(batch.quantity, 100);
		assert_eq!(batch.code_count, 100);
		assert_eq!(batch.codes_root, packs.root);
		assert_eq!(batch.status, BatchStatus::Active);
		assert_eq!(batch.registered_at, 1);
		assert_eq!(batch.deposit, BATCH_DEPOSIT + 100 * PACK_RECORD_DEPOSIT);
		assert_eq!(holding(batch_id, MANUFACTURER), 100);
		assert_eq!(BatchIds::<Test>::get(GTIN, lot("LOT-2026/01")), Some(batch_id));
		assert_eq!(NextBatchId::<Test>::get(), 1);
		assert_eq!(Products::<Test>::get(GTIN).unwrap().batch_count, 1);
		assert_eq!(
			held(MANUFACTURER, HoldReason::BatchDeposit),
			BATCH_DEPOSIT + 100 * PACK_RECORD_DEPOSIT
		);
		System::assert_last_event(
			Event::BatchRegistered {
				batch_id,
				gtin: GTIN,
				lot: lot("LOT-2026/01"),
				manufacturer: MANUFACTURER,
				quantity: 100,
				expiry: EXPIRY,
				codes_root: packs.root,
				code_count: 100,
			}
			.into(),
		);
	});
}

fn register(
	who: AccountId,
	gtin: Gtin,
	lot_text: &[u8],
	expiry: u64,
	quantity: u32,
	code_count: u32,
) -> frame_support::dispatch::DispatchResult {
	DrugProvenance::register_batch(
		RuntimeOrigin::signed(who),
		gtin,
		lot_text.to_vec().try_into().unwrap(),
		expiry,
		quantity,
		H256::zero(),
		H256::repeat_byte(1),
		code_count,
	)
}

#[test]
fn batch_registration_checks_every_argument() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		run_to_block(10);
		assert_noop!(register(WHOLESALER, GTIN, b"L1", 100, 10, 10), Error::<Test>::NotAuthorized);
		assert_noop!(
			register(MANUFACTURER_2, GTIN, b"L1", 100, 10, 10),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			register(MANUFACTURER, GTIN_2, b"L1", 100, 10, 10),
			Error::<Test>::ProductNotFound
		);
		assert_noop!(register(MANUFACTURER, GTIN, b"", 100, 10, 10), Error::<Test>::InvalidLot);
		assert_noop!(register(MANUFACTURER, GTIN, b"L 1", 100, 10, 10), Error::<Test>::InvalidLot);
		assert_noop!(register(MANUFACTURER, GTIN, b"L1", 10, 10, 10), Error::<Test>::InvalidExpiry);
		assert_noop!(register(MANUFACTURER, GTIN, b"L1", 100, 0, 10), Error::<Test>::ZeroQuantity);
		assert_noop!(
			register(MANUFACTURER, GTIN, b"L1", 100, 10, 9),
			Error::<Test>::InvalidCodeCount
		);
		assert_noop!(
			register(MANUFACTURER, GTIN, b"L1", 100, 10, MAX_CODES_PER_BATCH + 1),
			Error::<Test>::InvalidCodeCount
		);
		// Boundaries: expiry one block ahead, code count exactly the quantity or the maximum.
		assert_ok!(register(MANUFACTURER, GTIN, b"L1", 11, 10, 10));
		assert_ok!(register(MANUFACTURER, GTIN, b"L2", 100, 10, MAX_CODES_PER_BATCH));
		assert_noop!(
			register(MANUFACTURER, GTIN, b"L1", 100, 10, 10),
			Error::<Test>::BatchAlreadyExists
		);
	});
}

#[test]
fn same_lot_under_another_gtin_is_another_batch() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		assert_ok!(DrugProvenance::register_product(
			RuntimeOrigin::signed(MANUFACTURER_2),
			GTIN_2,
			H256::zero()
		));
		assert_ok!(register(MANUFACTURER, GTIN, b"L1", 100, 10, 10));
		assert_ok!(register(MANUFACTURER_2, GTIN_2, b"L1", 100, 10, 10));
		assert_eq!(BatchIds::<Test>::get(GTIN_2, lot("L1")), Some(1));
	});
}

#[test]
fn batch_ids_cannot_overflow() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		NextBatchId::<Test>::put(u32::MAX);
		assert_noop!(register(MANUFACTURER, GTIN, b"L1", 100, 10, 10), ArithmeticError::Overflow);
		NextBatchId::<Test>::put(0);
	});
}

#[test]
fn batch_deposit_that_cannot_be_held_fails() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		// Leave less than the deposit for a batch of the maximum code count.
		let free = Balances::free_balance(MANUFACTURER);
		Balances::set_balance(&MANUFACTURER, BATCH_DEPOSIT + 10);
		assert_noop!(
			register(MANUFACTURER, GTIN, b"L1", 100, 10, MAX_CODES_PER_BATCH),
			TokenError::FundsUnavailable
		);
		Balances::set_balance(&MANUFACTURER, free);
	});
}

#[test]
fn batch_registration_needs_an_active_licence() {
	ExtBuilder::default().build_and_execute(|| {
		product();
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), MANUFACTURER));
		assert_noop!(
			register(MANUFACTURER, GTIN, b"L1", 100, 10, 10),
			Error::<Test>::PartnerSuspended
		);
		assert_ok!(DrugProvenance::reinstate_partner(RuntimeOrigin::root(), MANUFACTURER));
		run_to_block(LICENSED_UNTIL);
		assert_noop!(
			register(MANUFACTURER, GTIN, b"L1", 2_000, 10, 10),
			Error::<Test>::LicenceExpired
		);
	});
}
