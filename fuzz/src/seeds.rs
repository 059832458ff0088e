//! Hand-made seed inputs: one short, successful flow per pallet over the `development` preset's
//! demo data, so that the fuzzer starts from deep states (registered providers, grants, batches
//! in transit, pool members, storage eras) rather than from the error paths of empty calls. A
//! dictionary of the dev accounts' 32-byte ids lets mutations name real accounts.
//!
//! Demo data used (see `runtime/src/genesis_config_presets.rs`): EHR record 0 of Bob, Charlie a
//! hospital with Bob's grant, Dave a clinician; DNA keys 0–4 of Bob, Charlie, Dave, Eve, Ferdie,
//! dataset 0 of Bob, Eve a research organisation; drug product `09506000134352` of manufacturer
//! Eve, Ferdie a wholesaler, Dave a pharmacy; mutual-aid pool 0 with member Bob; storage
//! providers Charlie and Dave.

use crate::{accounts, Op, Origin};
use codec::Encode;
use medchain_runtime::{currency::UNIT, AccountId, RuntimeCall};
use sp_core::H256;
use sp_runtime::{BoundedVec, MultiAddress};

const ALICE: u8 = 0;
const BOB: u8 = 1;
const CHARLIE: u8 = 2;
const DAVE: u8 = 3;
const EVE: u8 = 4;
const FERDIE: u8 = 5;

fn who(index: u8) -> AccountId {
	accounts()[usize::from(index)].clone()
}

fn signed(index: u8, call: RuntimeCall) -> Op {
	Op { advance: 0, origin: Origin::Signed(index), call }
}

fn root(call: RuntimeCall) -> Op {
	Op { advance: 0, origin: Origin::Root, call }
}

fn after(blocks: u8, op: Op) -> Op {
	Op { advance: blocks, ..op }
}

fn hash(label: &str) -> H256 {
	<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(label.as_bytes())
}

fn bounded<S: sp_core::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(bytes.to_vec())
}

/// The seeds, by name.
pub fn seeds() -> Vec<(&'static str, Vec<Op>)> {
	vec![
		("balances", balances()),
		("ehr", ehr()),
		("dna_wallet", dna_wallet()),
		("drug_provenance", drug_provenance()),
		("mutual_aid", mutual_aid()),
		("storage_power", storage_power()),
	]
}

/// Seeds as the fuzzer reads them: the SCALE encodings of their ops, concatenated.
pub fn encoded_seeds() -> Vec<(&'static str, Vec<u8>)> {
	seeds()
		.into_iter()
		.map(|(name, ops)| (name, ops.iter().flat_map(Encode::encode).collect()))
		.collect()
}

/// A libFuzzer dictionary: the dev accounts' ids, which mutations then splice into calls.
pub fn dictionary() -> String {
	accounts()
		.iter()
		.enumerate()
		.map(|(i, account)| {
			let bytes: &[u8] = account.as_ref();
			let escaped: String = bytes.iter().map(|b| format!("\\x{b:02x}")).collect();
			format!("account_{i}=\"{escaped}\"\n")
		})
		.collect()
}

fn balances() -> Vec<Op> {
	use pallet_balances::Call as B;
	use pallet_utility::Call as U;
	vec![
		signed(
			ALICE,
			RuntimeCall::Balances(B::transfer_keep_alive {
				dest: MultiAddress::Id(who(BOB)),
				value: 10 * UNIT,
			}),
		),
		after(
			1,
			signed(
				BOB,
				RuntimeCall::Utility(U::batch_all {
					calls: vec![
						RuntimeCall::Balances(B::transfer_allow_death {
							dest: MultiAddress::Id(who(FERDIE)),
							value: UNIT,
						}),
						RuntimeCall::System(frame_system::Call::remark_with_event {
							remark: b"medchain fuzz seed".to_vec(),
						}),
					],
				}),
			),
		),
		root(RuntimeCall::Balances(B::force_set_balance {
			who: MultiAddress::Id(who(7)),
			new_free: 5 * UNIT,
		})),
	]
}

