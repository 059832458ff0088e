//! Dispatches the command line: the chain itself or one of the maintenance subcommands.

use crate::{
	chain_spec,
	cli::{Cli, Sealing, Subcommand},
	service,
};
use sc_cli::SubstrateCli;
use sc_service::{ChainType, PartialComponents};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Medchain Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/medchain/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"" | "local" => Box::new(chain_spec::local_testnet_chain_spec()?),
			"production" => Box::new(chain_spec::production_chain_spec()?),
			path => Box::new(
				chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))
					.map_err(|error| format!("Cannot load chain spec `{path}`: {error}"))?,
			),
		})
	}
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	if cli.run.sealing == Sealing::Instant {
		// The fork-aware pool can hand an unsigned transaction that is already in the block just
		// sealed to the next one (seen with instant seal, e.g. a pack verification sealed twice
		// raising a false clone alarm); the single-state pool cannot.
		cli.run.base.pool_config.pool_type = sc_cli::TransactionPoolType::SingleState;
	}

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		#[cfg(feature = "benchmark-cli")]
		Some(Subcommand::Benchmark(cmd)) => {
			use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				match cmd {
				BenchmarkCmd::Pallet(cmd) => cmd.run_with_spec::<sp_runtime::traits::HashingFor<
					medchain_runtime::opaque::Block,
				>, service::HostFunctions>(Some(
					config.chain_spec,
				)),
				BenchmarkCmd::Storage(cmd) => {
					let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
					let db = backend.expose_db();
					let storage = backend.expose_storage();
					let shared_trie_cache = backend.expose_shared_trie_cache();
					cmd.run(config, client, db, storage, shared_trie_cache)
				},
				BenchmarkCmd::Machine(cmd) => {
					cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone())
				},
				// Builds blocks of `System::remark` on a client of its own from the chain spec's
				// genesis; the runtime built with `runtime-benchmarks` imports the benchmarking
				// host functions.
				BenchmarkCmd::Overhead(cmd) => cmd.run_with_default_builder_and_spec::<
					medchain_runtime::opaque::Block,
					frame_benchmarking::benchmarking::HostFunctions,
				>(Some(config.chain_spec)),
				// Re-executes blocks already in the database and compares the time with their
				// weight: the import cost of real (e.g. full) blocks.
				BenchmarkCmd::Block(cmd) => {
					let PartialComponents { client, .. } = service::new_partial(&config)?;
					cmd.run(client)
				},
				BenchmarkCmd::Extrinsic(_) => Err(
					"This node offers the `pallet`, `overhead`, `storage`, `block` and `machine` \
					 benchmarks"
						.into(),
				),
			}
			})
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<medchain_runtime::opaque::Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run.base)?;
			let sealing = cli.run.sealing;
			runner.run_node_until_exit(|config| async move {
				if sealing == Sealing::Instant
					&& config.chain_spec.chain_type() != ChainType::Development
				{
					return Err(sc_cli::Error::Input(
						"`--sealing instant` runs only a development chain: add `--dev` or use \
						 `--chain dev`"
							.into(),
					));
				}
				if config.chain_spec.chain_type() == ChainType::Live {
					chain_spec::ensure_fit_for_production(&*config.chain_spec)
						.map_err(sc_cli::Error::Input)?;
				}
				if let Some(path) = config.database.path() {
					std::fs::create_dir_all(path).map_err(|error| {
						sc_cli::Error::Input(format!(
							"Cannot create the database directory `{}`: {error}",
							path.display()
						))
					})?;
				}
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => {
						service::new_full::<sc_network::NetworkWorker<_, _>>(config, sealing)
					},
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config, sealing)
					},
				}
				.map_err(sc_cli::Error::Service)
			})
		},
	}
}
