//! The upgrade of a chain from before governance: its Aura and GRANDPA authorities become the
//! validator set, managed by the council.
//!
//! Before governance a Medchain runtime had Aura and GRANDPA with authorities fixed at genesis
//! and no Session or ValidatorSet. Upgraded to this runtime, such a chain has empty Session
//! storage: nobody has session keys, so [`ValidatorsFromMembership`] finds no one, the set in
//! office is empty and the council cannot add or remove a validator of those authoring.
//! [`SeedSessionFromAuthorities`] gives it the state that Session's and ValidatorSet's genesis
//! would have built for the same validators.
//!
//! **Guard.** It acts only when Session has no validators and Aura has authorities, which is a
//! chain from before governance; on any other chain it reads one value (two on a chain without
//! Aura authorities) and writes nothing, so it can stay in the runtime's migrations. Session's
//! storage version cannot tell the chains apart: at the upgrade, before any migration runs,
//! FRAME sets the storage version of a pallet whose storage is empty (a pallet new to the chain)
//! to the pallet's current one, so Session is at version 1 on both.
//!
//! **Pairing.** The presets before governance (`authority_keys`) wrote both authority lists from
//! one list of validators, so the Aura and GRANDPA keys of a validator sit at the same position;
//! the migration pairs them by position. If the counts differ (or a key repeats) the lists did not
//! come from one list of validators and positions say nothing: the migration refuses, writes
//! nothing, and says why (in the node's log under the `runtime` target at debug level, and as the
//! error of its `try-runtime` check, so that the upgrade's dry run fails). Refusing is safe: with
//! no member with session keys, Session keeps its empty set, never reports a change, and Aura and
//! GRANDPA keep their authorities; Root (sudo, which a chain from before governance still has)
//! can then add validators to ValidatorSet, who set session keys.
//!
//! **Accounts.** Each validator's account is the AccountId32 of its Aura key's 32 bytes: on the
//! presets, before governance (`authority_keys`, with the endowed accounts) and since
//! (`dev_validator`), a validator's Aura key is its account's sr25519 key. On a chain whose
//! operators generated separate Aura keys, the account is the one whose key is the Aura key, held
//! by the validator's operator; the council can swap it for the institution's own account
//! (`ValidatorSet::swap_member`), which then sets keys.
//!
//! **Order.** Session's validators and queued keys keep Aura's order, so the set in office is
//! exactly the authorities; ValidatorSet keeps its members sorted, as `pallet-membership` does.
//! If Aura's order is not sorted, [`EndSessionOnValidatorChange`] sees the queued set differ from
//! the members in order and rotates in the two blocks after the upgrade: the same validators,
//! Aura and GRANDPA then in the validator set's order.
//!
//! **Deposits.** Migrated keys hold no [`SessionKeyDeposit`], as keys set at genesis hold none: no
//! validator paid for them or chose to set them, a validator of a chain from before governance
//! may hold no money at all (authoring needed none), and the migration must not fail or treat
//! validators differently by their balance. A validator that later purges its keys and sets them
//! anew holds the deposit like any other.
//!
//! [`ValidatorsFromMembership`]: super::ValidatorsFromMembership
//! [`EndSessionOnValidatorChange`]: super::EndSessionOnValidatorChange
//! [`SessionKeyDeposit`]: super::SessionKeyDeposit

use super::{ValidatorSetInstance, MAX_COUNCIL_MEMBERS};
use crate::{opaque::SessionKeys, AccountId, Runtime, System};
use alloc::{format, vec::Vec};
#[cfg(any(feature = "try-runtime", test))]
use codec::{Decode, Encode};
use frame_support::{
	traits::{ConstU32, OnRuntimeUpgrade},
	weights::Weight,
	BoundedVec,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_runtime::traits::OpaqueKeys;
#[cfg(any(feature = "try-runtime", test))]
use sp_runtime::TryRuntimeError;

/// The validator set's members, as ValidatorSet stores them.
type Members = BoundedVec<AccountId, ConstU32<MAX_COUNCIL_MEMBERS>>;

/// Seeds Session and ValidatorSet from Aura's and GRANDPA's authorities on a chain from before
/// governance; does nothing on any other chain (see the [module docs](self)).
pub struct SeedSessionFromAuthorities;

/// What the migration finds on the chain it upgrades.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
	/// Session has validators: a chain with governance. One read.
	Governed,
	/// Neither Session's validators nor Aura's authorities: nothing to seed from. Two reads.
	NoAuthorities,
	/// A chain from before governance: the validators to seed, or why not. Three reads, or four
	/// (GRANDPA's authorities, then ValidatorSet's members).
	PreGovernance(Result<Seed, Refusal>),
}

/// Why the migration leaves a chain from before governance as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
	/// Aura and GRANDPA have different numbers of authorities: pairing them by position could
	/// give a validator another's GRANDPA key.
	CountsDiffer {
		/// Aura's authorities.
		aura: u32,
		/// GRANDPA's authorities.
		grandpa: u32,
	},
	/// An Aura or a GRANDPA key appears twice.
	DuplicateKey,
	/// ValidatorSet already has members: not the state of a chain from before governance.
	ValidatorSetNotEmpty,
	/// More authorities than ValidatorSet can hold.
	TooManyAuthorities,
}

