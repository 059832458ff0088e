// A manufacturer's own packs file: the serials and scratch codes its serialisation system (EU FMD
// style) already gave a batch's packs, registered as they are instead of codes generated here.
// Read and checked in the browser; the tree is drug-codes.mjs's `batchFromPacks`, so a batch
// from a file has the same packs, salts, root and proofs as a generated one, and the same labels.
//
// The file (CSV, see csv.ts): the header `serial,scratch_code` or `serial,scratch_code,salt`,
// then one pack a line in the order of its leaf index. A serial is 1 to 20 characters of GS1
// set 82 (AI 21), a scratch code 1 to 32 bytes, both unique in the file; a salt is 64 hex digits
// (`0x` optional). Without the salt column, or with a salt cell left empty, the pack's salt is
// derived from a random batch secret, as a generated pack's is. E.g.
//
//   serial,scratch_code,salt
//   FMD0000001,Q7K2M9XR4TZ8WB1N,
//   "FMD,0000002",H3J8P6VC2DXK5MSA,0x5d1f…(64 hex digits)
import type { MessageKey } from '../i18n/messages';
import { batchFromPacks, PacksError } from '../../../scripts/lib/drug-codes.mjs';
import { CsvFileError, csvFields, csvRows } from './csv';

/** The headers a packs file may start with: without and with its own salts. */
export const PACKS_HEADERS = ['serial,scratch_code', 'serial,scratch_code,salt'] as const;

/** One line of a packs file. `salt` is hex, absent when the pack's salt is to be derived. */
export interface PackRow { serial: string; code: string; salt?: string }

/** A batch made from a packs file: what `generateBatch` returns. */
export type PacksBatch = ReturnType<typeof batchFromPacks>;

/** Why a packs file was refused: the file's line (1 is the header) and what is wrong with it. */
export class PacksFileError extends CsvFileError {
  override name = 'PacksFileError';
}

/** The catalogue's words for drug-codes.mjs's `PacksError` codes. */
const PACK_PROBLEMS: Record<string, MessageKey> = {
  NoPacks: 'packs.problem.empty',
  SerialLength: 'packs.problem.serialLength',
  SerialCharacters: 'packs.problem.serialCharacters',
  CodeLength: 'packs.problem.codeLength',
  DuplicateSerial: 'packs.problem.duplicateSerial',
  DuplicateCode: 'packs.problem.duplicateCode',
  BadSalt: 'packs.problem.salt',
};

/**
 * The packs of a packs file, at most `maxPacks`, each line's fields trimmed. Checks the file's
 * shape only (header, number of lines and of fields); `batchFromCsv` checks the packs too.
 */
export function packsFromCsv(text: string, maxPacks: number): PackRow[] {
  const { header, rows } = csvRows(text, PACKS_HEADERS, maxPacks, (row, problem, detail) => new PacksFileError(row, `packs.problem.${problem}`, detail));
  const columns = header.split(',').length;
  return rows.map(({ row, line }) => {
    const fields = csvFields(line);
    if (!fields || fields.length !== columns) throw new PacksFileError(row, 'packs.problem.columns', header);
    const [serial, code, salt] = fields.map((f) => f.trim());
    return salt ? { serial, code, salt } : { serial, code };
  });
}

/**
 * The batch of a packs file: every line checked (by `packsFromCsv`, then by `batchFromPacks`)
 * before anything is hashed, the first bad one refused with a `PacksFileError` naming its line.
 * Hashes with blake2: call after `cryptoWaitReady()` to have it in WebAssembly.
 */
export function batchFromCsv(text: string, maxPacks: number, options: { secret?: Uint8Array } = {}): PacksBatch {
  const packs = packsFromCsv(text, maxPacks);
  try {
    return batchFromPacks(packs, { ...options, firstRow: 2 });
  } catch (error) {
    if (!(error instanceof PacksError) || !(error.code in PACK_PROBLEMS)) throw error;
    throw new PacksFileError(error.row, PACK_PROBLEMS[error.code], error.detail);
  }
}
