//! The council's origins as the runtime wires them: which proportion each act takes, that a
//! motion really dispatches with it, and what proxies and the validator set may do.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::{
	genesis_config_presets::{get_preset, local_testnet_genesis, preset_names},
	Ehr, RuntimeGenesisConfig, Session, ValidatorSet,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{EnsureOrigin, Hooks},
};
use pallet_collective::RawOrigin as CouncilOrigin;
use sp_core::{Encode, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Hash as _, BuildStorage, DispatchError};

type Origin = RuntimeOrigin;

/// The session keys of a dev account: its sr25519 key for Aura, ed25519 for GRANDPA.
fn keys_of(who: Sr25519Keyring) -> SessionKeys {
	let name: &'static str = who.into();
	let grandpa: sp_keyring::Ed25519Keyring = name.parse().expect("the same dev names");
	SessionKeys { aura: who.public().into(), grandpa: grandpa.public().into() }
}

/// The state of the `local_testnet` preset (council and validators Alice, Bob and Charlie), with
/// Dave's session keys registered but Dave not in the validator set: a node ready to validate.
fn local_testnet() -> sp_io::TestExternalities {
	local_testnet_with_keys(&[Sr25519Keyring::Dave])
}

/// `local_testnet` with the session keys of `ready` (not validators) registered.
fn local_testnet_with_keys(ready: &[Sr25519Keyring]) -> sp_io::TestExternalities {
	let mut genesis = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut genesis, local_testnet_genesis());
	let mut config: RuntimeGenesisConfig = serde_json::from_value(genesis).unwrap();
	for who in ready {
		let account = account(*who);
		config.session.non_authority_keys.push((account.clone(), account, keys_of(*who)));
	}
	let mut ext: sp_io::TestExternalities = config.build_storage().unwrap().into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

/// Whether `O` admits `ayes` of `members` council votes.
fn admits<O: EnsureOrigin<Origin>>(ayes: u32, members: u32) -> bool {
	O::try_origin(CouncilOrigin::<AccountId, CouncilInstance>::Members(ayes, members).into())
		.is_ok()
}

/// Asserts that `O` takes at least `numerator / denominator` of a council of every size up to
/// nine, admits Root (sudo on a development chain) and refuses signed and unsigned origins.
fn assert_takes<O: EnsureOrigin<Origin>>(act: &str, numerator: u32, denominator: u32) {
	for members in 1..=9 {
		for ayes in 0..=members {
			assert_eq!(
				admits::<O>(ayes, members),
				ayes * denominator >= numerator * members,
				"{act}: {ayes} of {members} council votes"
			);
		}
	}
	assert!(O::try_origin(Origin::root()).is_ok(), "{act}: Root");
	assert!(O::try_origin(Origin::signed(account(Sr25519Keyring::Alice))).is_err(), "{act}");
	assert!(O::try_origin(Origin::none()).is_err(), "{act}: unsigned");
	assert!(
		O::try_origin(
			CouncilOrigin::<AccountId, CouncilInstance>::Member(account(Sr25519Keyring::Alice))
				.into()
		)
		.is_err(),
		"{act}: one member alone"
	);
}

#[test]
fn every_domain_act_takes_its_council_proportion() {
	assert_takes::<<Runtime as pallet_ehr::Config>::RegistrarOrigin>("EHR providers", 1, 2);
	assert_takes::<<Runtime as pallet_ehr::Config>::ReviewerOrigin>("break-glass review", 1, 2);
	assert_takes::<<Runtime as pallet_dna_wallet::Config>::RegistrarOrigin>("DNA registrar", 1, 2);
	assert_takes::<<Runtime as pallet_drug_provenance::Config>::RegistrarOrigin>(
		"drug registrar",
		1,
		2,
	);
	assert_takes::<<Runtime as pallet_mutual_aid::Config>::PoolCreatorOrigin>("pools", 1, 2);
	assert_takes::<<Runtime as pallet_mutual_aid::Config>::RegistrarOrigin>("reviewers", 1, 2);
	assert_takes::<<Runtime as pallet_storage_power::Config>::GovernanceOrigin>(
		"storage power",
		2,
		3,
	);
}

