// Unit tests of scripts/lib/receipts.mjs against the definitions it mirrors: the Merkle-sum tree
// of primitives/merkle/src/sum.rs (preimages, proofs, offsets, `leaf_at`), the challenged byte of
// pallet-storage-power's audits.rs, and the receipt of its receipts.rs and types.rs (SCALE layout,
// key, and the reader's signature over the vault GET).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { stringToU8a, u8aConcat, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import {
  challengedByte, computeSumRoot, encodeReceipt, leafAt, rangeLength, receiptAnswer, receiptArg, receiptKey,
  receiptLeaf, receiptTree, signReceipt, sumLeaf, sumLevels, sumParent, sumProof, sumRoot,
} from '../../scripts/lib/receipts.mjs';

let alice;
let bob;
before(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

const U64_MAX = (1n << 64n) - 1n;
const filled = (length, byte) => new Uint8Array(length).fill(byte);
/** Little-endian u64 bytes, written out by hand. */
const le64 = (n) => Uint8Array.from({ length: 8 }, (_, i) => Number((BigInt(n) >> BigInt(8 * i)) & 0xffn));
/** Leaves with items 0x00…, 0x01…, … and `amounts`, as sum.rs's tests build them. */
const leavesOf = (amounts) => amounts.map((amount, i) => sumLeaf(filled(32, i), amount));

test('a sum leaf and node hash the documented preimages', () => {
  const item = filled(32, 9);
  const leaf = sumLeaf(item, 5);
  assert.deepEqual(leaf, { hash: blake2AsU8a(u8aConcat([0x03], item, [5, 0, 0, 0, 0, 0, 0, 0]), 256), sum: 5n });
  const right = sumLeaf(item, 6);
  const node = sumParent(leaf, right);
  const preimage = u8aConcat([0x04], leaf.hash, [5, 0, 0, 0, 0, 0, 0, 0], right.hash, [6, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(node, { hash: blake2AsU8a(preimage, 256), sum: 11n });
  // The odd last node is promoted unchanged.
  const three = leavesOf([1, 2, 3]);
  assert.deepEqual(sumRoot(three), sumParent(sumParent(three[0], three[1]), three[2]));
  assert.deepEqual(sumRoot([leaf]), leaf);
});

test('a sum that overflows a u64 has no parent and folds to nothing', () => {
  const [big, one] = leavesOf([U64_MAX, 1n]);
  assert.throws(() => sumParent(big, one), RangeError);
  assert.throws(() => sumRoot([big, one]), RangeError);
  assert.equal(computeSumRoot(one, 1, 2, [big]), null);
  assert.throws(() => sumLeaf(filled(32, 0), U64_MAX + 1n), RangeError);
});

test('every leaf proves its offset and the root sums all amounts, for several leaf counts', () => {
  const amountSets = [[7], [1, 2], [5, 0, 9], [3, 1, 4, 1, 5], [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5],
    Array.from({ length: 16 }, (_, i) => i + 1), Array.from({ length: 17 }, (_, i) => (i * 7919) % 101),
    Array.from({ length: 33 }, () => 1n << 40n)];
  for (const amounts of amountSets) {
    const leaves = leavesOf(amounts);
    const levels = sumLevels(leaves);
    const root = sumRoot(levels);
    const total = amounts.reduce((sum, a) => sum + BigInt(a), 0n);
    assert.equal(root.sum, total, `${amounts.length} leaves`);
    let offset = 0n;
    for (const [i, leaf] of leaves.entries()) {
      const proof = sumProof(levels, i);
      assert.ok(proof.length <= Math.ceil(Math.log2(leaves.length)), 'no sibling for a promoted node');
      assert.deepEqual(computeSumRoot(leaf, i, leaves.length, proof), { root, offset }, `leaf ${i} of ${leaves.length}`);
      if (leaf.sum > 0n) {
        assert.equal(leafAt(leaves, offset), i);
        assert.equal(leafAt(leaves, offset + leaf.sum - 1n), i);
      }
      offset += leaf.sum;
    }
    assert.equal(leafAt(leaves, offset), null, 'the total is beyond the last leaf');
  }
});

test('a changed amount, a moved leaf or an inexact proof does not fold to the root', () => {
  const leaves = leavesOf([3, 1, 4, 1, 5]);
  const levels = sumLevels(leaves);
  const root = sumRoot(levels);
  const proof = sumProof(levels, 2);
  const rootOf = (folded) => folded && u8aToHex(folded.root.hash);
  assert.notEqual(rootOf(computeSumRoot({ ...leaves[2], sum: 400n }, 2, 5, proof)), u8aToHex(root.hash));
  assert.notEqual(rootOf(computeSumRoot(leaves[2], 3, 5, proof)), u8aToHex(root.hash));
  assert.equal(computeSumRoot(leaves[2], 2, 5, proof.slice(1)), null);
  assert.equal(computeSumRoot(leaves[2], 2, 5, [...proof, root]), null);
  assert.equal(computeSumRoot(leaves[2], 5, 5, proof), null);
});

test('leafAt finds the leaf covering a position, skipping empty leaves', () => {
  const leaves = leavesOf([2, 0, 3]);
  assert.deepEqual([0n, 1n, 2n, 3n, 4n].map((p) => leafAt(leaves, p)), [0, 0, 2, 2, 2]);
  assert.equal(leafAt(leaves, 5n), null);
  assert.equal(leafAt([], 0n), null);
});

test('the challenged byte is floor(point × bytes served / 2^32), always below a positive total', () => {
  assert.equal(challengedByte(0, 12345n), 0n);
  assert.equal(challengedByte(2 ** 31, 10n), 5n);
  assert.equal(challengedByte(2 ** 32 - 1, 1n), 0n);
  assert.equal(challengedByte(2 ** 32 - 1, 0n), 0n);
  assert.equal(challengedByte(2 ** 32 - 1, 1n << 32n), (1n << 32n) - 1n);
  assert.equal(challengedByte(2 ** 32 - 1, U64_MAX), (((1n << 32n) - 1n) * U64_MAX) >> 32n);
  assert.ok(challengedByte(2 ** 32 - 1, U64_MAX) < U64_MAX);
  assert.throws(() => challengedByte(2 ** 32, 1n), RangeError);
  assert.throws(() => challengedByte(-1, 1n), RangeError);
  assert.throws(() => challengedByte(0, U64_MAX + 1n), RangeError);
});

test('only a single closed byte range has a length', () => {
  assert.equal(rangeLength('bytes=0-4095'), 4096n);
  assert.equal(rangeLength('bytes=7-7'), 1n);
  for (const other of ['', 'bytes=5-4', 'bytes=-500', 'bytes=100-', 'bytes=0-1,5-9', 'bytes= 0-1', 'items=0-1',
    'bytes=0-99999999999999999999']) {
    assert.equal(rangeLength(other), null, other);
  }
});

// A receipt with every field distinguishable in its encoding.
const CONTENT_ID = filled(32, 0xd0);
const TIMESTAMP = 0x0102030405060708n;
const RANGE = 'bytes=0-4095';

test('a receipt encodes as types.rs lays it out, byte for byte', () => {
  const receipt = {
    reader: filled(32, 0x11), timestampMs: TIMESTAMP, contentId: CONTENT_ID, range: RANGE, bytes: 4096n,
    signature: filled(64, 0xaa),
  };
  const expected = new Uint8Array([
    ...filled(32, 0x11), // reader: AccountId32
    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // timestamp_ms: u64 LE
    ...filled(32, 0xd0), // content_id: H256
    12 << 2, ...Buffer.from('bytes=0-4095'), // range: compact length 12, then the bytes
    0x00, 0x10, 0, 0, 0, 0, 0, 0, // bytes: u64 LE 4096
    0x01, ...filled(64, 0xaa), // signature: MultiSignature::Sr25519
  ]);
  assert.deepEqual(encodeReceipt(receipt), expected);
  // The key hashes the request alone (no bytes, no signature); the leaf the whole receipt.
  assert.deepEqual(receiptKey(receipt), blake2AsU8a(expected.subarray(0, 32 + 8 + 32 + 1 + 12), 256));
  assert.deepEqual(receiptLeaf(receipt), sumLeaf(blake2AsU8a(expected, 256), 4096n));
  // Without a range: a zero length and nothing else.
  const bare = encodeReceipt({ ...receipt, range: '' });
  assert.deepEqual(bare.subarray(72, 73), new Uint8Array([0]));
  assert.equal(bare.length, expected.length - 12);
  // polkadot.js encodes the argument form (`receiptArg`) of the same struct to the same bytes.
  const registry = new TypeRegistry();
  registry.register({
    Receipt: { reader: 'AccountId32', timestampMs: 'u64', contentId: 'H256', range: 'Bytes', bytes: 'u64', signature: 'MultiSignature' },
  });
  assert.deepEqual(registry.createType('Receipt', receiptArg(receipt)).toU8a(), expected);
});

/** The payload of a GET of CONTENT_ID from vault `vaultId`, laid out by hand as receipts.rs's `request_payload`. */
function handPayload(vaultId, timestamp, range) {
  return new Uint8Array([
    ...Buffer.from('medchain-vault/v1'), ...vaultId, ...Buffer.from('GET'), 0,
    ...Buffer.from(`/objects/0x${'d0'.repeat(32)}`), 0, ...CONTENT_ID, ...le64(0), ...le64(timestamp),
    ...Buffer.from(range),
  ]);
}

test('signReceipt signs the vault GET of the provider as the chain checks it', () => {
  for (const range of [RANGE, '']) {
    const receipt = signReceipt(alice, bob.address, { contentId: u8aToHex(CONTENT_ID), timestampMs: TIMESTAMP, range, bytes: 4096 });
    assert.deepEqual(receipt.reader, alice.publicKey);
    assert.equal(receipt.timestampMs, TIMESTAMP);
    assert.equal(receipt.bytes, 4096n);
    assert.equal(receipt.range, range);
    const payload = handPayload(bob.publicKey, TIMESTAMP, range);
    assert.equal(signatureVerify(payload, receipt.signature, alice.address).isValid, true, `range '${range}'`);
    // Signed for Bob's vault only: the same GET of another vault is another payload.
    assert.equal(signatureVerify(handPayload(alice.publicKey, TIMESTAMP, range), receipt.signature, alice.address).isValid, false);
    assert.equal(signatureVerify(handPayload(bob.publicKey, TIMESTAMP + 1n, range), receipt.signature, alice.address).isValid, false);
  }
  // A browser wallet signs `<Bytes>` ‖ payload ‖ `</Bytes>`, which the chain accepts too.
  const wallet = { type: 'sr25519', publicKey: alice.publicKey, sign: (m) => alice.sign(u8aWrapBytes(m)) };
  const wrapped = signReceipt(wallet, bob.publicKey, { contentId: CONTENT_ID, timestampMs: TIMESTAMP, range: RANGE, bytes: 1 });
  const payload = handPayload(bob.publicKey, TIMESTAMP, RANGE);
  assert.equal(signatureVerify(u8aConcat(stringToU8a('<Bytes>'), payload, stringToU8a('</Bytes>')), wrapped.signature, alice.address).isValid, true);
});

test('signReceipt refuses receipts the chain would never count', () => {
  const fields = { contentId: CONTENT_ID, timestampMs: 1, range: RANGE, bytes: 4096 };
  assert.throws(() => signReceipt(bob, bob.address, fields), /own vault/);
  assert.throws(() => signReceipt(alice, bob.address, { ...fields, bytes: 0 }), RangeError);
  assert.throws(() => signReceipt(alice, bob.address, { ...fields, bytes: 4097 }), RangeError);
  assert.throws(() => signReceipt(alice, bob.address, { ...fields, range: 'bytes=0-' }), RangeError);
  assert.throws(() => signReceipt(alice, bob.address, { ...fields, timestampMs: -1 }), RangeError);
  const ed = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
  assert.throws(() => signReceipt(ed, bob.address, fields), TypeError);
});

test('a receipts tree is in key order, sums the bytes, and answers a challenge with the covering receipt', () => {
  const receipts = [10, 20, 30, 40, 50].map((bytes, i) => signReceipt(alice, bob.address, {
    contentId: CONTENT_ID, timestampMs: 1000 + i, range: i % 2 ? `bytes=0-${bytes - 1}` : '', bytes,
  }));
  const tree = receiptTree(receipts);
  assert.equal(tree.total, 150n);
  assert.equal(tree.leafCount, 5);
  assert.equal(tree.root, u8aToHex(sumRoot(tree.receipts.map(receiptLeaf)).hash));
  for (let i = 1; i < tree.leafCount; i++) assert.ok(Buffer.compare(tree.keys[i - 1], tree.keys[i]) < 0);
  assert.deepEqual(new Set(tree.receipts), new Set(receipts));
  assert.throws(() => receiptTree([receipts[0], { ...receipts[0], bytes: 1n }]), /one request/);
  assert.throws(() => receiptTree([]), RangeError);

  const registry = new TypeRegistry();
  registry.register({
    Receipt: { reader: 'AccountId32', timestampMs: 'u64', contentId: 'H256', range: 'Bytes', bytes: 'u64', signature: 'MultiSignature' },
    SumNode: { hash: 'H256', sum: 'u64' },
    ReceiptAnswer: { leafIndex: 'u32', receipt: 'Receipt', proof: 'Vec<SumNode>', next: 'Option<(Receipt, Vec<SumNode>)>' },
  });
  // (A Struct's `hash` getter is its own hash: its field `hash` is `get('hash')`.)
  const nodes = (proof) => proof.map((n) => ({ hash: n.get('hash').toU8a(), sum: n.get('sum').toBigInt() }));
  for (const point of [0, 1, 2 ** 31, 2 ** 32 - 1]) {
    const answer = receiptAnswer(tree, point);
    const byte = challengedByte(point, tree.total);
    const i = answer.leafIndex;
    assert.equal(i, leafAt(tree.leaves, byte));
    // What the chain folds: the receipt's leaf, its index and path, to the root and an offset
    // at or below the byte; the next leaf to the root too, with a greater key.
    const decoded = registry.createType('ReceiptAnswer', answer);
    assert.deepEqual(decoded.receipt.toU8a(), encodeReceipt(tree.receipts[i]));
    const { root, offset } = computeSumRoot(receiptLeaf(tree.receipts[i]), i, tree.leafCount, nodes(decoded.proof));
    assert.equal(u8aToHex(root.hash), tree.root);
    assert.ok(offset <= byte && byte < offset + tree.receipts[i].bytes, `point ${point}`);
    if (i + 1 < tree.leafCount) {
      const [next, nextProof] = decoded.next.unwrap();
      assert.deepEqual(next.toU8a(), encodeReceipt(tree.receipts[i + 1]));
      const folded = computeSumRoot(receiptLeaf(tree.receipts[i + 1]), i + 1, tree.leafCount, nodes(nextProof));
      assert.equal(u8aToHex(folded.root.hash), tree.root);
      assert.ok(Buffer.compare(receiptKey(tree.receipts[i]), receiptKey(tree.receipts[i + 1])) < 0);
    } else {
      assert.equal(answer.next, null);
      assert.ok(decoded.next.isNone);
    }
  }
  assert.equal(receiptAnswer(tree, 2 ** 32 - 1).leafIndex, tree.leafCount - 1);
  assert.equal(receiptAnswer(tree, 0).leafIndex, 0);
});
