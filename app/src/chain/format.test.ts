import { describe, expect, test } from 'vitest';
import { blockToDate, dateToBlock, formatAmount, formatBytes, formatDuration, shortAddress } from './format';

describe('formatAmount', () => {
  test('shows planck as MED with 12 decimals, exact and trimmed', () => {
    expect(formatAmount(1_500_000_000_000n, 12, 'MED')).toBe('1.5 MED');
    expect(formatAmount(1_000_000n * 10n ** 12n, 12, 'MED')).toBe('1,000,000 MED');
    expect(formatAmount(0n, 12, 'MED')).toBe('0 MED');
  });
  test('rounds down to four fraction digits: a balance never looks larger than it is', () => {
    expect(formatAmount(1_999_999_999_999n, 12, 'MED')).toBe('1.9999 MED');
    expect(formatAmount(1n, 12, 'MED')).toBe('0 MED');
    expect(formatAmount(10_000_000n, 12, 'MED', 'en-GB', 6)).toBe('0.00001 MED');
  });
  test('keeps precision beyond 2^53', () => {
    expect(formatAmount(123_456_789_012_345_678_901_234n, 12, 'MED')).toBe('123,456,789,012.3456 MED');
  });
  test('uses the locale\'s separators', () => {
    expect(formatAmount(1_234_500_000_000_000n, 12, 'MED', 'de-DE')).toBe('1.234,5 MED');
    expect(formatAmount(-2n * 10n ** 12n, 12, 'MED')).toBe('−2 MED');
  });
});

describe('block numbers as dates', () => {
  const known = { number: 1000, timestampMs: Date.UTC(2026, 11, 2, 12, 0, 0) };
  test('the known block is its own timestamp; others are a block time apart', () => {
    expect(blockToDate(1000, known, 6000).toISOString()).toBe('2026-12-02T12:00:00.000Z');
    expect(blockToDate(1010, known, 6000).toISOString()).toBe('2026-12-02T12:01:00.000Z');
    expect(blockToDate(0, known, 6000).toISOString()).toBe('2026-12-02T10:20:00.000Z');
  });
  test('a day is 14,400 blocks of 6 s, and a date maps back to the first block at or after it', () => {
    expect(blockToDate(1000 + 14_400, known, 6000).toISOString()).toBe('2026-12-03T12:00:00.000Z');
    expect(dateToBlock(new Date(Date.UTC(2026, 11, 3, 12, 0, 0)), known, 6000)).toBe(15_400);
    expect(dateToBlock(new Date(Date.UTC(2026, 11, 2, 12, 0, 1)), known, 6000)).toBe(1001);
  });
});

test('bytes and addresses for display', () => {
  expect(formatBytes(512, 'en-GB')).toBe('512 B');
  expect(formatBytes(1536, 'en-GB')).toBe('1.5 KiB');
  expect(shortAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBe('5Grwva…utQY');
});

describe('formatDuration', () => {
  test('blocks as the largest unit that fits, in the locale', () => {
    expect(formatDuration(90 * 14_400, 6000, 'en-GB')).toBe('90 days');
    expect(formatDuration(10, 6000, 'en-GB')).toBe('1 minute');
    expect(formatDuration(900, 6000, 'en-GB')).toBe('1.5 hours');
    expect(formatDuration(2, 6000, 'en-GB')).toBe('12 seconds');
    expect(formatDuration(14_400, 6000, 'zh-Hans-CN')).toBe('1天');
  });
});
