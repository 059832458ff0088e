// Amounts and times as people read them: planck in MED with the chain's decimals, block numbers
// as dates (the pallets count time in blocks), accounts shortened.

/**
 * `planck` (the chain's smallest unit) as a decimal amount of the token, exact (no floating
 * point), with the locale's digit grouping and at most `maxFraction` fraction digits (rounded
 * down: a balance is never shown larger than it is). `formatAmount(1_500_000_000_000n, 12, 'MED')`
 * → `1.5 MED`.
 */
export function formatAmount(planck: bigint, decimals: number, symbol: string, tag = 'en-GB', maxFraction = 4): string {
  const negative = planck < 0n;
  const magnitude = negative ? -planck : planck;
  const unit = 10n ** BigInt(decimals);
  const whole = magnitude / unit;
  const fraction = (magnitude % unit).toString().padStart(decimals, '0').slice(0, maxFraction).replace(/0+$/, '');
  const grouped = new Intl.NumberFormat(tag, { useGrouping: true }).format(whole);
  const separator = new Intl.NumberFormat(tag).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  return `${negative ? '−' : ''}${grouped}${fraction ? separator + fraction : ''} ${symbol}`;
}

/**
 * A price: like `formatAmount`, but an amount below one token is shown exactly (every fraction
 * digit it has), since a small record's storage costs a few planck an era and four digits
 * would show it as 0.
 */
export function formatPrice(planck: bigint, decimals: number, symbol: string, tag = 'en-GB'): string {
  const magnitude = planck < 0n ? -planck : planck;
  return formatAmount(planck, decimals, symbol, tag, magnitude < 10n ** BigInt(decimals) ? decimals : 4);
}

/** A known block: its number and its timestamp (ms since the epoch, `Timestamp.Now`). */
export interface BlockClock {
  number: number;
  timestampMs: number;
}

/**
 * When block `block` was (or will be) made, estimated from a known block and the block time:
 * exact for the known block, within a few seconds a block for the recent past, an estimate for
 * the future (expiries) that assumes no missed slots.
 */
export function blockToDate(block: number, known: BlockClock, blockTimeMs: number): Date {
  return new Date(known.timestampMs + (block - known.number) * blockTimeMs);
}

/** The first block at or after `date` (for an expiry the user picks as a date). */
export function dateToBlock(date: Date, known: BlockClock, blockTimeMs: number): number {
  return known.number + Math.ceil((date.getTime() - known.timestampMs) / blockTimeMs);
}

/** An `<input type="date">` value (`YYYY-MM-DD`) `days` days from now: a form's default date. */
export function dateInputIn(days: number, now = Date.now()): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}

/** The local midnight an `<input type="date">` value (`YYYY-MM-DD`) names; undefined if it names none. */
export function parseDateInput(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** How many calendar days `date` is after `now` (negative before), in the user's language: "tomorrow", "in 96 days". */
export function daysFromNow(date: Date, now: Date, tag: string): string {
  const midnight = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  const days = Math.round((midnight(date) - midnight(now)) / 86_400_000);
  return new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }).format(days, 'day');
}

/** A date in the user's locale, with the time when `withTime`. */
export function formatDate(date: Date, tag: string, withTime = true): string {
  return new Intl.DateTimeFormat(tag, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(date);
}

/**
 * A span of `blocks` blocks as days, hours, minutes or seconds (the largest unit that gives a whole or
 * nearly whole number) in the user's locale: waiting and notice periods, the time-lock.
 */
export function formatDuration(blocks: number, blockTimeMs: number, tag: string): string {
  const minutes = (blocks * blockTimeMs) / 60_000;
  const [value, unit] = minutes >= 1440 ? [minutes / 1440, 'day'] : minutes >= 60 ? [minutes / 60, 'hour'] : minutes >= 1 ? [minutes, 'minute'] : [minutes * 60, 'second'];
  return new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 1 }).format(value);
}

/** A byte count as B / KiB / MiB. */
export function formatBytes(bytes: number, tag: string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(tag, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/** An SS58 address shortened for display: `5GrwvA…utQY`. */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/**
 * An account as people read it: its name among `known` accounts (the dev accounts, a wallet's
 * named accounts) with the short address, e.g. "Dave (5DAAnr…TXFy)"; the short address alone
 * for an account nobody named.
 */
export function accountLabel(address: string, known: readonly { address: string; name?: string }[]): string {
  const name = known.find((a) => a.address === address)?.name;
  return name ? `${name} (${shortAddress(address)})` : shortAddress(address);
}
