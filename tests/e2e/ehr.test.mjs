// End-to-end test of pallet-ehr against the real medchain-node binary: the integrator flow of
// scripts/ehr-flow.mjs on an instant-seal dev chain with a vault beside it, then its outcomes
// checked on chain, over RPC and at the vault.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rpcCall, rpcMethods, submit, balanceOf } from '../../scripts/lib/chain.mjs';
import { normAccount, bytesHex } from '../../scripts/lib/flow.mjs';
import { stopCleanly, runFlowOnDevChain, stepEvents, oneStepEvent, assertJsonConventions } from './support.mjs';
import { runEhrFlow, TYPE_CODE, DOCTOR_GRANT_BLOCKS, DOCTOR_MAX_READS, EHR_RPC_METHODS } from '../../scripts/ehr-flow.mjs';

describe('EHR flow on an instant-seal dev chain', () => {
  let node;
  let api;
  let accounts;
  let flow;
  let vault;
  const lines = [];
  const ehrEvents = (step, method) => stepEvents(api, step, 'ehr', method);
  const oneEvent = (step, method) => oneStepEvent(api, step, 'ehr', method);

  before(async () => {
    ({ node, api, accounts, flow, vault } = await runFlowOnDevChain(runEhrFlow, lines, { withVault: true }));
  });

  after(async () => {
    const stopped = await vault?.stop();
    await stopCleanly(node, api);
    assert.equal(stopped?.code, 0, `vault exit code; log:\n${vault?.output().slice(-2000)}`);
  });

  test('the node serves the EHR RPC methods', async () => {
    const methods = await rpcMethods(api);
    for (const method of EHR_RPC_METHODS) assert.ok(methods.includes(method), `${method} served`);
  });

  test('fresh accounts were funded and are not dev accounts', () => {
    const devAddresses = Object.values(accounts).map((a) => a.address);
    for (const role of ['patient', 'hospital', 'doctor', 'emergency']) {
      assert.ok(!devAddresses.includes(flow.pairs[role].address), `${role} is fresh`);
    }
    assert.match(flow.tag, /^[0-9a-f]{8}$/);
  });

  test('Root registers the providers through sudo', async () => {
    const { hospital, doctor, emergency } = flow.pairs;
    const registered = ehrEvents(flow.steps.register, 'ProviderRegistered')
      .map((d) => [d.provider.toString(), d.kind.type]);
    assert.deepEqual(registered, [
      [hospital.address, 'Hospital'], [doctor.address, 'Clinician'], [emergency.address, 'Hospital'],
    ]);
    const sudid = flow.steps.register.events.find(({ event }) => api.events.sudo.Sudid.is(event));
    assert.ok(sudid.event.data[0].isOk, 'sudo_result is Ok');
    const info = (await api.query.ehr.providers(hospital.address)).unwrap();
    assert.equal(info.kind.type, 'Hospital');
    assert.equal(info.status.type, 'Active');
  });

  test('registering a provider without Root fails with BadOrigin and registers nothing', async () => {
    const { patient } = flow.pairs;
    const stranger = accounts.ferdie;
    const { dispatchError, events } = await submit(api, api.tx.ehr.registerProvider(stranger.address, 'Clinic', '0x01'), patient);
    assert.deepEqual(dispatchError, { section: 'BadOrigin', name: 'BadOrigin' });
    assert.ok(!events.some(({ event }) => event.section === 'ehr'));
    assert.ok((await api.query.ehr.providers(stranger.address)).isNone);
  });

  test('the patient grants the hospital append and the hospital adds a salted pointer', async () => {
    const { patient, hospital } = flow.pairs;
    const granted = oneEvent(flow.steps.hospitalGrant, 'AccessGranted');
    assert.equal(granted.patient.toString(), patient.address);
    assert.equal(granted.grantee.toString(), hospital.address);
    assert.equal(granted.grantedBy.toString(), patient.address);
    // Events say that access was granted, not for what: the terms are in storage.
    assert.deepEqual([...granted.names].sort(), ['grantedBy', 'grantee', 'patient']);

    const added = oneEvent(flow.steps.addRecord, 'RecordAdded');
    assert.equal(added.recordId.toNumber(), flow.recordId);
    assert.equal(added.patient.toString(), patient.address);
    assert.equal(added.issuer.toString(), hospital.address);
    // The type code is in the pointer (while it exists), not in the event.
    assert.deepEqual([...added.names].sort(), ['issuer', 'patient', 'recordId']);

    // The stored pointer is exactly what was submitted: commitment and opaque locator only.
    const view = flow.recordsAfterAdd.find((r) => r.id === flow.recordId);
    assert.equal(view.commitment.toLowerCase(), flow.commitment);
    assert.equal(view.contentId.toLowerCase(), flow.contentId, 'the record names its sealed object');
    assert.equal(bytesHex(view.locator), flow.locator);
    assert.equal(view.status, 'Active');
    assert.equal(bytesHex(view.typeCode), `0x${Buffer.from(TYPE_CODE).toString('hex')}`);
    assert.equal(view.version, 1);
    assert.equal(view.supersedes, null);
    assert.equal(normAccount(api, view.issuer), hospital.address);
  });

  test('the uploader pays for the sealed note\'s storage in the same transaction as the record', async () => {
    const order = flow.storageOrder;
    assert.equal(order.owner, flow.pairs.hospital.address);
    assert.equal(order.contentId, flow.contentId);
    assert.equal(order.replicas, 3);
    const orders = await rpcCall(api, 'storagePower_ordersOf', [flow.pairs.hospital.address]);
    const listed = orders.find((o) => o.id === order.orderId);
    assert.ok(listed, 'storagePower_ordersOf lists the order');
    assert.equal(listed.contentId, flow.contentId);
    assert.equal(listed.sizeBytes, order.sizeBytes);
    assert.equal(listed.live, true);
    assert.equal(listed.endEra - listed.startEra, 30);
    const quote = await rpcCall(api, 'storagePower_quote', [order.sizeBytes, 3, 30]);
    assert.equal(BigInt(order.paid), BigInt(quote.total));
    assert.ok(BigInt(order.paid) > 0n, 'storage is never free at a positive price');
  });

  test('no EHR event carries the commitment or the locator', () => {
    const secrets = [flow.commitment.slice(2), flow.locator.slice(2), flow.reasonCommitment.slice(2)];
    for (const step of Object.values(flow.steps)) {
      for (const { event } of step.events) {
        if (event.section !== 'ehr') continue;
        const encoded = event.data.toHex();
        for (const secret of secrets) assert.ok(!encoded.includes(secret), `${event.section}.${event.method} leaks a pointer`);
      }
    }
  });

  test('the doctor gets read for 100 blocks, purpose treatment', async () => {
    const { patient, doctor } = flow.pairs;
    const granted = oneEvent(flow.steps.doctorGrant, 'AccessGranted');
    assert.equal(granted.grantee.toString(), doctor.address);
    // The terms, as the flow read them from storage before the revocation.
    assert.equal(flow.doctorGrant.stored.purpose, 'Treatment');
    assert.equal(flow.doctorGrant.stored.notBefore, flow.doctorGrant.notBefore);
    assert.equal(flow.doctorGrant.stored.expiresAt - flow.doctorGrant.stored.notBefore, DOCTOR_GRANT_BLOCKS);
    assert.ok(flow.steps.doctorGrant.blockNumber >= flow.doctorGrant.notBefore, 'live from its own block');
    assert.equal(granted.patient.toString(), patient.address);
    assert.equal(flow.canAccess.beforeRevoke, true);
  });

  test("the doctor's gateway logs an access on the basis of the grant", () => {
    const { patient, doctor } = flow.pairs;
    const logged = oneEvent(flow.steps.doctorRead, 'AccessLogged');
    assert.equal(logged.patient.toString(), patient.address);
    assert.equal(logged.index.toNumber(), 0);
    // Who read which record for what is in the patient's log, not in the event.
    assert.deepEqual([...logged.names].sort(), ['index', 'patient']);
    const entry = flow.accessLog[logged.index.toNumber()];
    assert.equal(normAccount(api, entry.accessor), doctor.address);
    assert.equal(entry.recordId, flow.recordId);
    assert.equal(entry.purpose, 'Treatment');
    assert.equal(entry.basis, 'Grant');
  });

  test('the doctor opens the note from the vault only after logging the read, and not after the revocation', () => {
    assert.deepEqual(flow.vault.beforeLog, { status: 403, reason: 'access-not-logged' });
    assert.equal(flow.vault.opened, flow.identifiers.document, 'the doctor opened what the hospital sealed');
    assert.deepEqual(flow.vault.afterRevoke, { status: 403, reason: 'not-allowed' });
    assert.deepEqual(flow.vault.afterErase, { status: 410, reason: 'erased' });
    assert.ok(lines.some((line) => line.includes('the doctor fetched the sealed note')), 'the flow printed the read');
  });

  test('read access to a doctor without a key-agreement key is refused (ehr.GranteeHasNoKey)', () => {
    // The one key registry (the DNA wallet's): no record key could be sealed to this doctor yet.
    assert.deepEqual(flow.steps.keylessGrant.dispatchError, { section: 'ehr', name: 'GranteeHasNoKey' });
    assert.ok(!flow.steps.keylessGrant.events.some(({ event }) => event.section === 'ehr'), 'no ehr event');
    assert.ok(flow.steps.doctorKey, 'the doctor then registered a key and was granted');
  });

  test('after the revocation a further read fails with ehr.NotAuthorized and changes nothing', () => {
    const { patient, doctor } = flow.pairs;
    const revoked = oneEvent(flow.steps.revoke, 'AccessRevoked');
    assert.equal(revoked.patient.toString(), patient.address);
    assert.equal(revoked.grantee.toString(), doctor.address);
    assert.equal(flow.canAccess.afterRevoke, false);

    assert.deepEqual(flow.steps.rejected.dispatchError, { section: 'ehr', name: 'NotAuthorized' });
    assert.deepEqual(flow.rejected.error, { section: 'ehr', name: 'NotAuthorized' });
    assert.ok(!flow.steps.rejected.events.some(({ event }) => event.section === 'ehr'), 'no ehr event');
    assert.ok(flow.steps.rejected.events.some(({ event }) => api.events.system.ExtrinsicFailed.is(event)));
    const { before, after } = flow.rejected;
    assert.equal(after.accessLogNext, before.accessLogNext);
    assert.equal(before.accessLogNext, 1);
    assert.deepEqual(after.accessLog, before.accessLog);
    assert.deepEqual(after.activeGrants, before.activeGrants);
    assert.deepEqual(after.grants, before.grants);
    assert.equal(after.grantCount, before.grantCount);
    assert.ok(!before.grants.some(([grantee]) => grantee === doctor.address), 'no grant to the doctor');
    assert.deepEqual(after.doctor.holds, before.doctor.holds);
    assert.equal(after.doctor.reserved, before.doctor.reserved);
    assert.ok(flow.rejected.fee > 0n);
    assert.equal(before.doctor.free - after.doctor.free, flow.rejected.fee, 'only the fee was paid');
  });

  test('an unjustified break-glass is reviewed by Root and its deposit moves to the patient', async () => {
    const { patient, emergency } = flow.pairs;
    const { deposit } = flow.breakGlass;
    assert.equal(deposit, api.consts.ehr.breakGlassDeposit.toBigInt());
    assert.ok(deposit > 0n);

    const opened = oneEvent(flow.steps.breakGlass, 'BreakGlassOpened');
    assert.equal(opened.patient.toString(), patient.address);
    assert.equal(opened.provider.toString(), emergency.address);
    assert.equal(opened.expiresAt.toNumber(),
      flow.steps.breakGlass.blockNumber + api.consts.ehr.breakGlassDuration.toNumber());
    assert.equal(flow.breakGlass.emergencyHeld.holds['Ehr.BreakGlassDeposit'], deposit);
    assert.equal(flow.breakGlass.emergencyHeld.reserved - flow.breakGlass.emergencyBefore.reserved, deposit);

    const read = oneEvent(flow.steps.emergencyRead, 'AccessLogged');
    const entry = flow.accessLog[read.index.toNumber()];
    assert.equal(normAccount(api, entry.accessor), emergency.address);
    assert.equal(entry.basis, 'BreakGlass');
    assert.equal(entry.purpose, 'Emergency');

    const reviewed = oneEvent(flow.steps.review, 'BreakGlassReviewed');
    assert.equal(reviewed.patient.toString(), patient.address);
    assert.equal(reviewed.provider.toString(), emergency.address);
    assert.equal(reviewed.verdict.type, 'Unjustified');
    assert.equal(reviewed.amount.toBigInt(), deposit);
    const { patientBeforeReview, patientAfterReview, emergencyBeforeReview, emergencyAfterReview } = flow.breakGlass;
    assert.equal(patientAfterReview.free - patientBeforeReview.free, deposit, 'patient received the deposit');
    assert.equal(emergencyBeforeReview.reserved - emergencyAfterReview.reserved, deposit, 'provider hold released');
    assert.equal(emergencyAfterReview.free, emergencyBeforeReview.free, 'provider got nothing back');
    assert.equal(emergencyAfterReview.holds['Ehr.BreakGlassDeposit'], undefined);
    assert.ok((await api.query.ehr.breakGlasses(patient.address, emergency.address)).isNone);
  });

  test('the erased record is gone from state and its slot is free', async () => {
    const { patient, hospital } = flow.pairs;
    const erased = oneEvent(flow.steps.erase, 'RecordErased');
    assert.equal(erased.recordId.toNumber(), flow.recordId);
    assert.equal(erased.patient.toString(), patient.address);

    // No tombstone: no type code, issuer or date of the erased document stays in state.
    assert.deepEqual(await rpcCall(api, 'ehr_records', [patient.address]), []);
    assert.ok((await api.query.ehr.records(flow.recordId)).isNone);
    assert.equal((await api.query.ehr.patientRecords(patient.address)).length, 0);
    // The hospital's record deposit was released.
    const recordDeposit = api.consts.ehr.recordDeposit.toBigInt();
    assert.equal(flow.erase.hospitalBeforeErase.holds['Ehr.RecordDeposit'], recordDeposit);
    assert.equal(flow.erase.hospitalAfterErase.holds['Ehr.RecordDeposit'], undefined);
    assert.equal(flow.erase.hospitalAfterErase.free - flow.erase.hospitalBeforeErase.free, recordDeposit);
    // Nothing else of the record is held; the storage order the hospital paid stays until it
    // expires and is removed (an order is the uploader's, not the record's).
    assert.deepEqual((await balanceOf(api, hospital.address)).holds,
      { 'StoragePower.OrderDeposit': api.consts.storagePower.orderDeposit.toBigInt() }, 'the hospital holds only the order deposit');
  });

  test('the ehr_* answers have camelCase keys and 0x-hex bytes', async () => {
    const answers = {
      ehr_records: flow.recordsAfterAdd,
      ehr_accessLog: await rpcCall(api, 'ehr_accessLog', [flow.pairs.patient.address, 0, 100]),
      ehr_activeGrants: await rpcCall(api, 'ehr_activeGrants', [flow.pairs.patient.address]),
    };
    assertJsonConventions(answers);
    const [grant] = answers.ehr_activeGrants;
    assert.deepEqual(Object.keys(grant).sort(), ['actions', 'expiresAt', 'grantedBy', 'grantee', 'notBefore', 'purpose', 'readsLeft', 'scope']);
  });

  test("the RPC access log lists the doctor's access, the break-glass and nothing refused", async () => {
    const { patient, doctor, emergency } = flow.pairs;
    const log = await rpcCall(api, 'ehr_accessLog', [patient.address, 0, 100]);
    assert.deepEqual(log, flow.accessLog);
    const summary = log.map((e) => [e.index, normAccount(api, e.accessor), e.recordId, e.purpose, e.basis]);
    assert.deepEqual(summary, [
      [0, doctor.address, flow.recordId, 'Treatment', 'Grant'],
      [1, emergency.address, null, 'Emergency', 'BreakGlass'],
      [2, emergency.address, flow.recordId, 'Emergency', 'BreakGlass'],
    ]);
    assert.equal(log[0].at, flow.steps.doctorRead.blockNumber);
    // `from` and `limit` page the log.
    const page = await rpcCall(api, 'ehr_accessLog', [patient.address, 1, 1]);
    assert.deepEqual(page, [log[1]]);
    // The doctor's grant is gone; the hospital's append grant remains.
    const grants = await rpcCall(api, 'ehr_activeGrants', [patient.address]);
    assert.deepEqual(grants.map((g) => normAccount(api, g.grantee)), [flow.pairs.hospital.address]);
    assert.deepEqual(grants[0].actions, { read: false, append: true });
    assert.ok(lines.some((line) => line.startsWith('Access log of the patient')), 'the flow printed the access log');
    assert.ok(DOCTOR_MAX_READS > 1);
  });
});
