import { expect, test } from 'vitest';
import { keyAgreementFromSuri } from '../../../scripts/lib/seal.mjs';
import { createPhrase, keyAgreementOf, restorePhrase, storedPhrase } from './key-agreement';
import type { Account } from '../wallet/accounts';

const memoryStorage = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => { items.set(k, v); } };
};
const walletAccount = { address: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty' } as Account;

test('a wallet account has no key until the user creates or restores one', async () => {
  const storage = memoryStorage();
  expect(await keyAgreementOf(walletAccount, storage)).toBeNull();
  const phrase = createPhrase(walletAccount.address, storage);
  expect(phrase.split(' ')).toHaveLength(12);
  expect(storedPhrase(walletAccount.address, storage)).toBe(phrase);
  const key = await keyAgreementOf(walletAccount, storage);
  // The same derivation as every other Medchain tool: the phrase opens the same records anywhere.
  expect(key?.publicKey).toEqual((await keyAgreementFromSuri(phrase)).publicKey);
});

test('restoring checks the phrase and normalises its spacing and case', async () => {
  const storage = memoryStorage();
  const phrase = createPhrase('5Other', memoryStorage());
  expect(restorePhrase(walletAccount.address, 'not a valid phrase', storage)).toBe(false);
  expect(storedPhrase(walletAccount.address, storage)).toBeNull();
  expect(restorePhrase(walletAccount.address, `  ${phrase.toUpperCase().replace(/ /g, '   ')} `, storage)).toBe(true);
  expect(storedPhrase(walletAccount.address, storage)).toBe(phrase);
});

test('a dev account derives its key from its development secret, as the scripts do', async () => {
  const dev = { address: '5Grwva', devSecretUri: 'bottom drive obey lake curtain smoke basket hold race lonely fit walk//Alice' } as Account;
  const key = await keyAgreementOf(dev, memoryStorage());
  expect(key?.publicKey).toEqual((await keyAgreementFromSuri(dev.devSecretUri!)).publicKey);
});
