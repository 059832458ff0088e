//! Consortium governance, built from the SDK's own pallets:
//!
//! - **Council** (`pallet-collective`), whose members are managed by **CouncilMembership**
//!   (`pallet-membership`): the institutions that run the chain. Every privileged act of a
//!   domain pallet is a council motion passed by the proportion below.
//! - **ValidatorSet** (`pallet-membership`) feeds **Session** (`pallet-session`) through
//!   [`ValidatorsFromMembership`]: the council adds or removes a validator, the two blocks after the
//!   motion rotate the session twice (sessions are queued one ahead, see
//!   [`EndSessionOnValidatorChange`]), and Aura's and GRANDPA's authorities follow the session.
//! - **Whitelist** (`pallet-whitelist`) with **Preimage**: the only way the council reaches Root
//!   outside a development chain, for runtime upgrades (`System::authorize_upgrade`) and other
//!   acts that only Root may do; it takes three quarters of the council.
//! - **Multisig** and **Proxy**: a hospital acts through a multisig of its officers; its IT systems
//!   act through proxies whose [`ProxyType`] limits them to their job.
//!
//! Which proportion for which act, and why:
//!
//! | act | origin | why |
//! |-----|--------|-----|
//! | register, suspend or deregister an EHR provider; review a break-glass access | [`EnsureHalfCouncil`] | routine licensing, and a suspension must not wait for a supermajority while a provider misbehaves |
//! | register research organisations, resolve consent disputes, force-close a study (DNA wallet) | [`EnsureHalfCouncil`] | routine licensing and arbitration |
//! | register, suspend or reinstate a drug-supply partner; act as the registrar regulator | [`EnsureHalfCouncil`] | licensing; individual regulators act alone as registered regulator partners, as the law lets them |
//! | create mutual-aid pools, add or remove claim reviewers | [`EnsureHalfCouncil`] | routine; members' money is protected by each pool's own rule timelock |
//! | storage-power parameters | [`EnsureTwoThirdsCouncil`] | changes every provider's income |
//! | add, remove or swap a council member or a validator | [`EnsureTwoThirdsCouncil`] | changes who governs or who produces blocks |
//! | anything as Root (runtime upgrades) | [`EnsureThreeQuartersCouncil`] via Whitelist | can change every rule at once |
//!
//! A separate body for drug regulators is not needed: the drug-provenance pallet already lets each
//! licensed regulator partner confirm or clear a suspect and recall a batch alone, with its own
//! signature, and the council only licenses them. Root stays in each origin so that `sudo` works
//! on a development chain; outside development nothing holds the sudo key, and Root is reached
//! only through a three-quarters council motion.

use crate::{
	currency::{MILLI_UNIT, UNIT},
	opaque::SessionKeys,
	AccountId, Balance, Balances, BlockNumber, Council, Preimage, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, System,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, EitherOfDiverse, InstanceFilter, LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::EnsureRoot;
use pallet_collective::EnsureProportionAtLeast;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{BlakeTwo256, ConvertInto, OpaqueKeys},
	Perbill,
};

/// The council's instance of `pallet-collective` and `pallet-membership`.
pub type CouncilInstance = pallet_collective::Instance1;
/// The validator set's instance of `pallet-membership`.
pub type ValidatorSetInstance = pallet_membership::Instance2;

/// At least half of the council (or Root: sudo on a development chain).
pub type EnsureHalfCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EnsureProportionAtLeast<AccountId, CouncilInstance, 1, 2>,
>;
/// At least two thirds of the council (or Root).
pub type EnsureTwoThirdsCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>,
>;
/// At least three quarters of the council (or Root).
pub type EnsureThreeQuartersCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EnsureProportionAtLeast<AccountId, CouncilInstance, 3, 4>,
>;

/// The most institutions the council and the validator set hold (as Aura and GRANDPA allow).
pub const MAX_COUNCIL_MEMBERS: u32 = 32;

parameter_types! {
	/// A motion not closed within a week fails: long enough for every institution to vote.
	pub const CouncilMotionDuration: BlockNumber = 7 * crate::DAYS;
	/// At most this many weight of a motion's call: half a block.
	pub MaxCouncilProposalWeight: Weight =
		crate::configs::portion(Perbill::from_percent(50), crate::configs::RuntimeBlockWeights::get().max_block);
}

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	// Members are set only by CouncilMembership (its `MembershipChanged`), never directly.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = EnsureTwoThirdsCouncil;
	type KillOrigin = EnsureTwoThirdsCouncil;
	// Proposers are council members, a bounded set of known institutions, and `MaxProposals`
	// bounds the open motions: no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<CouncilInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EnsureTwoThirdsCouncil;
	type RemoveOrigin = EnsureTwoThirdsCouncil;
	type SwapOrigin = EnsureTwoThirdsCouncil;
	type ResetOrigin = EnsureTwoThirdsCouncil;
	type PrimeOrigin = EnsureTwoThirdsCouncil;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}

