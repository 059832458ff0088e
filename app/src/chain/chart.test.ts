import { expect, test } from 'vitest';
import { barOf, largest, niceCeiling, slotFrame, slotLeft } from './chart';

const MED = 10n ** 12n;

test('the axis tops at 1, 2 or 5 × 10^n, the unit when everything is zero', () => {
  expect(niceCeiling(0n, MED)).toBe(MED);
  expect(niceCeiling(7n * MED, MED)).toBe(10n * MED);
  expect(largest([])).toBe(0n);
  expect(largest([3n, 9n, 2n])).toBe(9n);
});

test('a frame of slots: equal widths, bars standing on the axis with exact heights', () => {
  const frame = slotFrame(4, 150n * MED, MED, 360, 200);
  expect(frame.top).toBe(200n * MED);
  expect(frame.slot).toBe((frame.plot.right - frame.plot.left) / 4);
  expect(slotLeft(frame, 2)).toBe(frame.plot.left + 2 * frame.slot);
  const bar = barOf(frame, 50n * MED, 10, 5);
  expect(bar.height).toBeCloseTo((frame.plot.bottom - frame.plot.top) / 4, 3);
  expect(bar.y + bar.height).toBeCloseTo(frame.plot.bottom, 6);
  expect(slotFrame(0, 0n, MED, 360, 200).slot).toBe(0);
});
