import { beforeAll, describe, expect, test } from 'vitest';
import bwipjs from 'bwip-js/node';
import { BinaryBitmap, DataMatrixReader, DecodeHintType, HybridBinarizer, RGBLuminanceSource } from '@zxing/library';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { generateBatch, leafHash, verifyProof } from '../../../scripts/lib/drug-codes.mjs';
import { parsePackCode } from '../../../scripts/lib/pack-labels.mjs';
import type { PackCode } from '../medicine/check';
import { expiryText, LABELS_HEADER, labelsCsv, labelsFromCsv, LabelsFileError, labelSymbols, packLabels, type LabelSymbol, type PackLabel } from './labels';

const GTIN = '09506000134352';
const EXPIRY = new Date(Date.UTC(2028, 11, 31));

/** What a scanner reads from `symbol` as bwip-js draws it: its modules, 4 pixels each with a quiet zone, through ZXing. */
function scan(symbol: LabelSymbol): string {
  const [raw] = bwipjs.raw(symbol);
  if (!('pixs' in raw)) throw new Error(`${symbol.bcid} drew no matrix`);
  const { pixs, pixx, pixy } = raw;
  const scale = 4;
  const quiet = 4;
  const width = (pixx + 2 * quiet) * scale;
  const height = (pixy + 2 * quiet) * scale;
  const luma = new Uint8ClampedArray(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [mx, my] = [Math.floor(x / scale) - quiet, Math.floor(y / scale) - quiet];
      if (mx >= 0 && my >= 0 && mx < pixx && my < pixy && pixs[my * pixx + mx]) luma[y * width + x] = 0;
    }
  }
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luma, width, height)));
  return new DataMatrixReader().decode(bitmap, new Map([[DecodeHintType.PURE_BARCODE, true]])).getText();
}