impl pallet_membership::Config<ValidatorSetInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EnsureTwoThirdsCouncil;
	type RemoveOrigin = EnsureTwoThirdsCouncil;
	type SwapOrigin = EnsureTwoThirdsCouncil;
	type ResetOrigin = EnsureTwoThirdsCouncil;
	type PrimeOrigin = EnsureTwoThirdsCouncil;
	// Session reads the members at each rotation: nothing to notify.
	type MembershipInitialized = ();
	type MembershipChanged = ();
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	// Measured on CouncilMembership (the same code and bound), whose `MembershipChanged` also
	// updates Council: an upper bound here.
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}

/// Session's validator set: the members of ValidatorSet who have set session keys.
///
/// A member without keys cannot author, and `pallet-session` leaves it out anyway; if no member has
/// keys (or the council removed everyone) the current validators stay, because an empty set would
/// halt block production for good.
pub struct ValidatorsFromMembership;

impl ValidatorsFromMembership {
	/// The members with session keys, in the set's (sorted) order; `None` if there are none.
	fn ready_members() -> Option<Vec<AccountId>> {
		let ready: Vec<AccountId> =
			pallet_membership::Members::<Runtime, ValidatorSetInstance>::get()
				.into_iter()
				.filter(|validator| pallet_session::NextKeys::<Runtime>::contains_key(validator))
				.collect();
		(!ready.is_empty()).then_some(ready)
	}
}

impl pallet_session::SessionManager<AccountId> for ValidatorsFromMembership {
	fn new_session(_new_index: u32) -> Option<Vec<AccountId>> {
		Self::ready_members()
	}
	fn end_session(_end_index: u32) {}
	fn start_session(_start_index: u32) {}
}

parameter_types! {
	/// See [`SESSION_BLOCKS`].
	pub const SessionPeriod: BlockNumber = SESSION_BLOCKS;
	pub const SessionOffset: BlockNumber = 0;
	/// Held while a validator's session keys are registered.
	pub const SessionKeyDeposit: Balance = UNIT;
}

/// Blocks per session when the validator set does not change: an hour. A rotation costs a whole
/// block (`pallet-session` charges the block's maximum weight for it, so that block carries no
/// transactions), so sessions are long; a change of the validator set does not wait for the hour
/// (see [`EndSessionOnValidatorChange`]). What the hourly rotation still carries: new session
/// keys of a validator already in office (`session.setKeys` takes effect within two hours).
pub const SESSION_BLOCKS: BlockNumber = crate::HOURS;

type PeriodicSessions = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;

/// The least number of blocks between two early rotations that seat a new validator (the council
/// adding a member with keys, or a member out of office setting its keys): ten minutes. Each early
/// rotation empties two blocks, and a member can make its keys count again and again (purge them,
/// leave at the hourly rotation, set them anew), so uncapped, many members could empty many
/// blocks; capped, all of them together empty at most 2 blocks in 100. The council's removal of a
/// validator never waits.
pub const KEY_CHANGE_ROTATION_COOLDOWN: BlockNumber = 10 * crate::MINUTES;

/// The block of the last early rotation that seated a new validator (see
/// [`KEY_CHANGE_ROTATION_COOLDOWN`]); none before the first.
#[frame_support::storage_alias]
pub type LastKeyChangeRotation = StorageValue<MedchainSessionRotation, BlockNumber>;

/// Ends a session every [`SESSION_BLOCKS`], and early while the validator set is not yet in
/// office: when the council adds or removes a validator (or a member out of office sets its keys),
/// the next block rotates to queue the new set and the block after rotates again to seat it
/// (sessions are queued one ahead), so Aura and GRANDPA follow within two blocks of the motion. A
/// removed validator, perhaps a compromised one, thus stops authoring at once. A change that adds
/// a validator waits for [`KEY_CHANGE_ROTATION_COOLDOWN`] after the previous such rotation; a
/// validator in office that purges its keys leaves at the hourly rotation; a rotation that
/// changes nothing costs nothing outside the hourly one.
///
/// Its reads happen in every block's `on_initialize`, which is part of the benchmarked weight of
/// an empty block: the queued and the current validators, the members, and `NextKeys` only of
/// members not yet queued (none in the steady state; at most [`MAX_COUNCIL_MEMBERS`]).
pub struct EndSessionOnValidatorChange;

