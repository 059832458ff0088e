//! `DnaWallet`: public encryption keys, encrypted genomic datasets, data-key shares that really
//! revoke, research consent settled against escrow, guardian key recovery.

use super::{
	governance::EnsureHalfCouncil,
	parameters::{dna_wallet, Deposit},
};
use crate::{Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// An organisation accepts or rejects a consent within two days; after that anyone can
	/// accept it and the owner is paid.
	pub const DnaAcceptanceWindow: BlockNumber = 2 * DAYS;
	/// An owner disputes a rejection within two days.
	pub const DnaDisputeWindow: BlockNumber = 2 * DAYS;
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
	// Deposits are parameters the council sets (see `super::parameters`).
	type KeyDeposit = Deposit<dna_wallet::KeyDeposit>;
	type DatasetDeposit = Deposit<dna_wallet::DatasetDeposit>;
	type ShareDeposit = Deposit<dna_wallet::ShareDeposit>;
	type StudyDeposit = Deposit<dna_wallet::StudyDeposit>;
	type StudyDepositPerParticipant = Deposit<dna_wallet::StudyDepositPerParticipant>;
	type ConsentDeposit = Deposit<dna_wallet::ConsentDeposit>;
	type GuardianDeposit = Deposit<dna_wallet::GuardianDeposit>;
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
