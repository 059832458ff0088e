//! Benchmarks of every call and of the era hook, each in its worst case.

use super::*;
use crate::receipts;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, InspectHold, Mutate},
	EnsureOrigin, Get, Hooks,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use medchain_merkle::sum::{compute_sum_root, sum_root, SumNode};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, TrailingZeroInput, Zero},
	Perbill,
};

const SEED: u32 = 0;
/// Leaves of the benchmark report trees.
const LEAVES: u32 = 8;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// An account with enough free balance for the largest stake, deposits and fees.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let stake = Pallet::<T>::required_stake(T::MaxCapacityGiB::get()).unwrap();
	let amount = T::Currency::minimum_balance()
		.saturating_add(stake.saturating_mul(4u32.into()))
		.saturating_add(T::ChallengeDeposit::get().saturating_mul(100u32.into()))
		.saturating_add(T::OrderDeposit::get().saturating_mul(4u32.into()))
		.saturating_add(1_000_000_000u32.into());
	T::Currency::set_balance(&who, amount);
	who
}

/// A funded active provider of 1 TiB.
fn provider<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = funded::<T>(name, index);
	Pallet::<T>::do_register_provider(who.clone(), GIB_PER_TIB, H256::repeat_byte(1)).unwrap();
	who
}

/// Moves to block `offset` of `era`, starting the era if needed.
fn at<T: Config>(era: EraIndex, offset: u32) {
	let block = Pallet::<T>::era_start(era).saturating_add(offset.into());
	frame_system::Pallet::<T>::set_block_number(block);
	if era > CurrentEra::<T>::get() {
		Pallet::<T>::start_era(era);
	}
}

/// A price of 1,000 per GiB and era, and a 1 GiB order of `owner` with the most replicas,
/// running from the current era for `eras` eras.
fn ordered<T: Config>(owner: &T::AccountId, eras: u32) -> OrderId {
	StoragePrice::<T>::put(BalanceOf::<T>::from(1_000u32));
	let id = NextOrderId::<T>::get();
	Pallet::<T>::do_place_order(
		owner.clone(),
		H256::repeat_byte(7),
		GIB,
		T::MaxReplicas::get(),
		eras,
	)
	.unwrap();
	id
}

/// The leaves of a report tree of `LEAVES` receipts of 1 GiB each (not signed: only
/// `respond_challenge` checks a receipt, and builds its own).
fn leaves() -> Vec<SumNode> {
	(0..LEAVES).map(|i| SumNode::leaf(&H256::repeat_byte(i as u8), GIB)).collect()
}

/// The root and bytes of the report tree of [`leaves`].
fn receipts_tree() -> (H256, u64) {
	let root = sum_root(&leaves()).unwrap();
	(root.hash, root.sum)
}

/// `who` reports for the current era at offset 1 (after one heartbeat in slot 0), with 200 GiB
/// of replicas audited in the era.
fn reported<T: Config>(who: &T::AccountId) {
	let era = CurrentEra::<T>::get();
	at::<T>(era, 1);
	Pallet::<T>::do_heartbeat(who.clone()).unwrap();
	Pallet::<T>::add_audited_bytes(who, era, 200 * GIB).unwrap();
	let (root, bytes) = receipts_tree();
	Pallet::<T>::do_submit_report(who.clone(), era, 100, 100, bytes, root, LEAVES).unwrap();
}

/// `n` providers that reported in era 1 at offset 1, all in the chain's audit pool.
fn reporters<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who = provider::<T>("reporter", i);
			reported::<T>(&who);
			who
		})
		.collect()
}

/// Initialises block `now` with a parent hash under which the chain's `draws` audit draws from a
/// pool of `size` slots never hit the last slot (so that every draw also moves an entry: the
/// worst case).
fn block_with_moving_draws<T: Config>(now: BlockNumberFor<T>, draws: u32, size: u32) {
	let era = CurrentEra::<T>::get();
	let seed = (0u8..=255)
		.find(|b| {
			(0..draws).all(|k| {
				let left = size.saturating_sub(k);
				Pallet::<T>::audit_draw(&[*b; 32], era, now, k, left) != left.saturating_sub(1)
			})
		})
		.unwrap_or(0);
	let parent: T::Hash = Decode::decode(&mut TrailingZeroInput::new(&[seed; 32])).unwrap();
	frame_system::Pallet::<T>::initialize(&now, &parent, &Default::default());
}

