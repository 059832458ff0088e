// The harness's command line: its defaults, the --help text and the parsing of the flags into
// the options every run reads.
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../cli.mjs';
import { WORKLOADS } from './workloads.mjs';

/** The block-authoring modes, each measured on a fresh node: Aura (6 s slots) and instant seal. */
export const MODES = ['aura', 'instant'];
/** The defaults of the flags, and of what `--txs auto` picks (see `usage`). */
export const DEFAULTS = {
  accounts: 1000,
  instantTxs: 3000,
  minAutoTxs: 3000,
  maxAutoTxs: 32000,
  autoBlocks: 4,
  window: 256,
  connections: 2,
  items: [1000, 100_000],
  rpcSamples: 200,
};

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
  --import-check     after each mode, re-execute every workload's full blocks with the node's
                     \`benchmark block\` and report their execution time against their declared
                     weight (the node must have the \`benchmark\` subcommand: scripts/bench-production)
  --runtime FILE     run the chains with this runtime Wasm instead of the node's own, which must have
                     the same spec version (the node's --wasm-runtime-overrides): e.g. new weights
                     measured on a node built before them
  --json FILE        also write every figure as JSON to FILE
  -h, --help         this text

The node is the build of $MEDCHAIN_PROFILE: testnet (the default, ~/.cache/medchain/target/testnet/
medchain-node) or production (MEDCHAIN_PROFILE=production, what scripts/bench-production builds).
BENCH_NODE_LOG=PREFIX keeps each node's log in PREFIX.<mode>.log; BENCH_DEBUG=1 prints stack
traces of failures.`;

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
    rpcLatency: false, importCheck: false, runtime: null, items: [...DEFAULTS.items],
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
      case '--import-check': options.importCheck = true; break;
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
      case '--runtime': {
        options.runtime = resolve(take());
        if (!/\.wasm$/.test(options.runtime) || !existsSync(options.runtime)) throw new UsageError(`--runtime: no .wasm file at ${options.runtime}`);
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
  if (options.importCheck && !options.modes.length) throw new UsageError('--import-check checks the blocks of a throughput run: not with --modes none');
  if (options.keepDb && !options.rpcLatency) throw new UsageError('--keep-db keeps the --rpc-latency chain: add --rpc-latency');
  return options;
}

/** The workloads as the --help text lists them: key, call, and the workload a key brings along. */
function workloadListing() {
  return WORKLOADS.map((w) => `                       ${w.key.padEnd(26)} ${w.name}${w.needs ? ` (brings ${w.needs})` : ''}`).join('\n');
}

