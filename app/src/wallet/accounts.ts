// The accounts the app can sign with: the accounts of browser wallets that implement the injected
// extension interface (polkadot.js extension, Talisman, SubWallet), and on a development chain
// the dev accounts (dev-accounts.ts).
import { connectInjectedExtension, getInjectedExtensions, type InjectedExtension, type InjectedPolkadotAccount } from 'polkadot-api/pjs-signer';
import { getSs58AddressInfo, type PolkadotSigner } from 'polkadot-api';

export interface Account {
  address: string;
  name: string;
  /** `dev` or the browser wallet's name. */
  source: string;
  signer: PolkadotSigner;
  /** The account's 32-byte public key. */
  publicKey: Uint8Array;
  /**
   * Signs a vault request's bytes: a dev account signs them as given; a browser wallet signs
   * `<Bytes>` ‖ bytes ‖ `</Bytes>` (it never signs raw bytes that could pass for a transaction),
   * which the vault accepts too (vault/src/auth.rs).
   */
  signRaw: (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  /**
   * A dev account's secret URI (the development phrase and its path): its key-agreement key is
   * derived from it, as the scripts do. Wallet accounts have none: their secret stays in the wallet.
   */
  devSecretUri?: string;
}

/** The names of the browser wallets that announced themselves on this page. */
export function browserWallets(): string[] {
  return getInjectedExtensions();
}

/** Asks the browser wallet `name` for access (it shows its own prompt) and lists its accounts. */
export async function connectBrowserWallet(name: string): Promise<{ extension: InjectedExtension; accounts: Account[] }> {
  const extension = await connectInjectedExtension(name, 'Medchain');
  return { extension, accounts: walletAccounts(name, extension.getAccounts()) };
}

/** A browser wallet's accounts as the app's; Ethereum-style (ecdsa) accounts cannot sign here. */
export function walletAccounts(source: string, injected: InjectedPolkadotAccount[]): Account[] {
  return injected
    .filter((account) => account.type !== 'ecdsa')
    .map((account) => ({
      address: account.address,
      name: account.name ?? account.address,
      source,
      signer: account.polkadotSigner,
      publicKey: account.polkadotSigner.publicKey,
      signRaw: (payload: Uint8Array) => account.polkadotSigner.signBytes(payload),
    }));
}

/** The 32-byte public key of an SS58 `address`; throws for an invalid one. */
export function publicKeyOf(address: string): Uint8Array {
  const info = getSs58AddressInfo(address);
  if (!info.isValid) throw new Error(`not an account address: ${address}`);
  return info.publicKey;
}
