// A health record's keys and sealing, with no chain access (the app runs it in the browser;
// records.mjs builds the scripts' helpers on it, reading the chain with @polkadot/api): the
// document sealed for its patient (docs/sealing-v1.md), its salted commitment, the sealed
// object's content id and the locator encrypted to the patient; the record's data key wrapped
// for a reader and deposited in the vault (sealing-v1 §7); a reader opening the record from the
// vault and checking it against the commitment on chain.
import { hexToU8a, isHex, stringToU8a, u8aToHex, u8aToString } from '@polkadot/util';
import { commitment as commitmentOf, open, openChainLocator, seal, sealLocator, unwrapKey, wrapKey } from './seal.mjs';

/**
 * The key version of every EHR envelope. An EHR object is never re-keyed: a new key means a new
 * sealed object, added as a new record version with its own content id, so the content id alone
 * tells key generations apart.
 */
export const EHR_KEY_VERSION = 1;

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
  const locatorText = dataKeyInLocator ? keyedLocatorText(objectPath, sealed.dataKey) : objectPath;
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

/** The text of a locator naming `objectPath` and carrying `dataKey` (sealing-v1 §6). */
export function keyedLocatorText(objectPath, dataKey) {
  return `${objectPath}${DATA_KEY_MARK}${u8aToHex(dataKey)}`;
}

/** A decrypted locator as `{ objectPath, dataKey }` (`dataKey` null when it carries none). */
export function parseRecordLocator(text) {
  const at = text.indexOf(DATA_KEY_MARK);
  if (at < 0) return { objectPath: text, dataKey: null };
  return { objectPath: text.slice(0, at), dataKey: hexToU8a(text.slice(at + DATA_KEY_MARK.length)) };
}

/**
 * What an EHR envelope of the object `contentId` (bytes or 0x-hex) for `recipient` (an account's
 * 32-byte public key) on the chain `genesisHash` (bytes) is bound to.
 */
export function recordEnvelopeContext(genesisHash, contentId, recipient) {
  return { genesisHash, contentId: asBytes(contentId), keyVersion: EHR_KEY_VERSION, recipient };
}

/**
 * The newest key-agreement key among an account's registered keys (`keys` as the key registry
 * lists them, oldest first, each `{ keyType, publicKey, revoked }`, `publicKey` bytes or 0x-hex):
 * the 32-byte X25519 public key records are wrapped to, or null when none is live.
 */
export function newestAgreementKey(keys) {
  const live = keys.filter((key) => key.keyType === 'X25519' && !key.revoked);
  return live.length ? asBytes(live[live.length - 1].publicKey) : null;
}

/**
 * Deposits the key of a record's sealed object (`{ contentId, dataKey }`) for `recipient` (its
 * `publicKey`, the account's 32 bytes) in `vault` (a `VaultClient` signing as the patient, or as
 * the object's uploader when the recipient is the patient): the data key wrapped to
 * `recipientKey`, the recipient's registered key-agreement public key. Resolves with the envelope.
 */
export async function depositRecordKey(vault, genesisHash, { contentId, dataKey }, recipient, recipientKey) {
  const envelope = await wrapKey(dataKey, recipientKey, recordEnvelopeContext(genesisHash, contentId, recipient.publicKey));
  await vault.putEnvelope(asBytes(contentId), recipient.publicKey, envelope);
  return envelope;
}

/**
 * The data key of the object `contentId` from the envelope addressed to the reader of `vault` (a
 * `VaultClient` signing as the reader), unwrapped with `readerKey` (the reader's key-agreement key).
 */
export async function recordKeyFromVault(vault, readerKey, genesisHash, contentId) {
  const envelope = await vault.getEnvelope(asBytes(contentId));
  return unwrapKey(envelope, readerKey, recordEnvelopeContext(genesisHash, contentId, vault.pair.publicKey));
}

/**
 * The data key of a record of the patient reading through `vault` (a `VaultClient` signing as the
 * patient), with `patientKey` (their key-agreement key): from the record's `locator` (bytes,
 * sealed to the patient), which carries it for the records the patient added, or else from the
 * envelope the record's issuer left for the patient in the vault.
 */
export async function patientRecordKey(vault, patientKey, genesisHash, { contentId, locator }) {
  const { dataKey } = parseRecordLocator(await openChainLocator(asBytes(locator), vault.pair.publicKey, patientKey, genesisHash));
  return dataKey ?? recordKeyFromVault(vault, patientKey, genesisHash, contentId);
}

/**
 * A reader opens a record from `vault` (a `VaultClient` signing as the reader): the sealed object
 * and the reader's envelope, the data key unwrapped with `readerKey`, the document opened and
 * checked against the record's `commitment` from the chain. Resolves with the document text;
 * rejects with the vault's refusal (`VaultError`) or a `SealError`.
 */
export async function openSealedRecord(vault, readerKey, genesisHash, { contentId, commitment }) {
  return openRecordObject(vault, await recordKeyFromVault(vault, readerKey, genesisHash, contentId), { contentId, commitment });
}

/**
 * The patient opens their own record (`{ contentId, commitment, locator }` as on chain) through
 * `vault` (signing as the patient, whom the vault serves without a logged read), with the data
 * key of `patientRecordKey`, checked against the commitment. Resolves with the document text.
 */
export async function openOwnRecord(vault, patientKey, genesisHash, record) {
  return openRecordObject(vault, await patientRecordKey(vault, patientKey, genesisHash, record), record);
}

/** The sealed object `contentId` from `vault`, opened with `dataKey` and checked against `commitment`. */
async function openRecordObject(vault, dataKey, { contentId, commitment }) {
  const { salt, content } = open(dataKey, await vault.get(asBytes(contentId)));
  if (u8aToHex(commitmentOf(salt, content)) !== u8aToHex(asBytes(commitment))) {
    throw new Error('the opened record does not match the commitment on chain');
  }
  return u8aToString(content);
}

function asBytes(value) {
  return isHex(value) ? hexToU8a(value) : value;
}
