#!/usr/bin/env node
// Seal and open throughput of the JavaScript sealing module (scripts/lib/seal.mjs) on one core,
// next to the raw XChaCha20-Poly1305 of the same library in the same run, and envelopes per
// second. Prints figures; asserts nothing about time.
//
//   node scripts/bench-seal.mjs [SIZE_MIB...]        (default: 1 256)
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { UsageError, runIfMain } from './lib/cli.mjs';
import { CHUNK_LEN, contentId, keyAgreementFromMiniSecret, open, sealWith, unwrapKey, wrapKey } from './lib/seal.mjs';

const MIB = 1024 * 1024;

/** Runs `work` until a second has passed (at least twice); the mean seconds per run. */
async function timeIt(work) {
  const started = performance.now();
  let runs = 0;
  while (runs < 2 || performance.now() - started < 1000) {
    await work();
    runs += 1;
  }
  return (performance.now() - started) / 1000 / runs;
}

async function main(argv) {
  const sizes = argv.length ? argv.map(Number) : [1, 256];
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new UsageError('SIZE_MIB must be positive whole numbers of MiB');
  }
  const key = new Uint8Array(32).fill(0x42);
  const [prefix, salt, nonce] = [new Uint8Array(19).fill(7), new Uint8Array(32).fill(9), new Uint8Array(24).fill(7)];
  console.log('scripts/lib/seal.mjs throughput, one core (MiB/s; ratio = against raw XChaCha20-Poly1305 of @noble/ciphers)');
  console.log(`${'size'.padStart(9)}  ${'raw'.padStart(8)}  ${'seal'.padStart(8)} ${'ratio'.padStart(6)}  ${'open'.padStart(8)} ${'ratio'.padStart(6)}  ${'content id'.padStart(10)}`);
  for (const mib of sizes) {
    const content = Uint8Array.from({ length: mib * MIB }, (_, i) => i % 251);
    const raw = await timeIt(() => {
      for (let at = 0; at < content.length; at += CHUNK_LEN) {
        xchacha20poly1305(key, nonce).encrypt(content.subarray(at, at + CHUNK_LEN));
      }
    });
    let object;
    const sealing = await timeIt(() => { object = sealWith(key, prefix, salt, content); });
    const opening = await timeIt(() => open(key, object));
    const naming = await timeIt(() => contentId(object));
    const rate = (seconds, bytes = content.length) => bytes / MIB / seconds;
    console.log(`${String(mib).padStart(5)} MiB  ${rate(raw).toFixed(0).padStart(8)}  ${rate(sealing).toFixed(0).padStart(8)} ${(raw / sealing).toFixed(2).padStart(6)}  ${rate(opening).toFixed(0).padStart(8)} ${(raw / opening).toFixed(2).padStart(6)}  ${rate(naming, object.length).toFixed(0).padStart(10)}`);
  }
  const recipient = await keyAgreementFromMiniSecret(new Uint8Array(32).fill(1), '//bench');
  const context = { genesisHash: new Uint8Array(32).fill(1), contentId: new Uint8Array(32).fill(2), keyVersion: 0, recipient: new Uint8Array(32).fill(3) };
  let envelope;
  const wrapping = await timeIt(async () => { envelope = await wrapKey(key, recipient.publicKey, context); });
  const unwrapping = await timeIt(() => unwrapKey(envelope, recipient, context));
  console.log(`envelopes: wrap ${(1 / wrapping).toFixed(0)}/s, unwrap ${(1 / unwrapping).toFixed(0)}/s`);
  return 0;
}

runIfMain(import.meta.url, main, (error) => {
  console.error(`bench-seal: ${error.message}`);
  return error instanceof UsageError ? 2 : 1;
});
