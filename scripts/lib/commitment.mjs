// Salted commitments, what the pallets store for documents kept off chain (a licence, a shipment
// note, the evidence of a suspect report, the reason for a break-glass access). No chain access:
// the scripts (through flow.mjs) and the app compute them alike.
import { compactAddLength, stringToU8a, u8aConcat, u8aToU8a } from '@polkadot/util';
import { blake2AsHex, randomAsU8a } from '@polkadot/util-crypto';

/** `blake2_256(salt ‖ data)`: the salted commitment a pallet stores for something kept off chain. */
export function saltedCommitment(salt, data) {
  return blake2AsHex(u8aConcat(salt, data), 256);
}

/**
 * A salted commitment to `text` (its UTF-8 bytes) under a fresh random 32-byte salt: a plain hash
 * of a guessable text (a reference, an endpoint) could be brute-forced. `commitTextKeepingSalt`
 * returns the salt too, for whoever must later show that the text is the one committed to.
 */
export function commitTextKeepingSalt(text) {
  const salt = randomAsU8a(32);
  return { commitment: saltedCommitment(salt, stringToU8a(text)), salt };
}

/** `commitTextKeepingSalt(text).commitment`: the salt is thrown away. */
export function commitText(text) {
  return commitTextKeepingSalt(text).commitment;
}

/**
 * The salted commitment a mutual-aid claim carries to the covered condition code it is filed
 * under: `blake2_256(SCALE(b"mutual-aid/condition", pool_id: u32, code: Vec<u8>, salt: [u8; 32]))`
 * (`Pallet::condition_commitment` in pallets/mutual-aid). `salt` is 32 bytes (or their hex); the
 * claimant gives code and salt to the reviewers, never to the chain.
 */
export function conditionCommitment(poolId, code, salt) {
  const pool = new Uint8Array(4);
  new DataView(pool.buffer).setUint32(0, poolId, true);
  const saltBytes = u8aToU8a(salt);
  if (saltBytes.length !== 32) throw new Error(`a condition salt is 32 bytes, not ${saltBytes.length}`);
  return blake2AsHex(u8aConcat(stringToU8a('mutual-aid/condition'), pool, compactAddLength(stringToU8a(code)), saltBytes), 256);
}