fn ehr() -> Vec<Op> {
	use pallet_ehr::{
		AccessActions, BreakGlassVerdict, Call as E, GrantScope, ProviderKind, PurposeOfUse,
	};
	let e = RuntimeCall::Ehr;
	vec![
		// Charlie (hospital, granted read + append by Bob) adds record 1 to Bob's file.
		signed(
			CHARLIE,
			e(E::add_record {
				patient: who(BOB),
				type_code: bounded(b"11506-3"),
				commitment: hash("record 1"),
				content_id: hash("sealed record 1"),
				locator: bounded(&[7; 48]),
				size: 4096,
			}),
		),
		// Bob lets Dave read, for five reads; Dave reads record 1.
		signed(
			BOB,
			e(E::grant_access {
				grantee: who(DAVE),
				scope: GrantScope::All,
				actions: AccessActions { read: true, append: false },
				purpose: PurposeOfUse::Treatment,
				not_before: 0,
				expires_at: 1_000,
				max_reads: Some(5),
			}),
		),
		after(
			1,
			signed(
				DAVE,
				e(E::log_access {
					patient: who(BOB),
					record_id: 1,
					purpose: PurposeOfUse::Treatment,
				}),
			),
		),
		// Root registers Ferdie as a laboratory; Ferdie asks Bob for access, Bob approves.
		root(e(E::register_provider {
			provider: who(FERDIE),
			kind: ProviderKind::Laboratory,
			credential: bounded(b"licence:fuzz-lab"),
		})),
		signed(
			FERDIE,
			e(E::request_access {
				patient: who(BOB),
				scope: GrantScope::All,
				actions: AccessActions { read: true, append: true },
				purpose: PurposeOfUse::Treatment,
				duration: 500,
			}),
		),
		signed(
			BOB,
			e(E::respond_request {
				requester: who(FERDIE),
				approve: true,
				// What the patient approves: blake2-256 of the SCALE-encoded terms.
				terms_hash: <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash_of(
					&(
						GrantScope::<Vec<Vec<u8>>, Vec<u64>>::All,
						AccessActions { read: true, append: true },
						PurposeOfUse::Treatment,
						500u32,
					),
				),
			}),
		),
		// Break-glass by Dave on Eve's file, reviewed by Root.
		signed(DAVE, e(E::break_glass { patient: who(EVE), reason_commitment: hash("emergency") })),
		after(
			2,
			root(e(E::review_break_glass {
				patient: who(EVE),
				provider: who(DAVE),
				verdict: BreakGlassVerdict::Justified,
			})),
		),
		// Bob names guardians; Bob amends then erases record 1; revokes Dave.
		signed(
			BOB,
			e(E::set_guardians {
				guardians: BoundedVec::truncate_from(vec![who(CHARLIE), who(ALICE)]),
				threshold: 2,
			}),
		),
		signed(
			CHARLIE,
			e(E::amend_record {
				record_id: 1,
				commitment: hash("record 1 v2"),
				content_id: hash("sealed record 1 v2"),
				locator: bounded(&[8; 48]),
				size: 5000,
			}),
		),
		signed(BOB, e(E::revoke_access { grantee: who(DAVE) })),
		// Bob names Charlie's sealed object in a record of his own, then erases it: a content
		// id names one record per issuer, so both stood and Charlie's entry stays.
		signed(
			BOB,
			e(E::add_record {
				patient: who(BOB),
				type_code: bounded(b"11506-3"),
				commitment: hash("bob's record"),
				content_id: hash("sealed record 1 v2"),
				locator: bounded(&[9; 48]),
				size: 4096,
			}),
		),
		signed(BOB, e(E::erase_record { record_id: 3 })),
	]
}

