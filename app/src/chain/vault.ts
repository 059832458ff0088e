// The vault the app's config names, spoken to as an account (its requests signed by it).
import type { Account } from '../wallet/accounts';
import type { Chain } from './connection';
import { VaultClient } from '../../../scripts/lib/vault-client.mjs';

/** A client of the chain's vault signing as `account`. */
export function vaultAs(chain: Chain, account: Account): VaultClient {
  return new VaultClient(chain.config.vaultUrl, { publicKey: account.publicKey, sign: account.signRaw });
}
