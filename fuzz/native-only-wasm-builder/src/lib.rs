//! The fuzzer's stand-in for `substrate-wasm-builder` 35 (patched in by `fuzz/Cargo.toml` only).
//!
//! The fuzzer runs the native runtime and never its Wasm (`scripts/fuzz` sets
//! `SKIP_WASM_BUILD`), yet the runtime's build script depends on the real builder, which compiles
//! Binaryen (C++, about 9 minutes of a fresh fuzz build on two cores, all of it on the critical
//! path) and, for the metadata hash, a Wasm executor. This crate offers the same calls as the
//! runtime's `build.rs` makes and writes what the real builder writes under `SKIP_WASM_BUILD`:
//! `WASM_BINARY` and `WASM_BINARY_BLOATY` as `None`.

use std::{env, fs, path::PathBuf};

/// The builder, as `substrate_wasm_builder::WasmBuilder`; every build writes the skipped-build
/// constants.
pub struct WasmBuilder;

impl WasmBuilder {
	/// As the real builder's: build the current project with the defaults.
	pub fn build_using_defaults() {
		Self.build()
	}

	/// As the real builder's: a builder for the current project with the defaults.
	pub fn init_with_defaults() -> Self {
		Self
	}

	/// As the real builder's; there is no Wasm, so no metadata hash.
	pub fn enable_metadata_hash(self, _token_symbol: impl Into<String>, _decimals: u8) -> Self {
		self
	}

	/// Writes `$OUT_DIR/wasm_binary.rs` with no Wasm, as the real builder does when skipped.
	#[allow(clippy::expect_used, clippy::panic)]
	pub fn build(self) {
		let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts; qed");
		let file = PathBuf::from(out_dir).join("wasm_binary.rs");
		let code = "pub const WASM_BINARY: Option<&[u8]> = None;\n\
			pub const WASM_BINARY_BLOATY: Option<&[u8]> = None;\n";
		if let Err(error) = fs::write(&file, code) {
			panic!("cannot write {}: {error}", file.display());
		}
	}
}
