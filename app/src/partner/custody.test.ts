import { describe, expect, test } from 'vitest';
import { Binary } from 'polkadot-api';
import { batchArgs, custodyIndexFor, custodyOf, gtinKey, packCount, type Entry, type StoredBatch, type StoredTransfer } from './custody';

const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const FERDIE = '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL';
const GTIN = '09506000134352';

const batch = (change: Partial<StoredBatch> = {}): StoredBatch => ({
  gtin: gtinKey(GTIN), lot: Binary.fromText('L1'), manufacturer: EVE, expiry: 5000, quantity: 100, status: { type: 'Active' }, pending: 0, dispensed: 0, destroyed: 0, ...change,
});
const transfer = (from: string, to: string, quantity: number, state: StoredTransfer['state'], expires_at = 3000): StoredTransfer => ({ from, to, quantity, dispatched_at: 10, expires_at, state });

describe('custodyOf', () => {
  const batches: Array<Entry<[number], StoredBatch>> = [
    { keyArgs: [0], value: batch() },
    { keyArgs: [1], value: batch({ lot: Binary.fromText('L2'), pending: 20, expiry: 900 }) },
    { keyArgs: [2], value: batch({ lot: Binary.fromText('L3'), manufacturer: FERDIE }) },
  ];
  const holdings: Array<Entry<[number, string], number>> = [
    { keyArgs: [0, EVE], value: 90 }, { keyArgs: [0, DAVE], value: 10 }, { keyArgs: [1, EVE], value: 80 }, { keyArgs: [2, FERDIE], value: 100 },
  ];
  const transfers: Array<Entry<[number, number], StoredTransfer>> = [
    { keyArgs: [0, 0], value: transfer(EVE, DAVE, 10, { type: 'Received', value: { at: 12 } }) },
    { keyArgs: [1, 0], value: transfer(EVE, DAVE, 20, { type: 'Pending' }) },
  ];
  test('a manufacturer sees what it made, who holds it, and its status at this block', () => {
    const { batches: mine, incoming } = custodyOf(EVE, 1000, batches, holdings, transfers);
    expect(mine.map((b) => [b.id, b.lot, b.gtin, b.held, b.status, b.inTransit])).toEqual([[1, 'L2', GTIN, 80, 'Expired', 20], [0, 'L1', GTIN, 90, 'Active', 0]]);
    expect(mine[1].holders).toEqual({ [EVE]: 90, [DAVE]: 10 });
    expect(incoming).toEqual([]);
  });
  test('a pharmacy sees the batches it holds or was sent, and the shipments waiting for it', () => {
    const { batches: mine, incoming } = custodyOf(DAVE, 1000, batches, holdings, transfers);
    expect(mine.map((b) => [b.id, b.held])).toEqual([[1, 0], [0, 10]]);
    expect(incoming.map((h) => [h.batchId, h.lot, h.index, h.quantity, h.from])).toEqual([[1, 'L2', 0, 20, EVE]]);
    // A pending transfer past its expiry is no longer offered.
    expect(custodyOf(DAVE, 3000, batches, holdings, transfers).incoming).toEqual([]);
  });
  test('a holder sees which recalls it has acknowledged, and only its own acknowledgements count', () => {
    const acks: Array<Entry<[number, string], unknown>> = [{ keyArgs: [0, DAVE], value: 12 }, { keyArgs: [1, EVE], value: 12 }];
    expect(custodyOf(DAVE, 1000, batches, holdings, transfers, acks).batches.map((b) => [b.id, b.recallAcknowledged])).toEqual([[1, false], [0, true]]);
    expect(custodyOf(EVE, 1000, batches, holdings, transfers, acks).batches.map((b) => [b.id, b.recallAcknowledged])).toEqual([[1, true], [0, false]]);
  });
  test('reporting a batch it neither made nor holds names the transfer that gave it custody', () => {
    const { batches: mine } = custodyOf(DAVE, 1000, batches, holdings, transfers);
    expect(custodyIndexFor(DAVE, mine.find((b) => b.id === 1)!)).toBe(0);
    expect(custodyIndexFor(DAVE, mine.find((b) => b.id === 0)!)).toBeUndefined();
    expect(custodyIndexFor(EVE, custodyOf(EVE, 1000, batches, holdings, transfers).batches[0])).toBeUndefined();
  });
});

describe('batchArgs', () => {
  const head = { number: 1000, timestampMs: Date.UTC(2026, 11, 2, 12, 0, 0) };
  const form = { gtin: GTIN, lot: 'LOT-42', expiry: '2028-12-01', quantity: '500' };
  test('a batch expiring at a future date, as a block', () => {
    const checked = batchArgs(form, head, 6000);
    expect(checked.ok && [checked.gtin, checked.lot, checked.quantity]).toEqual([GTIN, 'LOT-42', 500]);
    expect(checked.ok && checked.expiry).toBeGreaterThan(1000 + 700 * 14_400);
  });
  test('says what to correct', () => {
    expect(batchArgs({ ...form, gtin: '09506000134353' }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.gtin' });
    expect(batchArgs({ ...form, lot: 'has space' }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.lot' });
    expect(batchArgs({ ...form, lot: 'L'.repeat(21) }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.lot' });
    // `#` is printable ASCII but not of GS1 set 82: no GS1 DataMatrix could carry the lot.
    expect(batchArgs({ ...form, lot: 'LOT#42' }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.lot' });
    expect(batchArgs({ ...form, expiry: '2026-01-01' }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.expiry' });
    expect(batchArgs({ ...form, quantity: '0' }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.quantity' });
    expect(batchArgs({ ...form, quantity: '10001' }, head, 6000)).toEqual({ ok: false, problem: 'partner.invalid.quantity' });
  });
});

test('a pack count is a whole number up to what is held', () => {
  expect(packCount('10', 10)).toBe(10);
  expect([packCount('11', 10), packCount('0', 10), packCount('', 10), packCount('2.5', 10)]).toEqual([null, null, null, null]);
});
