// A grant is only as good as the keys that go with it: after granting read access the patient's
// browser wraps the data key of every record the grant covers to the grantee's registered
// key-agreement key and deposits the envelopes in the vault, where the grantee's reads fetch them
// (docs/sealing-v1.md §7; the scripts do the same with records.mjs `deliverRecordKey`).
import { Binary } from 'polkadot-api';
import type { Chain } from '../chain/connection';
import { publicKeyOf, type Account } from '../wallet/accounts';
import type { KeyAgreementKey } from '../keys/key-agreement';
import { registeredKeyOf } from '../keys/registry';
import { depositRecordKey, patientRecordKey } from '../../../scripts/lib/record-seal.mjs';
import { vaultAs } from '../chain/vault';
import { scopeCovers, type StoredScope } from './grants';

/** A record pointer with what its key delivery needs. */
export interface SealedRecordRef {
  id: bigint;
  typeCode: string;
  contentId?: string;
  locator: Uint8Array;
}

export type Delivery = { kind: 'delivered'; delivered: number; failed: number } | { kind: 'no-key' };

/**
 * Delivers the keys of the records of `patient` (signing its vault requests) in `scope` to
 * `grantee`, each record's data key from `patientRecordKey`.
 */
export async function deliverRecordKeys(chain: Chain, patient: Account, patientKey: KeyAgreementKey, grantee: string, scope: StoredScope, records: SealedRecordRef[]): Promise<Delivery> {
  const granteeKey = await registeredKeyOf(chain, grantee);
  if (!granteeKey) return { kind: 'no-key' };
  const recipient = { publicKey: publicKeyOf(grantee) };
  const genesisHash = Binary.fromHex(chain.genesisHash);
  const vault = vaultAs(chain, patient);
  let delivered = 0;
  let failed = 0;
  for (const record of records) {
    if (!record.contentId || !scopeCovers(scope, record.id, record.typeCode)) continue;
    try {
      const dataKey = await patientRecordKey(vault, patientKey, genesisHash, { contentId: record.contentId, locator: record.locator });
      await depositRecordKey(vault, genesisHash, { contentId: record.contentId, dataKey }, recipient, granteeKey);
      delivered += 1;
    } catch {
      failed += 1;
    }
  }
  return { kind: 'delivered', delivered, failed };
}
