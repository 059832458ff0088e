#!/usr/bin/env node
// Throughput harness (issue 8, section 2): starts a fresh medchain-node per block-authoring mode on
// loopback, pre-signs transactions for each workload from many dev-derived accounts and submits
// them as fast as the pool accepts, then reports what the chain included.
//
//   scripts/bench-throughput [--txs N] [--modes aura,instant] [--json out.json] …   (see --help)
//
// How it measures (also in README "Performance"):
// - Accounts `//Alice//bench/<tag>/<i>` (chain.mjs `freshAccounts`) are funded by Alice in a few
//   `utility.batchAll` calls. Every transaction is signed in advance with an immortal era and an
//   explicit nonce, so nothing waits for nonces or block hashes while submitting.
// - Submission: raw `author_submitExtrinsic` calls over dedicated WebSocket connections, with a
//   bounded number in flight; every refusal by the pool is counted by its error message.
// - Inclusion: every new best block's body is fetched and its extrinsics hashed. A block's time is
//   its on-chain timestamp under Aura (the slot), and the time its header reached the client under
//   instant seal (whose timestamps advance one slot per block whatever the real time).
// - Steady window: the blocks strictly between the first and the last block holding the
//   workload's transactions (the first is the ramp-up, the last the drain); tx/s = transactions in
//   the window ÷ (time of the window's last block − time of the block before the window). With fewer
//   than three blocks the whole span is used and the row is marked `*`.
// - Weight bound: floor(normal max_total ÷ (the extrinsic's weight from
//   `TransactionPaymentApi::query_info`, via `payment_queryInfo`, + base extrinsic)) per block, also for proof size and for
//   length (`blockLength.max.normal` ÷ encoded bytes); the smallest is the per-block bound. In Aura
//   mode it is per 6 s slot; in instant-seal mode blocks are back to back and a full block declares
//   max_total of execution time, so the bound per second is 10¹² ÷ ref_time (declared execution
//   rate; more than 100% achieved means the weights overstate the real cost).
// - The proposer's log line (`Prepared block for proposing … end: <reason>`) says why each block
//   ended: weight limit, size limit, deadline (proposer time) or no more transactions.
import { accessSync, constants as fsConstants, existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WsProvider } from '@polkadot/api';
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import {
  startNode, connect, devAccounts, freshAccounts, randomTag, rpcCall, describeDispatchError, processUsage, diskUsageKiB,
} from './lib/chain.mjs';
import { generateBatch, randomGln, randomGtin, randomBase32, proofArg } from './lib/drug-codes.mjs';
import { TYPE_CODE } from './ehr-flow.mjs';

const MED = 10n ** 12n;
const MODES = ['aura', 'instant'];
const DEFAULTS = {
  accounts: 1000,
  instantTxs: 3000,
  minAutoTxs: 3000,
  maxAutoTxs: 16000,
  autoBlocks: 4,
  window: 256,
  connections: 2,
  items: [1000, 100_000],
  rpcSamples: 200,
};
/** Funding per bench account: fees, deposits of a run and a storage provider's stake, with room to spare. */
const FUNDING = 200n * MED;
const FUNDING_CHUNK = 500;
const PARTNER_CHUNK = 250;
/** Packs in each manufacturer's dispatch batch: one per `dispatch`. */
const PACKS_PER_BATCH = 1000;

/** The --help text. */
export const usage = () => `usage: scripts/bench-throughput [options]

Starts a fresh medchain-node per mode on loopback, pre-signs N transactions per workload from
many dev-derived accounts, submits them as fast as the pool accepts and reports tx/s over a
steady window, blocks used, block fullness (weight, length), first submit to last inclusion,
pool rejections, the weight-limit bound and the achieved fraction, the client's submission
rate, node RSS and database growth.

options:
  --txs N            transactions per workload (default: auto — Aura: ${DEFAULTS.autoBlocks} blocks' worth at the
                     weight/length bound, between ${DEFAULTS.minAutoTxs} and ${DEFAULTS.maxAutoTxs}; instant seal: ${DEFAULTS.instantTxs})
  --accounts N       signing accounts (default ${DEFAULTS.accounts}; at least 4)
  --modes LIST       aura,instant (default both; --mode is the same)
  --workloads LIST   comma-separated workload names or keys (default all), of:
${workloadListing()}
  --window N         submissions in flight (default ${DEFAULTS.window})
  --connections N    WebSocket connections used for submitting (default ${DEFAULTS.connections})
  --rpc-latency      also measure the p50/p99 latency of each domain read RPC on a fresh instant-seal
                     chain, for fixed probe items while the pallets hold --items unrelated items
  --items LIST       pallet sizes for --rpc-latency (default ${DEFAULTS.items.join(',')}: EHR records and
                     drug transfers each)
  --modes none       with --rpc-latency: skip the throughput runs
  --keep-db DIR      with --rpc-latency: the filled chain's base path is DIR (new) and is kept, e.g. for
                     \`scripts/benchmark-weights storage DIR\` (ParityDB weights on a realistic state)
  --json FILE        also write every figure as JSON to FILE
  -h, --help         this text

The node is $MEDCHAIN_NODE, else ~/.cache/medchain/target/testnet/medchain-node.
BENCH_NODE_LOG=PREFIX keeps each node's log in PREFIX.<mode>.log; BENCH_DEBUG=1 prints stack
traces of failures.`;

