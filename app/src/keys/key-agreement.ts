// Where a patient's key-agreement secret (the X25519 key records are sealed to) lives.
//
// Browser wallets sign but do not encrypt (polkadot-js/extension#1151), and an sr25519 signature
// is randomised, so no stable secret can be derived from one. The app therefore keeps a separate
// secret per wallet account: a 12-word recovery phrase, generated in this browser, kept in the
// account's encrypted store (keystore.ts: readable only once the user's passphrase unlocked it in
// this tab), and shown once to be written down. Its key is derived exactly as for any secret URI
// (seal.mjs `keyAgreementFromSuri`, docs/sealing-v1.md §4), so the command-line tools open the
// same records from the same phrase. Dev accounts derive theirs from their (public) development
// secret, as the scripts do.
import { mnemonicGenerate, mnemonicValidate } from '@polkadot/util-crypto';
import { keyAgreementFromSuri } from '../../../scripts/lib/seal.mjs';
import type { Account } from '../wallet/accounts';
import { keystoreState, readSecrets, updateSecrets, withPhrase, type KeyValueStorage } from './keystore';

export type KeyAgreementKey = Awaited<ReturnType<typeof keyAgreementFromSuri>>;

/** The recovery phrase kept in `address`'s unlocked store, if it has one (`KeystoreError` Locked otherwise). */
export function storedPhrase(address: string, storage: KeyValueStorage = localStorage): string | null {
  return readSecrets(address, storage).phrase ?? null;
}

/** A new recovery phrase for `address`, kept in its unlocked store; returned to be shown once. */
export function createPhrase(address: string, storage: KeyValueStorage = localStorage): string {
  const phrase = mnemonicGenerate(12);
  updateSecrets(address, (secrets) => withPhrase(secrets, phrase), storage);
  return phrase;
}

/** Keeps a phrase the user typed, after checking it is a valid BIP-39 phrase; false (nothing kept) if not. */
export function restorePhrase(address: string, phrase: string, storage: KeyValueStorage = localStorage): boolean {
  const normalised = phrase.trim().toLowerCase().split(/\s+/).join(' ');
  if (!mnemonicValidate(normalised)) return false;
  updateSecrets(address, (secrets) => withPhrase(secrets, normalised), storage);
  return true;
}

/**
 * The key-agreement key of `account`: from its dev secret, or from the phrase in its store; null
 * while the store is locked or holds no phrase yet.
 */
export async function keyAgreementOf(account: Account, storage: KeyValueStorage = localStorage): Promise<KeyAgreementKey | null> {
  if (account.devSecretUri) return keyAgreementFromSuri(account.devSecretUri);
  if (keystoreState(account.address, storage) !== 'unlocked') return null;
  const phrase = storedPhrase(account.address, storage);
  return phrase ? keyAgreementFromSuri(phrase) : null;
}
