//! How every Medchain pallet holds and releases a deposit or stake, so that the five behave
//! alike: nothing happens for a zero amount, a hold that cannot be made fails the call, and a
//! release never does. A pallet releases only what it held and recorded, so a release that fails
//! or finds less held than recorded is a bug in the pallet: it is reported (`defensive!`: a panic
//! where debug assertions are on, as in tests; an error in the log otherwise) and the call goes
//! on, so that the pallet's state and the rest of the deposit are not stuck behind it.
//!
//! A pallet implements [`Deposits`] (its currency and its hold reason) in its `common.rs` and
//! calls `Self::hold` and `Self::release`.

#![cfg_attr(not(feature = "std"), no_std)]

use frame_support::traits::{
	fungible::{Inspect, InspectHold, MutateHold},
	tokens::Precision,
};
use sp_runtime::{traits::Zero, DispatchResult};

/// Holds `amount` of `who` under `reason`; nothing for a zero amount.
pub fn hold<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) -> DispatchResult {
	if amount.is_zero() {
		return Ok(());
	}
	Currency::hold(reason, who, amount)
}

/// Releases `amount` held from `who` under `reason`; nothing for a zero amount. A release that
/// fails or finds less held than `amount` is reported as a defect.
pub fn release<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) {
	if amount.is_zero() {
		return;
	}
	let released = Currency::release(reason, who, amount, Precision::BestEffort);
	if released != Ok(amount) {
		frame_support::defensive!("a deposit was not all released: less was held than recorded");
	}
}

/// The balance type of a pallet's deposits.
pub type DepositOf<P, AccountId> =
	<<P as Deposits<AccountId>>::Currency as Inspect<AccountId>>::Balance;

/// A pallet's deposits: the currency it holds them in and its own hold reasons. Its
/// `Self::hold` and `Self::release` then behave as [`hold`] and [`release`].
pub trait Deposits<AccountId> {
	/// The currency deposits are held in.
	type Currency: MutateHold<AccountId>;
	/// The pallet's hold reason, which the runtime's hold reason is made from.
	type Reason: Into<<Self::Currency as InspectHold<AccountId>>::Reason>;

	/// Holds `amount` of `who` for `reason` ([`hold`]).
	fn hold(
		reason: Self::Reason,
		who: &AccountId,
		amount: DepositOf<Self, AccountId>,
	) -> DispatchResult {
		hold::<AccountId, Self::Currency>(&reason.into(), who, amount)
	}

	/// Releases `amount` held from `who` for `reason` ([`release`]: never fails; less held than
	/// recorded is reported as a defect).
	fn release(reason: Self::Reason, who: &AccountId, amount: DepositOf<Self, AccountId>) {
		release::<AccountId, Self::Currency>(&reason.into(), who, amount)
	}
}
