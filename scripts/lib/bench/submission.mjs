// Getting transactions into blocks as fast as the pool takes them: signing in advance at local
// nonces, sending raw `author_submitExtrinsic` calls over several connections with a bounded
// number in flight, following every new best block, and a phase that waits until every accepted
// transaction is included and reads each block's weight and events.
import { performance } from 'node:perf_hooks';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { rpcCall, describeDispatchError, processUsage, bestNumber } from '../chain.mjs';
import { num, proposerLog, proposalOf } from './figures.mjs';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Follows new best blocks: number, hash, arrival time and the hash and length of each extrinsic. */
export class BlockWatcher {
  constructor(api) {
    this.api = api;
    this.blocks = new Map();
    this.listeners = new Set();
    this.last = 0;
    this.queue = Promise.resolve();
    this.error = null;
  }

  async start() {
    this.last = await bestNumber(this.api);
    this.unsubscribe = await this.api.rpc.chain.subscribeNewHeads((header) => {
      const t = performance.now();
      this.queue = this.queue.then(() => this.#catchUp(header, t)).catch((error) => { this.error = error; });
    });
  }

  async #catchUp(header, t) {
    const number = header.number.toNumber();
    for (let n = this.last + 1; n <= number; n++) {
      const hash = n === number ? header.hash.toHex() : await rpcCall(this.api, 'chain_getBlockHash', [n]);
      const { block } = await rpcCall(this.api, 'chain_getBlock', [hash]);
      // The timestamp inherent (`timestamp.set`, the block's first extrinsic): its on-chain time.
      const inherent = this.api.createType('Extrinsic', block.extrinsics[0]);
      const info = {
        number: n,
        hash,
        t,
        ts: inherent.method.section === 'timestamp' ? num(inherent.method.args[0]) : null,
        hashes: block.extrinsics.map((xt) => blake2AsHex(hexToU8a(xt), 256)),
        lengths: block.extrinsics.map((xt) => (xt.length - 2) / 2),
      };
      this.blocks.set(n, info);
      this.last = n;
      for (const listener of this.listeners) listener(info);
    }
  }

  stop() {
    this.unsubscribe?.();
  }
}

/**
 * Sends every transaction of `txs` (`{ hex, sender }`; `sender` null for unsigned ones) with
 * `author_submitExtrinsic` over `providers` (round robin), at most `window` in flight, and each
 * sender's transactions one after the other in list (nonce) order: a transaction goes out only
 * once the pool has answered its sender's previous one, so no nonce reaches the pool before the
 * one below it. Returns `{ t0, seconds, perSecond, errors, clientCpu, nodeCpu }`; `errors[i]` is
 * the pool's refusal of transaction `i` or null; CPU figures are percent of one core.
 */
function submitAll(providers, txs, window, nodePid) {
  return sendAll(providers, txs.map(({ hex, sender }) => ({ method: 'author_submitExtrinsic', params: [hex], sender })), window, nodePid);
}

