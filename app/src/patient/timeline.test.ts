import { expect, test } from 'vitest';
import { timelineOf } from './timeline';

test('the access log reads newest first, grouped by day', () => {
  const head = { number: 100_000, timestampMs: new Date(2026, 11, 2, 12, 0, 0).getTime() };
  const entry = (index: number, at: number) => ({ index, accessor: `5Reader${index}`, recordId: 1, purpose: 'Treatment', basis: 'Grant', at });
  // 14,400 blocks of 6 s are a day: two entries today, one yesterday.
  const days = timelineOf([entry(0, 100_000 - 14_400), entry(1, 99_990), entry(2, 100_000)], head, 6000);
  expect(days.map((d) => d.key)).toEqual(['2026-12-02', '2026-12-01']);
  expect(days[0].entries.map((e) => e.index)).toEqual([2, 1]);
  expect(days[1].entries.map((e) => e.index)).toEqual([0]);
  expect(days[0].entries[0].time.getTime()).toBe(head.timestampMs);
});
