//! Command-line interface: the standard Substrate run command plus Medchain's `--sealing`.

/// How blocks are authored.
#[derive(Debug, Copy, Clone, PartialEq, Eq, clap::ValueEnum)]
pub enum Sealing {
	/// Aura slots every 6 s, finalized by GRANDPA: how real networks run.
	Aura,
	/// A block as soon as a transaction arrives, finalized at once (dev chains only): for scripts
	/// and tests that should not wait for slots.
	Instant,
}

/// Arguments of `medchain-node` when it runs a chain.
#[derive(Debug, clap::Parser)]
pub struct NodeRunCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub base: sc_cli::RunCmd,

	/// How blocks are authored. `instant` needs a development chain (`--dev`).
	#[arg(long, value_enum, default_value_t = Sealing::Aura)]
	pub sealing: Sealing,
}

/// The `medchain-node` command line.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: NodeRunCmd,
}

/// Maintenance subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management CLI utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Benchmarks: `pallet` (weights of the pallets' calls), `storage` (database weights),
	/// `machine` (this hardware against the reference). Built with the `benchmark-cli` feature
	/// (scripts/benchmark-weights).
	#[cfg(feature = "benchmark-cli")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}