/** A bad command line: reported with the usage hint, exit code 2. */
export class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function positiveInt(flag, value, min = 1) {
  if (value === undefined || !/^[0-9]+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} needs a whole number ≥ ${min}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Parses the command line into options; throws `UsageError` on anything it does not understand. */
export function parseArgs(argv) {
  const options = {
    txs: null, accounts: DEFAULTS.accounts, modes: [...MODES], workloads: WORKLOADS.map((w) => w.key),
    window: DEFAULTS.window, connections: DEFAULTS.connections, json: null, help: false,
    rpcLatency: false, items: [...DEFAULTS.items],
  };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].startsWith('--') && argv[i].includes('=')
      ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
      : [argv[i], undefined];
    const take = () => {
      if (value !== undefined) return value;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '-h': case '--help': options.help = true; break;
      case '--txs': {
        value = take();
        options.txs = value === 'auto' ? null : positiveInt(flag, value);
        break;
      }
      case '--accounts': options.accounts = positiveInt(flag, take(), 4); break;
      case '--window': options.window = positiveInt(flag, take()); break;
      case '--connections': options.connections = positiveInt(flag, take()); break;
      case '--rpc-latency': options.rpcLatency = true; break;
      case '--items': {
        const items = take().split(',').map((x) => positiveInt(flag, x.trim()));
        if (items.some((x, k) => k > 0 && x <= items[k - 1])) throw new UsageError(`${flag}: sizes must increase, got ${items.join(',')}`);
        options.items = items;
        break;
      }
      case '--mode': case '--modes': {
        const modes = take().split(',').map((m) => m.trim()).filter(Boolean);
        if (modes.length === 1 && modes[0] === 'none') {
          options.modes = [];
          break;
        }
        const bad = modes.filter((m) => !MODES.includes(m));
        if (bad.length || !modes.length) throw new UsageError(`${flag}: unknown mode ${bad.join(', ') || '(none)'}; modes are ${MODES.join(', ')}`);
        options.modes = MODES.filter((m) => modes.includes(m));
        break;
      }
      case '--workloads': case '--workload': {
        const wanted = take().split(',').map((w) => w.trim()).filter(Boolean);
        const keys = new Set();
        for (const name of wanted) {
          const found = WORKLOADS.find((w) => w.key === name || w.name === name);
          if (!found) throw new UsageError(`${flag}: unknown workload ${JSON.stringify(name)}; see --help for the list`);
          keys.add(found.key);
          // A phase that consumes another's results brings it along (and it is measured too).
          for (let dep = found.needs; dep; dep = WORKLOADS.find((w) => w.key === dep).needs) keys.add(dep);
        }
        if (!keys.size) throw new UsageError(`${flag} needs at least one workload`);
        options.workloads = WORKLOADS.map((w) => w.key).filter((k) => keys.has(k));
        break;
      }
      case '--keep-db': {
        options.keepDb = resolve(take());
        if (existsSync(options.keepDb)) throw new UsageError(`--keep-db: ${options.keepDb} exists; give a new directory`);
        try {
          accessSync(dirname(options.keepDb), fsConstants.W_OK);
        } catch {
          throw new UsageError(`--keep-db: cannot create ${options.keepDb}`);
        }
        break;
      }
      case '--json': {
        options.json = resolve(take());
        try {
          accessSync(dirname(options.json), fsConstants.W_OK);
        } catch {
          throw new UsageError(`--json: cannot write into ${dirname(options.json)}`);
        }
        break;
      }
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`);
    }
  }
  if (!options.modes.length && !options.rpcLatency) throw new UsageError('--modes none leaves nothing to run (add --rpc-latency)');
  if (options.keepDb && !options.rpcLatency) throw new UsageError('--keep-db keeps the --rpc-latency chain: add --rpc-latency');
  return options;
}

// ---------------------------------------------------------------------------------------------
// Pure figures (unit-tested in tests/unit/bench-throughput.test.mjs)
// ---------------------------------------------------------------------------------------------

/**
 * The steady window of a phase. `blocks` are the blocks seen since the phase started, ascending by
 * number, each `{ number, t, count }` (`t` arrival time in ms, `count` the phase's transactions in
 * it). Returns `{ first, last, blocks, txs, seconds, txPerSecond, partial }`: the blocks strictly
 * between the first and the last block holding transactions, timed from the block before the
 * window to the window's last block; `partial` when there were fewer than three such blocks and the
 * whole span (from `startT`, the first submission, if no earlier block is known) is used instead.
 */
export function steadyWindow(blocks, startT) {
  const used = blocks.filter((b) => b.count > 0);
  if (!used.length) return { first: null, last: null, blocks: [], txs: 0, seconds: 0, txPerSecond: 0, partial: true };
  const first = used[0].number;
  const last = used[used.length - 1].number;
  const partial = used.length < 3;
  const [from, to] = partial ? [first, last] : [first + 1, last - 1];
  const inWindow = blocks.filter((b) => b.number >= from && b.number <= to);
  const before = blocks.filter((b) => b.number < from).at(-1);
  const t0 = before ? before.t : startT;
  const seconds = (inWindow.at(-1).t - t0) / 1000;
  const txs = inWindow.reduce((sum, b) => sum + b.count, 0);
  return { first, last, blocks: inWindow.map((b) => b.number), txs, seconds, txPerSecond: seconds > 0 ? txs / seconds : 0, partial };
}

/**
 * How many extrinsics of `cost` (`{ refTime, proofSize, bytes }`, weights as numbers) fit in a
 * block by weight and by length: `{ byRefTime, byProofSize, byLength, perBlock, binding }` with
 * `limits` `{ maxRefTime, maxProofSize, maxLength, baseRefTime, baseProofSize }` (normal class).
 */
export function blockBound(cost, limits) {
  const byRefTime = Math.floor(limits.maxRefTime / (cost.refTime + limits.baseRefTime));
  const byProofSize = Math.floor(limits.maxProofSize / (cost.proofSize + limits.baseProofSize));
  const byLength = Math.floor(limits.maxLength / cost.bytes);
  const perBlock = Math.min(byRefTime, byProofSize, byLength);
  const binding = perBlock === byRefTime ? 'ref_time' : perBlock === byProofSize ? 'proof_size' : 'length';
  return { byRefTime, byProofSize, byLength, perBlock, binding };
}

/**
 * `Prepared block for proposing` lines of the node log: `{ number, ms, end, extrinsics }` by the
 * proposed block's hash and, for the last proposal at each height, by `#<number>` (Aura seals
 * after proposing, which changes the hash; instant seal keeps it).
 */
export function proposerLog(output) {
  const re = /Prepared block for proposing at (\d+) \((\d+) ms\) hash: (0x[0-9a-f]+); parent_hash: \S+; end: (\w+); extrinsics_count: (\d+)/g;
  const proposals = new Map();
  for (const m of output.matchAll(re)) {
    const proposal = { number: Number(m[1]), ms: Number(m[2]), end: m[4], extrinsics: Number(m[5]) };
    proposals.set(m[3], proposal);
    proposals.set(`#${proposal.number}`, proposal);
  }
  return proposals;
}

/** The proposal of `block` (`{ number, hash, hashes }`): by hash, else the last one at its height with as many extrinsics. */
export function proposalOf(proposals, block) {
  const byNumber = proposals.get(`#${block.number}`);
  return proposals.get(block.hash) ?? (byNumber?.extrinsics === block.hashes.length ? byNumber : null);
}

/** The `p`-quantile (0 < p ≤ 1, nearest rank) of ascending `sorted`. */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// Chain watching and submission
// ---------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Follows new best blocks: number, hash, arrival time and the hash and length of each extrinsic. */
class BlockWatcher {
  constructor(api) {
    this.api = api;
    this.blocks = new Map();
    this.listeners = new Set();
    this.last = 0;
    this.queue = Promise.resolve();
    this.error = null;
  }

