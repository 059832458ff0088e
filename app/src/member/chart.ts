// The geometry of the ledger chart: bars per period for inflow, payouts and fees, and a line for
// the per-member share, on one axis in MED. Pure, so the scale is unit-tested.
import { niceCeiling, plotArea, scaled } from '../chain/chart';
import type { LedgerPoint } from './pool';

export { niceCeiling };

/** The series drawn, in the order of the legend. */
export const SERIES = ['inflow', 'payouts', 'fees'] as const;
export type Series = (typeof SERIES)[number];

export interface Bar { series: Series; x: number; y: number; width: number; height: number; value: bigint }
export interface SharePoint { x: number; y: number; value: bigint }
export interface ChartLayout {
  width: number;
  height: number;
  top: bigint;
  /** One group of bars per period, with its label's x. */
  groups: Array<{ period: number; x: number; bars: Bar[] }>;
  share: SharePoint[];
  plot: { left: number; right: number; top: number; bottom: number };
}

/**
 * Lays `points` out in a `width` × `height` box: a bar per series per period, the share
 * (share + fee per member) as a line through the periods' centres.
 */
export function layoutChart(points: readonly LedgerPoint[], unit: bigint, width = 360, height = 200): ChartLayout {
  const plot = plotArea(width, height);
  const max = points.reduce((m, p) => [p.inflow, p.payouts, p.fees, p.per_member_share + p.per_member_fee].reduce((a, b) => (b > a ? b : a), m), 0n);
  const top = niceCeiling(max, unit);
  const slot = points.length ? (plot.right - plot.left) / points.length : 0;
  const barWidth = (slot * 0.8) / SERIES.length;
  const plotHeight = plot.bottom - plot.top;
  const groups = points.map((p, i) => {
    const x = plot.left + i * slot + slot * 0.1;
    const bars = SERIES.map((series, j) => {
      const value = p[series];
      const barHeight = scaled(value, top, plotHeight);
      return { series, x: x + j * barWidth, y: plot.bottom - barHeight, width: barWidth, height: barHeight, value };
    });
    return { period: p.period, x: plot.left + i * slot + slot / 2, bars };
  });
  const share = points.map((p, i) => {
    const value = p.per_member_share + p.per_member_fee;
    return { x: plot.left + i * slot + slot / 2, y: plot.bottom - scaled(value, top, plotHeight), value };
  });
  return { width, height, top, groups, share, plot };
}
