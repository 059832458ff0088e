// The size of the runtime validators run, next to the one this build embeds. The node's build
// puts the benchmarks into its runtime (`runtime-benchmarks`, and with it frame-system-benchmarking's
// 4.25 MB kitchensink runtime for `set_code`'s benchmark); production images build without them.
// This builds that runtime's Wasm with the node's own last Wasm build command (same toolchain,
// flags and lock file) in a project of its own beside the builder's, without the benchmark
// features, and compresses it as the builder does (zstd level 22).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lastWasmBuildCommand, rerunWasmBuild, ZSTD_PREFIX } from './lib/upgrade.mjs';

/** The runtime features that only the benchmarks need. */
export const BENCHMARK_FEATURES = ['runtime-benchmarks', 'frame-system-benchmarking', 'frame-benchmarking'];

/**
 * The Wasm builder's project manifest `manifest` (text) without the benchmark features, its
 * runtime the one at `runtimeDir` (the builder's names the checkout that built it).
 */
export function validatorsManifest(manifest, runtimeDir) {
  const lines = manifest.split('\n');
  const kept = lines.filter((line) => !BENCHMARK_FEATURES.some((feature) => line.trim().replace(/,$/, '') === `"${feature}"`));
  if (kept.length === lines.length) throw new Error('the Wasm builder\'s project has no benchmark features: its runtime is already the one validators run');
  const paths = kept.filter((line) => /^path = /.test(line)).length;
  if (paths !== 1) throw new Error(`the Wasm builder's project names ${paths} runtime paths, not 1`);
  return kept.map((line) => (/^path = /.test(line) ? `path = ${JSON.stringify(runtimeDir)}` : line)).join('\n');
}

/** The size of `wasm` compressed as the Wasm builder compresses a runtime (zstd level 22, prefixed). */
function compressedSize(wasm) {
  return ZSTD_PREFIX.length + execFileSync('zstd', ['-q', '--ultra', '-22', '-c', wasm], { maxBuffer: 64 << 20 }).length;
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

function main() {
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/medchain/target');
  const profile = process.env.MEDCHAIN_PROFILE ?? 'testnet';
  const command = lastWasmBuildCommand(targetDir, profile);
  const manifestArg = command.args.find((arg) => arg.startsWith('--manifest-path='));
  const builderProject = dirname(manifestArg.slice('--manifest-path='.length));
  const project = join(targetDir, profile, 'wbuild-validators');
  mkdirSync(project, { recursive: true });
  const runtimeDir = fileURLToPath(new URL('../runtime', import.meta.url));
  writeFileSync(join(project, 'Cargo.toml'), validatorsManifest(readFileSync(join(builderProject, 'Cargo.toml'), 'utf8'), runtimeDir));
  cpSync(join(builderProject, 'Cargo.lock'), join(project, 'Cargo.lock'));
  cpSync(join(builderProject, 'src'), join(project, 'src'), { recursive: true });
  // A first run starts from the builder's compiled dependencies (those the features leave alone).
  if (!existsSync(join(project, 'target'))) cpSync(command.env.CARGO_TARGET_DIR, join(project, 'target'), { recursive: true });
  console.log(`building the runtime without ${BENCHMARK_FEATURES.join(', ')} in ${project}`);
  // The metadata hash stays: it is that of the benchmarks' metadata, but a hash is 32 bytes either way.
  const validators = rerunWasmBuild(command, { manifestPath: join(project, 'Cargo.toml'), cargoTargetDir: join(project, 'target'), stdio: 'inherit' });
  const embedded = readdirSync(builderProject).find((name) => name.endsWith('.compact.compressed.wasm'));
  const validatorsCompressed = compressedSize(validators);
  console.log(`runtime validators run (no benchmarks): ${validatorsCompressed} bytes compressed = ${mib(validatorsCompressed)} `
    + `(${statSync(validators).size} bytes uncompressed)`);
  if (embedded) {
    const size = statSync(join(builderProject, embedded)).size;
    console.log(`runtime this ${profile} build embeds (with benchmarks): ${size} bytes compressed = ${mib(size)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(`runtime-size: ${error.message}`);
    process.exit(1);
  }
}