#[test]
fn membership_of_the_council_and_the_validator_set_takes_two_thirds() {
	assert_takes::<<Runtime as pallet_membership::Config<CouncilInstance>>::AddOrigin>(
		"add member",
		2,
		3,
	);
	assert_takes::<<Runtime as pallet_membership::Config<CouncilInstance>>::RemoveOrigin>(
		"remove member",
		2,
		3,
	);
	assert_takes::<<Runtime as pallet_membership::Config<CouncilInstance>>::ResetOrigin>(
		"reset members",
		2,
		3,
	);
	assert_takes::<<Runtime as pallet_membership::Config<ValidatorSetInstance>>::AddOrigin>(
		"add validator",
		2,
		3,
	);
	assert_takes::<<Runtime as pallet_membership::Config<ValidatorSetInstance>>::RemoveOrigin>(
		"remove validator",
		2,
		3,
	);
	assert_takes::<<Runtime as pallet_membership::Config<ValidatorSetInstance>>::SwapOrigin>(
		"swap validator",
		2,
		3,
	);
}

#[test]
fn root_through_the_whitelist_takes_three_quarters() {
	assert_takes::<<Runtime as pallet_whitelist::Config>::WhitelistOrigin>("whitelist", 3, 4);
	assert_takes::<<Runtime as pallet_whitelist::Config>::DispatchWhitelistedOrigin>(
		"dispatch", 3, 4,
	);
}

/// Proposes `call` as `proposer` with `threshold`, has each of `voters` vote aye, closes the
/// motion and returns the result of the dispatched call.
fn pass_motion(
	call: RuntimeCall,
	threshold: u32,
	proposer: Sr25519Keyring,
	voters: &[Sr25519Keyring],
) -> Result<(), DispatchError> {
	let length = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = BlakeTwo256::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, CouncilInstance>::get();
	assert_ok!(Council::propose(
		Origin::signed(account(proposer)),
		threshold,
		Box::new(call),
		length
	));
	// A threshold of one executes at once; a higher one makes a motion to vote on and close.
	if threshold > 1 {
		// The proposer's aye is not implied: it votes like the others.
		for voter in core::iter::once(&proposer).chain(voters) {
			assert_ok!(Council::vote(Origin::signed(account(*voter)), hash, index, true));
		}
		assert_ok!(Council::close(Origin::signed(account(proposer)), hash, index, weight, length));
	}
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
				if proposal_hash == hash =>
			{
				Some(result)
			},
			_ => None,
		})
		.expect("a closed motion that reached its threshold executes")
}

fn register_hospital(who: Sr25519Keyring) -> RuntimeCall {
	RuntimeCall::Ehr(pallet_ehr::Call::register_provider {
		provider: account(who),
		kind: pallet_ehr::ProviderKind::Hospital,
		credential: b"licence:council-test".to_vec().try_into().unwrap(),
	})
}

