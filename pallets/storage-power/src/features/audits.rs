//! Audits: challenges (signed, or drawn by the chain), their answers, failures and the slash.

use crate::*;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use medchain_merkle::sum::compute_sum_root;
use sp_runtime::{
	traits::{Saturating, Verify, Zero},
	ArithmeticError, SaturatedConversion,
};

/// Domain separator of the challenge seed.
const CHALLENGE_DOMAIN: &[u8] = b"medchain/storage-power/challenge";

/// A challenge checked and ready to be written.
pub(crate) struct NewChallenge<T: Config> {
	pub(crate) id: ChallengeId,
	next_id: ChallengeId,
	pub(crate) challenge: Challenge<T>,
	report: Report<T>,
}

impl<T: Config> Pallet<T> {
	/// The point of challenge `id` of `provider`'s report of `era`, drawn from `seed` (the parent
	/// block hash): `u32(first 4 bytes, little endian) of blake2_256(domain ‖ seed ‖ provider ‖ era
	/// ‖ id)`.
	pub fn challenge_point(
		seed: &[u8],
		provider: &T::AccountId,
		era: EraIndex,
		id: ChallengeId,
	) -> u32 {
		let hash =
			(CHALLENGE_DOMAIN, seed, provider, era, id).using_encoded(sp_io::hashing::blake2_256);
		let mut bytes = [0u8; 4];
		bytes.copy_from_slice(hash.get(..4).unwrap_or(&[0u8; 4]));
		u32::from_le_bytes(bytes)
	}

	/// The byte of `bytes_served` a challenge at `point` falls on: `floor(point × bytes_served /
	/// 2^32)`, always below `bytes_served` when it is positive. Every byte is as likely, up to
	/// 2^-32 of the total, so a share `f` of bytes that no valid receipt backs is caught with
	/// probability `f` by each challenge.
	pub fn challenged_byte(point: u32, bytes_served: u64) -> u64 {
		(u128::from(point).saturating_mul(u128::from(bytes_served)) >> 32).saturated_into()
	}

	pub(crate) fn do_issue_challenge(
		issuer: T::AccountId,
		provider: T::AccountId,
	) -> DispatchResult {
		let era = CurrentEra::<T>::get();
		let report = Reports::<T>::get(&provider, era).ok_or(Error::<T>::ReportNotFound)?;
		let deposit = T::ChallengeDeposit::get();
		let new = Self::prepare_challenge(&provider, era, report, Some(issuer.clone()), deposit)?;
		Self::hold(HoldReason::ChallengeDeposit, &issuer, deposit)?;
		Self::store_challenge(provider, new);
		Ok(())
	}

	/// Checks that `provider`'s `report` of the current `era` can be challenged now by `issuer`
	/// (`None`: the chain) and draws the leaf; writes nothing.
	pub(crate) fn prepare_challenge(
		provider: &T::AccountId,
		era: EraIndex,
		mut report: Report<T>,
		issuer: Option<T::AccountId>,
		deposit: BalanceOf<T>,
	) -> Result<NewChallenge<T>, DispatchError> {
		ensure!(report.leaf_count > 0, Error::<T>::NoReceipts);
		let now = Self::now();
		ensure!(now > report.submitted_at, Error::<T>::ReportTooRecent);
		let deadline = now.saturating_add(T::ChallengeDeadline::get());
		ensure!(deadline < Self::era_end(era), Error::<T>::ChallengeWindowClosed);
		// One challenge of every report is the chain's: while the report waits in the audit pool
		// (and the chain audits), signed challenges leave that slot free. Otherwise a provider,
		// through any account, could fill its report's challenges, answer them from its own tree,
		// and so skip the chain's audit.
		let chain_audit_pending = report.audit_slot.is_some() && T::AuditsPerBlock::get() > 0;
		let reserved = u32::from(issuer.is_some() && chain_audit_pending);
		ensure!(
			report.challenges_issued < T::MaxChallengesPerEra::get().saturating_sub(reserved),
			Error::<T>::TooManyChallenges
		);
		let id = NextChallengeId::<T>::get();
		let next_id = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		report.challenges_issued =
			report.challenges_issued.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		report.open_challenges =
			report.open_challenges.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let seed = frame_system::Pallet::<T>::parent_hash();
		let point = Self::challenge_point(seed.as_ref(), provider, era, id);
		let challenge =
			Challenge { provider: provider.clone(), era, issuer, deposit, point, deadline };
		Ok(NewChallenge { id, next_id, challenge, report })
	}

