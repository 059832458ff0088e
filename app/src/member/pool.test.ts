import { describe, expect, test } from 'vitest';
import { Binary } from 'polkadot-api';
import { changedRules, claimArgs, claimProgress, ledgerSeries, myShares, outcomeOf, parseAmount, periodBlocks, periodOf, type ClaimItem, type Ledger, type Rules } from './pool';
import { layoutChart, niceCeiling } from './chart';

const MED = 10n ** 12n;
const ledger = (change: Partial<Ledger>): Ledger => ({
  inflow: 0n, payouts: 0n, fees: 0n, approved_total: 0n, claims: 0, per_member_share: 0n, per_member_fee: 0n,
  members: 0, members_in_arrears: 0, shortfall: 0n, dust: 0n, apportioned: false, ...change,
});
const rules = (change: Partial<Rules> = {}): Rules => ({
  funding: { type: 'ShareAfterClaims' }, waiting_period: 20, per_claim_cap: 300_000n * MED, lifetime_cap: 600_000n * MED,
  covered_conditions: [Binary.fromText('C'), Binary.fromText('I21')], fee_bps: 100, min_members: 5, notice_period: 3,
  review_period: 5, claim_deposit: 10n * MED, contribution: 0n, max_share: 60_000n * MED, ...change,
});

