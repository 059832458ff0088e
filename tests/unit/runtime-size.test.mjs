// scripts/runtime-size: the Wasm builder's project rewritten into the runtime validators run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatorsManifest } from '../../scripts/runtime-size.mjs';

// As substrate-wasm-builder 35 writes it for the node's build (`runtime-benchmarks` on).
const BUILDER_MANIFEST = `[dependencies.wasm-project]
default-features = false
features = [
    "runtime-benchmarks",
    "frame-system-benchmarking",
    "frame-benchmarking",
    "metadata-hash",
]
package = "medchain-runtime"
path = "/check/work/main/runtime"

[lib]
crate-type = ["cdylib"]
name = "medchain_runtime"
`;

test('the runtime validators run keeps every feature but the benchmarks, from this checkout', () => {
  const manifest = validatorsManifest(BUILDER_MANIFEST, '/work/main/runtime');
  assert.match(manifest, /features = \[\n {4}"metadata-hash",\n\]/);
  assert.doesNotMatch(manifest, /benchmark/);
  assert.match(manifest, /^path = "\/work\/main\/runtime"$/m);
  assert.match(manifest, /^package = "medchain-runtime"$/m);
});

test('a builder project without the benchmarks is refused: there is nothing to compare', () => {
  const plain = BUILDER_MANIFEST.replace(/ {4}"(runtime-benchmarks|frame-system-benchmarking|frame-benchmarking)",\n/g, '');
  assert.throws(() => validatorsManifest(plain, '/work/main/runtime'), /already the one validators run/);
});
