// Where a patient's key-agreement secret (the X25519 key records are sealed to) lives.
//
// Browser wallets sign but do not encrypt (polkadot-js/extension#1151), and an sr25519 signature
// is randomised, so no stable secret can be derived from one. The app therefore keeps a separate
// secret per wallet account: a 12-word recovery phrase, generated in this browser, stored in
// this site's local storage under the account's address, and shown once to be written down. Its
// key is derived exactly as for any secret URI (seal.mjs `keyAgreementFromSuri`, docs/sealing-v1.md
// §4), so the command-line tools open the same records from the same phrase. Dev accounts derive
// theirs from their (public) development secret, as the scripts do.
import { mnemonicGenerate, mnemonicValidate } from '@polkadot/util-crypto';
import { keyAgreementFromSuri } from '../../../scripts/lib/seal.mjs';
import type { Account } from '../wallet/accounts';

export type KeyAgreementKey = Awaited<ReturnType<typeof keyAgreementFromSuri>>;

const storageKey = (address: string) => `medchain.keyAgreement.${address}`;

/** The stored recovery phrase of `address` in `storage`, if this browser has one. */
export function storedPhrase(address: string, storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  return storage.getItem(storageKey(address));
}

/** A new recovery phrase for `address`, stored in `storage`; returned to be shown once. */
export function createPhrase(address: string, storage: Pick<Storage, 'setItem'> = localStorage): string {
  const phrase = mnemonicGenerate(12);
  storage.setItem(storageKey(address), phrase);
  return phrase;
}

/** Stores a phrase the user typed, after checking it is a valid BIP-39 phrase. */
export function restorePhrase(address: string, phrase: string, storage: Pick<Storage, 'setItem'> = localStorage): boolean {
  const normalised = phrase.trim().toLowerCase().split(/\s+/).join(' ');
  if (!mnemonicValidate(normalised)) return false;
  storage.setItem(storageKey(address), normalised);
  return true;
}

/** The key-agreement key of `account`: from its dev secret, or from its stored phrase; null if none yet. */
export async function keyAgreementOf(account: Account, storage: Pick<Storage, 'getItem'> = localStorage): Promise<KeyAgreementKey | null> {
  if (account.devSecretUri) return keyAgreementFromSuri(account.devSecretUri);
  const phrase = storedPhrase(account.address, storage);
  return phrase ? keyAgreementFromSuri(phrase) : null;
}
