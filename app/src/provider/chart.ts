// The geometry of the rewards chart: per era, the era's emission as a wide pale bar and my
// reward (exact, or the estimate for the current era) as a narrow bar in front of it, on one
// axis in MED. The frame is the member page's (chain/chart.ts).
import { barOf, largest, slotFrame, slotLeft, type ChartBar, type SlotFrame } from '../chain/chart';
import type { EraPoint } from './provider';

export type RewardBar = ChartBar;
export interface RewardLayout extends SlotFrame {
  bars: Array<{ era: number; centre: number; kind: EraPoint['kind']; emission: RewardBar; mine: RewardBar }>;
}

export function layoutRewards(points: readonly EraPoint[], unit: bigint, width = 360, height = 200): RewardLayout {
  const frame = slotFrame(points.length, largest(points.flatMap((p) => [p.emission ?? 0n, p.mine])), unit, width, height);
  const bars = points.map((p, i) => {
    const x = slotLeft(frame, i);
    return {
      era: p.era,
      centre: x + frame.slot / 2,
      kind: p.kind,
      emission: barOf(frame, p.emission ?? 0n, x + frame.slot * 0.1, frame.slot * 0.8),
      mine: barOf(frame, p.mine, x + frame.slot * 0.3, frame.slot * 0.4),
    };
  });
  return { ...frame, bars };
}