impl Refusal {
	/// What the runtime log says.
	pub fn reason(self) -> &'static str {
		match self {
			Refusal::CountsDiffer { .. } => {
				"governance migration refused: Aura and GRANDPA have different numbers of \
				 authorities, which cannot be paired by position; validators stay unmanaged"
			},
			Refusal::DuplicateKey => {
				"governance migration refused: an Aura or GRANDPA key appears twice; validators \
				 stay unmanaged"
			},
			Refusal::ValidatorSetNotEmpty => {
				"governance migration refused: Session has no validators but ValidatorSet has \
				 members; validators stay unmanaged"
			},
			Refusal::TooManyAuthorities => {
				"governance migration refused: more authorities than ValidatorSet holds; \
				 validators stay unmanaged"
			},
		}
	}
}

/// The validators to seed: each account with its session keys, in Aura's order, and the same
/// accounts sorted as ValidatorSet's members.
#[derive(Debug, PartialEq, Eq)]
pub struct Seed {
	/// Each validator's account and session keys, in Aura's order.
	pub validators: Vec<(AccountId, SessionKeys)>,
	/// The same accounts, sorted.
	pub members: Members,
}

impl SeedSessionFromAuthorities {
	/// Which chain this is and, on a chain from before governance, what to seed.
	pub fn find() -> Found {
		if pallet_session::Validators::<Runtime>::decode_len().unwrap_or(0) != 0 {
			return Found::Governed;
		}
		let aura = pallet_aura::Authorities::<Runtime>::get();
		if aura.is_empty() {
			return Found::NoAuthorities;
		}
		let grandpa = pallet_grandpa::Authorities::<Runtime>::get();
		Found::PreGovernance(Self::pair(
			aura.into_inner(),
			grandpa.into_iter().map(|(key, _weight)| key).collect(),
		))
	}

	/// Pairs the authorities by position, after the checks that make the pairing sound.
	fn pair(aura: Vec<AuraId>, grandpa: Vec<GrandpaId>) -> Result<Seed, Refusal> {
		if aura.len() != grandpa.len() {
			return Err(Refusal::CountsDiffer {
				aura: aura.len().try_into().unwrap_or(u32::MAX),
				grandpa: grandpa.len().try_into().unwrap_or(u32::MAX),
			});
		}
		if !pallet_membership::Members::<Runtime, ValidatorSetInstance>::get().is_empty() {
			return Err(Refusal::ValidatorSetNotEmpty);
		}
		let mut grandpa_sorted = grandpa.clone();
		grandpa_sorted.sort();
		let validators = paired(aura, grandpa);
		let mut members: Vec<AccountId> =
			validators.iter().map(|(account, _)| account.clone()).collect();
		members.sort();
		if has_repeats(&members) || has_repeats(&grandpa_sorted) {
			return Err(Refusal::DuplicateKey);
		}
		let members = Members::try_from(members).map_err(|_| Refusal::TooManyAuthorities)?;
		Ok(Seed { validators, members })
	}

	/// Writes what Session's and ValidatorSet's genesis would for `seed`'s validators: their
	/// session keys and key owners with the account's consumer reference, the set in office, the
	/// queued set and the members. Session's index stays 0 (nothing stored, as at genesis);
	/// Aura's and GRANDPA's authorities, which their genesis session handlers would set, are the
	/// ones the seed comes from and stay untouched.
	///
	/// An account that holds nothing gets a provider reference, which stays, as at Session's
	/// genesis (the only way such an account can have keys); unlike there, it gets the consumer
	/// reference too, so that purging its keys later releases one that was taken.
	fn write(seed: Seed) {
		for (account, keys) in &seed.validators {
			for id in SessionKeys::key_ids() {
				pallet_session::KeyOwner::<Runtime>::insert((*id, keys.get_raw(*id)), account);
			}
			pallet_session::NextKeys::<Runtime>::insert(account, keys);
			if System::providers(account) == 0 {
				System::inc_providers(account);
			}
			if System::inc_consumers_without_limit(account).is_err() {
				frame_support::defensive!("an account with a provider takes a consumer reference");
			}
		}
		pallet_session::Validators::<Runtime>::put(
			seed.validators.iter().map(|(account, _)| account.clone()).collect::<Vec<_>>(),
		);
		pallet_session::QueuedKeys::<Runtime>::put(seed.validators);
		pallet_membership::Members::<Runtime, ValidatorSetInstance>::put(seed.members);
	}
}

/// Each validator's account (its Aura key's bytes) and session keys, pairing the keys by position.
fn paired(aura: Vec<AuraId>, grandpa: Vec<GrandpaId>) -> Vec<(AccountId, SessionKeys)> {
	aura.into_iter()
		.zip(grandpa)
		.map(|(aura, grandpa)| {
			(AccountId::from(aura.clone().into_inner()), SessionKeys { aura, grandpa })
		})
		.collect()
}

