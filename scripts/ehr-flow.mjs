#!/usr/bin/env node
// Integrator script for pallet-ehr: drives the patient-consent flow against a running node with
// real signatures and prints what happened.
//
//   node scripts/ehr-flow.mjs [--ws ws://127.0.0.1:9944]
//   MEDCHAIN_VAULT_URL=http://127.0.0.1:8700 node scripts/ehr-flow.mjs   (with the vault of
//                                                                      scripts/dev-node)
//
// Flow: providers registered by Root (sudo, signed by Alice) → patient grants the hospital append →
// hospital seals a consult note and adds its record (salted commitment, locator encrypted to the
// patient, who decrypts it from the chain) → a read grant to a doctor without a key-agreement key
// is refused (`ehr.GranteeHasNoKey`) → the doctor registers one → patient grants the doctor
// read for 100 blocks, purpose Treatment → the doctor's gateway logs an access → patient revokes →
// a further access log attempt fails with `ehr.NotAuthorized` and changes nothing → another
// provider breaks the glass (and reads) → Root reviews it as unjustified, the deposit goes to the
// patient → the patient erases the record (removed from state, its slot freed). Ends with the
// patient's access log read through the `ehr_accessLog` RPC. Events say only that something
// happened to the patient's file; what (type code, purpose, who read) is read from storage and
// the RPC, as a patient's wallet does.
//
// Every run uses fresh accounts derived from //Alice with a random tag, funded by Alice in one
// batch, so it can run repeatedly on the same chain without touching genesis demo data.
// Nothing readable goes on chain: the document is sealed here (docs/sealing-v1.md); its content
// hash, the salts and the break-glass reason stay in this process; only salted commitments, the
// content id of the sealed object and a locator encrypted to the patient's key-agreement key are
// submitted.
//
// With a vault (`options.vaultUrl`, or MEDCHAIN_VAULT_URL; a vault started with `--node` on this
// chain) the record also travels: the hospital uploads the sealed object, the patient delivers
// its key to the doctor (an envelope to the doctor's registered key-agreement key, kept in the
// vault), the doctor logs the read, fetches object and envelope, unwraps the key, opens the note
// and checks it against the commitment on chain; after the revocation the vault refuses the
// doctor (403); the patient erases the object in the vault before the record on chain, and
// later reads get 410.
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, randomAsU8a } from '@polkadot/util-crypto';
import { MED, submit, rpcCall, createFundedAccounts, blockNumberOf, balanceOf, bestNumber, untilFinalized } from './lib/chain.mjs';
import { CONSULT_NOTE } from './lib/ehr-codes.mjs';
import { DEV_PHRASE } from '@polkadot/keyring';
import { commitment as commitmentOf, keyAgreementFromSuri, open, openLocator } from './lib/seal.mjs';
import { deliverRecordKey, openRecordFromVault, sealRecordFor } from './lib/records.mjs';
import { VaultClient, VaultError } from './lib/vault.mjs';
import {
  ensure, requirePallet, saltedCommitment, normAccount, bytesHex, feePaid, stepLog, logAccounts, runFlowCli, palletEvents,
} from './lib/flow.mjs';

/** The type of the document the hospital adds: a category, not patient data. */
export const TYPE_CODE = CONSULT_NOTE;
/** The patient's hospital number and name: they stay in the off-chain document only. */
export const PATIENT_MRN = 'MRN-20481-77';
export const PATIENT_NAME = 'Jane Q. Example';
/** How long the doctor's read grant lasts, in blocks. */
export const DOCTOR_GRANT_BLOCKS = 100;
/** The doctor's read limit. */
export const DOCTOR_MAX_READS = 5;
/** The storage the hospital orders for the sealed note it uploads: replicas and eras. */
export const NOTE_STORAGE = { replicas: 3, eras: 30 };
/** The RPC methods the flow reads through. */
export const EHR_RPC_METHODS = ['ehr_records', 'ehr_activeGrants', 'ehr_accessLog', 'ehr_canAccess', 'ehr_readTicket'];

