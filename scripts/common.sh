# Sourced by the scripts in this folder: one place for the build settings that the README
# commands, CI and the tests must share (one profile, one feature set, one target dir), so that
# every command reuses the same build.
set -euo pipefail

MEDCHAIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/medchain/target}"
# `testnet`: release optimisation with overflow and debug assertions on (see Cargo.toml).
# `runtime-benchmarks` puts the benchmarks into the runtime and pallets of this one build, so that
# their benchmark tests run without a second build of the FRAME crates; the node's `benchmark`
# subcommand (feature `benchmark-cli`, ~130 more crates) is built only by scripts/benchmark-weights.
# Production images (docker/) build `--profile production` without either.
# MEDCHAIN_PROFILE=production (scripts/bench-production) switches the scripts that build and
# benchmark to the profile validators run (fat LTO), for the node alone: a second tree of its own.
MEDCHAIN_PROFILE="${MEDCHAIN_PROFILE:-testnet}"
case $MEDCHAIN_PROFILE in
testnet) MEDCHAIN_CARGO_FLAGS=(--locked --profile testnet --workspace --features runtime-benchmarks) ;;
production) MEDCHAIN_CARGO_FLAGS=(--locked --profile production -p medchain-node --features runtime-benchmarks) ;;
*) echo "MEDCHAIN_PROFILE must be testnet or production, not $MEDCHAIN_PROFILE" >&2; exit 2 ;;
esac
MEDCHAIN_NODE="$CARGO_TARGET_DIR/$MEDCHAIN_PROFILE/medchain-node"
MEDCHAIN_VAULT="$CARGO_TARGET_DIR/$MEDCHAIN_PROFILE/medchain-vault"
# The S3 server the vault's tests start on loopback: Ceph's RADOS Gateway on a one-node cluster
# (scripts/ceph-s3-server; Debian's packages, installed by medchain_setup).
export MEDCHAIN_S3_SERVER="$MEDCHAIN_ROOT/scripts/ceph-s3-server"
# The runtime's Wasm is built by a nested cargo in the target dir, outside this checkout, where
# rust-toolchain.toml, Cargo.lock and the `testnet` profile do not reach. Make each deliberate:
# the pinned toolchain; this workspace's Cargo.lock, which the builder copies into its project
# (cargo adds that project's own root package to it, so `--locked` cannot be passed, but every
# dependency keeps its locked version: scripts/wasm-reproducible compares the two lock files);
# the builder's `release` profile (thin LTO, panic = abort) rather than a silent fallback to it;
# and the machine's paths (registry, checkout, target dir) remapped, so that two clean builds on
# any machine give the same Wasm hash (scripts/wasm-reproducible checks it).
MEDCHAIN_TOOLCHAIN="$(sed -n 's/^channel = "\(.*\)"/\1/p' "$MEDCHAIN_ROOT/rust-toolchain.toml")"
export WASM_BUILD_TOOLCHAIN="$MEDCHAIN_TOOLCHAIN"
export WASM_BUILD_WORKSPACE_HINT="$MEDCHAIN_ROOT"
export WASM_BUILD_CARGO_ARGS="${MEDCHAIN_TIMINGS:+--timings}"
export WASM_BUILD_TYPE=release
export WASM_BUILD_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo \
--remap-path-prefix=$MEDCHAIN_ROOT=/medchain --remap-path-prefix=$CARGO_TARGET_DIR=/target"
# litep2p's WebRTC transport wants OpenSSL; link the system's (libssl-dev) instead of compiling
# OpenSSL from source in every fresh build.
export OPENSSL_NO_VENDOR=1
export MEDCHAIN_NODE MEDCHAIN_VAULT

log() { printf '\n==> %s\n' "$*" >&2; }

