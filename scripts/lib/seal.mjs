// Client-side sealing, as docs/sealing-v1.md specifies and the Rust crate `medchain-seal`
// implements byte for byte: the sealed object (chunked XChaCha20-Poly1305 with STREAM nonces),
// its Merkle content id, the salted commitment, key-agreement keys derived from an account's
// secret URI, and HPKE envelopes for data keys and locators.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256 } from '@hpke/dhkem-x25519';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { blake2AsU8a, cryptoWaitReady, mnemonicToMiniSecret, mnemonicValidate } from '@polkadot/util-crypto';
import { hexToU8a, isHex } from '@polkadot/util';

export const MAGIC = new TextEncoder().encode('MDCS');
/** The object format this module seals (spec §1); it also opens `VERSION_1`. */
export const VERSION = 2;
/** The first format, whose chunks all bind the header: still opened, sealed only by `sealV1With`. */
export const VERSION_1 = 1;
export const NONCE_PREFIX_LEN = 19;
export const HEADER_LEN = 4 + 1 + NONCE_PREFIX_LEN;
export const CHUNK_LEN = 64 * 1024;
export const TAG_LEN = 16;
export const SALT_LEN = 32;
export const SEGMENT_LEN = 1024;
export const ENVELOPE_LEN = 32 + 32 + 16;
export const KEY_AGREEMENT_SALT = 'medchain/key-agreement/v1';
export const KEY_WRAP_LABEL = 'medchain/key-wrap/v1';
export const LOCATOR_LABEL = 'medchain/locator/v1';

const SEALED_CHUNK_LEN = CHUNK_LEN + TAG_LEN;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const CONTENT_ID_PREFIX = 0x02;
const utf8 = new TextEncoder();

/** Why an object, key or envelope was refused; `code` is the spec's error name. */
export class SealError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'SealError';
    this.code = code;
    Object.assign(this, details);
  }
}

// blake2 through @polkadot/util-crypto's WebAssembly once it is loaded: the content id hashes
// every byte of an object, about 40 times faster than in plain JavaScript.
await cryptoWaitReady();

/** `blake2_256(data)`. */
export function blake2_256(data) {
  return blake2AsU8a(data, 256);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function u32be(value) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

function u32le(value) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function u64le(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), true);
  return out;
}

