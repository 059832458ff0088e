// The throughput run of one mode: every selected workload on a fresh chain, one phase each, with
// the steady window, the weight and length bound and what the node used; dispatch and receive
// also as one custody workload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { processUsage, diskUsageKiB } from '../chain.mjs';
import { DEFAULTS } from './arguments.mjs';
import { steadyWindow, blockBound, boundBy, summarizeSubmit, round } from './figures.mjs';
import { openChain, closeChain, extrinsicCost, resyncNonces } from './fresh-chain.mjs';
import { checkImports } from './import-check.mjs';
import { describeWorkload } from './report.mjs';
import { runPhase, countRejections, presigned } from './submission.mjs';
import { WORKLOADS, drugSetup } from './workloads.mjs';

/**
 * The throughput run of one mode: every selected workload on a fresh chain; with
 * `options.importCheck`, then each workload's full blocks re-executed on that chain.
 */
export async function runMode(mode, options, log) {
  if (!options.importCheck) return measureMode(mode, options, log);
  const basePath = mkdtempSync(join(tmpdir(), 'medchain-bench-import-'));
  try {
    const result = await measureMode(mode, options, log, basePath);
    log(`\nimport check: re-executing each workload's full blocks (${mode})`);
    checkImports(result, basePath, options, log);
    return result;
  } finally {
    rmSync(basePath, { recursive: true, force: true });
  }
}

/** Every selected workload on a fresh chain (kept at `basePath` when given). */
async function measureMode(mode, options, log, basePath) {
  const ctx = await openChain(mode, options, log, { basePath, archive: Boolean(basePath) });
  const { api, node, slotMs, instant } = ctx;
  try {
    const wanted = WORKLOADS.filter((w) => options.workloads.includes(w.key));
    if (wanted.some((w) => w.prepare === drugSetup && w.available(api))) {
      await drugSetup(ctx);
      log(`drug partners licensed (${ctx.drug.manufacturers.length} manufacturers with a product and a batch each, `
        + `${ctx.drug.wholesalers.length} wholesalers)`);
    }
    // The database after setup: its growth from here on is the workloads'.
    const dbAfterSetupKiB = diskUsageKiB(node.basePath);

    const results = [];
    for (const workload of wanted) {
      if (!workload.available(api)) {
        log(`${workload.name}: not in runtime`);
        results.push({ workload: workload.name, key: workload.key, available: false });
        continue;
      }
      if (!workload.make) {
        log(`${workload.name}: in the runtime, but the harness has no workload for it yet (add one to WORKLOADS)`);
        results.push({ workload: workload.name, key: workload.key, available: true, skipped: 'no workload defined' });
        continue;
      }
      try {
        results.push(await runWorkload(ctx, workload, { slotMs, instant }, log));
      } catch (error) {
        // One workload failing (e.g. a pallet changed under the harness) does not end the run.
        log(`${workload.name}: failed — ${error.message}`);
        results.push({ workload: workload.name, key: workload.key, available: true, skipped: `failed: ${error.message.slice(0, 80)}`, error: error.message });
        await resyncNonces(ctx, [ctx.alice.address, ...ctx.accounts.map((p) => p.address)]);
      }
    }
    const combined = combineDrugCustody(results, ctx, { slotMs, instant });
    if (combined) results.splice(results.findIndex((r) => r.key === 'receive') + 1, 0, combined);

    const footprintEnd = { ...processUsage(node.process.pid), dbKiB: diskUsageKiB(node.basePath) };
    const workloadTxs = results.reduce((sum, r) => sum + (r.combined ? 0 : (r.included ?? 0)), 0);
    const footprint = {
      start: ctx.footprintStart,
      end: footprintEnd,
      workloadTxs,
      setupTxs: ctx.setupTxs,
      dbAfterSetupKiB,
      dbGrowthKiB: footprintEnd.dbKiB - dbAfterSetupKiB,
      dbGrowthPer10kTxsMiB: workloadTxs ? ((footprintEnd.dbKiB - dbAfterSetupKiB) / 1024) * (10_000 / workloadTxs) : null,
    };
    const baseline = results.find((r) => r.baseline && r.steady);
    for (const r of results) {
      if (r.steady && baseline) r.ratioToBaseline = r.steady.txPerSecond / baseline.steady.txPerSecond;
    }
    return { mode, slotMs, runtime: ctx.runtime, calibration: ctx.calibration, limits: ctx.limits, accounts: options.accounts, results, footprint };
  } catch (error) {
    error.nodeLog ??= node.output().slice(-3000);
    throw error;
  } finally {
    await closeChain(ctx, log);
  }
}

