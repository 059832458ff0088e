// The geometry of the rewards chart: per era, the era's emission as a wide pale bar and my
// reward (exact, or the estimate for the current era) as a narrow bar in front of it, on one
// axis in MED. The axis arithmetic is the member page's (chain/chart.ts).
import { niceCeiling, plotArea, scaled } from '../chain/chart';
import type { EraPoint } from './provider';

export interface RewardBar { x: number; y: number; width: number; height: number; value: bigint }
export interface RewardLayout {
  width: number;
  height: number;
  top: bigint;
  plot: { left: number; right: number; top: number; bottom: number };
  bars: Array<{ era: number; centre: number; kind: EraPoint['kind']; emission: RewardBar; mine: RewardBar }>;
}

export function layoutRewards(points: readonly EraPoint[], unit: bigint, width = 360, height = 200): RewardLayout {
  const plot = plotArea(width, height);
  const max = points.reduce((m, p) => [p.emission ?? 0n, p.mine].reduce((a, b) => (b > a ? b : a), m), 0n);
  const top = niceCeiling(max, unit);
  const slot = points.length ? (plot.right - plot.left) / points.length : 0;
  const plotHeight = plot.bottom - plot.top;
  const bar = (value: bigint, x: number, w: number): RewardBar => {
    const h = scaled(value, top, plotHeight);
    return { x, y: plot.bottom - h, width: w, height: h, value };
  };
  const bars = points.map((p, i) => {
    const x = plot.left + i * slot;
    return {
      era: p.era,
      centre: x + slot / 2,
      kind: p.kind,
      emission: bar(p.emission ?? 0n, x + slot * 0.1, slot * 0.8),
      mine: bar(p.mine, x + slot * 0.3, slot * 0.4),
    };
  });
  return { width, height, top, plot, bars };
}
