// Unit tests of scripts/lib/drug-codes.mjs against the expectations of the pallet's Rust tests
// (primitives/merkle/src/tests.rs, pallets/drug-provenance/src/{merkle,gs1}.rs). No node needed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import {
  leafHash, nodeHash, merkleLevels, merkleRoot, merkleProof, computeRoot, verifyProof,
  gs1CheckDigit, isValidGtin, isValidGln, randomGtin, randomGln, generateBatch, packSalt, CROCKFORD,
  batchFromPacks, PacksError, MAX_SERIAL_LEN, MAX_SCRATCH_CODE_LEN, verificationLabel, packElementString, parsePackCode, PackCodeError, gs1Date,
} from '../../scripts/lib/drug-codes.mjs';

before(cryptoWaitReady);

const hex = (u8a) => u8aToHex(u8a);
const repeat = (byte, n = 32) => new Uint8Array(n).fill(byte);
const leaves = (n) => Array.from({ length: n }, (_, i) => leafHash(`SN${String(i).padStart(8, '0')}`, 'CODE', repeat(7)));

test('leaf hash matches the documented preimage', () => {
  const salt = repeat(9);
  const preimage = u8aConcat(new Uint8Array([0x00, 3 << 2]), stringToU8a('S01'), new Uint8Array([5 << 2]), stringToU8a('ABCDE'), salt);
  assert.equal(hex(leafHash('S01', 'ABCDE', salt)), hex(blake2AsU8a(preimage, 256)));
  // A fixed vector, computed independently with Python's hashlib.blake2b(digest_size=32).
  assert.equal(hex(leafHash('S01', 'ABCDE', salt)), LEAF_S01_ABCDE_9);
});

test('length prefixes separate serial and code', () => {
  assert.notEqual(hex(leafHash('AB', 'C', repeat(0))), hex(leafHash('A', 'BC', repeat(0))));
});

test('node hash matches the documented preimage', () => {
  const [l, r] = [repeat(1), repeat(2)];
  assert.equal(hex(nodeHash(l, r)), hex(blake2AsU8a(u8aConcat(new Uint8Array([1]), l, r), 256)));
});

test('small trees have the documented shape', () => {
  const l = leaves(3);
  assert.equal(hex(merkleRoot(l.slice(0, 1))), hex(l[0]));
  assert.equal(hex(merkleRoot(l.slice(0, 2))), hex(nodeHash(l[0], l[1])));
  assert.equal(hex(merkleRoot(l)), hex(nodeHash(nodeHash(l[0], l[1]), l[2])), 'odd last leaf promoted, not duplicated');
  assert.deepEqual(merkleProof(merkleLevels(l), 2).siblings.map(hex), [hex(nodeHash(l[0], l[1]))]);
  assert.throws(() => merkleLevels([]), RangeError);
});

test('every proof verifies for many sizes', () => {
  for (let n = 1; n <= 33; n++) {
    const l = leaves(n);
    const levels = merkleLevels(l);
    const root = merkleRoot(levels);
    const depth = n === 1 ? 0 : Math.ceil(Math.log2(n));
    l.forEach((leaf, i) => {
      const { siblings } = merkleProof(levels, i);
      assert.ok(siblings.length <= depth);
      assert.ok(verifyProof(root, leaf, i, n, siblings), `n=${n} i=${i}`);
    });
  }
});

test('wrong index, leaf or count fails', () => {
  const l = leaves(10);
  const levels = merkleLevels(l);
  const root = merkleRoot(levels);
  const { siblings } = merkleProof(levels, 4);
  assert.ok(verifyProof(root, l[4], 4, 10, siblings));
  assert.ok(!verifyProof(root, l[5], 4, 10, siblings));
  assert.ok(!verifyProof(root, l[4], 5, 10, siblings));
  assert.ok(!verifyProof(root, l[4], 4, 8, siblings));
  assert.ok(!verifyProof(root, l[4], 10, 10, siblings), 'index out of range');
});

