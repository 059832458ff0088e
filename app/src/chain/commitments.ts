// What an account commits to on chain without publishing it (a break-glass reason, a suspect
// report's evidence, a shipment note, a product's master data): a salted commitment goes on chain,
// and the text with its salt stays in this browser, in the account's encrypted store
// (keys/keystore.ts), so that the account can later show a reviewer or regulator that this text
// is the one committed to. Each function needs the store unlocked (`KeystoreError` Locked).
import { u8aToHex } from '@polkadot/util';
import { commitTextKeepingSalt } from '../../../scripts/lib/commitment.mjs';
import { readSecrets, updateSecrets, type KeptCommitment, type KeyValueStorage } from '../keys/keystore';

export type { KeptCommitment };

/** Commits to `text` for `account` and keeps text and salt under `kind`; returns the commitment (0x-hex). */
export function commitAndKeep(account: string, kind: string, text: string, storage: KeyValueStorage = localStorage, now = new Date()): string {
  const { commitment, salt } = commitTextKeepingSalt(text);
  return keepCommitment(account, { kind, text, salt: u8aToHex(salt), commitment, at: now.toISOString() }, storage);
}

/**
 * Keeps a commitment made otherwise (a mutual-aid claim's condition code, committed to with the
 * pallet's own encoding) with its text and salt; returns the commitment.
 */
export function keepCommitment(account: string, entry: KeptCommitment, storage: KeyValueStorage = localStorage): string {
  updateSecrets(account, (secrets) => ({ ...secrets, commitments: [...secrets.commitments, entry] }), storage);
  return entry.commitment;
}

/** The texts `account` committed to from this browser, oldest first. */
export function keptCommitments(account: string, storage: KeyValueStorage = localStorage): KeptCommitment[] {
  return readSecrets(account, storage).commitments;
}