function randomBytes(length) {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

// ---------------------------------------------------------------------------------------------
// The sealed object (spec §1) and the salted commitment (spec §3)
// ---------------------------------------------------------------------------------------------

/** `blake2_256(salt ‖ blake2_256(content))`. */
export function commitment(salt, content) {
  return blake2_256(concat(salt, blake2_256(content)));
}

function header(version, noncePrefix) {
  return concat(MAGIC, Uint8Array.of(version), noncePrefix);
}

// The associated data of chunk `index`: the header for every chunk of a version 1 object, for
// the first chunk only in version 2 (the prefix is in every chunk's nonce).
function chunkAad(version, head, index) {
  return version === VERSION_1 || index === 0 ? head : new Uint8Array(0);
}

function chunkNonce(prefix, counter, last) {
  return concat(prefix, u32be(counter), Uint8Array.of(last ? 1 : 0));
}

/**
 * The length of the sealed object of `contentLength` bytes of content: the header, the salt and
 * the content, and a tag for each chunk. What a storage order for it is priced on, known before
 * sealing.
 */
export function sealedSize(contentLength) {
  const inner = SALT_LEN + contentLength;
  return HEADER_LEN + inner + Math.ceil(inner / CHUNK_LEN) * TAG_LEN;
}

/** Seals `content` with the given data key, nonce prefix and salt (deterministic: vectors). */
export function sealWith(dataKey, noncePrefix, salt, content) {
  return sealVersion(VERSION, dataKey, noncePrefix, salt, content);
}

/** `sealWith` in the first format, `VERSION_1`: only to reproduce such objects (the vectors). */
export function sealV1With(dataKey, noncePrefix, salt, content) {
  return sealVersion(VERSION_1, dataKey, noncePrefix, salt, content);
}

function sealVersion(version, dataKey, noncePrefix, salt, content) {
  const head = header(version, noncePrefix);
  const inner = concat(salt, content);
  const chunkCount = Math.ceil(inner.length / CHUNK_LEN);
  const object = new Uint8Array(sealedSize(content.length));
  object.set(head, 0);
  let at = HEADER_LEN;
  for (let index = 0; index < chunkCount; index += 1) {
    const chunk = inner.subarray(index * CHUNK_LEN, (index + 1) * CHUNK_LEN);
    const nonce = chunkNonce(noncePrefix, index, index + 1 === chunkCount);
    const sealed = xchacha20poly1305(dataKey, nonce, chunkAad(version, head, index)).encrypt(chunk);
    object.set(sealed, at);
    at += sealed.length;
  }
  inner.fill(0);
  return object;
}

/**
 * Seals `content` under a fresh data key, nonce prefix and salt. Returns the key (it leaves the
 * client only inside envelopes), the object, its content id and the content's commitment.
 */
export function seal(content) {
  const dataKey = randomBytes(32);
  const salt = randomBytes(SALT_LEN);
  const object = sealWith(dataKey, randomBytes(NONCE_PREFIX_LEN), salt, content);
  return { dataKey, object, contentId: contentId(object), commitment: commitment(salt, content) };
}

/** Opens `object` with `dataKey`: `{ salt, content }`, or a `SealError` and no plaintext. */
export function open(dataKey, object) {
  if (object.length <= HEADER_LEN + TAG_LEN || MAGIC.some((byte, i) => object[i] !== byte)) {
    throw new SealError('Malformed', 'not a sealed object: shorter than a header and one chunk, or wrong magic bytes');
  }
  const version = object[4];
  if (version !== VERSION && version !== VERSION_1) {
    throw new SealError('UnsupportedVersion', `sealed object format version ${version} is not supported (this reader knows versions 1 and 2)`, { version });
  }
  const head = object.subarray(0, HEADER_LEN);
  const prefix = object.subarray(5, HEADER_LEN);
  const body = object.subarray(HEADER_LEN);
  const chunkCount = Math.ceil(body.length / SEALED_CHUNK_LEN);
  const inner = new Uint8Array(body.length - chunkCount * TAG_LEN);
  for (let index = 0; index < chunkCount; index += 1) {
    const sealed = body.subarray(index * SEALED_CHUNK_LEN, (index + 1) * SEALED_CHUNK_LEN);
    const last = index + 1 === chunkCount;
    const aad = chunkAad(version, head, index);
    let plain;
    try {
      plain = xchacha20poly1305(dataKey, chunkNonce(prefix, index, last), aad).decrypt(sealed);
    } catch {
      inner.fill(0);
      throw chunkFailure(dataKey, prefix, aad, sealed, index, last);
    }
    inner.set(plain, index * CHUNK_LEN);
  }
  if (inner.length < SALT_LEN) {
    throw new SealError('MissingSalt', 'the sealed object does not start with a 32-byte salt');
  }
  return { salt: inner.slice(0, SALT_LEN), content: inner.slice(SALT_LEN) };
}

function chunkFailure(dataKey, prefix, aad, sealed, index, last) {
  if (last) {
    try {
      xchacha20poly1305(dataKey, chunkNonce(prefix, index, false), aad).decrypt(sealed);
      return new SealError('Truncated', 'the sealed object is truncated: its last chunk is not the final one');
    } catch {
      // Not a middle chunk either: tampered.
    }
  }
  return new SealError('Tampered', `the sealed object was tampered with or the key is wrong: chunk ${index} does not authenticate`, { chunk: index });
}

// ---------------------------------------------------------------------------------------------
// Content id (spec §2): the primitives/merkle tree over 1 KiB segments, bound to the length
// ---------------------------------------------------------------------------------------------

function segmentLeaf(segment) {
  return blake2_256(concat(Uint8Array.of(LEAF_PREFIX), segment));
}

function nodeHash(left, right) {
  return blake2_256(concat(Uint8Array.of(NODE_PREFIX), left, right));
}

// One level up: pairs hashed, an odd last node promoted unchanged.
function nextLevel(level) {
  const next = [];
  for (let i = 0; i < level.length; i += 2) {
    next.push(i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i]);
  }
  return next;
}

