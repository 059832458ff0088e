// Sealing a health record for its patient, with no chain access (the app runs it in the browser;
// records.mjs builds the scripts' helpers on it): the document sealed (docs/sealing-v1.md), its
// salted commitment, the sealed object's content id, and the locator encrypted to the patient.
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { seal, sealLocator } from './seal.mjs';

/** What separates a locator's object path from the data key it may carry. */
const DATA_KEY_MARK = '#key=';

/**
 * Seals `document` (text) for a patient: the account `patientAccount` (its 32-byte public key)
 * whose key-agreement public key is `patientKeyPublic`, on the chain `genesisHash` (bytes).
 * Returns `{ sealed, commitment, contentId, locator, size, objectPath }`: `commitment`,
 * `contentId` and `locator` as 0x-hex for `ehr.addRecord`, `sealed` (data key, object, content
 * id) for the vault. With `vaultUrl` the locator names the object in that vault.
 *
 * With `dataKeyInLocator` the locator also carries the object's data key
 * (`objects/0x<id>#key=0x<key>`, about 190 bytes sealed, within the pallet's 256): a patient
 * adding their own record keeps nothing else and opens it later from the chain and their key
 * alone. Without it the caller keeps the data key and delivers it as envelopes
 * (records.mjs `deliverRecordKey`).
 */
export async function sealRecord(document, { patientAccount, patientKeyPublic, genesisHash, vaultUrl = '', dataKeyInLocator = false }) {
  const sealed = seal(stringToU8a(document));
  const objectPath = `${vaultUrl ? `${vaultUrl}/` : ''}objects/${u8aToHex(sealed.contentId)}`;
  const locatorText = dataKeyInLocator ? `${objectPath}${DATA_KEY_MARK}${u8aToHex(sealed.dataKey)}` : objectPath;
  const locator = await sealLocator(locatorText, patientAccount, patientKeyPublic, genesisHash);
  return {
    sealed,
    commitment: u8aToHex(sealed.commitment),
    contentId: u8aToHex(sealed.contentId),
    locator: u8aToHex(locator),
    size: sealed.object.length,
    objectPath,
  };
}

/** A decrypted locator as `{ objectPath, dataKey }` (`dataKey` null when it carries none). */
export function parseRecordLocator(text) {
  const at = text.indexOf(DATA_KEY_MARK);
  if (at < 0) return { objectPath: text, dataKey: null };
  return { objectPath: text.slice(0, at), dataKey: hexToU8a(text.slice(at + DATA_KEY_MARK.length)) };
}
