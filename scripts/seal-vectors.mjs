#!/usr/bin/env node
// Writes the sealing format's shared vectors (tests/vectors/sealing-v1.json) from the JavaScript
// implementation; the Rust crate's tests check them. Run it when docs/sealing-v1.md changes.
//
//   node scripts/seal-vectors.mjs [OUT]
import { writeFile, rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runIfMain } from './lib/cli.mjs';
import { buildVectors } from './lib/seal-vectors.mjs';

const DEFAULT_OUT = fileURLToPath(new URL('../tests/vectors/sealing-v1.json', import.meta.url));

async function main(argv) {
  const out = argv[0] ?? DEFAULT_OUT;
  const text = `${JSON.stringify(await buildVectors(), null, 2)}\n`;
  await writeFile(`${out}.tmp`, text);
  await rename(`${out}.tmp`, out);
  console.log(`wrote ${out}`);
  return 0;
}

runIfMain(import.meta.url, main, (error) => {
  console.error(`seal-vectors: ${error.message}`);
  return 1;
});
