// The axis arithmetic every plain-SVG chart of the app shares (the member page's ledger, the
// storage provider's rewards per era): a round top for the axis and exact scaling of planck
// amounts to pixels. Pure, so it is unit-tested.

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
