// Pack labels: what the manufacturer prints, what a checker scans or types. Apart from
// drug-codes.mjs (the Merkle tree, which needs blake2 and its WebAssembly) so that the app's
// public medicine check loads neither.
//
// A pack carries two codes:
// - the GS1 DataMatrix on the carton: GTIN (01), expiry (17), lot (10), serial (21), as an
//   element string (`packElementString`). It is public; it finds the batch, its status and trace.
// - the verification label under the scratch-off panel: a GS1 Digital Link URI (QR or DataMatrix)
//   with the same identifiers and, as query parameters, the scratch code (`c`) and the pack's
//   salt and Merkle proof (`p`, base64url of salt ‖ u32 LE leaf index ‖ siblings), everything
//   `verify_pack` needs (`verificationLabel`). Salt and proof are not secret (see the pallet's
//   README, "Codes, salt and brute force"); the scratch code is, until the first check spends it.
// `parsePackCode` reads either, from a scan or typed text.
import { u8aConcat } from '@polkadot/util';
import { isValidGtin } from './gs1.mjs';

/** Where verification labels point unless the manufacturer names its own resolver. */
export const DEFAULT_RESOLVER = 'https://medchain.example';

/** Why a scanned or typed code was refused; `code` is machine-readable. */
export class PackCodeError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'PackCodeError';
    this.code = code;
  }
}

/** GS1 application identifiers of fixed length this module reads, with their length. */
const FIXED_AIS = { '01': 14, '11': 6, '17': 6 };
/** Variable-length application identifiers this module reads, with their maximum length. */
const VARIABLE_AIS = { 10: 20, 21: 20 };
/** GS1's group separator, which ends a variable-length field (FNC1 in a scanned symbol). */
const GROUP_SEPARATOR = '\u001d';

