// The build budget's summary of cargo's `--timings` reports (scripts/lib/cargo-timings.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTimingUnits, summariseTimings } from '../../scripts/lib/cargo-timings.mjs';

// The shape cargo 1.95 writes: the unit table as a `const UNIT_DATA = [...];` line in a script.
const units = [
  { i: 0, name: 'wasm-opt-sys', version: '0.116.0', mode: 'run-custom-build', target: ' build-script (run)', start: 10, duration: 326.5 },
  { i: 1, name: 'medchain-node', version: '0.1.0', mode: 'todo', target: ' medchain-node "bin"', start: 700, duration: 185.5 },
  { i: 2, name: 'itoa', version: '1.0.19', mode: 'todo', target: '', start: 0, duration: 0.3 },
];
const report = `<html><script>\nconst UNIT_DATA = ${JSON.stringify(units)};\nconst CONCURRENCY_DATA = [];\n</script></html>`;

test('reads the unit table of a cargo timing report', () => {
  assert.deepEqual(readTimingUnits(report), units);
});

test('wall time is the last unit end; the slowest units come first, named with mode and target', () => {
  const { wall, units: count, slowest } = summariseTimings(readTimingUnits(report), 2);
  assert.equal(wall, 885.5);
  assert.equal(count, 3);
  assert.deepEqual(slowest, [
    { name: 'wasm-opt-sys 0.116.0 (run-custom-build) build-script (run)', seconds: 326.5 },
    { name: 'medchain-node 0.1.0 medchain-node "bin"', seconds: 185.5 },
  ]);
});

test('a page without a unit table is refused with a clear error', () => {
  assert.throws(() => readTimingUnits('<html></html>'), /no UNIT_DATA/);
});
