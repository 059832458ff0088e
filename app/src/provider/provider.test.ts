import { describe, expect, it } from 'vitest';
import { niceCeiling } from '../chain/chart';
import { layoutRewards } from './chart';
import { eraOf } from '../chain/eras';
import { chartEras, claimable, estimateReward, heartbeatsNeeded, reportWindowOpen, rewardSeries, sharePercent, whyNothing, type ProviderView, type Rules } from './provider';

const MED = 10n ** 12n;
// The pallet's defaults: uptime below 50 % is no uptime, 3 failed audits zero the era.
const RULES: Rules = { min_uptime: 500_000_000, failure_threshold: 3 };
// The runtime's: 30-block eras, challenges answered within 5 blocks.
const TIMING = { now: 10, eraLength: 30, deadline: 5 };
const active = (over: Partial<ProviderView> = {}): ProviderView => ({
  capacity_gib: 100n, stake: 100n * MED, required_stake: 100n * MED, status: { type: 'Active' },
  era: 0, heartbeats: 3, expected_heartbeats: 6, power: 5_000n, failures: 0, unclaimed_eras: 1,
  replica_bytes: 5_120n, audited_bytes: 5_120n, replica_audits_passed: 1, replica_audits_failed: 0, ...over,
});

describe('the reward estimate', () => {
  it('is own power over total power times the era amount, rounded down as the pallet does', () => {
    expect(estimateReward(1n, 3n, 1_000n * MED)).toBe(333_333_333_333_333n);
    expect(estimateReward(5_000n, 5_000n, 1_000n * MED)).toBe(1_000n * MED);
    expect(sharePercent(1n, 3n)).toBe(33.33);
  });
  it('is zero without power or without anyone\'s power', () => {
    expect(estimateReward(0n, 10n, MED)).toBe(0n);
    expect(estimateReward(10n, 0n, MED)).toBe(0n);
    expect(sharePercent(1n, 0n)).toBe(0);
  });
});

