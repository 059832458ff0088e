// What every pallet's integrator flow (scripts/*-flow.mjs) is made of besides its own steps: the
// error a flow throws when the chain surprises it, the checks before a run, the numbered step log,
// event and fee helpers, salted commitments, moving an instant-seal chain on, and the command line
// `[--ws URL]` that runs a flow against a node.
import { connect, devAccounts, submit, sudo, rpcMethods, blockNumberOf, bestNumber } from './chain.mjs';
import { UsageError, runIfMain } from './cli.mjs';

/** Thrown when the chain does something the flow does not expect. */
export class FlowError extends Error {}

/** Throws a `FlowError` with `message` unless `condition` holds. */
export function ensure(condition, message) {
  if (!condition) throw new FlowError(message);
}

/**
 * Throws a `FlowError` unless the runtime has the pallet `section` (named `pallet` in the
 * message) and the node serves every one of `methods` (the flow's RPC reads).
 */
export async function requirePallet(api, section, pallet, methods) {
  ensure(api.tx[section], `the runtime has no ${pallet} pallet (api.tx.${section} is missing)`);
  const served = await rpcMethods(api);
  const missing = methods.filter((m) => !served.includes(m));
  ensure(missing.length === 0, `the node does not serve the RPC methods ${missing.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Values: commitments, accounts and bytes from RPC JSON, stable JSON
// ---------------------------------------------------------------------------------------------

export { saltedCommitment, commitText } from './commitment.mjs';

/** An RPC account (SS58 string or hex) in the chain's SS58 form, for comparisons. */
export function normAccount(api, value) {
  return api.createType('AccountId32', value).toString();
}

/** A byte string from an RPC answer (0x-hex, in either case), in lower case; anything else throws. */
export function bytesHex(value) {
  if (typeof value === 'string' && /^0x([0-9a-f]{2})*$/i.test(value)) return value.toLowerCase();
  throw new FlowError(`expected 0x-hex bytes, got ${JSON.stringify(value)}`);
}

/** An address shortened for a log line: `5GrwvA…utQY`. */
export function shortAddress(address) {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** JSON of `value` with bigints as decimal strings: for comparing snapshots of state. */
export function stableJson(value) {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

// ---------------------------------------------------------------------------------------------
// Events and fees of an included transaction (a `submit` or `sudo` result)
// ---------------------------------------------------------------------------------------------

/** The fields of an event as plain JSON, keyed by their (camelCase) names. */
export function eventFields(event) {
  return Object.fromEntries(event.data.names.map((name, i) => [name, event.data[i].toJSON()]));
}

/** `[{ name, ...fields }]` of the events of pallet `section` (e.g. `drugProvenance`) among `events`. */
export function palletEvents(events, section) {
  return events
    .filter(({ event }) => event.section === section)
    .map(({ event }) => ({ name: event.method, ...eventFields(event) }));
}

/** `result` when its transaction succeeded; else throws `<what> failed: <section>.<name>`. */
export function succeeded(result, what) {
  if (result.dispatchError) {
    throw new FlowError(`${what} failed: ${result.dispatchError.section}.${result.dispatchError.name}`);
  }
  return result;
}

/** The first `section.name` event of `result` as `{ name, ...fields }`; throws when there is none. */
export function expectEvent(result, section, name, what) {
  const found = palletEvents(result.events, section).find((e) => e.name === name);
  if (!found) throw new FlowError(`${what}: no ${section}.${name} event`);
  return found;
}

/** The fee the transaction of `result` paid (`TransactionFeePaid`), in planck; 0 when none. */
export function feePaid(api, result) {
  return result.events
    .find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
    ?.event.data.actualFee.toBigInt() ?? 0n;
}

// ---------------------------------------------------------------------------------------------
// Moving an instant-seal chain on
// ---------------------------------------------------------------------------------------------

/** Submits a `system.remark` signed by `filler`: on an instant-seal chain, one more block. */
export async function remark(api, filler) {
  succeeded(await submit(api, api.tx.system.remark('0x'), filler), 'remark');
}

/**
 * Sends remarks signed by `filler` until the next transaction lands in block `block` or later;
 * resolves with how many it sent.
 */
export async function advanceTo(api, filler, block) {
  let sent = 0;
  while ((await bestNumber(api)) + 1 < block) {
    await remark(api, filler);
    sent += 1;
  }
  return sent;
}

// ---------------------------------------------------------------------------------------------
// The step log
// ---------------------------------------------------------------------------------------------

/** Events a step's log leaves out: fee bookkeeping (withdrawn, burned, refunded) and system. */
const quiet = (event) => ['transactionPayment', 'system'].includes(event.section)
  || (event.section === 'balances' && ['Withdraw', 'Deposit', 'BurnedDebt'].includes(event.method));

/**
 * The numbered step log of a flow whose pallet's events are `section` (e.g. `ehr`). `names` maps
 * addresses to the role names printed in their place (it may grow during the run); `sudoKey`
 * signs the Root steps. Returns:
 * - `steps`: every recorded step by key, `{ blockHash, events, dispatchError, blockNumber }`;
 * - `who(address)`: the role name of an address, else the address;
 * - `logStep(key, title, result)`: logs `[n] title — block #b, ok|FAILED section.name` and the
 *   step's events (fields with addresses named), stores and returns the step;
 * - `ok(key, title, tx, signer)`: submits, logs the step, throws unless it succeeded;
 * - `asRoot(key, title, call)`: the same for `call` dispatched as Root through `sudo`;
 * - `eventOf(step, method)`: the data of the step's first `section.method` event, or throws.
 */
export function stepLog(api, { log, names, section, sudoKey }) {
  const steps = {};
  let counter = 0;
  const who = (address) => names.get(address.toString()) ?? address.toString();
  const describe = (value) => {
    let text = JSON.stringify(value.toHuman());
    for (const [address, name] of names) text = text.split(address).join(name);
    return text;
  };
  const logStep = async (key, title, result) => {
    const blockNumber = await blockNumberOf(api, result.blockHash);
    const step = { ...result, blockNumber };
    steps[key] = step;
    counter += 1;
    const outcome = result.dispatchError ? `FAILED ${result.dispatchError.section}.${result.dispatchError.name}` : 'ok';
    log(`[${counter}] ${title} — block #${blockNumber}, ${outcome}`);
    for (const { event } of result.events) {
      if (quiet(event)) continue;
      const fields = event.data.names
        ? event.data.names.map((n, i) => `${n}: ${describe(event.data[i])}`).join(', ')
        : event.data.map((d) => describe(d)).join(', ');
      log(`      ${event.section}.${event.method}${fields ? ` { ${fields} }` : ''}`);
    }
    return step;
  };
  const logSuccess = async (key, title, result) => {
    const step = await logStep(key, title, result);
    ensure(!step.dispatchError, `${title}: unexpected ${step.dispatchError?.section}.${step.dispatchError?.name}`);
    return step;
  };
  return {
    steps,
    who,
    logStep,
    ok: async (key, title, tx, signer) => logSuccess(key, title, await submit(api, tx, signer)),
    asRoot: async (key, title, call) => logSuccess(key, title, await sudo(api, call, sudoKey)),
    eventOf: (step, method) => {
      const found = step.events.find(({ event }) => api.events[section][method].is(event));
      ensure(found, `${method} event missing in block #${step.blockNumber}`);
      return found.event.data;
    },
  };
}

/**
 * Logs the fresh accounts of a run: `heading`, then `  <role> <address>` for each of `roles`, the
 * role padded to `width`.
 */
export function logAccounts(log, heading, pairs, roles, width) {
  log(heading);
  for (const role of roles) log(`  ${role.padEnd(width)} ${pairs[role].address}`);
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

const DEFAULT_WS = 'ws://127.0.0.1:9944';

/**
 * `[--ws URL | --ws=URL] [-h | --help]`, with `bareUrl` also a bare `ws://` or `wss://` URL:
 * `{ ws, help }`, up to the first `--help`. Throws `UsageError` at the first argument it does not
 * know (`--ws` without a value included).
 */
export function parseWsArgs(argv, { bareUrl = false } = {}) {
  let ws = DEFAULT_WS;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--ws' && argv[i + 1]) ws = argv[(i += 1)];
    else if (arg.startsWith('--ws=')) ws = arg.slice('--ws='.length);
    else if (bareUrl && (arg.startsWith('ws://') || arg.startsWith('wss://'))) ws = arg;
    else if (arg === '--help' || arg === '-h') return { ws, help: true };
    else throw new UsageError(`unknown argument ${arg}`);
  }
  return { ws, help: false };
}

/**
 * Runs a flow script when `moduleUrl` is the script node was started with:
 * `node scripts/<script>.mjs [--ws URL]` connects to the node at URL (default
 * ws://127.0.0.1:9944), runs `run(api, devAccounts, log)` and disconnects. `style` is how the
 * script talks:
 * - `'full'` (EHR, DNA wallet, mutual aid): `Connected to <ws> (<chain>, spec <name> v<n>)`, at the
 *   end `completed`; every failure, a bad argument included, as `<script>: FAILED: <message>`
 *   with exit code 1. `bareUrl` accepts the URL without `--ws`.
 * - `'brief'` (drug provenance, storage power): checks first that the runtime has the pallet
 *   `pallet` (`{ section, name }`), `connected to <chain> at <ws>`, at the end `done`; a bad
 *   argument prints the usage and exits with 2, a failure `<label> failed: <message>` and 1.
 */
export function runFlowCli(moduleUrl, { script, run, style, completed, bareUrl = false, pallet, label }) {
  const brief = style === 'brief';
  const usage = `usage: node scripts/${script}.mjs [--ws ${DEFAULT_WS}]`;
  const main = async (argv) => {
    let options;
    try {
      options = parseWsArgs(argv, { bareUrl });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      if (brief) {
        console.error(`${error.message}; ${usage}`);
        return 2;
      }
      throw new FlowError(`${error.message} (usage: node scripts/${script}.mjs [--ws URL])`);
    }
    if (options.help) {
      console.log(usage);
      return 0;
    }
    const { ws } = options;
    let api;
    try {
      ({ api } = await connect(ws));
    } catch (error) {
      throw new FlowError(`cannot connect to ${ws}: ${error?.message ?? error}`);
    }
    try {
      if (brief) {
        if (!api.tx[pallet.section]) throw new FlowError(`the node at ${ws} has no ${pallet.name} pallet`);
        console.log(`connected to ${await api.rpc.system.chain()} at ${ws}`);
      } else {
        const chain = await api.rpc.system.chain();
        console.log(`Connected to ${ws} (${chain}, spec ${api.runtimeVersion.specName} v${api.runtimeVersion.specVersion})`);
      }
      await run(api, await devAccounts(), (line) => console.log(line));
      console.log(brief ? 'done' : completed);
      return 0;
    } finally {
      await api.disconnect();
    }
  };
  const fail = (error) => {
    if (brief) console.error(error instanceof FlowError ? `${label} failed: ${error.message}` : error);
    else console.error(`${script}: FAILED: ${error instanceof FlowError ? error.message : error.stack ?? error}`);
    return 1;
  };
  runIfMain(moduleUrl, main, fail);
}