function segmentLeaves(object) {
  const leaves = [];
  for (let at = 0; at < object.length; at += SEGMENT_LEN) {
    leaves.push(segmentLeaf(object.subarray(at, at + SEGMENT_LEN)));
  }
  return leaves;
}

function treeRoot(leaves) {
  let level = leaves;
  while (level.length > 1) level = nextLevel(level);
  return level[0] ?? new Uint8Array(32);
}

function idOf(objectLen, root) {
  return blake2_256(concat(Uint8Array.of(CONTENT_ID_PREFIX), u64le(objectLen), root));
}

/** The content id of a sealed object: `blake2_256(0x02 ‖ u64 len ‖ root)`. */
export function contentId(object) {
  return idOf(object.length, treeRoot(segmentLeaves(object)));
}

/** The proof of segment `index` of `object` for a storage audit, or `null` past its end. */
export function segmentProof(object, index) {
  let level = segmentLeaves(object);
  if (index < 0 || index >= level.length) return null;
  const root = treeRoot(level);
  const siblings = [];
  let at = index;
  while (level.length > 1) {
    const sibling = at % 2 === 1 ? at - 1 : at + 1;
    if (sibling < level.length) siblings.push(level[sibling]);
    level = nextLevel(level);
    at = Math.floor(at / 2);
  }
  const segment = object.slice(index * SEGMENT_LEN, (index + 1) * SEGMENT_LEN);
  return { objectLen: object.length, root, index, segment, siblings };
}

/** Whether `proof` shows a segment of the object named `id` (spec §2). */
export function verifySegment(id, proof) {
  const equal = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (!equal(idOf(proof.objectLen, proof.root), id)) return false;
  const count = Math.ceil(proof.objectLen / SEGMENT_LEN);
  if (proof.index >= count) return false;
  const expectedLen = proof.index + 1 === count ? proof.objectLen - proof.index * SEGMENT_LEN : SEGMENT_LEN;
  if (proof.segment.length !== expectedLen) return false;
  let hash = segmentLeaf(proof.segment);
  let [at, width, used] = [proof.index, count, 0];
  while (width > 1) {
    if (at % 2 === 1) hash = nodeHash(proof.siblings[used++] ?? new Uint8Array(), hash);
    else if (at + 1 < width) hash = nodeHash(hash, proof.siblings[used++] ?? new Uint8Array());
    at = Math.floor(at / 2);
    width = Math.ceil(width / 2);
  }
  return used === proof.siblings.length && equal(hash, proof.root);
}

// ---------------------------------------------------------------------------------------------
// Key-agreement keys (spec §4) and HPKE envelopes (spec §5, §6)
// ---------------------------------------------------------------------------------------------

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Chacha20Poly1305(),
});

function miniSecret(phrase, password) {
  if (phrase.startsWith('0x')) {
    if (!isHex(phrase, 256)) throw new SealError('InvalidMiniSecret', 'a 0x-hex mini secret must be 32 bytes of hex');
    return hexToU8a(phrase);
  }
  if (!mnemonicValidate(phrase)) {
    throw new SealError('InvalidPhrase', 'the secret phrase is not a valid BIP-39 English mnemonic');
  }
  return mnemonicToMiniSecret(phrase, password);
}

/**
 * The key-agreement key of the secret URI `phrase[path][///password]`:
 * `{ secretKey, publicKey, privateKey }` (raw 32-byte secret and public key, and the HPKE key).
 */
export async function keyAgreementFromSuri(suri) {
  const passwordAt = suri.indexOf('///');
  const [rest, password] = passwordAt >= 0 ? [suri.slice(0, passwordAt), suri.slice(passwordAt + 3)] : [suri, ''];
  const pathAt = rest.indexOf('/');
  const [phrase, path] = pathAt >= 0 ? [rest.slice(0, pathAt), rest.slice(pathAt)] : [rest, ''];
  return keyAgreementFromMiniSecret(miniSecret(phrase.trim(), password), path);
}

