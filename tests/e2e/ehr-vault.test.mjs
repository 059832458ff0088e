// EHR records through the vault, on a dev node and a vault started with `--node`: a hospital
// seals a note, uploads it and adds the record naming its content id; the patient grants
// clinicians and delivers the note's key to each (an envelope in the vault). A clinician who logs
// the read opens the note and the patient's access log shows it; a stranger, a revoked grantee,
// a suspended provider, a reader without a fresh log entry (never logged, logged another record,
// logged too long ago) and anyone after erasure are refused with the status and reason the vault
// names. The patient may end the storage order the hospital paid for one of their records (so
// that erasure does not wait on the hospital), the refund going to the hospital. All of it twice:
// with the vault's blobs in its data directory, and in a real S3 engine (Ceph's RADOS Gateway,
// scripts/ceph-s3-server).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { submit, sudo, rpcCall, bestNumber, untilFinalized } from '../../scripts/lib/chain.mjs';
import { commitText, normAccount, palletEvents, remark } from '../../scripts/lib/flow.mjs';
import { CONSULT_NOTE, PATHOLOGY_STUDY } from '../../scripts/lib/ehr-codes.mjs';
import { deliverRecordKey, openRecordFromVault, sealRecordFor } from '../../scripts/lib/records.mjs';
import { startVaultStack, stopVaultStack, succeedFinalized, vaultRefusal, assertJsonConvention } from './support.mjs';

const READERS = ['doctor', 'revoked', 'late', 'suspended'];
const ROLES = ['patient', 'hospital', 'stranger', ...READERS];