  async start() {
    this.last = (await this.api.rpc.chain.getHeader()).number.toNumber();
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
async function sendAll(providers, txs, window, nodePid) {
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
function countRejections(errors) {
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
async function runPhase(ctx, txs, { onEvent, events: readEvents = true } = {}) {
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

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

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
function presigned(ctx, tx, signer) {
  return signer ? packed(signWith(ctx, tx, signer), signer.address) : packed(tx);
}

/** Signs and submits `calls` (`[{ tx, signer }]`) in one phase; throws unless all succeeded. */
async function setupPhase(ctx, what, calls, { onEvent, events = true } = {}) {
  const txs = calls.map(({ tx, signer }) => presigned(ctx, tx, signer));
  const phase = await runPhase(ctx, txs, { onEvent, events });
  ensureSetup(phase, what);
  ctx.setupTxs += txs.length;
  return phase;
}

// ---------------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------------

const bytesParam = (s) => u8aToHex(stringToU8a(s));
const randomHash = () => randomAsHex(32);

/** Licensed manufacturers (first half of the accounts) and wholesalers (second half), each
 * manufacturer with one product and a batch to dispatch from. Done once per chain. */
async function drugSetup(ctx) {
  if (ctx.drug) return ctx.drug;
  const { api, accounts, alice } = ctx;
  const half = Math.floor(accounts.length / 2);
  const manufacturers = accounts.slice(0, half);
  const wholesalers = accounts.slice(half, 2 * half);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const until = head + 5_256_000;
  const registrations = [
    ...manufacturers.map((p) => [p, 'Manufacturer']),
    ...wholesalers.map((p) => [p, 'Wholesaler']),
  ].map(([pair, role]) => api.tx.drugProvenance.registerPartner(pair.address, role, stringToU8a(randomGln()), randomHash(), until));
  const sudoCalls = [];
  for (let i = 0; i < registrations.length; i += PARTNER_CHUNK) {
    sudoCalls.push({ tx: api.tx.sudo.sudo(api.tx.utility.batchAll(registrations.slice(i, i + PARTNER_CHUNK))), signer: alice });
  }
  await setupPhase(ctx, 'drug: licensing partners', sudoCalls);

  // Each batch holds enough packs for any run (one pack per dispatch); codes are not used.
  const packsPerBatch = PACKS_PER_BATCH;
  const gtins = manufacturers.map(() => randomGtin());
  const batchOf = new Map();
  await setupPhase(ctx, 'drug: products and batches', manufacturers.map((pair, m) => ({
    signer: pair,
    tx: api.tx.utility.batchAll([
      api.tx.drugProvenance.registerProduct(stringToU8a(gtins[m]), randomHash()),
      api.tx.drugProvenance.registerBatch(stringToU8a(gtins[m]), bytesParam(`B${randomBase32(9)}`), until, packsPerBatch,
        randomHash(), randomHash(), packsPerBatch),
    ]),
  })), {
    onEvent: (i, event) => {
      if (api.events.drugProvenance.BatchRegistered.is(event)) batchOf.set(i, event.data.batchId.toNumber());
    },
  });
  ctx.drug = { manufacturers, wholesalers, gtins, batchOf, until, transfers: [] };
  return ctx.drug;
}

/**
 * Each workload: `key`, `name` (the call), `available(api)`, optional `needs` (a workload whose
 * results it consumes), `prepare(ctx)` (setup before sampling), `sample(ctx)` (a representative
 * extrinsic for the cost query; default `make(ctx, 0)`), `prepareCount(ctx, n)` (setup that depends
 * on the count), `limit(ctx)` (most transactions possible), `make(ctx, i)` → `{ tx, signer }`
 * (`signer` null for unsigned), `onEvent(ctx, i, event)`.
 */
export const WORKLOADS = [
  {
    key: 'transfer',
    name: 'balances.transferKeepAlive',
    baseline: true,
    available: (api) => Boolean(api.tx.balances?.transferKeepAlive),
    make: (ctx, i) => {
      const from = ctx.accounts[i % ctx.accounts.length];
      const to = ctx.accounts[(i + 1) % ctx.accounts.length];
      return { tx: ctx.api.tx.balances.transferKeepAlive(to.address, MED / 1000n), signer: from };
    },
  },
  {
    key: 'addRecord',
    name: 'ehr.addRecord',
    available: (api) => Boolean(api.tx.ehr?.addRecord),
    // The patient adds a pointer to its own record (no provider grant needed).
    make: (ctx, i) => {
      const patient = ctx.accounts[i % ctx.accounts.length];
      return {
        tx: ctx.api.tx.ehr.addRecord(patient.address, TYPE_CODE, randomHash(), randomAsHex(96), 4096),
        signer: patient,
      };
    },
    onEvent: (ctx, i, event) => {
      if (!ctx.api.events.ehr.RecordAdded.is(event)) return;
      const patient = event.data.patient.toString();
      if (!ctx.records.has(patient)) ctx.records.set(patient, []);
      ctx.records.get(patient).push(event.data.recordId.toNumber());
    },
  },
  {
    key: 'logAccess',
    name: 'ehr.logAccess',
    needs: 'addRecord',
    available: (api) => Boolean(api.tx.ehr?.logAccess),
    limit: (ctx) => (ctx.records.size ? Infinity : 0),
    // The patient logs a read of its own record (basis Owner).
    make: (ctx, i) => {
      const patients = ctx.recordOwners ??= ctx.accounts.filter((p) => ctx.records.has(p.address));
      const patient = patients[i % patients.length];
      const ids = ctx.records.get(patient.address);
      return {
        tx: ctx.api.tx.ehr.logAccess(patient.address, ids[Math.floor(i / patients.length) % ids.length], 'Treatment'),
        signer: patient,
      };
    },
  },
  {
    key: 'dispatch',
    name: 'drugProvenance.dispatch',
    available: (api) => Boolean(api.tx.drugProvenance?.dispatch),
    prepare: drugSetup,
    // Manufacturer m ships one pack of its batch to wholesaler m.
    make: (ctx, i) => {
      const { manufacturers, wholesalers, batchOf } = ctx.drug;
      const m = i % manufacturers.length;
      return {
        tx: ctx.api.tx.drugProvenance.dispatch(batchOf.get(m), wholesalers[m].address, 1, randomHash()),
        signer: manufacturers[m],
      };
    },
    limit: (ctx) => ctx.drug.manufacturers.length * PACKS_PER_BATCH,
    onEvent: (ctx, i, event) => {
      if (!ctx.api.events.drugProvenance.Dispatched.is(event)) return;
      const { batchId, transferIndex, to } = event.data;
      ctx.drug.transfers.push({ batchId: batchId.toNumber(), transferIndex: transferIndex.toNumber(), to: to.toString() });
    },
  },
  {
    key: 'receive',
    name: 'drugProvenance.receive',
    needs: 'dispatch',
    available: (api) => Boolean(api.tx.drugProvenance?.receive),
    limit: (ctx) => ctx.drug?.transfers.length ?? 0,
    make: (ctx, i) => {
      const { batchId, transferIndex, to } = ctx.drug.transfers[i];
      return { tx: ctx.api.tx.drugProvenance.receive(batchId, transferIndex), signer: ctx.byAddress.get(to) };
    },
  },
  {
    key: 'verifyPack',
    name: 'drugProvenance.verifyPack',
    unsigned: true,
    available: (api) => Boolean(api.tx.drugProvenance?.verifyPack),
    prepare: drugSetup,
    // Cost only depends on the proof depth: 14 siblings (up to 16,384 packs).
    sample: (ctx) => ctx.api.tx.drugProvenance.verifyPack(0, bytesParam('SN0'), bytesParam('0'.repeat(16)), randomHash(),
      { index: 0, siblings: Array.from({ length: 14 }, randomHash) }, 404),
    // A batch of n packs by the first manufacturer; every pack is verified once (unsigned, free).
    prepareCount: async (ctx, n) => {
      const { api } = ctx;
      const { manufacturers, gtins, until } = ctx.drug;
      const codes = generateBatch(n);
      let batchId = null;
      await setupPhase(ctx, 'drug: batch of codes to verify', [{
        signer: manufacturers[0],
        tx: api.tx.drugProvenance.registerBatch(stringToU8a(gtins[0]), bytesParam(`V${randomBase32(9)}`), until, n,
          randomHash(), u8aToHex(codes.root), n),
      }], {
        onEvent: (i, event) => {
          if (api.events.drugProvenance.BatchRegistered.is(event)) batchId = event.data.batchId.toNumber();
        },
      });
      ctx.verify = { codes, batchId };
    },
    make: (ctx, i) => {
      const { codes, batchId } = ctx.verify;
      const pack = codes.packs[i];
      return {
        tx: ctx.api.tx.drugProvenance.verifyPack(batchId, bytesParam(pack.serial), bytesParam(pack.code), u8aToHex(pack.salt),
          proofArg(codes.proof(i)), 404),
        signer: null,
      };
    },
  },
  {
    key: 'mutualAidJoin',
    name: 'mutualAid.join',
    available: (api) => Boolean(api.tx.mutualAid?.join && api.tx.mutualAid.createPool && api.query.mutualAid?.pools),
    // The cost does not depend on the pool: sampled on the genesis pool 0.
    sample: (ctx) => ctx.api.tx.mutualAid.join(0).sign(ctx.accounts[0], { ...ctx.signOptions, nonce: 0 }),
    // Pools (Root, through sudo) with the rules of the genesis pool 0, as many as the run needs:
    // each account joins each pool once, at most `MaxMembersPerPool` members per pool.
    prepareCount: async (ctx, n) => {
      const { api, alice } = ctx;
      const genesisPool = await api.query.mutualAid.pools(0);
      if (genesisPool.isNone) throw new Error('mutualAid.join: no pool 0 to copy the rules of');
      const maxMembers = api.consts.mutualAid?.maxMembersPerPool ? num(api.consts.mutualAid.maxMembersPerPool) : 1000;
      const perPool = Math.min(ctx.accounts.length, maxMembers);
      const count = Math.ceil(n / perPool);
      const ids = [];
      await setupPhase(ctx, 'mutual aid: pools', [{
        signer: alice,
        tx: api.tx.sudo.sudo(api.tx.utility.batchAll(Array.from({ length: count }, () => api.tx.mutualAid.createPool(alice.address, genesisPool.unwrap().rules)))),
      }], { onEvent: (i, event) => { if (api.events.mutualAid.PoolCreated.is(event)) ids.push(num(event.data.poolId)); } });
      if (ids.length !== count) throw new Error(`mutualAid.join: ${ids.length} of ${count} pools created`);
      ctx.mutualAid = { ids, perPool };
    },
    make: (ctx, i) => {
      const { ids, perPool } = ctx.mutualAid;
      return { tx: ctx.api.tx.mutualAid.join(ids[Math.floor(i / perPool)]), signer: ctx.accounts[i % perPool] };
    },
  },
  {
    key: 'storagePowerHeartbeat',
    name: 'storagePower.heartbeat',
    available: (api) => Boolean(api.tx.storagePower?.heartbeat && api.tx.storagePower.registerProvider),
    prepare: storagePowerSetup,
    // One heartbeat per provider per heartbeat slot: at most one per account in a run.
    limit: (ctx) => ctx.accounts.length,
    make: (ctx, i) => ({ tx: ctx.api.tx.storagePower.heartbeat(), signer: ctx.accounts[i] }),
  },
  {
    key: 'storagePowerSubmitReport',
    name: 'storagePower.submitReport',
    available: (api) => Boolean(api.tx.storagePower?.submitReport && api.tx.storagePower.registerProvider && api.query.storagePower?.currentEra),
    prepare: async (ctx) => {
      await storagePowerSetup(ctx);
      ctx.storagePower.era = num(await ctx.api.query.storagePower.currentEra());
    },
    // One report per provider per era: at most one per account in a run (1 GiB used of 1 GiB).
    limit: (ctx) => ctx.accounts.length,
    make: (ctx, i) => ({
      tx: ctx.api.tx.storagePower.submitReport(ctx.storagePower.era, 1, 0, 4096, randomHash(), 1),
      signer: ctx.accounts[i],
    }),
  },
];

/** Every bench account registered as a storage provider of 1 GiB. Done once per chain. */
async function storagePowerSetup(ctx) {
  if (ctx.storagePower) return;
  const { api } = ctx;
  await setupPhase(ctx, 'storage power: providers', ctx.accounts.map((pair) => ({
    signer: pair, tx: api.tx.storagePower.registerProvider(1, randomHash()),
  })));
  ctx.storagePower = {};
}

function workloadListing() {
  return WORKLOADS.map((w) => `                       ${w.key.padEnd(26)} ${w.name}${w.needs ? ` (brings ${w.needs})` : ''}`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// One mode
// ---------------------------------------------------------------------------------------------

const num = (x) => (typeof x === 'number' ? x : Number(x.toString()));

/**
 * The cost of one extrinsic: its weight from `TransactionPaymentApi::query_info` (through the
 * node's `payment_queryInfo`: @polkadot/api 16's `api.call.transactionPaymentApi.queryInfo`
 * encodes the extrinsic in a way the runtime cannot decode) and its encoded length.
 */
async function extrinsicCost(api, tx) {
  const u8a = tx.toU8a();
  const info = await rpcCall(api, 'payment_queryInfo', [u8aToHex(u8a)]);
  const weight = info.weight;
  return { refTime: num(weight.ref_time ?? weight.refTime), proofSize: num(weight.proof_size ?? weight.proofSize), bytes: u8a.length, class: info.class };
}

/**
 * Starts a fresh node in `mode` ('aura' | 'instant'), connects, measures the client + RPC ceiling,
 * derives and funds the bench accounts (`funding` MED each). Returns the context every phase uses;
 * `closeChain(ctx)` stops it all.
 */
async function openChain(mode, options, log, { funding = FUNDING, txCap = options.txs ?? DEFAULTS.maxAutoTxs, basePath } = {}) {
  const instant = mode === 'instant';
  const node = await startNode([
    '--dev', ...(instant ? ['--sealing', 'instant'] : []),
    '--pool-limit', String(Math.max(8192, 3 * txCap)),
    '--pool-kbytes', String(Math.max(20480, Math.ceil((3 * txCap * 2048) / 1024))),
    '--rpc-max-connections', String(100 + options.connections),
    '--rpc-message-buffer-capacity-per-connection', String(Math.max(64, 4 * options.window)),
  ], { basePath });
  activeNode = node;
  const ctx = {
    mode, instant, options, node, setupTxs: 0, nonces: new Map(), records: new Map(), stallMs: instant ? 15_000 : 20_000, providers: [],
  };
  try {
    const { api } = await connect(node.wsUrl);
    ctx.api = api;
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
    ctx.runtime = `${api.runtimeVersion.specName} v${api.runtimeVersion.specVersion}`;
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
async function closeChain(ctx, log) {
  if (process.env.BENCH_NODE_LOG) writeFileSync(`${process.env.BENCH_NODE_LOG}.${ctx.mode}.log`, ctx.node.output());
  ctx.watcher?.stop();
  await Promise.all(ctx.providers.map((p) => p.disconnect().catch(() => {})));
  await ctx.api?.disconnect().catch(() => {});
  const { code } = await ctx.node.stop();
  activeNode = null;
  if (code !== 0) log(`(node exited with code ${code})`);
}

/** The throughput run of one mode: every selected workload on a fresh chain. */
async function runMode(mode, options, log) {
  const ctx = await openChain(mode, options, log);
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

function summarizeSubmit(submit, count) {
  return {
    count,
    seconds: round(submit.seconds, 3),
    perSecond: round(submit.perSecond, 1),
    clientCpuPercent: round(submit.clientCpu, 0),
    nodeCpuPercent: submit.nodeCpu === null ? null : round(submit.nodeCpu, 0),
  };
}

const round = (x, digits) => (x === null || x === undefined ? x : Number(x.toFixed(digits)));

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

/** What limited the steady window, from the proposer's end reasons and the supply of transactions. */
function boundBy(r, instant) {
  const ends = Object.entries(r.blockEnd).sort((a, b) => b[1] - a[1]);
  const [top] = ends[0] ?? ['unknown'];
  const names = {
    HitBlockWeightLimit: 'weight', HitBlockSizeLimit: 'length', HitDeadline: 'proposer time', TransactionForbidden: 'runtime',
  };
  if (names[top]) return names[top];
  if (top === 'NoMoreTransactions') {
    if (r.rejected > 0) return 'pool (refusals)';
    if (instant) return r.proposerBusy !== null && r.proposerBusy > 0.8 ? 'sealing (proposer busy)' : 'supply (client/pool)';
    return 'supply (client/pool)';
  }
  return 'unknown';
}

/** Re-reads the next nonce of `addresses` from the node (after refusals, lost transactions or a failure). */
async function resyncNonces(ctx, addresses) {
  for (const address of new Set(addresses)) {
    ctx.nonces.set(address, num(await ctx.api.rpc.system.accountNextIndex(address)));
  }
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

// ---------------------------------------------------------------------------------------------
// Scaling: RPC read latency against pallet size (issue 8, section 3)
// ---------------------------------------------------------------------------------------------

/** Calls per filler transaction (`utility.batchAll`) and the most records one filler patient gets. */
const FILL_CALLS_PER_TX = 100;
const FILL_RECORDS_PER_PATIENT = 500;

/** p50/p99 in ms of `samples` sequential calls of `method` (after ten warm-up calls). */
async function rpcLatency(api, method, params, samples) {
  for (let i = 0; i < 10; i++) await rpcCall(api, method, params);
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await rpcCall(api, method, params);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 0.5), 3), p99: round(percentile(ms, 0.99), 3) };
}

/**
 * On a fresh instant-seal chain: probe items (a patient with one record and one logged read, a drug
 * batch of 64 coded packs with two transfers) stay fixed while other accounts fill the pallets to
 * each size of `options.items` (EHR records; drug transfers); at each size every domain read RPC
 * the node serves is timed on the probe items.
 */
async function runScaling(options, log) {
  const ctx = await openChain('instant', options, log, { funding: 400n * MED, txCap: 20_000, basePath: options.keepDb });
  const { api } = ctx;
  try {
    if (!api.tx.ehr || !api.tx.drugProvenance) throw new Error('--rpc-latency needs the Ehr and DrugProvenance pallets');
    const served = new Set((await rpcCall(api, 'rpc_methods', [])).methods);
    const probe = ctx.accounts.at(-1);
    const fillers = ctx.accounts.slice(0, -1);
    let probeRecord = null;
    await setupPhase(ctx, 'ehr: probe record', [{
      signer: probe, tx: api.tx.ehr.addRecord(probe.address, TYPE_CODE, randomHash(), randomAsHex(96), 4096),
    }], { onEvent: (i, event) => { if (api.events.ehr.RecordAdded.is(event)) probeRecord = event.data.recordId.toNumber(); } });
    await setupPhase(ctx, 'ehr: probe read', [{ signer: probe, tx: api.tx.ehr.logAccess(probe.address, probeRecord, 'Treatment') }]);

    const drug = await drugSetup(ctx);
    const codes = generateBatch(64);
    const lot = `P${randomBase32(9)}`;
    let probeBatch = null;
    await setupPhase(ctx, 'drug: probe batch', [{
      signer: drug.manufacturers[0],
      tx: api.tx.drugProvenance.registerBatch(stringToU8a(drug.gtins[0]), bytesParam(lot), drug.until, 64, randomHash(), u8aToHex(codes.root), 64),
    }], { onEvent: (i, event) => { if (api.events.drugProvenance.BatchRegistered.is(event)) probeBatch = event.data.batchId.toNumber(); } });
    await setupPhase(ctx, 'drug: probe transfers', [1, 2].map(() => ({
      signer: drug.manufacturers[0], tx: api.tx.drugProvenance.dispatch(probeBatch, drug.wholesalers[0].address, 1, randomHash()),
    })));
    const pack = codes.packs[5];
    const probes = [
      ['ehr_records', [probe.address]],
      ['ehr_activeGrants', [probe.address]],
      ['ehr_accessLog', [probe.address, 0, 256]],
      ['ehr_canAccess', [probe.address, probeRecord, 'Read']],
      ['drug_batch', [drug.gtins[0], bytesParam(lot)]],
      ['drug_batchById', [probeBatch]],
      ['drug_trace', [probeBatch]],
      ['drug_holdings', [probeBatch]],
      ['drug_codeStatus', [probeBatch, u8aToHex(pack.leaf)]],
      ['drug_verifyPack', [probeBatch, bytesParam(pack.serial), bytesParam(pack.code), u8aToHex(pack.salt), proofArg(codes.proof(5))]],
      ['drug_recallStatus', [probeBatch]],
    ].filter(([method]) => served.has(method));

    const recordsOf = new Map();
    const levels = [];
    for (const size of options.items) {
      const t0 = performance.now();
      // EHR: filler patients add records for themselves, FILL_CALLS_PER_TX per transaction.
      const records = num(await api.query.ehr.nextRecordId());
      const room = fillers.length * FILL_RECORDS_PER_PATIENT - [...recordsOf.values()].reduce((a, b) => a + b, 0);
      if (size - records > room) throw new Error(`--items ${size}: ${fillers.length} accounts hold at most ${room} more records; raise --accounts`);
      const ehrCalls = [];
      for (let k = 0, p = 0; k < size - records; p = (p + 1) % fillers.length) {
        const patient = fillers[p];
        const left = FILL_RECORDS_PER_PATIENT - (recordsOf.get(patient.address) ?? 0);
        const count = Math.min(FILL_CALLS_PER_TX, left, size - records - k);
        if (count <= 0) continue;
        ehrCalls.push({
          signer: patient,
          tx: api.tx.utility.batchAll(Array.from({ length: count }, () => api.tx.ehr.addRecord(patient.address, TYPE_CODE, randomHash(), randomAsHex(96), 4096))),
        });
        recordsOf.set(patient.address, (recordsOf.get(patient.address) ?? 0) + count);
        k += count;
      }
      // Drug: every manufacturer but the probe's dispatches single packs of its batch.
      const batchIds = drug.manufacturers.map((_, m) => drug.batchOf.get(m));
      const batches = await api.query.drugProvenance.batches.multi(batchIds);
      let transfers = 2 + batches.reduce((sum, b) => sum + (b.isSome ? num(b.unwrap().transferCount) : 0), 0);
      const drugCalls = [];
      const shippers = drug.manufacturers.length - 1;
      const perShipper = Math.ceil(Math.max(0, size - transfers) / shippers);
      const packsLeft = Math.min(...batches.slice(1).map((b) => (b.isSome ? PACKS_PER_BATCH - num(b.unwrap().transferCount) : 0)));
      if (perShipper > packsLeft) throw new Error(`--items ${size}: ${shippers} manufacturers cannot ship that many transfers; raise --accounts`);
      for (let m = 1; m <= shippers && transfers < size; m++) {
        const count = Math.min(perShipper, size - transfers);
        for (let done = 0; done < count; done += FILL_CALLS_PER_TX) {
          drugCalls.push({
            signer: drug.manufacturers[m],
            tx: api.tx.utility.batchAll(Array.from({ length: Math.min(FILL_CALLS_PER_TX, count - done) },
              () => api.tx.drugProvenance.dispatch(drug.batchOf.get(m), drug.wholesalers[m].address, 1, randomHash()))),
          });
        }
        transfers += count;
      }
      if (ehrCalls.length + drugCalls.length) {
        // Events of 10⁵ calls are too many to decode here; the counts are read back instead.
        await setupPhase(ctx, `filling to ${size} items`, [...ehrCalls, ...drugCalls], { events: false });
      }
      const ehrItems = num(await api.query.ehr.nextRecordId());
      const after = await api.query.drugProvenance.batches.multi([...batchIds, probeBatch]);
      const drugItems = after.reduce((sum, b) => sum + (b.isSome ? num(b.unwrap().transferCount) : 0), 0);
      const fillSeconds = (performance.now() - t0) / 1000;
      log(`pallets filled to ${ehrItems} EHR records and ${drugItems} drug transfers (${fillSeconds.toFixed(1)} s); timing reads…`);
      const latency = {};
      for (const [method, params] of probes) latency[method] = await rpcLatency(api, method, params, DEFAULTS.rpcSamples);
      levels.push({ size, ehrRecords: ehrItems, drugTransfers: drugItems, fillSeconds: round(fillSeconds, 1), latency });
    }
    const footprint = { start: ctx.footprintStart, end: { ...processUsage(ctx.node.process.pid), dbKiB: diskUsageKiB(ctx.node.basePath) } };
    return { samples: DEFAULTS.rpcSamples, levels, footprint };
  } catch (error) {
    error.nodeLog ??= ctx.node.output().slice(-3000);
    throw error;
  } finally {
    await closeChain(ctx, log);
  }
}

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

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const pct = (x) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`);
const fixed = (x, d = 0) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));

function describeWorkload(r) {
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
  const header = ['workload', 'txs', 'incl', 'blk', 'tx/s', '×base', 'bound/blk', 'bound tx/s', 'achvd', 'wt%', 'len%', 'first→last', 'submit/s', 'rej', 'bound by'];
  const rows = modeResult.results.map((r) => {
    if (!r.available || r.skipped) return [r.workload, ...Array(header.length - 2).fill(''), r.skipped ?? 'not in runtime'];
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

const LEGEND = `tx/s: included per second over the steady window (blocks between the first and the last that hold
the workload; * = fewer than 3 blocks, whole span). ×base: ratio to balances.transferKeepAlive.
bound/blk: extrinsics per block allowed by the normal-class weight (W: ref_time, P: proof size) or
length (L), base extrinsic included; bound tx/s: per 6 s slot (Aura) or back-to-back blocks at the
declared weight (instant seal). achvd: tx/s ÷ bound. wt%/len%: mean block fullness in the window.
first→last: first submission to last inclusion. submit/s: pre-signed submissions the client got
answered per second. bound by: why the window's blocks ended (proposer log): weight, length,
proposer time (deadline), or supply (blocks ended with the pool empty: client or pool).`;

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

let activeNode = null;

async function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench-throughput: ${error.message}\nRun scripts/bench-throughput --help for the options.`);
    return 2;
  }
  if (options.help) {
    console.log(usage());
    return 0;
  }
  options.tag = randomTag();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    // Stop the node (and remove its base path) before leaving.
    process.on(signal, () => {
      (activeNode ? activeNode.stop() : Promise.resolve()).finally(() => process.exit(130));
    });
  }
  const log = (line) => console.log(line);
  const started = new Date();
  const modes = [];
  for (const mode of options.modes) modes.push(await runMode(mode, options, log));
  const scaling = options.rpcLatency ? await runScaling(options, log) : null;

  if (modes.length) console.log(`\n${modes.map(formatTable).join('\n\n')}\n\n${LEGEND}`);
  if (scaling) console.log(`\n${formatLatency(scaling)}`);
  if (options.json) {
    const report = {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null },
      options: { ...options, help: undefined },
      modes,
      scaling,
    };
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nfigures written to ${options.json}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`bench-throughput failed: ${process.env.BENCH_DEBUG ? error?.stack : (error?.message ?? error)}`);
      if (error?.nodeLog) console.error(`node log (last lines):\n${error.nodeLog}`);
      activeNode?.process.kill('SIGINT');
      process.exit(1);
    },
  );
}
