// The dev accounts `//Alice` … `//Ferdie`: their secrets are public, so the app offers them on a
// development chain only (wallet.tsx loads this module there).
import { DEV_PHRASE, Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { getPolkadotSigner } from 'polkadot-api/signer';
import type { Account } from './accounts';

export const DEV_ACCOUNT_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

/** The dev accounts `//Alice` … `//Ferdie` (sr25519) with their addresses in `ss58Format`. */
export async function devAccounts(ss58Format: number): Promise<Account[]> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format });
  return DEV_ACCOUNT_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`, { name });
    return {
      address: pair.address,
      name,
      source: 'dev',
      signer: getPolkadotSigner(pair.publicKey, 'Sr25519', (bytes) => pair.sign(bytes)),
      publicKey: pair.publicKey,
      signRaw: (payload: Uint8Array) => pair.sign(payload),
      devSecretUri: `${DEV_PHRASE}//${name}`,
    };
  });
}

