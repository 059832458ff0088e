// A drug-provenance partner's view of custody: the batches it made, holds or moves, the transfers
// waiting for it, and the arguments of a new batch (its labels are labels.ts). Pure (no chain),
// so the rules are unit-tested; the page reads `DrugProvenance`'s storage.
import { Binary } from 'polkadot-api';
import { dateToBlock, parseDateInput, type BlockClock } from '../chain/format';
import type { MessageKey } from '../i18n/messages';
import type { BatchStatusName } from '../medicine/verdict';
import { isValidGtin } from '../../../scripts/lib/gs1.mjs';
import { GS1_SET82 } from '../../../scripts/lib/drug-codes.mjs';

/** A batch as `DrugProvenance.Batches` stores it (polkadot-api), the fields used here. */
export interface StoredBatch {
  gtin: string;
  lot: Uint8Array;
  manufacturer: string;
  expiry: number;
  quantity: number;
  status: { type: string };
  pending: number;
  dispensed: number;
  destroyed: number;
}

/** A transfer as `DrugProvenance.Transfers` stores it. */
export interface StoredTransfer {
  from: string;
  to: string;
  quantity: number;
  dispatched_at: number;
  expires_at: number;
  state: { type: 'Pending' | 'Received' | 'Rejected' | 'Expired'; value?: { at: number } };
}

export interface Entry<K extends unknown[], V> {
  keyArgs: K;
  value: V;
}

export interface TransferItem {
  batchId: number;
  /** The batch's lot, as partners call it. */
  lot: string;
  index: number;
  from: string;
  to: string;
  quantity: number;
  dispatchedAt: number;
  expiresAt: number;
  state: StoredTransfer['state'];
}

export interface PartnerBatch {
  id: number;
  gtin: string;
  lot: string;
  manufacturer: string;
  expiry: number;
  quantity: number;
  /** The stored status, `Expired` once the expiry block is reached (as the runtime API says). */
  status: BatchStatusName;
  /** Packs I hold. */
  held: number;
  inTransit: number;
  dispensed: number;
  /** Packs of every holder, by account. */
  holders: Record<string, number>;
  /** The batch's transfers in dispatch order. */
  transfers: TransferItem[];
  /** Whether I acknowledged the batch's recall (`RecallAcks`). */
  recallAcknowledged: boolean;
}

export interface Custody {
  batches: PartnerBatch[];
  /** Transfers addressed to me, waiting for my receipt or refusal. */
  incoming: TransferItem[];
}

/** The GTIN a batch or product key stores (hex of its 14 ASCII digits) as digits. */
export const gtinText = (stored: string) => Binary.toText(Binary.fromHex(stored));
/** GTIN digits as the chain's key. */
export const gtinKey = (gtin: string) => Binary.toHex(Binary.fromText(gtin));

/**
 * The batches `me` made, holds, or sent or was sent packs of, and the transfers waiting for it,
 * at block `now`; `recallAcks` are the chain's acknowledgements of recalls, by batch and holder.
 */
