//! `DnaWallet`: public encryption keys, encrypted genomic datasets, data-key shares that really
//! revoke, research consent settled against escrow, guardian key recovery.

use super::governance::EnsureHalfCouncil;
use crate::{currency::UNIT, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Held per registered public key: 0.05 MED.
	pub const DnaKeyDeposit: Balance = UNIT / 20;
	/// Held per dataset: 0.1 MED.
	pub const DnaDatasetDeposit: Balance = UNIT / 10;
	/// Held per key share (consent shares included): 0.05 MED.
	pub const DnaShareDeposit: Balance = UNIT / 20;
	/// Held per study: 1 MED.
	pub const DnaStudyDeposit: Balance = UNIT;
	/// Held per participant a study can take (its consent record and owner entry): 0.01 MED.
	pub const DnaStudyDepositPerParticipant: Balance = UNIT / 100;
	/// Held from an owner per consent until it is settled, and from an organisation per
	/// rejection while it can be disputed; the losing side forfeits it to the other: 0.5 MED.
	pub const DnaConsentDeposit: Balance = UNIT / 2;
	/// An organisation accepts or rejects a consent within two days; after that anyone can
	/// accept it and the owner is paid.
	pub const DnaAcceptanceWindow: BlockNumber = 2 * DAYS;
	/// An owner disputes a rejection within two days.
	pub const DnaDisputeWindow: BlockNumber = 2 * DAYS;
	/// Held per guardian set and its recovery state: 0.2 MED.
	pub const DnaGuardianDeposit: Balance = UNIT / 5;
	/// A recovery key approved by the guardians waits a day; the owner can cancel meanwhile.
	pub const DnaRecoveryDelay: BlockNumber = DAYS;
	/// A guardian's approval counts for a week, and a pending recovery key can be registered for
	/// a week after its delay.
	pub const DnaRecoveryApprovalWindow: BlockNumber = 7 * DAYS;
}

impl pallet_dna_wallet::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrarOrigin = EnsureHalfCouncil;
	type KeyDeposit = DnaKeyDeposit;
	type DatasetDeposit = DnaDatasetDeposit;
	type ShareDeposit = DnaShareDeposit;
	type StudyDeposit = DnaStudyDeposit;
	type StudyDepositPerParticipant = DnaStudyDepositPerParticipant;
	type ConsentDeposit = DnaConsentDeposit;
	type GuardianDeposit = DnaGuardianDeposit;
	type MaxKeysPerAccount = ConstU32<8>;
	type MaxDatasetsPerOwner = ConstU32<64>;
	type MaxSharesPerDataset = ConstU32<64>;
	type MaxLocatorLen = ConstU32<256>;
	type MaxWrappedKeyLen = ConstU32<256>;
	type MaxUseCodes = ConstU32<8>;
	type MaxParticipants = ConstU32<256>;
	type MaxStudies = ConstU32<128>;
	type MaxStudiesPerOrganisation = ConstU32<8>;
	type AcceptanceWindow = DnaAcceptanceWindow;
	type DisputeWindow = DnaDisputeWindow;
	type MaxGuardians = ConstU32<5>;
	type MaxCleanupBatch = ConstU32<16>;
	type RecoveryDelay = DnaRecoveryDelay;
	type RecoveryApprovalWindow = DnaRecoveryApprovalWindow;
	type WeightInfo = pallet_dna_wallet::weights::SubstrateWeight<Runtime>;
}