	/// Writes a prepared challenge and emits [`Event::ChallengeIssued`].
	pub(crate) fn store_challenge(provider: T::AccountId, new: NewChallenge<T>) {
		let NewChallenge { id, next_id, challenge, report } = new;
		let (era, point, deadline) = (challenge.era, challenge.point, challenge.deadline);
		let byte = Self::challenged_byte(point, report.bytes_served);
		let issuer = challenge.issuer.clone();
		Challenges::<T>::insert(id, challenge);
		NextChallengeId::<T>::put(next_id);
		Reports::<T>::insert(&provider, era, report);
		Self::deposit_event(Event::ChallengeIssued {
			challenge_id: id,
			provider,
			era,
			issuer,
			point,
			byte,
			deadline,
		});
	}

	pub(crate) fn do_respond_challenge(
		who: T::AccountId,
		challenge_id: ChallengeId,
		answer: ReceiptAnswerOf<T>,
	) -> DispatchResult {
		let challenge = Challenges::<T>::get(challenge_id).ok_or(Error::<T>::ChallengeNotFound)?;
		ensure!(who == challenge.provider, Error::<T>::NotAuthorized);
		ensure!(Self::now() <= challenge.deadline, Error::<T>::ChallengeExpired);
		let mut report =
			Reports::<T>::get(&who, challenge.era).ok_or(Error::<T>::ReportNotFound)?;
		if !Self::answer_in_tree(&report, challenge.point, &answer) {
			return Self::record_failure(challenge_id, challenge, AuditFailure::WrongProof);
		}
		if !Self::receipt_valid(&who, challenge.era, &answer.receipt) {
			return Self::record_failure(challenge_id, challenge, AuditFailure::InvalidReceipt);
		}
		report.open_challenges = report.open_challenges.saturating_sub(1);
		Self::release_challenge_deposit(&challenge);
		Challenges::<T>::remove(challenge_id);
		Reports::<T>::insert(&who, challenge.era, report);
		Self::deposit_event(Event::ChallengePassed {
			challenge_id,
			provider: who,
			era: challenge.era,
		});
		Ok(())
	}

	/// Whether `answer` shows the leaf of `report`'s tree covering the byte at `point`, and the
	/// next leaf (unless it is the last) with a greater key.
	fn answer_in_tree(report: &Report<T>, point: u32, answer: &ReceiptAnswerOf<T>) -> bool {
		let root = SumNode { hash: report.receipts_root, sum: report.bytes_served };
		let byte = Self::challenged_byte(point, report.bytes_served);
		let leaf = receipts::receipt_leaf(&answer.receipt);
		let covers =
			match compute_sum_root(leaf, answer.leaf_index, report.leaf_count, &answer.proof) {
				Some((folded, offset)) => {
					folded == root && offset <= byte && byte.saturating_sub(offset) < leaf.sum
				},
				None => false,
			};
		let next_index = answer.leaf_index.saturating_add(1);
		let follows = match (&answer.next, next_index < report.leaf_count) {
			(None, false) => true,
			(Some((next, proof)), true) => {
				compute_sum_root(receipts::receipt_leaf(next), next_index, report.leaf_count, proof)
					.is_some_and(|(folded, _)| folded == root)
					&& receipts::receipt_key(&answer.receipt) < receipts::receipt_key(next)
			},
			_ => false,
		};
		covers && follows
	}

	/// Whether `receipt` is one a reader signed for `provider`'s vault in the era before `era`,
	/// for bytes it may count (see [`Receipt`]).
	fn receipt_valid(provider: &T::AccountId, era: EraIndex, receipt: &ReceiptOf<T>) -> bool {
		// The genesis era counts the reads before it: none on a chain, whose clock starts at 0.
		let from = match era.checked_sub(1) {
			Some(previous) => EraStartedAt::<T>::get(previous),
			None => Some(0),
		};
		let in_window = match (from, EraStartedAt::<T>::get(era)) {
			(Some(from), Some(to)) => from <= receipt.timestamp_ms && receipt.timestamp_ms < to,
			_ => false,
		};
		let bytes_allowed = receipt.bytes > 0
			&& receipt.bytes <= T::MaxObjectSize::get()
			&& (receipt.range.is_empty()
				|| receipts::range_len(&receipt.range).is_some_and(|len| receipt.bytes <= len));
		if !in_window || !bytes_allowed || receipt.reader == *provider {
			return false;
		}
		let payload =
			provider.using_encoded(|vault_id| receipts::receipt_payload(vault_id, receipt));
		receipt.signature.verify(&payload[..], &receipt.reader)
			|| receipt.signature.verify(&receipts::wallet_wrapped(&payload)[..], &receipt.reader)
	}

