// Shared helpers for integrator scripts and end-to-end tests: start a medchain-node on free
// loopback ports, connect @polkadot/api, sign and wait for inclusion, stop the node cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady, randomAsU8a, xxhashAsHex } from '@polkadot/util-crypto';

const repoRoot = resolve(new URL('../..', import.meta.url).pathname);

/** Planck per MED, the chain's token (12 decimals). */
export const MED = 10n ** 12n;

/** Where the binary `name` is: the environment variable `variable`, else the `testnet` build. */
export function builtBinary(name, variable) {
  if (process.env[variable]) return process.env[variable];
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/medchain/target');
  const candidate = join(targetDir, 'testnet', name);
  if (existsSync(candidate)) return candidate;
  return join(repoRoot, 'target', 'testnet', name);
}

/** Where the node binary is: `MEDCHAIN_NODE`, else the `testnet` profile build. */
export function nodeBinary() {
  return builtBinary('medchain-node', 'MEDCHAIN_NODE');
}

/** Where the `medchain` command-line client is: `MEDCHAIN_CLI`, else the `testnet` profile build. */
export function cliBinary() {
  return builtBinary('medchain', 'MEDCHAIN_CLI');
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The kernel may refuse for a moment to seal the memfd that wasmtime copies the runtime's memory
 * image from (EBUSY while something else briefly holds one of its pages); the node then exits at
 * start, before it has written anything. Seen once in CI among hundreds of starts; a supervisor
 * starting it again is what an operator's node gets, so the tests do the same, a bounded number
 * of times, and fail on anything else.
 */
const TRANSIENT_START_FAILURE = /cannot add seals to the memfd: Device or resource busy/;
const NODE_START_ATTEMPTS = 3;

/**
 * Spawns the node with `flags` and waits until it serves RPC, exits or `timeoutMs` passes.
 * Returns `{ ready, failure, child, exited, log }`: `log()` is its output so far, `exited` the
 * promise of its `{ code, signal }`.
 */
async function launchNode(flags, timeoutMs) {
  const child = spawn(nodeBinary(), flags, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  const launched = { child, exited, log: () => output, ready: false, failure: undefined };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await exited;
      return { ...launched, failure: `medchain-node exited with ${child.exitCode} before serving RPC` };
    }
    if (/Running JSON-RPC server/.test(output)) return { ...launched, ready: true };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      return { ...launched, failure: `medchain-node did not serve RPC within ${timeoutMs} ms` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts `medchain-node` with a temporary base path on free loopback ports.
 * `args` are extra flags (e.g. `['--dev', '--sealing', 'instant']`).
 * Options: `basePath` (a given one is kept by `stop()`, so that a node can be restarted from
 * it), `rpcPort` and `p2pPort` (default: free ports), `timeoutMs` (until RPC is served).
 * Returns `{ wsUrl, basePath, rpcPort, p2pPort, process, output(), stop() }`; `stop()` sends
 * SIGINT, waits for the exit and returns `{ code, signal }`, then removes the base path unless
 * it was given.
 */
export async function startNode(args, { timeoutMs = 60_000, basePath: givenBasePath, rpcPort: givenRpcPort, p2pPort: givenP2pPort } = {}) {
  const basePath = givenBasePath ?? mkdtempSync(join(tmpdir(), 'medchain-e2e-'));
  const rpcPort = givenRpcPort ?? await freePort();
  const p2pPort = givenP2pPort ?? await freePort();
  const flags = [
    ...args,
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    // Unless `args` has them already (clap refuses a repeated flag).
    ...['--no-prometheus', '--no-telemetry', '--no-mdns'].filter((flag) => !args.includes(flag)),
  ];
  let started;
  for (let attempt = 1; ; attempt += 1) {
    started = await launchNode(flags, timeoutMs);
    if (started.ready) break;
    const retry = attempt < NODE_START_ATTEMPTS && TRANSIENT_START_FAILURE.test(started.log());
    if (!retry) {
      if (givenBasePath === undefined) rmSync(basePath, { recursive: true, force: true });
      throw new Error(`${started.failure}:\n${started.log().slice(-3000)}`);
    }
    process.stderr.write(`medchain-node start ${attempt} failed transiently (memfd seal refused), starting it again\n`);
  }
  const { child, exited, log } = started;
  const wsUrl = `ws://127.0.0.1:${rpcPort}`;
  return {
    wsUrl,
    basePath,
    rpcPort,
    p2pPort,
    process: child,
    output: log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(timer);
      if (givenBasePath === undefined) rmSync(basePath, { recursive: true, force: true });
      return result;
    },
  };
}

/**
 * Connects @polkadot/api to `wsUrl` and returns `{ api, warnings }`: every console warning or
 * log line @polkadot/api printed while decorating the metadata.
 */
export async function connect(wsUrl) {
  await cryptoWaitReady();
  const warnings = [];
  const original = { warn: console.warn, log: console.log, error: console.error };
  const capture = (...parts) => warnings.push(parts.map(String).join(' '));
  console.warn = capture;
  console.log = capture;
  console.error = capture;
  try {
    const api = await ApiPromise.create({ provider: new WsProvider(wsUrl, 1000), noInitWarn: false, throwOnConnect: true });
    await api.isReady;
    return { api, warnings };
  } finally {
    Object.assign(console, original);
  }
}

/** The development phrase the dev accounts derive from (`${DEV_PHRASE}//Alice` is Alice's secret URI). */
export { DEV_PHRASE } from '@polkadot/keyring';

/** The dev accounts (`//Alice`, `//Bob`, …) as sr25519 key pairs. */
export async function devAccounts() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  return Object.fromEntries(names.map((name) => [name.toLowerCase(), keyring.addFromUri(`//${name}`, { name })]));
}

/** The pool's answers when another sender of the same account (e.g. its vault) took the nonce. */
const NONCE_TAKEN = /^(1010: Invalid Transaction: Transaction is outdated|1014: Priority is too low)/;
const NONCE_RETRIES = 3;

/**
 * Submits `tx` signed by `signer` (or unsigned, with no fee, when `signer` is omitted) and
 * resolves once it is in a block with `{ blockHash, events, dispatchError }`; `dispatchError` is
 * `{ section, name }` or null. Rejects when the pool refuses the transaction, with the node's
 * error (e.g. `1010: Invalid Transaction: …`), or when its block's events cannot be read.
 * A signed transaction whose nonce another sender of the account used between signing and
 * sending (a provider's vault sends its heartbeats with the same key) is signed again with the
 * next nonce, a few times: nothing of this call was in the pool, so nothing runs twice.
 */
export async function submit(api, tx, signer) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await submitOnce(api, attempt === 0 ? tx : api.tx(tx.method), signer);
    } catch (error) {
      if (!signer || attempt >= NONCE_RETRIES || !NONCE_TAKEN.test(error.message)) throw error;
    }
  }
}

