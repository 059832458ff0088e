//! The council's origins as the runtime wires them: which proportion each act takes, that a
//! motion really dispatches with it, and what proxies and the validator set may do; and the
//! upgrade of a chain from before governance ([`super::migration`]).
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::{
	migration::{Found, Refusal, SeedSessionFromAuthorities},
	*,
};
use crate::{
	genesis_config_presets::{
		build_state, get_preset, preset_genesis, preset_names, PRODUCTION_RUNTIME_PRESET,
	},
	Ehr, Grandpa, Session, ValidatorSet,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{EnsureOrigin, Hooks, OnRuntimeUpgrade},
};
use pallet_collective::RawOrigin as CouncilOrigin;
use sp_core::{Encode, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Hash as _, DispatchError};

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
	let id = sp_genesis_builder::PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET);
	let mut genesis = preset_genesis(&id).unwrap();
	let ready: Vec<_> =
		ready.iter().map(|who| (account(*who), account(*who), keys_of(*who))).collect();
	genesis["session"]["nonAuthorityKeys"] = serde_json::to_value(ready).unwrap();
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| build_state(serde_json::to_vec(&genesis).unwrap())).unwrap();
	ext.execute_with(|| System::set_block_number(1));
	ext
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

/// A chain from before governance: Aura's and GRANDPA's authorities fixed at genesis in the
/// order given (the GRANDPA keys of `grandpa`'s dev names), no validator set and no session keys.
/// The balances and the council of `local_testnet` stand for what the old chain held and for the
/// council that sudo seats after the upgrade.
fn pre_governance(aura: &[Sr25519Keyring], grandpa: &[Sr25519Keyring]) -> sp_io::TestExternalities {
	let id = sp_genesis_builder::PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET);
	let mut genesis = preset_genesis(&id).unwrap();
	genesis["session"]["keys"] = serde_json::json!([]);
	genesis["validatorSet"]["members"] = serde_json::json!([]);
	let aura: Vec<_> = aura.iter().map(|who| keys_of(*who).aura).collect();
	genesis["aura"]["authorities"] = serde_json::to_value(aura).unwrap();
	let grandpa: Vec<_> = grandpa.iter().map(|who| (keys_of(*who).grandpa, 1u64)).collect();
	genesis["grandpa"]["authorities"] = serde_json::to_value(grandpa).unwrap();
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| build_state(serde_json::to_vec(&genesis).unwrap())).unwrap();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `blocks` blocks' worth of Session's `on_initialize` and GRANDPA's `on_finalize` (where a
/// scheduled change of GRANDPA's authorities takes effect).
fn run_blocks_finalizing(blocks: BlockNumber) {
	for _ in 0..blocks {
		System::set_block_number(System::block_number() + 1);
		Session::on_initialize(System::block_number());
		Grandpa::on_finalize(System::block_number());
	}
}

fn storage_root() -> Vec<u8> {
	sp_io::storage::root(sp_runtime::StateVersion::V1)
}

fn db_weight() -> frame_support::weights::RuntimeDbWeight {
	<Runtime as frame_system::Config>::DbWeight::get()
}

fn validator_set() -> Vec<AccountId> {
	pallet_membership::Members::<Runtime, ValidatorSetInstance>::get().into_inner()
}

fn aura_authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
	pallet_grandpa::Authorities::<Runtime>::get().into_inner()
}