	pub(crate) fn do_report_missed_challenge(challenge_id: ChallengeId) -> DispatchResult {
		let challenge = Challenges::<T>::get(challenge_id).ok_or(Error::<T>::ChallengeNotFound)?;
		ensure!(Self::now() > challenge.deadline, Error::<T>::ChallengeNotExpired);
		Self::record_failure(challenge_id, challenge, AuditFailure::Missed)
	}

	/// Releases the deposit of a challenge's issuer (nothing for a chain-issued challenge).
	fn release_challenge_deposit(challenge: &Challenge<T>) {
		if let Some(issuer) = challenge.issuer.as_ref() {
			Self::release(HoldReason::ChallengeDeposit, issuer, challenge.deposit);
		}
	}

	/// Records a failed audit: closes the challenge (releasing the issuer's deposit), counts the
	/// failure on the report, and slashes the stake when the failures reach the threshold.
	pub(crate) fn record_failure(
		challenge_id: ChallengeId,
		challenge: Challenge<T>,
		reason: AuditFailure,
	) -> DispatchResult {
		let provider = challenge.provider.clone();
		let era = challenge.era;
		let counted = Self::count_failure(&provider, era, true)?;
		Self::release_challenge_deposit(&challenge);
		Challenges::<T>::remove(challenge_id);
		let (failures, power) = counted.unwrap_or_default();
		Self::deposit_event(Event::AuditFailed {
			challenge_id,
			provider: provider.clone(),
			era,
			reason,
			failures,
			power,
		});
		if counted.is_some() && failures == Parameters::<T>::get().failure_threshold {
			Self::slash_stake(&provider, era)?;
		}
		Ok(())
	}

	/// Counts a failed audit on `provider_id`'s report of `era` (closing one of its challenges
	/// if `closes_challenge`): in the open era its power drops by the audit factor; after the era
	/// closed, its reward is forfeited. Returns the report's failures and power, or `None`
	/// without a report.
	pub(crate) fn count_failure(
		provider_id: &T::AccountId,
		era: EraIndex,
		closes_challenge: bool,
	) -> Result<Option<(u32, Power)>, DispatchError> {
		let Some(mut report) = Reports::<T>::get(provider_id, era) else { return Ok(None) };
		if closes_challenge {
			report.open_challenges = report.open_challenges.saturating_sub(1);
		}
		report.failures = report.failures.saturating_add(1);
		if era == CurrentEra::<T>::get() {
			let provider = Providers::<T>::get(provider_id).map(|mut p| {
				Self::normalise(&mut p, era);
				p
			});
			let info = Self::revalue(&mut report, provider.as_ref(), era)?;
			Eras::<T>::insert(era, info);
		} else {
			report.forfeited = true;
		}
		let counted = (report.failures, report.power);
		Reports::<T>::insert(provider_id, era, report);
		Ok(Some(counted))
	}

	/// Moves [`Config::SlashFraction`] of `provider_id`'s stake to the pot, into the current
	/// era's emission.
	pub(crate) fn slash_stake(provider_id: &T::AccountId, era: EraIndex) -> DispatchResult {
		let Some(mut provider) = Providers::<T>::get(provider_id) else { return Ok(()) };
		let slash = T::SlashFraction::get().mul_floor(provider.stake);
		if slash.is_zero() {
			return Ok(());
		}
		let amount = T::Currency::transfer_on_hold(
			&HoldReason::ProviderStake.into(),
			provider_id,
			&Self::pot_account(),
			slash,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)?;
		provider.stake = provider.stake.saturating_sub(amount);
		Self::credit_current_era(amount)?;
		Providers::<T>::insert(provider_id, provider);
		Self::deposit_event(Event::Slashed { provider: provider_id.clone(), era, amount });
		Ok(())
	}
}