for (const backend of ['filesystem', 's3']) {
  describe(`EHR through a vault with its blobs in ${backend === 's3' ? 'Ceph, over S3' : 'its data directory'}`, () => {
    let node;
    let api;
    let vault;
    let alice;
    let pairs;
    let keys;
    let clients;
    let note;
    let lab;
    let uris;
    let s3;

    before(async () => {
      ({ node, api, vault, s3, alice, pairs, uris, clients, keys } = await startVaultStack({ roles: ROLES, keyRoles: ['patient', ...READERS], label: `ehr-vault-${backend}`, s3: backend === 's3' }));

      const { patient, hospital } = pairs;
      const registered = await sudo(api, api.tx.utility.batchAll([
        api.tx.ehr.registerProvider(hospital.address, 'Hospital', '0x01'),
        ...READERS.map((role) => api.tx.ehr.registerProvider(pairs[role].address, 'Clinician', '0x02')),
      ]), alice);
      assert.equal(registered.dispatchError, null, JSON.stringify(registered.dispatchError));
      await succeed(api.tx.ehr.grantAccess(hospital.address, 'All', { read: false, append: true }, 'Treatment', 0, (await bestNumber(api)) + 10_000, null), patient);

      // The hospital seals two documents, uploads them and adds their records.
      const add = async (code, text) => {
        const record = await sealRecordFor(api, patient, uris.patient, text, { vaultUrl: vault.url });
        assert.equal(await clients.hospital.put(record.sealed.contentId, record.sealed.object), true);
        const result = await succeed(api.tx.ehr.addRecord(patient.address, code, record.commitment, record.contentId, record.locator, record.size), hospital);
        const id = result.events.find(({ event }) => api.events.ehr.RecordAdded.is(event)).event.data.recordId.toNumber();
        return { ...record, text, id };
      };
      note = await add(CONSULT_NOTE, `consult note ${Date.now()}: chest pain, ECG normal`);
      lab = await add(PATHOLOGY_STUDY, `lab report ${Date.now()}: troponin negative`);

      // The hospital that sealed them hands both keys to the patient. Each reader registers a
      // key-agreement key and gets a read grant; the patient delivers both records' keys to each.
      await succeed(api.tx.dnaWallet.registerKey(u8aToHex(keys.patient.publicKey), 'X25519'), patient);
      for (const record of [note, lab]) await deliverRecordKey(api, clients.hospital, record.sealed, patient);
      for (const role of READERS) {
        await succeed(api.tx.dnaWallet.registerKey(u8aToHex(keys[role].publicKey), 'X25519'), pairs[role]);
        await succeed(api.tx.ehr.grantAccess(pairs[role].address, 'All', { read: true, append: false }, 'Treatment', 0, (await bestNumber(api)) + 10_000, null), patient);
        for (const record of [note, lab]) await deliverRecordKey(api, clients.patient, record.sealed, pairs[role]);
      }
    });

    after(() => stopVaultStack({ node, api, vault, s3 }));

    const succeed = (tx, signer) => succeedFinalized(api, tx, signer);

    const logRead = (role, record) => succeed(api.tx.ehr.logAccess(pairs.patient.address, record.id, 'Treatment'), pairs[role]);
    const openAs = (role, record) => openRecordFromVault(api, clients[role], keys[role], { contentId: record.contentId, commitment: record.commitment });
    const refused = vaultRefusal;

    test('the record names its sealed object on chain', async () => {
      const records = await rpcCall(api, 'ehr_records', [pairs.patient.address]);
      assert.deepEqual(records.map((r) => [r.id, r.contentId.toLowerCase()]), [[note.id, note.contentId], [lab.id, lab.contentId]]);
    });

    test('a clinician who logged the read opens the record, and the patient\'s access log shows the read', async () => {
      await assert.rejects(openAs('doctor', note), refused(403, 'access-not-logged'), 'nothing before the read is logged');
      const logged = await logRead('doctor', note);
      assert.equal(await openAs('doctor', note), note.text, 'the doctor opened the note and it matches the commitment');
      const index = logged.events.find(({ event }) => api.events.ehr.AccessLogged.is(event)).event.data.index.toNumber();
      const [entry] = await rpcCall(api, 'ehr_accessLog', [pairs.patient.address, index, 1]);
      assert.deepEqual(
        [normAccount(api, entry.accessor), entry.recordId, entry.purpose, entry.basis],
        [pairs.doctor.address, note.id, 'Treatment', 'Grant'],
      );
      // What the vault asked the chain, in the RPC's JSON.
      const ticket = await rpcCall(api, 'ehr_readTicket', [pairs.doctor.address, note.contentId, pairs.hospital.address]);
      assert.ok(assertJsonConvention('ehr_readTicket', ticket) > 0);
      assert.deepEqual([ticket.recordId, ticket.verdict.Logged?.index], [note.id, index], JSON.stringify(ticket));
      // The patient opens their own record without logging, with the key the hospital delivered.
      assert.equal(await openAs('patient', note), note.text);
      // Only the patient delivers to others; the hospital only to the patient.
      await assert.rejects(deliverRecordKey(api, clients.hospital, note.sealed, pairs.doctor), refused(403, 'not-the-patient'));
    });

    test('logging one record opens that record only', async () => {
      await assert.rejects(openAs('doctor', lab), refused(403, 'access-not-logged'));
    });

    test('a stranger is refused: no grant, and no envelope of their own', async () => {
      await assert.rejects(clients.stranger.get(note.sealed.contentId), refused(403, 'not-allowed'));
      await assert.rejects(clients.stranger.getEnvelope(note.sealed.contentId), refused(403, 'not-allowed'));
      const { dispatchError } = await submit(api, api.tx.ehr.logAccess(pairs.patient.address, note.id, 'Treatment'), pairs.stranger);
      assert.deepEqual(dispatchError, { section: 'ehr', name: 'ProviderNotFound' });
      // Not the hospital either, though it uploaded the note: it holds no read grant.
      await assert.rejects(clients.hospital.get(note.sealed.contentId), refused(403, 'not-allowed'));
    });

    test('a revoked grantee is refused although its logged read is fresh', async () => {
      await logRead('revoked', note);
      assert.equal(await openAs('revoked', note), note.text);
      await succeed(api.tx.ehr.revokeAccess(pairs.revoked.address), pairs.patient);
      await assert.rejects(clients.revoked.get(note.sealed.contentId), refused(403, 'not-allowed'));
      await assert.rejects(clients.revoked.getEnvelope(note.sealed.contentId), refused(403, 'not-allowed'));
    });

    test('a suspended provider is refused', async () => {
      await logRead('suspended', note);
      const suspended = await sudo(api, api.tx.ehr.suspendProvider(pairs.suspended.address), alice);
      assert.equal(suspended.dispatchError, null);
      await untilFinalized(api);
      await assert.rejects(clients.suspended.get(note.sealed.contentId), refused(403, 'provider-suspended'));
    });

    test('a logged read opens the record for ReadWindow blocks only: an old entry cannot be replayed', async () => {
      const window = api.consts.ehr.readWindow.toNumber();
      assert.ok(window > 0 && window <= 20, `ReadWindow ${window}`);
      const logged = await logRead('late', note);
      const at = (await api.rpc.chain.getHeader(logged.blockHash)).number.toNumber();
      assert.equal(await openAs('late', note), note.text);
      // Block by block (a session rotation may add an empty block): served in every block of the
      // window, refused from block `at + window` on.
      for (;;) {
        await remark(api, alice);
        await untilFinalized(api);
        const best = await bestNumber(api);
        if (best >= at + window) break;
        assert.equal(await openAs('late', note), note.text, `served at #${best}, inside the window of the read logged at #${at}`);
      }
      await assert.rejects(openAs('late', note), refused(403, 'access-not-logged'));
      await logRead('late', note);
      assert.equal(await openAs('late', note), note.text, 'a new logged read opens it again');
    });

    test('the patient ends the storage order the hospital paid for a record of theirs; the hospital gets the refund', async () => {
      const { patient, hospital, stranger } = pairs;
      const placed = await succeed(api.tx.storagePower.placeOrder(lab.contentId, lab.sealed.object.length, 1, 5), hospital);
      const orderId = Number(palletEvents(placed.events, 'storagePower').find((e) => e.name === 'OrderPlaced').orderId);
      // What the patient's app reads to find it: the hospital's orders of this object, and no one else's.
      const ordersOfLab = (owner) => rpcCall(api, 'storagePower_ordersOfContent', [lab.contentId, owner.address]);
      assert.deepEqual((await ordersOfLab(hospital)).map((o) => o.id), [orderId]);
      assert.deepEqual(await ordersOfLab(stranger), []);
      // Neither the owner nor the record's patient: refused.
      const refusedEnd = await submit(api, api.tx.storagePower.cancelOrder(orderId), stranger);
      assert.deepEqual(refusedEnd.dispatchError, { section: 'storagePower', name: 'NotOrderOwner' });
      const balance = async (pair) => (await api.query.system.account(pair.address)).data.free.toBigInt();
      const hospitalBefore = await balance(hospital);
      const ended = await succeed(api.tx.storagePower.cancelOrder(orderId), patient);
      const cancel = palletEvents(ended.events, 'storagePower').find((e) => e.name === 'OrderCancelled');
      assert.equal(normAccount(api, cancel.owner), hospital.address);
      assert.equal(normAccount(api, cancel.by), patient.address);
      assert.ok(BigInt(cancel.refunded) > 0n, 'the eras after this one come back');
      const deposit = api.consts.storagePower.orderDeposit.toBigInt();
      assert.equal(await balance(hospital), hospitalBefore + BigInt(cancel.refunded) + deposit, 'refund and deposit to the hospital');
      assert.equal(await rpcCall(api, 'storagePower_order', [orderId]), null);
      assert.deepEqual(await ordersOfLab(hospital), [], 'an ended order leaves the content index');
    });

    test('after erasure the object and its keys are gone for everyone (410)', async () => {
      await logRead('doctor', note);
      await clients.patient.erase(note.sealed.contentId);
      await succeed(api.tx.ehr.eraseRecord(note.id), pairs.patient);
      assert.equal(await rpcCall(api, 'ehr_readTicket', [pairs.doctor.address, note.contentId, pairs.hospital.address]), null, 'no record names the object');
      await assert.rejects(clients.doctor.get(note.sealed.contentId), refused(410, 'erased'));
      await assert.rejects(clients.doctor.getEnvelope(note.sealed.contentId), refused(410, 'erased'));
      await assert.rejects(clients.patient.get(note.sealed.contentId), refused(410, 'erased'));
      // The erased object's id is never stored again.
      await assert.rejects(clients.hospital.put(note.sealed.contentId, note.sealed.object), refused(410, 'erased'));
    });

    test("naming the hospital's object first, in a record of one's own, neither blocks the hospital's record nor opens the object", async () => {
      const { patient, hospital, stranger } = pairs;
      const text = `discharge letter ${Date.now()}: home on day 3`;
      const letter = await sealRecordFor(api, patient, uris.patient, text, { vaultUrl: vault.url });
      assert.equal(await clients.hospital.put(letter.sealed.contentId, letter.sealed.object), true);
      // The stranger read the content id off the chain (or the pool) and names it first.
      await succeed(api.tx.ehr.addRecord(stranger.address, CONSULT_NOTE, commitText('squat'), letter.contentId, '0x01', 1), stranger);
      const added = await succeed(api.tx.ehr.addRecord(patient.address, CONSULT_NOTE, letter.commitment, letter.contentId, letter.locator, letter.size), hospital);
      const id = added.events.find(({ event }) => api.events.ehr.RecordAdded.is(event)).event.data.recordId.toNumber();
      // The vault asks for the record of the object's uploader: the hospital's.
      const ticket = await rpcCall(api, 'ehr_readTicket', [patient.address, letter.contentId, hospital.address]);
      assert.deepEqual([ticket.recordId, ticket.verdict], [id, 'Owner']);
      await assert.rejects(clients.stranger.get(letter.sealed.contentId), refused(403, 'not-allowed'));
      await deliverRecordKey(api, clients.hospital, letter.sealed, patient);
      assert.equal(await openRecordFromVault(api, clients.patient, keys.patient, { contentId: letter.contentId, commitment: letter.commitment }), text);
    });
  });
}
