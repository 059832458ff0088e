// The JavaScript sealing module (scripts/lib/seal.mjs) against the published vectors, the spec's
// failure rules, and the shared vector file the Rust crate also checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import {
  CHUNK_LEN, HEADER_LEN, SEGMENT_LEN, TAG_LEN, VERSION, VERSION_1, SealError, contentId, hpkeSuite,
  keyAgreementFromSuri, open, openLocator, seal, sealLocator, sealV1With, sealWith, segmentProof,
  unwrapKey, verifySegment, wrapKey,
} from '../../scripts/lib/seal.mjs';
import { DEV_PHRASE, deterministicVectors, patternContent } from '../../scripts/lib/seal-vectors.mjs';

const h = hexToU8a;
const SEALED_CHUNK = CHUNK_LEN + TAG_LEN;
const named = (code, extra = {}) => (error) => error instanceof SealError && error.code === code
  && Object.entries(extra).every(([key, value]) => error[key] === value);

test('XChaCha20-Poly1305: draft-irtf-cfrg-xchacha-03 appendix A.3.1', () => {
  const plaintext = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const cipher = xchacha20poly1305(
    h('0x808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
    h('0x404142434445464748494a4b4c4d4e4f5051525354555657'),
    h('0x50515253c0c1c2c3c4c5c6c7'),
  );
  assert.equal(u8aToHex(cipher.encrypt(plaintext)), '0xbd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52ec0875924c1c7987947deafd8780acf49');
});

test('HPKE: RFC 9180 appendix A.2.1 (X25519, HKDF-SHA256, ChaCha20-Poly1305, base mode)', async () => {
  const kem = hpkeSuite.kem;
  const ephemeral = await kem.deriveKeyPair(h('0x909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b'));
  assert.equal(u8aToHex(new Uint8Array(await kem.serializePrivateKey(ephemeral.privateKey))), '0xf4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600');
  assert.equal(u8aToHex(new Uint8Array(await kem.serializePublicKey(ephemeral.publicKey))), '0x1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a');
  const recipient = await kem.deriveKeyPair(h('0x1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df'));
  assert.equal(u8aToHex(new Uint8Array(await kem.serializePrivateKey(recipient.privateKey))), '0x8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb');
  const opened = await hpkeSuite.open(
    { recipientKey: recipient.privateKey, enc: h('0x1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a'), info: h('0x4f6465206f6e2061204772656369616e2055726e') },
    h('0x1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28'),
    h('0x436f756e742d30'),
  );
  assert.equal(u8aToHex(new Uint8Array(opened)), '0x4265617574792069732074727574682c20747275746820626561757479');
});

test('objects of every boundary size open to their content and commitment', () => {
  for (const length of [0, 1, CHUNK_LEN - 32, CHUNK_LEN - 31, 3 * CHUNK_LEN + 5]) {
    const content = patternContent(length);
    const sealed = seal(content);
    assert.equal(sealed.object.length, HEADER_LEN + length + 32 + Math.ceil((length + 32) / CHUNK_LEN) * TAG_LEN);
    const opened = open(sealed.dataKey, sealed.object);
    assert.deepEqual(opened.content, content);
    assert.deepEqual(contentId(sealed.object), sealed.contentId);
  }
});

test('truncation, reordering, appending, swapping and tampering are refused by name', () => {
  const sealed = seal(patternContent(3 * CHUNK_LEN));
  const { dataKey, object } = sealed;
  const head = object.subarray(0, HEADER_LEN);
  const chunk = (i) => object.subarray(HEADER_LEN + i * SEALED_CHUNK, HEADER_LEN + (i + 1) * SEALED_CHUNK);
  const join = (...parts) => Uint8Array.from(parts.flatMap((part) => [...part]));
  assert.throws(() => open(dataKey, join(head, chunk(0), chunk(1))), named('Truncated'));
  assert.throws(() => open(dataKey, join(head, chunk(1), chunk(0), chunk(2), chunk(3))), named('Tampered', { chunk: 0 }));
  assert.throws(() => open(dataKey, join(head, chunk(0), chunk(1), chunk(2), chunk(3), chunk(0))), named('Tampered', { chunk: 3 }));
  const other = sealWith(dataKey, new Uint8Array(19).fill(7), new Uint8Array(32), patternContent(3 * CHUNK_LEN));
  assert.throws(() => open(dataKey, join(head, chunk(0), other.subarray(HEADER_LEN + SEALED_CHUNK, HEADER_LEN + 2 * SEALED_CHUNK), chunk(2), chunk(3))), named('Tampered', { chunk: 1 }));
  const flipped = object.slice();
  flipped[HEADER_LEN + 5] ^= 1;
  assert.throws(() => open(dataKey, flipped), named('Tampered', { chunk: 0 }));
  const version = object.slice();
  version[4] = 3;
  assert.throws(() => open(dataKey, version), named('UnsupportedVersion'));
  // Read as the first format, the object fails: its first chunk binds the header.
  version[4] = VERSION_1;
  assert.throws(() => open(dataKey, version), named('Tampered', { chunk: 0 }));
  assert.throws(() => open(dataKey, object.subarray(0, HEADER_LEN + TAG_LEN)), named('Malformed'));
});

test('an object of the first format still opens, and does not pass as the current one', () => {
  const [dataKey, prefix, salt] = [new Uint8Array(32).fill(4), new Uint8Array(19).fill(7), new Uint8Array(32).fill(5)];
  const content = patternContent(3 * CHUNK_LEN);
  const first = sealV1With(dataKey, prefix, salt, content);
  const current = sealWith(dataKey, prefix, salt, content);
  assert.deepEqual([first[4], current[4]], [VERSION_1, VERSION]);
  assert.deepEqual(open(dataKey, first), { salt, content });
  const relabelled = first.slice();
  relabelled[4] = VERSION;
  assert.throws(() => open(dataKey, relabelled), named('Tampered', { chunk: 0 }));
  const mixed = Uint8Array.from([...first.subarray(0, HEADER_LEN + SEALED_CHUNK), ...current.subarray(HEADER_LEN + SEALED_CHUNK)]);
  assert.throws(() => open(dataKey, mixed), named('Tampered', { chunk: 1 }));
});

test('every segment proves against the content id, and a forged one does not', () => {
  const { object, contentId: id } = seal(patternContent(5 * SEGMENT_LEN + 77));
  const segments = Math.ceil(object.length / SEGMENT_LEN);
  for (let index = 0; index < segments; index += 1) {
    const proof = segmentProof(object, index);
    assert.ok(verifySegment(id, proof));
    const forged = { ...proof, segment: proof.segment.slice() };
    forged.segment[0] ^= 1;
    assert.ok(!verifySegment(id, forged));
    assert.ok(!verifySegment(id, { ...proof, index: (index + 1) % segments }));
    assert.ok(!verifySegment(id, { ...proof, objectLen: proof.objectLen - 1 }));
  }
  assert.equal(segmentProof(object, segments), null);
});

test('an envelope opens only for its chain, object, key version and recipient', async () => {
  const doctor = await keyAgreementFromSuri(`${DEV_PHRASE}//Bob`);
  const stranger = await keyAgreementFromSuri(`${DEV_PHRASE}//Eve`);
  const dataKey = new Uint8Array(32).fill(42);
  const context = { genesisHash: new Uint8Array(32).fill(1), contentId: new Uint8Array(32).fill(2), keyVersion: 0, recipient: new Uint8Array(32).fill(3) };
  const envelope = await wrapKey(dataKey, doctor.publicKey, context);
  assert.equal(envelope.length, 80);
  assert.deepEqual(await unwrapKey(envelope, doctor, context), dataKey);
  await assert.rejects(unwrapKey(envelope, stranger, context), named('WrongEnvelope'));
  for (const replayed of [
    { ...context, genesisHash: new Uint8Array(32).fill(9) },
    { ...context, contentId: new Uint8Array(32).fill(9) },
    { ...context, keyVersion: 1 },
    { ...context, recipient: new Uint8Array(32).fill(9) },
  ]) {
    await assert.rejects(unwrapKey(envelope, doctor, replayed), named('WrongEnvelope'));
  }
  await assert.rejects(unwrapKey(envelope.subarray(0, 79), doctor, context), named('WrongLength'));
  await assert.rejects(keyAgreementFromSuri('bottom drive obey lake'), named('InvalidPhrase'));
});

test('a locator opens only for its owner', async () => {
  const alice = await keyAgreementFromSuri(`${DEV_PHRASE}//Alice`);
  const bob = await keyAgreementFromSuri(`${DEV_PHRASE}//Bob`);
  const [owner, genesis] = [new Uint8Array(32).fill(5), new Uint8Array(32).fill(1)];
  const sealed = await sealLocator('vault://127.0.0.1:8700/x', owner, alice.publicKey, genesis);
  assert.equal(await openLocator(sealed, owner, alice, genesis), 'vault://127.0.0.1:8700/x');
  await assert.rejects(openLocator(sealed, owner, bob, genesis), named('WrongEnvelope'));
});

test('the shared vector file is what this implementation makes, and its envelopes open', async () => {
  const file = JSON.parse(await readFile(new URL('../vectors/sealing-v1.json', import.meta.url), 'utf8'));
  const { envelopes, locators, ...deterministic } = file;
  assert.deepEqual(JSON.parse(JSON.stringify(await deterministicVectors())), deterministic);
  for (const vector of envelopes) {
    const key = await keyAgreementFromSuri(vector.recipientSuri);
    const context = { genesisHash: h(vector.genesisHash), contentId: h(vector.contentId), keyVersion: vector.keyVersion, recipient: h(vector.recipient) };
    assert.equal(u8aToHex(await unwrapKey(h(vector.envelope), key, context)), vector.dataKey);
  }
  for (const vector of locators) {
    const key = await keyAgreementFromSuri(vector.ownerSuri);
    assert.equal(await openLocator(h(vector.sealed), h(vector.owner), key, h(vector.genesisHash)), vector.locator);
  }
});
