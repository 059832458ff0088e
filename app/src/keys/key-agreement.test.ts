import { expect, test, vi } from 'vitest';
import { keyAgreementFromSuri } from '../../../scripts/lib/seal.mjs';
import { createPhrase, keyAgreementOf, restorePhrase, storedPhrase } from './key-agreement';
import { createKeystore, KeystoreError, lockKeystores, storeKey } from './keystore';
import { memoryStorage } from './memory-storage';
import type { Account } from '../wallet/accounts';

// Each store set up here derives its key with the real argon2id: seconds, more on a busy machine.
vi.setConfig({ testTimeout: 60_000 });
const walletAccount = { address: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty' } as Account;
const PASSPHRASE = 'lantern quietly orbits';

test('a wallet account has no key until the user creates or restores one, and none while its store is locked', async () => {
  const storage = memoryStorage();
  expect(await keyAgreementOf(walletAccount, storage)).toBeNull();
  expect(() => createPhrase(walletAccount.address, storage)).toThrow(KeystoreError);
  await createKeystore(walletAccount.address, PASSPHRASE, storage);
  expect(await keyAgreementOf(walletAccount, storage)).toBeNull();
  const phrase = createPhrase(walletAccount.address, storage);
  expect(phrase.split(' ')).toHaveLength(12);
  expect(storedPhrase(walletAccount.address, storage)).toBe(phrase);
  expect(storage.items.get(storeKey(walletAccount.address))).not.toContain(phrase.split(' ')[0]);
  const key = await keyAgreementOf(walletAccount, storage);
  // The same derivation as every other Medchain tool: the phrase opens the same records anywhere.
  expect(key?.publicKey).toEqual((await keyAgreementFromSuri(phrase)).publicKey);
  lockKeystores(storage);
  expect(await keyAgreementOf(walletAccount, storage)).toBeNull();
});

test('restoring checks the phrase and normalises its spacing and case', async () => {
  const storage = memoryStorage();
  await createKeystore(walletAccount.address, PASSPHRASE, storage);
  const phrase = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
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
