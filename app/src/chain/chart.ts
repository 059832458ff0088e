// The axis arithmetic every plain-SVG chart of the app shares (the member page's ledger, the
// storage provider's rewards per era): a round top for the axis, exact scaling of planck amounts
// to pixels, and the frame of a chart with one slot per period or era. Pure, so it is unit-tested;
// `Chart.tsx` beside it draws the frame.

/** The top of the axis: the smallest 1, 2 or 5 × 10^n (in planck) at or above `max`; `unit` when everything is zero. */
export function niceCeiling(max: bigint, unit: bigint): bigint {
  if (max <= 0n) return unit;
  let step = 1n;
  for (;;) {
    for (const m of [1n, 2n, 5n]) if (m * step >= max) return m * step;
    step *= 10n;
  }
}

/** Scales `value` of `top` to `pixels`, exact for amounts beyond 2^53 (planck). */
export function scaled(value: bigint, top: bigint, pixels: number): number {
  return Number((value * BigInt(Math.round(pixels * 1000))) / top) / 1000;
}

/** The plot area inside a `width` × `height` box, room below for the labels. */
export function plotArea(width: number, height: number) {
  return { left: 8, right: width - 8, top: 8, bottom: height - 24 };
}

/** The largest of `values`, 0 for none. */
export const largest = (values: Iterable<bigint>): bigint => {
  let max = 0n;
  for (const v of values) if (v > max) max = v;
  return max;
};

export interface SlotFrame {
  width: number;
  height: number;
  /** The top of the axis, in planck. */
  top: bigint;
  plot: { left: number; right: number; top: number; bottom: number };
  /** The width of one slot. */
  slot: number;
}

/** A vertical bar standing on the axis. */
export interface ChartBar { x: number; y: number; width: number; height: number; value: bigint }

/**
 * The frame of a `width` × `height` chart of `count` slots side by side whose largest amount is
 * `max`, on an axis rounded up from it (`unit` when all are zero).
 */
export function slotFrame(count: number, max: bigint, unit: bigint, width: number, height: number): SlotFrame {
  const plot = plotArea(width, height);
  return { width, height, top: niceCeiling(max, unit), plot, slot: count ? (plot.right - plot.left) / count : 0 };
}

/** The left edge of slot `index`. */
export const slotLeft = (frame: SlotFrame, index: number) => frame.plot.left + index * frame.slot;

/** The height `value` takes on the frame's axis. */
export const heightOf = (frame: SlotFrame, value: bigint) => scaled(value, frame.top, frame.plot.bottom - frame.plot.top);

/** A bar of `value` at `x`, `width` wide, standing on the frame's axis. */
export function barOf(frame: SlotFrame, value: bigint, x: number, width: number): ChartBar {
  const height = heightOf(frame, value);
  return { x, y: frame.plot.bottom - height, width, height, value };
}