# Prints the calling script's header comment (its usage) and exits 2: for a bad command line.
usage() { sed -n '2,/^source/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Runs a command as a named phase of a README command and reports its wall time; with
# MEDCHAIN_PHASE_LOG set (scripts/build-budget) it also appends "name<TAB>seconds" there.
phase() {
	local name=$1 start=$SECONDS status=0
	shift
	"$@" || status=$?
	local seconds=$((SECONDS - start))
	log "$name: $((seconds / 60)) min $((seconds % 60)) s$( ((status)) && echo " (failed, status $status)")"
	[[ -z ${MEDCHAIN_PHASE_LOG:-} ]] || printf '%s\t%s\n' "$name" "$seconds" >>"$MEDCHAIN_PHASE_LOG"
	return "$status"
}

# Installs what a fresh Debian machine with rustup lacks: C toolchain pieces for the SDK's native
# dependencies, the wasm target and rust-src for the runtime, the npm packages of the scripts and
# end-to-end tests and of the app (app/), the S3-compatible server the vault's tests run against,
# and Chromium for the app's browser tests.
medchain_setup() {
	local missing=()
	command -v protoc >/dev/null || missing+=(protobuf-compiler)
	command -v pkg-config >/dev/null || missing+=(pkg-config)
	dpkg -s libssl-dev >/dev/null 2>&1 || missing+=(libssl-dev)
	command -v clang >/dev/null || missing+=(clang)
	dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
	command -v node >/dev/null || missing+=(nodejs npm)
	# The app's browser tests drive Debian's Chromium (nothing downloads a browser); a small CJK
	# font (1.6 MB) lets its Chinese screenshots show text instead of empty boxes.
	command -v chromium >/dev/null || missing+=(chromium)
	dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
	# The upgrade test compresses its runtime as the Wasm builder does (zstd).
	command -v zstd >/dev/null || missing+=(zstd)
	# The vault's S3 tests run against a real Ceph (scripts/ceph-s3-server): monitor, OSD and RADOS
	# Gateway (about 60 packages without recommends), and boto3 to create the bucket.
	local ceph=()
	for package in ceph-mon ceph-osd radosgw python3-boto3; do
		dpkg -s "$package" >/dev/null 2>&1 || ceph+=("$package")
	done
	if ((${#missing[@]} + ${#ceph[@]})); then
		log "Installing ${missing[*]} ${ceph[*]}"
		local sudo=()
		[[ $(id -u) == 0 ]] || sudo=(sudo)
		"${sudo[@]}" apt-get update -qq
		((${#missing[@]} == 0)) ||
			DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
		((${#ceph[@]} == 0)) || DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
			--no-install-recommends "${ceph[@]}"
	fi
	log "Rust toolchain, wasm target and rust-src"
	rustup toolchain install "$MEDCHAIN_TOOLCHAIN" --profile minimal --component rust-src,clippy,rustfmt \
		--target wasm32v1-none
	log "npm packages (npm ci)"
	(cd "$MEDCHAIN_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
	log "the app's npm packages (npm ci in app/)"
	(cd "$MEDCHAIN_ROOT/app" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

# The Wasm builder's wasm-opt compiles Binaryen (C++) from source, the longest single step of a
# fresh build (10 min with g++); clang++ (installed by medchain_setup) compiles it 1.6–1.9×
# faster. Exported for the rest of the calling script: `cargo test` must see the same CXX as the
# build, or it rebuilds Binaryen.
use_clang_for_cxx() {
	if [[ -z ${CXX:-} ]] && command -v clang++ >/dev/null; then export CXX=clang++; fi
}

# Clippy lints the workspace's own crates inside the build: cargo runs clippy-driver (rustc plus
# clippy's lints) for workspace members only, so dependencies are compiled once, by rustc, and a
# separate `cargo clippy` check of the whole tree (about a third of a cold build) is not needed.
# Warnings are errors in every build, so `scripts/dev-node` and `scripts/test` share artifacts
# (CLIPPY_ARGS is part of the crates' fingerprints). Exported, like CXX, for `cargo test`.
use_clippy_as_rustc() {
	RUSTC_WORKSPACE_WRAPPER="$(rustup which --toolchain "$MEDCHAIN_TOOLCHAIN" clippy-driver)"
	export RUSTC_WORKSPACE_WRAPPER
	export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}

# Builds the workspace with the shared flags; extra arguments go to cargo (e.g. `--features
# benchmark-cli`).
medchain_build() {
	use_clang_for_cxx
	use_clippy_as_rustc
	log "Building medchain-node (cargo build ${MEDCHAIN_CARGO_FLAGS[*]} $*)"
	# MEDCHAIN_TIMINGS=1 (scripts/build-budget): cargo's per-crate timing reports, for this build
	# in $CARGO_TARGET_DIR/cargo-timings and for the runtime's Wasm under …/wbuild/*/target.
	(cd "$MEDCHAIN_ROOT" && phase "cargo build" cargo build "${MEDCHAIN_CARGO_FLAGS[@]}" \
		${MEDCHAIN_TIMINGS:+--timings} "$@")
}
