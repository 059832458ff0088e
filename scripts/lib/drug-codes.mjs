// The client side of pallet-drug-provenance's pack codes: GS1 check digits, random serials and
// scratch codes, per-pack salts, and the Merkle tree whose root a batch registers on chain.
//
// The scheme is the pallet's (`pallets/drug-provenance/src/merkle.rs`, README "Merkle scheme"):
//   leaf = blake2_256(0x00 ‖ SCALE(serial) ‖ SCALE(scratch_code) ‖ salt32)
//   node = blake2_256(0x01 ‖ left ‖ right)
// Leaves in index order; each level pairs (0,1), (2,3), …; an odd last node is promoted unchanged
// (never duplicated); the root of one leaf is the leaf. A proof is `{ index, siblings }`,
// siblings bottom-up, none for a level where the node is promoted.
//
// Call `await cryptoWaitReady()` (or `connect()`/`devAccounts()` from chain.mjs) before hashing:
// blake2 then runs in WebAssembly and 1,000 packs take a few milliseconds.
//
// Node and browsers alike import it (the app parses and checks pack labels with it), so it uses
// Web Crypto's `getRandomValues`, not `node:crypto`.
import { compactAddLength, stringToU8a, u8aConcat, u8aEq, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

/** Deepest proof the pallet accepts (`MAX_PROOF_DEPTH`). */
export const MAX_PROOF_DEPTH = 32;
/** Longest serial (GS1 AI 21) and scratch code the pallet accepts, in bytes. */
export const MAX_SERIAL_LEN = 20;
export const MAX_SCRATCH_CODE_LEN = 32;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

const bytes = (x) => (typeof x === 'string' ? stringToU8a(x) : x);

/** `length` random bytes; a default batch secret is 32 of them. */
function randomBytes(length) {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** `blake2_256(0x00 ‖ SCALE(serial) ‖ SCALE(scratchCode) ‖ salt)`; strings are taken as UTF-8 (ASCII). */
export function leafHash(serial, scratchCode, salt) {
  const s = bytes(serial);
  const c = bytes(scratchCode);
  if (s.length > MAX_SERIAL_LEN) throw new RangeError(`serial is ${s.length} bytes, at most ${MAX_SERIAL_LEN}`);
  if (c.length > MAX_SCRATCH_CODE_LEN) throw new RangeError(`scratch code is ${c.length} bytes, at most ${MAX_SCRATCH_CODE_LEN}`);
  if (salt.length !== 32) throw new RangeError(`salt is ${salt.length} bytes, must be 32`);
  return blake2AsU8a(u8aConcat(LEAF_PREFIX, compactAddLength(s), compactAddLength(c), salt), 256);
}

/** `blake2_256(0x01 ‖ left ‖ right)`. */
export function nodeHash(left, right) {
  return blake2AsU8a(u8aConcat(NODE_PREFIX, left, right), 256);
}

/** Every level of the tree over `leaves`, bottom first; the last level is `[root]`. */
export function merkleLevels(leaves) {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
  if (leaves.length > 0xffff_ffff) throw new RangeError('more than u32::MAX leaves');
  const levels = [leaves];
  for (let level = leaves; level.length > 1;) {
    const next = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i < level.length; i += 2) {
      next[i >> 1] = i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i];
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

/** The root of `leaves` (or of already built `levels`). */
export function merkleRoot(leavesOrLevels) {
  const levels = Array.isArray(leavesOrLevels[0]) ? leavesOrLevels : merkleLevels(leavesOrLevels);
  return levels[levels.length - 1][0];
}

/** The proof `{ index, siblings }` of leaf `index` from the tree's `levels`. */
export function merkleProof(levels, index) {
  if (!Number.isInteger(index) || index < 0 || index >= levels[0].length) {
    throw new RangeError(`leaf index ${index} out of range 0..${levels[0].length}`);
  }
  const siblings = [];
  for (let l = 0, i = index; l < levels.length - 1; l++, i >>= 1) {
    const s = i % 2 ? i - 1 : i + 1;
    if (s < levels[l].length) siblings.push(levels[l][s]);
  }
  return { index, siblings };
}

/**
 * The root reached from `leaf` at `index` in a tree of `leafCount` leaves, or null when the index
 * is out of range or the number of siblings does not match the path exactly (as the pallet's
 * `merkle::compute_root`).
 */
export function computeRoot(leaf, index, leafCount, siblings) {
  if (index >= leafCount || siblings.length > MAX_PROOF_DEPTH) return null;
  let hash = leaf;
  let used = 0;
  for (let i = index, width = leafCount; width > 1; i = Math.floor(i / 2), width = Math.ceil(width / 2)) {
    if (i % 2 === 1) {
      if (used >= siblings.length) return null;
      hash = nodeHash(siblings[used++], hash);
    } else if (i + 1 < width) {
      if (used >= siblings.length) return null;
      hash = nodeHash(hash, siblings[used++]);
    }
  }
  return used === siblings.length ? hash : null;
}

/** Whether `siblings` prove `leaf` at `index` under `root` for `leafCount` leaves (as `merkle::verify`). */
export function verifyProof(root, leaf, index, leafCount, siblings) {
  const computed = computeRoot(leaf, index, leafCount, siblings);
  return computed !== null && u8aEq(computed, root);
}

// ---------------------------------------------------------------------------------------------
// GS1 identifiers
// ---------------------------------------------------------------------------------------------

/** The GS1 mod-10 check digit of `body` (digits left of the check digit): weights 3, 1, 3, … from the right. */
export function gs1CheckDigit(body) {
  if (!/^[0-9]+$/.test(body)) throw new TypeError(`not digits: ${JSON.stringify(body)}`);
  let sum = 0;
  for (let p = 0; p < body.length; p++) {
    sum += Number(body[body.length - 1 - p]) * (p % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether `digits` are all digits and end with the right GS1 check digit (GTIN, GLN, SSCC). */
export function hasValidCheckDigit(digits) {
  return /^[0-9]{2,}$/.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

export const isValidGtin = (gtin) => gtin.length === 14 && hasValidCheckDigit(gtin);
export const isValidGln = (gln) => gln.length === 13 && hasValidCheckDigit(gln);

const randomDigits = (n) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** A random GTIN-14: packaging indicator `0`, 12 random digits, check digit. */
export function randomGtin() {
  const body = `0${randomDigits(12)}`;
  return body + gs1CheckDigit(body);
}

/** A random GLN-13: 12 random digits and the check digit. */
export function randomGln() {
  const body = randomDigits(12);
  return body + gs1CheckDigit(body);
}

// ---------------------------------------------------------------------------------------------
// Codes and batches
// ---------------------------------------------------------------------------------------------

/** Crockford base32: digits and upper-case letters without I, L, O, U (all in GS1 set 82). */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` random Crockford base32 characters: 5 bits of entropy each (16 characters = 80 bits). */
export function randomBase32(length) {
  const raw = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[raw[i] & 31];
  return out;
}

/** A random scratch code of `length` characters (default 16: 80 bits, the README's minimum). */
export const randomScratchCode = (length = 16) => randomBase32(length);

/** The per-pack salt the README recommends: `blake2_256(batchSecret ‖ serial)`. */
export function packSalt(batchSecret, serial) {
  return blake2AsU8a(u8aConcat(batchSecret, bytes(serial)), 256);
}

/**
 * Generates the labels of a batch of `count` packs and the tree over them. Serials are random
 * (`SN` + 12 base32 characters, unique in the batch, as DSCSA recommends), scratch codes 16
 * random base32 characters, salts derived per pack from a random 32-byte batch secret.
 *
 * Returns `{ secret, packs, levels, root, count, proof(i) }`; `packs[i]` is
 * `{ index, serial, code, salt, leaf }`. Everything but `root` and `count` stays with the
 * manufacturer (or its verification service).
 */
export function generateBatch(count, { secret = randomBytes(32), codeLength = 16 } = {}) {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`pack count ${count}`);
  const serials = new Set();
  while (serials.size < count) serials.add(`SN${randomBase32(12)}`);
  const packs = Array.from(serials, (serial, index) => {
    const code = randomScratchCode(codeLength);
    const salt = packSalt(secret, serial);
    return { index, serial, code, salt, leaf: leafHash(serial, code, salt) };
  });
  const levels = merkleLevels(packs.map((p) => p.leaf));
  return {
    secret: new Uint8Array(secret),
    packs,
    levels,
    root: merkleRoot(levels),
    count,
    proof: (index) => merkleProof(levels, index),
  };
}

/** A proof as the pallet's `MerkleProof` argument for @polkadot/api: `{ index, siblings: [hex] }`. */
export const proofArg = ({ index, siblings }) => ({ index, siblings: siblings.map((s) => u8aToHex(s)) });

// ---------------------------------------------------------------------------------------------
// Pack labels: what the manufacturer prints, what a checker scans or types
// ---------------------------------------------------------------------------------------------
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
    if (bytes.length < 36 || (bytes.length - 36) % 32 !== 0 || (bytes.length - 36) / 32 > MAX_PROOF_DEPTH) {
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
