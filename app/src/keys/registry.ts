// The key registry on chain (`DnaWallet`'s, which EHR key delivery uses too): which key-agreement
// key others wrap records to for an account, and whether it is the one this browser holds.
import { u8aEq } from '@polkadot/util';
import type { Chain } from '../chain/connection';
import { newestAgreementKey } from '../../../scripts/lib/record-seal.mjs';

/** A registered key as `DnaWalletApi.keys` returns it (polkadot-api). */
export interface KeyView {
  id: bigint;
  key_type: { type: string };
  public_key: Uint8Array;
  revoked_at?: number;
}

/**
 * What the chain says of `local` (this browser's key-agreement public key, or null): `current`
 * when it is the key others wrap to; `missing` when the account has no live key (register it);
 * `other` when its newest live key is another one (rotate it: `replaces` is that key's id).
 */
export type KeyState = { kind: 'current' } | { kind: 'missing' } | { kind: 'other'; replaces: bigint };

export function keyStateOf(keys: KeyView[], local: Uint8Array | null): KeyState {
  const newest = newestAgreementKey(keys.map((k) => ({ keyType: k.key_type.type, publicKey: k.public_key, revoked: k.revoked_at !== undefined })));
  if (!newest) return { kind: 'missing' };
  if (local && u8aEq(newest, local)) return { kind: 'current' };
  const live = keys.filter((k) => k.key_type.type === 'X25519' && k.revoked_at === undefined);
  return { kind: 'other', replaces: live[live.length - 1].id };
}

/** The key-agreement public key records are wrapped to for `address`, or null if it registered none. */
export async function registeredKeyOf(chain: Chain, address: string): Promise<Uint8Array | null> {
  const keys = await chain.api.apis.DnaWalletApi.keys(address, { at: 'best' });
  return newestAgreementKey(keys.map((k) => ({ keyType: k.key_type.type, publicKey: k.public_key, revoked: k.revoked_at !== undefined })));
}
