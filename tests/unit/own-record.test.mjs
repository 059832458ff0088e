// A patient opens their own record (record-seal.mjs `openOwnRecord`): with the data key the
// locator carries (records the patient added), or else with the envelope the record's issuer
// left the patient in the vault; the opened document is checked against the commitment on chain.
// The vault here is an in-memory stand-in with the `VaultClient` calls the function makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEV_PHRASE, Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { depositRecordKey, openOwnRecord, patientRecordKey, sealRecord } from '../../scripts/lib/record-seal.mjs';
import { keyAgreementFromSuri } from '../../scripts/lib/seal.mjs';

await cryptoWaitReady();
const genesisHash = new Uint8Array(32).fill(9);
const pair = (name) => new Keyring({ type: 'sr25519' }).addFromUri(`//${name}`);

/** An in-memory vault as `account` sees it: objects by content id, envelopes by (content id, recipient). */
function memoryVault(account, { objects = new Map(), envelopes = new Map() } = {}) {
  const envelopeKey = (id, recipient) => `${u8aToHex(id)}/${u8aToHex(recipient)}`;
  return {
    pair: account,
    objects,
    envelopes,
    as: (other) => memoryVault(other, { objects, envelopes }),
    async get(id) {
      const object = objects.get(u8aToHex(id));
      if (!object) throw new Error(`no object ${u8aToHex(id)}`);
      return object;
    },
    async putEnvelope(id, recipient, envelope) {
      envelopes.set(envelopeKey(id, recipient), envelope);
    },
    async getEnvelope(id) {
      const envelope = envelopes.get(envelopeKey(id, account.publicKey));
      if (!envelope) throw new Error('no envelope for this reader');
      return envelope;
    },
  };
}

async function patientAndRecord(document, { dataKeyInLocator }) {
  const patient = pair('Ferdie');
  const patientKey = await keyAgreementFromSuri(`${DEV_PHRASE}//Ferdie`);
  const sealed = await sealRecord(document, { patientAccount: patient.publicKey, patientKeyPublic: patientKey.publicKey, genesisHash, dataKeyInLocator });
  const vault = memoryVault(patient);
  vault.objects.set(sealed.contentId, sealed.sealed.object);
  const record = { contentId: sealed.contentId, commitment: sealed.commitment, locator: sealed.locator };
  return { patient, patientKey, sealed, vault, record };
}

test('a record the patient added opens with the key its locator carries, no envelope needed', async () => {
  const { patientKey, vault, record } = await patientAndRecord('Blood pressure 128/82.', { dataKeyInLocator: true });
  assert.equal(vault.envelopes.size, 0);
  assert.equal(await openOwnRecord(vault, patientKey, genesisHash, record), 'Blood pressure 128/82.');
});

test('a record an issuer added opens with the envelope the issuer left the patient', async () => {
  const { patient, patientKey, sealed, vault, record } = await patientAndRecord('Discharge letter.', { dataKeyInLocator: false });
  await assert.rejects(openOwnRecord(vault, patientKey, genesisHash, record), /no envelope/);
  const issuerVault = vault.as(pair('Dave'));
  await depositRecordKey(issuerVault, genesisHash, { contentId: sealed.contentId, dataKey: sealed.sealed.dataKey }, patient, patientKey.publicKey);
  assert.deepEqual(await patientRecordKey(vault, patientKey, genesisHash, record), sealed.sealed.dataKey);
  assert.equal(await openOwnRecord(vault, patientKey, genesisHash, record), 'Discharge letter.');
});

test('a record whose document does not match the commitment on chain is refused', async () => {
  const { patientKey, vault, record } = await patientAndRecord('Allergy: penicillin.', { dataKeyInLocator: true });
  const other = await patientAndRecord('Allergy: none.', { dataKeyInLocator: true });
  await assert.rejects(openOwnRecord(vault, patientKey, genesisHash, { ...record, commitment: other.record.commitment }), /does not match the commitment/);
});

test('another account cannot open the patient\'s locator', async () => {
  const { vault, record } = await patientAndRecord('Allergy: penicillin.', { dataKeyInLocator: true });
  const stranger = await keyAgreementFromSuri(`${DEV_PHRASE}//Eve`);
  await assert.rejects(openOwnRecord(vault.as(pair('Eve')), stranger, genesisHash, record), { code: 'WrongEnvelope' });
});
