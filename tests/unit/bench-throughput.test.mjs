// Unit tests of the throughput harness's arithmetic and command line (scripts/bench-throughput.mjs
// and scripts/lib/bench/).
// No node, and nothing timed: the harness's figures are reported, never asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../scripts/lib/cli.mjs';
import { parseArgs } from '../../scripts/lib/bench/arguments.mjs';
import { steadyWindow, blockBound, proposerLog, proposalOf, percentile } from '../../scripts/lib/bench/figures.mjs';
import { WORKLOADS } from '../../scripts/lib/bench/workloads.mjs';
import { importRange, parseBlockLines, summarizeImport } from '../../scripts/lib/bench/import-check.mjs';

const script = fileURLToPath(new URL('../../scripts/bench-throughput.mjs', import.meta.url));

test('steady window leaves out the first and the last block holding transactions', () => {
  const blocks = [
    { number: 10, t: 0, count: 0 },
    { number: 11, t: 6000, count: 500 },
    { number: 12, t: 12000, count: 2000 },
    { number: 13, t: 18000, count: 2000 },
    { number: 14, t: 24000, count: 700 },
  ];
  const w = steadyWindow(blocks, 100);
  assert.deepEqual(w.blocks, [12, 13]);
  assert.equal(w.txs, 4000);
  assert.equal(w.seconds, 12); // from block 11 (before the window) to block 13
  assert.equal(w.txPerSecond, 4000 / 12);
  assert.equal(w.partial, false);
  assert.equal(w.first, 11);
  assert.equal(w.last, 14);
});

test('steady window falls back to the whole span with fewer than three blocks', () => {
  const w = steadyWindow([{ number: 3, t: 4000, count: 10 }, { number: 4, t: 10000, count: 5 }], 1000);
  assert.equal(w.partial, true);
  assert.deepEqual(w.blocks, [3, 4]);
  assert.equal(w.txs, 15);
  assert.equal(w.seconds, 9); // from the first submission: no earlier block known
  const none = steadyWindow([{ number: 3, t: 4000, count: 0 }], 0);
  assert.equal(none.txs, 0);
  assert.equal(none.txPerSecond, 0);
});

test('block bound counts the base extrinsic and names the binding limit', () => {
  const limits = { maxRefTime: 1_500_000_000_000, maxProofSize: 1e18, maxLength: 3_932_160, baseRefTime: 100_000_000, baseProofSize: 0 };
  const byWeight = blockBound({ refTime: 300_000_000, proofSize: 3_600, bytes: 150 }, limits);
  assert.equal(byWeight.byRefTime, 3750);
  assert.equal(byWeight.perBlock, 3750);
  assert.equal(byWeight.binding, 'ref_time');
  const byLength = blockBound({ refTime: 1_000_000, proofSize: 0, bytes: 3_000 }, limits);
  assert.equal(byLength.perBlock, 1310);
  assert.equal(byLength.binding, 'length');
});

test('proposer log lines are found by block hash or height', () => {
  const log = '2026-11-22 07:00:00 🎁 Prepared block for proposing at 7 (1234 ms) hash: 0xabc123; parent_hash: 0x0101…ffee; '
    + 'end: HitBlockWeightLimit; extrinsics_count: 3801\nother line\n';
  const proposals = proposerLog(log);
  const proposal = { number: 7, ms: 1234, end: 'HitBlockWeightLimit', extrinsics: 3801 };
  assert.deepEqual(proposalOf(proposals, { number: 7, hash: '0xabc123', hashes: [] }), proposal);
  // Aura seals after proposing: another hash, found by height when the extrinsic count agrees.
  assert.deepEqual(proposalOf(proposals, { number: 7, hash: '0xsealed', hashes: new Array(3801) }), proposal);
  assert.equal(proposalOf(proposals, { number: 7, hash: '0xother', hashes: new Array(2) }), null);
});

test('percentiles are nearest-rank', () => {
  const sorted = Array.from({ length: 200 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.5), 100);
  assert.equal(percentile(sorted, 0.99), 198);
  assert.equal(percentile([7], 0.99), 7);
  assert.equal(percentile([], 0.5), null);
});

