//! The pallets whose weights `scripts/benchmark-weights` generates.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_collective, Council]
	// CouncilMembership only: ValidatorSet is the same code with the same `MaxMembers`, and its
	// `MembershipChanged` is `()` where CouncilMembership's updates Council, so these weights bound
	// both instances (ValidatorSet's `remove_member` benchmark would fail anyway: it checks that
	// the `MembershipChanged` receiver kept a prime).
	[pallet_membership, CouncilMembership]
	[pallet_preimage, Preimage]
	[pallet_whitelist, Whitelist]
	[pallet_multisig, Multisig]
	[pallet_proxy, Proxy]
	[pallet_parameters, Parameters]
	[pallet_ehr, Ehr]
	[pallet_mutual_aid, MutualAid]
	[pallet_dna_wallet, DnaWallet]
	[pallet_drug_provenance, DrugProvenance]
	[pallet_storage_power, StoragePower]
);
