import { expect, test } from 'vitest';
import { reviewRows } from './reviews';

const view = (reviewer: string, review: bigint, records: bigint[], expires_at = 500) => ({ reviewer, review, records, granted_at: 100, expires_at });

test('each reviewer with the claim, the cited records by type, and the end, by claim then reviewer', () => {
  const records = [{ id: 3n, typeCode: '11526-1' }, { id: 7n, typeCode: '11502-2' }, { id: 9n, typeCode: '60591-5' }];
  const rows = reviewRows([view('5Zed', 2n, [7n]), view('5Carol', 2n, [7n, 3n], 480), view('5Bea', 1n, [3n])], records);
  expect(rows).toEqual([
    { reviewer: '5Bea', claim: 1n, records: [{ id: 3n, typeCode: '11526-1' }], expiresAt: 500 },
    { reviewer: '5Carol', claim: 2n, records: [{ id: 7n, typeCode: '11502-2' }, { id: 3n, typeCode: '11526-1' }], expiresAt: 480 },
    { reviewer: '5Zed', claim: 2n, records: [{ id: 7n, typeCode: '11502-2' }], expiresAt: 500 },
  ]);
});

test('a cited record the patient no longer has is listed by its number alone', () => {
  expect(reviewRows([view('5Bea', 1n, [4n])], [{ id: 3n, typeCode: '11526-1' }])[0].records).toEqual([{ id: 4n, typeCode: undefined }]);
});

test('no review access, no rows', () => {
  expect(reviewRows([], [{ id: 3n, typeCode: '11526-1' }])).toEqual([]);
});
