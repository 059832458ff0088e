//! The runtime APIs the node and clients call. Read paths of the domain pallets are added here
//! as `<pallet>-runtime-api` implementations, one line per method.

use crate::{
	opaque::SessionKeys, AccountId, Aura, Balance, Block, BlockNumber, DnaWallet, DrugProvenance,
	Ehr, Executive, Grandpa, InherentDataExt, MutualAid, Nonce, Runtime, RuntimeCall,
	RuntimeGenesisConfig, StoragePower, System, TransactionPayment, VERSION,
};
// Only the benchmarks' API returns a `String` (not in the no_std prelude).
#[cfg(feature = "runtime-benchmarks")]
use alloc::string::String;
use alloc::vec::Vec;
use frame_support::{genesis_builder_helper::get_preset, weights::Weight};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;

/// A drug batch as the runtime API returns it.
type DrugBatchInfo = pallet_drug_provenance::BatchInfo<AccountId, Balance, BlockNumber>;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// The key owner proof type is uninhabited: equivocations are not reported on chain.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_mutual_aid_runtime_api::MutualAidApi<Block, AccountId, BlockNumber> for Runtime {
		fn pool(
			pool_id: pallet_mutual_aid::PoolId,
		) -> Option<pallet_mutual_aid::PoolView<AccountId, BlockNumber>> {
			MutualAid::pool(pool_id)
		}

		fn member(
			pool_id: pallet_mutual_aid::PoolId,
			who: AccountId,
		) -> Option<pallet_mutual_aid::MemberView<BlockNumber>> {
			MutualAid::member(pool_id, who)
		}

		fn claims(
			pool_id: pallet_mutual_aid::PoolId,
			status: Option<pallet_mutual_aid::ClaimStatus>,
		) -> Vec<pallet_mutual_aid::ClaimView<AccountId, BlockNumber>> {
			MutualAid::claims(pool_id, status)
		}

		fn ledger(
			pool_id: pallet_mutual_aid::PoolId,
			period: pallet_mutual_aid::PeriodIndex,
		) -> Option<pallet_mutual_aid::LedgerView> {
			MutualAid::ledger(pool_id, period)
		}

		fn quote(pool_id: pallet_mutual_aid::PoolId) -> Option<pallet_mutual_aid::Quote> {
			MutualAid::quote(pool_id)
		}
	}

	impl pallet_ehr_runtime_api::EhrApi<Block, AccountId, BlockNumber> for Runtime {
		fn records(patient: AccountId) -> Vec<pallet_ehr::RecordView<AccountId, BlockNumber>> {
			Ehr::records(patient)
		}

		fn active_grants(patient: AccountId) -> Vec<pallet_ehr::GrantView<AccountId, BlockNumber>> {
			Ehr::active_grants(patient)
		}

		fn access_log(
			patient: AccountId,
			from: u32,
			limit: u32,
		) -> Vec<pallet_ehr::AccessEntry<AccountId, BlockNumber>> {
			Ehr::access_log(patient, from, limit)
		}

		fn can_access(
			grantee: AccountId,
			record_id: pallet_ehr::RecordId,
			action: pallet_ehr::AccessAction,
		) -> bool {
			Ehr::can_access(grantee, record_id, action)
		}

		fn request_terms(
			patient: AccountId,
			requester: AccountId,
		) -> Option<pallet_ehr::TermsHash> {
			Ehr::request_terms(patient, requester)
		}

		fn read_ticket(
			reader: AccountId,
			content_id: pallet_ehr::ContentId,
			uploader: AccountId,
		) -> Option<pallet_ehr::ReadTicket<AccountId, BlockNumber>> {
			Ehr::read_ticket(reader, content_id, uploader)
		}

		fn review_accesses(
			patient: AccountId,
		) -> Vec<pallet_ehr::ReviewAccessView<AccountId, BlockNumber>> {
			Ehr::review_accesses(patient)
		}
	}

	impl pallet_dna_wallet_runtime_api::DnaWalletApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn keys(account: AccountId) -> Vec<pallet_dna_wallet::KeyView<BlockNumber>> {
			DnaWallet::keys(account)
		}

		fn datasets(owner: AccountId) -> Vec<pallet_dna_wallet::DatasetView<AccountId, BlockNumber>> {
			DnaWallet::datasets(owner)
		}

		fn shares(
			dataset: pallet_dna_wallet::DatasetId,
		) -> Vec<pallet_dna_wallet::ShareView<AccountId, BlockNumber>> {
			DnaWallet::shares(dataset)
		}

		fn can_decrypt(dataset: pallet_dna_wallet::DatasetId, recipient: AccountId) -> bool {
			DnaWallet::can_decrypt(dataset, recipient)
		}

		fn studies(
			open_only: bool,
		) -> Vec<pallet_dna_wallet::StudyView<AccountId, Balance, BlockNumber>> {
			DnaWallet::studies(open_only)
		}
	}

	impl pallet_drug_provenance_runtime_api::DrugProvenanceApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn batch(gtin: pallet_drug_provenance::Gtin, lot: Vec<u8>) -> Option<DrugBatchInfo> {
			DrugProvenance::batch_by_lot(gtin, lot)
		}

		fn batch_by_id(batch_id: pallet_drug_provenance::BatchId) -> Option<DrugBatchInfo> {
			DrugProvenance::batch_info(batch_id)
		}

		fn trace(
			batch_id: pallet_drug_provenance::BatchId,
		) -> Vec<(pallet_drug_provenance::TransferIndex, pallet_drug_provenance::Transfer<AccountId, Balance, BlockNumber>)> {
			DrugProvenance::trace(batch_id)
		}

		fn holdings(batch_id: pallet_drug_provenance::BatchId) -> Vec<(AccountId, u32)> {
			DrugProvenance::holdings(batch_id)
		}

		fn code_status(
			batch_id: pallet_drug_provenance::BatchId,
			leaf: sp_core::H256,
		) -> Option<pallet_drug_provenance::PackRecord<BlockNumber>> {
			DrugProvenance::code_status(batch_id, leaf)
		}

		fn verify_pack(
			batch_id: pallet_drug_provenance::BatchId,
			serial: Vec<u8>,
			scratch_code: Vec<u8>,
			salt: pallet_drug_provenance::Salt,
			proof: pallet_drug_provenance::MerkleProof,
		) -> pallet_drug_provenance::PackCheck<BlockNumber> {
			DrugProvenance::check_pack(batch_id, &serial, &scratch_code, &salt, &proof)
		}

		fn recall_status(
			batch_id: pallet_drug_provenance::BatchId,
		) -> Option<pallet_drug_provenance::RecallStatus<AccountId, BlockNumber>> {
			DrugProvenance::recall_status(batch_id)
		}
	}

	impl pallet_storage_power_runtime_api::StoragePowerApi<Block, AccountId, Balance> for Runtime {
		fn provider(who: AccountId) -> Option<pallet_storage_power::ProviderView<Balance>> {
			StoragePower::provider(who)
		}

		fn era(era: pallet_storage_power::EraIndex) -> Option<pallet_storage_power::EraView<Balance>> {
			StoragePower::era(era)
		}

		fn estimate_reward(who: AccountId) -> Option<pallet_storage_power::RewardEstimate<Balance>> {
			StoragePower::estimate_reward(who)
		}

		fn penalty_preview(who: AccountId) -> Option<pallet_storage_power::PenaltyPreview<Balance>> {
			StoragePower::penalty_preview(who)
		}

		fn pending_rewards(who: AccountId) -> Vec<pallet_storage_power::PendingReward<Balance>> {
			StoragePower::pending_rewards(who)
		}

		fn order(id: pallet_storage_power::OrderId) -> Option<pallet_storage_power::OrderView<AccountId, Balance>> {
			StoragePower::order(id)
		}

		fn orders_of(owner: AccountId) -> Vec<pallet_storage_power::OrderView<AccountId, Balance>> {
			StoragePower::orders_of(owner)
		}

		fn quote(size_bytes: u64, replicas: u32, eras: u32) -> Option<pallet_storage_power::OrderQuote<Balance>> {
			StoragePower::quote(size_bytes, replicas, eras)
		}

		fn economics() -> pallet_storage_power::EconomicsView<Balance> {
			StoragePower::economics()
		}

		fn replicas_of(provider: AccountId) -> Vec<pallet_storage_power::ReplicaView> {
			StoragePower::replicas_of(provider)
		}

		fn open_orders(
			from: pallet_storage_power::OrderId,
			limit: u32,
		) -> pallet_storage_power::OpenOrdersPage<AccountId, Balance> {
			StoragePower::open_orders(from, limit)
		}

		fn orders_of_content(
			content_id: pallet_storage_power::ContentId,
			owner: AccountId,
		) -> Vec<pallet_storage_power::OrderView<AccountId, Balance>> {
			StoragePower::orders_of_content(content_id, owner)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			crate::genesis_config_presets::build_state(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use crate::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use crate::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}
			impl baseline::Config for Runtime {}

			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failed upgrade check must abort: the try-runtime tool reports the panic.
			#[allow(clippy::expect_used)]
			let weight = Executive::try_runtime_upgrade(checks).expect("try_runtime_upgrade failed");
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			#[allow(clippy::expect_used)]
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("try_execute_block failed")
		}
	}
}
