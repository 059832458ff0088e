//! Runtime API of the mutual-aid pallet: what a member's wallet, a pool's dashboard and
//! polkadot.js need to read without decoding storage. Exposed over JSON-RPC by the node as
//! `mutualAid_pool`, `mutualAid_member`, `mutualAid_claims`, `mutualAid_ledger` and
//! `mutualAid_quote`.
//!
//! Each method maps one-to-one onto a read helper of `pallet_mutual_aid::Pallet`, so the runtime
//! implementation (`runtime/src/apis.rs`) is one line per method. Every read is bounded by a
//! pool cap (members, open claims). Balances are `u128` (strings in JSON).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

pub use pallet_mutual_aid::{
	ClaimStatus, ClaimView, LedgerView, MemberView, PeriodIndex, PoolId, PoolView, Quote,
};

sp_api::decl_runtime_apis! {
	/// Read access to mutual-aid pools, members, claims and ledgers.
	pub trait MutualAidApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Pool `pool_id`: rules, pending rule change, counters, balance, current period.
		fn pool(pool_id: PoolId) -> Option<PoolView<AccountId, BlockNumber>>;

		/// The membership of `who` in `pool_id`: eligible from, claimed so far, arrears.
		fn member(pool_id: PoolId, who: AccountId) -> Option<MemberView<BlockNumber>>;

		/// The open claims of `pool_id`, oldest first, optionally only those in `status`.
		fn claims(pool_id: PoolId, status: Option<ClaimStatus>) -> Vec<ClaimView<AccountId, BlockNumber>>;

		/// The ledger of `pool_id` for `period`.
		fn ledger(pool_id: PoolId, period: PeriodIndex) -> Option<LedgerView>;

		/// The estimated per-member share and fee of the current period.
		fn quote(pool_id: PoolId) -> Option<Quote>;
	}
}