/** `submitAll` for any JSON-RPC calls `{ method, params, sender }` (`sender` optional). */
export async function sendAll(providers, txs, window, nodePid) {
  const errors = new Array(txs.length).fill(null);
  const previous = new Array(txs.length).fill(-1);
  const lastOf = new Map();
  txs.forEach(({ sender }, i) => {
    if (!sender) return;
    if (lastOf.has(sender)) previous[i] = lastOf.get(sender);
    lastOf.set(sender, i);
  });
  const answer = [];
  const answered = txs.map((_, i) => new Promise((resolveAnswer) => { answer[i] = resolveAnswer; }));
  let next = 0;
  const cpu0 = process.cpuUsage();
  const node0 = processUsage(nodePid);
  const t0 = performance.now();
  const worker = async () => {
    while (next < txs.length) {
      const i = next++;
      if (previous[i] >= 0) await answered[previous[i]];
      try {
        await providers[i % providers.length].send(txs[i].method, txs[i].params);
      } catch (error) {
        errors[i] = String(error?.message ?? error);
      } finally {
        answer[i]();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, txs.length) }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const node1 = processUsage(nodePid);
  return {
    t0,
    seconds,
    perSecond: seconds > 0 ? txs.length / seconds : 0,
    errors,
    clientCpu: seconds > 0 ? (100 * (cpu.user + cpu.system)) / 1e6 / seconds : 0,
    nodeCpu: seconds > 0 && node0 && node1 ? (100 * (node1.cpuSeconds - node0.cpuSeconds)) / seconds : null,
  };
}

/** The pool's refusal messages, counted, with numbers in parentheses folded (`Priority is too low (…)`). */
export function countRejections(errors) {
  const counts = {};
  for (const error of errors) {
    if (error === null) continue;
    const key = error.replace(/\([^)]*\)/g, '(…)').slice(0, 160);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Submits pre-signed `txs` (`{ hex, hash, bytes }`) and waits until every accepted one is in a
 * block, or nothing new was included for `ctx.stallMs`. Then reads each block's weight and events.
 * `onEvent(i, event)` sees the events of transaction `i`. Returns the raw phase record.
 */
export async function runPhase(ctx, txs, { onEvent, events: readEvents = true } = {}) {
  const { api, watcher } = ctx;
  const pending = new Map(txs.map((tx, i) => [tx.hash, i]));
  const inclusion = new Array(txs.length).fill(null);
  let remaining = txs.length;
  let lastProgress = performance.now();
  const listener = (block) => {
    block.hashes.forEach((hash, index) => {
      const i = pending.get(hash);
      if (i === undefined) return;
      pending.delete(hash);
      inclusion[i] = { number: block.number, index, t: block.t };
      remaining -= 1;
      lastProgress = performance.now();
    });
  };
  const startNumber = watcher.last;
  watcher.listeners.add(listener);
  let submit;
  try {
    submit = await submitAll(ctx.providers, txs, ctx.options.window, ctx.node.process.pid);
    submit.errors.forEach((error, i) => {
      if (error !== null && pending.delete(txs[i].hash)) remaining -= 1;
    });
    lastProgress = Math.max(lastProgress, performance.now());
    while (remaining > 0 && performance.now() - lastProgress < ctx.stallMs) {
      if (watcher.error) throw watcher.error;
      await sleep(50);
    }
  } finally {
    watcher.listeners.delete(listener);
  }
  const lastIncluded = Math.max(startNumber, ...inclusion.filter(Boolean).map((x) => x.number));
  const byBlock = new Map();
  inclusion.forEach((x, i) => {
    if (!x) return;
    if (!byBlock.has(x.number)) byBlock.set(x.number, new Map());
    byBlock.get(x.number).set(x.index, i);
  });

  const blocks = [];
  const failures = {};
  const proposals = proposerLog(ctx.node.output());
  for (let n = startNumber + 1; n <= lastIncluded; n++) {
    const block = watcher.blocks.get(n);
    const ours = byBlock.get(n) ?? new Map();
    const entry = { number: n, hash: block.hash, t: block.t, count: ours.size, bytes: 0, weight: null, ts: block.ts, proposal: proposalOf(proposals, block) };
    for (const [index, i] of ours) entry.bytes += txs[i].bytes;
    if (ours.size && readEvents) {
      const [weight, events] = await Promise.all([api.query.system.blockWeight.at(block.hash), api.query.system.events.at(block.hash)]);
      entry.weight = { refTime: weight.normal.refTime.toNumber(), proofSize: weight.normal.proofSize.toNumber() };
      for (const { phase, event } of events) {
        if (!phase.isApplyExtrinsic) continue;
        const i = ours.get(phase.asApplyExtrinsic.toNumber());
        if (i === undefined) continue;
        if (api.events.system.ExtrinsicFailed.is(event)) {
          const error = describeDispatchError(api, event.data.dispatchError);
          const key = `${error.section}.${error.name}`;
          failures[key] = (failures[key] ?? 0) + 1;
        } else if (api.events.sudo?.Sudid.is(event) && event.data.sudoResult.isErr) {
          const error = describeDispatchError(api, event.data.sudoResult.asErr);
          const key = `sudo: ${error.section}.${error.name}`;
          failures[key] = (failures[key] ?? 0) + 1;
        } else if (api.events.utility?.BatchInterrupted.is(event)) {
          failures['utility.BatchInterrupted'] = (failures['utility.BatchInterrupted'] ?? 0) + 1;
        }
        onEvent?.(i, event);
      }
    }
    blocks.push(entry);
  }
  const included = inclusion.filter(Boolean).length;
  const lastT = Math.max(...inclusion.filter(Boolean).map((x) => x.t));
  return {
    txs, submit, inclusion, blocks, failures, included,
    rejected: submit.errors.filter((e) => e !== null).length,
    missing: txs.length - included - submit.errors.filter((e) => e !== null).length,
    firstSubmitToLastInclusion: included ? (lastT - submit.t0) / 1000 : null,
  };
}

/** Throws unless every transaction of a setup phase was included and succeeded. */
function ensureSetup(phase, what) {
  const failed = Object.entries(phase.failures);
  if (phase.included !== phase.txs.length || failed.length) {
    const rejections = countRejections(phase.submit.errors);
    throw new Error(`${what}: ${phase.included}/${phase.txs.length} included`
      + `${failed.length ? `, failures ${JSON.stringify(phase.failures)}` : ''}`
      + `${Object.keys(rejections).length ? `, pool refused ${JSON.stringify(rejections)}` : ''}`);
  }
}

/** Signs `tx` with `pair` at the account's next local nonce, immortal, no chain lookup. */
function signWith(ctx, tx, pair) {
  const nonce = ctx.nonces.get(pair.address) ?? 0;
  ctx.nonces.set(pair.address, nonce + 1);
  tx.sign(pair, { ...ctx.signOptions, nonce });
  return tx;
}

/** `{ hex, hash, bytes, sender }` of a (signed or unsigned) extrinsic; `sender` is null for unsigned. */
function packed(tx, sender = null) {
  const u8a = tx.toU8a();
  return { hex: u8aToHex(u8a), hash: blake2AsHex(u8a, 256), bytes: u8a.length, sender };
}

/** `packed` of `tx` signed by `signer` (at its next nonce), or of unsigned `tx` when `signer` is null. */
export function presigned(ctx, tx, signer) {
  return signer ? packed(signWith(ctx, tx, signer), signer.address) : packed(tx);
}

/** Signs and submits `calls` (`[{ tx, signer }]`) in one phase; throws unless all succeeded. */
export async function setupPhase(ctx, what, calls, { onEvent, events = true } = {}) {
  const txs = calls.map(({ tx, signer }) => presigned(ctx, tx, signer));
  const phase = await runPhase(ctx, txs, { onEvent, events });
  ensureSetup(phase, what);
  ctx.setupTxs += txs.length;
  return phase;
}
