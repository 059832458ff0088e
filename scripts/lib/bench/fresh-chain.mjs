// A fresh chain per run: starts medchain-node on loopback in a block-authoring mode, connects the
// API and the submitting connections, measures what the client and the RPC server alone sustain,
// derives and funds the bench accounts; and stops it all again, removing the node's base path.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import {
  MED, startNode, connect, devAccounts, freshAccounts, rpcCall, processUsage, diskUsageKiB,
} from '../chain.mjs';
import { DEFAULTS } from './arguments.mjs';
import { num, summarizeSubmit } from './figures.mjs';
import { BlockWatcher, sleep, sendAll, setupPhase } from './submission.mjs';

/** Funding per bench account: fees, deposits of a run and a storage provider's stake, with room to spare. */
const FUNDING = 200n * MED;
/** Bench accounts funded per `utility.batchAll`. */
const FUNDING_CHUNK = 500;

/** The node of the chain open now, if any: stopped when the harness is interrupted or fails. */
let running = null;
export const runningNode = () => running;

/**
 * The cost of one extrinsic: its weight from `TransactionPaymentApi::query_info` (through the
 * node's `payment_queryInfo`: @polkadot/api 16's `api.call.transactionPaymentApi.queryInfo`
 * encodes the extrinsic in a way the runtime cannot decode) and its encoded length.
 */
export async function extrinsicCost(api, tx) {
  const u8a = tx.toU8a();
  const info = await rpcCall(api, 'payment_queryInfo', [u8aToHex(u8a)]);
  const weight = info.weight;
  return { refTime: num(weight.ref_time ?? weight.refTime), proofSize: num(weight.proof_size ?? weight.proofSize), bytes: u8a.length, class: info.class };
}

/**
 * The node flags that make it run `options.runtime` (--runtime) instead of its own runtime: a
 * directory holding only that Wasm, made on first use and removed by `removeRuntimeOverride`.
 */
export function runtimeOverrideArgs(options) {
  if (!options.runtime) return [];
  if (!options.runtimeOverrideDir) {
    options.runtimeOverrideDir = mkdtempSync(join(tmpdir(), 'medchain-bench-runtime-'));
    copyFileSync(options.runtime, join(options.runtimeOverrideDir, 'runtime.wasm'));
  }
  return ['--wasm-runtime-overrides', options.runtimeOverrideDir];
}

/** Removes the directory `runtimeOverrideArgs` made, if any. */
export function removeRuntimeOverride(options) {
  if (options.runtimeOverrideDir) rmSync(options.runtimeOverrideDir, { recursive: true, force: true });
  options.runtimeOverrideDir = undefined;
}

/**
 * Starts a fresh node in `mode` ('aura' | 'instant'), connects, measures the client + RPC ceiling,
 * derives and funds the bench accounts (`funding` MED each). `basePath` (kept) and `archive` (every
 * block's state kept) serve a later look at the chain. Returns the context every phase uses;
 * `closeChain(ctx)` stops it all.
 */
