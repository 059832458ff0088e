// A health record as a provider adds it to a patient's EHR: the document sealed
// (docs/sealing-v1.md), its salted commitment, and where the sealed object lives encrypted to the
// patient's key-agreement key. What `ehr.addRecord` takes, with what stays off chain.
import { DEV_PHRASE } from '@polkadot/keyring';
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { keyAgreementFromSuri, seal, sealLocator } from './seal.mjs';

/** What separates a locator's object path from the data key it may carry. */
const DATA_KEY_MARK = '#key=';

/**
 * Seals `document` (text) for a patient: the account `patientAccount` (its 32-byte public key)
 * whose key-agreement public key is `patientKeyPublic`, on the chain `genesisHash` (bytes).
 * Returns `{ sealed, commitment, locator, size, objectPath }`: `commitment` and `locator` as
 * 0x-hex for `ehr.addRecord`, `sealed` (data key, object, content id) for the vault. The app
 * calls it with the key it keeps for a wallet account; `sealRecordFor` with a dev account's.
 *
 * With `dataKeyInLocator` the locator also carries the object's data key
 * (`objects/0x<id>#key=0x<key>`, 190 bytes sealed, within the pallet's 256): a patient adding
 * their own record keeps nothing else, and opens it later from the chain alone. Without it the
 * caller keeps the data key (the scripts hand it to the test that opens the object).
 */
export async function sealRecord(document, { patientAccount, patientKeyPublic, genesisHash, dataKeyInLocator = false }) {
  const sealed = seal(stringToU8a(document));
  const objectPath = `objects/${u8aToHex(sealed.contentId)}`;
  const locatorText = dataKeyInLocator ? `${objectPath}${DATA_KEY_MARK}${u8aToHex(sealed.dataKey)}` : objectPath;
  const locator = await sealLocator(locatorText, patientAccount, patientKeyPublic, genesisHash);
  return { sealed, commitment: u8aToHex(sealed.commitment), locator: u8aToHex(locator), size: sealed.object.length, objectPath };
}

/** A decrypted locator as `{ objectPath, dataKey }` (`dataKey` null when it carries none). */
export function parseRecordLocator(text) {
  const at = text.indexOf(DATA_KEY_MARK);
  if (at < 0) return { objectPath: text, dataKey: null };
  return { objectPath: text.slice(0, at), dataKey: hexToU8a(text.slice(at + DATA_KEY_MARK.length)) };
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
