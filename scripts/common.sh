# Sourced by the scripts in this folder: one place for the build settings that the README
# commands, CI and the tests must share (one profile, one feature set, one target dir), so that
# every command reuses the same build.
set -euo pipefail

MEDCHAIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/medchain/target}"
# `testnet`: release optimisation with overflow and debug assertions on (see Cargo.toml).
# `runtime-benchmarks` is on in this one build so that the benchmark tests run without a second
# full build; production images (docker/) build `--profile production` without it.
MEDCHAIN_CARGO_FLAGS=(--locked --profile testnet --workspace --features runtime-benchmarks)
MEDCHAIN_NODE="$CARGO_TARGET_DIR/testnet/medchain-node"
# The runtime's wasm is built by a nested cargo outside this checkout, where rust-toolchain.toml
# does not reach: name the pinned toolchain explicitly.
MEDCHAIN_TOOLCHAIN="$(sed -n 's/^channel = "\(.*\)"/\1/p' "$MEDCHAIN_ROOT/rust-toolchain.toml")"
export WASM_BUILD_TOOLCHAIN="$MEDCHAIN_TOOLCHAIN"
export MEDCHAIN_NODE

log() { printf '\n==> %s\n' "$*" >&2; }

# Installs what a fresh Debian machine with rustup lacks: C toolchain pieces for the SDK's native
# dependencies, the wasm target and rust-src for the runtime, and the npm packages of the
# scripts and end-to-end tests.
medchain_setup() {
	local missing=()
	command -v protoc >/dev/null || missing+=(protobuf-compiler)
	command -v clang >/dev/null || missing+=(clang)
	dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
	command -v node >/dev/null || missing+=(nodejs npm)
	if ((${#missing[@]})); then
		log "Installing ${missing[*]}"
		local sudo=()
		[[ $(id -u) == 0 ]] || sudo=(sudo)
		"${sudo[@]}" apt-get update -qq
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
	fi
	log "Rust toolchain, wasm target and rust-src"
	rustup toolchain install "$MEDCHAIN_TOOLCHAIN" --profile minimal --component rust-src,clippy,rustfmt \
		--target wasm32v1-none
	log "npm packages (npm ci)"
	(cd "$MEDCHAIN_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

medchain_build() {
	log "Building medchain-node (cargo build ${MEDCHAIN_CARGO_FLAGS[*]})"
	(cd "$MEDCHAIN_ROOT" && cargo build "${MEDCHAIN_CARGO_FLAGS[@]}")
}
