//! Partner registry: registration, suspension, licences.

use super::*;
use sp_runtime::DispatchError;

const NEW: AccountId = 20;

#[test]
fn registrar_registers_a_partner() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(DrugProvenance::register_partner(
			RuntimeOrigin::root(),
			NEW,
			PartnerRole::Repackager,
			GLN,
			H256::repeat_byte(7),
			50,
		));
		assert_eq!(
			Partners::<Test>::get(NEW),
			Some(Partner {
				role: PartnerRole::Repackager,
				gln: GLN,
				licence_ref: H256::repeat_byte(7),
				licensed_until: 50,
				suspended: false,
			})
		);
		System::assert_last_event(
			Event::PartnerRegistered {
				account: NEW,
				role: PartnerRole::Repackager,
				gln: GLN,
				licensed_until: 50,
			}
			.into(),
		);
	});
}

#[test]
fn only_the_registrar_registers_partners() {
	ExtBuilder::default().build_and_execute(|| {
		for origin in [RuntimeOrigin::signed(REGULATOR), RuntimeOrigin::none()] {
			assert_noop!(
				DrugProvenance::register_partner(
					origin,
					NEW,
					PartnerRole::Wholesaler,
					GLN,
					H256::zero(),
					50
				),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			DrugProvenance::suspend_partner(RuntimeOrigin::signed(REGULATOR), WHOLESALER),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DrugProvenance::reinstate_partner(RuntimeOrigin::signed(REGULATOR), WHOLESALER),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DrugProvenance::renew_licence(RuntimeOrigin::signed(REGULATOR), WHOLESALER, 5_000),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn registering_twice_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DrugProvenance::register_partner(
				RuntimeOrigin::root(),
				WHOLESALER,
				PartnerRole::Wholesaler,
				GLN,
				H256::zero(),
				50
			),
			Error::<Test>::PartnerAlreadyExists
		);
	});
}

#[test]
fn gln_check_digit_is_enforced() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DrugProvenance::register_partner(
				RuntimeOrigin::root(),
				NEW,
				PartnerRole::Wholesaler,
				*b"0614141000006",
				H256::zero(),
				50
			),
			Error::<Test>::InvalidGln
		);
	});
}

#[test]
fn licence_must_end_after_the_current_block() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		assert_noop!(
			DrugProvenance::register_partner(
				RuntimeOrigin::root(),
				NEW,
				PartnerRole::Wholesaler,
				GLN,
				H256::zero(),
				10
			),
			Error::<Test>::InvalidLicencePeriod
		);
		assert_noop!(
			DrugProvenance::renew_licence(RuntimeOrigin::root(), WHOLESALER, 10),
			Error::<Test>::InvalidLicencePeriod
		);
		assert_ok!(DrugProvenance::register_partner(
			RuntimeOrigin::root(),
			NEW,
			PartnerRole::Wholesaler,
			GLN,
			H256::zero(),
			11
		));
	});
}

#[test]
fn suspended_partner_cannot_act_until_reinstated() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(DrugProvenance::suspend_partner(RuntimeOrigin::root(), MANUFACTURER));
		System::assert_last_event(Event::PartnerSuspended { account: MANUFACTURER }.into());
		assert_noop!(
			DrugProvenance::register_product(
				RuntimeOrigin::signed(MANUFACTURER),
				GTIN,
				H256::zero()
			),
			Error::<Test>::PartnerSuspended
		);
		assert_noop!(
			DrugProvenance::suspend_partner(RuntimeOrigin::root(), MANUFACTURER),
			Error::<Test>::AlreadySuspended
		);

		assert_ok!(DrugProvenance::reinstate_partner(RuntimeOrigin::root(), MANUFACTURER));
		System::assert_last_event(Event::PartnerReinstated { account: MANUFACTURER }.into());
		assert_noop!(
			DrugProvenance::reinstate_partner(RuntimeOrigin::root(), MANUFACTURER),
			Error::<Test>::NotSuspended
		);
		product();
	});
}

#[test]
fn unknown_partner_cannot_be_managed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DrugProvenance::suspend_partner(RuntimeOrigin::root(), NEW),
			Error::<Test>::PartnerNotFound
		);
		assert_noop!(
			DrugProvenance::reinstate_partner(RuntimeOrigin::root(), NEW),
			Error::<Test>::PartnerNotFound
		);
		assert_noop!(
			DrugProvenance::renew_licence(RuntimeOrigin::root(), NEW, 5_000),
			Error::<Test>::PartnerNotFound
		);
	});
}

#[test]
fn licence_is_valid_up_to_the_block_before_its_end() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(LICENSED_UNTIL - 1);
		product();
		run_to_block(LICENSED_UNTIL);
		assert_noop!(
			DrugProvenance::register_product(
				RuntimeOrigin::signed(MANUFACTURER),
				GTIN_2,
				H256::zero()
			),
			Error::<Test>::LicenceExpired
		);
	});
}

#[test]
fn renewed_licence_lets_the_partner_act_again() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(LICENSED_UNTIL);
		assert_ok!(DrugProvenance::renew_licence(RuntimeOrigin::root(), MANUFACTURER, 2_000));
		System::assert_last_event(
			Event::LicenceRenewed { account: MANUFACTURER, licensed_until: 2_000 }.into(),
		);
		assert_eq!(Partners::<Test>::get(MANUFACTURER).unwrap().licensed_until, 2_000);
		product();
	});
}

#[test]
fn non_partner_cannot_act() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DrugProvenance::register_product(RuntimeOrigin::signed(PATIENT), GTIN, H256::zero()),
			Error::<Test>::PartnerNotFound
		);
	});
}
