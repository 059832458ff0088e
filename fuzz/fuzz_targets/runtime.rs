//! libFuzzer entry point: see the `medchain_fuzz` library for the harness.
#![no_main]

libfuzzer_sys::fuzz_target!(init: medchain_fuzz::init(), |data: &[u8]| {
	medchain_fuzz::run(data);
});
