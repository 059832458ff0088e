// Reader-signed receipts: what a provider's bandwidth report commits to (pallet-storage-power,
// `pallets/storage-power/src/receipts.rs` and `types.rs` `Receipt`), and the Merkle-sum tree they
// are committed in (`primitives/merkle/src/sum.rs`).
//
// A receipt is a GET a reader signed for a provider's vault (the vault request of
// vault-client.mjs's `signingPayload`, vault id = the provider's account) and the bytes the vault
// served for it. With its report of era `e` a provider commits `receiptsRoot`, the root of a
// Merkle-sum tree over `leafCount` receipts of era `e − 1`, in strictly increasing `receiptKey`
// order; the root's sum is the report's `bytesServed`. A challenge names a byte of that total
// (`challengedByte`); the provider answers with the receipt covering it, its path, and the next
// receipt with its path (`receiptAnswer`).
//
//   receipt  = { reader (32), timestampMs (u64), contentId (32), range (Range header value, ''
//                without one), bytes (u64), signature (sr25519, 64) }
//   SCALE    = reader ‖ u64 timestampMs ‖ contentId ‖ compact(len) ‖ range ‖ u64 bytes
//              ‖ 0x01 ‖ signature                   (MultiSignature::Sr25519)
//   key      = blake2_256(reader ‖ u64 timestampMs ‖ contentId ‖ compact(len) ‖ range)
//   leaf     = { hash: blake2_256(0x03 ‖ blake2_256(SCALE(receipt)) ‖ u64 bytes), sum: bytes }
//   node     = { hash: blake2_256(0x04 ‖ left.hash ‖ u64 left.sum ‖ right.hash ‖ u64 right.sum),
//                sum: left.sum + right.sum }
//
// The tree's shape is drug-codes.mjs's (pairs (0,1), (2,3), …, an odd last node promoted
// unchanged, proofs bottom first); sums and amounts are bigints. Call `await cryptoWaitReady()`
// before signing. Browser-safe, like vault-client.mjs and drug-codes.mjs.
import { compactAddLength, stringToU8a, u8aCmp, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { MAX_PROOF_DEPTH, merkleLevels, merkleProof } from './drug-codes.mjs';
import { signingPayload, u64le } from './vault-client.mjs';

/** Longest `Range` header value a receipt carries (`MAX_RANGE_LEN`, types.rs). */
export const MAX_RANGE_LEN = 64;
/** Domain-separation prefixes of a sum-tree leaf and node preimage (`SUM_LEAF_PREFIX`, `SUM_NODE_PREFIX`). */
export const SUM_LEAF_PREFIX = 0x03;
export const SUM_NODE_PREFIX = 0x04;
/** The `MultiSignature` variant of an sr25519 signature. */
export const SR25519_VARIANT = 0x01;

const U64_MAX = (1n << 64n) - 1n;

/** `value` as a bigint u64, or a RangeError naming `what`. */
function u64(value, what) {
  const n = BigInt(value);
  if (n < 0n || n > U64_MAX) throw new RangeError(`${what} ${n} is not a u64`);
  return n;
}

/** `value` (0x-hex or bytes) as exactly `length` bytes, or a RangeError naming `what`. */
function fixed(value, length, what) {
  const bytes = u8aToU8a(value);
  if (bytes.length !== length) throw new RangeError(`${what} is ${bytes.length} bytes, must be ${length}`);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// The receipt (types.rs `Receipt`, receipts.rs)
// ---------------------------------------------------------------------------------------------

/**
 * The number of bytes a `Range` header value `bytes=first-last` asks for (`last − first + 1`), as
 * a bigint, or null for any other form (suffix, open-ended, several ranges): `receipts::range_len`.
 */
export function rangeLength(range) {
  const match = /^bytes=([0-9]{1,20})-([0-9]{1,20})$/.exec(range);
  if (!match) return null;
  const [first, last] = [BigInt(match[1]), BigInt(match[2])];
  if (first > U64_MAX || last > U64_MAX || last < first || last - first + 1n > U64_MAX) return null;
  return last - first + 1n;
}

/** `/objects/0x<content id in lowercase hex>`: the path a receipt's GET was signed for (`receipts::object_path`). */
export function objectPath(contentId) {
  return `/objects/${u8aToHex(fixed(contentId, 32, 'content id'))}`;
}

/**
 * The payload the reader of `receipt` signed for the vault of `provider` (an address, or its 32
 * bytes): vault-client.mjs's `signingPayload` of a GET of `objectPath(contentId)` with no body,
 * the receipt's timestamp and range (`receipts::receipt_payload`).
 */
export function receiptPayload(provider, { contentId, timestampMs, range = '' }) {
  return signingPayload(decodeAddress(provider), {
    method: 'GET', path: objectPath(contentId), contentId: fixed(contentId, 32, 'content id'), bodyLen: 0,
    timestamp: u64(timestampMs, 'timestamp'), range,
  });
}

/**
 * `SCALE(reader, timestamp_ms, content_id, range)`: the request a receipt stands for, without the
 * bytes and signature (the preimage of `receiptKey`, and the start of `encodeReceipt`).
 */
export function encodeRequest({ reader, timestampMs, contentId, range = '' }) {
  const rangeBytes = stringToU8a(range);
  if (rangeBytes.length > MAX_RANGE_LEN) throw new RangeError(`range is ${rangeBytes.length} bytes, at most ${MAX_RANGE_LEN}`);
  return u8aConcat(
    decodeAddress(reader), u64le(u64(timestampMs, 'timestamp')), fixed(contentId, 32, 'content id'),
    compactAddLength(rangeBytes),
  );
}

/**
 * A receipt's SCALE encoding, field by field as types.rs `Receipt`: `encodeRequest` ‖ u64 bytes
 * ‖ `MultiSignature::Sr25519(signature)` (0x01 ‖ 64 bytes).
 */
export function encodeReceipt(receipt) {
  return u8aConcat(
    encodeRequest(receipt), u64le(u64(receipt.bytes, 'bytes')), [SR25519_VARIANT],
    fixed(receipt.signature, 64, 'signature'),
  );
}

/** The key receipts are ordered by: `blake2_256(encodeRequest(receipt))` (`receipts::receipt_key`). */
export function receiptKey(receipt) {
  return blake2AsU8a(encodeRequest(receipt), 256);
}

/** The receipt's leaf: `sumLeaf(blake2_256(SCALE(receipt)), receipt.bytes)` (`receipts::receipt_leaf`). */
export function receiptLeaf(receipt) {
  return sumLeaf(blake2AsU8a(encodeReceipt(receipt), 256), receipt.bytes);
}

/**
 * A receipt `readerPair` (an sr25519 keyring pair, not the provider) signs for a GET of
 * `bytes` bytes of `contentId` from the vault of `provider` (its address or 32 bytes) at
 * `timestampMs`, with the `Range` header value `range` ('' without one): the receipt as
 * `{ reader, timestampMs, contentId, range, bytes, signature }` (bytes fields as Uint8Array,
 * numbers as bigints). Throws for a receipt the chain would never count: no bytes, more bytes
 * than the range asks for, a range that is not `bytes=first-last`, a reader that is the provider.
 */
export function signReceipt(readerPair, provider, { contentId, timestampMs, range = '', bytes }) {
  if (readerPair.type !== undefined && readerPair.type !== 'sr25519') {
    throw new TypeError(`receipts are signed with sr25519, not ${readerPair.type}`);
  }
  const vaultId = decodeAddress(provider);
  const reader = fixed(readerPair.publicKey, 32, 'reader');
  if (u8aCmp(reader, vaultId) === 0) throw new RangeError('a provider cannot sign receipts for its own vault');
  const amount = u64(bytes, 'bytes');
  if (amount < 1n) throw new RangeError('a receipt counts at least one byte');
  if (range !== '') {
    const length = rangeLength(range);
    if (length === null) throw new RangeError(`range ${JSON.stringify(range)} is not bytes=first-last`);
    if (amount > length) throw new RangeError(`${amount} bytes served for a range of ${length}`);
  }
  const receipt = {
    reader, timestampMs: u64(timestampMs, 'timestamp'), contentId: fixed(contentId, 32, 'content id'), range,
    bytes: amount,
  };
  return { ...receipt, signature: readerPair.sign(receiptPayload(vaultId, receipt)) };
}

/**
 * `receipt` as polkadot.js takes a `Receipt` argument: hex for the byte fields (the range as its
 * raw bytes), the signature as `{ Sr25519 }`.
 */
export function receiptArg(receipt) {
  return {
    reader: u8aToHex(decodeAddress(receipt.reader)),
    timestampMs: u64(receipt.timestampMs, 'timestamp'),
    contentId: u8aToHex(fixed(receipt.contentId, 32, 'content id')),
    range: u8aToHex(stringToU8a(receipt.range ?? '')),
    bytes: u64(receipt.bytes, 'bytes'),
    signature: { Sr25519: u8aToHex(fixed(receipt.signature, 64, 'signature')) },
  };
}

// ---------------------------------------------------------------------------------------------
// The Merkle-sum tree (primitives/merkle/src/sum.rs)
// ---------------------------------------------------------------------------------------------

/** The leaf standing for `item` (a 32-byte hash) with `amount`: `SumNode::leaf`. */
export function sumLeaf(item, amount) {
  const sum = u64(amount, 'amount');
  return { hash: blake2AsU8a(u8aConcat([SUM_LEAF_PREFIX], fixed(item, 32, 'item'), u64le(sum)), 256), sum };
}

/** The parent of `left` and `right` (`SumNode::parent`); a RangeError if their sums overflow a u64. */
export function sumParent(left, right) {
  const sum = left.sum + right.sum;
  if (sum > U64_MAX) throw new RangeError(`sum ${left.sum} + ${right.sum} overflows a u64`);
  const preimage = u8aConcat([SUM_NODE_PREFIX], left.hash, u64le(left.sum), right.hash, u64le(right.sum));
  return { hash: blake2AsU8a(preimage, 256), sum };
}

/** Every level of the tree over `leaves`, bottom first; the last level is `[root]`. */
export function sumLevels(leaves) {
  return merkleLevels(leaves, sumParent);
}

/** The root `{ hash, sum }` of `leaves` (or of already built `levels`): `sum_root`. */
export function sumRoot(leavesOrLevels) {
  const levels = Array.isArray(leavesOrLevels[0]) ? leavesOrLevels : sumLevels(leavesOrLevels);
  return levels[levels.length - 1][0];
}

/** The siblings proving leaf `index` of the tree's `levels`, bottom first: `sum_proof`. */
export function sumProof(levels, index) {
  return merkleProof(levels, index).siblings;
}

/**
 * Folds `leaf` at `index` with `siblings` in a tree of `leafCount` leaves, as the chain does
 * (`compute_sum_root`): `{ root, offset }` (offset: the sum of the amounts left of the leaf), or
 * null if `index` is out of range, the siblings do not match the path exactly, or a sum overflows.
 */
export function computeSumRoot(leaf, index, leafCount, siblings) {
  if (index >= leafCount || siblings.length > MAX_PROOF_DEPTH) return null;
  let [node, offset, used] = [leaf, 0n, 0];
  try {
    for (let i = index, width = leafCount; width > 1; i = Math.floor(i / 2), width = Math.ceil(width / 2)) {
      if (i % 2 === 1) {
        if (used >= siblings.length) return null;
        const left = siblings[used++];
        offset += left.sum;
        node = sumParent(left, node);
      } else if (i + 1 < width) {
        if (used >= siblings.length) return null;
        node = sumParent(node, siblings[used++]);
      }
    }
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
  return used === siblings.length ? { root: node, offset } : null;
}

/**
 * The index of the leaf covering amount `position` (offset ≤ position < offset + amount), or null
 * if `position` is not below the total: `leaf_at`.
 */
export function leafAt(leaves, position) {
  const target = BigInt(position);
  let offset = 0n;
  for (let i = 0; i < leaves.length; i++) {
    offset += leaves[i].sum;
    if (target < offset) return i;
  }
  return null;
}

/**
 * The byte of `bytesServed` a challenge at `point` (a u32) falls on: `floor(point × bytesServed /
 * 2^32)`, a bigint below `bytesServed` when it is positive (`Pallet::challenged_byte`, audits.rs).
 */
export function challengedByte(point, bytesServed) {
  const p = BigInt(point);
  if (p < 0n || p > 0xffff_ffffn) throw new RangeError(`point ${p} is not a u32`);
  return (p * u64(bytesServed, 'bytes served')) >> 32n;
}

// ---------------------------------------------------------------------------------------------
// A report's tree and the answer to a challenge of it
// ---------------------------------------------------------------------------------------------

/**
 * The tree a report commits for `receipts`: `{ receipts, keys, leaves, levels, root, total,
 * leafCount }`, the receipts sorted by key (strictly increasing: two receipts of one request
 * throw), `root` the root hash as hex (the report's `receiptsRoot`) and `total` its sum (the
 * report's `bytesServed`, a bigint).
 */
export function receiptTree(receipts) {
  if (receipts.length === 0) throw new RangeError('a receipts tree needs a receipt (a report without any commits 0x00…00 and 0 leaves)');
  const keyed = receipts.map((receipt) => ({ receipt, key: receiptKey(receipt) }))
    .sort((a, b) => u8aCmp(a.key, b.key));
  for (let i = 1; i < keyed.length; i++) {
    if (u8aCmp(keyed[i - 1].key, keyed[i].key) === 0) throw new RangeError(`receipts ${i - 1} and ${i} (by key) are one request`);
  }
  const leaves = keyed.map(({ receipt }) => receiptLeaf(receipt));
  const levels = sumLevels(leaves);
  const root = sumRoot(levels);
  return {
    receipts: keyed.map(({ receipt }) => receipt), keys: keyed.map(({ key }) => key), leaves, levels,
    root: u8aToHex(root.hash), total: root.sum, leafCount: leaves.length,
  };
}

/**
 * The answer to a challenge at `point` of the report committing `tree` (`receiptTree`), as
 * polkadot.js takes `respondChallenge`'s `ReceiptAnswer` (types.rs): the receipt covering the
 * challenged byte with its path, and the next receipt with its path unless it is the last.
 */
export function receiptAnswer(tree, point) {
  const byte = challengedByte(point, tree.total);
  const index = leafAt(tree.leaves, byte);
  if (index === null) throw new RangeError(`byte ${byte} is beyond the tree's ${tree.total}`);
  const proof = (i) => sumProof(tree.levels, i).map(({ hash, sum }) => ({ hash: u8aToHex(hash), sum }));
  const next = index + 1 < tree.leafCount ? [receiptArg(tree.receipts[index + 1]), proof(index + 1)] : null;
  return { leafIndex: index, receipt: receiptArg(tree.receipts[index]), proof: proof(index), next };
}
