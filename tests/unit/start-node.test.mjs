// Unit tests of startNode's handling of a node that exits at start (scripts/lib/chain.mjs), with a
// stand-in binary: only the kernel's transient refusal to seal wasmtime's memfd is started again,
// a bounded number of times; any other exit fails at once with the node's own output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode } from '../../scripts/lib/chain.mjs';

const MEMFD_REFUSAL = 'Error: Storage error: wasm call error Other error happened while constructing the runtime: '
  + 'failed to instantiate a new WASM module instance: cannot add seals to the memfd: Device or resource busy (os error 16)';

let dir;
let previousNode;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'medchain-start-node-'));
  previousNode = process.env.MEDCHAIN_NODE;
});

after(() => {
  if (previousNode === undefined) delete process.env.MEDCHAIN_NODE;
  else process.env.MEDCHAIN_NODE = previousNode;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A stand-in node that counts its starts in a file and, for the first `failures` starts, prints
 * `error` and exits 1; later starts serve "RPC" until SIGINT. Returns `starts()`, the count so far.
 */
function standInNode(name, failures, error) {
  const counter = join(dir, `${name}.starts`);
  const script = join(dir, `${name}.sh`);
  writeFileSync(script, `#!/bin/sh
n=$(( $(cat '${counter}' 2>/dev/null || echo 0) + 1 ))
echo "$n" > '${counter}'
if [ "$n" -le ${failures} ]; then echo '${error}' >&2; exit 1; fi
echo 'Running JSON-RPC server: addr=127.0.0.1:0'
trap 'exit 0' INT
while :; do sleep 0.1; done
`);
  chmodSync(script, 0o755);
  process.env.MEDCHAIN_NODE = script;
  return { starts: () => Number(readFileSync(counter, 'utf8')) };
}

test('a node refused its memfd seal at start is started again and then serves', async () => {
  const node = standInNode('transient', 2, MEMFD_REFUSAL);
  const started = await startNode(['--dev']);
  assert.equal(node.starts(), 3);
  assert.match(started.output(), /Running JSON-RPC server/);
  assert.deepEqual(await started.stop(), { code: 0, signal: null });
  assert.equal(existsSync(started.basePath), false);
});

test('a refusal that persists fails after three starts, with the node output', async () => {
  const node = standInNode('persistent', 10, MEMFD_REFUSAL);
  await assert.rejects(startNode(['--dev']), /exited with 1 before serving RPC:\n.*cannot add seals to the memfd/s);
  assert.equal(node.starts(), 3);
});

test('any other exit at start fails at once', async () => {
  const node = standInNode('other', 1, 'Error: Invalid input: chain spec not found');
  await assert.rejects(startNode(['--chain', 'nowhere']), /exited with 1 before serving RPC:\n.*chain spec not found/s);
  assert.equal(node.starts(), 1);
});
