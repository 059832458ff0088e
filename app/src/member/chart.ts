// The geometry of the ledger chart: bars per period for inflow, payouts and fees, and a line for
// the per-member share, on one axis in MED (the shared frame of chain/chart.ts). Pure, so the
// scale is unit-tested.
import { barOf, heightOf, largest, slotFrame, slotLeft, type ChartBar, type SlotFrame } from '../chain/chart';
import type { LedgerPoint } from './pool';

export { niceCeiling } from '../chain/chart';

/** The series drawn, in the order of the legend. */
export const SERIES = ['inflow', 'payouts', 'fees'] as const;
export type Series = (typeof SERIES)[number];

export interface Bar extends ChartBar { series: Series }
export interface SharePoint { x: number; y: number; value: bigint }
export interface ChartLayout extends SlotFrame {
  /** One group of bars per period, with its label's x. */
  groups: Array<{ period: number; x: number; bars: Bar[] }>;
  share: SharePoint[];
}

/**
 * Lays `points` out in a `width` × `height` box: a bar per series per period, the share
 * (share + fee per member) as a line through the periods' centres.
 */
export function layoutChart(points: readonly LedgerPoint[], unit: bigint, width = 360, height = 200): ChartLayout {
  const frame = slotFrame(points.length, largest(points.flatMap((p) => [p.inflow, p.payouts, p.fees, p.per_member_share + p.per_member_fee])), unit, width, height);
  const barWidth = (frame.slot * 0.8) / SERIES.length;
  const centre = (i: number) => slotLeft(frame, i) + frame.slot / 2;
  const groups = points.map((p, i) => {
    const x = slotLeft(frame, i) + frame.slot * 0.1;
    const bars = SERIES.map((series, j) => ({ series, ...barOf(frame, p[series], x + j * barWidth, barWidth) }));
    return { period: p.period, x: centre(i), bars };
  });
  const share = points.map((p, i) => {
    const value = p.per_member_share + p.per_member_fee;
    return { x: centre(i), y: frame.plot.bottom - heightOf(frame, value), value };
  });
  return { ...frame, groups, share };
}
