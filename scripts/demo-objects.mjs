#!/usr/bin/env node
// The development preset's demo records as real sealed objects (scripts/lib/demo-objects.mjs).
//
//   node scripts/demo-objects.mjs --write [OUT]     # regenerate runtime/src/genesis_demo.json
//   node scripts/demo-objects.mjs --vault URL       # put the objects in the vault at URL
//
// `--vault` uploads each object signed by its uploader (Charlie the note he issued, Bob his
// genome), so that the vault serves them under the chain's rules; scripts/dev-node runs it. Run
// `--write` when the demo contents or docs/sealing-v1.md change.
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { UsageError, runIfMain } from './lib/cli.mjs';
import { genesisDemo, putDemoObjects } from './lib/demo-objects.mjs';

const DEFAULT_OUT = fileURLToPath(new URL('../runtime/src/genesis_demo.json', import.meta.url));

async function main([command, target]) {
  if (command === '--write') {
    const out = target ?? DEFAULT_OUT;
    await writeFile(`${out}.tmp`, `${JSON.stringify(await genesisDemo(), null, 2)}\n`);
    await rename(`${out}.tmp`, out);
    console.log(`wrote ${out}`);
  } else if (command === '--vault' && target) {
    await untilHealthy(target);
    for (const line of await putDemoObjects(target)) console.log(line);
  } else {
    throw new UsageError('usage: node scripts/demo-objects.mjs --write [OUT] | --vault URL');
  }
  return 0;
}

/** Waits up to a minute for the vault at `url` to answer (scripts/dev-node starts it alongside). */
async function untilHealthy(url) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await fetch(`${url}/health`).then((response) => response.status, (error) => error.message);
    if (answer === 200) return;
    if (Date.now() > deadline) throw new Error(`the vault at ${url} did not answer within a minute (${answer})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

runIfMain(import.meta.url, main, (error) => {
  console.error(`demo-objects: ${error.message}`);
  return error instanceof UsageError ? 2 : 1;
});
