// What the harness prints and writes: each workload's lines as it runs, the table of each mode
// with its legend, the RPC latency table, and every figure as JSON (--json).
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** A fraction as a percentage (one decimal below 10%), `—` when unknown. */
const pct = (x) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`);
/** `x` with `d` decimals, `—` when unknown. */
const fixed = (x, d = 0) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));

/** The log lines of one workload's result, as printed while the harness runs. */
export function describeWorkload(r) {
  const rej = Object.entries(r.rejections).map(([m, c]) => `${c}× ${m}`).join('; ');
  const fail = Object.entries(r.failures).map(([m, c]) => `${c}× ${m}`).join('; ');
  return [
    `${r.workload}: ${r.included}/${r.txs} included in ${r.blocksUsed} blocks, first submit → last inclusion `
      + `${fixed(r.firstSubmitToLastInclusionSeconds, 1)} s; steady ${fixed(r.steady.txPerSecond, 1)} tx/s over ${r.steady.blocks} blocks `
      + `(${fixed(r.steady.seconds, 1)} s${r.steady.partial ? ', whole span: < 3 blocks' : ''})`,
    `    cost ${fixed(r.cost.refTime / 1e6, 1)} µs ref_time, ${r.cost.proofSize} B proof, ${r.cost.bytes} B; per block ≤ ${r.bound.perBlock} `
      + `(ref_time ${r.bound.byRefTime}, proof ${r.bound.byProofSize}, length ${r.bound.byLength}) → bound ${fixed(r.bound.txPerSecond, 1)} tx/s, `
      + `achieved ${pct(r.achieved)}; fullness weight ${pct(r.fullness.weight)}, length ${pct(r.fullness.length)}`,
    `    signed ${fixed(r.sign.perSecond)}/s; submitted ${fixed(r.submit.perSecond)}/s (client CPU ${fixed(r.submit.clientCpuPercent)}%, `
      + `node CPU ${fixed(r.submit.nodeCpuPercent)}%); block end ${JSON.stringify(r.blockEnd)}, propose mean ${fixed(r.proposeMs.mean)} ms `
      + `max ${fixed(r.proposeMs.max)} ms`,
    ...(rej ? [`    pool refused: ${rej}`] : []),
    ...(fail ? [`    dispatch errors: ${fail}`] : []),
    ...(r.missing ? [`    ${r.missing} accepted but never included`] : []),
  ].join('\n');
}

/** The table of one mode: one row per workload, the ratio to the baseline's steady tx/s. */
export function formatTable(modeResult) {
  const imports = modeResult.results.some((r) => r.import);
  const header = ['workload', 'txs', 'incl', 'blk', 'tx/s', '×base', 'bound/blk', 'bound tx/s', 'achvd', 'wt%', 'len%', 'first→last', 'submit/s', 'rej',
    ...(imports ? ['import max', '÷decl'] : []), 'bound by'];
  const rows = modeResult.results.map((r) => {
    if (!r.available || r.skipped) return [r.workload, ...Array(header.length - 2).fill(''), r.skipped ?? 'not in runtime'];
    const importCells = imports ? [r.import ? `${fixed(r.import.maxMs)} ms` : '—', pct(r.import?.maxOfDeclared)] : [];
    return [
      r.workload,
      String(r.txs),
      String(r.included),
      String(r.blocksUsed),
      `${fixed(r.steady.txPerSecond, 1)}${r.steady.partial ? '*' : ''}`,
      r.ratioToBaseline === undefined ? '—' : fixed(r.ratioToBaseline, 2),
      `${r.bound.perBlock} ${{ ref_time: 'W', proof_size: 'P', length: 'L' }[r.bound.binding]}`,
      fixed(r.bound.txPerSecond, 1),
      pct(r.achieved),
      pct(r.fullness.weight),
      pct(r.fullness.length),
      `${fixed(r.firstSubmitToLastInclusionSeconds, 1)} s`,
      fixed(r.submit.perSecond),
      String(r.rejected),
      ...importCells,
      r.boundBy,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells) => cells.map((cell, c) => (c === 0 || c === cells.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const title = modeResult.mode === 'aura' ? `Aura, ${modeResult.slotMs / 1000} s blocks` : 'instant seal';
  const f = modeResult.footprint;
  const mib = (kib) => (kib === null || kib === undefined ? '—' : (kib / 1024).toFixed(0));
  return [
    `${title} (${modeResult.runtime}, ${modeResult.accounts} accounts)`,
    line(header),
    line(header.map((h, c) => '-'.repeat(widths[c]))),
    ...rows.map(line),
    `client + RPC ceiling ${fixed(modeResult.calibration.perSecond)} calls/s; node RSS ${mib(f.start.rssKiB)} MiB at start, `
      + `${mib(f.end.rssKiB)} MiB after, peak ${mib(f.end.peakRssKiB)} MiB; DB ${mib(f.start.dbKiB)} MiB at start, `
      + `${mib(f.dbAfterSetupKiB)} after setup (${f.setupTxs} txs), ${mib(f.end.dbKiB)} after ${f.workloadTxs} workload txs `
      + `(${fixed(f.dbGrowthPer10kTxsMiB, 1)} MiB per 10,000)`,
  ].join('\n');
}

/** What the table's columns mean, printed under the tables. */
export const LEGEND = `tx/s: included per second over the steady window (blocks between the first and the last that hold
the workload; * = fewer than 3 blocks, whole span). ×base: ratio to balances.transferKeepAlive.
bound/blk: extrinsics per block allowed by the normal-class weight (W: ref_time, P: proof size) or
length (L), base extrinsic included; bound tx/s: per 6 s slot (Aura) or back-to-back blocks at the
declared weight (instant seal). achvd: tx/s ÷ bound. wt%/len%: mean block fullness in the window.
first→last: first submission to last inclusion. submit/s: pre-signed submissions the client got
answered per second. bound by: why the window's blocks ended (proposer log): weight, length,
proposer time (deadline), or supply (blocks ended with the pool empty: client or pool).
import max (--import-check): the longest execution of a window block by \`benchmark block\` (mean
of 5 runs each); ÷decl: the largest share of its declared weight (over 100%: the weights understate).`;

/** The latency table: p50/p99 per method at each size, and the p50 ratio of the largest to the smallest. */
export function formatLatency(scaling) {
  const { levels } = scaling;
  const methods = Object.keys(levels[0]?.latency ?? {});
  const header = ['RPC method', ...levels.flatMap((l) => [`p50 @${l.size}`, `p99 @${l.size}`]), 'p50 ratio'];
  const rows = methods.map((m) => [
    m,
    ...levels.flatMap((l) => [`${fixed(l.latency[m].p50, 2)} ms`, `${fixed(l.latency[m].p99, 2)} ms`]),
    levels.length > 1 ? fixed(levels.at(-1).latency[m].p50 / levels[0].latency[m].p50, 2) : '—',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [
    `RPC read latency on a fresh instant-seal chain (${scaling.samples} sequential calls each, fixed probe items; `
      + `sizes: ${levels.map((l) => `${l.ehrRecords} records + ${l.drugTransfers} transfers`).join(' → ')})`,
    line(header),
    line(header.map((h, c) => '-'.repeat(widths[c]))),
    ...rows.map(line),
  ].join('\n');
}

/**
 * Writes every figure of a run to `path` as JSON: when it ran, on what machine, with which
 * options, the results of each mode and the latency levels.
 */
export function writeJsonReport(path, { started, options, modes, scaling }) {
  const report = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null },
    options: { ...options, help: undefined },
    modes,
    scaling,
  };
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