impl EndSessionOnValidatorChange {
	/// Whether to rotate now because the validators in office or queued are not yet those
	/// [`ValidatorsFromMembership`] would choose; records a rotation that seats a new validator.
	fn change_due(now: BlockNumber) -> bool {
		let queued: Vec<AccountId> =
			pallet_session::QueuedKeys::<Runtime>::get().into_iter().map(|(who, _)| who).collect();
		if queued != pallet_session::Validators::<Runtime>::get() {
			// A queued set is seated at once.
			return true;
		}
		let members = pallet_membership::Members::<Runtime, ValidatorSetInstance>::get();
		if members.as_slice() == queued.as_slice() {
			return false;
		}
		let Some(ready) = ValidatorsFromMembership::ready_members() else { return false };
		if ready == queued {
			return false;
		}
		if queued.iter().any(|validator| members.binary_search(validator).is_err()) {
			// The council removed a validator.
			return true;
		}
		let cooled_down = LastKeyChangeRotation::get()
			.is_none_or(|last| now.saturating_sub(last) >= KEY_CHANGE_ROTATION_COOLDOWN);
		if cooled_down {
			LastKeyChangeRotation::put(now);
		}
		cooled_down
	}
}

impl pallet_session::ShouldEndSession<BlockNumber> for EndSessionOnValidatorChange {
	fn should_end_session(now: BlockNumber) -> bool {
		PeriodicSessions::should_end_session(now) || Self::change_due(now)
	}
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = EndSessionOnValidatorChange;
	// The next hourly rotation: an early one for a validator change cannot be foreseen.
	type NextSessionRotation = PeriodicSessions;
	type SessionManager = ValidatorsFromMembership;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// Validators are known institutions; misbehaviour is handled by the council removing them.
	type DisablingStrategy = ();
	// Parity's reference weights: the session benchmarks (`pallet-session-benchmarking`) need
	// `pallet-staking`, which this chain does not have.
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

parameter_types! {
	/// A preimage holds 1 MED plus 0.001 MED per byte until it is used or unrequested (the
	/// runtime's code, 5.2 MB compressed, would hold about 5,200 MED; upgrades go through
	/// `authorize_upgrade` instead, so the code is never a preimage).
	pub const PreimageBaseDeposit: Balance = UNIT;
	pub const PreimageByteDeposit: Balance = MILLI_UNIT;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// A whitelisted call must be dispatched within a day or it lapses.
	pub const WhitelistExpiration: BlockNumber = crate::DAYS;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = EnsureThreeQuartersCouncil;
	type DispatchWhitelistedOrigin = EnsureThreeQuartersCouncil;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = WhitelistExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
}

parameter_types! {
	/// A multisig operation holds 1 MED plus 0.01 MED per signatory until it executes or is
	/// cancelled.
	pub const MultisigDepositBase: Balance = UNIT;
	pub const MultisigDepositFactor: Balance = 10 * MILLI_UNIT;
	/// A proxy holds 1 MED plus 0.01 MED per proxy of the account.
	pub const ProxyDepositBase: Balance = UNIT;
	pub const ProxyDepositFactor: Balance = 10 * MILLI_UNIT;
	/// An announced proxy call holds 1 MED plus 0.01 MED per announcement.
	pub const AnnouncementDepositBase: Balance = UNIT;
	pub const AnnouncementDepositFactor: Balance = 10 * MILLI_UNIT;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<16>;
	type WeightInfo = crate::weights::pallet_multisig::WeightInfo<Runtime>;
	type BlockNumberProvider = System;
}

/// What a proxy may do for the account that added it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Everything the account can do.
	#[default]
	Any,
	/// Everything except moving money (balance transfers).
	NonTransfer,
	/// A hospital's record system: add and amend records, log reads, request access.
	HealthRecords,
	/// A pharmacy's or wholesaler's dispensing system: the drug-provenance calls of a partner.
	SupplyChain,
	/// Voting and proposing in the council, for an institution's governance officer.
	Governance,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => !matches!(call, RuntimeCall::Balances(..)),
			ProxyType::HealthRecords => matches!(
				call,
				RuntimeCall::Ehr(
					pallet_ehr::Call::add_record { .. }
						| pallet_ehr::Call::amend_record { .. }
						| pallet_ehr::Call::log_access { .. }
						| pallet_ehr::Call::request_access { .. }
						| pallet_ehr::Call::cancel_request { .. }
				) | RuntimeCall::Utility(..)
			),
			ProxyType::SupplyChain => {
				matches!(call, RuntimeCall::DrugProvenance(..) | RuntimeCall::Utility(..))
			},
			ProxyType::Governance => matches!(
				call,
				RuntimeCall::Council(
					pallet_collective::Call::propose { .. }
						| pallet_collective::Call::vote { .. }
						| pallet_collective::Call::close { .. }
				) | RuntimeCall::Utility(..)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, _) => true,
			_ => false,
		}
	}
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = crate::weights::pallet_proxy::WeightInfo<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

pub mod migration;

#[cfg(test)]
mod tests;