#[test]
fn a_chain_from_before_governance_gets_its_authorities_as_the_validator_set() {
	use pallet_session::SessionManager;
	use Sr25519Keyring::*;
	// The old local_testnet preset's order, which is not the accounts' order.
	let old = [Alice, Bob, Charlie];
	let mut in_set_order = old;
	in_set_order.sort_by_key(|who| account(*who));
	assert_ne!(in_set_order, old);
	pre_governance(&old, &old).execute_with(|| {
		let (aura_before, grandpa_before) = (aura_authorities(), grandpa_authorities());
		assert!(Session::validators().is_empty());
		assert_eq!(ValidatorsFromMembership::new_session(1), None);

		let snapshot = migration::pre_upgrade_snapshot().unwrap();
		let weight = SeedSessionFromAuthorities::on_runtime_upgrade();
		migration::post_upgrade_check(snapshot).unwrap();
		// Per validator: 3 reads, 5 writes (account twice, two key owners, next keys).
		assert_eq!(weight, db_weight().reads_writes(4 + 3 * 3, 3 + 3 * 5));

		// In office and queued: the authorities, in Aura's order; the validator set: the same,
		// sorted.
		let accounts: Vec<AccountId> = old.map(account).into();
		assert_eq!(Session::validators(), accounts);
		assert_eq!(validator_set(), in_set_order.map(account).to_vec());
		assert_eq!(Session::queued_keys(), old.map(|who| (account(who), keys_of(who))).to_vec());
		for who in old {
			let keys = keys_of(who);
			assert_eq!(pallet_session::NextKeys::<Runtime>::get(account(who)), Some(keys.clone()));
			for id in SessionKeys::key_ids() {
				assert_eq!(Session::key_owner(*id, keys.get_raw(*id)), Some(account(who)));
			}
			// The consumer reference keys hold; no deposit.
			assert_eq!(System::consumers(&account(who)), 1);
			assert_eq!(pallet_balances::Pallet::<Runtime>::reserved_balance(account(who)), 0);
		}
		assert_eq!(Session::current_index(), 0);
		assert_eq!((aura_authorities(), grandpa_authorities()), (aura_before, grandpa_before));
		// The manager now finds the same validators, in the set's order.
		assert_eq!(
			ValidatorsFromMembership::new_session(1),
			Some(in_set_order.map(account).into())
		);
		// Run again (every later upgrade): one read, nothing written.
		let root = storage_root();
		assert_eq!(SeedSessionFromAuthorities::on_runtime_upgrade(), db_weight().reads(1));
		assert_eq!(storage_root(), root);

		// The queue is in Aura's order, not the members': the next two blocks rotate, and the same
		// authorities go on in the validator set's order.
		run_blocks_finalizing(2);
		assert_eq!(Session::current_index(), 2);
		let aura_in_set_order: Vec<_> = in_set_order.map(|who| keys_of(who).aura).into();
		let grandpa_in_set_order: Vec<_> = in_set_order.map(|who| (keys_of(who).grandpa, 1)).into();
		assert_eq!(aura_authorities(), aura_in_set_order);
		assert_eq!(grandpa_authorities(), grandpa_in_set_order);
		// Then hourly sessions keep them.
		run_blocks_finalizing(2 * SESSION_BLOCKS);
		assert_eq!(Session::current_index(), 4);
		assert_eq!(Session::validators(), in_set_order.map(account).to_vec());
		assert_eq!(aura_authorities(), aura_in_set_order);
		assert_eq!(grandpa_authorities(), grandpa_in_set_order);

		// And the council manages them: it removes Charlie, who stops authoring two blocks later.
		assert_eq!(
			pass_motion(
				RuntimeCall::ValidatorSet(pallet_membership::Call::remove_member {
					who: account(Charlie).into()
				}),
				2,
				Alice,
				&[Bob]
			),
			Ok(())
		);
		run_blocks_finalizing(2);
		let remaining: Vec<Sr25519Keyring> =
			in_set_order.into_iter().filter(|who| *who != Charlie).collect();
		assert_eq!(
			Session::validators(),
			remaining.iter().map(|who| account(*who)).collect::<Vec<_>>()
		);
		assert_eq!(
			aura_authorities(),
			remaining.iter().map(|who| keys_of(*who).aura).collect::<Vec<_>>()
		);
		assert_eq!(
			grandpa_authorities(),
			remaining.iter().map(|who| (keys_of(*who).grandpa, 1)).collect::<Vec<_>>()
		);
	});
}

