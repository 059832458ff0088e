//! Break-glass: emergency access without consent, and its review.

use crate::*;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
};
use sp_core::H256;
use sp_runtime::{traits::Saturating, DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_break_glass(
		provider: T::AccountId,
		patient: T::AccountId,
		reason_commitment: H256,
	) -> DispatchResult {
		ensure!(provider != patient, Error::<T>::CannotTargetSelf);
		let kind = Self::ensure_active_provider(&provider)?;
		ensure!(kind.is_clinical(), Error::<T>::ProviderNotClinical);
		ensure!(!reason_commitment.is_zero(), Error::<T>::InvalidCommitment);
		ensure!(
			!BreakGlasses::<T>::contains_key(&patient, &provider),
			Error::<T>::BreakGlassAlreadyExists
		);
		let now = Self::now();
		let expires_at = now.saturating_add(T::BreakGlassDuration::get());
		let (index, next) = Self::next_log_index(&patient)?;
		let deposit = T::BreakGlassDeposit::get();
		Self::hold(HoldReason::BreakGlassDeposit, &provider, deposit)?;

		BreakGlasses::<T>::insert(
			&patient,
			&provider,
			BreakGlass { reason_commitment, opened_at: now, expires_at, deposit },
		);
		PendingReviews::<T>::mutate(|n| *n = n.saturating_add(1));
		Self::write_log(
			&patient,
			next,
			AccessEntry {
				index,
				accessor: provider.clone(),
				record_id: None,
				purpose: PurposeOfUse::Emergency,
				basis: AccessBasis::BreakGlass,
				at: now,
			},
		);
		Self::deposit_event(Event::BreakGlassOpened { patient, provider, expires_at });
		Ok(())
	}

	pub(crate) fn do_review_break_glass(
		patient: T::AccountId,
		provider: T::AccountId,
		verdict: BreakGlassVerdict,
	) -> DispatchResult {
		let access =
			BreakGlasses::<T>::get(&patient, &provider).ok_or(Error::<T>::BreakGlassNotFound)?;
		let amount = match verdict {
			BreakGlassVerdict::Justified => {
				Self::release(HoldReason::BreakGlassDeposit, &provider, access.deposit);
				access.deposit
			},
			BreakGlassVerdict::Unjustified => T::Currency::transfer_on_hold(
				&HoldReason::BreakGlassDeposit.into(),
				&provider,
				&patient,
				access.deposit,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?,
		};
		BreakGlasses::<T>::remove(&patient, &provider);
		PendingReviews::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::BreakGlassReviewed { patient, provider, verdict, amount });
		Ok(())
	}
}
