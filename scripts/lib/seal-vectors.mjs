// The shared vectors of the sealing format (tests/vectors/sealing-v1.json): made by this module
// from the JavaScript implementation, checked by the Rust crate's tests (client/seal/tests) and
// by tests/unit/seal.test.mjs. Objects, content ids, commitments and keys are deterministic;
// envelopes and locators use fresh HPKE randomness, so they are checked by opening them.
import { DEV_PHRASE } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import {
  CHUNK_LEN, blake2_256, commitment, contentId, keyAgreementFromSuri, sealLocator, sealV1With,
  sealWith, segmentProof, wrapKey,
} from './seal.mjs';

export { DEV_PHRASE };

/** `length` bytes of the vectors' content pattern: byte i is `i·31 mod 251`. */
export function patternContent(length) {
  return Uint8Array.from({ length }, (_, i) => (i * 31) % 251);
}

const filled = (length, byte) => new Uint8Array(length).fill(byte);
const hex = u8aToHex;

/** The deterministic part of the vectors: keys, objects, content ids, commitments, a proof. */
export async function deterministicVectors() {
  const keys = [];
  for (const suri of [`${DEV_PHRASE}//Alice`, `${DEV_PHRASE}//Bob`, `${DEV_PHRASE}//Alice///secret`, `0x${'11'.repeat(32)}//clinic/1`]) {
    const key = await keyAgreementFromSuri(suri);
    keys.push({ suri, secretKey: hex(key.secretKey), publicKey: hex(key.publicKey) });
  }
  const objectVectors = (seal) => [0, 5, CHUNK_LEN - 32, 3 * CHUNK_LEN + 5].map((contentLen) => {
    const [dataKey, noncePrefix, salt] = [filled(32, 0x42), filled(19, 0x07), filled(32, 0x5a)];
    const content = patternContent(contentLen);
    const object = seal(dataKey, noncePrefix, salt, content);
    return {
      contentLen,
      dataKey: hex(dataKey),
      noncePrefix: hex(noncePrefix),
      salt: hex(salt),
      objectLen: object.length,
      objectBlake2: hex(blake2_256(object)),
      // Whole objects only while they are short enough to read in the file.
      object: object.length <= 256 ? hex(object) : undefined,
      contentId: hex(contentId(object)),
      commitment: hex(commitment(salt, content)),
    };
  });
  // The current format, and the first one, which readers still open.
  const objects = objectVectors(sealWith);
  const objectsV1 = objectVectors(sealV1With);
  const proofObject = sealWith(filled(32, 0x42), filled(19, 0x07), filled(32, 0x5a), patternContent(3 * CHUNK_LEN + 5));
  const proof = segmentProof(proofObject, 77);
  const segmentProofVector = {
    contentLen: 3 * CHUNK_LEN + 5,
    index: proof.index,
    root: hex(proof.root),
    segmentBlake2: hex(blake2_256(proof.segment)),
    siblings: proof.siblings.map((sibling) => hex(sibling)),
  };
  return { format: 'medchain sealing v1, objects of format 2 (objectsV1: format 1)', keys, objects, objectsV1, segmentProof: segmentProofVector };
}

/** All the vectors: the deterministic part and envelopes and a locator made now. */
export async function buildVectors() {
  const vectors = await deterministicVectors();
  const bob = await keyAgreementFromSuri(`${DEV_PHRASE}//Bob`);
  const context = { genesisHash: filled(32, 0x01), contentId: filled(32, 0x02), keyVersion: 3, recipient: filled(32, 0x03) };
  const dataKey = filled(32, 0x42);
  vectors.envelopes = [{
    recipientSuri: `${DEV_PHRASE}//Bob`,
    genesisHash: hex(context.genesisHash),
    contentId: hex(context.contentId),
    keyVersion: context.keyVersion,
    recipient: hex(context.recipient),
    dataKey: hex(dataKey),
    envelope: hex(await wrapKey(dataKey, bob.publicKey, context)),
  }];
  const alice = await keyAgreementFromSuri(`${DEV_PHRASE}//Alice`);
  const locator = 'vault://127.0.0.1:8700/objects/0x02';
  vectors.locators = [{
    ownerSuri: `${DEV_PHRASE}//Alice`,
    owner: hex(filled(32, 0x05)),
    genesisHash: hex(context.genesisHash),
    locator,
    sealed: hex(await sealLocator(locator, filled(32, 0x05), alice.publicKey, context.genesisHash)),
  }];
  return vectors;
}
