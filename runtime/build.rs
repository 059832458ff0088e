//! Builds the runtime's Wasm (with the metadata hash wallets check). Also the switch of the upgrade
//! test's runtime: `MEDCHAIN_UPGRADE_TEST=1` compiles this runtime one `spec_version` later
//! (`cfg(medchain_upgrade_test)`, see `VERSION` in lib.rs); scripts/lib/upgrade.mjs sets it for a
//! Wasm-only build of its own, never for the node's build.

/// Declares the upgrade test's cfg, and sets it when asked to.
fn upgrade_test_cfg() {
	println!("cargo::rustc-check-cfg=cfg(medchain_upgrade_test)");
	println!("cargo::rerun-if-env-changed=MEDCHAIN_UPGRADE_TEST");
	if std::env::var_os("MEDCHAIN_UPGRADE_TEST").is_some_and(|value| value == "1") {
		println!("cargo::rustc-cfg=medchain_upgrade_test");
	}
}

/// Names the runtime's one source file that is neither `.rs` nor `.toml`: the Wasm builder watches
/// only those, so without this a regenerated `genesis_demo.json` (the presets include it) would
/// leave the old Wasm in place. (Only the native build builds the Wasm: the Wasm's own build of
/// this crate, without `std`, does not watch it.)
#[cfg(feature = "std")]
fn watch_genesis_demo() {
	println!("cargo::rerun-if-changed=src/genesis_demo.json");
}

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	upgrade_test_cfg();
	watch_genesis_demo();
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("MED", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	upgrade_test_cfg();
	watch_genesis_demo();
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {
	upgrade_test_cfg();
}
