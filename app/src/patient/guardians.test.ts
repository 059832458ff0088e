import { describe, expect, test } from 'vitest';
import { canApprove, guardiansArgs, proposalItem } from './guardians';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const FERDIE = '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL';
// Ferdie's key under the Kusama prefix: the same account written another way.
const FERDIE_KUSAMA = 'DE14BzQ1bDXWPKeLoAqdLAm1GpyAWaWF1knF74cEZeomTBM';

describe('guardiansArgs', () => {
  test('lists the guardians with a threshold from one to their number', () => {
    expect(guardiansArgs(BOB, [DAVE, ` ${EVE} `, ''], '2', 5)).toEqual({ ok: true, args: { guardians: [DAVE, EVE], threshold: 2 } });
  });
  test('names what to correct before anything is signed', () => {
    expect(guardiansArgs(BOB, [], '1', 5)).toEqual({ ok: false, problem: 'guardians.invalid.none' });
    expect(guardiansArgs(BOB, [DAVE, EVE, FERDIE], '1', 2)).toEqual({ ok: false, problem: 'guardians.invalid.tooMany' });
    expect(guardiansArgs(BOB, [DAVE, 'not an address'], '1', 5)).toEqual({ ok: false, problem: 'patient.invalid.grantee' });
    expect(guardiansArgs(BOB, [DAVE, BOB], '1', 5)).toEqual({ ok: false, problem: 'guardians.invalid.self' });
    expect(guardiansArgs(BOB, [FERDIE, FERDIE_KUSAMA], '1', 5)).toEqual({ ok: false, problem: 'guardians.invalid.twice' });
    for (const threshold of ['0', '3', '1.5', '', 'two']) {
      expect(guardiansArgs(BOB, [DAVE, EVE], threshold, 5)).toEqual({ ok: false, problem: 'guardians.invalid.threshold' });
    }
  });
});

describe('proposals', () => {
  const grant = {
    action: { type: 'Grant', value: { grantee: DAVE, scope: { type: 'All', value: undefined }, actions: { read: true, append: false }, purpose: { type: 'Treatment', value: undefined }, not_before: 0, expires_at: 900, max_reads: undefined } },
    proposer: EVE, approvals: [EVE], created_at: 100,
  };
  test('a proposal reads as its action, with the block its approvals lapse at', () => {
    const item = proposalItem(BOB, '0x01', grant, 50);
    expect(item.action).toEqual({ kind: 'Grant', grantee: DAVE, purpose: 'Treatment', expiresAt: 900 });
    expect(item.lapsesAt).toBe(150);
    expect(item.arg).toBe(grant.action);
    expect(proposalItem(BOB, '0x02', { ...grant, action: { type: 'Revoke', value: { grantee: DAVE } } }, 50).action).toEqual({ kind: 'Revoke', grantee: DAVE });
  });
  test('a guardian approves once, and only before the proposal lapses', () => {
    const item = proposalItem(BOB, '0x01', grant, 50);
    expect(canApprove(item, FERDIE, 149)).toBe(true);
    expect(canApprove(item, FERDIE, 150)).toBe(false);
    expect(canApprove(item, EVE, 120)).toBe(false);
  });
});
