import { describe, expect, test } from 'vitest';
import { eraDate, eraOf, eraStart } from './eras';
import { blockToDate, dateInputIn, dateToBlock, daysFromNow, formatAmount, formatBytes, formatDuration, formatPrice, parseDateInput, shortAddress, accountLabel } from './format';

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

describe('formatPrice', () => {
  test('shows an amount below one MED exactly: a small record\'s storage is a few planck an era', () => {
    expect(formatPrice(42n, 12, 'MED')).toBe('0.000000000042 MED');
    expect(formatPrice(123_456_789n, 12, 'MED')).toBe('0.000123456789 MED');
    expect(formatPrice(100_000_000_000n, 12, 'MED')).toBe('0.1 MED');
    expect(formatPrice(0n, 12, 'MED')).toBe('0 MED');
  });
  test('from one MED on, as a balance: four fraction digits, rounded down', () => {
    expect(formatPrice(3_000_000_000_001n, 12, 'MED')).toBe('3 MED');
    expect(formatPrice(1_234_567_890_123n, 12, 'MED', 'de-DE')).toBe('1,2345 MED');
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

describe('eras as dates', () => {
  const known = { number: 1000, timestampMs: Date.UTC(2026, 11, 2, 12, 0, 0) };
  test('era e starts at block e × EraLength, dated from the known block', () => {
    expect(eraStart(40, 30)).toBe(1200);
    expect(eraOf(1199, 30)).toBe(39);
    expect(eraOf(1200, 30)).toBe(40);
    // Era 40 of 30 blocks starts 200 blocks of 6 s (20 min) after the known block.
    expect(eraDate(40, 30, known, 6000).toISOString()).toBe('2026-12-02T12:20:00.000Z');
    // A daily era (14,400 blocks): era 1 starts a day after genesis.
    expect(eraDate(1, 14_400, { number: 0, timestampMs: known.timestampMs }, 6000).toISOString()).toBe('2026-12-03T12:00:00.000Z');
  });
});

test('bytes and addresses for display', () => {
  expect(formatBytes(512, 'en-GB')).toBe('512 B');
  expect(formatBytes(1536, 'en-GB')).toBe('1.5 KiB');
  expect(shortAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBe('5Grwva…utQY');
});

test('an account is shown by the name this browser knows it by, else by its short address', () => {
  const known = [
    { address: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', name: 'Alice' },
    { address: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty' },
  ];
  expect(accountLabel('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', known)).toBe('Alice (5Grwva…utQY)');
  expect(accountLabel('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty', known)).toBe('5FHneW…94ty');
  expect(accountLabel('5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy', known)).toBe('5DAAnr…TXFy');
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

describe('date fields', () => {
  test('a default date is the date input value some days from now', () => {
    expect(dateInputIn(7, Date.UTC(2026, 11, 6, 12))).toBe('2026-12-13');
    expect(dateInputIn(730, Date.UTC(2026, 11, 6, 12))).toBe('2028-12-05');
  });
  test('a date input\'s value is the local midnight it names; anything else names no date', () => {
    expect(parseDateInput('2027-03-12')).toEqual(new Date(2027, 2, 12));
    expect(parseDateInput('')).toBeUndefined();
    expect(parseDateInput('12/03/2027')).toBeUndefined();
    expect(parseDateInput('2027-13-01')).toBeUndefined();
  });
  test('the chosen date is counted in calendar days from today, in the user\'s language', () => {
    const now = new Date(2026, 11, 6, 23, 30);
    expect(daysFromNow(new Date(2026, 11, 7), now, 'en-GB')).toBe('tomorrow');
    expect(daysFromNow(new Date(2027, 2, 12), now, 'en-GB')).toBe('in 96 days');
    expect(daysFromNow(new Date(2026, 11, 6), now, 'en-GB')).toBe('today');
    expect(daysFromNow(new Date(2026, 11, 1), now, 'en-GB')).toBe('5 days ago');
    expect(daysFromNow(new Date(2026, 11, 7), now, 'zh-Hans-CN')).toBe('明天');
  });
});
