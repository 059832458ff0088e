//! Genesis build: reviewers, pools and their members (deposits held). A genesis that cannot be
//! built fails in one way, `genesis_failure`.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::BoundedVec;

/// Fail the genesis build with `what`: a chain spec that cannot be built must not start a chain
/// (as pallet-balances' genesis).
#[allow(clippy::panic)]
pub(crate) fn genesis_failure(what: &str) -> ! {
	panic!("pallet-mutual-aid genesis: {what}")
}

impl<T: Config> Pallet<T> {
	/// Build the genesis state: reviewers, pools and their members (deposits held).
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for reviewer in &config.reviewers {
			if Self::do_add_reviewer(reviewer.clone()).is_err() {
				genesis_failure("genesis reviewer rejected");
			}
		}
		for p in &config.pools {
			let codes: Vec<ConditionCode> = p
				.covered_conditions
				.iter()
				.map(|c| ConditionCode::try_from(c.clone()))
				.collect::<Result<_, _>>()
				.unwrap_or_default();
			let rules = PoolRules {
				funding: p.funding,
				waiting_period: p.waiting_period,
				per_claim_cap: p.per_claim_cap,
				lifetime_cap: p.lifetime_cap,
				covered_conditions: BoundedVec::try_from(codes).unwrap_or_default(),
				fee_bps: p.fee_bps,
				min_members: p.min_members,
				notice_period: p.notice_period,
				review_period: p.review_period,
				claim_deposit: p.claim_deposit,
				contribution: p.contribution,
				max_share: p.max_share,
			};
			let pool_id = NextPoolId::<T>::get();
			if Self::do_create_pool(p.manager.clone(), rules).is_err() {
				genesis_failure("genesis pool: invalid rules");
			}
			for member in &p.members {
				if Self::do_join(member.clone(), pool_id).is_err() {
					genesis_failure("genesis member cannot join (funds?)");
				}
			}
		}
	}
}
