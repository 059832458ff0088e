import { expect, test, vi } from 'vitest';
import { hexToU8a, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { commitAndKeep, keepCommitment, keptCommitments } from './commitments';
import { saltedCommitment } from '../../../scripts/lib/commitment.mjs';
import { createKeystore, KeystoreError } from '../keys/keystore';
import { memoryStorage } from '../keys/memory-storage';

// Each store set up here derives its key with the real argon2id: seconds, more on a busy machine.
vi.setConfig({ testTimeout: 60_000 });
const PASSPHRASE = 'lantern quietly orbits';

test('a kept commitment is the salted hash of its text, and the salt opens it later', async () => {
  await cryptoWaitReady();
  const storage = memoryStorage();
  await createKeystore('5Dave', PASSPHRASE, storage);
  const first = commitAndKeep('5Dave', 'suspect-evidence', 'carton print differs', storage);
  const second = commitAndKeep('5Dave', 'suspect-evidence', 'carton print differs', storage);
  expect(first).not.toBe(second); // a fresh salt each time: the same text is not recognisable
  const kept = keptCommitments('5Dave', storage);
  expect(kept.map((k) => [k.kind, k.text, k.commitment])).toEqual([['suspect-evidence', 'carton print differs', first], ['suspect-evidence', 'carton print differs', second]]);
  for (const k of kept) expect(saltedCommitment(hexToU8a(k.salt), stringToU8a(k.text))).toBe(k.commitment);
  expect([...storage.items.values()].join()).not.toContain('carton print');
  // Another account's store is its own, and not set up: nothing is kept for it.
  expect(() => keptCommitments('5Eve', storage)).toThrow(KeystoreError);
  expect(() => commitAndKeep('5Eve', 'suspect-evidence', 'carton print differs', storage)).toThrow(KeystoreError);
});

test('a commitment made otherwise is kept beside the others, with its text and salt', async () => {
  const storage = memoryStorage();
  await createKeystore('5Bob', PASSPHRASE, storage);
  commitAndKeep('5Bob', 'mutual-aid evidence pool 1', 'records 4', storage);
  const entry = { kind: 'mutual-aid condition pool 1', text: 'C', salt: `0x${'07'.repeat(32)}`, commitment: '0x2656', at: '2026-12-03T00:00:00.000Z' };
  expect(keepCommitment('5Bob', entry, storage)).toBe('0x2656');
  expect(keptCommitments('5Bob', storage).map((k) => k.kind)).toEqual(['mutual-aid evidence pool 1', 'mutual-aid condition pool 1']);
  expect(keptCommitments('5Bob', storage)[1]).toEqual(entry);
});