describe('the ledger per period', () => {
  test('fills the periods without a ledger, oldest first, up to the current one', () => {
    const points = ledgerSeries([
      { period: 5, ledger: ledger({ inflow: 7n }) },
      { period: 3, ledger: ledger({ payouts: 2n, apportioned: true }) },
    ], 6, 2);
    expect(points.map((p) => [p.period, p.empty, p.inflow, p.payouts])).toEqual([
      [2, true, 0n, 0n], [3, false, 0n, 2n], [4, true, 0n, 0n], [5, false, 7n, 0n], [6, true, 0n, 0n],
    ]);
  });
  test('shows at most the last `span` periods, and none before the pool existed', () => {
    expect(ledgerSeries([], 30, 0, 12).map((p) => p.period)).toEqual([19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(ledgerSeries([], 3, 2, 12).map((p) => p.period)).toEqual([2, 3]);
  });
  test('periods are the pallet\'s: block / ApportionPeriod', () => {
    expect(periodOf(39, 20)).toBe(1);
    expect(periodOf(40, 20)).toBe(2);
    expect(periodBlocks(2, 20)).toEqual({ first: 40, last: 59 });
  });
});

describe('my share per period', () => {
  const points = ledgerSeries([
    { period: 1, ledger: ledger({ per_member_share: 20_000n * MED, per_member_fee: 200n * MED, members: 5, apportioned: true }) },
    { period: 2, ledger: ledger({ per_member_share: 9n * MED, per_member_fee: 0n, members: 4, apportioned: true }) },
    { period: 3, ledger: ledger({ inflow: 5n * MED }) },
  ], 3, 0);
  test('a shared pool charges share + fee for apportioned periods in which I was covered at some block', () => {
    // Joined at block 10, covered from block 45: not in period 1 (20..39), covered in period 2 (40..59).
    const mine = myShares(points, { joined_at: 10, eligible_from: 45 }, rules(), 20);
    expect(mine.map((m) => [m.period, m.kind, m.owed])).toEqual([[0, 'none', 0n], [1, 'none', 0n], [2, 'share', 9n * MED], [3, 'none', 0n]]);
    // Covered from the last block of period 1: charged for it (the pallet's `charged_in`).
    expect(myShares(points, { joined_at: 0, eligible_from: 39 }, rules(), 20)[1]).toEqual({ period: 1, owed: 20_200n * MED, kind: 'share' });
  });
  test('the current period shows the quote as an estimate', () => {
    const mine = myShares(points, { joined_at: 0, eligible_from: 0 }, rules(), 20, { period: 3, per_member_share: 3n, per_member_fee: 1n });
    expect(mine[3]).toEqual({ period: 3, owed: 4n, kind: 'estimate' });
  });
  test('a prefunded pool owes its contribution from the period of joining on', () => {
    const mine = myShares(points, { joined_at: 41, eligible_from: 61 }, rules({ funding: { type: 'Prefunded' }, contribution: 50n * MED, max_share: 0n }), 20);
    expect(mine.map((m) => m.owed)).toEqual([0n, 0n, 50n * MED, 50n * MED]);
  });
});

describe('a pending rule change', () => {
  test('names exactly the rules it changes', () => {
    expect(changedRules(rules(), rules())).toEqual([]);
    expect(changedRules(rules(), rules({ fee_bps: 200, covered_conditions: [Binary.fromText('C')], notice_period: 3 }))).toEqual(['covered_conditions', 'fee_bps']);
  });
});

const claim = (change: Partial<ClaimItem>): ClaimItem => ({
  id: 1n, claimant: '5Claimant', amount: 100n, evidence: [3n], filed_at: 100, notice_ends: 103, objectors: [],
  status: { type: 'Notice' }, level: { type: 'First' }, seed_block: 103, panel: [], commits: 0, reveals: 0,
  commit_ends: 0, reveal_ends: 0, denied: false, decided_at: 0, appealed: false, ...change,
});
const states = (c: ClaimItem, now: number) => {
  const { steps, next } = claimProgress(c, now, 3);
  return { steps: Object.fromEntries(steps.map((s) => [s.key, s.state])), next };
};

describe('the claim stepper', () => {
  test('in notice: members may object until it ends, then anyone draws the panel', () => {
    expect(states(claim({}), 101)).toEqual({ steps: { notice: 'current', review: 'upcoming', decision: 'upcoming', appeal: 'upcoming', payout: 'upcoming' }, next: 'object' });
    expect(states(claim({}), 103).next).toBe('drawPanel');
    expect(claimProgress(claim({}), 101, 3).steps[0].until).toBe(103);
  });
  test('voting: the review is current until the reveals close, then it can be closed', () => {
    const voting = claim({ status: { type: 'Voting' }, panel: ['a', 'b', 'c'], commit_ends: 110, reveal_ends: 115 });
    expect(states(voting, 111)).toEqual({ steps: { notice: 'done', review: 'current', decision: 'upcoming', appeal: 'upcoming', payout: 'upcoming' }, next: 'vote' });
    expect(claimProgress(voting, 111, 3).steps[1].until).toBe(115);
    expect(states(voting, 115).next).toBe('closeReview');
  });
  test('a first decision can be appealed within the claim\'s own notice period, then finalized', () => {
    const decided = claim({ status: { type: 'Decided' }, decided_at: 120, approved: 60n });
    expect(states(decided, 121)).toEqual({ steps: { notice: 'done', review: 'done', decision: 'done', appeal: 'current', payout: 'upcoming' }, next: 'appeal' });
    expect(claimProgress(decided, 121, 3).steps[3].until).toBe(123);
    expect(states(decided, 123)).toEqual({ steps: { notice: 'done', review: 'done', decision: 'done', appeal: 'skipped', payout: 'upcoming' }, next: 'finalize' });
  });
  test('an appeal: the appeal panel votes, its decision is final', () => {
    const appealed = claim({ status: { type: 'Voting' }, level: { type: 'Appeal' }, appealed: true, reveal_ends: 140 });
    expect(states(appealed, 130).steps).toEqual({ notice: 'done', review: 'done', decision: 'done', appeal: 'current', payout: 'upcoming' });
    const final = claim({ status: { type: 'Decided' }, level: { type: 'Appeal' }, appealed: true, decided_at: 141, denied: true });
    expect(states(final, 141)).toEqual({ steps: { notice: 'done', review: 'done', decision: 'done', appeal: 'done', payout: 'upcoming' }, next: 'finalize' });
  });
  test('approved in a shared pool: paid when its period is apportioned', () => {
    expect(states(claim({ status: { type: 'AwaitingApportion' }, approved: 100n, period: 7 }), 150)).toEqual({
      steps: { notice: 'done', review: 'done', decision: 'done', appeal: 'skipped', payout: 'current' }, next: 'apportion',
    });
    expect(states(claim({ status: { type: 'AwaitingFunds' }, approved: 100n }), 150).next).toBe('finalize');
  });
  test('outcomes', () => {
    expect(outcomeOf({ amount: 100n, approved: 100n, denied: false })).toBe('approved');
    expect(outcomeOf({ amount: 100n, approved: 60n, denied: false })).toBe('partial');
    expect(outcomeOf({ amount: 100n, denied: true })).toBe('denied');
    expect(outcomeOf({ amount: 100n, denied: false })).toBe('pending');
  });
});

describe('filing a claim', () => {
  const salt = new Uint8Array(32).fill(7);
  test('commits to the covered code with the pallet\'s encoding, never sending the code', () => {
    const checked = claimArgs({ code: 'C', amount: '1,000.5', evidence: [4n, 4n, 9n] }, 3, rules(), 12, salt);
    expect(checked).toEqual({
      ok: true,
      args: {
        pool_id: 3,
        // blake2_256(SCALE(b"mutual-aid/condition", 3u32, b"C", [7; 32])), from polkadot.js's own encoding.
        condition_commitment: '0x2656ae8b3a071c9bd129d01d9746fa88de3bb1791bca8fb39399f85775bbc601',
        amount: 1_000_500_000_000_000n,
        evidence: [4n, 9n],
      },
    });
  });
  test('says what to correct', () => {
    expect(claimArgs({ code: 'J45', amount: '1', evidence: [1n] }, 0, rules(), 12, salt)).toEqual({ ok: false, problem: 'member.invalid.code' });
    expect(claimArgs({ code: 'C', amount: '0', evidence: [1n] }, 0, rules(), 12, salt)).toEqual({ ok: false, problem: 'member.invalid.amount' });
    expect(claimArgs({ code: 'C', amount: '300001', evidence: [1n] }, 0, rules(), 12, salt)).toEqual({ ok: false, problem: 'member.invalid.cap' });
    expect(claimArgs({ code: 'C', amount: '10', evidence: [] }, 0, rules(), 12, salt)).toEqual({ ok: false, problem: 'member.invalid.evidence' });
  });
  test('amounts in MED are exact', () => {
    expect(parseAmount('0.000000000001', 12)).toBe(1n);
    expect(parseAmount('0.0000000000001', 12)).toBeNull();
    expect(parseAmount('12 345', 12)).toBe(12_345n * MED);
    expect(parseAmount('-1', 12)).toBeNull();
    expect(parseAmount('1e3', 12)).toBeNull();
  });
});

describe('the chart', () => {
  test('the axis tops at 1, 2 or 5 × 10^n', () => {
    expect(niceCeiling(0n, MED)).toBe(MED);
    expect(niceCeiling(3n, MED)).toBe(5n);
    expect(niceCeiling(101_000n * MED, MED)).toBe(200_000n * MED);
  });
  test('bars are proportional to exact amounts beyond 2^53 and the share is a point per period', () => {
    const points = ledgerSeries([{ period: 0, ledger: ledger({ inflow: 100_000n * MED, payouts: 50_000n * MED, per_member_share: 20_000n * MED, per_member_fee: 200n * MED }) }], 1, 0);
    const layout = layoutChart(points, MED, 360, 200);
    const plotHeight = layout.plot.bottom - layout.plot.top;
    expect(layout.top).toBe(100_000n * MED);
    const [inflow, payouts, fees] = layout.groups[0].bars;
    expect(inflow.height).toBeCloseTo(plotHeight, 3);
    expect(payouts.height).toBeCloseTo(plotHeight / 2, 3);
    expect(fees.height).toBe(0);
    expect(layout.share.map((p) => p.value)).toEqual([20_200n * MED, 0n]);
    expect(layout.share[0].y).toBeCloseTo(layout.plot.bottom - plotHeight * 0.202, 3);
    expect(layout.groups[1].bars.every((b) => b.height === 0)).toBe(true);
  });
});