fn dna_wallet() -> Vec<Op> {
	use pallet_dna_wallet::{
		Call as D, DataUse, DatasetFormat, KeyType, OrganisationKind, SharePurpose, StudyMode,
		UseTerms,
	};
	let d = RuntimeCall::DnaWallet;
	vec![
		// Alice registers a key and a dataset (dataset 1).
		signed(
			ALICE,
			d(D::register_key { public_key: bounded(&[0x11; 32]), key_type: KeyType::X25519 }),
		),
		signed(
			ALICE,
			d(D::register_dataset {
				ciphertext_hash: hash("alice genome"),
				format: DatasetFormat::Cram,
				size: 1 << 32,
				encrypted_locator: bounded(&[3; 64]),
			}),
		),
		// Bob shares dataset 0 with Charlie's key 1, then rotates the data key.
		signed(
			BOB,
			d(D::share_key {
				dataset: 0,
				recipient: who(CHARLIE),
				recipient_key_id: 1,
				wrapped_key: bounded(&[9; 48]),
				expires_at: 500,
				purpose: SharePurpose::Clinical,
			}),
		),
		after(1, signed(BOB, d(D::revoke_share { dataset: 0, recipient: who(CHARLIE) }))),
		signed(
			BOB,
			d(D::rotate_data_key { dataset: 0, new_ciphertext_hash: hash("bob genome v2") }),
		),
		// Root registers Dave as a research organisation; Eve (research) opens study 0 and Bob
		// consents with dataset 0.
		root(d(D::register_organisation {
			organisation: who(DAVE),
			kind: OrganisationKind::Research,
		})),
		signed(
			EVE,
			d(D::create_study {
				terms: UseTerms {
					uses: BoundedVec::truncate_from(vec![DataUse::HealthMedicalBiomedical]),
					commercial: false,
				},
				formats: BoundedVec::truncate_from(vec![DatasetFormat::Vcf]),
				ethics_commitment: hash("ethics approval"),
				budget: 100 * UNIT,
				max_participants: 10,
				mode: StudyMode::Direct,
				recipient: who(EVE),
				recipient_key_id: 3,
				expires_at: 2_000,
			}),
		),
		after(
			1,
			signed(BOB, d(D::consent { study: 0, dataset: 0, wrapped_key: bounded(&[5; 48]) })),
		),
		// Eve checks the data and accepts: Bob is paid from the escrow.
		signed(EVE, d(D::accept_consent { study: 0, dataset: 0 })),
		signed(
			BOB,
			d(D::set_guardians {
				guardians: BoundedVec::truncate_from(vec![who(ALICE), who(CHARLIE), who(DAVE)]),
				threshold: 2,
			}),
		),
		signed(
			ALICE,
			d(D::approve_recovery {
				owner: who(BOB),
				public_key: bounded(&[0x22; 32]),
				key_type: KeyType::X25519,
			}),
		),
		signed(EVE, d(D::close_study { study: 0 })),
		// Root force-closes the (closed, settled) study: it is removed.
		root(d(D::force_close_study { study: 0 })),
	]
}

fn drug_provenance() -> Vec<Op> {
	use pallet_drug_provenance::{
		Call as P, DestructionReason, PartnerRole, RecallClass, ReportFinding,
	};
	let p = RuntimeCall::DrugProvenance;
	let gtin = *b"09506000134352";
	vec![
		// Eve (manufacturer) registers batch 0 of 100 packs and ships 40 to Ferdie.
		signed(
			EVE,
			p(P::register_batch {
				gtin,
				lot: bounded(b"LOT-FUZZ-1"),
				expiry: 1_000_000,
				quantity: 100,
				certificate_hash: hash("certificate of analysis"),
				codes_root: hash("codes root"),
				code_count: 100,
			}),
		),
		after(
			1,
			signed(
				EVE,
				p(P::dispatch {
					batch_id: 0,
					to: who(FERDIE),
					quantity: 40,
					shipment_commitment: hash("shipment 0"),
				}),
			),
		),
		after(1, signed(FERDIE, p(P::receive { batch_id: 0, transfer_index: 0 }))),
		// Ferdie ships 10 to Dave (pharmacy), who receives and dispenses 2.
		signed(
			FERDIE,
			p(P::dispatch {
				batch_id: 0,
				to: who(DAVE),
				quantity: 10,
				shipment_commitment: hash("shipment 1"),
			}),
		),
		after(1, signed(DAVE, p(P::receive { batch_id: 0, transfer_index: 1 }))),
		signed(DAVE, p(P::mark_dispensed { batch_id: 0, quantity: 2 })),
		signed(EVE, p(P::destroy { batch_id: 0, quantity: 5, reason: DestructionReason::Damaged })),
		// Root licenses Charlie as a dispenser; Dave (a holder) reports the batch, Root clears
		// the report as unfounded (Dave's deposit is slashed), Dave reports again, Root recalls.
		root(p(P::register_partner {
			account: who(CHARLIE),
			role: PartnerRole::Dispenser,
			gln: *b"0950600013460",
			licence_ref: hash("licence charlie"),
			licensed_until: 100_000,
		})),
		signed(
			DAVE,
			p(P::report_suspect {
				batch_id: 0,
				evidence_commitment: hash("evidence"),
				custody: None,
			}),
		),
		root(p(P::clear_suspect { batch_id: 0, finding: ReportFinding::Unfounded })),
		signed(
			DAVE,
			p(P::report_suspect {
				batch_id: 0,
				evidence_commitment: hash("evidence 2"),
				custody: Some(1),
			}),
		),
		root(p(P::initiate_recall {
			batches: BoundedVec::truncate_from(vec![0]),
			class: RecallClass::ClassII,
			reason_commitment: hash("recall"),
		})),
		after(1, signed(FERDIE, p(P::ack_recall { batch_id: 0 }))),
	]
}