/** One workload on the chain of `ctx`: sample its cost, pre-sign, submit, and the figures of its phase. */
async function runWorkload(ctx, workload, { slotMs, instant }, log) {
  const { api, options } = ctx;
  await workload.prepare?.(ctx);
  const most = workload.limit ? workload.limit(ctx) : Infinity;
  if (most < 1) {
    log(`${workload.name}: skipped, nothing to act on (its prerequisite included nothing)`);
    return { workload: workload.name, key: workload.key, available: true, skipped: 'nothing to act on' };
  }
  const sample = workload.sample ? workload.sample(ctx) : (() => {
    const { tx, signer } = workload.make(ctx, 0);
    return signer ? tx.sign(signer, { ...ctx.signOptions, nonce: 0 }) : tx;
  })();
  const sampleCost = await extrinsicCost(api, sample);
  const sampleBound = blockBound(sampleCost, ctx.limits);
  let n = options.txs
    ?? (instant ? DEFAULTS.instantTxs
      : Math.min(DEFAULTS.maxAutoTxs, Math.max(DEFAULTS.minAutoTxs, DEFAULTS.autoBlocks * sampleBound.perBlock)));
  n = Math.min(n, most);
  await workload.prepareCount?.(ctx, n);

  // Pre-sign.
  const signStart = performance.now();
  const txs = [];
  for (let i = 0; i < n; i++) {
    const { tx, signer } = workload.make(ctx, i);
    txs.push(presigned(ctx, tx, signer));
  }
  const signSeconds = (performance.now() - signStart) / 1000;
  const cost = await extrinsicCost(api, api.createType('Extrinsic', txs[0].hex));
  const bound = blockBound(cost, ctx.limits);
  // Aura: a block per slot. Instant seal: blocks back to back, each as long as its declared weight.
  const boundSeconds = instant ? (bound.perBlock * (cost.refTime + ctx.limits.baseRefTime)) / 1e12 : slotMs / 1000;
  const boundTxPerSecond = bound.perBlock / boundSeconds;

  const phase = await runPhase(ctx, txs, { onEvent: workload.onEvent ? (i, event) => workload.onEvent(ctx, i, event) : undefined });
  // Block times: Aura's on-chain timestamps (the slots); instant seal's timestamps advance a slot
  // per block whatever the real time, so there the time the client saw each block.
  const timed = instant
    ? phase.blocks
    : phase.blocks.map((b) => ({ ...b, t: b.ts }));
  const steady = steadyWindow(timed, instant ? phase.submit.t0 : performance.timeOrigin + phase.submit.t0);
  const windowBlocks = phase.blocks.filter((b) => steady.blocks.includes(b.number));
  const avg = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const weightFullness = avg(windowBlocks.filter((b) => b.weight).map((b) => b.weight.refTime / ctx.limits.maxRefTime));
  const lengthFullness = avg(windowBlocks.map((b) => b.bytes / ctx.limits.maxLength));
  const endReasons = {};
  for (const b of windowBlocks) {
    const end = b.proposal?.end ?? 'unknown';
    endReasons[end] = (endReasons[end] ?? 0) + 1;
  }
  const proposeMs = windowBlocks.map((b) => b.proposal?.ms).filter((x) => x !== undefined);
  const proposerBusy = steady.seconds > 0 ? proposeMs.reduce((a, b) => a + b, 0) / 1000 / steady.seconds : null;
  const usedBlocks = phase.blocks.filter((b) => b.count > 0);
  const result = {
    workload: workload.name,
    key: workload.key,
    available: true,
    baseline: Boolean(workload.baseline),
    unsigned: Boolean(workload.unsigned),
    txs: n,
    included: phase.included,
    rejected: phase.rejected,
    missing: phase.missing,
    rejections: countRejections(phase.submit.errors),
    failures: phase.failures,
    blocksUsed: usedBlocks.length,
    blocks: phase.blocks.map((b) => ({
      number: b.number, txs: b.count, bytes: b.bytes, seenAt: round((b.t - phase.submit.t0) / 1000, 3), timestamp: b.ts,
      weightRefTime: b.weight?.refTime ?? null, proposeMs: b.proposal?.ms ?? null, end: b.proposal?.end ?? null,
    })),
    steadyBlockNumbers: steady.blocks,
    steady: {
      blocks: steady.blocks.length, txs: steady.txs, seconds: round(steady.seconds, 3), txPerSecond: round(steady.txPerSecond, 1),
      partial: steady.partial, rule: steady.partial ? 'fewer than 3 blocks: whole span' : 'blocks between the first and the last',
    },
    overallTxPerSecond: phase.firstSubmitToLastInclusion ? round(phase.included / phase.firstSubmitToLastInclusion, 1) : null,
    firstSubmitToLastInclusionSeconds: round(phase.firstSubmitToLastInclusion, 3),
    fullness: { weight: round(weightFullness, 4), length: round(lengthFullness, 4) },
    blockEnd: endReasons,
    proposeMs: { mean: round(avg(proposeMs), 0), max: proposeMs.length ? Math.max(...proposeMs) : null },
    proposerBusy: round(proposerBusy, 3),
    cost,
    bound: { ...bound, seconds: round(boundSeconds, 4), txPerSecond: round(boundTxPerSecond, 1) },
    achieved: round(steady.txPerSecond / boundTxPerSecond, 4),
    sign: { seconds: round(signSeconds, 2), perSecond: round(n / signSeconds, 0) },
    submit: summarizeSubmit(phase.submit, n),
  };
  result.boundBy = boundBy(result, instant);
  log(describeWorkload(result));
  if (phase.missing > 0 || phase.rejected > 0) {
    await resyncNonces(ctx, txs.filter((tx, i) => !phase.inclusion[i] && tx.sender).map((tx) => tx.sender));
  }
  return result;
}

