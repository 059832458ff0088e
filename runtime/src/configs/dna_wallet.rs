//! `DnaWallet`: public encryption keys, encrypted genomic datasets, data-key shares that really
//! revoke, research consent settled against escrow, guardian key recovery.

use crate::{
	currency::UNIT, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS,
};
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;

parameter_types! {
	/// Held per registered public key: 0.05 MED.
	pub const DnaKeyDeposit: Balance = UNIT / 20;
	/// Held per dataset: 0.1 MED.
	pub const DnaDatasetDeposit: Balance = UNIT / 10;
	/// Held per key share (consent shares included): 0.05 MED.
	pub const DnaShareDeposit: Balance = UNIT / 20;
	/// Held per study and its consent records: 1 MED.
	pub const DnaStudyDeposit: Balance = UNIT;
	/// Held per guardian set and its recovery state: 0.2 MED.
	pub const DnaGuardianDeposit: Balance = UNIT / 5;
	/// A recovery key approved by the guardians waits a day; the owner can cancel meanwhile.
	pub const DnaRecoveryDelay: BlockNumber = DAYS;
}

impl pallet_dna_wallet::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// The consortium's governance replaces Root once it lands.
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type KeyDeposit = DnaKeyDeposit;
	type DatasetDeposit = DnaDatasetDeposit;
	type ShareDeposit = DnaShareDeposit;
	type StudyDeposit = DnaStudyDeposit;
	type GuardianDeposit = DnaGuardianDeposit;
	type MaxKeysPerAccount = ConstU32<8>;
	type MaxDatasetsPerOwner = ConstU32<64>;
	type MaxSharesPerDataset = ConstU32<64>;
	type MaxLocatorLen = ConstU32<256>;
	type MaxWrappedKeyLen = ConstU32<256>;
	type MaxUseCodes = ConstU32<8>;
	type MaxParticipants = ConstU32<256>;
	type MaxStudies = ConstU32<128>;
	type MaxGuardians = ConstU32<5>;
	type MaxCleanupBatch = ConstU32<16>;
	type RecoveryDelay = DnaRecoveryDelay;
	type WeightInfo = pallet_dna_wallet::weights::SubstrateWeight<Runtime>;
}