function submitOnce(api, tx, signer) {
  return new Promise((resolveTx, reject) => {
    let unsubscribe = () => {};
    const send = (callback) => (signer ? tx.signAndSend(signer, callback) : tx.send(callback));
    send(({ status, events, dispatchError, internalError }) => {
      if (status.isInBlock || status.isFinalized) {
        unsubscribe();
        const blockHash = status.isInBlock ? status.asInBlock : status.asFinalized;
        if (!internalError) {
          resolveTx({ blockHash, events, dispatchError: describeDispatchError(api, dispatchError) });
          return;
        }
        // polkadot.js could not read the block's events (it then reports none, which would read
        // as success): read them with the metadata of the runtime that made them.
        eventsOfTransaction(api, blockHash.toHex(), tx.hash.toHex()).then(
          (own) => resolveTx({ blockHash, ...own }),
          (error) => reject(new Error(`the events of the transaction's block could not be read: ${internalError.message}; ${error.message}`)),
        );
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsubscribe();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/**
 * `{ events, dispatchError }` of the transaction `txHash` in block `blockHash`, decoded with the
 * metadata of the runtime that executed the block (its parent's state holds it). polkadot.js
 * cannot read the events of a runtime upgrade's own block once it has seen the upgrade: it updates
 * its registry in place to the new runtime's metadata, whose type ids differ. `submit()` falls
 * back on this.
 */
export async function eventsOfTransaction(api, blockHash, txHash) {
  // The raw JSON of each call: nothing decoded with the api's registry.
  const { block } = await api.rpc.chain.getBlock.raw(blockHash);
  const index = block.extrinsics.findIndex((extrinsic) => blake2AsHex(extrinsic, 256) === txHash);
  if (index < 0) throw new Error(`transaction ${txHash} is not in block ${blockHash}`);
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, await api.rpc.state.getMetadata.raw(block.header.parentHash));
  registry.setMetadata(metadata);
  const eventsEntry = metadata.asLatest.pallets.find(({ name }) => name.eq('System'))
    .storage.unwrap().items.find(({ name }) => name.eq('Events'));
  const stored = await api.rpc.state.getStorage.raw(xxhashAsHex('System', 128) + xxhashAsHex('Events', 128).slice(2), blockHash);
  const records = registry.createType(registry.createLookupType(eventsEntry.type.asPlain), stored);
  const events = records.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.eqn(index));
  const failed = events.find(({ event }) => event.section === 'system' && event.method === 'ExtrinsicFailed');
  return { events, dispatchError: describeDispatchErrorIn(registry, failed?.event.data[0]) };
}

/** Resolves with the first header of `subscription` (e.g. 'subscribeFinalizedHeads') at or past `number`. */
export function waitForHead(api, subscription, number, timeoutMs = 60_000) {
  return new Promise((resolveHead, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => { unsubscribe(); reject(new Error(`${subscription} did not reach #${number} in ${timeoutMs} ms`)); }, timeoutMs);
    api.rpc.chain[subscription]((header) => {
      if (header.number.toNumber() >= number) {
        clearTimeout(timer);
        unsubscribe();
        resolveHead(header);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

// ----- Helpers shared by the pallet integrator scripts and the throughput harness.

/** `{ section, name }` for a `DispatchError` (module errors by pallet and error name), or null. */
export function describeDispatchError(api, dispatchError) {
  return describeDispatchErrorIn(api.registry, dispatchError);
}

function describeDispatchErrorIn(registry, dispatchError) {
  if (!dispatchError) return null;
  if (dispatchError.isModule) {
    const { section, name } = registry.findMetaError(dispatchError.asModule);
    return { section, name };
  }
  const kind = dispatchError.type;
  const inner = dispatchError[`as${kind}`];
  return { section: kind, name: inner?.type ?? dispatchError.toString() };
}

/** A short random hex tag (default 8 hex digits) to keep the accounts of one run apart. */
export function randomTag(bytes = 4) {
  return Buffer.from(randomAsU8a(bytes)).toString('hex');
}

/**
 * Fresh sr25519 key pairs derived from a dev seed, one per role:
 * `${base}//${label}/${tag}/${role}` (e.g. `//Alice//ehr/1a2b3c4d/hospital`). A new random `tag`
 * per run keeps repeated runs on the same chain (and genesis demo data) apart.
 * Returns `{ tag, pairs: { role: KeyringPair }, uris: { role: secret URI } }` (the URIs are
 * relative to the development phrase, as `Keyring.addFromUri` reads them).
 */
export async function freshAccounts(roles, { base = '//Alice', label = 'run', tag = randomTag() } = {}) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const uris = Object.fromEntries(roles.map((role) => [role, `${base}//${label}/${tag}/${role}`]));
  const pairs = Object.fromEntries(
    roles.map((role) => [role, keyring.addFromUri(uris[role], { name: `${label}/${tag}/${role}` })]),
  );
  return { tag, pairs, uris };
}

/**
 * Sends `amount` (planck, bigint) from `funder` to each of `targets` (key pairs or addresses) in one
 * `utility.batchAll` of `balances.transferKeepAlive`; throws unless it succeeded completely.
 * Returns the `submit` result.
 */
export async function fundAccounts(api, funder, targets, amount) {
  const addresses = targets.map((t) => (typeof t === 'string' ? t : t.address));
  const calls = addresses.map((address) => api.tx.balances.transferKeepAlive(address, amount));
  const result = await submit(api, api.tx.utility.batchAll(calls), funder);
  if (result.dispatchError) {
    throw new Error(`funding ${addresses.length} accounts failed: ${result.dispatchError.section}.${result.dispatchError.name}`);
  }
  const transfers = result.events.filter(({ event }) => api.events.balances.Transfer.is(event));
  if (transfers.length !== addresses.length) {
    throw new Error(`funding: expected ${addresses.length} Transfer events, got ${transfers.length}`);
  }
  return result;
}

/**
 * `freshAccounts` + `fundAccounts`: new key pairs for `roles`, each funded with `amount` by `funder`.
 * Returns `{ tag, pairs, uris, funding }`.
 */
export async function createFundedAccounts(api, funder, roles, amount, options = {}) {
  const { tag, pairs, uris } = await freshAccounts(roles, options);
  const funding = await fundAccounts(api, funder, Object.values(pairs), amount);
  return { tag, pairs, uris, funding };
}

/**
 * Dispatches `call` with Root origin through `sudo.sudo`, signed by the sudo key `sudoKey`.
 * Resolves like `submit`; `dispatchError` is the error of the sudo extrinsic itself or, when
 * that succeeded, the inner call's error from `sudo.Sudid { sudo_result: Err(..) }`.
 */
export async function sudo(api, call, sudoKey) {
  const result = await submit(api, api.tx.sudo.sudo(call), sudoKey);
  if (result.dispatchError) return result;
  const sudid = result.events.find(({ event }) => api.events.sudo.Sudid.is(event));
  if (!sudid) return { ...result, dispatchError: { section: 'sudo', name: 'NoSudidEvent' } };
  const sudoResult = sudid.event.data[0];
  if (sudoResult.isErr) return { ...result, dispatchError: describeDispatchError(api, sudoResult.asErr) };
  return result;
}

/**
 * Calls a JSON-RPC method by name with positional `params` over the API's own connection, with no
 * type definitions: the result is the method's plain JSON (e.g. `ehr_accessLog`).
 */
export function rpcCall(api, method, params = []) {
  return api._rpcCore.provider.send(method, params);
}

/** The JSON-RPC method names the node serves (`rpc_methods`). */
export async function rpcMethods(api) {
  const { methods } = await rpcCall(api, 'rpc_methods', []);
  return methods;
}

/** The number of the best block. */
export async function bestNumber(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/**
 * Resolves once the finalized head has reached the best block as it is now, so that whoever
 * reads at the finalized head (a vault asking the chain who may read) sees every transaction
 * already in a block. Instant seal finalizes each block, but a moment after import.
 */
export async function untilFinalized(api) {
  await waitForHead(api, 'subscribeFinalizedHeads', await bestNumber(api));
}

/**
 * A byte-vector argument (`Bytes`, `BoundedVec<u8>`) as hex, from a string (UTF-8) or bytes. Both
 * @polkadot/api and the RPC take hex as the raw bytes; @polkadot/api would read a bare Uint8Array
 * as already SCALE-encoded (length prefix first).
 */
export function bytesParam(value) {
  return u8aToHex(typeof value === 'string' ? stringToU8a(value) : value);
}

/** The number of the block with hash `blockHash`. */
export async function blockNumberOf(api, blockHash) {
  return (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
}

/** Free, reserved (all holds) and `{ 'Pallet.Reason': amount }` holds of `address`, as bigints. */
export async function balanceOf(api, address) {
  const { data } = await api.query.system.account(address);
  const holds = {};
  for (const { id, amount } of await api.query.balances.holds(address)) {
    const inner = id[`as${id.type}`];
    const key = inner?.type ? `${id.type}.${inner.type}` : id.type;
    holds[key] = (holds[key] ?? 0n) + amount.toBigInt();
  }
  return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt(), holds };
}

/**
 * Memory and CPU of the live process `pid` from /proc (Linux): `{ rssKiB, peakRssKiB, cpuSeconds }`
 * (VmRSS, VmHWM, user + system time). Null when /proc has no such process.
 */
export function processUsage(pid) {
  let status;
  let stat;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (clock ticks).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on every Linux architecture Node supports
  return {
    rssKiB: kib('VmRSS'),
    peakRssKiB: kib('VmHWM'),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
  };
}

/** Disk usage of `path` in KiB (`du -sk`), or null when it cannot be measured. */
export function diskUsageKiB(path) {
  const du = spawnSync('du', ['-sk', path], { encoding: 'utf8' });
  const kib = Number(/^(\d+)/.exec(du.stdout ?? '')?.[1]);
  return du.status === 0 && Number.isFinite(kib) ? kib : null;
}