/** `drugProvenance.dispatch + receive`: both phases as one workload (a custody hop is two transactions). */
function combineDrugCustody(results, ctx, { slotMs, instant }) {
  const d = results.find((r) => r.key === 'dispatch' && r.steady);
  const r = results.find((x) => x.key === 'receive' && x.steady);
  if (!d || !r) return null;
  // One custody hop = a dispatch and a receive; `blockBound` adds one base extrinsic, so the pair
  // carries the other one itself.
  const { baseRefTime, baseProofSize } = ctx.limits;
  const pair = {
    refTime: d.cost.refTime + r.cost.refTime + baseRefTime,
    proofSize: d.cost.proofSize + r.cost.proofSize + baseProofSize,
    bytes: d.cost.bytes + r.cost.bytes,
  };
  const pairs = blockBound(pair, ctx.limits);
  const perBlock = 2 * pairs.perBlock;
  const boundSeconds = instant ? (pairs.perBlock * (pair.refTime + baseRefTime)) / 1e12 : slotMs / 1000;
  const boundTxPerSecond = perBlock / boundSeconds;
  const txs = d.steady.txs + r.steady.txs;
  const seconds = d.steady.seconds + r.steady.seconds;
  const txPerSecond = seconds > 0 ? txs / seconds : 0;
  return {
    workload: 'drugProvenance.dispatch+receive',
    key: 'custody',
    combined: true,
    available: true,
    txs: d.txs + r.txs,
    included: d.included + r.included,
    rejected: d.rejected + r.rejected,
    missing: d.missing + r.missing,
    blocksUsed: d.blocksUsed + r.blocksUsed,
    steady: { blocks: d.steady.blocks + r.steady.blocks, txs, seconds: round(seconds, 3), txPerSecond: round(txPerSecond, 1), partial: d.steady.partial || r.steady.partial },
    firstSubmitToLastInclusionSeconds: round(d.firstSubmitToLastInclusionSeconds + r.firstSubmitToLastInclusionSeconds, 3),
    fullness: {
      weight: round((d.fullness.weight * d.steady.blocks + r.fullness.weight * r.steady.blocks) / (d.steady.blocks + r.steady.blocks || 1), 4),
      length: round((d.fullness.length * d.steady.blocks + r.fullness.length * r.steady.blocks) / (d.steady.blocks + r.steady.blocks || 1), 4),
    },
    cost: { refTime: (d.cost.refTime + r.cost.refTime) / 2, proofSize: (d.cost.proofSize + r.cost.proofSize) / 2, bytes: (d.cost.bytes + r.cost.bytes) / 2 },
    bound: { perBlock, binding: pairs.binding, seconds: round(boundSeconds, 4), txPerSecond: round(boundTxPerSecond, 1) },
    achieved: round(txPerSecond / boundTxPerSecond, 4),
    submit: {
      perSecond: round((d.txs + r.txs) / (d.submit.seconds + r.submit.seconds), 1),
      seconds: round(d.submit.seconds + r.submit.seconds, 3),
    },
    boundBy: d.boundBy === r.boundBy ? d.boundBy : `${d.boundBy} / ${r.boundBy}`,
    note: 'dispatch and receive phases together: transactions and seconds of both steady windows added',
  };
}
