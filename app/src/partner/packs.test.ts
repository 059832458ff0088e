import { beforeAll, describe, expect, test } from 'vitest';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { leafHash, merkleRoot, packSalt, verifyProof } from '../../../scripts/lib/drug-codes.mjs';
import { parsePackCode } from '../../../scripts/lib/pack-labels.mjs';
import { en } from '../i18n/messages';
import type { PackCode } from '../medicine/check';
import { CsvFileError } from './csv';
import { labelsCsv, labelsFromCsv, packLabels } from './labels';
import { batchFromCsv, PACKS_HEADERS, packsFromCsv, PacksFileError } from './packs';

const SECRET = new Uint8Array(32).fill(5);
const SALT = `0x${'3c'.repeat(32)}`;
/** A packs file as an EU FMD serialisation system might export it: its own serials and codes. */
const PACKS = Array.from({ length: 7 }, (_, i) => ({ serial: `FMD${String(1000 + i)}`, code: `SC-${i}-${'K'.repeat(i + 8)}` }));

beforeAll(cryptoWaitReady);

describe('a batch from a packs file', () => {
  test('has the root the existing functions give the same packs, and every proof verifies', () => {
    const csv = [PACKS_HEADERS[0], ...PACKS.map((p) => `${p.serial},${p.code}`)].join('\n');
    const batch = batchFromCsv(csv, 100, { secret: SECRET });
    const leaves = PACKS.map((p) => leafHash(p.serial, p.code, packSalt(SECRET, p.serial)));
    expect(u8aToHex(batch.root)).toBe(u8aToHex(merkleRoot(leaves)));
    expect(batch.count).toBe(7);
    expect(batch.packs.map((p) => [p.index, p.serial, p.code])).toEqual(PACKS.map((p, i) => [i, p.serial, p.code]));
    for (const pack of batch.packs) {
      expect(u8aToHex(pack.salt), 'no salt column: each derived from the batch secret').toBe(u8aToHex(packSalt(SECRET, pack.serial)));
      const { index, siblings } = batch.proof(pack.index);
      expect(verifyProof(batch.root, pack.leaf, index, batch.count, siblings)).toBe(true);
    }
  });

  test('uses given salts as given and derives the missing ones; CRLF, a byte-order mark and quoted fields are read', () => {
    const csv = `\uFEFF"Serial","SCRATCH_CODE",salt\r\n${PACKS[0].serial},${PACKS[0].code},${SALT}\r\n"FMD,""2""",${PACKS[1].code},\r\n${PACKS[2].serial},"${PACKS[2].code}", ${SALT.slice(2).toUpperCase()}\r\n\r\n`;
    const batch = batchFromCsv(csv, 100, { secret: SECRET });
    expect(batch.packs.map((p) => p.serial)).toEqual([PACKS[0].serial, 'FMD,"2"', PACKS[2].serial]);
    expect(batch.packs.map((p) => u8aToHex(p.salt))).toEqual([SALT, u8aToHex(packSalt(SECRET, 'FMD,"2"')), SALT]);
    const leaves = [leafHash(PACKS[0].serial, PACKS[0].code, new Uint8Array(32).fill(0x3c)), leafHash('FMD,"2"', PACKS[1].code, packSalt(SECRET, 'FMD,"2"')), leafHash(PACKS[2].serial, PACKS[2].code, new Uint8Array(32).fill(0x3c))];
    expect(u8aToHex(batch.root)).toBe(u8aToHex(merkleRoot(leaves)));
  });

  test('without a secret, derived salts still come from one batch secret, which the batch keeps', () => {
    const batch = batchFromCsv([PACKS_HEADERS[0], ...PACKS.map((p) => `${p.serial},${p.code}`)].join('\n'), 100);
    for (const pack of batch.packs) expect(u8aToHex(pack.salt)).toBe(u8aToHex(packSalt(batch.secret, pack.serial)));
  });

  test('makes labels as a generated batch does: the labels file reads back, and each verification label verifies', () => {
    const csv = [PACKS_HEADERS[1], ...PACKS.map((p, i) => `${p.serial},${p.code},${i === 3 ? SALT : ''}`)].join('\n');
    const batch = batchFromCsv(csv, 100);
    const labels = packLabels({ gtin: '09506000134352', lot: 'FMD-LOT/1', expiry: new Date(Date.UTC(2029, 5, 30)), packs: batch.packs, proof: batch.proof });
    expect(labelsFromCsv(labelsCsv(labels), 100)).toEqual(labels);
    for (const [i, label] of labels.entries()) {
      const read = parsePackCode(label.verification) as Required<PackCode>;
      expect([read.serial, read.code]).toEqual([PACKS[i].serial, PACKS[i].code]);
      expect(verifyProof(batch.root, leafHash(read.serial, read.code, read.salt), read.proof.index, batch.count, read.proof.siblings)).toBe(true);
    }
    expect(u8aToHex((parsePackCode(labels[3].verification) as Required<PackCode>).salt)).toBe(SALT);
  });
});