/// `count` providers, each holding a replica of its own 1 GiB order of `eras` eras.
fn replica_holders<T: Config>(count: u32, eras: u32) -> Vec<(T::AccountId, OrderId)> {
	(0..count)
		.map(|i| {
			let who = provider::<T>("holder", i);
			let order_id = ordered::<T>(&who, eras);
			Pallet::<T>::do_take_replica(who.clone(), order_id).unwrap();
			(who, order_id)
		})
		.collect()
}

/// Every replica of order `order_id` taken, each by its own provider.
fn held_by_all<T: Config>(order_id: OrderId) {
	for i in 0..T::MaxReplicas::get() {
		Pallet::<T>::do_take_replica(provider::<T>("holder", i), order_id).unwrap();
	}
}

/// Opens the audit of `who`'s replica of `order_id` at segment 0, due at `deadline`.
fn audited<T: Config>(who: &T::AccountId, order_id: OrderId, deadline: BlockNumberFor<T>) {
	let era = CurrentEra::<T>::get();
	ReplicaAudits::<T>::insert(order_id, who, ReplicaAudit { era, segment: 0, deadline });
	ReplicaAuditExpiries::<T>::mutate(deadline, |queue| {
		queue.try_push((order_id, who.clone())).unwrap();
	});
}

/// Parameters whose threshold is one failure, so that a failure slashes (the worst case).
fn strict_parameters<T: Config>() {
	Parameters::<T>::put(PowerParameters {
		failure_threshold: 1,
		min_uptime: Perbill::zero(),
		..Default::default()
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_provider() {
		at::<T>(1, 1);
		let who = funded::<T>("provider", 0);
		let capacity = T::MaxCapacityGiB::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), capacity, H256::repeat_byte(1));

		assert_eq!(Providers::<T>::get(&who).unwrap().capacity_gib, capacity);
	}

	#[benchmark]
	fn declare_capacity() {
		at::<T>(1, 1);
		let who = provider::<T>("provider", 0);
		let capacity = T::MaxCapacityGiB::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), capacity);

		assert_eq!(Providers::<T>::get(&who).unwrap().pending_capacity, Some((2, capacity)));
	}

	#[benchmark]
	fn unbond() {
		at::<T>(1, 1);
		strict_parameters::<T>();
		let who = provider::<T>("provider", 0);
		reported::<T>(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Reports::<T>::get(&who, 1).unwrap().power, 0);
	}

	#[benchmark]
	fn withdraw_unbonded() {
		at::<T>(1, 1);
		let who = provider::<T>("provider", 0);
		Pallet::<T>::do_unbond(who.clone()).unwrap();
		at::<T>(1u32.saturating_add(T::UnbondingEras::get()), 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn announce_maintenance() {
		at::<T>(1, 1);
		let who = provider::<T>("provider", 0);
		let eras = T::MaxMaintenanceEras::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), eras);

		assert!(Providers::<T>::get(&who).unwrap().maintenance.is_some());
	}

	#[benchmark]
	fn submit_report() {
		at::<T>(1, 1);
		let who = provider::<T>("provider", 0);
		Pallet::<T>::do_heartbeat(who.clone()).unwrap();
		let (root, bytes) = receipts_tree();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 1, 100, 100, bytes, root, LEAVES);

		assert!(Reports::<T>::contains_key(&who, 1));
	}

	#[benchmark]
	fn heartbeat() {
		at::<T>(1, 1);
		strict_parameters::<T>();
		let who = provider::<T>("provider", 0);
		reported::<T>(&who);
		let next_slot = T::HeartbeatInterval::get().saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(
			Pallet::<T>::era_start(1).saturating_add(next_slot),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Providers::<T>::get(&who).unwrap().heartbeats, 2);
	}

	#[benchmark]
	fn issue_challenge() {
		at::<T>(1, 1);
		let who = provider::<T>("provider", 0);
		reported::<T>(&who);
		let issuer = funded::<T>("issuer", 0);
		at::<T>(1, 2);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), who.clone());

		assert_eq!(Reports::<T>::get(&who, 1).unwrap().open_challenges, 1);
	}

	#[benchmark]
	fn respond_challenge(p: Linear<1, MAX_PROOF_DEPTH>) {
		at::<T>(1, 1);
		let who = provider::<T>("provider", 0);
		reported::<T>(&who);
		let issuer = funded::<T>("issuer", 0);
		at::<T>(1, 2);
		Pallet::<T>::do_issue_challenge(issuer.clone(), who.clone()).unwrap();
		// The worst case: a tree exactly `p` levels deep, the challenged byte in leaf 0, so the
		// next leaf's path is checked too, and a receipt a browser wallet signed, so that the
		// signature is checked twice (as is, then wrapped).
		let receipt_at = |timestamp_ms: u64| {
			let unsigned = Receipt {
				reader: who.clone(),
				timestamp_ms,
				content_id: H256::repeat_byte(7),
				range: b"bytes=0-1073741823".to_vec().try_into().unwrap(),
				bytes: GIB,
				signature: (),
			};
			let payload = who.using_encoded(|vault| receipts::receipt_payload(vault, &unsigned));
			let (reader, signature) = T::BenchmarkHelper::sign(&receipts::wallet_wrapped(&payload));
			let Receipt { timestamp_ms, content_id, range, bytes, .. } = unsigned;
			Receipt { reader, timestamp_ms, content_id, range, bytes, signature }
		};
		let mut pair = [receipt_at(1), receipt_at(2)];
		pair.sort_by_key(receipts::receipt_key);
		let [receipt, next] = pair;
		let uppers: Vec<SumNode> =
			(1..p).map(|i| SumNode { hash: H256::repeat_byte(i as u8), sum: GIB }).collect();
		let with = |first: SumNode| -> SumProof {
			core::iter::once(first)
				.chain(uppers.iter().copied())
				.collect::<Vec<_>>()
				.try_into()
				.unwrap()
		};
		let (leaf, next_leaf) = (receipts::receipt_leaf(&receipt), receipts::receipt_leaf(&next));
		let leaf_count = if p >= 32 { u32::MAX } else { 1u32 << p };
		let (root, _) = compute_sum_root(leaf, 0, leaf_count, &with(next_leaf)).unwrap();
		Reports::<T>::mutate(&who, 1, |r| {
			let r = r.as_mut().unwrap();
			r.receipts_root = root.hash;
			r.bytes_served = root.sum;
			r.leaf_count = leaf_count;
		});
		Challenges::<T>::mutate(0, |c| c.as_mut().unwrap().point = 0);
		EraStartedAt::<T>::insert(0, 0);
		EraStartedAt::<T>::insert(1, 1_000);
		let answer = ReceiptAnswer {
			leaf_index: 0,
			receipt,
			proof: with(next_leaf),
			next: Some((next, with(leaf))),
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 0, answer);

		assert_last_event::<T>(Event::ChallengePassed { challenge_id: 0, provider: who, era: 1 });
	}

	#[benchmark]
	fn report_missed_challenge() {
		at::<T>(1, 1);
		strict_parameters::<T>();
		let who = provider::<T>("provider", 0);
		reported::<T>(&who);
		let issuer = funded::<T>("issuer", 0);
		at::<T>(1, 2);
		Pallet::<T>::do_issue_challenge(issuer.clone(), who.clone()).unwrap();
		let deadline = Challenges::<T>::get(0).unwrap().deadline;
		frame_system::Pallet::<T>::set_block_number(deadline.saturating_add(1u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer.clone()), 0);

		assert!(!Challenges::<T>::contains_key(0));
		assert!(
			T::Currency::balance_on_hold(&HoldReason::ChallengeDeposit.into(), &issuer).is_zero()
		);
		assert!(
			Providers::<T>::get(&who).unwrap().stake
				< Pallet::<T>::required_stake(GIB_PER_TIB).unwrap()
				|| T::SlashFraction::get().is_zero()
		);
	}

	#[benchmark]
	fn claim_rewards(n: Linear<1, { T::MaxUnclaimedEras::get() }>) {
		at::<T>(1, 1);
		strict_parameters::<T>();
		let who = provider::<T>("provider", 0);
		// `n` closed eras with a report each, paid by an order (the subsidy may be zero).
		for era in 1..=n {
			at::<T>(era, 1);
			ordered::<T>(&who, 1);
			reported::<T>(&who);
		}
		at::<T>(n.saturating_add(1), 1);
		let before = T::Currency::balance(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), n);

		assert!(UnclaimedEras::<T>::get(&who).is_empty());
		assert!(T::Currency::balance(&who) > before);
	}

	/// A new order: deposit held, payment, the current era credited, the revenue schedule.
	#[benchmark]
	fn place_order() {
		at::<T>(1, 1);
		StoragePrice::<T>::put(BalanceOf::<T>::from(1_000u32));
		let owner = funded::<T>("owner", 0);
		let replicas = T::MaxReplicas::get();
		let eras = T::MaxOrderEras::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), H256::repeat_byte(7), GIB, replicas, eras);

		assert!(Orders::<T>::contains_key(0));
		assert!(OwnerOrders::<T>::contains_key(&owner, 0));
	}

	/// A renewal at a higher price: the owner pays the difference, three rate changes.
	#[benchmark]
	fn renew_order() {
		at::<T>(1, 1);
		let owner = funded::<T>("owner", 0);
		let id = ordered::<T>(&owner, 2);
		StoragePrice::<T>::put(BalanceOf::<T>::from(2_000u32));
		let eras = T::MaxOrderEras::get().saturating_sub(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, eras);

		assert_eq!(
			Orders::<T>::get(id).unwrap().end_era,
			1u32.saturating_add(T::MaxOrderEras::get())
		);
	}

	/// The worst case: every replica the order paid for is held, and each ends with it.
	#[benchmark]
	fn remove_order() {
		at::<T>(1, 1);
		let owner = funded::<T>("owner", 0);
		let id = ordered::<T>(&owner, 1);
		held_by_all::<T>(id);
		at::<T>(2, 1);
		let remover = funded::<T>("remover", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(remover), id);

		assert!(!Orders::<T>::contains_key(id));
		assert!(T::Currency::balance_on_hold(&HoldReason::OrderDeposit.into(), &owner).is_zero());
		assert_eq!(ReplicaPoolInfo::<T>::get().size, 0);
	}

	/// The worst case: the longest order (a refund and two rate changes), every replica held.
	/// A data subject's cancel reads [`Config::DataSubjects`] too: the call adds those reads.
	#[benchmark]
	fn cancel_order() {
		at::<T>(1, 1);
		let owner = funded::<T>("owner", 0);
		let id = ordered::<T>(&owner, T::MaxOrderEras::get());
		held_by_all::<T>(id);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), id);

		assert!(!Orders::<T>::contains_key(id));
		assert!(T::Currency::balance_on_hold(&HoldReason::OrderDeposit.into(), &owner).is_zero());
		assert_eq!(ReplicaPoolInfo::<T>::get().size, 0);
	}

	#[benchmark]
	fn set_storage_price() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let price: BalanceOf<T> = 5_000u32.into();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, price);

		assert_eq!(StoragePrice::<T>::get(), price);
		Ok(())
	}

	#[benchmark]
	fn set_subsidy() -> Result<(), BenchmarkError> {
		at::<T>(1, 1);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1_000u32.into(), 10);

		assert_eq!(PendingSubsidy::<T>::get().map(|s| s.start_era), Some(2));
		Ok(())
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		at::<T>(1, 1);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = PowerParameters { alpha: 7, ..Default::default() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(PendingParameters::<T>::get(), Some((2, params)));
		Ok(())
	}

	/// The first block of an era: close the previous one (carrying its emission: the worst
	/// case), apply pending parameters, a rate change of the orders and a pending subsidy, mint
	/// the subsidy.
	#[benchmark]
	fn on_initialize_new_era() {
		at::<T>(1, 1);
		let owner = funded::<T>("owner", 0);
		ordered::<T>(&owner, 1);
		ordered::<T>(&owner, 3);
		Pallet::<T>::do_set_parameters(PowerParameters { alpha: 7, ..Default::default() }).unwrap();
		Pallet::<T>::do_set_subsidy(1_000u32.into(), 10).unwrap();
		let block = Pallet::<T>::era_start(2);
		frame_system::Pallet::<T>::set_block_number(block);

		#[block]
		{
			Pallet::<T>::on_initialize(block);
		}

		assert_eq!(CurrentEra::<T>::get(), 2);
		assert_eq!(Parameters::<T>::get().alpha, 7);
	}

	/// Any other block: one read.
	#[benchmark]
	fn on_initialize_same_era() {
		at::<T>(1, 1);
		let block: BlockNumberFor<T> = Pallet::<T>::era_start(1).saturating_add(2u32.into());
		frame_system::Pallet::<T>::set_block_number(block);

		#[block]
		{
			Pallet::<T>::on_initialize(block);
		}

		assert_eq!(CurrentEra::<T>::get(), 1);
	}

	/// `on_initialize` settling `n` missed chain-issued challenges of the previous block, each
	/// reaching the failure threshold (power to zero and a slash into the pot: the worst case).
	#[benchmark]
	fn on_initialize_expire(n: Linear<0, { T::AuditsPerBlock::get() }>) {
		at::<T>(1, 1);
		strict_parameters::<T>();
		reporters::<T>(n);
		at::<T>(1, 2);
		let now = frame_system::Pallet::<T>::block_number();
		assert_eq!(Pallet::<T>::draw_audits(now, T::AuditsPerBlock::get()), n);
		let deadline = Pallet::<T>::now().saturating_add(T::ChallengeDeadline::get());
		let block = deadline.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(block);

		#[block]
		{
			assert_eq!(Pallet::<T>::settle_expired_challenges(block), n);
		}

		assert!(Challenges::<T>::iter().next().is_none());
		assert!(!ChallengeExpiries::<T>::contains_key(deadline));
	}

	/// `on_initialize` drawing `n` reports for a chain audit (at most [`Config::AuditsPerBlock`]),
	/// each moving another pool entry and issuing a challenge.
	#[benchmark]
	fn on_initialize_audit(n: Linear<0, { T::AuditsPerBlock::get() }>) {
		at::<T>(1, 1);
		reporters::<T>(n.saturating_add(1));
		let block = Pallet::<T>::era_start(1).saturating_add(2u32.into());
		block_with_moving_draws::<T>(block, n, n.saturating_add(1));

		#[block]
		{
			assert_eq!(Pallet::<T>::draw_audits(block, n), n);
		}

		assert_eq!(Challenges::<T>::iter().count() as u32, n);
		assert_eq!(Pallet::<T>::audit_pool_size(1), 1);
	}

	/// Taking the last free replica of an order whose other replicas are held.
	#[benchmark]
	fn take_replica() {
		at::<T>(1, 1);
		let owner = funded::<T>("owner", 0);
		let order_id = ordered::<T>(&owner, 2);
		for i in 1..T::MaxReplicas::get() {
			Pallet::<T>::do_take_replica(provider::<T>("holder", i), order_id).unwrap();
		}
		let who = provider::<T>("holder", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), order_id);

		assert_last_event::<T>(Event::ReplicaTaken { order_id, provider: who });
		assert_eq!(OrderHolders::<T>::get(order_id).len() as u32, T::MaxReplicas::get());
	}

	/// Dropping the first audited replica of three: two pool entries move.
	#[benchmark]
	fn drop_replica() {
		at::<T>(1, 1);
		let holders = replica_holders::<T>(3, 2);
		ReplicaPoolInfo::<T>::put(ReplicaPoolState { size: 3, era: 1, audited: 2 });
		let (who, order_id) = holders[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), order_id);

		assert!(!Replicas::<T>::contains_key(order_id, &who));
		assert_eq!(ReplicaPoolInfo::<T>::get().size, 2);
	}

	/// A wrong answer with `p` siblings, checked to the root (the id matches): the failure is
	/// counted on the report, the stake slashed and the replica ended (the worst case).
	#[benchmark]
	fn prove_replica(p: Linear<1, 26>) {
		at::<T>(1, 1);
		strict_parameters::<T>();
		let (who, order_id) = replica_holders::<T>(1, 2)[0].clone();
		reported::<T>(&who);
		let segment = alloc::vec![7u8; medchain_merkle::segments::SEGMENT_LEN as usize];
		let siblings: Vec<H256> = (0..p).map(|i| H256::repeat_byte(i as u8)).collect();
		let size = (1u64 << p).saturating_mul(u64::from(medchain_merkle::segments::SEGMENT_LEN));
		let leaf = medchain_merkle::segments::segment_leaf(&segment);
		let root = medchain_merkle::compute_root(leaf, 0, 1u32 << p, &siblings).unwrap();
		let content_id = medchain_merkle::segments::content_id_of(size, &root);
		let old = Orders::<T>::mutate(order_id, |order| {
			let order = order.as_mut().unwrap();
			order.size_bytes = size;
			core::mem::replace(&mut order.content_id, content_id)
		});
		// The order now names another object: its indexes follow.
		ContentOrders::<T>::remove((old, &who, order_id));
		ContentOrders::<T>::insert((content_id, &who, order_id), ());
		ProviderContent::<T>::remove(&who, old);
		ProviderContent::<T>::insert(&who, content_id, order_id);
		let deadline = Pallet::<T>::now().saturating_add(T::ChallengeDeadline::get());
		audited::<T>(&who, order_id, deadline);
		let mut wrong = segment;
		wrong[0] ^= 1;
		let wrong: SegmentOf = wrong.try_into().unwrap();
		let proof: ProofOf = siblings.try_into().unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), order_id, root, wrong, proof);

		assert_last_event::<T>(Event::ReplicaEnded {
			order_id,
			provider: who,
			reason: ReplicaEnd::AuditFailed(AuditFailure::WrongProof),
		});
	}

	/// `on_initialize` settling `n` missed replica audits of the previous block, each slashing
	/// and ending its replica.
	#[benchmark]
	fn on_initialize_replica_expire(n: Linear<0, { T::ReplicaAuditsPerBlock::get() }>) {
		at::<T>(1, 1);
		strict_parameters::<T>();
		let holders = replica_holders::<T>(n, 2);
		let deadline = Pallet::<T>::now().saturating_add(T::ChallengeDeadline::get());
		for (who, order_id) in &holders {
			reported::<T>(who);
			audited::<T>(who, *order_id, deadline);
		}
		let block = deadline.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(block);

		#[block]
		{
			assert_eq!(Pallet::<T>::settle_replica_audits(block), n);
		}

		assert!(ReplicaAudits::<T>::iter().next().is_none());
		assert_eq!(ReplicaPoolInfo::<T>::get().size, 0);
	}

	/// `on_initialize` drawing `n` replicas in the last block of the era's audit window, each of
	/// an order that has ended (so each draw also removes the replica: the worst case).
	#[benchmark]
	fn on_initialize_replica_audit(n: Linear<0, { T::ReplicaAuditsPerBlock::get() }>) {
		at::<T>(1, 1);
		replica_holders::<T>(n, 1);
		at::<T>(2, 1);
		let block = Pallet::<T>::era_end(2)
			.saturating_sub(T::ChallengeDeadline::get())
			.saturating_sub(1u32.into());
		frame_system::Pallet::<T>::set_block_number(block);

		#[block]
		{
			assert_eq!(Pallet::<T>::draw_replica_audits(block), n);
		}

		assert_eq!(ReplicaPoolInfo::<T>::get().size, 0);
	}

	impl_benchmark_test_suite!(Pallet, mock::new_test_ext(), mock::Test);
}
