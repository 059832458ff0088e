#!/usr/bin/env node
// Throughput harness: starts a fresh medchain-node per block-authoring mode on loopback, pre-signs
// transactions for each workload from many dev-derived accounts and submits them as fast as the
// pool accepts, then reports what the chain included.
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
//
// The harness's parts are in scripts/lib/bench/: arguments (command line), workloads (what is
// measured), fresh-chain (a node per run), submission (pre-signing, sending, inclusion), figures
// (the arithmetic), throughput (one mode), latency (--rpc-latency) and report (tables and JSON).
import { randomTag } from './lib/chain.mjs';
import { UsageError, runIfMain } from './lib/cli.mjs';
import { parseArgs, usage } from './lib/bench/arguments.mjs';
import { runningNode, removeRuntimeOverride } from './lib/bench/fresh-chain.mjs';
import { runScaling } from './lib/bench/latency.mjs';
import { formatTable, formatLatency, LEGEND, writeJsonReport } from './lib/bench/report.mjs';
import { runMode } from './lib/bench/throughput.mjs';

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
      (runningNode() ? runningNode().stop() : Promise.resolve()).finally(() => {
        removeRuntimeOverride(options);
        process.exit(130);
      });
    });
  }
  const log = (line) => console.log(line);
  const started = new Date();
  const modes = [];
  let scaling;
  try {
    for (const mode of options.modes) modes.push(await runMode(mode, options, log));
    scaling = options.rpcLatency ? await runScaling(options, log) : null;
  } finally {
    removeRuntimeOverride(options);
  }

  if (modes.length) console.log(`\n${modes.map(formatTable).join('\n\n')}\n\n${LEGEND}`);
  if (scaling) console.log(`\n${formatLatency(scaling)}`);
  if (options.json) {
    writeJsonReport(options.json, { started, options, modes, scaling });
    console.log(`\nfigures written to ${options.json}`);
  }
  return 0;
}

runIfMain(import.meta.url, main, (error) => {
  console.error(`bench-throughput failed: ${process.env.BENCH_DEBUG ? error?.stack : (error?.message ?? error)}`);
  if (error?.nodeLog) console.error(`node log (last lines):\n${error.nodeLog}`);
  runningNode()?.process.kill('SIGINT');
  return 1;
});