#[test]
fn a_council_majority_registers_a_provider_and_one_member_cannot() {
	local_testnet().execute_with(|| {
		use Sr25519Keyring::*;
		// Alice alone (1 of 3): the motion executes with an origin the registrar refuses.
		assert_eq!(
			pass_motion(register_hospital(Dave), 1, Alice, &[]),
			Err(DispatchError::BadOrigin)
		);
		assert!(pallet_ehr::Providers::<Runtime>::get(account(Dave)).is_none());
		// Alice and Bob (2 of 3).
		assert_eq!(pass_motion(register_hospital(Dave), 2, Alice, &[Bob]), Ok(()));
		assert!(pallet_ehr::Providers::<Runtime>::get(account(Dave)).is_some());
		// Nobody outside the council can propose.
		assert_noop!(
			Council::propose(
				Origin::signed(account(Eve)),
				1,
				Box::new(register_hospital(Eve)),
				100
			),
			pallet_collective::Error::<Runtime, CouncilInstance>::NotMember
		);
		// And signing the registrar's call directly is refused.
		assert_noop!(
			Ehr::register_provider(
				Origin::signed(account(Alice)),
				account(Eve),
				pallet_ehr::ProviderKind::Hospital,
				b"licence".to_vec().try_into().unwrap()
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_runtime_upgrade_is_authorized_by_three_quarters_through_the_whitelist() {
	local_testnet().execute_with(|| {
		use Sr25519Keyring::*;
		let code_hash = H256::repeat_byte(7);
		let authorize: RuntimeCall = frame_system::Call::authorize_upgrade { code_hash }.into();
		let motion = |call: &RuntimeCall| -> RuntimeCall {
			pallet_utility::Call::batch_all {
				calls: vec![
					pallet_whitelist::Call::whitelist_call {
						call_hash: BlakeTwo256::hash_of(call),
					}
					.into(),
					pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
						call: Box::new(call.clone()),
					}
					.into(),
				],
			}
			.into()
		};
		// Two of three is not three quarters.
		assert_eq!(
			pass_motion(motion(&authorize), 2, Alice, &[Bob]),
			Err(DispatchError::BadOrigin)
		);
		let authorized = || {
			System::events().iter().any(|record| {
				record.event
					== RuntimeEvent::System(frame_system::Event::UpgradeAuthorized {
						code_hash,
						check_version: true,
					})
			})
		};
		assert!(!authorized());
		// All three: the whitelisted call runs as Root.
		assert_eq!(pass_motion(motion(&authorize), 3, Alice, &[Bob, Charlie]), Ok(()));
		assert!(authorized());
	});
}

#[test]
fn validators_come_from_the_validator_set_members_with_keys() {
	local_testnet().execute_with(|| {
		use pallet_session::SessionManager;
		use Sr25519Keyring::*;
		// Session keeps the validator set's order (members are sorted by account).
		let mut genesis_set: Vec<AccountId> = [Alice, Bob, Charlie].map(account).into();
		genesis_set.sort();
		assert_eq!(Session::validators(), genesis_set);
		assert_eq!(ValidatorsFromMembership::new_session(1), Some(genesis_set.clone()));
		// Eve joins the set without session keys: she is not a validator.
		assert_ok!(ValidatorSet::add_member(Origin::root(), account(Eve).into()));
		assert_eq!(ValidatorsFromMembership::new_session(2), Some(genesis_set));
		// Removing everyone would halt the chain: the current validators stay.
		assert_ok!(ValidatorSet::reset_members(Origin::root(), Vec::new()));
		assert_eq!(ValidatorsFromMembership::new_session(3), None);
	});
}

/// Runs `blocks` blocks' worth of Session's `on_initialize` (where it decides to rotate).
fn run_sessions_for(blocks: BlockNumber) {
	for _ in 0..blocks {
		System::set_block_number(System::block_number() + 1);
		Session::on_initialize(System::block_number());
	}
}

#[test]
fn a_validator_added_by_the_council_authors_two_blocks_after_the_motion() {
	local_testnet().execute_with(|| {
		use Sr25519Keyring::*;
		let dave = account(Dave);
		assert_eq!(
			pass_motion(
				RuntimeCall::ValidatorSet(pallet_membership::Call::add_member {
					who: dave.clone().into()
				}),
				2,
				Alice,
				&[Bob]
			),
			Ok(())
		);
		let session = Session::current_index();
		// The next block queues the new set, the one after seats it.
		run_sessions_for(1);
		assert!(!Session::validators().contains(&dave));
		assert!(pallet_session::QueuedKeys::<Runtime>::get().iter().any(|(who, _)| *who == dave));
		run_sessions_for(1);
		assert!(Session::validators().contains(&dave));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(Session::current_index(), session + 2);
		// Then the sessions are hourly again.
		run_sessions_for(SESSION_BLOCKS / 2);
		assert_eq!(Session::current_index(), session + 2);
	});
}

#[test]
fn a_validator_removed_by_the_council_stops_authoring_two_blocks_after_the_motion() {
	local_testnet().execute_with(|| {
		use Sr25519Keyring::*;
		let charlie = account(Charlie);
		assert!(Session::validators().contains(&charlie));
		assert_ok!(ValidatorSet::remove_member(Origin::root(), charlie.clone().into()));
		run_sessions_for(2);
		assert!(!Session::validators().contains(&charlie));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
	});
}

#[test]
fn sessions_do_not_rotate_early_without_a_change_in_office() {
	local_testnet().execute_with(|| {
		use Sr25519Keyring::*;
		// Eve joins the set without session keys: no validator would change, so no rotation.
		assert_ok!(ValidatorSet::add_member(Origin::root(), account(Eve).into()));
		run_sessions_for(SESSION_BLOCKS - 1 - System::block_number());
		assert_eq!(Session::current_index(), 0);
		// The hourly rotation.
		run_sessions_for(1);
		assert_eq!(Session::current_index(), 1);
	});
}

#[test]
fn validators_join_early_once_per_cooldown_and_removals_never_wait() {
	use Sr25519Keyring::*;
	local_testnet_with_keys(&[Dave, Eve]).execute_with(|| {
		let (charlie, dave, eve) = (account(Charlie), account(Dave), account(Eve));
		// Dave joins with keys: queued in the next block, seated in the one after.
		assert_ok!(ValidatorSet::add_member(Origin::root(), dave.clone().into()));
		run_sessions_for(2);
		assert!(Session::validators().contains(&dave));
		let dave_joined_at = System::block_number() - 1;
		assert_eq!(LastKeyChangeRotation::get(), Some(dave_joined_at));
		// Eve joins (or a member without keys sets them: the same change) within the cooldown: no
		// early rotation until it has passed, then the two that seat her.
		let session = Session::current_index();
		assert_ok!(ValidatorSet::add_member(Origin::root(), eve.clone().into()));
		run_sessions_for(
			dave_joined_at + KEY_CHANGE_ROTATION_COOLDOWN - 1 - System::block_number(),
		);
		assert_eq!(Session::current_index(), session);
		assert!(!Session::validators().contains(&eve));
		run_sessions_for(2);
		assert_eq!(Session::current_index(), session + 2);
		assert!(Session::validators().contains(&eve));
		assert_eq!(
			LastKeyChangeRotation::get(),
			Some(dave_joined_at + KEY_CHANGE_ROTATION_COOLDOWN)
		);
		// Removing Charlie within the next cooldown does not wait.
		assert_ok!(ValidatorSet::remove_member(Origin::root(), charlie.clone().into()));
		run_sessions_for(2);
		assert_eq!(Session::current_index(), session + 4);
		assert!(!Session::validators().contains(&charlie));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
	});
}

#[test]
fn proxies_do_only_their_job() {
	use Sr25519Keyring::*;
	let transfer: RuntimeCall =
		pallet_balances::Call::transfer_keep_alive { dest: account(Bob).into(), value: 1 }.into();
	let log_access: RuntimeCall = pallet_ehr::Call::log_access {
		patient: account(Bob),
		record_id: 0,
		purpose: pallet_ehr::PurposeOfUse::Treatment,
	}
	.into();
	let register = register_hospital(Eve);
	let vote: RuntimeCall =
		pallet_collective::Call::vote { proposal: H256::zero(), index: 0, approve: true }.into();
	let table = [
		(ProxyType::Any, [true, true, true, true]),
		(ProxyType::NonTransfer, [false, true, true, true]),
		(ProxyType::HealthRecords, [false, true, false, false]),
		(ProxyType::SupplyChain, [false, false, false, false]),
		(ProxyType::Governance, [false, false, false, true]),
	];
	for (proxy, expected) in table {
		let got = [&transfer, &log_access, &register, &vote].map(|call| proxy.filter(call));
		assert_eq!(got, expected, "{proxy:?}");
	}
	// A proxy can add proxies only of its own kind or narrower.
	assert!(ProxyType::NonTransfer.is_superset(&ProxyType::HealthRecords));
	assert!(!ProxyType::NonTransfer.is_superset(&ProxyType::Any));
	assert!(!ProxyType::HealthRecords.is_superset(&ProxyType::SupplyChain));
}

#[test]
fn only_the_development_preset_has_a_sudo_key() {
	for id in preset_names() {
		let json: serde_json::Value =
			serde_json::from_slice(&get_preset(&id).expect("a listed preset")).unwrap();
		let has_sudo = !json["sudo"]["key"].is_null();
		assert_eq!(has_sudo, id.as_str() == sp_genesis_builder::DEV_RUNTIME_PRESET, "{id:?}");
	}
}