export function custodyOf(
  me: string,
  now: number,
  batches: Array<Entry<[number], StoredBatch>>,
  holdings: Array<Entry<[number, string], number>>,
  transfers: Array<Entry<[number, number], StoredTransfer>>,
  recallAcks: Array<Entry<[number, string], unknown>> = [],
): Custody {
  const acknowledged = new Set(recallAcks.filter(({ keyArgs: [, holder] }) => holder === me).map(({ keyArgs: [batchId] }) => batchId));
  const hops = new Map<number, TransferItem[]>();
  const incoming: TransferItem[] = [];
  const lots = new Map(batches.map(({ keyArgs: [id], value }) => [id, Binary.toText(value.lot)]));
  for (const { keyArgs: [batchId, index], value } of transfers) {
    const item = { batchId, lot: lots.get(batchId) ?? `#${batchId}`, index, from: value.from, to: value.to, quantity: value.quantity, dispatchedAt: value.dispatched_at, expiresAt: value.expires_at, state: value.state };
    hops.set(batchId, [...(hops.get(batchId) ?? []), item]);
    if (value.to === me && value.state.type === 'Pending' && now < value.expires_at) incoming.push(item);
  }
  const holders = new Map<number, Record<string, number>>();
  for (const { keyArgs: [batchId, account], value } of holdings) {
    holders.set(batchId, { ...(holders.get(batchId) ?? {}), [account]: value });
  }
  const mine: PartnerBatch[] = [];
  for (const { keyArgs: [id], value: batch } of batches) {
    const batchHolders = holders.get(id) ?? {};
    const batchHops = (hops.get(id) ?? []).sort((a, b) => a.index - b.index);
    const involved = batch.manufacturer === me || me in batchHolders || batchHops.some((h) => h.from === me || h.to === me);
    if (!involved) continue;
    const stored = batch.status.type as BatchStatusName;
    mine.push({
      id,
      gtin: gtinText(batch.gtin),
      lot: Binary.toText(batch.lot),
      manufacturer: batch.manufacturer,
      expiry: batch.expiry,
      quantity: batch.quantity,
      status: stored === 'Active' && now >= batch.expiry ? 'Expired' : stored,
      held: batchHolders[me] ?? 0,
      inTransit: batch.pending,
      dispensed: batch.dispensed,
      holders: batchHolders,
      transfers: batchHops,
      recallAcknowledged: acknowledged.has(id),
    });
  }
  return { batches: mine.sort((a, b) => b.id - a.id), incoming: incoming.sort((a, b) => a.batchId - b.batchId || a.index - b.index) };
}

/**
 * Which of `batch`'s transfers lets `me` report it suspect when it is neither the manufacturer
 * nor a holder (the pallet's `custody` argument): the latest transfer it sent or received.
 * Undefined when it needs none or has none.
 */
export function custodyIndexFor(me: string, batch: PartnerBatch): number | undefined {
  if (batch.manufacturer === me || batch.held > 0) return undefined;
  const mine = batch.transfers.filter((h) => h.from === me || h.to === me);
  return mine.length ? mine[mine.length - 1].index : undefined;
}

export interface BatchForm {
  gtin: string;
  lot: string;
  /** `YYYY-MM-DD`: the batch expires at the start of that day, local time. */
  expiry: string;
  quantity: string;
}

/** Packs a batch registered from this page may have, generated or from a packs file (their tree and labels are made in the browser). */
export const MAX_PACKS = 10_000;

/** `register_batch`'s arguments but the codes' root, or what to correct. */
export function batchArgs(form: BatchForm, head: BlockClock, blockTimeMs: number):
  { ok: true; gtin: string; lot: string; expiry: number; expiryDate: Date; quantity: number } | { ok: false; problem: MessageKey } {
  const gtin = form.gtin.trim();
  if (!isValidGtin(gtin)) return { ok: false, problem: 'partner.invalid.gtin' };
  const lot = form.lot.trim();
  // GS1 AI 10: up to 20 characters of set 82 (what a GS1 DataMatrix may carry).
  if (lot.length > 20 || !GS1_SET82.test(lot)) return { ok: false, problem: 'partner.invalid.lot' };
  const expiryDate = parseDateInput(form.expiry);
  if (!expiryDate) return { ok: false, problem: 'partner.invalid.expiry' };
  const expiry = dateToBlock(expiryDate, head, blockTimeMs);
  if (expiry <= head.number) return { ok: false, problem: 'partner.invalid.expiry' };
  const quantity = Number(form.quantity.trim());
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_PACKS) return { ok: false, problem: 'partner.invalid.quantity' };
  return { ok: true, gtin, lot, expiry, expiryDate, quantity };
}

/** A positive whole number of packs from a form field, at most `max`; null otherwise. */
export function packCount(text: string, max: number): number | null {
  const n = Number(text.trim());
  return text.trim() && Number.isInteger(n) && n >= 1 && n <= max ? n : null;
}
