// A health record as a provider adds it to a patient's EHR: the document sealed
// (docs/sealing-v1.md), its salted commitment, and where the sealed object lives encrypted to the
// patient's key-agreement key. What `ehr.addRecord` takes, with what stays off chain.
import { DEV_PHRASE } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { keyAgreementFromSuri, seal, sealLocator } from './seal.mjs';

/**
 * Seals `document` (text) for a patient: the account `patientAccount` (its 32-byte public key)
 * whose key-agreement public key is `patientKeyPublic`, on the chain `genesisHash` (bytes).
 * Returns `{ sealed, commitment, locator, size, objectPath }`: `commitment` and `locator` as
 * 0x-hex for `ehr.addRecord`, `sealed` (data key, object, content id) for the vault. The app
 * calls it with the key it keeps for a wallet account; `sealRecordFor` with a dev account's.
 */
export async function sealRecord(document, { patientAccount, patientKeyPublic, genesisHash }) {
  const sealed = seal(stringToU8a(document));
  const objectPath = `objects/${u8aToHex(sealed.contentId)}`;
  const locator = await sealLocator(objectPath, patientAccount, patientKeyPublic, genesisHash);
  return { sealed, commitment: u8aToHex(sealed.commitment), locator: u8aToHex(locator), size: sealed.object.length, objectPath };
}

/**
 * Seals `document` (text) for the patient `patient` (a keyring pair) whose secret URI relative
 * to the development phrase is `patientUri` (as `createFundedAccounts` returns it). Returns
 * `{ sealed, commitment, locator, size, objectPath, patientKey, genesisHash }`: `commitment`
 * and `locator` as 0x-hex for the call, `sealed` (data key, object, content id) and the
 * patient's key for whoever keeps and opens it.
 */
export async function sealRecordFor(api, patient, patientUri, document) {
  const genesisHash = api.genesisHash.toU8a();
  const patientKey = await keyAgreementFromSuri(`${DEV_PHRASE}${patientUri}`);
  const record = await sealRecord(document, { patientAccount: patient.publicKey, patientKeyPublic: patientKey.publicKey, genesisHash });
  return { ...record, patientKey, genesisHash };
}
