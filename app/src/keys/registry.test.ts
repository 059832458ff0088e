import { expect, test } from 'vitest';
import { keyStateOf, type KeyView } from './registry';

const bytes = (fill: number) => new Uint8Array(32).fill(fill);
const key = (id: bigint, fill: number, change: Partial<KeyView> = {}): KeyView => ({ id, key_type: { type: 'X25519' }, public_key: bytes(fill), ...change });

test('no live key-agreement key: register one', () => {
  expect(keyStateOf([], bytes(1))).toEqual({ kind: 'missing' });
  expect(keyStateOf([key(0n, 1, { revoked_at: 5 }), key(1n, 2, { key_type: { type: 'P256' } })], bytes(1))).toEqual({ kind: 'missing' });
});

test('the newest live key is this browser\'s: nothing to do', () => {
  expect(keyStateOf([key(0n, 9), key(1n, 1)], bytes(1))).toEqual({ kind: 'current' });
});

test('the newest live key is another (a demo or older key): rotate it', () => {
  expect(keyStateOf([key(0n, 1), key(3n, 9)], bytes(1))).toEqual({ kind: 'other', replaces: 3n });
  expect(keyStateOf([key(4n, 9)], null)).toEqual({ kind: 'other', replaces: 4n });
});