test('missing or extra siblings fail', () => {
  const l = leaves(8);
  const levels = merkleLevels(l);
  const root = merkleRoot(levels);
  const { siblings } = merkleProof(levels, 3);
  assert.ok(!verifyProof(root, l[3], 3, 8, [...siblings, repeat(0)]));
  assert.ok(!verifyProof(root, l[3], 3, 8, siblings.slice(0, 2)));
});

test('deepest path has 32 siblings', () => {
  const siblings = Array.from({ length: 32 }, (_, i) => repeat(i));
  const leaf = repeat(0xaa);
  const max = 0xffff_ffff;
  const root = computeRoot(leaf, 0, max, siblings);
  assert.ok(root);
  assert.ok(verifyProof(root, leaf, 0, max, siblings));
  assert.equal(computeRoot(leaf, 0, max, siblings.slice(0, 31)), null);
  assert.ok(computeRoot(leaf, max - 1, max, siblings.slice(0, 31)), 'last leaf of u32::MAX is promoted at the bottom');
});

test('GS1 check digits as gs1.rs', () => {
  for (const s of ['04006381333931', '00036000291452', '09780306406157', '10614141000019', '00000000000000']) {
    assert.ok(isValidGtin(s), s);
  }
  for (const s of ['04006381333932', '00036000291450', '10614141000010', '0400638133393A', ' 4006381333931']) {
    assert.ok(!isValidGtin(s), s);
  }
  const valid = '09506000134352';
  for (let p = 0; p < 14; p++) {
    for (let d = 0; d <= 9; d++) {
      const changed = valid.slice(0, p) + d + valid.slice(p + 1);
      assert.equal(isValidGtin(changed), changed === valid, `${p} ${d}`);
    }
  }
  assert.ok(isValidGln('0614141000005'));
  assert.ok(isValidGln('4066381000004'));
  assert.ok(isValidGln('0761234500000'));
  assert.ok(!isValidGln('0614141000006'));
  assert.equal(gs1CheckDigit('0400638133393'), '1');
  for (let i = 0; i < 100; i++) {
    assert.ok(isValidGtin(randomGtin()));
    assert.ok(isValidGln(randomGln()));
  }
});

test('a generated batch of 1,000 packs is fast, unique and provable', () => {
  const started = performance.now();
  const batch = generateBatch(1000);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 2000, `${elapsed} ms`);
  assert.equal(batch.packs.length, 1000);
  assert.equal(new Set(batch.packs.map((p) => p.serial)).size, 1000);
  for (const { serial, code, salt } of batch.packs.slice(0, 5)) {
    assert.match(serial, /^SN[0-9A-HJKMNP-TV-Z]{12}$/);
    assert.equal(code.length, 16);
    assert.ok([...code].every((c) => CROCKFORD.includes(c)));
    assert.equal(hex(salt), hex(packSalt(batch.secret, serial)));
  }
  for (const i of [0, 1, 511, 998, 999]) {
    const { index, siblings } = batch.proof(i);
    assert.ok(siblings.length <= 10 && (i !== 0 || siblings.length === 10), `${i}: ${siblings.length}`);
    assert.ok(verifyProof(batch.root, batch.packs[i].leaf, index, 1000, siblings));
  }
  // A forged code for a real serial, salt and proof does not verify.
  const p = batch.packs[7];
  assert.ok(!verifyProof(batch.root, leafHash(p.serial, 'ZZZZZZZZZZZZZZZZ', p.salt), 7, 1000, batch.proof(7).siblings));
});

// blake2b-256 of 00 0c 'S01' 14 'ABCDE' 09×32, from Python hashlib (see the first test).
const LEAF_S01_ABCDE_9 = '0xb8b00335ceabc2366b883f3b0276fcd0e4b91e8b58bda790f312df08495a08fe';