describe('why nothing this era', () => {
  it('names the missing registration, unbonding and a missing report', () => {
    expect(whyNothing(undefined, RULES, MED, TIMING)).toEqual(['notRegistered']);
    expect(whyNothing(active({ status: { type: 'Unbonding', value: { until: 3 } } }), RULES, MED, TIMING)).toEqual(['unbonding']);
    expect(whyNothing(active({ power: undefined }), RULES, MED, TIMING)).toEqual(['noReport']);
  });
  it('says when it is too late in the era to report (the last deadline + 1 blocks)', () => {
    expect(reportWindowOpen(23, 30, 5)).toBe(true);
    expect(reportWindowOpen(24, 30, 5)).toBe(false);
    expect(whyNothing(active({ power: undefined }), RULES, MED, { ...TIMING, now: 25 })).toEqual(['reportWindowClosed']);
  });
  it('blames uptime below the minimum unless the provider is in maintenance', () => {
    expect(whyNothing(active({ power: 0n, heartbeats: 2 }), RULES, MED, TIMING)).toEqual(['lowUptime']);
    expect(whyNothing(active({ power: 0n, heartbeats: 2, maintenance: [0, 1] }), RULES, MED, TIMING)).toEqual([]);
    expect(heartbeatsNeeded(active({ heartbeats: 1 }), RULES)).toBe(2);
    expect(heartbeatsNeeded(active({ heartbeats: 4 }), RULES)).toBe(0);
  });
  it('names replicas lost to failed audits this era, beside any other reason', () => {
    expect(whyNothing(active({ replica_audits_failed: 1 }), RULES, MED, TIMING)).toEqual(['lostReplicas']);
    expect(whyNothing(active({ power: undefined, replica_audits_failed: 2 }), RULES, MED, TIMING)).toEqual(['noReport', 'lostReplicas']);
    expect(whyNothing(active({ replica_audits_passed: 4 }), RULES, MED, TIMING)).toEqual([]);
  });
  it('blames failed audits at the threshold, a missing emission and a short stake', () => {
    expect(whyNothing(active({ power: 0n, failures: 3 }), RULES, MED, TIMING)).toEqual(['failedAudits']);
    expect(whyNothing(active(), RULES, 0n, TIMING)).toEqual(['noEmission']);
    expect(whyNothing(active({ stake: MED }), RULES, MED, TIMING)).toEqual(['understaked']);
  });
  it('names missing audited replica bytes once there is a report: declared space earns nothing', () => {
    // Enough heartbeats, nothing audited: the space term is alpha × 0.
    expect(whyNothing(active({ power: 0n, audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['noAuditedSpace']);
    // Right after the report: neither uptime nor audited bytes yet (the browser test's first state).
    expect(whyNothing(active({ power: 0n, heartbeats: 0, audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['lowUptime', 'noAuditedSpace']);
    // Holding replicas whose audits have not come yet this era is still nothing audited.
    expect(whyNothing(active({ power: 0n, replica_bytes: 5_120n, audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['noAuditedSpace']);
    // In maintenance the uptime is full, the bytes still have to be audited.
    expect(whyNothing(active({ power: 0n, heartbeats: 0, maintenance: [0, 1], audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['noAuditedSpace']);
    // Power from bytes served alone: less than it could be.
    expect(whyNothing(active({ power: 131_072n, audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['noAuditedSpace']);
    // Failed replica audits end the replicas: both reasons.
    expect(whyNothing(active({ power: 0n, failures: 3, replica_bytes: 0n, audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['noAuditedSpace', 'failedAudits']);
  });
  it('does not name audited bytes before a report or once they count', () => {
    expect(whyNothing(active({ power: undefined, audited_bytes: 0n }), RULES, MED, TIMING)).toEqual(['noReport']);
    expect(whyNothing(active({ power: 0n, heartbeats: 2, audited_bytes: 1n }), RULES, MED, TIMING)).toEqual(['lowUptime']);
  });
  it('is empty when the report has power', () => {
    expect(whyNothing(active(), RULES, MED, TIMING)).toEqual([]);
  });
});

describe('rewards per era', () => {
  it('shows the current era and up to eleven before it', () => {
    expect(chartEras(0)).toEqual([0]);
    expect(chartEras(13)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(eraOf(59, 30)).toBe(1);
  });
  it('takes exact rewards of closed eras, the estimate of the current one, nothing where I did not report', () => {
    const views = [
      { era: 0, total_power: 10n, emission: 1_000n * MED, paid: 0n, reports: 1, powered: 1, claimed: 0, closed: true },
      undefined,
      { era: 2, total_power: 20n, emission: 1_000n * MED, paid: 0n, reports: 2, powered: 2, claimed: 0, closed: false },
    ];
    const pending = [{ era: 0, power: 10n, reward: 1_000n * MED, claimable: true }];
    const series = rewardSeries([0, 1, 2], views, pending, 2, 500n * MED);
    expect(series.map((p) => [p.era, p.mine, p.kind, p.emission])).toEqual([
      [0, 1_000n * MED, 'claimable', 1_000n * MED],
      [1, 0n, 'none', null],
      [2, 500n * MED, 'estimate', 1_000n * MED],
    ]);
    expect(claimable(pending)).toEqual({ eras: 1, total: 1_000n * MED });
    expect(claimable([{ era: 3, power: 1n, reward: 5n, claimable: false }])).toEqual({ eras: 0, total: 0n });
  });
  it('lays out bars on a round axis shared with the member page', () => {
    expect(niceCeiling(1_001n * MED, MED)).toBe(2_000n * MED);
    const layout = layoutRewards([
      { era: 0, emission: 1_000n * MED, totalPower: 1n, mine: 1_000n * MED, kind: 'claimable' },
      { era: 1, emission: null, totalPower: null, mine: 0n, kind: 'none' },
    ], MED);
    expect(layout.top).toBe(1_000n * MED);
    expect(layout.bars[0]!.emission.height).toBeCloseTo(layout.plot.bottom - layout.plot.top);
    expect(layout.bars[0]!.mine.height).toBeCloseTo(layout.bars[0]!.emission.height);
    expect(layout.bars[1]!.emission.height).toBe(0);
  });
});
