// A health record as a provider adds it to a patient's EHR: the document sealed
// (docs/sealing-v1.md), its salted commitment, the content id of the sealed object, and where the
// object lives encrypted to the patient's key-agreement key. What `ehr.addRecord` takes, with
// what stays off chain. Then how the record's key reaches a grantee (an envelope in the vault,
// sealing-v1 §7) and how the grantee opens the record.
import { DEV_PHRASE } from '@polkadot/keyring';
import { hexToU8a } from '@polkadot/util';
import { rpcCall } from './chain.mjs';
import { bytesHex } from './flow.mjs';
import { depositRecordKey, newestAgreementKey, openSealedRecord, recordEnvelopeContext as envelopeContext, sealRecord } from './record-seal.mjs';
import { keyAgreementFromSuri } from './seal.mjs';

export { sealRecord, parseRecordLocator, EHR_KEY_VERSION } from './record-seal.mjs';

/**
 * Seals `document` (text) for the patient `patient` (a keyring pair) whose secret URI relative
 * to the development phrase is `patientUri` (as `createFundedAccounts` returns it). Returns
 * `{ sealed, commitment, contentId, locator, size, objectPath, patientKey, genesisHash }`:
 * `commitment`, `contentId` and `locator` as 0x-hex for the call, `sealed` (data key, object,
 * content id) and the patient's key for whoever keeps and opens it. With `vaultUrl` the locator
 * names the object in that vault.
 */
export async function sealRecordFor(api, patient, patientUri, document, { vaultUrl } = {}) {
  const genesisHash = api.genesisHash.toU8a();
  const patientKey = await keyAgreementFromSuri(`${DEV_PHRASE}${patientUri}`);
  const record = await sealRecord(document, { patientAccount: patient.publicKey, patientKeyPublic: patientKey.publicKey, genesisHash, vaultUrl });
  return { ...record, patientKey, genesisHash };
}

/**
 * The key-agreement public key `address` registered on chain, as a 32-byte array: its newest
 * X25519 key not revoked in the key registry (`dnaWallet_keys`; the registry of the DNA wallet,
 * which EHR key delivery uses too).
 */
export async function registeredAgreementKey(api, address) {
  const keys = await rpcCall(api, 'dnaWallet_keys', [address]);
  const key = newestAgreementKey(keys.map((k) => ({ keyType: k.keyType, publicKey: hexToU8a(bytesHex(k.publicKey)), revoked: k.revokedAt != null })));
  if (!key) throw new Error(`${address} has registered no key-agreement key (dnaWallet.registerKey)`);
  return key;
}

/** What an EHR envelope of the object `contentId` for `recipient` (a public key) is bound to. */
export function recordEnvelopeContext(api, contentId, recipient) {
  return envelopeContext(api.genesisHash.toU8a(), contentId, recipient);
}

/**
 * The patient delivers the key of a record's sealed object (`{ contentId, dataKey }`) to
 * `recipient` (a keyring pair or `{ address, publicKey }`): wrapped to the recipient's registered
 * key-agreement key and deposited in the vault `patientVault` (a `VaultClient` signing as the
 * patient). Resolves with the envelope.
 */
export async function deliverRecordKey(api, patientVault, sealed, recipient) {
  const recipientKey = await registeredAgreementKey(api, recipient.address);
  return depositRecordKey(patientVault, api.genesisHash.toU8a(), sealed, recipient, recipientKey);
}

/**
 * A reader opens a record from the vault: the sealed object and the reader's envelope through
 * `readerVault` (a `VaultClient` signing as the reader), the data key unwrapped with `readerKey`
 * (the reader's key-agreement key), the document opened and checked against the record's
 * `commitment` from the chain. Resolves with the document text; rejects with the vault's
 * refusal (`VaultError`) or a `SealError`.
 */
export function openRecordFromVault(api, readerVault, readerKey, { contentId, commitment }) {
  return openSealedRecord(readerVault, readerKey, api.genesisHash.toU8a(), { contentId, commitment: bytesHex(commitment) });
}
