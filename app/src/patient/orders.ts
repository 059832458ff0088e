// A patient's storage orders (pallet-storage-power, issue #18): what adding a record pays for
// its storage, the rows of "My storage orders", and what a renewal costs, by the pallet's own
// rules (`per_era = ceil(size × replicas × price / 2^30)`; a renewal reprices the eras after
// the current one). Pure, so the rules are unit-tested against the pallet's.
import { sealedSize } from '../../../scripts/lib/seal.mjs';

/** Copies of a record the patient's page orders. */
export const DEFAULT_REPLICAS = 3;
/** The lengths of order the page offers, in eras. */
export const ORDER_ERAS = [30, 90, 365] as const;

const GIB = 1n << 30n;

/** `StoragePowerApi.order` / `orders_of` / `orders_of_content` as the page reads it. */
export interface OrderView {
  id: bigint;
  owner: string;
  content_id: string;
  size_bytes: bigint;
  replicas: number;
  start_era: number;
  /** The first era the order no longer pays for (it is live while `start_era ≤ era < end_era`). */
  end_era: number;
  per_era: bigint;
  deposit: bigint;
  live: boolean;
  /** The providers holding a replica. */
  holders: string[];
}

/** The pallet's `per_era_cost`: `ceil(size_bytes × replicas × price / 2^30)`. */
export function perEraCost(sizeBytes: bigint, replicas: number, pricePerGibEra: bigint): bigint {
  const product = sizeBytes * BigInt(replicas) * pricePerGibEra;
  return (product + GIB - 1n) / GIB;
}

/** The size of the sealed object of `text` (UTF-8, as `sealRecord` seals it): what its order is priced on. */
export function sealedSizeOf(text: string): number {
  return sealedSize(new TextEncoder().encode(text).length);
}

/** `StoragePowerApi.quote`'s answer, `undefined` when the pallet would refuse the order. */
export type Quote = { per_era: bigint; total: bigint } | undefined;

export type QuoteView =
  | { kind: 'empty' }
  | { kind: 'refused' }
  | { kind: 'quote'; perEra: bigint; total: bigint; deposit: bigint; upFront: bigint };

/**
 * What the page says of an order before it is placed: nothing to price yet (no text), refused
 * (too large, an invalid length), or per era, in all, and what leaves the account now (the
 * payment and the deposit held until the order is removed).
 */
export function quoteView(sizeBytes: number, quote: Quote, deposit: bigint): QuoteView {
  if (sizeBytes <= 0) return { kind: 'empty' };
  if (!quote) return { kind: 'refused' };
  return { kind: 'quote', perEra: quote.per_era, total: quote.total, deposit, upFront: quote.total + deposit };
}

export interface OrderRow {
  id: bigint;
  contentId: string;
  /** `0x1234…abcd`. */
  contentShort: string;
  /** The patient's record whose sealed object the order keeps, if one names it. */
  recordId?: bigint;
  sizeBytes: bigint;
  replicas: number;
  /** Copies a provider holds now (at most `replicas`). */
  held: number;
  perEra: bigint;
  deposit: bigint;
  /** The era it is paid until (exclusive): its start is the "paid until" date. */
  paidUntilEra: number;
  /** Eras still paid after the current one (0 once expired). */
  erasLeft: number;
  live: boolean;
  /** Expired: anyone may remove it, and the deposit returns to the owner. */
  removable: boolean;
  /** What `cancel_order` would refund now (live only): the eras after the current one, at what they paid. */
  cancelRefund: bigint;
}

/** A content id shortened for display. */
export const shortContentId = (id: string) => (id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id);

/** One row per order, newest first, each named by the record (of `records`) with its content id. */
export function orderRows(orders: readonly OrderView[], records: ReadonlyArray<{ id: bigint; contentId?: string }>, era: number): OrderRow[] {
  const recordOf = new Map(records.filter((r) => r.contentId).map((r) => [r.contentId!.toLowerCase(), r.id]));
  return [...orders].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((o) => ({
    id: o.id,
    contentId: o.content_id,
    contentShort: shortContentId(o.content_id),
    recordId: recordOf.get(o.content_id.toLowerCase()),
    sizeBytes: o.size_bytes,
    replicas: o.replicas,
    held: o.holders.length,
    perEra: o.per_era,
    deposit: o.deposit,
    paidUntilEra: o.end_era,
    erasLeft: Math.max(0, o.end_era - era - 1),
    live: o.live,
    removable: o.end_era <= era,
    cancelRefund: o.live ? o.per_era * BigInt(Math.max(0, o.end_era - era - 1)) : 0n,
  }));
}

/**
 * The live orders among `orders` that keep one of the patient's `records` and were placed by that
 * record's issuer: as the record's data subject the patient may end them (`cancel_order`; the
 * chain's rule), the refund going to the issuer.
 */
export function endableRecordOrders(orders: readonly OrderView[], records: ReadonlyArray<{ id: bigint; contentId?: string; issuer: string }>, era: number): OrderRow[] {
  const issuerOf = new Map(records.filter((r) => r.contentId).map((r) => [r.contentId!.toLowerCase(), r.issuer]));
  const placedByIssuer = orders.filter((o) => issuerOf.get(o.content_id.toLowerCase()) === o.owner);
  return orderRows(placedByIssuer, records, era).filter((o) => o.live);
}

export type Renewal =
  | { ok: true; perEra: bigint; paid: bigint; refunded: bigint; newEnd: number }
  | { ok: false; problem: 'expired' | 'eras' };

/**
 * What `renew_order(order, eras)` in era `era` would pay (or refund) at `pricePerGibEra`: the
 * eras after the current one are repriced, `new × (f + eras) − old × f` with `f` the order's
 * eras after the current one; refused when the order is no longer live or the new end is beyond
 * `maxOrderEras` from now.
 */
export function renewalCost(order: Pick<OrderRow, 'sizeBytes' | 'replicas' | 'perEra' | 'paidUntilEra' | 'live'>, eras: number, era: number, pricePerGibEra: bigint, maxOrderEras: number): Renewal {
  if (!order.live) return { ok: false, problem: 'expired' };
  const newEnd = order.paidUntilEra + eras;
  if (!Number.isInteger(eras) || eras <= 0 || newEnd > era + maxOrderEras) return { ok: false, problem: 'eras' };
  const future = BigInt(Math.max(0, order.paidUntilEra - (era + 1)));
  const perEra = perEraCost(order.sizeBytes, order.replicas, pricePerGibEra);
  const had = order.perEra * future;
  const owes = perEra * (future + BigInt(eras));
  return owes >= had ? { ok: true, perEra, paid: owes - had, refunded: 0n, newEnd } : { ok: true, perEra, paid: 0n, refunded: had - owes, newEnd };
}
