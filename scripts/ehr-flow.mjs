#!/usr/bin/env node
// Integrator script for pallet-ehr: drives the main flow of issue 3 against a running node with
// real signatures and prints what happened.
//
//   node scripts/ehr-flow.mjs [--ws ws://127.0.0.1:9944]
//
// Flow: providers registered by Root (sudo, signed by Alice) → patient grants the hospital append →
// hospital adds a record (salted commitment, opaque encrypted locator) → patient grants a doctor
// read for 100 blocks, purpose Treatment → the doctor's gateway logs an access → patient revokes →
// a further access log attempt fails with `ehr.NotAuthorized` and changes nothing → another
// provider breaks the glass (and reads) → Root reviews it as unjustified, the deposit goes to the
// patient → the patient erases the record (tombstone). Ends with the patient's access log read
// through the `ehr_accessLog` RPC.
//
// Every run uses fresh accounts derived from //Alice with a random tag, funded by Alice in one
// batch, so it can run repeatedly on the same chain without touching genesis demo data.
// Nothing readable goes on chain: the document, its content hash, the salts and the break-glass
// reason stay in this process; only salted commitments and random locator bytes are submitted.
import { pathToFileURL } from 'node:url';
import { blake2AsHex, blake2AsU8a, randomAsU8a } from '@polkadot/util-crypto';
import {
  connect, devAccounts, submit, sudo, rpcCall, rpcMethods, createFundedAccounts, blockNumberOf, balanceOf,
} from './lib/chain.mjs';

const MED = 10n ** 12n;
/** FHIR document type code (LOINC 11488-4 "Consult note"): a category, not patient data. */
export const TYPE_CODE = '11488-4';
/** The patient's hospital number and name: they stay in the off-chain document only. */
export const PATIENT_MRN = 'MRN-20481-77';
export const PATIENT_NAME = 'Jane Q. Example';
/** How long the doctor's read grant lasts, in blocks. */
export const DOCTOR_GRANT_BLOCKS = 100;
/** The doctor's read limit. */
export const DOCTOR_MAX_READS = 5;
/** The RPC methods the flow reads through. */
export const EHR_RPC_METHODS = ['ehr_records', 'ehr_activeGrants', 'ehr_accessLog', 'ehr_canAccess'];

const ROLES = ['patient', 'hospital', 'doctor', 'emergency'];
const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;
const concat = (...parts) => Uint8Array.from(Buffer.concat(parts.map((p) => Buffer.from(p))));

/** Thrown when the chain does something the flow does not expect. */
export class FlowError extends Error {}

function ensure(condition, message) {
  if (!condition) throw new FlowError(message);
}

/** `blake2_256(salt ‖ contentHash)` — the salted commitment the pallet stores. */
export function saltedCommitment(salt, contentHash) {
  return blake2AsHex(concat(salt, contentHash), 256);
}

/** An RPC account (SS58 string or hex) in the chain's SS58 form, for comparisons. */
export function normAccount(api, value) {
  return api.createType('AccountId32', value).toString();
}

/** Bytes from an RPC value that is a JSON byte array or a hex string, as 0x-hex. */
export function bytesHex(value) {
  if (Array.isArray(value)) return hex(Uint8Array.from(value));
  if (typeof value === 'string' && value.startsWith('0x')) return value.toLowerCase();
  throw new FlowError(`expected bytes, got ${JSON.stringify(value)}`);
}

/**
 * Runs the EHR flow on `api` (a connected ApiPromise). `accounts` are the dev accounts
 * (`devAccounts()`); `accounts.alice` must be the sudo key and funds the fresh accounts. `log`
 * receives one line at a time. Resolves with everything that happened (see the return value);
 * rejects with a `FlowError` on any unexpected outcome.
 */
