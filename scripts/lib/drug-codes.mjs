// The client side of pallet-drug-provenance's pack codes: GS1 check digits, random serials and
// scratch codes, per-pack salts, and the Merkle tree whose root a batch registers on chain, over
// packs generated here (`generateBatch`) or a manufacturer's own (`batchFromPacks`).
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
import { compactAddLength, hexToU8a, stringToU8a, u8aConcat, u8aEq, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { gs1CheckDigit } from './gs1.mjs';

/** Deepest proof the pallet accepts (`MAX_PROOF_DEPTH`). */
export const MAX_PROOF_DEPTH = 32;
/** Longest serial (GS1 AI 21) and scratch code the pallet accepts, in bytes. */
export const MAX_SERIAL_LEN = 20;
export const MAX_SCRATCH_CODE_LEN = 32;
/** GS1 AI encodable character set 82, in which serials (AI 21) and lots (AI 10) are written. */
export const GS1_SET82 = /^[!"%-?A-Z_a-z]+$/;

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

/**
 * Every level of the tree over `leaves`, bottom first; the last level is `[root]`. `parent(left,
 * right)` makes a node (the pallet's `nodeHash` by default; receipts.mjs passes the Merkle-sum
 * tree's, whose shape is the same).
 */
export function merkleLevels(leaves, parent = nodeHash) {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
  if (leaves.length > 0xffff_ffff) throw new RangeError('more than u32::MAX leaves');
  const levels = [leaves];
  for (let level = leaves; level.length > 1;) {
    const next = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i < level.length; i += 2) {
      next[i >> 1] = i + 1 < level.length ? parent(level[i], level[i + 1]) : level[i];
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
// GS1 identifiers (gs1.mjs) and pack labels (pack-labels.mjs), re-exported for the scripts
// ---------------------------------------------------------------------------------------------

export { gs1CheckDigit, hasValidCheckDigit, isValidGtin, isValidGln } from './gs1.mjs';
export {
  DEFAULT_RESOLVER, PackCodeError, gs1Date, packElementString, verificationLabel, parsePackCode,
} from './pack-labels.mjs';
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
 * The batch over `rows` (already checked), a missing salt derived from `secret`. (The JSDoc
 * types let TypeScript callers, the app, see the packs' fields.)
 * @param {{ serial: string, code: string, salt?: Uint8Array }[]} rows
 * @param {Uint8Array} secret
 */
function buildBatch(rows, secret) {
  const packs = rows.map(({ serial, code, salt = packSalt(secret, serial) }, index) => (
    { index, serial, code, salt, leaf: leafHash(serial, code, salt) }
  ));
  const levels = merkleLevels(packs.map((p) => p.leaf));
  return {
    secret: new Uint8Array(secret),
    packs,
    levels,
    root: merkleRoot(levels),
    count: packs.length,
    proof: (index) => merkleProof(levels, index),
  };
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
  return buildBatch(Array.from(serials, (serial) => ({ serial, code: randomScratchCode(codeLength) })), secret);
}

/**
 * Why a manufacturer's packs were refused (`batchFromPacks`): `row` names the pack (1-based, as
 * the caller counts its rows: a file's header is row 1), `code` is machine-readable
 * (`NoPacks`, `SerialLength`, `SerialCharacters`, `CodeLength`, `DuplicateSerial`,
 * `DuplicateCode`, `BadSalt`), `detail` the serial concerned when there is one (never a
 * scratch code).
 */
export class PacksError extends Error {
  constructor(row, code, message, detail = '') {
    super(`row ${row}: ${message}`);
    this.name = 'PacksError';
    this.row = row;
    this.code = code;
    this.detail = detail;
  }
}

/** A given salt as its 32 bytes (a Uint8Array, or hex with or without `0x`), undefined when none is given, null when it is not one. */
function givenSalt(salt) {
  if (salt === undefined || salt === null) return undefined;
  if (salt instanceof Uint8Array) return salt.length === 32 ? new Uint8Array(salt) : null;
  if (typeof salt !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(salt)) return null;
  return hexToU8a(`0x${salt.replace(/^0x/, '').toLowerCase()}`);
}

/**
 * The batch of packs a manufacturer already has (EU FMD style: serials and scratch codes from
 * its own serialisation system). `packs` is `[{ serial, code, salt? }]` in index order: a serial
 * is 1 to `MAX_SERIAL_LEN` characters of GS1 set 82 (AI 21) and unique in the batch, a scratch
 * code 1 to `MAX_SCRATCH_CODE_LEN` bytes and unique too, a salt 32 bytes (or 64 hex digits);
 * a pack without one gets `packSalt(secret, serial)` as generated packs do.
 *
 * Every pack is checked before anything is hashed; the first bad one throws a `PacksError`
 * naming its row, `firstRow` being the first pack's (2 below a file's header). Returns what
 * `generateBatch` returns.
 */
export function batchFromPacks(packs, { secret = randomBytes(32), firstRow = 1 } = {}) {
  if (!Array.isArray(packs) || packs.length === 0) throw new PacksError(firstRow, 'NoPacks', 'there are no packs');
  const serials = new Map();
  const codes = new Map();
  const rows = packs.map((pack, i) => {
    const row = firstRow + i;
    const serial = String(pack?.serial ?? '');
    const code = String(pack?.code ?? '');
    if (serial.length < 1 || serial.length > MAX_SERIAL_LEN) {
      throw new PacksError(row, 'SerialLength', `serial ${JSON.stringify(serial)} is ${serial.length} characters, must be 1 to ${MAX_SERIAL_LEN}`, serial);
    }
    if (!GS1_SET82.test(serial)) {
      throw new PacksError(row, 'SerialCharacters', `serial ${JSON.stringify(serial)} has characters outside GS1 set 82`, serial);
    }
    const codeBytes = stringToU8a(code).length;
    if (codeBytes < 1 || codeBytes > MAX_SCRATCH_CODE_LEN) {
      throw new PacksError(row, 'CodeLength', `the scratch code of ${serial} is ${codeBytes} bytes, must be 1 to ${MAX_SCRATCH_CODE_LEN}`, serial);
    }
    const salt = givenSalt(pack?.salt);
    if (salt === null) throw new PacksError(row, 'BadSalt', `the salt of ${serial} is not 32 bytes of hex`, serial);
    if (serials.has(serial)) {
      throw new PacksError(row, 'DuplicateSerial', `serial ${serial} is already on row ${serials.get(serial)}`, serial);
    }
    if (codes.has(code)) {
      const other = codes.get(code);
      throw new PacksError(row, 'DuplicateCode', `the scratch code of ${serial} is already ${other.serial}'s (row ${other.row})`, other.serial);
    }
    serials.set(serial, row);
    codes.set(code, { serial, row });
    return { serial, code, salt };
  });
  return buildBatch(rows, secret);
}

/** A proof as the pallet's `MerkleProof` argument for @polkadot/api: `{ index, siblings: [hex] }`. */
export const proofArg = ({ index, siblings }) => ({ index, siblings: siblings.map((s) => u8aToHex(s)) });