test('command line: defaults, values, dependencies', () => {
  const defaults = parseArgs([]);
  assert.equal(defaults.txs, null);
  assert.deepEqual(defaults.modes, ['aura', 'instant']);
  assert.deepEqual(defaults.workloads, WORKLOADS.map((w) => w.key));
  const some = parseArgs(['--txs', '200', '--mode=instant', '--workloads', 'ehr.logAccess,receive', '--accounts', '8']);
  assert.equal(some.txs, 200);
  assert.deepEqual(some.modes, ['instant']);
  assert.deepEqual(some.workloads, ['addRecord', 'logAccess', 'dispatch', 'receive']);
  assert.equal(some.accounts, 8);
  const latency = parseArgs(['--rpc-latency', '--modes', 'none', '--items', '100,1000']);
  assert.deepEqual(latency.modes, []);
  assert.equal(latency.rpcLatency, true);
  assert.deepEqual(latency.items, [100, 1000]);
  assert.equal(defaults.importCheck, false);
  assert.equal(parseArgs(['--modes', 'aura', '--import-check']).importCheck, true);
  assert.equal(defaults.runtime, null);
  const wasmDir = mkdtempSync(join(tmpdir(), 'medchain-unit-runtime-'));
  try {
    writeFileSync(join(wasmDir, 'runtime.wasm'), 'stand-in');
    writeFileSync(join(wasmDir, 'runtime.txt'), 'stand-in');
    assert.equal(parseArgs(['--runtime', join(wasmDir, 'runtime.wasm')]).runtime, join(wasmDir, 'runtime.wasm'));
    for (const bad of [['--runtime', join(wasmDir, 'runtime.txt')], ['--runtime', join(wasmDir, 'missing.wasm')]]) {
      assert.throws(() => parseArgs(bad), /--runtime: no \.wasm file/);
    }
  } finally {
    rmSync(wasmDir, { recursive: true, force: true });
  }
  const kept = parseArgs(['--rpc-latency', '--keep-db', '/tmp/medchain-unit-no-such-db']);
  assert.equal(kept.keepDb, '/tmp/medchain-unit-no-such-db');
  for (const bad of [['--keep-db', '/tmp/medchain-unit-no-such-db'], ['--rpc-latency', '--keep-db', '/tmp'],
    ['--rpc-latency', '--keep-db', '/nonexistent-dir/db'], ['--txs'], ['--txs', '0'], ['--txs', '1.5'], ['--modes', 'babe'], ['--workloads', 'nope'], ['--accounts', '2'], ['extra'],
    ['--json', '/nonexistent-dir/x.json'], ['--modes', 'none'], ['--items', '1000,10'], ['--rpc-latency', '--modes', 'none', '--import-check']]) {
    assert.throws(() => parseArgs(bad), UsageError, `parseArgs(${JSON.stringify(bad)})`);
  }
});

test('a bad argument exits with code 2 and one clear message, no stack trace', () => {
  const run = spawnSync(process.execPath, [script, '--txs', 'lots'], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--txs needs a whole number/);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
  const help = spawnSync(process.execPath, [script, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: scripts\/bench-throughput/);
});

test("benchmark block's lines give each block's execution time against its declared weight", () => {
  // As frame-benchmarking-cli 64 logs them (block/bench.rs `log_weight`), the over-weight one with its warning.
  const log = [
    '2026-12-06 10:00:01 Executing blocks 4 to 6 five times',
    '2026-12-06 10:00:02 Block 4 with  3031 tx used  61.25% of its weight (   918,750,000 of  1,500,000,000 ns)',
    '2026-12-06 10:00:03 Block 5 with     2 tx used   4.00% of its weight (     6,000,000 of    150,000,000 ns)',
    '2026-12-06 10:00:05 Block 6 with  3030 tx used 102.00% of its weight ( 1,530,000,000 of  1,500,000,000 ns) - OVER WEIGHT!',
  ].join('\n');
  const blocks = parseBlockLines(log);
  assert.deepEqual(blocks.map((b) => [b.number, b.extrinsics, b.tookNs, b.declaredNs]), [
    [4, 3031, 918_750_000, 1_500_000_000], [5, 2, 6_000_000, 150_000_000], [6, 3030, 1_530_000_000, 1_500_000_000]]);
  const full = summarizeImport(blocks.filter((b) => b.number !== 5));
  assert.deepEqual(full, { blocks: 2, meanMs: 1224.4, maxMs: 1530, maxOfDeclared: 1.02, meanExtrinsics: 3031 });
  assert.equal(summarizeImport([]), null);
});

test('the import check executes the block before the window first, to take the one-time start-up cost', () => {
  assert.deepEqual(importRange([7, 8, 9]), { from: 6, to: 9 });
  assert.deepEqual(importRange([9, 7]), { from: 6, to: 9 });
  // Block 1 has only genesis before it, which cannot be executed: no warm-up block then.
  assert.deepEqual(importRange([1, 2]), { from: 1, to: 2 });
});
