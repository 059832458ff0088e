import { describe, expect, test } from 'vitest';
import { grantArgs, type GrantForm } from './grants';

const head = { number: 1000, timestampMs: Date.UTC(2026, 11, 2, 12, 0, 0) };
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const form = (change: Partial<GrantForm> = {}): GrantForm => ({
  grantee: BOB, scope: 'All', scopeItems: '', read: true, append: false, purpose: 'Treatment', expiry: '2026-12-10', maxReads: '', ...change,
});

describe('grantArgs', () => {
  test('a read grant of everything until a date, from now, without a read limit', () => {
    const checked = grantArgs(form(), head, 6000);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.args.grantee).toBe(BOB);
    expect(checked.args.scope).toEqual({ type: 'All', value: undefined });
    expect(checked.args.actions).toEqual({ read: true, append: false });
    expect(checked.args.purpose).toEqual({ type: 'Treatment', value: undefined });
    expect(checked.args.not_before).toBe(1000);
    expect(checked.args.max_reads).toBeUndefined();
    // Midnight local time on 10 December, at least 7 days of 14,400 blocks ahead.
    expect(checked.args.expires_at).toBeGreaterThan(1000 + 7 * 14_400);
    expect(checked.args.expires_at).toBeLessThan(1000 + 9 * 14_400);
  });
  test('scopes by type code or by record id, and a read limit', () => {
    const types = grantArgs(form({ scope: 'Types', scopeItems: '11488-4, 11526-1', maxReads: '3' }), head, 6000);
    expect(types.ok && types.args.scope.type).toBe('Types');
    expect(types.ok && (types.args.scope.value as Uint8Array[]).map((b) => new TextDecoder().decode(b))).toEqual(['11488-4', '11526-1']);
    expect(types.ok && types.args.max_reads).toBe(3);
    const records = grantArgs(form({ scope: 'Records', scopeItems: '4,19' }), head, 6000);
    expect(records.ok && records.args.scope).toEqual({ type: 'Records', value: [4n, 19n] });
  });
  test('says what to correct', () => {
    expect(grantArgs(form({ grantee: '5Fnot-an-address' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.grantee' });
    expect(grantArgs(form({ read: false }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.actions' });
    expect(grantArgs(form({ expiry: '2026-11-30' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.expiry' });
    expect(grantArgs(form({ expiry: '' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.expiry' });
    expect(grantArgs(form({ scope: 'Types' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.scope' });
    expect(grantArgs(form({ scope: 'Records', scopeItems: 'x' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.scope' });
    expect(grantArgs(form({ maxReads: '0' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.reads' });
    expect(grantArgs(form({ maxReads: '2.5' }), head, 6000)).toEqual({ ok: false, problem: 'patient.invalid.reads' });
  });
});
