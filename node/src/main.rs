//! Medchain node: Aura block production, GRANDPA finality, ParityDB storage, and an
//! instant-seal dev mode for scripts and tests.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() {
	if let Err(error) = command::run() {
		// A bad flag, chain spec or base path is the user's to fix: say what is wrong, plainly,
		// without a backtrace.
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
