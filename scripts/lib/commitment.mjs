// Salted commitments, what the pallets store for documents kept off chain (a licence, a shipment
// note, the evidence of a suspect report, the reason for a break-glass access). No chain access:
// the scripts (through flow.mjs) and the app compute them alike.
import { stringToU8a, u8aConcat } from '@polkadot/util';
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
