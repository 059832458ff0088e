// The storage provider's figures, by pallet-storage-power's own rules: the reward estimate
// (`floor(power × emission / total_power)`), why a provider earns nothing this era, and the
// rewards per era the chart draws. Pure, so the rules are unit-tested against the pallet's.
import { eraOf, eraStart } from '../chain/eras';

/** `StoragePowerApi.provider` as the page reads it. */
export interface ProviderView {
  capacity_gib: bigint;
  pending_capacity?: [number, bigint];
  stake: bigint;
  required_stake: bigint;
  status: { type: 'Active' } | { type: 'Unbonding'; value: { until: number } };
  maintenance?: [number, number];
  era: number;
  heartbeats: number;
  expected_heartbeats: number;
  power?: bigint;
  failures: number;
  unclaimed_eras: number;
  /** Bytes of the replicas it holds. */
  replica_bytes: bigint;
  /** Bytes of its replicas whose audit passed this era: the space term of its power. */
  audited_bytes: bigint;
  /** Replica audits passed this era. */
  replica_audits_passed: number;
  /** Replica audits failed this era (each slashed and lost its replica). */
  replica_audits_failed: number;
}
/** `StoragePowerApi.replicas_of`, one replica: the order, its object, the era it was taken and the open audit (segment, last block). */
export interface ReplicaView { order_id: bigint; content_id: string; size_bytes: bigint; since: number; audit?: [number, bigint] }
/** `StoragePowerApi.era`. */
export interface EraView { era: number; total_power: bigint; emission: bigint; paid: bigint; reports: number; powered: number; claimed: number; closed: boolean }
/** `StoragePowerApi.pending_rewards`, one unclaimed report. */
export interface PendingReward { era: number; power: bigint; reward: bigint; claimable: boolean }
/** The power parameters that matter here (`StoragePower.Parameters`); `min_uptime` in parts per billion. */
export interface Rules { min_uptime: number; failure_threshold: number }

/** The pallet's `reward_of`: `floor(power × emission / total_power)`, zero without power. */
export function estimateReward(power: bigint, totalPower: bigint, emission: bigint): bigint {
  if (power <= 0n || totalPower <= 0n) return 0n;
  return (power * emission) / totalPower;
}

/** `power / total` in percent with two decimals (display). */
export function sharePercent(power: bigint, totalPower: bigint): number {
  if (totalPower <= 0n) return 0;
  return Number((power * 10_000n) / totalPower) / 100;
}

export type NothingReason =
  | 'notRegistered' | 'unbonding' | 'noReport' | 'reportWindowClosed' | 'lowUptime' | 'noAuditedSpace' | 'failedAudits'
  | 'lostReplicas' | 'noEmission' | 'understaked';

/** Whether a report sent in block `now` still lands in its era: not in the last `deadline + 1` blocks. */
export const reportWindowOpen = (now: number, eraLength: number, deadline: number) =>
  now < eraStart(eraOf(now, eraLength) + 1, eraLength) - (deadline + 1);

/**
 * Why `provider` earns nothing (or less than it could) in the current era, by the pallet's rules:
 * not registered, unbonding (no reports, no rewards), no report yet (and whether one can still
 * be sent), uptime below `min_uptime` (power 0 unless in maintenance), no replica bytes audited
 * this era (the space term of the power is `alpha × audited bytes`: the report's declared space
 * earns nothing, so without audited bytes only bytes served count), failed audits at the
 * threshold (power 0 and slashed), replica audits failed this era (each replica lost, its bytes
 * out of the power, the stake slashed), an era without emission, a stake below the one its
 * capacity needs. Empty when the current report has power from audited bytes.
 */
export function whyNothing(
  provider: ProviderView | undefined,
  rules: Rules,
  emission: bigint,
  { now, eraLength, deadline }: { now: number; eraLength: number; deadline: number },
): NothingReason[] {
  if (!provider) return ['notRegistered'];
  if (provider.status.type === 'Unbonding') return ['unbonding'];
  const reasons: NothingReason[] = [];
  if (provider.stake < provider.required_stake) reasons.push('understaked');
  if (provider.power === undefined) {
    reasons.push(reportWindowOpen(now, eraLength, deadline) ? 'noReport' : 'reportWindowClosed');
  } else {
    const inMaintenance = provider.maintenance !== undefined && provider.maintenance[0] <= provider.era && provider.era <= provider.maintenance[1];
    const uptime = provider.expected_heartbeats === 0 ? 1e9 : Math.floor((Math.min(provider.heartbeats, provider.expected_heartbeats) * 1e9) / provider.expected_heartbeats);
    if (provider.power === 0n && !inMaintenance && uptime < rules.min_uptime) reasons.push('lowUptime');
    if (provider.audited_bytes === 0n) reasons.push('noAuditedSpace');
    if (provider.power === 0n && provider.failures >= rules.failure_threshold) reasons.push('failedAudits');
  }
  if (provider.replica_audits_failed > 0) reasons.push('lostReplicas');
  if (emission === 0n) reasons.push('noEmission');
  return reasons;
}

/** Heartbeats still needed this era for a non-zero uptime factor (`min_uptime` of those expected). */
export function heartbeatsNeeded(provider: ProviderView, rules: Rules): number {
  const needed = Math.ceil((provider.expected_heartbeats * rules.min_uptime) / 1e9);
  return Math.max(0, needed - provider.heartbeats);
}

/** The eras the chart shows: the current one and up to `count − 1` before it. */
export function chartEras(current: number, count = 12): number[] {
  const first = Math.max(0, current - count + 1);
  return Array.from({ length: current - first + 1 }, (_, i) => first + i);
}

export interface EraPoint {
  era: number;
  /** The era's emission while it is tracked; `null` once settled (every reward of it claimed). */
  emission: bigint | null;
  totalPower: bigint | null;
  /** My reward: exact for a closed era, the estimate for the current one, 0 without a report. */
  mine: bigint;
  kind: 'estimate' | 'claimable' | 'pending' | 'none';
}

/** One point per shown era from the eras' totals and my unclaimed reports. */
export function rewardSeries(eras: readonly number[], views: ReadonlyArray<EraView | undefined>, pending: readonly PendingReward[], current: number, estimate: bigint | null): EraPoint[] {
  const mine = new Map(pending.map((p) => [p.era, p]));
  return eras.map((era, i) => {
    const view = views[i];
    const report = mine.get(era);
    const base = { era, emission: view?.emission ?? null, totalPower: view?.total_power ?? null };
    if (era === current) return { ...base, mine: estimate ?? 0n, kind: estimate === null ? 'none' : 'estimate' };
    if (!report) return { ...base, mine: 0n, kind: 'none' };
    return { ...base, mine: report.reward, kind: report.claimable ? 'claimable' : 'pending' };
  });
}

/** What `claim_rewards` would pay now: the claimable unclaimed reports, oldest first. */
export function claimable(pending: readonly PendingReward[]): { eras: number; total: bigint } {
  const ready = pending.filter((p) => p.claimable);
  return { eras: ready.length, total: ready.reduce((s, p) => s + p.reward, 0n) };
}