fn mutual_aid() -> Vec<Op> {
	use pallet_mutual_aid::{Call as M, FundingModel, PoolRules};
	let m = RuntimeCall::MutualAid;
	vec![
		// Root opens prefunded pool 1 managed by Alice; Charlie and Dave join pool 0 and 1.
		root(m(M::create_pool {
			manager: who(ALICE),
			rules: PoolRules {
				funding: FundingModel::Prefunded,
				waiting_period: 2,
				per_claim_cap: 100 * UNIT,
				lifetime_cap: 200 * UNIT,
				covered_conditions: BoundedVec::truncate_from(vec![bounded(b"C"), bounded(b"I21")]),
				fee_bps: 50,
				min_members: 1,
				notice_period: 3,
				review_period: 3,
				claim_deposit: UNIT,
				contribution: UNIT,
				max_share: 0,
			},
		})),
		signed(CHARLIE, m(M::join { pool_id: 0 })),
		signed(BOB, m(M::join { pool_id: 1 })),
		signed(BOB, m(M::contribute { pool_id: 1, amount: 150 * UNIT })),
		// Twenty blocks later the manager proposes a rule change; Dave joins pool 1 meanwhile.
		after(
			21,
			signed(
				ALICE,
				m(M::propose_rule_change {
					pool_id: 1,
					rules: PoolRules {
						funding: FundingModel::Prefunded,
						waiting_period: 2,
						per_claim_cap: 50 * UNIT,
						lifetime_cap: 200 * UNIT,
						covered_conditions: BoundedVec::truncate_from(vec![bounded(b"C")]),
						fee_bps: 50,
						min_members: 1,
						notice_period: 3,
						review_period: 3,
						claim_deposit: UNIT,
						contribution: UNIT,
						max_share: 0,
					},
				}),
			),
		),
		signed(DAVE, m(M::join { pool_id: 1 })),
		after(11, signed(DAVE, m(M::apply_rule_change { pool_id: 1 }))),
		root(m(M::add_reviewer { reviewer: who(BOB) })),
		signed(CHARLIE, m(M::leave { pool_id: 0 })),
	]
}

fn storage_power() -> Vec<Op> {
	use pallet_storage_power::Call as S;
	let s = RuntimeCall::StoragePower;
	vec![
		// Eve becomes a provider of 1 TiB; Charlie and Dave send heartbeats.
		signed(
			EVE,
			s(S::register_provider {
				capacity_gib: 1024,
				endpoint_commitment: hash("eve endpoint"),
			}),
		),
		after(1, signed(CHARLIE, s(S::heartbeat {}))),
		signed(DAVE, s(S::heartbeat {})),
		// Bob orders three replicas of a 200 MiB object for four eras, then renews it.
		signed(
			BOB,
			s(S::place_order {
				content_id: hash("bob's sealed scan"),
				size_bytes: 200 << 20,
				replicas: 3,
				eras: 4,
			}),
		),
		signed(BOB, s(S::renew_order { order_id: 0, eras: 2 })),
		// Charlie and Dave take its replicas and Dave drops its own before the chain audits it;
		// Charlie never answers its audit (a slash when the chain draws it).
		signed(CHARLIE, s(S::take_replica { order_id: 0 })),
		signed(DAVE, s(S::take_replica { order_id: 0 })),
		signed(DAVE, s(S::drop_replica { order_id: 0 })),
		// Charlie reports era 0 while its report window is open.
		after(
			5,
			signed(
				CHARLIE,
				s(S::submit_report {
					era: 0,
					used_space_gib: 512,
					free_space_gib: 1536,
					bytes_served: 1 << 30,
					receipts_root: hash("receipts"),
					leaf_count: 16,
				}),
			),
		),
		signed(CHARLIE, s(S::heartbeat {})),
		signed(EVE, s(S::declare_capacity { capacity_gib: 2048 })),
		// In era 1, Charlie claims era 0's reward.
		after(30, signed(CHARLIE, s(S::claim_rewards { max_eras: 4 }))),
		signed(DAVE, s(S::announce_maintenance { eras: 2 })),
		signed(EVE, s(S::unbond {})),
	]
}