const ROLES = ['patient', 'hospital', 'doctor', 'emergency'];

/**
 * Runs the EHR flow on `api` (a connected ApiPromise). `accounts` are the dev accounts
 * (`devAccounts()`); `accounts.alice` must be the sudo key and funds the fresh accounts. `log`
 * receives one line at a time. With `vaultUrl` (default: MEDCHAIN_VAULT_URL) the record's sealed
 * object goes through that vault. Resolves with everything that happened (see the return value);
 * rejects with a `FlowError` on any unexpected outcome.
 */
export async function runEhrFlow(api, accounts, log = console.log, { vaultUrl = process.env.MEDCHAIN_VAULT_URL } = {}) {
  const { alice } = accounts;
  await requirePallet(api, 'ehr', 'Ehr', EHR_RPC_METHODS);

  const breakGlassDeposit = api.consts.ehr.breakGlassDeposit.toBigInt();
  const funding = 100n * MED + 2n * breakGlassDeposit;
  const { tag, pairs, uris, funding: fundingResult } = await createFundedAccounts(api, alice, ROLES, funding, { label: 'ehr' });
  const { patient, hospital, doctor, emergency } = pairs;
  const names = new Map([[alice.address, 'alice'], ...ROLES.map((r) => [pairs[r].address, r])]);
  const { steps, who, logStep, ok, asRoot, eventOf } = stepLog(api, { log, names, section: 'ehr', sudoKey: alice });

  logAccounts(log, `EHR flow, run ${tag} (fresh accounts derived from //Alice//ehr/${tag}/<role>):`, pairs, ROLES, 9);
  log(`  funded with ${funding / MED} MED each in block #${await blockNumberOf(api, fundingResult.blockHash)}`);

  const head = () => bestNumber(api);
  const rpc = {
    records: (p) => rpcCall(api, 'ehr_records', [p]),
    activeGrants: (p) => rpcCall(api, 'ehr_activeGrants', [p]),
    accessLog: (p, from = 0, limit = 256) => rpcCall(api, 'ehr_accessLog', [p, from, limit]),
    canAccess: (g, id, action) => rpcCall(api, 'ehr_canAccess', [g, id, action]),
  };

  // 1. Root registers the hospital, the doctor and an emergency department as providers.
  const licenceReference = (role) => `licence-reference/${tag}/${role}`;
  // A salted commitment to the licence reference (the registrar keeps reference and salt): a
  // plain hash of a guessable reference could be brute-forced.
  const credential = (role) => saltedCommitment(randomAsU8a(32), blake2AsU8a(licenceReference(role), 256));
  await asRoot('register', 'Root registers hospital, doctor and emergency department (sudo)', api.tx.utility.batchAll([
    api.tx.ehr.registerProvider(hospital.address, 'Hospital', credential('hospital')),
    api.tx.ehr.registerProvider(doctor.address, 'Clinician', credential('doctor')),
    api.tx.ehr.registerProvider(emergency.address, 'Hospital', credential('emergency')),
  ]));
  const registered = steps.register.events
    .filter(({ event }) => api.events.ehr.ProviderRegistered.is(event))
    .map(({ event }) => event.data.provider.toString());
  ensure(
    [hospital, doctor, emergency].every((p) => registered.includes(p.address)),
    `ProviderRegistered events for ${registered.map(who)}; expected hospital, doctor, emergency`,
  );

  // 2. The patient lets the hospital append records of any type, for treatment, for a week.
  const hospitalUntil = (await head()) + 100_800;
  const hospitalGrant = await ok('hospitalGrant', 'patient grants hospital append (scope All, Treatment)', api.tx.ehr.grantAccess(
    hospital.address, 'All', { read: false, append: true }, 'Treatment', 0, hospitalUntil, null,
  ), patient);
  const hospitalGranted = eventOf(hospitalGrant, 'AccessGranted');
  ensure(hospitalGranted.grantee.toString() === hospital.address, 'AccessGranted to someone else than the hospital');

  // 3. The hospital seals a consult note and adds its pointer: the salted commitment of the
  // document (the salt travels inside the sealed object), the object's size, and where the object
  // lives encrypted to the patient's key-agreement key (derived from the patient's secret URI).
  // Document, data key and object stay off chain (a vault holds the object).
  const document = JSON.stringify({
    resourceType: 'DocumentReference', subject: { identifier: PATIENT_MRN, display: PATIENT_NAME },
    note: `consult ${tag}`, nonce: u8aToHex(randomAsU8a(16)),
  });
  const { sealed, commitment, contentId, locator, size, objectPath, patientKey, genesisHash } = await sealRecordFor(api, patient, uris.patient, document, { vaultUrl });
  const vaults = vaultUrl && Object.fromEntries(['patient', 'hospital', 'doctor'].map((role) => [role, new VaultClient(vaultUrl, pairs[role])]));
  if (vaults) {
    ensure(await vaults.hospital.put(sealed.contentId, sealed.object), 'the vault already held the sealed note');
    log(`      hospital uploaded the sealed note (${sealed.object.length} bytes) to the vault as ${contentId.slice(0, 18)}…`);
  }
  // Whoever uploads the sealed object pays for keeping it (StoragePower orders): the hospital
  // adds the record and orders its storage in one transaction, so neither happens without the
  // other.
  const addRecord = await ok('addRecord', `hospital adds a ${TYPE_CODE} record and orders its storage`, api.tx.utility.batchAll([
    api.tx.ehr.addRecord(patient.address, TYPE_CODE, commitment, contentId, locator, size),
    api.tx.storagePower.placeOrder(contentId, sealed.object.length, NOTE_STORAGE.replicas, NOTE_STORAGE.eras),
  ]), hospital);
  const added = eventOf(addRecord, 'RecordAdded');
  const storageOrder = palletEvents(addRecord.events, 'storagePower').find((e) => e.name === 'OrderPlaced');
  ensure(storageOrder, 'no StoragePower.OrderPlaced for the sealed note');
  ensure(storageOrder.contentId === contentId && storageOrder.sizeBytes === sealed.object.length,
    `the storage order is for ${storageOrder.contentId} (${storageOrder.sizeBytes} bytes)`);
  log(`      hospital ordered ${NOTE_STORAGE.replicas} replicas of the ${sealed.object.length}-byte sealed note for `
    + `${NOTE_STORAGE.eras} eras: ${BigInt(storageOrder.paid)} planck (order ${storageOrder.orderId})`);
  const recordId = added.recordId.toNumber();
  ensure(added.patient.toString() === patient.address, 'RecordAdded for another patient');
  ensure(added.issuer.toString() === hospital.address, 'RecordAdded by another issuer');
  ensure(added.typeCode === undefined, 'RecordAdded carries the type code');
  const recordsAfterAdd = await rpc.records(patient.address);
  const rpcRecord = recordsAfterAdd.find((r) => r.id === recordId);
  ensure(rpcRecord, `ehr_records does not list record ${recordId}`);
  ensure(bytesHex(rpcRecord.typeCode) === u8aToHex(stringToU8a(TYPE_CODE)), `ehr_records: type code ${rpcRecord.typeCode}`);
  ensure(rpcRecord.commitment.toLowerCase() === commitment, 'ehr_records: commitment differs from the submitted one');
  ensure(bytesHex(rpcRecord.locator) === locator, 'ehr_records: locator differs from the submitted one');
  ensure(rpcRecord.contentId?.toLowerCase() === contentId, `ehr_records: content id ${rpcRecord.contentId}, expected ${contentId}`);
  ensure(rpcRecord.status === 'Active', `ehr_records: status ${rpcRecord.status}, expected Active`);
  // The patient's wallet finds the object from the chain and checks it against the commitment.
  const foundPath = await openLocator(hexToU8a(bytesHex(rpcRecord.locator)), patient.publicKey, patientKey, genesisHash);
  ensure(foundPath === objectPath, `the patient decrypted the locator to ${foundPath}`);
  const reopened = open(sealed.dataKey, sealed.object);
  ensure(u8aToHex(commitmentOf(reopened.salt, reopened.content)) === rpcRecord.commitment.toLowerCase(), 'the opened document does not match the commitment on chain');
  log(`      the patient decrypted the locator (${objectPath.slice(0, 18)}…) and the document matches the commitment`);

  // 4. The patient lets a doctor read for 100 blocks, for treatment, at most 5 times. Read
  // access needs a key-agreement key of the reader's (the one registry, the DNA wallet's), or
  // no record key could reach it: the chain refuses the grant until the doctor has one.
  const keylessStep = await logStep('keylessGrant', 'patient grants the doctor read before it has a key (expected to fail)',
    await submit(api, api.tx.ehr.grantAccess(doctor.address, 'All', { read: true, append: false }, 'Treatment', 0, (await head()) + DOCTOR_GRANT_BLOCKS, null), patient));
  ensure(
    keylessStep.dispatchError?.section === 'ehr' && keylessStep.dispatchError.name === 'GranteeHasNoKey',
    `a read grant to a doctor without a key: ${JSON.stringify(keylessStep.dispatchError)}, expected ehr.GranteeHasNoKey`,
  );
  ensure((await api.query.ehr.grants(patient.address, doctor.address)).isNone, 'the refused grant was stored');
  const doctorKey = await keyAgreementFromSuri(`${DEV_PHRASE}${uris.doctor}`);
  await ok('doctorKey', 'doctor registers a key-agreement key', api.tx.dnaWallet.registerKey(u8aToHex(doctorKey.publicKey), 'X25519'), doctor);
  const notBefore = (await head()) + 1; // the block the grant lands in, at the earliest
  const expiresAt = notBefore + DOCTOR_GRANT_BLOCKS;
  const doctorGrant = await ok('doctorGrant', `patient grants doctor read for ${DOCTOR_GRANT_BLOCKS} blocks (Treatment, ≤${DOCTOR_MAX_READS} reads)`,
    api.tx.ehr.grantAccess(doctor.address, 'All', { read: true, append: false }, 'Treatment', notBefore, expiresAt, DOCTOR_MAX_READS),
    patient);
  const doctorGranted = eventOf(doctorGrant, 'AccessGranted');
  ensure(doctorGranted.grantee.toString() === doctor.address, 'AccessGranted to someone else than the doctor');
  // The terms are in storage, not in the event.
  const doctorStored = (await api.query.ehr.grants(patient.address, doctor.address)).unwrap();
  ensure(doctorStored.purpose.type === 'Treatment', `stored grant purpose ${doctorStored.purpose.type}`);
  ensure(doctorStored.expiresAt.toNumber() === expiresAt, `stored grant expires_at ${doctorStored.expiresAt}`);
  const canReadBefore = await rpc.canAccess(doctor.address, recordId, 'Read');
  ensure(canReadBefore === true, `ehr_canAccess(doctor, ${recordId}, Read) = ${canReadBefore} with a live grant`);

  // 4b. With a vault: the patient wraps the note's key to the doctor's registered key and
  // leaves the envelope in the vault.
  // Before logging a read the doctor gets nothing from the vault.
  const vault = {};
  if (vaults) {
    await untilFinalized(api); // the vault asks the chain at its finalized head whose record it is
    await deliverRecordKey(api, vaults.patient, sealed, doctor);
    log('      the patient delivered the note\'s key to the doctor: an envelope in the vault');
    vault.beforeLog = await refusalOf(vaults.doctor.get(sealed.contentId));
    ensure(vault.beforeLog?.status === 403 && vault.beforeLog.reason === 'access-not-logged',
      `the vault answered the doctor before any logged read with ${JSON.stringify(vault.beforeLog)}`);
  }

  // 5. The doctor's data gateway logs the read before serving the ciphertext.
  const doctorRead = await ok('doctorRead', `doctor's gateway logs a read of record ${recordId}`,
    api.tx.ehr.logAccess(patient.address, recordId, 'Treatment'), doctor);
  const logged = eventOf(doctorRead, 'AccessLogged');
  ensure(logged.patient.toString() === patient.address, 'AccessLogged for another patient');
  // The event names only the log index; the patient reads who, what, why in the log.
  const [doctorEntry] = await rpc.accessLog(patient.address, logged.index.toNumber(), 1);
  ensure(normAccount(api, doctorEntry?.accessor) === doctor.address, 'the logged read is by another accessor');
  ensure(doctorEntry.basis === 'Grant', `logged read basis ${doctorEntry.basis}`);
  const grantsAfterRead = await rpc.activeGrants(patient.address);
  const doctorView = grantsAfterRead.find((g) => normAccount(api, g.grantee) === doctor.address);
  ensure(doctorView?.readsLeft === DOCTOR_MAX_READS - 1, `doctor's readsLeft ${doctorView?.readsLeft}, expected ${DOCTOR_MAX_READS - 1}`);
  if (vaults) {
    // Once the logged read is finalized the vault serves the object and the envelope; the
    // doctor opens the note and checks it against the chain.
    await untilFinalized(api);
    vault.opened = await openRecordFromVault(api, vaults.doctor, doctorKey, { contentId, commitment: rpcRecord.commitment });
    ensure(vault.opened === document, 'the doctor opened another document than the hospital sealed');
    log('      the doctor fetched the sealed note and its envelope, unwrapped the key, opened the note; it matches the commitment');
  }

  // 6. The patient revokes; effective at once.
  const revoke = await ok('revoke', 'patient revokes the doctor', api.tx.ehr.revokeAccess(doctor.address), patient);
  ensure(eventOf(revoke, 'AccessRevoked').grantee.toString() === doctor.address, 'AccessRevoked for someone else');
  const canReadAfter = await rpc.canAccess(doctor.address, recordId, 'Read');
  ensure(canReadAfter === false, `ehr_canAccess(doctor, ${recordId}, Read) = ${canReadAfter} after revoke`);
  if (vaults) {
    // Within the read window of the logged read, yet refused: the grant is gone.
    await untilFinalized(api);
    vault.afterRevoke = await refusalOf(vaults.doctor.get(sealed.contentId));
    ensure(vault.afterRevoke?.status === 403 && vault.afterRevoke.reason === 'not-allowed',
      `the vault answered the revoked doctor with ${JSON.stringify(vault.afterRevoke)}`);
    log('      the vault refuses the revoked doctor (403 not-allowed)');
  }

  // 7. A further read is refused with a named error, and nothing changes.
  const snapshot = async () => ({
    accessLogNext: (await api.query.ehr.accessLogNext(patient.address)).toNumber(),
    accessLog: await rpc.accessLog(patient.address),
    activeGrants: await rpc.activeGrants(patient.address),
    grants: (await api.query.ehr.grants.entries(patient.address))
      .map(([key, value]) => [key.args[1].toString(), value.toJSON()])
      .sort(([a], [b]) => a.localeCompare(b)),
    grantCount: (await api.query.ehr.grantCount(patient.address)).toNumber(),
    doctor: await balanceOf(api, doctor.address),
  });
  const before = await snapshot();
  const rejectedStep = await logStep('rejected', 'doctor tries to log another read (expected to fail)',
    await submit(api, api.tx.ehr.logAccess(patient.address, recordId, 'Treatment'), doctor));
  const after = await snapshot();
  ensure(rejectedStep.dispatchError, 'log_access after revoke succeeded');
  ensure(
    rejectedStep.dispatchError.section === 'ehr' && rejectedStep.dispatchError.name === 'NotAuthorized',
    `log_access after revoke failed with ${rejectedStep.dispatchError.section}.${rejectedStep.dispatchError.name}, expected ehr.NotAuthorized`,
  );
  ensure(!rejectedStep.events.some(({ event }) => event.section === 'ehr'), 'the rejected log_access emitted an ehr event');
  const fee = feePaid(api, rejectedStep);
  for (const key of ['accessLogNext', 'accessLog', 'activeGrants', 'grants', 'grantCount']) {
    ensure(JSON.stringify(before[key]) === JSON.stringify(after[key]), `the rejected log_access changed ${key}`);
  }
  ensure(before.doctor.free - after.doctor.free === fee, 'the rejected log_access moved more than the fee');
  ensure(before.doctor.reserved === after.doctor.reserved, 'the rejected log_access changed the doctor\'s holds');
  log(`      state unchanged: access log length ${after.accessLogNext}, ${after.grantCount} grant(s); doctor paid only the fee (${fee} planck)`);

  // 8. Another provider takes emergency access without consent, and its gateway reads.
  const reasonSalt = randomAsU8a(32);
  const reason = `emergency reason ${tag}`;
  const reasonCommitment = saltedCommitment(reasonSalt, blake2AsU8a(reason, 256));
  const emergencyBefore = await balanceOf(api, emergency.address);
  const breakGlass = await ok('breakGlass', 'emergency department breaks the glass',
    api.tx.ehr.breakGlass(patient.address, reasonCommitment), emergency);
  const opened = eventOf(breakGlass, 'BreakGlassOpened');
  ensure(opened.provider.toString() === emergency.address, 'BreakGlassOpened by someone else');
  const emergencyHeld = await balanceOf(api, emergency.address);
  ensure(emergencyHeld.holds['Ehr.BreakGlassDeposit'] === breakGlassDeposit,
    `emergency department holds ${emergencyHeld.holds['Ehr.BreakGlassDeposit']} for break-glass, expected ${breakGlassDeposit}`);
  const emergencyRead = await ok('emergencyRead', `emergency gateway logs a read of record ${recordId}`,
    api.tx.ehr.logAccess(patient.address, recordId, 'Emergency'), emergency);
  const [emergencyEntry] = await rpc.accessLog(patient.address, eventOf(emergencyRead, 'AccessLogged').index.toNumber(), 1);
  ensure(emergencyEntry?.basis === 'BreakGlass', 'emergency read not logged as BreakGlass');
  const pendingReviews = (await api.query.ehr.pendingReviews()).toNumber();
  ensure(pendingReviews >= 1, `PendingReviews = ${pendingReviews} with an unreviewed break-glass`);

  // 9. Root reviews it as unjustified: the deposit is paid to the patient.
  const patientBeforeReview = await balanceOf(api, patient.address);
  const emergencyBeforeReview = await balanceOf(api, emergency.address);
  const review = await asRoot('review', 'Root reviews the break-glass: Unjustified (sudo)',
    api.tx.ehr.reviewBreakGlass(patient.address, emergency.address, 'Unjustified'));
  const reviewed = eventOf(review, 'BreakGlassReviewed');
  const slashed = reviewed.amount.toBigInt();
  const patientAfterReview = await balanceOf(api, patient.address);
  const emergencyAfterReview = await balanceOf(api, emergency.address);
  ensure(reviewed.verdict.type === 'Unjustified', `BreakGlassReviewed verdict ${reviewed.verdict.type}`);
  ensure(slashed === breakGlassDeposit, `slashed ${slashed}, expected the deposit ${breakGlassDeposit}`);
  ensure(patientAfterReview.free - patientBeforeReview.free === slashed, 'the patient did not receive the slashed deposit');
  ensure(!emergencyAfterReview.holds['Ehr.BreakGlassDeposit'], 'the emergency department still holds a break-glass deposit');
  ensure(emergencyAfterReview.free === emergencyBeforeReview.free, 'the emergency department\'s free balance changed at review');
  ensure((await api.query.ehr.breakGlasses(patient.address, emergency.address)).isNone, 'the break-glass is still listed after review');
  log(`      ${slashed} planck (${Number(slashed) / Number(MED)} MED) moved from the emergency department's hold to the patient`);

  // 10. The patient erases the record: nothing of it stays in state, its slot is freed. With a
  // vault, the sealed object and its envelopes go first (the vault checks on chain that the
  // patient is the record's, so while the record exists).
  if (vaults) {
    await vaults.patient.erase(sealed.contentId);
    log('      the patient erased the sealed note and its envelopes in the vault');
  }
  const hospitalBeforeErase = await balanceOf(api, hospital.address);
  const erase = await ok('erase', `patient erases record ${recordId}`, api.tx.ehr.eraseRecord(recordId), patient);
  ensure(eventOf(erase, 'RecordErased').recordId.toNumber() === recordId, 'RecordErased for another record');
  const hospitalAfterErase = await balanceOf(api, hospital.address);
  const records = await rpc.records(patient.address);
  ensure(!records.some((r) => r.id === recordId), `ehr_records still lists erased record ${recordId}`);
  ensure((await api.query.ehr.records(recordId)).isNone, `Ehr.Records still holds erased record ${recordId}`);
  ensure(!hospitalAfterErase.holds['Ehr.RecordDeposit'], 'the hospital still holds a record deposit after erasure');
  if (vaults) {
    vault.afterErase = await refusalOf(vaults.patient.get(sealed.contentId));
    ensure(vault.afterErase?.status === 410, `the vault answered the patient after erasure with ${JSON.stringify(vault.afterErase)}`);
  }

  // The patient's access log, through the RPC.
  const accessLog = await rpc.accessLog(patient.address, 0, 100);
  const activeGrants = await rpc.activeGrants(patient.address);
  log(`Access log of the patient (ehr_accessLog(patient, 0, 100)): ${accessLog.length} entries`);
  for (const entry of accessLog) {
    log(`  #${entry.index} block ${entry.at}: ${who(normAccount(api, entry.accessor))} `
      + `record ${entry.recordId ?? '—'} purpose ${entry.purpose} basis ${entry.basis}`);
  }
  const doctorEntries = accessLog.filter((e) => normAccount(api, e.accessor) === doctor.address);
  ensure(doctorEntries.length === 1, `the access log lists ${doctorEntries.length} doctor accesses, expected 1`);
  ensure(doctorEntries[0].recordId === recordId && doctorEntries[0].basis === 'Grant' && doctorEntries[0].purpose === 'Treatment',
    `the doctor's log entry is ${JSON.stringify(doctorEntries[0])}`);
  log(`Active grants of the patient (ehr_activeGrants): ${activeGrants.map((g) => `${who(normAccount(api, g.grantee))} (${g.purpose})`).join(', ') || 'none'}`);

  return {
    tag,
    pairs,
    funding,
    steps,
    recordId,
    commitment,
    contentId,
    locator,
    storageOrder,
    reasonCommitment,
    vault: vaults ? vault : null,
    doctorGrant: {
      notBefore, expiresAt, maxReads: DOCTOR_MAX_READS,
      stored: { purpose: doctorStored.purpose.type, notBefore: doctorStored.notBefore.toNumber(), expiresAt: doctorStored.expiresAt.toNumber() },
    },
    recordsAfterAdd,
    canAccess: { beforeRevoke: canReadBefore, afterRevoke: canReadAfter },
    rejected: { error: rejectedStep.dispatchError, fee, before, after },
    breakGlass: {
      deposit: breakGlassDeposit,
      emergencyBefore,
      emergencyHeld,
      emergencyBeforeReview,
      emergencyAfterReview,
      patientBeforeReview,
      patientAfterReview,
      slashed,
    },
    erase: { hospitalBeforeErase, hospitalAfterErase },
    records,
    accessLog,
    activeGrants,
    // The low-entropy values this run kept off chain (for tests/e2e/privacy.test.mjs).
    identifiers: {
      patientMrn: PATIENT_MRN, patientName: PATIENT_NAME, document, reason,
      licenceReferences: ['hospital', 'doctor', 'emergency'].map(licenceReference),
    },
  };
}

/** `{ status, reason }` of the vault's refusal of `request`, or `null` if it was served. */
async function refusalOf(request) {
  try {
    await request;
    return null;
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    return { status: error.status, reason: error.reason };
  }
}

runFlowCli(import.meta.url, { script: 'ehr-flow', run: runEhrFlow, style: 'full', completed: 'EHR flow completed.' });
