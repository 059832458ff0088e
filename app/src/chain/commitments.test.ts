import { expect, test } from 'vitest';
import { hexToU8a, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { commitAndKeep, keepCommitment, keptCommitments } from './commitments';
import { saltedCommitment } from '../../../scripts/lib/commitment.mjs';

const memoryStorage = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => { items.set(k, v); } };
};

test('a kept commitment is the salted hash of its text, and the salt opens it later', async () => {
  await cryptoWaitReady();
  const storage = memoryStorage();
  const first = commitAndKeep('5Dave', 'suspect-evidence', 'carton print differs', storage);
  const second = commitAndKeep('5Dave', 'suspect-evidence', 'carton print differs', storage);
  expect(first).not.toBe(second); // a fresh salt each time: the same text is not recognisable
  const kept = keptCommitments('5Dave', storage);
  expect(kept.map((k) => [k.kind, k.text, k.commitment])).toEqual([['suspect-evidence', 'carton print differs', first], ['suspect-evidence', 'carton print differs', second]]);
  for (const k of kept) expect(saltedCommitment(hexToU8a(k.salt), stringToU8a(k.text))).toBe(k.commitment);
  expect(keptCommitments('5Eve', storage)).toEqual([]);
});

test('a commitment made otherwise is kept beside the others, with its text and salt', () => {
  const storage = memoryStorage();
  commitAndKeep('5Bob', 'mutual-aid evidence pool 1', 'records 4', storage);
  const entry = { kind: 'mutual-aid condition pool 1', text: 'C', salt: `0x${'07'.repeat(32)}`, commitment: '0x2656', at: '2026-12-03T00:00:00.000Z' };
  expect(keepCommitment('5Bob', entry, storage)).toBe('0x2656');
  expect(keptCommitments('5Bob', storage).map((k) => k.kind)).toEqual(['mutual-aid evidence pool 1', 'mutual-aid condition pool 1']);
  expect(keptCommitments('5Bob', storage)[1]).toEqual(entry);
});
