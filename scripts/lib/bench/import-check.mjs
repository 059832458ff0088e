// The safety check of the weights (--import-check): each workload's full blocks, re-executed by the
// node's `benchmark block` (frame-benchmarking-cli) on the chain the run made, against the weight
// they declare. A block whose execution takes longer than its declared weight means the weights
// understate the cost, and a full block could overrun the slot.
import { spawnSync } from 'node:child_process';
import { nodeBinary } from '../chain.mjs';
import { round } from './figures.mjs';
import { runtimeOverrideArgs } from './fresh-chain.mjs';

/** How often `benchmark block` executes each block; the figure is the mean. */
const REPEAT = 5;

const BLOCK_LINE = /Block (\d+) with\s+(\d+) tx used\s+([\d.]+)% of its weight \(\s*([\d,]+) of\s+([\d,]+) ns\)/g;

/**
 * Parses `benchmark block`'s log into `{ number, extrinsics, tookNs, declaredNs }` per block. The
 * CLI prints one line per block: "Block N with X tx used P% of its weight (took of declared ns)".
 */
export function parseBlockLines(log) {
  return [...log.matchAll(BLOCK_LINE)].map((m) => ({
    number: Number(m[1]),
    extrinsics: Number(m[2]),
    tookNs: Number(m[4].replaceAll(',', '')),
    declaredNs: Number(m[5].replaceAll(',', '')),
  }));
}

/** The import figures of `blocks` (from `parseBlockLines`): mean and largest execution time, and the largest share of the declared weight. */
export function summarizeImport(blocks) {
  if (!blocks.length) return null;
  const ms = blocks.map((b) => b.tookNs / 1e6);
  return {
    blocks: blocks.length,
    meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length, 1),
    maxMs: round(Math.max(...ms), 1),
    maxOfDeclared: round(Math.max(...blocks.map((b) => b.tookNs / b.declaredNs)), 3),
    meanExtrinsics: round(blocks.reduce((a, b) => a + b.extrinsics, 0) / blocks.length, 0),
  };
}

/**
 * The blocks `benchmark block` executes for the window `blocks` (numbers): the window, and the
 * block before it first. The first execution in a process pays once for compiling the runtime and
 * warming the node's caches (about 2.5 s here), which the mean of a window block's runs would
 * otherwise carry (it made a block of 1,000 transfers look 3× over its weight); the warm-up block
 * takes it, and only the window's blocks are reported.
 */
export function importRange(blocks) {
  const from = Math.min(...blocks);
  return { from: Math.max(1, from - 1), to: Math.max(...blocks) };
}

/**
 * Re-executes the steady-window blocks of every measured workload of `modeResult` on the stopped
 * chain at `basePath` and adds `import` (see `summarizeImport`) to each result. Throws with the
 * node's output when `benchmark block` fails (e.g. a node built without the `benchmark` subcommand).
 */
export function checkImports(modeResult, basePath, options, log) {
  for (const r of modeResult.results) {
    const window = r.steadyBlockNumbers ?? [];
    if (!window.length) continue;
    const { from, to } = importRange(window);
    const run = spawnSync(nodeBinary(), [
      'benchmark', 'block', '--chain', 'dev', '--base-path', basePath,
      '--from', String(from), '--to', String(to), '--repeat', String(REPEAT),
      // The blocks were made by the --runtime override: they execute only with it.
      ...runtimeOverrideArgs(options),
    ], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`benchmark block --from ${from} --to ${to} failed (status ${run.status}):\n${output.slice(-2000)}`);
    const blocks = parseBlockLines(output).filter((b) => window.includes(b.number));
    if (blocks.length !== window.length) throw new Error(`benchmark block reported ${blocks.length} of the ${window.length} blocks ${from}–${to}:\n${output.slice(-2000)}`);
    r.import = summarizeImport(blocks);
    log(`${r.workload}: ${r.import.blocks} full blocks (about ${r.import.meanExtrinsics} extrinsics) execute in ${r.import.meanMs} ms `
      + `on average, at most ${r.import.maxMs} ms = ${(100 * r.import.maxOfDeclared).toFixed(0)}% of their declared weight`);
  }
}
