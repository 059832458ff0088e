// A three-validator Medchain network on loopback (the `local` chain spec: Alice, Bob and Charlie
// author with Aura and vote with GRANDPA), whose nodes can be killed, stopped and restarted from
// their own base paths. Used by `scripts/localnet` and tests/e2e/localnet.test.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, freePort, nodeBinary } from './chain.mjs';

/** The validators of the `local` chain spec, in authority order. */
export const VALIDATORS = ['alice', 'bob', 'charlie'];

/**
 * The nodes a local network can run: the genesis validators and Dave, who starts as a plain node
 * with his dev keys and validates once the council adds him to the validator set.
 */
export const NODES = [...VALIDATORS, 'dave'];

/**
 * The fixed libp2p node key (ed25519 secret, 64 hex digits) of the `index`-th validator: 1, 2, 3.
 * Alice's (1) is the one README and docker/ use. Fixed keys keep each node's peer id across
 * restarts and let a validator start without `--unsafe-force-node-key-generation`. Dev keys:
 * never use them outside a test network.
 */
export function nodeKey(index) {
  return (index + 1).toString(16).padStart(64, '0');
}

/** The libp2p peer id of node key `key` (`medchain-node key inspect-node-key`). */
export function peerIdOf(key) {
  const result = spawnSync(nodeBinary(), ['key', 'inspect-node-key'], { input: key, encoding: 'utf8', timeout: 30_000 });
  const peerId = result.stdout?.trim();
  if (result.status !== 0 || !/^12D3KooW\w+$/.test(peerId ?? '')) {
    throw new Error(`key inspect-node-key failed (${result.status}): ${result.stderr}`);
  }
  return peerId;
}

/**
 * A local network of `validators` (default the three of genesis; `NODES` adds Dave) under `root` (default a new temporary
 * directory), each with base path `root/<name>` and fixed free loopback ports for RPC and p2p
 * (kept across restarts, so its ws URL does not change). Nothing runs until `start`.
 * `timeoutMs` bounds each start: every node compiles the runtime's Wasm before it serves RPC
 * (about 20 s of one core here), so four nodes starting at once on two cores need minutes.
 *
 * Returns an object with:
 * - `nodes`: `{ name: { name, basePath, rpcPort, p2pPort, wsUrl, peerId, instance } }`, where
 *   `instance` is the running `startNode` handle or null, and `logs` holds the output of every
 *   earlier run of that node;
 * - `start(name)`: starts (or restarts) the node from its base path, resolves when it serves RPC;
 * - `kill(name)`: `kill -9`, resolves with `{ code, signal }` once it is gone;
 * - `stop(name)`: SIGINT, resolves with `{ code, signal }` once it has exited;
 * - `startAll()`, `stopAll()` (each in parallel; `stopAll` resolves with `{ name: { code, signal } }`);
 * - `output(name)`: that node's log over all its runs;
 * - `remove()`: kills whatever still runs and deletes `root` (unless `root` was given).
 */
export async function createLocalnet({ root, validators = VALIDATORS, extraArgs = [], timeoutMs = 240_000 } = {}) {
  const ownRoot = root === undefined;
  const dir = root ?? mkdtempSync(join(tmpdir(), 'medchain-localnet-'));
  const nodes = {};
  for (const name of validators) {
    const index = NODES.indexOf(name);
    if (index < 0) throw new Error(`unknown node ${name}: a local network runs ${NODES.join(', ')}`);
    const key = nodeKey(index);
    const rpcPort = await freePort();
    let p2pPort = await freePort();
    while (p2pPort === rpcPort) p2pPort = await freePort();
    nodes[name] = {
      name,
      basePath: join(dir, name),
      rpcPort,
      p2pPort,
      wsUrl: `ws://127.0.0.1:${rpcPort}`,
      nodeKey: key,
      peerId: peerIdOf(key),
      instance: null,
      logs: [],
    };
    mkdirSync(nodes[name].basePath, { recursive: true });
  }
  // Everyone finds the network through Alice (the first validator given); no mDNS.
  const boot = nodes[validators[0]];
  const bootnode = `/ip4/127.0.0.1/tcp/${boot.p2pPort}/p2p/${boot.peerId}`;

  const argsOf = (node) => [
    '--chain', 'local',
    `--${node.name}`,
    '--node-key', node.nodeKey,
    ...(node === boot ? [] : ['--bootnodes', bootnode]),
    ...extraArgs,
  ];

  const nodeOf = (name) => {
    const node = nodes[name];
    if (!node) throw new Error(`no node ${name} in this localnet`);
    return node;
  };

  async function start(name) {
    const node = nodeOf(name);
    if (node.instance) throw new Error(`${name} is already running`);
    node.instance = await startNode(argsOf(node), {
      basePath: node.basePath, rpcPort: node.rpcPort, p2pPort: node.p2pPort, timeoutMs,
    });
    return node.instance;
  }

  async function halt(name, signal) {
    const node = nodeOf(name);
    const { instance } = node;
    if (!instance) throw new Error(`${name} is not running`);
    if (signal !== 'SIGINT') instance.process.kill(signal);
    const result = await instance.stop(); // SIGINT unless already gone; waits for the exit
    node.logs.push(instance.output());
    node.instance = null;
    return result;
  }

  return {
    root: dir,
    bootnode,
    nodes,
    start,
    kill: (name) => halt(name, 'SIGKILL'),
    stop: (name) => halt(name, 'SIGINT'),
    startAll: () => Promise.all(validators.map((name) => start(name))),
    async stopAll() {
      const running = validators.filter((name) => nodes[name].instance);
      const results = await Promise.all(running.map((name) => halt(name, 'SIGINT')));
      return Object.fromEntries(running.map((name, i) => [name, results[i]]));
    },
    output: (name) => [...nodeOf(name).logs, nodeOf(name).instance?.output() ?? ''].join(''),
    async remove() {
      await Promise.all(validators.filter((name) => nodes[name].instance).map((name) => halt(name, 'SIGKILL')));
      if (ownRoot) rmSync(dir, { recursive: true, force: true });
    },
  };
}
