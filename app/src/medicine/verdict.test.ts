import { describe, expect, test } from 'vitest';
import { regionName, verdictOf, type CheckedBatch, type PackCheckSummary } from './verdict';

const batch = (effectiveStatus: CheckedBatch['effectiveStatus'], reachedDispenser = true): CheckedBatch => ({ id: 7, expiry: 50_000, effectiveStatus, reachedDispenser });
const verified = (firstVerifiedAt: number, alarms = 0): PackCheckSummary => ({
  kind: 'AlreadyVerified', record: { firstVerifiedAt, region: 404, firstVerifier: 'Public', alarms },
});

describe('verdictOf', () => {
  test('a genuine pack never checked is genuine, first check', () => {
    expect(verdictOf(batch('Active'), { kind: 'NotYetVerified', genuine: true })).toEqual({ kind: 'genuine-first', tone: 'good', verifiedAt: undefined });
  });
  test('the check this page recorded reads back as the first one', () => {
    expect(verdictOf(batch('Active'), verified(120), 120)).toEqual({ kind: 'genuine-first', tone: 'good', verifiedAt: 120 });
  });
  test('a pack verified before, by anyone, is already checked with when and where', () => {
    const verdict = verdictOf(batch('Active'), verified(80));
    expect(verdict.kind).toBe('already-checked');
    expect(verdict.tone).toBe('caution');
    expect(verdict.kind === 'already-checked' && verdict.record).toEqual({ firstVerifiedAt: 80, region: 404, firstVerifier: 'Public', alarms: 0 });
    // Our own check at 120 does not make an earlier first check ours.
    expect(verdictOf(batch('Active'), verified(80), 120).kind).toBe('already-checked');
  });
  test('the batch status comes before the pack: recalled, quarantined, expired, destroyed', () => {
    const fresh: PackCheckSummary = { kind: 'NotYetVerified', genuine: false };
    expect(verdictOf(batch('Recalled'), fresh)).toEqual({ kind: 'recalled', tone: 'danger' });
    expect(verdictOf(batch('Recalled'), verified(80)).kind).toBe('recalled');
    expect(verdictOf(batch('Quarantined'), undefined).kind).toBe('quarantined');
    expect(verdictOf(batch('Expired'), fresh)).toEqual({ kind: 'expired', tone: 'warning', expiry: 50_000 });
    expect(verdictOf(batch('Destroyed'), undefined).kind).toBe('destroyed');
    expect(verdictOf(batch('Retired'), undefined).kind).toBe('destroyed');
  });
  test('a code that proves nothing is a suspected counterfeit, even on a recalled batch', () => {
    expect(verdictOf(batch('Active'), { kind: 'Invalid' })).toEqual({ kind: 'counterfeit', tone: 'danger' });
    expect(verdictOf(batch('Recalled'), { kind: 'Invalid' }).kind).toBe('counterfeit');
  });
  test('no such batch is a suspected counterfeit', () => {
    expect(verdictOf(undefined, undefined)).toEqual({ kind: 'unknown-batch', tone: 'danger' });
    expect(verdictOf(batch('Active'), { kind: 'UnknownBatch' }).kind).toBe('unknown-batch');
  });
  test('a batch looked up without the pack\'s label is only the batch\'s answer', () => {
    expect(verdictOf(batch('Active'), undefined)).toEqual({ kind: 'genuine-batch', tone: 'good' });
  });
  test('a genuine pack of a batch no pharmacy has received yet left the supply chain', () => {
    const inTransit = batch('Active', false);
    expect(verdictOf(inTransit, { kind: 'NotYetVerified', genuine: true })).toEqual({ kind: 'not-at-pharmacy', tone: 'caution', verifiedAt: undefined });
    expect(verdictOf(inTransit, verified(120), 120)).toEqual({ kind: 'not-at-pharmacy', tone: 'caution', verifiedAt: 120 });
    expect(verdictOf(inTransit, undefined)).toEqual({ kind: 'not-at-pharmacy', tone: 'caution', verifiedAt: undefined });
    // Worse news still wins: a copy, a recall, a code that proves nothing.
    expect(verdictOf(inTransit, verified(80), 120).kind).toBe('already-checked');
    expect(verdictOf(batch('Recalled', false), undefined).kind).toBe('recalled');
    expect(verdictOf(inTransit, { kind: 'Invalid' }).kind).toBe('counterfeit');
  });
});

test('region names in the reader\'s language', () => {
  expect(regionName(404, 'en-GB')).toBe('Kenya');
  expect(regionName(156, 'zh-Hans-CN')).toBe('中国');
  expect(regionName(999, 'en-GB')).toBe('ISO 3166 999');
});