test('a verification label carries everything verify_pack needs, and reads back', () => {
  const batch = generateBatch(37);
  const gtin = randomGtin();
  for (const index of [0, 17, 36]) {
    const pack = batch.packs[index];
    const label = verificationLabel({ gtin, lot: 'L 7/2', serial: pack.serial, code: pack.code, salt: pack.salt, proof: batch.proof(index) });
    assert.match(label, new RegExp(`^https://medchain.example/01/${gtin}/10/L%207%2F2/21/${pack.serial}\\?c=${pack.code}&p=`));
    const read = parsePackCode(label);
    assert.deepEqual([read.gtin, read.lot, read.serial, read.code], [gtin, 'L 7/2', pack.serial, pack.code]);
    assert.equal(hex(read.salt), hex(pack.salt));
    assert.equal(read.proof.index, index);
    assert.ok(verifyProof(batch.root, leafHash(read.serial, read.code, read.salt), read.proof.index, 37, read.proof.siblings));
  }
});

test('the carton element string reads back bracketed, or as a scanner returns it', () => {
  const gtin = randomGtin();
  const text = packElementString({ gtin, lot: 'LOT42', serial: 'SN9', expiry: new Date(Date.UTC(2028, 11, 31)) });
  assert.equal(text, `(01)${gtin}(17)281231(10)LOT42(21)SN9`);
  assert.deepEqual(parsePackCode(text), { gtin, expiry: '281231', lot: 'LOT42', serial: 'SN9' });
  // GS1 DataMatrix as decoded: symbology identifier, fixed fields run on, variable ones end in GS.
  assert.deepEqual(parsePackCode(`]d2\u001d01${gtin}10LOT42\u001d17281231 21SN9`.replace(' ', '')), { gtin, lot: 'LOT42', expiry: '281231', serial: 'SN9' });
  // A GTIN-13 is a GTIN-14 with a leading zero, as the chain stores it.
  assert.equal(parsePackCode(`(01)${gtin.slice(1)}(10)X`).gtin, gtin);
  assert.equal(gs1Date(new Date(Date.UTC(2031, 0, 5))), '310105');
});

test('codes that are not a pack\'s are refused with a reason', () => {
  const gtin = randomGtin();
  const wrongCheck = gtin.slice(0, 13) + String((Number(gtin[13]) + 1) % 10);
  const refused = (text, code) => assert.throws(() => parsePackCode(text), (error) => error instanceof PackCodeError && error.code === code, text);
  refused(`(01)${wrongCheck}(10)L1`, 'BadGtin');
  refused('(02)12345678901231', 'Unrecognised');
  refused('(10)LOTONLY', 'Unrecognised');
  refused('hello', 'Unrecognised');
  refused('https://medchain.example/10/LOT', 'Unrecognised');
  refused(`https://medchain.example/01/${gtin}/10/L/21/S?c=X&p=AAAA`, 'BadProof');
  refused(`https://medchain.example/01/${gtin}/10/L/21/S?c=X&p=%%%`, 'BadProof');
});

// A manufacturer's own packs (batchFromPacks): the same tree as generated packs, every row checked.
const ownPacks = (n) => Array.from({ length: n }, (_, i) => ({ serial: `FMD-${String(i).padStart(5, '0')}`, code: `K${i}x${i * 7}` }));

test('a manufacturer\'s packs make the tree the existing functions make by hand', () => {
  const secret = repeat(3);
  const given = repeat(0xab);
  const packs = ownPacks(11);
  packs[2].salt = hex(given); // 0x-hex
  packs[5].salt = hex(repeat(0xcd)).slice(2).toUpperCase(); // bare, upper-case hex
  packs[8].salt = repeat(0xef); // bytes
  const batch = batchFromPacks(packs, { secret });
  const salts = packs.map((p, i) => ({ 2: given, 5: repeat(0xcd), 8: repeat(0xef) })[i] ?? packSalt(secret, p.serial));
  const byHand = packs.map((p, i) => leafHash(p.serial, p.code, salts[i]));
  assert.equal(hex(batch.root), hex(merkleRoot(byHand)));
  assert.equal(batch.count, 11);
  assert.deepEqual(Object.keys(batch).sort(), Object.keys(generateBatch(1)).sort(), 'the shape generateBatch returns');
  batch.packs.forEach((pack, i) => {
    assert.deepEqual([pack.index, pack.serial, pack.code], [i, packs[i].serial, packs[i].code]);
    assert.equal(hex(pack.salt), hex(salts[i]), `salt ${i}: given ones as given, the rest derived`);
    assert.equal(hex(pack.leaf), hex(byHand[i]));
    const { index, siblings } = batch.proof(i);
    assert.ok(verifyProof(batch.root, pack.leaf, index, batch.count, siblings), `proof ${i}`);
  });
  assert.ok(!verifyProof(batch.root, leafHash(packs[2].serial, packs[2].code, packSalt(secret, packs[2].serial)), 2, 11, batch.proof(2).siblings),
    'a given salt is not replaced by the derived one');
});

