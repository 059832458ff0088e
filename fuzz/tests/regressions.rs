//! Replays what the fuzzer found, and checks the harness itself. `scripts/fuzz` runs these tests
//! on its instrumented build before it fuzzes; a plain build runs them too:
//! `SKIP_WASM_BUILD=1 cargo test --manifest-path fuzz/Cargo.toml --profile fuzz`.

// In the instrumented build (`--features libfuzzer`), the code calls libFuzzer's coverage
// callbacks: link libFuzzer, and give it the entry point that only the fuzz target defines (the
// tests never call it; the test harness keeps its own `main`).
#[cfg(feature = "libfuzzer")]
extern crate libfuzzer_sys;

#[cfg(feature = "libfuzzer")]
#[no_mangle]
#[allow(improper_ctypes_definitions)]
pub extern "C" fn rust_fuzzer_test_input(_bytes: &[u8]) -> i32 {
	0
}

use codec::Encode;
use medchain_fuzz::{decode_ops, run, seeds, Op, Origin};
use medchain_runtime::RuntimeCall;

/// Every input kept in `fuzz/regressions/` runs to the end without a finding.
#[test]
fn regression_inputs_run_clean() {
	// This checkout's inputs (cargo sets the variable at run time too; the compile-time value may
	// name another checkout that built this binary into a shared target dir).
	let manifest_dir =
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
	let dir = std::path::Path::new(&manifest_dir).join("regressions");
	let mut inputs: Vec<_> = std::fs::read_dir(&dir)
		.expect("fuzz/regressions exists")
		.filter_map(|entry| entry.ok().map(|e| e.path()))
		.filter(|path| path.extension().is_some_and(|ext| ext == "bin"))
		.collect();
	inputs.sort();
	for path in inputs {
		let data = std::fs::read(&path).expect("a regression input is readable");
		eprintln!("{}: {:?}", path.display(), run(&data));
	}
}

/// Each seed's calls all dispatch `Ok`: the seeds reach the states they are meant to reach.
#[test]
fn every_seed_call_dispatches_ok() {
	for (name, bytes) in seeds::encoded_seeds() {
		let stats = run(&bytes);
		assert_eq!(stats.dispatched_ok, stats.ops, "seed {name}: {stats:?}");
	}
}

/// Calls out of scope are dropped, even nested in a batch inside `sudo`.
#[test]
fn raw_storage_writes_are_out_of_scope() {
	let set_storage = RuntimeCall::System(frame_system::Call::set_storage { items: vec![] });
	let nested = RuntimeCall::Utility(pallet_utility::Call::batch {
		calls: vec![RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(set_storage) })],
	});
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
	let ops = [
		Op { advance: 0, origin: Origin::Root, call: nested },
		Op { advance: 1, origin: Origin::Signed(3), call: remark.clone() },
	];
	let input: Vec<u8> = ops.iter().flat_map(Encode::encode).collect();
	assert_eq!(
		decode_ops(&input),
		vec![Op { advance: 1, origin: Origin::Signed(3), call: remark }]
	);
}