describe('a batch\'s labels', () => {
  let codes: ReturnType<typeof generateBatch>;
  let labels: PackLabel[];
  beforeAll(async () => {
    await cryptoWaitReady();
    codes = generateBatch(5);
    labels = packLabels({ gtin: GTIN, lot: 'L-42/A', expiry: EXPIRY, packs: codes.packs, proof: codes.proof });
  });

  test('one label per pack: the public element string outside, the scratch code only under the panel', () => {
    expect(labels).toHaveLength(5);
    const pack = codes.packs[2];
    expect(labels[2]).toMatchObject({ gtin: GTIN, lot: 'L-42/A', serial: pack.serial, expiry: '281231', carton: `(01)${GTIN}(17)281231(10)L-42/A(21)${pack.serial}` });
    for (const [i, label] of labels.entries()) {
      expect(label.carton).not.toContain(codes.packs[i].code);
      expect(label.verification).toContain(`c=${codes.packs[i].code}`);
    }
    expect(expiryText('281231')).toBe('2028-12-31');
    expect(expiryText('281200')).toBe('2028-12');
  });

  test('each carton symbol, scanned, is read by the app\'s parser as the pack it names, and carries no scratch code', () => {
    for (const [i, label] of labels.entries()) {
      const { carton } = labelSymbols(label);
      expect(carton.bcid).toBe('gs1datamatrix');
      const read = scan(carton);
      // GS1 DataMatrix: FNC1 first, a group separator after the variable-length lot.
      expect(read.replace(/^\u001d/, '')).toBe(`01${GTIN}17281231` + `10L-42/A\u001d21${codes.packs[i].serial}`);
      expect(read).not.toContain(codes.packs[i].code);
      expect(parsePackCode(read)).toEqual({ gtin: GTIN, expiry: '281231', lot: 'L-42/A', serial: codes.packs[i].serial });
      expect(parsePackCode(read)).toEqual(parsePackCode(label.carton));
    }
  });

  test('the verification symbol, scanned, is the label that verifies the pack against the batch\'s root', () => {
    const { verification } = labelSymbols(labels[3]);
    const read = scan(verification);
    expect(read).toBe(labels[3].verification);
    const code = parsePackCode(read) as Required<PackCode>;
    expect([code.gtin, code.lot, code.serial, code.code]).toEqual([GTIN, 'L-42/A', codes.packs[3].serial, codes.packs[3].code]);
    expect(verifyProof(codes.root, leafHash(code.serial, code.code, code.salt), code.proof.index, codes.count, code.proof.siblings)).toBe(true);
  });

  test('the labels file reads back as the same labels, also as a spreadsheet saves it again', () => {
    const csv = labelsCsv(labels);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(LABELS_HEADER);
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe(`"${codes.packs[2].serial}","${labels[2].carton}","${labels[2].verification}"`);
    expect(labelsFromCsv(csv, 10)).toEqual(labels);
    const resaved = `\uFEFF${lines.map((l) => l.replace(/"/g, '')).join('\r\n')}\r\n\r\n`;
    expect(labelsFromCsv(resaved, 10)).toEqual(labels);
  });

  describe('a bad row is refused, naming its line and what is wrong', () => {
    const refusal = (csv: string, max = 10) => {
      try {
        labelsFromCsv(csv, max);
      } catch (error) {
        expect(error).toBeInstanceOf(LabelsFileError);
        const { row, problem, detail } = error as LabelsFileError;
        return { row, problem, detail };
      }
      throw new Error('the file was accepted');
    };
    const file = (rows: string[][]) => [LABELS_HEADER, ...rows.map((r) => r.join(','))].join('\n');
    const row = (i: number) => [labels[i].serial, labels[i].carton, labels[i].verification];

    test('the file as a whole', () => {
      expect(refusal('serial,code\n')).toMatchObject({ row: 1, problem: 'labels.problem.header' });
      expect(refusal(`${LABELS_HEADER}\n`)).toMatchObject({ row: 1, problem: 'labels.problem.empty' });
      expect(refusal(file([row(0), row(1), row(2)]), 2)).toMatchObject({ row: 4, problem: 'labels.problem.tooMany' });
    });

    test('a line\'s fields', () => {
      expect(refusal(file([row(0), [labels[1].serial, labels[1].carton]]))).toMatchObject({ row: 3, problem: 'labels.problem.columns' });
      expect(refusal(file([row(0), ['"unclosed', labels[1].carton, labels[1].verification]]))).toMatchObject({ row: 3, problem: 'labels.problem.columns' });
      const badGtin = refusal(file([[labels[0].serial, labels[0].carton.replace(GTIN, '09506000134353'), labels[0].verification]]));
      expect(badGtin).toMatchObject({ row: 2, problem: 'labels.problem.carton' });
      expect(badGtin.detail).toMatch(/check digit/);
      expect(refusal(file([[labels[0].serial, `(01)${GTIN}(10)L-42/A(21)${labels[0].serial}`, labels[0].verification]])))
        .toMatchObject({ row: 2, problem: 'labels.problem.carton' });
    });

    test('a scratch code where it would be printed outside the panel', () => {
      expect(refusal(file([[labels[0].serial, labels[0].verification, labels[0].verification]]))).toMatchObject({ row: 2, problem: 'labels.problem.secretOutside' });
    });

    test('a pack that is not the same pack in every field, of another batch, or twice', () => {
      expect(refusal(file([row(0), [labels[1].serial, labels[2].carton, labels[2].verification]]))).toMatchObject({ row: 3, problem: 'labels.problem.mismatch' });
      expect(refusal(file([row(0), [labels[1].serial, labels[1].carton, labels[2].verification]]))).toMatchObject({ row: 3, problem: 'labels.problem.mismatch' });
      expect(refusal(file([[labels[0].serial, labels[0].carton, labels[0].carton]]))).toMatchObject({ row: 2, problem: 'labels.problem.verification' });
      expect(refusal(file([[labels[0].serial, labels[0].carton, labels[0].verification.replace(/c=[^&]+&/, '')]]))).toMatchObject({ row: 2, problem: 'labels.problem.verification' });
      const later = packLabels({ gtin: GTIN, lot: 'L-42/A', expiry: new Date(Date.UTC(2029, 0, 31)), packs: codes.packs, proof: codes.proof });
      expect(refusal(file([row(0), [later[1].serial, later[1].carton, later[1].verification]]))).toMatchObject({ row: 3, problem: 'labels.problem.otherBatch' });
      expect(refusal(file([row(0), row(1), row(0)]))).toMatchObject({ row: 4, problem: 'labels.problem.duplicate', detail: labels[0].serial });
    });

    test('a lot or serial no GS1 DataMatrix can carry', () => {
      const hashed = packLabels({ gtin: GTIN, lot: 'L#42', expiry: EXPIRY, packs: codes.packs, proof: codes.proof });
      expect(refusal(file([[hashed[0].serial, hashed[0].carton, hashed[0].verification]]))).toMatchObject({ row: 2, problem: 'labels.problem.characters' });
      expect(() => bwipjs.raw(labelSymbols(hashed[0]).carton)).toThrow(/CSET 82/);
    });
  });
});
