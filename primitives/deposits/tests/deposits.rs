//! The one behaviour of holding and releasing, against pallet-balances.
#![allow(clippy::restriction)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	derive_impl,
	traits::{
		fungible::{InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision},
		ConstU64, VariantCount,
	},
};
use scale_info::TypeInfo;
use sp_runtime::{BuildStorage, TokenError};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
	}
);

/// The one hold reason of the test.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Deposit;

impl VariantCount for Deposit {
	const VARIANT_COUNT: u32 = 1;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
	type RuntimeHoldReason = Deposit;
}

const WHO: u64 = 1;

fn with_funded_account(test: impl FnOnce()) {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		Balances::set_balance(&WHO, 100);
		test();
	});
}

fn held() -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&Deposit, &WHO)
}

#[test]
fn a_hold_and_its_release_move_exactly_the_amount() {
	with_funded_account(|| {
		medchain_deposits::hold::<_, Balances>(&Deposit, &WHO, 30).unwrap();
		assert_eq!(held(), 30);
		assert_eq!(Balances::free_balance(WHO), 70);
		medchain_deposits::release::<_, Balances>(&Deposit, &WHO, 30);
		assert_eq!(held(), 0);
		assert_eq!(Balances::free_balance(WHO), 100);
	});
}

#[test]
fn a_zero_amount_holds_and_releases_nothing() {
	with_funded_account(|| {
		medchain_deposits::hold::<_, Balances>(&Deposit, &WHO, 0).unwrap();
		medchain_deposits::release::<_, Balances>(&Deposit, &WHO, 0);
		assert_eq!((held(), Balances::free_balance(WHO)), (0, 100));
	});
}

#[test]
fn a_hold_beyond_the_free_balance_fails_and_changes_nothing() {
	with_funded_account(|| {
		assert_eq!(
			medchain_deposits::hold::<_, Balances>(&Deposit, &WHO, 101),
			Err(TokenError::FundsUnavailable.into())
		);
		assert_eq!((held(), Balances::free_balance(WHO)), (0, 100));
	});
}

#[test]
#[should_panic(expected = "a deposit was not all released")]
fn releasing_more_than_is_held_is_reported_as_a_defect() {
	with_funded_account(|| {
		medchain_deposits::hold::<_, Balances>(&Deposit, &WHO, 30).unwrap();
		// Part of the hold went elsewhere without the pallet's record knowing.
		<Balances as MutateHold<u64>>::burn_held(
			&Deposit,
			&WHO,
			10,
			Precision::Exact,
			Fortitude::Force,
		)
		.unwrap();
		medchain_deposits::release::<_, Balances>(&Deposit, &WHO, 30);
	});
}