/** The key-agreement key of the account at `path` (as written, or '') under `miniSecret`. */
export async function keyAgreementFromMiniSecret(mini, path) {
  const ikm = hkdf(sha256, mini, utf8.encode(KEY_AGREEMENT_SALT), utf8.encode(path), 32);
  const pair = await suite.kem.deriveKeyPair(ikm);
  ikm.fill(0);
  const secretKey = new Uint8Array(await suite.kem.serializePrivateKey(pair.privateKey));
  const publicKey = new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey));
  return { secretKey, publicKey, privateKey: pair.privateKey };
}

/** `info` of an envelope: binds chain, object, key version and recipient account. */
export function wrapInfo({ genesisHash, contentId: id, keyVersion, recipient }) {
  return concat(utf8.encode(KEY_WRAP_LABEL), genesisHash, id, u32le(keyVersion), recipient);
}

function locatorInfo(owner, genesisHash) {
  return concat(utf8.encode(LOCATOR_LABEL), genesisHash, owner);
}

async function hpkeSeal(recipientPublic, info, plaintext) {
  if (recipientPublic.length !== 32) throw new SealError('InvalidPublicKey', 'a public key must be 32 bytes');
  const recipientPublicKey = await suite.kem.deserializePublicKey(recipientPublic);
  const { enc, ct } = await suite.seal({ recipientPublicKey, info }, plaintext);
  return concat(new Uint8Array(enc), new Uint8Array(ct));
}

async function hpkeOpen(sealed, key, info) {
  try {
    const opened = await suite.open({ recipientKey: key.privateKey, enc: sealed.slice(0, 32), info }, sealed.slice(32));
    return new Uint8Array(opened);
  } catch {
    throw new SealError('WrongEnvelope', 'the envelope does not open with this key for this chain, object, key version and recipient');
  }
}

/** Seals `dataKey` to `recipientPublic` for `context` ({ genesisHash, contentId, keyVersion, recipient }). */
export async function wrapKey(dataKey, recipientPublic, context) {
  return hpkeSeal(recipientPublic, wrapInfo(context), dataKey);
}

/** Opens an envelope made by `wrapKey` with the recipient's key-agreement key. */
export async function unwrapKey(envelope, key, context) {
  if (envelope.length !== ENVELOPE_LEN) {
    throw new SealError('WrongLength', `the envelope has ${envelope.length} bytes; an envelope has 80`);
  }
  return hpkeOpen(envelope, key, wrapInfo(context));
}

/** Encrypts `locator` (text) to its owner's key on the chain `genesisHash`. */
export async function sealLocator(locator, owner, ownerPublic, genesisHash) {
  return hpkeSeal(ownerPublic, locatorInfo(owner, genesisHash), utf8.encode(locator));
}

/** Decrypts a locator made by `sealLocator`. */
export async function openLocator(sealed, owner, key, genesisHash) {
  const plain = await hpkeOpen(sealed, key, locatorInfo(owner, genesisHash));
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/**
 * What the locators of a chain's genesis state are bound to instead of its genesis hash, which
 * the state cannot name (spec §6): 32 zero bytes.
 */
export const GENESIS_LOCATOR_HASH = new Uint8Array(32);

/**
 * Decrypts a locator on the chain `genesisHash`: one made for the chain, or one of its genesis
 * state (bound to `GENESIS_LOCATOR_HASH`).
 */
export async function openChainLocator(sealed, owner, key, genesisHash) {
  try {
    return await openLocator(sealed, owner, key, genesisHash);
  } catch (error) {
    if (error?.code !== 'WrongEnvelope') throw error;
    return openLocator(sealed, owner, key, GENESIS_LOCATOR_HASH);
  }
}

/** The HPKE suite of envelopes, for tests against RFC 9180's vectors. */
export const hpkeSuite = suite;
