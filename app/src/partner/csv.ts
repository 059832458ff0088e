// The CSV files of the manufacturer's page, read in the browser: a batch's labels file
// (labels.ts) and a manufacturer's own packs file (packs.ts). Lines end in LF or CRLF, a
// spreadsheet's byte-order mark and trailing blank lines are ignored, fields may be quoted with
// `"` (quotes doubled inside). A refused file names its line (1 is the header) and the problem.
import type { MessageKey } from '../i18n/messages';

/** Why a CSV file was refused: the file's line (1 is the header) and what is wrong with it. */
export class CsvFileError extends Error {
  constructor(readonly row: number, readonly problem: MessageKey, readonly detail = '') {
    super(`row ${row}: ${problem}${detail ? ` (${detail})` : ''}`);
    this.name = 'CsvFileError';
  }
}

/** The fields of a CSV line (quoted with `"`, quotes doubled inside), or null when it does not parse. */
export function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  const field = /(?:"((?:[^"]|"")*)"|([^",]*))(,|$)/y;
  for (field.lastIndex = 0; ;) {
    const match = field.exec(line);
    if (!match) return null;
    fields.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]);
    if (match[3] === '') return field.lastIndex === line.length ? fields : null;
  }
}

/** What is wrong with a file as a whole: no known header, no data line, too many. */
export type CsvFileProblem = 'header' | 'empty' | 'tooMany';

/**
 * The data lines of a CSV file, trimmed, each with its line number (the header is line 1), and
 * the header it starts with: one of `headers`, compared field by field, trimmed and in lower
 * case (a spreadsheet may quote it). Throws `refuse(row, problem, detail)` when the header is
 * none of them, no line follows it, or more than `maxRows` do.
 */
export function csvRows(text: string, headers: readonly string[], maxRows: number, refuse: (row: number, problem: CsvFileProblem, detail: string) => Error): { header: string; rows: { row: number; line: string }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line) => line.trim());
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const header = csvFields(lines[0] ?? '')?.map((f) => f.trim().toLowerCase()).join(',');
  if (header === undefined || !headers.includes(header)) throw refuse(1, 'header', headers.join(' | '));
  if (lines.length < 2) throw refuse(1, 'empty', '');
  if (lines.length - 1 > maxRows) throw refuse(maxRows + 2, 'tooMany', String(maxRows));
  return { header, rows: lines.slice(1).map((line, i) => ({ row: i + 2, line })) };
}