export async function runEhrFlow(api, accounts, log = console.log) {
  const { alice } = accounts;
  ensure(api.tx.ehr, 'the runtime has no Ehr pallet (api.tx.ehr is missing)');
  const methods = await rpcMethods(api);
  const missing = EHR_RPC_METHODS.filter((m) => !methods.includes(m));
  ensure(missing.length === 0, `the node does not serve the RPC methods ${missing.join(', ')}`);

  const breakGlassDeposit = api.consts.ehr.breakGlassDeposit.toBigInt();
  const funding = 100n * MED + 2n * breakGlassDeposit;
  const { tag, pairs, funding: fundingResult } = await createFundedAccounts(api, alice, ROLES, funding, { label: 'ehr' });
  const { patient, hospital, doctor, emergency } = pairs;
  const names = new Map([[alice.address, 'alice'], ...ROLES.map((r) => [pairs[r].address, r])]);
  const who = (address) => names.get(address) ?? address;
  const describe = (value) => {
    let text = JSON.stringify(value.toHuman());
    for (const [address, name] of names) text = text.split(address).join(name);
    return text;
  };

  log(`EHR flow, run ${tag} (fresh accounts derived from //Alice//ehr/${tag}/<role>):`);
  for (const role of ROLES) log(`  ${role.padEnd(9)} ${pairs[role].address}`);
  log(`  funded with ${funding / MED} MED each in block #${await blockNumberOf(api, fundingResult.blockHash)}`);

  const steps = {};
  let counter = 0;
  const printStep = async (key, title, result) => {
    const blockNumber = await blockNumberOf(api, result.blockHash);
    const step = { ...result, blockNumber };
    steps[key] = step;
    counter += 1;
    const outcome = result.dispatchError ? `FAILED ${result.dispatchError.section}.${result.dispatchError.name}` : 'ok';
    log(`[${counter}] ${title} — block #${blockNumber}, ${outcome}`);
    for (const { event } of result.events) {
      if (['transactionPayment', 'system'].includes(event.section)) continue;
      // Fee bookkeeping: withdrawn, burned, refunded.
      if (event.section === 'balances' && ['Withdraw', 'Deposit', 'BurnedDebt'].includes(event.method)) continue;
      const fields = event.data.names
        ? event.data.names.map((n, i) => `${n}: ${describe(event.data[i])}`).join(', ')
        : event.data.map((d) => describe(d)).join(', ');
      log(`      ${event.section}.${event.method}${fields ? ` { ${fields} }` : ''}`);
    }
    return step;
  };
  const eventOf = (step, method) => {
    const found = step.events.find(({ event }) => api.events.ehr[method].is(event));
    ensure(found, `${method} event missing in block #${step.blockNumber}`);
    return found.event.data;
  };
  const ok = async (key, title, tx, signer) => {
    const step = await printStep(key, title, await submit(api, tx, signer));
    ensure(!step.dispatchError, `${title}: unexpected ${step.dispatchError?.section}.${step.dispatchError?.name}`);
    return step;
  };
  const asRoot = async (key, title, call) => {
    const step = await printStep(key, title, await sudo(api, call, alice));
    ensure(!step.dispatchError, `${title}: unexpected ${step.dispatchError?.section}.${step.dispatchError?.name}`);
    return step;
  };
  const head = async () => (await api.rpc.chain.getHeader()).number.toNumber();
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

  // 3. The hospital adds a pointer to an encrypted consult note. The document, its hash and the
  // salt stay off chain; the locator stands for a URL encrypted to the patient.
  const document = JSON.stringify({
    resourceType: 'DocumentReference', subject: { identifier: PATIENT_MRN, display: PATIENT_NAME },
    note: `consult ${tag}`, nonce: hex(randomAsU8a(16)),
  });
  const contentHash = blake2AsU8a(document, 256);
  const salt = randomAsU8a(32);
  const commitment = saltedCommitment(salt, contentHash);
  const locator = hex(randomAsU8a(96));
  const size = 4096;
  const addRecord = await ok('addRecord', `hospital adds a ${TYPE_CODE} record`, api.tx.ehr.addRecord(
    patient.address, TYPE_CODE, commitment, locator, size,
  ), hospital);
  const added = eventOf(addRecord, 'RecordAdded');
  const recordId = added.recordId.toNumber();
  ensure(added.patient.toString() === patient.address, 'RecordAdded for another patient');
  ensure(added.issuer.toString() === hospital.address, 'RecordAdded by another issuer');
  ensure(added.typeCode.toUtf8() === TYPE_CODE, `RecordAdded type code ${added.typeCode.toHuman()}`);
  const recordsAfterAdd = await rpc.records(patient.address);
  const rpcRecord = recordsAfterAdd.find((r) => r.id === recordId);
  ensure(rpcRecord, `ehr_records does not list record ${recordId}`);
  ensure(rpcRecord.commitment.toLowerCase() === commitment, 'ehr_records: commitment differs from the submitted one');
  ensure(bytesHex(rpcRecord.locator) === locator, 'ehr_records: locator differs from the submitted one');
  ensure(rpcRecord.status === 'Active', `ehr_records: status ${rpcRecord.status}, expected Active`);

  // 4. The patient lets a doctor read for 100 blocks, for treatment, at most 5 times.
  const notBefore = (await head()) + 1; // the block the grant lands in, at the earliest
  const expiresAt = notBefore + DOCTOR_GRANT_BLOCKS;
  const doctorGrant = await ok('doctorGrant', `patient grants doctor read for ${DOCTOR_GRANT_BLOCKS} blocks (Treatment, ≤${DOCTOR_MAX_READS} reads)`,
    api.tx.ehr.grantAccess(doctor.address, 'All', { read: true, append: false }, 'Treatment', notBefore, expiresAt, DOCTOR_MAX_READS),
    patient);
  const doctorGranted = eventOf(doctorGrant, 'AccessGranted');
  ensure(doctorGranted.grantee.toString() === doctor.address, 'AccessGranted to someone else than the doctor');
  ensure(doctorGranted.purpose.type === 'Treatment', `AccessGranted purpose ${doctorGranted.purpose.type}`);
  ensure(doctorGranted.expiresAt.toNumber() === expiresAt, `AccessGranted expires_at ${doctorGranted.expiresAt}`);
  const canReadBefore = await rpc.canAccess(doctor.address, recordId, 'Read');
  ensure(canReadBefore === true, `ehr_canAccess(doctor, ${recordId}, Read) = ${canReadBefore} with a live grant`);

  // 5. The doctor's data gateway logs the read before serving the ciphertext.
  const doctorRead = await ok('doctorRead', `doctor's gateway logs a read of record ${recordId}`,
    api.tx.ehr.logAccess(patient.address, recordId, 'Treatment'), doctor);
  const logged = eventOf(doctorRead, 'AccessLogged');
  ensure(logged.accessor.toString() === doctor.address, 'AccessLogged by another accessor');
  ensure(logged.basis.type === 'Grant', `AccessLogged basis ${logged.basis.type}`);
  const grantsAfterRead = await rpc.activeGrants(patient.address);
  const doctorView = grantsAfterRead.find((g) => normAccount(api, g.grantee) === doctor.address);
  ensure(doctorView?.reads_left === DOCTOR_MAX_READS - 1, `doctor's reads_left ${doctorView?.reads_left}, expected ${DOCTOR_MAX_READS - 1}`);

  // 6. The patient revokes; effective at once.
  const revoke = await ok('revoke', 'patient revokes the doctor', api.tx.ehr.revokeAccess(doctor.address), patient);
  ensure(eventOf(revoke, 'AccessRevoked').grantee.toString() === doctor.address, 'AccessRevoked for someone else');
  const canReadAfter = await rpc.canAccess(doctor.address, recordId, 'Read');
  ensure(canReadAfter === false, `ehr_canAccess(doctor, ${recordId}, Read) = ${canReadAfter} after revoke`);

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
  const rejectedStep = await printStep('rejected', 'doctor tries to log another read (expected to fail)',
    await submit(api, api.tx.ehr.logAccess(patient.address, recordId, 'Treatment'), doctor));
  const after = await snapshot();
  ensure(rejectedStep.dispatchError, 'log_access after revoke succeeded');
  ensure(
    rejectedStep.dispatchError.section === 'ehr' && rejectedStep.dispatchError.name === 'NotAuthorized',
    `log_access after revoke failed with ${rejectedStep.dispatchError.section}.${rejectedStep.dispatchError.name}, expected ehr.NotAuthorized`,
  );
  ensure(!rejectedStep.events.some(({ event }) => event.section === 'ehr'), 'the rejected log_access emitted an ehr event');
  const fee = rejectedStep.events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
    ?.event.data.actualFee.toBigInt() ?? 0n;
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
  ensure(eventOf(emergencyRead, 'AccessLogged').basis.type === 'BreakGlass', 'emergency read not logged as BreakGlass');
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

  // 10. The patient erases the record: the tombstone stays, commitment and locator are cleared.
  const hospitalBeforeErase = await balanceOf(api, hospital.address);
  const erase = await ok('erase', `patient erases record ${recordId}`, api.tx.ehr.eraseRecord(recordId), patient);
  ensure(eventOf(erase, 'RecordErased').recordId.toNumber() === recordId, 'RecordErased for another record');
  const hospitalAfterErase = await balanceOf(api, hospital.address);
  const records = await rpc.records(patient.address);
  const tombstone = records.find((r) => r.id === recordId);
  ensure(tombstone, `ehr_records no longer lists record ${recordId}`);
  ensure(tombstone.status === 'Erased', `erased record has status ${tombstone.status}`);
  ensure(bytesHex(tombstone.locator) === '0x', 'erased record still has a locator');
  ensure(/^0x0{64}$/.test(tombstone.commitment), 'erased record still has a commitment');
  ensure(!hospitalAfterErase.holds['Ehr.RecordDeposit'], 'the hospital still holds a record deposit after erasure');

  // The patient's access log, through the RPC.
  const accessLog = await rpc.accessLog(patient.address, 0, 100);
  const activeGrants = await rpc.activeGrants(patient.address);
  log(`Access log of the patient (ehr_accessLog(patient, 0, 100)): ${accessLog.length} entries`);
  for (const entry of accessLog) {
    log(`  #${entry.index} block ${entry.at}: ${who(normAccount(api, entry.accessor))} `
      + `record ${entry.record_id ?? '—'} purpose ${entry.purpose} basis ${entry.basis}`);
  }
  const doctorEntries = accessLog.filter((e) => normAccount(api, e.accessor) === doctor.address);
  ensure(doctorEntries.length === 1, `the access log lists ${doctorEntries.length} doctor accesses, expected 1`);
  ensure(doctorEntries[0].record_id === recordId && doctorEntries[0].basis === 'Grant' && doctorEntries[0].purpose === 'Treatment',
    `the doctor's log entry is ${JSON.stringify(doctorEntries[0])}`);
  log(`Active grants of the patient (ehr_activeGrants): ${activeGrants.map((g) => `${who(normAccount(api, g.grantee))} (${g.purpose})`).join(', ') || 'none'}`);

  return {
    tag,
    pairs,
    funding,
    steps,
    recordId,
    commitment,
    locator,
    reasonCommitment,
    doctorGrant: { notBefore, expiresAt, maxReads: DOCTOR_MAX_READS },
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

function parseArgs(argv) {
  let ws = 'ws://127.0.0.1:9944';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--ws' && argv[i + 1]) ws = argv[(i += 1)];
    else if (arg.startsWith('--ws=')) ws = arg.slice('--ws='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/ehr-flow.mjs [--ws ws://127.0.0.1:9944]');
      process.exit(0);
    } else throw new FlowError(`unknown argument ${arg} (usage: node scripts/ehr-flow.mjs [--ws URL])`);
  }
  return { ws };
}

async function main() {
  const { ws } = parseArgs(process.argv.slice(2));
  let api;
  try {
    ({ api } = await connect(ws));
  } catch (error) {
    throw new FlowError(`cannot connect to ${ws}: ${error.message ?? error}`);
  }
  try {
    const chain = await api.rpc.system.chain();
    console.log(`Connected to ${ws} (${chain}, spec ${api.runtimeVersion.specName} v${api.runtimeVersion.specVersion})`);
    await runEhrFlow(api, await devAccounts());
    console.log('EHR flow completed.');
  } finally {
    await api.disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`ehr-flow: FAILED: ${error instanceof FlowError ? error.message : error.stack ?? error}`);
      process.exit(1);
    },
  );
}
