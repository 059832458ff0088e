import { expect, test } from 'vitest';
import { canVerifyPack, reachedDispenser, summarisePackCheck, type TrailHop } from './check';

test('the runtime API\'s pack check, as polkadot-api decodes it, reduced for the verdict', () => {
  expect(summarisePackCheck({ type: 'NotYetVerified', value: { leaf: '0x01', verdict: { type: 'Genuine', value: undefined } } }))
    .toEqual({ kind: 'NotYetVerified', genuine: true });
  expect(summarisePackCheck({ type: 'NotYetVerified', value: { leaf: '0x01', verdict: { type: 'DoNotUse', value: { reason: { type: 'Recalled' } } } } }))
    .toEqual({ kind: 'NotYetVerified', genuine: false });
  expect(summarisePackCheck({
    type: 'AlreadyVerified',
    value: { leaf: '0x01', record: { first_verified_at: 42, region: 404, first_verifier: { type: 'LicensedPartner' }, alarms: 2, last_alarm_at: 50 }, verdict: { type: 'Genuine' } },
  })).toEqual({ kind: 'AlreadyVerified', record: { firstVerifiedAt: 42, region: 404, firstVerifier: 'LicensedPartner', alarms: 2 } });
  expect(summarisePackCheck({ type: 'Invalid' })).toEqual({ kind: 'Invalid' });
  expect(summarisePackCheck({ type: 'UnknownBatch' })).toEqual({ kind: 'UnknownBatch' });
  expect(summarisePackCheck({ type: 'BatchRetired' })).toEqual({ kind: 'BatchRetired' });
});

test('a pack can be verified only with serial, scratch code, salt and proof', () => {
  const full = { gtin: '00000000000017', lot: 'L', serial: 'S', code: 'C', salt: new Uint8Array(32), proof: { index: 0, siblings: [] } };
  expect(canVerifyPack(full)).toBe(true);
  expect(canVerifyPack({ ...full, code: undefined })).toBe(false);
  expect(canVerifyPack({ gtin: full.gtin, lot: 'L' })).toBe(false);
});

test('a batch reached a dispenser only when a pharmacy or hospital received a shipment of it', () => {
  const hop = (to: string, state: TrailHop['state']): TrailHop => ({ index: 0, from: 'maker', to, quantity: 10, dispatchedAt: 5, state });
  const roles = { maker: 'Manufacturer', trader: 'Wholesaler', pharmacy: 'Dispenser' };
  expect(reachedDispenser([], roles)).toBe(false);
  expect(reachedDispenser([hop('trader', { kind: 'Received', at: 6 })], roles)).toBe(false);
  expect(reachedDispenser([hop('pharmacy', { kind: 'Pending' })], roles)).toBe(false);
  expect(reachedDispenser([hop('pharmacy', { kind: 'Rejected', at: 7 })], roles)).toBe(false);
  expect(reachedDispenser([hop('trader', { kind: 'Received', at: 6 }), hop('pharmacy', { kind: 'Received', at: 8 })], roles)).toBe(true);
});
