#!/usr/bin/env node
// Serves the built app on 127.0.0.1 (scripts/lib/app-server.mjs) for a node and a vault:
//
//   node scripts/serve-app.mjs [--port 8710] [--node ws://127.0.0.1:9944] [--vault http://127.0.0.1:8700]
//
// Prints the app's URL; Ctrl-C stops it. scripts/dev-node runs it after building the app.
import { parseArgs } from 'node:util';
import { runIfMain, UsageError } from './lib/cli.mjs';
import { serveApp } from './lib/app-server.mjs';

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8710' },
        node: { type: 'string', default: 'ws://127.0.0.1:9944' },
        vault: { type: 'string', default: 'http://127.0.0.1:8700' },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  const app = await serveApp({ nodeUrl: values.node, vaultUrl: values.vault, port: Number(values.port) });
  console.log(`Medchain app: ${app.url} (node ${values.node}, vault ${values.vault})`);
  const stop = () => app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

runIfMain(import.meta.url, main, (error) => {
  console.error(error instanceof UsageError
    ? `${error.message}; usage: node scripts/serve-app.mjs [--port 8710] [--node URL] [--vault URL]`
    : `serve-app: ${error.message}`);
  return error instanceof UsageError ? 2 : 1;
});