test('generated packs given back as a manufacturer\'s make the same batch', () => {
  const generated = generateBatch(40);
  const again = batchFromPacks(generated.packs.map(({ serial, code }) => ({ serial, code })), { secret: generated.secret });
  assert.equal(hex(again.root), hex(generated.root));
  assert.deepEqual(again.packs.map((p) => hex(p.leaf)), generated.packs.map((p) => hex(p.leaf)));
  assert.deepEqual(again.proof(39).siblings.map(hex), generated.proof(39).siblings.map(hex));
});

test('a manufacturer\'s bad pack is refused with its row and the problem', () => {
  const refused = (packs, code, row, options) => assert.throws(
    () => batchFromPacks(packs, options),
    (error) => error instanceof PacksError && error.code === code && error.row === row && error.message.startsWith(`row ${row}: `),
    `${code} at row ${row}`,
  );
  const withPack = (i, change, n = 4) => ownPacks(n).map((p, j) => (j === i ? { ...p, ...change } : p));
  refused([], 'NoPacks', 1);
  refused(withPack(2, { serial: 'S'.repeat(MAX_SERIAL_LEN + 1) }), 'SerialLength', 3);
  refused(withPack(0, { serial: '' }), 'SerialLength', 1);
  assert.doesNotThrow(() => batchFromPacks(withPack(2, { serial: 'S'.repeat(MAX_SERIAL_LEN) })));
  for (const serial of ['SN 1', 'SN#1', 'SN\u00e91', 'SN\t1']) refused(withPack(1, { serial }), 'SerialCharacters', 2);
  assert.doesNotThrow(() => batchFromPacks(withPack(1, { serial: 'a!"%&\'()*+,-./:;<=>' })), 'GS1 set 82 punctuation');
  assert.doesNotThrow(() => batchFromPacks(withPack(1, { serial: '?_Zz09' })));
  refused(withPack(3, { code: '' }), 'CodeLength', 4);
  refused(withPack(3, { code: 'C'.repeat(MAX_SCRATCH_CODE_LEN + 1) }), 'CodeLength', 4);
  refused(withPack(3, { code: '\u00e9'.repeat(17) }), 'CodeLength', 4); // 34 bytes of UTF-8
  assert.doesNotThrow(() => batchFromPacks(withPack(3, { code: 'C'.repeat(MAX_SCRATCH_CODE_LEN) })));
  refused(withPack(3, { serial: ownPacks(4)[1].serial }), 'DuplicateSerial', 4);
  refused(withPack(2, { code: ownPacks(4)[0].code }), 'DuplicateCode', 3);
  for (const salt of ['00', 'zz'.repeat(32), `0x${'ab'.repeat(31)}`, `${'ab'.repeat(33)}`, repeat(1, 31), 42]) refused(withPack(1, { salt }), 'BadSalt', 2);
  // Rows counted as the caller counts them: below a file's header the first pack is row 2.
  refused(withPack(2, { code: ownPacks(4)[0].code }), 'DuplicateCode', 4, { firstRow: 2 });
  assert.throws(() => batchFromPacks(withPack(2, { code: ownPacks(4)[0].code })), (error) => {
    assert.equal(error.detail, ownPacks(4)[0].serial, 'a duplicate code names the pack that has it');
    assert.ok(!error.message.includes(ownPacks(4)[0].code), 'and never the scratch code');
    return true;
  });
});