describe('a bad packs file is refused, naming its line (the header is 1) and what is wrong', () => {
  const refusal = (csv: string, max = 10) => {
    try {
      batchFromCsv(csv, max);
    } catch (error) {
      expect(error).toBeInstanceOf(PacksFileError);
      expect(error).toBeInstanceOf(CsvFileError);
      const { row, problem, detail } = error as PacksFileError;
      expect(en[problem], 'a problem the catalogue words').toBeTruthy();
      return { row, problem, detail };
    }
    throw new Error('the file was accepted');
  };
  const file = (rows: string[][], header: string = PACKS_HEADERS[0]) => [header, ...rows.map((r) => r.join(','))].join('\n');
  const row = (i: number) => [PACKS[i].serial, PACKS[i].code];

  test('the file as a whole', () => {
    expect(refusal('serial,code\nA,B\n')).toMatchObject({ row: 1, problem: 'packs.problem.header' });
    expect(refusal('')).toMatchObject({ row: 1, problem: 'packs.problem.header' });
    expect(refusal(`${PACKS_HEADERS[0]},extra\nA,B,C,D\n`)).toMatchObject({ row: 1, problem: 'packs.problem.header' });
    expect(refusal(`${PACKS_HEADERS[0]}\r\n\r\n`)).toMatchObject({ row: 1, problem: 'packs.problem.empty' });
    expect(refusal(`${PACKS_HEADERS[1]}\n`)).toMatchObject({ row: 1, problem: 'packs.problem.empty' });
    expect(refusal(file([row(0), row(1), row(2)]), 2)).toMatchObject({ row: 4, problem: 'packs.problem.tooMany', detail: '2' });
    expect(() => batchFromCsv(file([row(0), row(1)]), 2)).not.toThrow();
  });

  test('a line without a field for each column', () => {
    expect(refusal(file([row(0), [PACKS[1].serial]]))).toMatchObject({ row: 3, problem: 'packs.problem.columns' });
    expect(refusal(file([row(0), row(1)], PACKS_HEADERS[1]))).toMatchObject({ row: 2, problem: 'packs.problem.columns' });
    expect(refusal(file([row(0), [...row(1), SALT]]))).toMatchObject({ row: 3, problem: 'packs.problem.columns' });
    expect(refusal(file([row(0), ['"unclosed', PACKS[1].code]]))).toMatchObject({ row: 3, problem: 'packs.problem.columns' });
  });

  test('a serial too long, empty or of characters a GS1 DataMatrix cannot carry', () => {
    expect(refusal(file([row(0), row(1), ['S'.repeat(21), 'CODE']]))).toMatchObject({ row: 4, problem: 'packs.problem.serialLength', detail: 'S'.repeat(21) });
    expect(refusal(file([['', 'CODE']]))).toMatchObject({ row: 2, problem: 'packs.problem.serialLength' });
    expect(() => batchFromCsv(file([['S'.repeat(20), 'CODE']]), 10)).not.toThrow();
    expect(refusal(file([row(0), ['FMD 7', 'CODE']]))).toMatchObject({ row: 3, problem: 'packs.problem.serialCharacters', detail: 'FMD 7' });
    expect(refusal(file([row(0), ['FMD#7', 'CODE']]))).toMatchObject({ row: 3, problem: 'packs.problem.serialCharacters' });
    expect(refusal(file([row(0), ['FMDé7', 'CODE']]))).toMatchObject({ row: 3, problem: 'packs.problem.serialCharacters' });
  });

  test('a scratch code empty or too long', () => {
    expect(refusal(file([row(0), [PACKS[1].serial, '']]))).toMatchObject({ row: 3, problem: 'packs.problem.codeLength' });
    expect(refusal(file([row(0), row(1), [PACKS[2].serial, 'C'.repeat(33)]]))).toMatchObject({ row: 4, problem: 'packs.problem.codeLength', detail: PACKS[2].serial });
  });

  test('a serial or scratch code twice', () => {
    expect(refusal(file([row(0), row(1), row(2), [PACKS[1].serial, 'OTHER']]))).toMatchObject({ row: 5, problem: 'packs.problem.duplicateSerial', detail: PACKS[1].serial });
    const twice = refusal(file([row(0), row(1), [PACKS[2].serial, PACKS[0].code]]));
    expect(twice).toMatchObject({ row: 4, problem: 'packs.problem.duplicateCode', detail: PACKS[0].serial });
    expect(twice.detail).not.toContain(PACKS[0].code);
  });

  test('a salt that is not 64 hex digits', () => {
    const salted = (salt: string) => file([[...row(0), SALT], [...row(1), salt]], PACKS_HEADERS[1]);
    for (const salt of ['abc', `0x${'3c'.repeat(31)}`, 'g'.repeat(64), `${SALT}00`]) {
      expect(refusal(salted(salt)), salt).toMatchObject({ row: 3, problem: 'packs.problem.salt', detail: PACKS[1].serial });
    }
  });

  test('packsFromCsv checks the file\'s shape only, leaving the packs to batchFromCsv', () => {
    expect(packsFromCsv(file([row(0), row(0)]), 10)).toEqual([{ serial: PACKS[0].serial, code: PACKS[0].code }, { serial: PACKS[0].serial, code: PACKS[0].code }]);
    expect(packsFromCsv(file([[...row(0), ''], [...row(1), SALT]], PACKS_HEADERS[1]), 10)).toEqual([{ ...PACKS[0] }, { ...PACKS[1], salt: SALT }]);
  });
});
