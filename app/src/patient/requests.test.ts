import { expect, test } from 'vitest';
import { Binary } from 'polkadot-api';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { termsHashOf } from './requests';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

test('the terms hash is blake2-256 of SCALE (scope, actions, purpose, duration), as the pallet hashes them', async () => {
  await cryptoWaitReady();
  // All = 0x00; read, no append = 0x01 0x00; Treatment = 0x00; 7 days of 6 s blocks = 100,800.
  const all = { scope: { type: 'All' as const }, actions: { read: true, append: false }, purpose: { type: 'Treatment' as const }, duration: 100_800 };
  expect(await termsHashOf(BOB, all)).toBe(blake2AsHex(new Uint8Array([0x00, 0x01, 0x00, 0x00, ...u32(100_800)]), 256));
  // Types = 0x01 with a compact-length list of byte strings; Research is the fourth purpose.
  const types = { scope: { type: 'Types' as const, value: [Binary.fromText('11502-2')] }, actions: { read: true, append: true }, purpose: { type: 'Research' as const }, duration: 1 };
  const code = [...new TextEncoder().encode('11502-2')];
  expect(await termsHashOf(BOB, types)).toBe(blake2AsHex(new Uint8Array([0x01, 0x04, code.length << 2, ...code, 0x01, 0x01, 0x03, ...u32(1)]), 256));
  // The patient is not part of the terms.
  expect(await termsHashOf('5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL', all)).toBe(await termsHashOf(BOB, all));
});