#[test]
fn a_validator_without_money_gets_its_keys_with_a_provider_and_a_consumer_reference() {
	use Sr25519Keyring::*;
	// One holds nothing: authoring needed no money before governance.
	pre_governance(&[Alice, One], &[Alice, One]).execute_with(|| {
		let one = account(One);
		assert_eq!((System::providers(&one), System::consumers(&one)), (0, 0));
		SeedSessionFromAuthorities::on_runtime_upgrade();
		assert_eq!((System::providers(&one), System::consumers(&one)), (1, 1));
		assert_eq!(pallet_session::NextKeys::<Runtime>::get(&one), Some(keys_of(One)));
		assert!(Session::validators().contains(&one));
		// Purging the keys releases the consumer reference it took.
		assert_ok!(Session::purge_keys(Origin::signed(one.clone())));
		assert_eq!((System::providers(&one), System::consumers(&one)), (1, 0));
	});
}

#[test]
fn the_migration_changes_nothing_on_a_governed_chain_or_one_without_authorities() {
	local_testnet().execute_with(|| {
		assert_eq!(SeedSessionFromAuthorities::find(), Found::Governed);
		let root = storage_root();
		let snapshot = migration::pre_upgrade_snapshot().unwrap();
		assert_eq!(SeedSessionFromAuthorities::on_runtime_upgrade(), db_weight().reads(1));
		migration::post_upgrade_check(snapshot).unwrap();
		assert_eq!(storage_root(), root);
	});
	// The production template before its operator fills it in: nobody at all.
	let id = sp_genesis_builder::PresetId::from(PRODUCTION_RUNTIME_PRESET);
	let genesis = serde_json::to_vec(&preset_genesis(&id).unwrap()).unwrap();
	let mut empty = sp_io::TestExternalities::default();
	empty.execute_with(|| build_state(genesis)).unwrap();
	empty.execute_with(|| {
		assert_eq!(SeedSessionFromAuthorities::find(), Found::NoAuthorities);
		let root = storage_root();
		assert_eq!(SeedSessionFromAuthorities::on_runtime_upgrade(), db_weight().reads(2));
		assert_eq!(storage_root(), root);
	});
}

#[test]
fn authorities_that_cannot_be_paired_by_position_are_left_as_they_were() {
	use Sr25519Keyring::*;
	// Two GRANDPA keys for three Aura keys: which Aura key goes with which is unknown.
	pre_governance(&[Alice, Bob, Charlie], &[Alice, Charlie]).execute_with(|| {
		let refusal = Refusal::CountsDiffer { aura: 3, grandpa: 2 };
		assert_eq!(SeedSessionFromAuthorities::find(), Found::PreGovernance(Err(refusal)));
		// The upgrade's dry run fails, naming the reason.
		assert_eq!(migration::pre_upgrade_snapshot(), Err(refusal.reason().into()));
		let (aura_before, grandpa_before) = (aura_authorities(), grandpa_authorities());
		let root = storage_root();
		assert_eq!(SeedSessionFromAuthorities::on_runtime_upgrade(), db_weight().reads(4));
		assert_eq!(storage_root(), root);
		// The chain goes on as before the upgrade: the same authorities, nobody in Session.
		run_blocks_finalizing(2 * SESSION_BLOCKS);
		assert_eq!(Session::current_index(), 2);
		assert!(Session::validators().is_empty());
		assert_eq!((aura_authorities(), grandpa_authorities()), (aura_before, grandpa_before));
	});
	// A key twice is refused as well.
	pre_governance(&[Alice, Bob, Alice], &[Alice, Bob, Charlie]).execute_with(|| {
		assert_eq!(
			SeedSessionFromAuthorities::find(),
			Found::PreGovernance(Err(Refusal::DuplicateKey))
		);
		let root = storage_root();
		SeedSessionFromAuthorities::on_runtime_upgrade();
		assert_eq!(storage_root(), root);
	});
}
