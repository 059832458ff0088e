import { describe, expect, test } from 'vitest';
import { seal } from '../../../scripts/lib/seal.mjs';
import { endableRecordOrders, orderRows, perEraCost, quoteView, renewalCost, sealedSizeOf, shortContentId, type OrderView } from './orders';

const MED = 10n ** 12n;
const GIB = 1n << 30n;
const PRICE = MED / 10n; // every preset's 0.1 MED per GiB, era and replica

describe('perEraCost, as the pallet prices an era', () => {
  test('the README\'s worked example: 3 replicas of 10 GiB at 0.1 MED cost 3 MED an era, 6 MED at 0.2', () => {
    expect(perEraCost(10n * GIB, 3, PRICE)).toBe(3n * MED);
    expect(perEraCost(10n * GIB, 3, 2n * PRICE)).toBe(6n * MED);
  });
  test('rounds up, so that no order is free at a positive price', () => {
    // 150 bytes × 3 × 10^11 planck / 2^30 = 41,909.5… planck
    expect(perEraCost(150n, 3, PRICE)).toBe(41_910n);
    expect(perEraCost(1n, 1, 1n)).toBe(1n);
    expect(perEraCost(GIB, 1, 7n)).toBe(7n);
    expect(perEraCost(GIB, 1, 0n)).toBe(0n);
  });
});

describe('sealedSizeOf: the size an order is priced on, known before sealing', () => {
  test('equals the sealed object\'s length, for UTF-8 text and across a chunk boundary', () => {
    for (const text of ['a', 'Blood pressure 128/82.', '血压 128/82，无需调整治疗。', 'x'.repeat(64 * 1024 - 32), 'x'.repeat(64 * 1024 - 31), 'é'.repeat(100_000)]) {
      expect(sealedSizeOf(text), text.slice(0, 20)).toBe(seal(new TextEncoder().encode(text)).object.length);
    }
  });
});

describe('quoteView', () => {
  test('nothing to price without text; refused when the chain would refuse; else per era, in all and up front', () => {
    expect(quoteView(0, { per_era: 1n, total: 30n }, MED / 10n)).toEqual({ kind: 'empty' });
    expect(quoteView(100, undefined, MED / 10n)).toEqual({ kind: 'refused' });
    expect(quoteView(150, { per_era: 41_910n, total: 1_257_300n }, MED / 10n)).toEqual({ kind: 'quote', perEra: 41_910n, total: 1_257_300n, deposit: MED / 10n, upFront: MED / 10n + 1_257_300n });
  });
});

const order = (id: bigint, change: Partial<OrderView> = {}): OrderView => ({
  id, owner: '5Ferdie', content_id: `0x${'ab'.repeat(31)}${id.toString(16).padStart(2, '0')}`, size_bytes: 150n, replicas: 3,
  start_era: 2, end_era: 32, per_era: 41_910n, deposit: MED / 10n, live: true, holders: [], ...change,
});

describe('orderRows', () => {
  test('newest first, each named by the record whose sealed object it keeps, live or ended', () => {
    const orders = [order(0n, { end_era: 5, live: false }), order(1n, { holders: ['5Dave', '5Charlie'] }), order(2n, { start_era: 5, end_era: 6 })];
    const records = [{ id: 7n, contentId: orders[1].content_id.toUpperCase().replace('0X', '0x') }, { id: 8n }];
    const rows = orderRows(orders, records, 5);
    expect(rows.map((r) => r.id)).toEqual([2n, 1n, 0n]);
    // Ending it now (cancel_order) refunds its 26 eras after the current one.
    expect(rows[1]).toMatchObject({ recordId: 7n, contentShort: shortContentId(orders[1].content_id), held: 2, perEra: 41_910n, paidUntilEra: 32, erasLeft: 26, live: true, removable: false, cancelRefund: 26n * 41_910n });
    // Ended at the start of era 5: removable, its deposit back, nothing to cancel.
    expect(rows[2]).toMatchObject({ recordId: undefined, live: false, removable: true, erasLeft: 0, cancelRefund: 0n });
    // Paid for the current era only: cancelling refunds nothing (the era stays paid).
    expect(rows[0]).toMatchObject({ live: true, held: 0, removable: false, erasLeft: 0, paidUntilEra: 6, cancelRefund: 0n });
    expect(shortContentId(orders[0].content_id)).toMatch(/^0xabab…ab00$/);
  });
});

describe('endableRecordOrders', () => {
  test('the live orders a record\'s issuer placed for it, and no other', () => {
    const orders = [
      order(1n, { owner: '5Hospital' }),
      order(2n, { owner: '5Hospital', live: false }),
      order(3n, { owner: '5Hospital' }),
      order(4n, { owner: '5Stranger' }),
    ];
    // Record 7 is kept by order 1 (live) and record 8 by order 2 (ended); order 3 keeps another's
    // object; record 10 was issued by the hospital but its order was placed by a stranger.
    const records = [
      { id: 7n, contentId: orders[0].content_id, issuer: '5Hospital' },
      { id: 8n, contentId: orders[1].content_id, issuer: '5Hospital' },
      { id: 9n, issuer: '5Hospital' },
      { id: 10n, contentId: orders[3].content_id, issuer: '5Hospital' },
    ];
    expect(endableRecordOrders(orders, records, 5).map((o) => [o.id, o.recordId])).toEqual([[1n, 7n]]);
    expect(endableRecordOrders(orders, [], 5)).toEqual([]);
  });
});

describe('renewalCost, as renew_order charges', () => {
  const row = (perEra: bigint, paidUntilEra: number) => ({ sizeBytes: 10n * GIB, replicas: 3, perEra, paidUntilEra, live: true });
  test('the README\'s example: in era 11, an order paid to era 12 renewed for 1 era at 0.2 MED pays 6 MED', () => {
    expect(renewalCost(row(3n * MED, 12), 1, 11, 2n * PRICE, 366)).toEqual({ ok: true, perEra: 6n * MED, paid: 6n * MED, refunded: 0n, newEnd: 13 });
  });
  test('the eras after the current one are repriced: a rise is paid, a fall refunded', () => {
    // Era 10, paid to 20: eras 11–19 (9) were paid at 3 MED; 5 more at 6 MED: 6 × 14 − 3 × 9 = 57.
    expect(renewalCost(row(3n * MED, 20), 5, 10, 2n * PRICE, 366)).toMatchObject({ ok: true, paid: 57n * MED, refunded: 0n, newEnd: 25 });
    // The price halved: 1.5 × 10 − 3 × 9 = −12, refunded.
    expect(renewalCost(row(3n * MED, 20), 1, 10, PRICE / 2n, 366)).toMatchObject({ ok: true, paid: 0n, refunded: 12n * MED });
    // Unchanged price: just the new eras.
    expect(renewalCost(row(3n * MED, 20), 4, 10, PRICE, 366)).toMatchObject({ ok: true, paid: 12n * MED, refunded: 0n });
  });
  test('refused beyond MaxOrderEras from now, for no eras, and once ended', () => {
    expect(renewalCost(row(3n * MED, 20), 356, 10, PRICE, 366)).toMatchObject({ ok: true, newEnd: 376 });
    expect(renewalCost(row(3n * MED, 20), 357, 10, PRICE, 366)).toEqual({ ok: false, problem: 'eras' });
    expect(renewalCost(row(3n * MED, 20), 0, 10, PRICE, 366)).toEqual({ ok: false, problem: 'eras' });
    expect(renewalCost({ ...row(3n * MED, 10), live: false }, 5, 10, PRICE, 366)).toEqual({ ok: false, problem: 'expired' });
  });
});