export async function openChain(mode, options, log, { funding = FUNDING, txCap = options.txs ?? DEFAULTS.maxAutoTxs, basePath, archive = false } = {}) {
  const instant = mode === 'instant';
  const node = await startNode([
    '--dev', ...(instant ? ['--sealing', 'instant'] : []),
    // The import check re-executes blocks on their parents' state, which pruning would drop.
    ...(archive ? ['--state-pruning', 'archive-canonical'] : []),
    ...runtimeOverrideArgs(options),
    '--pool-limit', String(Math.max(8192, 3 * txCap)),
    '--pool-kbytes', String(Math.max(20480, Math.ceil((3 * txCap * 2048) / 1024))),
    '--rpc-max-connections', String(100 + options.connections),
    '--rpc-message-buffer-capacity-per-connection', String(Math.max(64, 4 * options.window)),
  ], { basePath });
  running = node;
  const ctx = {
    mode, instant, options, node, setupTxs: 0, nonces: new Map(), records: new Map(), stallMs: instant ? 15_000 : 20_000, providers: [],
  };
  try {
    const { api } = await connect(node.wsUrl);
    ctx.api = api;
    if (options.runtime) {
      // The node uses an override only for the spec version it was built for, silently otherwise.
      const found = /Found wasm override.*version=\S+?-(\d+)/.exec(node.output());
      if (!found || Number(found[1]) !== num(api.runtimeVersion.specVersion)) {
        throw new Error(`--runtime ${options.runtime}: the node does not run it (spec version ${found?.[1] ?? 'unknown'}, `
          + `the chain's ${api.runtimeVersion.specVersion})`);
      }
    }
    for (let i = 0; i < options.connections; i++) {
      const provider = new WsProvider(node.wsUrl, false);
      await provider.connect();
      await provider.isReady;
      ctx.providers.push(provider);
    }
    await sleep(1000);
    ctx.footprintStart = { ...processUsage(node.process.pid), dbKiB: diskUsageKiB(node.basePath) };

    const { blockWeights, blockLength } = api.consts.system;
    const normal = blockWeights.perClass.normal;
    const maxTotal = normal.maxTotal.unwrapOr(blockWeights.maxBlock);
    ctx.limits = {
      maxRefTime: num(maxTotal.refTime), maxProofSize: num(maxTotal.proofSize), maxLength: num(blockLength.max.normal),
      baseRefTime: num(normal.baseExtrinsic.refTime), baseProofSize: num(normal.baseExtrinsic.proofSize),
    };
    ctx.slotMs = api.call.auraApi ? num(await api.call.auraApi.slotDuration()) : 6000;
    ctx.signOptions = {
      blockHash: api.genesisHash, genesisHash: api.genesisHash, runtimeVersion: api.runtimeVersion,
      signedExtensions: api.registry.signedExtensions, tip: 0,
    };
    ctx.runtime = `${api.runtimeVersion.specName} v${api.runtimeVersion.specVersion}${options.runtime ? ` from ${options.runtime}` : ''}`;
    log(`\n=== ${instant ? 'instant seal' : `Aura, ${ctx.slotMs / 1000} s slots`} — ${ctx.runtime}, node pid ${node.process.pid}, `
      + `RSS ${(ctx.footprintStart.rssKiB / 1024).toFixed(0)} MiB, DB ${(ctx.footprintStart.dbKiB / 1024).toFixed(1)} MiB`);

    ctx.watcher = new BlockWatcher(api);
    await ctx.watcher.start();

    // Calibration: what the client and the RPC server alone sustain, with a call that needs
    // neither the pool nor the runtime (`chain_getBlockHash(0)`), same window and connections.
    const calibrationCount = Math.min(5000, Math.max(1000, options.txs ?? 3000));
    const calibration = await sendAll(ctx.providers, new Array(calibrationCount).fill({ method: 'chain_getBlockHash', params: [0] }), options.window, node.process.pid);
    ctx.calibration = summarizeSubmit(calibration, calibrationCount);
    log(`client + RPC ceiling (chain_getBlockHash, no pool or runtime work): ${calibration.perSecond.toFixed(0)} calls/s `
      + `(client CPU ${calibration.clientCpu.toFixed(0)}%, node CPU ${calibration.nodeCpu?.toFixed(0)}%)`);

    // Accounts.
    const { alice } = await devAccounts();
    ctx.alice = alice;
    ctx.nonces.set(alice.address, num(await api.rpc.system.accountNextIndex(alice.address)));
    const t0 = performance.now();
    const { pairs } = await freshAccounts(Array.from({ length: options.accounts }, (_, i) => String(i)), { label: 'bench', tag: options.tag });
    ctx.accounts = Array.from({ length: options.accounts }, (_, i) => pairs[String(i)]);
    ctx.byAddress = new Map(ctx.accounts.map((p) => [p.address, p]));
    const transfers = [];
    for (let i = 0; i < ctx.accounts.length; i += FUNDING_CHUNK) {
      transfers.push({
        signer: alice,
        tx: api.tx.utility.batchAll(ctx.accounts.slice(i, i + FUNDING_CHUNK).map((p) => api.tx.balances.transferKeepAlive(p.address, funding))),
      });
    }
    await setupPhase(ctx, 'funding the bench accounts', transfers);
    log(`${options.accounts} accounts //Alice//bench/${options.tag}/<i> derived and funded with ${funding / MED} MED each `
      + `(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return ctx;
  } catch (error) {
    error.nodeLog ??= node.output().slice(-3000);
    await closeChain(ctx, log);
    throw error;
  }
}

/** Disconnects and stops the node of `ctx` (its base path is removed). */
export async function closeChain(ctx, log) {
  if (process.env.BENCH_NODE_LOG) writeFileSync(`${process.env.BENCH_NODE_LOG}.${ctx.mode}.log`, ctx.node.output());
  ctx.watcher?.stop();
  await Promise.all(ctx.providers.map((p) => p.disconnect().catch(() => {})));
  await ctx.api?.disconnect().catch(() => {});
  const { code } = await ctx.node.stop();
  running = null;
  if (code !== 0) log(`(node exited with code ${code})`);
}

/** Re-reads the next nonce of `addresses` from the node (after refusals, lost transactions or a failure). */
export async function resyncNonces(ctx, addresses) {
  for (const address of new Set(addresses)) {
    ctx.nonces.set(address, num(await ctx.api.rpc.system.accountNextIndex(address)));
  }
}
