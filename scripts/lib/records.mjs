// A health record as a provider adds it to a patient's EHR: the document sealed
// (docs/sealing-v1.md), its salted commitment, and where the sealed object lives encrypted to the
// patient's key-agreement key. What `ehr.addRecord` takes, with what stays off chain.
import { DEV_PHRASE } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { keyAgreementFromSuri, seal, sealLocator } from './seal.mjs';

/**
 * Seals `document` (text) for the patient `patient` (a keyring pair) whose secret URI relative
 * to the development phrase is `patientUri` (as `createFundedAccounts` returns it). Returns
 * `{ sealed, commitment, locator, size, objectPath, patientKey, genesisHash }`: `commitment`
 * and `locator` as 0x-hex for the call, `sealed` (data key, object, content id) and the
 * patient's key for whoever keeps and opens it.
 */
export async function sealRecordFor(api, patient, patientUri, document) {
  const sealed = seal(stringToU8a(document));
  const genesisHash = api.genesisHash.toU8a();
  const patientKey = await keyAgreementFromSuri(`${DEV_PHRASE}${patientUri}`);
  const objectPath = `objects/${u8aToHex(sealed.contentId)}`;
  const locator = await sealLocator(objectPath, patient.publicKey, patientKey.publicKey, genesisHash);
  return {
    sealed,
    commitment: u8aToHex(sealed.commitment),
    locator: u8aToHex(locator),
    size: sealed.object.length,
    objectPath,
    patientKey,
    genesisHash,
  };
}
