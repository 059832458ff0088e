import { describe, expect, test } from 'vitest';
import { Binary } from 'polkadot-api';
import { patientsOf, requestArgs, retrying, type Entry, type RequestForm, type StoredBreakGlass, type StoredGrant } from './access';
import { scopeCovers } from '../patient/grants';

const ME = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy'; // Dave
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const FERDIE = '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL';
const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const grant = (change: Partial<StoredGrant> = {}): StoredGrant => ({
  scope: { type: 'All' }, actions: { read: true, append: false }, purpose: { type: 'Treatment' }, not_before: 0, expires_at: 2000, ...change,
});

describe('patientsOf', () => {
  test('lists the live grants to me and my break-glass accesses that still read, by patient', () => {
    const grants: Array<Entry<StoredGrant>> = [
      { keyArgs: [FERDIE, ME], value: grant({ reads_left: 3 }) },
      { keyArgs: [BOB, ME], value: grant({ actions: { read: false, append: true }, purpose: { type: 'Operations' } }) },
      { keyArgs: [BOB, EVE], value: grant() },
    ];
    const breakGlasses: Array<Entry<StoredBreakGlass>> = [{ keyArgs: [EVE, ME], value: { opened_at: 900, expires_at: 1100 } }];
    const reachable = patientsOf(ME, 1000, grants, breakGlasses);
    expect(reachable.map((p) => [p.patient, p.basis, p.read, p.append, p.purpose])).toEqual([
      [FERDIE, 'Grant', true, false, 'Treatment'],
      [BOB, 'Grant', false, true, 'Operations'],
      [EVE, 'BreakGlass', true, false, 'Emergency'],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(reachable.find((p) => p.patient === FERDIE)?.readsLeft).toBe(3);
  });
  test('leaves out grants not yet valid, expired, or out of reads without append; and ended break-glass', () => {
    const grants: Array<Entry<StoredGrant>> = [
      { keyArgs: [FERDIE, ME], value: grant({ not_before: 1001 }) },
      { keyArgs: [BOB, ME], value: grant({ expires_at: 1000 }) },
      { keyArgs: [EVE, ME], value: grant({ reads_left: 0 }) },
    ];
    expect(patientsOf(ME, 1000, grants, [{ keyArgs: [BOB, ME], value: { opened_at: 0, expires_at: 1000 } }])).toEqual([]);
    // Out of reads but allowed to append: still reachable, to append only.
    const appendOnly = patientsOf(ME, 1000, [{ keyArgs: [EVE, ME], value: grant({ reads_left: 0, actions: { read: true, append: true } }) }], []);
    expect(appendOnly.map((p) => [p.read, p.append])).toEqual([[false, true]]);
  });
});

test('a scope covers all records, records of its types, or its records', () => {
  expect(scopeCovers({ type: 'All' }, 7n, '11488-4')).toBe(true);
  expect(scopeCovers({ type: 'Types', value: [Binary.fromText('11488-4')] }, 7n, '11488-4')).toBe(true);
  expect(scopeCovers({ type: 'Types', value: [Binary.fromText('11526-1')] }, 7n, '11488-4')).toBe(false);
  expect(scopeCovers({ type: 'Records', value: [3n, 7n] }, 7n, '11488-4')).toBe(true);
  expect(scopeCovers({ type: 'Records', value: [3n] }, 7n, '11488-4')).toBe(false);
});

describe('requestArgs', () => {
  const form = (change: Partial<RequestForm> = {}): RequestForm => ({ patient: FERDIE, scope: 'All', scopeItems: '', read: true, append: false, purpose: 'Treatment', days: '30', ...change });
  test('a request for 30 days of reading is 432,000 blocks of 6 s from approval', () => {
    const checked = requestArgs(form(), ME, 6000);
    expect(checked).toEqual({
      ok: true,
      args: { patient: FERDIE, scope: { type: 'All', value: undefined }, actions: { read: true, append: false }, purpose: { type: 'Treatment', value: undefined }, duration: 432_000 },
    });
    const typed = requestArgs(form({ scope: 'Types', scopeItems: '11502-2', append: true, days: '1' }), ME, 6000);
    expect(typed.ok && typed.args.duration).toBe(14_400);
    expect(typed.ok && typed.args.actions).toEqual({ read: true, append: true });
  });
  test('says what to correct', () => {
    expect(requestArgs(form({ patient: 'nobody' }), ME, 6000)).toEqual({ ok: false, problem: 'patient.invalid.grantee' });
    expect(requestArgs(form({ patient: ME }), ME, 6000)).toEqual({ ok: false, problem: 'clinician.invalid.self' });
    expect(requestArgs(form({ read: false }), ME, 6000)).toEqual({ ok: false, problem: 'patient.invalid.actions' });
    expect(requestArgs(form({ scope: 'Records', scopeItems: 'x' }), ME, 6000)).toEqual({ ok: false, problem: 'patient.invalid.scope' });
    for (const days of ['', '0', '1.5', '4000']) expect(requestArgs(form({ days }), ME, 6000)).toEqual({ ok: false, problem: 'clinician.invalid.days' });
  });
});

describe('retrying', () => {
  const noSleep = async () => {};
  test('tries again while the error passes, then resolves', async () => {
    let calls = 0;
    const value = await retrying(async () => { calls += 1; if (calls < 3) throw new Error('not yet'); return 'opened'; }, () => true, { sleep: noSleep, intervalMs: 0 });
    expect([value, calls]).toEqual(['opened', 3]);
  });
  test('rejects at once on an error that does not pass, and at the deadline on one that does', async () => {
    let calls = 0;
    await expect(retrying(async () => { calls += 1; throw new Error('refused'); }, () => false, { sleep: noSleep })).rejects.toThrow('refused');
    expect(calls).toBe(1);
    await expect(retrying(async () => { throw new Error('still not'); }, () => true, { timeoutMs: 30, intervalMs: 10 })).rejects.toThrow('still not');
  });
});
