//! Unit tests. Every test runs through [`ExtBuilder::build_and_execute`], which checks
//! [`Pallet::do_try_state`] at the end.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult, TokenError};

mod access_log;
mod api;
mod break_glass;
mod cleanup;
mod grants;
mod guardians;
mod migrations;
mod privacy;
mod providers;
mod records;
mod requests;
mod review_access;

/// `patient` grants `grantee` `actions` on everything for treatment, from now until
/// `expires_at`, optionally with a read limit.
fn grant(
	patient: u64,
	grantee: u64,
	actions: AccessActions,
	expires_at: u64,
	max_reads: Option<u32>,
) -> DispatchResult {
	Ehr::grant_access(
		RuntimeOrigin::signed(patient),
		grantee,
		GrantScope::All,
		actions,
		PurposeOfUse::Treatment,
		System::block_number(),
		expires_at,
		max_reads,
	)
}

/// `patient` grants `grantee` `actions` on `scope` for treatment until block 100.
fn grant_scope(
	patient: u64,
	grantee: u64,
	scope: GrantScopeOf<Test>,
	actions: AccessActions,
) -> DispatchResult {
	Ehr::grant_access(
		RuntimeOrigin::signed(patient),
		grantee,
		scope,
		actions,
		PurposeOfUse::Treatment,
		System::block_number(),
		100,
		None,
	)
}

/// `issuer` adds a record of type `code` for `patient`; returns its id.
fn add_record(issuer: u64, patient: u64, code: &[u8], tag: u8) -> RecordId {
	let id = NextRecordId::<Test>::get();
	assert_ok!(Ehr::add_record(
		RuntimeOrigin::signed(issuer),
		patient,
		type_code(code),
		commitment(tag),
		next_content_id(),
		locator(tag),
		1024,
	));
	id
}

/// `issuer` adds a record for `patient` naming the sealed object `object`; returns its id.
fn add_record_naming(issuer: u64, patient: u64, object: ContentId) -> RecordId {
	let id = NextRecordId::<Test>::get();
	assert_ok!(Ehr::add_record(
		RuntimeOrigin::signed(issuer),
		patient,
		type_code(CONSULT_NOTE),
		commitment(9),
		object,
		locator(9),
		1024,
	));
	id
}

/// The read verdict `reader` would get from a vault holding the object of `record`, uploaded by
/// the record's issuer; `None` once the record is erased.
fn ticket(reader: u64, record: RecordId) -> Option<ReadVerdict<u64>> {
	let issuer = Records::<Test>::get(record)?.issuer;
	Ehr::read_ticket(reader, content_id(record), issuer).map(|ticket| ticket.verdict)
}

/// `accessor` logs a treatment read of `record_id` of `patient`.
fn log(accessor: u64, patient: u64, record_id: RecordId) -> DispatchResult {
	Ehr::log_access(RuntimeOrigin::signed(accessor), patient, record_id, PurposeOfUse::Treatment)
}

/// `provider` requests read on everything for treatment for `duration` blocks.
fn request(provider: u64, patient: u64, duration: u64) -> DispatchResult {
	Ehr::request_access(
		RuntimeOrigin::signed(provider),
		patient,
		GrantScope::All,
		AccessActions::READ,
		PurposeOfUse::Treatment,
		duration,
	)
}

fn ehr_event(event: Event<Test>) -> RuntimeEvent {
	RuntimeEvent::Ehr(event)
}
