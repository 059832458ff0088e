#!/usr/bin/env node
// Runs a three-validator local network (the `local` chain spec: Alice, Bob and Charlie author
// with Aura and vote with GRANDPA) on free 127.0.0.1 ports, each node with its own base path and
// its dev session keys (`--alice` etc.), Alice with a fixed node key as the bootnode (no mDNS).
// Prints the ws URLs, then each node's best and finalized block as they move; Ctrl-C stops all
// three cleanly (SIGINT) and reports their exit codes.
//
//   scripts/localnet [--no-build] [--base-path DIR]
//
// Without --base-path the chain lives in a temporary directory that is removed on exit; with it,
// the nodes use DIR/alice, DIR/bob and DIR/charlie and keep them, so a second run resumes the chain.
import { resolve } from 'node:path';
import { connect } from './lib/chain.mjs';
import { UsageError, runIfMain } from './lib/cli.mjs';
import { createLocalnet, VALIDATORS } from './lib/localnet.mjs';

export const usage = () => `usage: scripts/localnet [--no-build] [--base-path DIR]

Starts Alice, Bob and Charlie from \`medchain-node --chain local\` on free 127.0.0.1 ports and
prints their ws URLs; Ctrl-C stops them cleanly.
  --base-path DIR  keep the nodes' databases in DIR/<name> (default: a temporary directory,
                   removed on exit); an existing DIR resumes its chain
  --no-build       (scripts/localnet only) skip the setup and the build`;

export function parseArgs(argv) {
  const options = { basePath: undefined, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--no-build') continue;
    else if (arg === '--base-path') {
      if (!argv[i + 1]) throw new UsageError('--base-path needs a directory');
      options.basePath = resolve(argv[i + 1]);
      i += 1;
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  return options;
}

async function main(argv) {
  const options = parseArgs(argv);
  if (options.help) {
    console.log(usage());
    return;
  }
  const net = await createLocalnet({ root: options.basePath });
  const apis = [];
  let stopping = null;
  const shutdown = async () => {
    stopping ??= (async () => {
      console.log('\nstopping the network (SIGINT to each node)…');
      await Promise.all(apis.map((api) => api.disconnect().catch(() => {})));
      const results = await net.stopAll();
      for (const [name, { code, signal }] of Object.entries(results)) {
        console.log(`  ${name}: exit code ${code}${signal ? ` (signal ${signal})` : ''}`);
      }
      await net.remove();
      process.exit(Object.values(results).every(({ code }) => code === 0) ? 0 : 1);
    })();
    return stopping;
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    await net.startAll();
  } catch (error) {
    console.error(`a node did not start: ${error.message}`);
    await net.remove();
    process.exit(1);
  }
  console.log(`Medchain local network (chain spec \`local\`), base path ${net.root}`);
  for (const name of VALIDATORS) {
    const { wsUrl, p2pPort, peerId, basePath } = net.nodes[name];
    console.log(`  ${name.padEnd(8)} ${wsUrl}   p2p /ip4/127.0.0.1/tcp/${p2pPort}/p2p/${peerId}   ${basePath}`);
  }
  console.log(`polkadot.js Apps: https://polkadot.js.org/apps/?rpc=${encodeURIComponent(net.nodes.alice.wsUrl)}`);
  console.log('Ctrl-C stops all three.\n');

  // A status line when the heads have changed (at most one a second): each node's best and
  // finalized block.
  const heads = Object.fromEntries(VALIDATORS.map((name) => [name, { best: '-', finalized: '-' }]));
  let last = '';
  let pending = null;
  const print = () => {
    pending ??= setTimeout(() => {
      pending = null;
      const line = VALIDATORS.map((name) => `${name} #${heads[name].best} (finalized #${heads[name].finalized})`).join('   ');
      if (line !== last && !stopping) console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`);
      last = line;
    }, 1000);
  };
  for (const name of VALIDATORS) {
    const { api } = await connect(net.nodes[name].wsUrl);
    apis.push(api);
    await api.rpc.chain.subscribeNewHeads((h) => { heads[name].best = h.number.toNumber(); print(); });
    await api.rpc.chain.subscribeFinalizedHeads((h) => { heads[name].finalized = h.number.toNumber(); print(); });
  }
}

// `main` returns nothing: the nodes run until Ctrl-C, and the shutdown handler sets the exit code.
runIfMain(import.meta.url, main, (error) => {
  if (error instanceof UsageError) {
    console.error(`localnet: ${error.message}\n${usage()}`);
    return 2;
  }
  console.error(error);
  return 1;
});
