// Printable pack labels: what each pack's label carries, made from a batch generated in this
// browser or read back from its labels file (CSV), and the symbols that draw it. Pure, so it is
// unit-tested; LabelSheet.tsx draws the labels with bwip-js, loaded only when the sheet opens.
// The codes are written and read by the scripts' pack-labels.mjs, the parser the check page's
// scanner uses, so a label says exactly what a scan of it will be read as.
//
// What goes where (the design of pack-labels.mjs and check.ts):
// - Outside, always visible: the carton's GS1 DataMatrix of the public element string,
//   (01) GTIN (17) expiry (10) lot (21) serial, and the same four in words. Anyone may scan it:
//   it finds the batch, its status and custody trail, and proves nothing about the pack itself.
// - Under the scratch-off panel: the verification label, a DataMatrix of the GS1 Digital Link
//   URI that carries the scratch code, salt and Merkle proof, with that text printed under it
//   (what the check page takes typed). The scratch code is the pack's secret until its first
//   check spends it: check.ts sends `verify_pack` only with a code read from this label, so a
//   code visible on the shelf could be checked (spent) or copied onto a counterfeit by anyone
//   who handled the pack. It therefore never enters the outer symbol or text; a labels file
//   whose carton column carries a code is refused.
import { canVerifyPack, type PackCode } from '../medicine/check';
import type { MessageKey } from '../i18n/messages';
import { gs1Date, packElementString, parsePackCode, verificationLabel } from '../../../scripts/lib/pack-labels.mjs';
import { GS1_SET82 } from '../../../scripts/lib/drug-codes.mjs';
import { CsvFileError, csvFields, csvRows } from './csv';

/** What one pack's label carries. `carton` and `verification` are the texts of its two symbols. */
export interface PackLabel {
  gtin: string;
  lot: string;
  serial: string;
  /** GS1's YYMMDD. */
  expiry: string;
  /** The carton's GS1 element string, bracketed: `(01)…(17)…(10)…(21)…`. Public. */
  carton: string;
  /** The verification label's GS1 Digital Link URI, with the scratch code. Under the panel. */
  verification: string;
}

/** The header of the labels file. */
export const LABELS_HEADER = 'serial,carton,verification_label';

/** One pack of a batch (drug-codes.mjs `generateBatch` or `batchFromPacks`). */
interface GeneratedPack { serial: string; code: string; salt: Uint8Array }

/** The labels of a batch made in this browser, one per pack in index order. */
export function packLabels({ gtin, lot, expiry, packs, proof }: { gtin: string; lot: string; expiry: Date; packs: GeneratedPack[]; proof: (index: number) => { index: number; siblings: Uint8Array[] } }): PackLabel[] {
  return packs.map((pack, index) => ({
    gtin,
    lot,
    serial: pack.serial,
    expiry: gs1Date(expiry),
    carton: packElementString({ gtin, lot, serial: pack.serial, expiry }),
    verification: verificationLabel({ gtin, lot, serial: pack.serial, code: pack.code, salt: pack.salt, proof: proof(index) }),
  }));
}

/**
 * The labels file, one pack a line, for a label printer: serial, the carton's element string and
 * the verification label. It holds every pack's scratch code: whoever has it can check the
 * packs, so it goes to the printer only.
 */
export function labelsCsv(labels: readonly PackLabel[]): string {
  const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;
  return [LABELS_HEADER, ...labels.map((l) => [l.serial, l.carton, l.verification].map(quote).join(','))].join('\n') + '\n';
}

/** Why a labels file was refused: the file's line (1 is the header) and what is wrong with it. */
export class LabelsFileError extends CsvFileError {
  override name = 'LabelsFileError';
}

function parsed(text: string, row: number, problem: MessageKey): PackCode {
  try {
    return parsePackCode(text);
  } catch (error) {
    throw new LabelsFileError(row, problem, error instanceof Error ? error.message : String(error));
  }
}

/**
 * The labels of a labels file (as `labelsCsv` writes it, or as a spreadsheet saves it again),
 * every row checked: its carton code names GTIN, expiry, lot and serial and no scratch code, its
 * verification label can verify the same pack, lot and serial are of GS1 set 82, and every row
 * is of the same batch with a serial of its own. Throws a `LabelsFileError` at the first bad row.
 */
export function labelsFromCsv(text: string, maxPacks: number): PackLabel[] {
  const { rows } = csvRows(text, [LABELS_HEADER], maxPacks, (row, problem, detail) => new LabelsFileError(row, `labels.problem.${problem}`, detail));
  const serials = new Set<string>();
  const labels: PackLabel[] = [];
  for (const { row, line } of rows) {
    const fields = csvFields(line);
    if (!fields || fields.length !== 3) throw new LabelsFileError(row, 'labels.problem.columns');
    const [serial, cartonText, verificationText] = fields.map((f) => f.trim());
    const carton = parsed(cartonText, row, 'labels.problem.carton');
    if (carton.code || /^https?:/i.test(cartonText)) throw new LabelsFileError(row, 'labels.problem.secretOutside');
    if (!carton.lot || !carton.serial || !carton.expiry) throw new LabelsFileError(row, 'labels.problem.carton', cartonText);
    if (!GS1_SET82.test(carton.lot) || !GS1_SET82.test(carton.serial)) throw new LabelsFileError(row, 'labels.problem.characters');
    if (carton.serial !== serial) throw new LabelsFileError(row, 'labels.problem.mismatch', `${serial} ≠ ${carton.serial}`);
    const verification = parsed(verificationText, row, 'labels.problem.verification');
    if (!canVerifyPack(verification)) throw new LabelsFileError(row, 'labels.problem.verification');
    if (verification.gtin !== carton.gtin || verification.lot !== carton.lot || verification.serial !== carton.serial) {
      throw new LabelsFileError(row, 'labels.problem.mismatch', `${verification.gtin} ${verification.lot} ${verification.serial}`);
    }
    const first = labels[0] ?? carton;
    if (carton.gtin !== first.gtin || carton.lot !== first.lot || carton.expiry !== first.expiry) {
      throw new LabelsFileError(row, 'labels.problem.otherBatch', `${carton.gtin} ${carton.lot} ${carton.expiry}`);
    }
    if (serials.has(serial)) throw new LabelsFileError(row, 'labels.problem.duplicate', serial);
    serials.add(serial);
    labels.push({ gtin: carton.gtin, lot: carton.lot, serial, expiry: carton.expiry, carton: cartonText, verification: verificationText });
  }
  return labels;
}

/** GS1's YYMMDD as an ISO date (`YYYY-MM`, when the day is 00: the end of that month). */
export function expiryText(yymmdd: string): string {
  const [yy, mm, dd] = [yymmdd.slice(0, 2), yymmdd.slice(2, 4), yymmdd.slice(4, 6)];
  return dd === '00' ? `20${yy}-${mm}` : `20${yy}-${mm}-${dd}`;
}

/** A symbol to draw: bwip-js's encoder and its text. */
export interface LabelSymbol { bcid: 'gs1datamatrix' | 'datamatrix'; text: string }

/** The two symbols of a pack's label: the carton's GS1 DataMatrix outside, the verification label's DataMatrix under the panel. */
export function labelSymbols(label: PackLabel): { carton: LabelSymbol; verification: LabelSymbol } {
  return {
    // GS1 DataMatrix (FNC1 first): scanners return the element string with group separators.
    carton: { bcid: 'gs1datamatrix', text: label.carton },
    // A URI in a plain DataMatrix, as GS1 Digital Link allows; the check page reads it as a link.
    verification: { bcid: 'datamatrix', text: label.verification },
  };
}