/// Whether the sorted `items` hold one twice.
fn has_repeats<T: PartialEq>(sorted: &[T]) -> bool {
	sorted.windows(2).any(|pair| pair.first() == pair.last())
}

impl OnRuntimeUpgrade for SeedSessionFromAuthorities {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		match Self::find() {
			Found::Governed => db.reads(1),
			Found::NoAuthorities => db.reads(2),
			Found::PreGovernance(Err(refusal)) => {
				sp_runtime::print(format!("{} ({refusal:?})", refusal.reason()).as_str());
				db.reads(4)
			},
			Found::PreGovernance(Ok(seed)) => {
				let validators = seed.validators.len() as u64;
				let key_types = SessionKeys::key_ids().len() as u64;
				Self::write(seed);
				// Per validator: its account read three times and written twice (once if it holds
				// money), its key owners and next keys written. Then the set in office, the queue
				// and the members.
				db.reads_writes(
					validators.saturating_mul(3).saturating_add(4),
					validators.saturating_mul(key_types.saturating_add(3)).saturating_add(3),
				)
			},
		}
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		pre_upgrade_snapshot()
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(snapshot: Vec<u8>) -> Result<(), TryRuntimeError> {
		post_upgrade_check(snapshot)
	}
}

/// What [`post_upgrade_check`] compares: Aura's and GRANDPA's authorities, Session's validators
/// and ValidatorSet's members before the upgrade, and whether the migration seeds them. Fails
/// with the reason on a chain from before governance whose authorities the migration refuses.
#[cfg(any(feature = "try-runtime", test))]
pub(crate) fn pre_upgrade_snapshot() -> Result<Vec<u8>, TryRuntimeError> {
	let seeds = match SeedSessionFromAuthorities::find() {
		Found::PreGovernance(Err(refusal)) => return Err(refusal.reason().into()),
		found => matches!(found, Found::PreGovernance(Ok(_))),
	};
	Ok((
		pallet_aura::Authorities::<Runtime>::get().into_inner(),
		pallet_grandpa::Authorities::<Runtime>::get().into_inner(),
		pallet_session::Validators::<Runtime>::get(),
		pallet_membership::Members::<Runtime, ValidatorSetInstance>::get().into_inner(),
		seeds,
	)
		.encode())
}

/// After the upgrade: Aura's and GRANDPA's authorities are unchanged; where the migration seeded,
/// Session's validators are Aura's authorities as accounts, in Aura's order, each with its Aura
/// and (same position) GRANDPA key as next and queued keys, and ValidatorSet's members are the
/// same accounts; elsewhere Session's validators and the members are unchanged.
#[cfg(any(feature = "try-runtime", test))]
pub(crate) fn post_upgrade_check(snapshot: Vec<u8>) -> Result<(), TryRuntimeError> {
	type Snapshot =
		(Vec<AuraId>, sp_consensus_grandpa::AuthorityList, Vec<AccountId>, Vec<AccountId>, bool);
	let (aura, grandpa, validators, members, seeded): Snapshot =
		Decode::decode(&mut snapshot.as_slice())
			.map_err(|_| "the pre-upgrade snapshot is unreadable")?;
	frame_support::ensure!(
		pallet_aura::Authorities::<Runtime>::get().into_inner() == aura,
		"Aura's authorities changed"
	);
	frame_support::ensure!(
		pallet_grandpa::Authorities::<Runtime>::get().into_inner() == grandpa,
		"GRANDPA's authorities changed"
	);
	let validators_now = pallet_session::Validators::<Runtime>::get();
	let members_now = pallet_membership::Members::<Runtime, ValidatorSetInstance>::get();
	if !seeded {
		frame_support::ensure!(validators_now == validators, "Session's validators changed");
		frame_support::ensure!(members_now.into_inner() == members, "ValidatorSet changed");
		return Ok(());
	}
	let expected = paired(aura, grandpa.into_iter().map(|(key, _weight)| key).collect());
	let accounts: Vec<AccountId> = expected.iter().map(|(account, _)| account.clone()).collect();
	frame_support::ensure!(
		validators_now == accounts,
		"Session's validators are not Aura's authorities"
	);
	let mut sorted = accounts;
	sorted.sort();
	frame_support::ensure!(
		members_now.into_inner() == sorted,
		"ValidatorSet's members are not Aura's authorities"
	);
	frame_support::ensure!(
		pallet_session::QueuedKeys::<Runtime>::get() == expected,
		"Session's queued keys are not the authorities'"
	);
	for (account, keys) in expected {
		frame_support::ensure!(
			pallet_session::NextKeys::<Runtime>::get(&account).as_ref() == Some(&keys),
			"a validator's next keys are not its authority keys"
		);
		for id in SessionKeys::key_ids() {
			frame_support::ensure!(
				pallet_session::Pallet::<Runtime>::key_owner(*id, keys.get_raw(*id)).as_ref()
					== Some(&account),
				"a validator's key has another owner"
			);
		}
	}
	frame_support::ensure!(pallet_session::CurrentIndex::<Runtime>::get() == 0, "a session passed");
	Ok(())
}