function base64UrlEncode(u8a) {
  return btoa(String.fromCharCode(...u8a)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new PackCodeError('BadProof', 'the proof is not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A date as GS1's YYMMDD (UTC). */
export function gs1Date(date) {
  const yy = String(date.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${yy}${mm}${dd}`;
}

/**
 * The carton's GS1 element string in the bracketed form label printers take, e.g.
 * `(01)09506000134352(17)281231(10)L123(21)SN456`. `expiry` is a Date.
 */
export function packElementString({ gtin, lot, serial, expiry }) {
  return `(01)${gtin}${expiry ? `(17)${gs1Date(expiry)}` : ''}(10)${lot}(21)${serial}`;
}

/** The verification label's GS1 Digital Link URI for a pack of `generateBatch`. */
export function verificationLabel({ gtin, lot, serial, code, salt, proof, resolver = DEFAULT_RESOLVER }) {
  const index = new Uint8Array(4);
  new DataView(index.buffer).setUint32(0, proof.index, true);
  const payload = u8aConcat(salt, index, ...proof.siblings);
  const path = `01/${gtin}/10/${encodeURIComponent(lot)}/21/${encodeURIComponent(serial)}`;
  return `${resolver.replace(/\/$/, '')}/${path}?c=${encodeURIComponent(code)}&p=${base64UrlEncode(payload)}`;
}

function checkedGtin(gtin) {
  // GTIN-8/12/13 are written as GTIN-14 with leading zeros, as the chain stores them.
  const padded = gtin.padStart(14, '0');
  if (!/^[0-9]{8,14}$/.test(gtin) || !isValidGtin(padded)) {
    throw new PackCodeError('BadGtin', `${gtin} is not a GTIN (its check digit is wrong or it is not 8–14 digits)`);
  }
  return padded;
}

function parseDigitalLink(url) {
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const at = segments.indexOf('01');
  if (at < 0 || at + 1 >= segments.length) throw new PackCodeError('Unrecognised', 'the link names no GTIN (01)');
  const fields = { gtin: checkedGtin(segments[at + 1]) };
  for (let i = at + 2; i + 1 < segments.length; i += 2) {
    if (segments[i] === '10') fields.lot = segments[i + 1];
    if (segments[i] === '21') fields.serial = segments[i + 1];
  }
  const expiry = url.searchParams.get('17');
  if (expiry) fields.expiry = expiry;
  const code = url.searchParams.get('c');
  const payload = url.searchParams.get('p');
  if (code) fields.code = code;
  if (payload) {
    const bytes = base64UrlDecode(payload);
    // Its depth is the chain's to judge: a proof deeper than the pallet's limit proves nothing.
    if (bytes.length < 36 || (bytes.length - 36) % 32 !== 0) {
      throw new PackCodeError('BadProof', 'the label\'s proof has the wrong length');
    }
    const siblings = [];
    for (let at2 = 36; at2 < bytes.length; at2 += 32) siblings.push(bytes.slice(at2, at2 + 32));
    fields.salt = bytes.slice(0, 32);
    fields.proof = { index: new DataView(bytes.buffer, bytes.byteOffset + 32, 4).getUint32(0, true), siblings };
  }
  return fields;
}

function parseElementString(text) {
  // A scanner may put the symbology identifier first (]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]C1
  // GS1-128) and ends a variable-length field with FNC1, read as the group separator; typed text
  // writes each application identifier in brackets instead.
  let rest = text.trim().replace(/^\][A-Za-z][0-9]/, '').replace(/^\u001d/, '');
  const bracketed = rest.startsWith('(');
  const fields = {};
  while (rest.length > 0) {
    let ai;
    if (bracketed) {
      const match = /^\((\d{2,4})\)/.exec(rest);
      if (!match) throw new PackCodeError('Unrecognised', `unexpected text in the element string: ${rest.slice(0, 12)}`);
      ai = match[1];
      rest = rest.slice(match[0].length);
    } else {
      ai = rest.slice(0, 2);
      rest = rest.slice(2);
    }
    let value;
    if (bracketed && (ai in FIXED_AIS || ai in VARIABLE_AIS)) {
      // Brackets delimit every field (and a GTIN-13 may be typed without its leading zero).
      const end = rest.search(/\(\d{2,4}\)|$/);
      value = rest.slice(0, end);
      rest = rest.slice(end);
      const limit = FIXED_AIS[ai] ?? VARIABLE_AIS[ai];
      if (value.length > limit) throw new PackCodeError('Unrecognised', `AI (${ai}) is longer than ${limit} characters`);
    } else if (ai in FIXED_AIS) {
      value = rest.slice(0, FIXED_AIS[ai]);
      rest = rest.slice(FIXED_AIS[ai]);
    } else if (ai in VARIABLE_AIS) {
      const end = rest.indexOf(GROUP_SEPARATOR);
      value = end < 0 ? rest : rest.slice(0, end);
      rest = end < 0 ? '' : rest.slice(end);
      if (value.length > VARIABLE_AIS[ai]) throw new PackCodeError('Unrecognised', `AI (${ai}) is longer than ${VARIABLE_AIS[ai]} characters`);
    } else {
      throw new PackCodeError('Unrecognised', `application identifier (${ai}) is not one a medicine pack carries here`);
    }
    rest = rest.replace(/^\u001d/, '');
    if (ai === '01') fields.gtin = checkedGtin(value);
    if (ai === '17') fields.expiry = value;
    if (ai === '10') fields.lot = value;
    if (ai === '21') fields.serial = value;
  }
  if (!fields.gtin) throw new PackCodeError('Unrecognised', 'the code names no GTIN (01)');
  return fields;
}

/**
 * Reads a scanned or typed pack code: a verification label (GS1 Digital Link URI) or a carton's
 * GS1 element string (bracketed, or with group separators as a scanner returns it). Returns
 * `{ gtin, lot?, serial?, expiry? (YYMMDD), code?, salt?, proof? }`; a pack can be verified when
 * `code`, `salt` and `proof` are there. Throws a `PackCodeError` for anything else.
 */
export function parsePackCode(text) {
  const trimmed = String(text).trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url;
    try {
      url = new URL(trimmed);
    } catch {
      throw new PackCodeError('Unrecognised', 'not a valid link');
    }
    return parseDigitalLink(url);
  }
  return parseElementString(trimmed);
}
