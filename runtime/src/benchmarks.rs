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
	[pallet_ehr, Ehr]
	[pallet_mutual_aid, MutualAid]
	[pallet_dna_wallet, DnaWallet]
	[pallet_drug_provenance, DrugProvenance]
	[pallet_storage_power, StoragePower]
);
