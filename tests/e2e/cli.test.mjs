// The `medchain` command-line client (client/cli) against a dev node and a vault, run as a
// user runs it. A hospital seals a note for a patient with `record add`; the patient opens it
// from the chain and their phrase alone; a clinician cannot until the patient's `record grant`,
// then opens it with `record open`, which logs the read where the patient sees it and checks the
// note against its commitment; after `record revoke` the clinician cannot, and `record reseal`
// gives the next version a key only the remaining grantee gets. A record whose
// object does not match its commitment, a grantee with no key, and bad input are refused by
// name with nothing changed. A genome owner's `dna add`, `dna share` and `dna open`: a share is a
// real HPKE envelope on chain that the recipient opens, and nobody else. The dev preset's demo
// note and genome, put in the vault as scripts/dev-node does, open like any others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToU8a, u8aToHex, stringToU8a } from '@polkadot/util';
import { cliBinary, rpcCall, sudo, bestNumber } from '../../scripts/lib/chain.mjs';
import { bytesHex, normAccount } from '../../scripts/lib/flow.mjs';
import { CONSULT_NOTE } from '../../scripts/lib/ehr-codes.mjs';
import { deliverRecordKey, sealRecordFor } from '../../scripts/lib/records.mjs';
import { demoObjects, putDemoObjects } from '../../scripts/lib/demo-objects.mjs';
import { contentId, seal } from '../../scripts/lib/seal.mjs';
import { startVaultStack, stopVaultStack, succeedFinalized } from './support.mjs';

const ROLES = ['patient', 'hospital', 'doctor', 'nurse', 'nokey', 'stranger', 'owner', 'researcher'];

let stack;
let dir;
let recordId;
const NOTE = `consult note ${Date.now()}: chest pain, ECG normal\n`;

/** Runs the client as `role` (or as `suri`): `{ code, stdout, stderr }`. */
function medchain(role, args, { suri = stack.uris[role] } = {}) {
  const account = suri === null ? [] : ['--suri', suri];
  return new Promise((resolve) => {
    execFile(cliBinary(), ['--node', stack.node.wsUrl, '--vault', stack.vault.url, ...account, ...args],
      { encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }));
  });
}

/** Runs the client and expects success; its standard output. */
async function ok(role, args, options) {
  const run = await medchain(role, args, options);
  assert.equal(run.code, 0, `medchain ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Runs the client and expects it to fail saying `pattern`. */
async function refused(role, args, pattern, options) {
  const run = await medchain(role, args, options);
  assert.equal(run.code, 1, `medchain ${args.join(' ')} should fail: ${run.stdout}`);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /panicked/);
  return run;
}

before(async () => {
  stack = await startVaultStack({ roles: ROLES, keyRoles: [], label: 'cli' });
  dir = mkdtempSync(join(tmpdir(), 'medchain-cli-'));
  const { api, pairs, alice } = stack;
  const registered = await sudo(api, api.tx.utility.batchAll([
    api.tx.ehr.registerProvider(pairs.hospital.address, 'Hospital', '0x01'),
    ...['doctor', 'nurse', 'nokey'].map((role) => api.tx.ehr.registerProvider(pairs[role].address, 'Clinician', '0x02')),
  ]), alice);
  assert.equal(registered.dispatchError, null, JSON.stringify(registered.dispatchError));
  await succeedFinalized(api, api.tx.ehr.grantAccess(pairs.hospital.address, 'All', { read: false, append: true }, 'Treatment', 0, (await bestNumber(api)) + 10_000, null), pairs.patient);
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stopVaultStack(stack);
});

test('keys register puts the key-agreement key derived from the phrase in the registry, once', async () => {
  for (const role of ['patient', 'doctor', 'nurse', 'owner', 'researcher']) {
    assert.match(await ok(role, ['keys', 'register']), /^registered as key \d+ in block \d+/);
  }
  assert.match(await ok('doctor', ['keys', 'register']), /^already registered as key \d+/);
  const shown = await ok('doctor', ['keys', 'show']);
  assert.match(shown, new RegExp(`account: ${stack.pairs.doctor.address}`));
  const [key] = await rpcCall(stack.api, 'dnaWallet_keys', [stack.pairs.doctor.address]);
  assert.ok(shown.includes(`key-agreement public key: ${bytesHex(key.publicKey)} (registered as key ${key.id})`), shown);
});

test('a hospital adds a sealed note for the patient; the chain holds only its content id, commitment and a sealed locator', async () => {
  const file = join(dir, 'note.txt');
  writeFileSync(file, NOTE);
  const out = await ok('hospital', ['record', 'add', file, '--patient', stack.pairs.patient.address, '--type', CONSULT_NOTE]);
  recordId = Number(/^record (\d+) added/m.exec(out)[1]);
  const cid = /^content id: (0x[0-9a-f]{64})$/m.exec(out)[1];
  const [record] = (await rpcCall(stack.api, 'ehr_records', [stack.pairs.patient.address])).filter((r) => r.id === recordId);
  assert.equal(record.contentId.toLowerCase(), cid);
  assert.equal(normAccount(stack.api, record.issuer), stack.pairs.hospital.address);
  const locator = hexToU8a(bytesHex(record.locator));
  for (const secret of ['objects/', '#key=', NOTE.slice(0, 12)]) {
    assert.equal(Buffer.from(locator).includes(Buffer.from(secret)), false, `the locator shows ${secret}`);
  }
  const listed = await ok('patient', ['record', 'list']);
  assert.match(listed, new RegExp(`^${recordId}\t${CONSULT_NOTE}\t${stack.pairs.hospital.address}\tActive\t${cid}$`, 'm'));
  // The vault holds the object under that content id, and it hashes to it.
  assert.equal(u8aToHex(contentId(await stack.clients.patient.get(hexToU8a(cid)))), cid);
});

test('the patient opens the note from the chain and their phrase alone', async () => {
  assert.equal(await ok('patient', ['record', 'open', String(recordId)]), NOTE);
});

test('a clinician without a grant cannot open the note, with the chain\'s reason', async () => {
  await refused('doctor', ['record', 'open', String(recordId), '--patient', stack.pairs.patient.address], /failed on chain: Ehr\(NotAuthorized\)/);
  await refused('stranger', ['record', 'open', String(recordId), '--patient', stack.pairs.patient.address], /failed on chain: Ehr\(ProviderNotFound\)/);
});

test('a grant to a clinician without a key is refused before anything is granted', async () => {
  const before = await rpcCall(stack.api, 'ehr_activeGrants', [stack.pairs.patient.address]);
  await refused('patient', ['record', 'grant', '--to', stack.pairs.nokey.address, '--blocks', '1000'], /has no live key-agreement key in the key registry: it registers one with `medchain keys register`/);
  assert.deepEqual(await rpcCall(stack.api, 'ehr_activeGrants', [stack.pairs.patient.address]), before);
});

test('after the patient\'s grant the clinician opens the note, and the read is in the patient\'s access log', async () => {
  const granted = await ok('patient', ['record', 'grant', '--to', stack.pairs.doctor.address, '--record', String(recordId), '--blocks', '1000', '--max-reads', '5']);
  assert.match(granted, /^1 record key\(s\) deposited for /m);
  const output = join(dir, 'opened.txt');
  await ok('doctor', ['record', 'open', String(recordId), '--patient', stack.pairs.patient.address, '-o', output]);
  assert.equal(readFileSync(output, 'utf8'), NOTE);
  const log = await rpcCall(stack.api, 'ehr_accessLog', [stack.pairs.patient.address, 0, 100]);
  const last = log[log.length - 1];
  assert.deepEqual([normAccount(stack.api, last.accessor), last.recordId, last.purpose], [stack.pairs.doctor.address, recordId, 'Treatment']);
});

test('after revocation the clinician cannot open the note', async () => {
  assert.match(await ok('patient', ['record', 'revoke', '--from', stack.pairs.doctor.address]), /^grant to .* revoked in block \d+/);
  await refused('doctor', ['record', 'open', String(recordId), '--patient', stack.pairs.patient.address], /failed on chain: Ehr\(NotAuthorized\)/);
});

test('record reseal makes a new version under a new key that the remaining grantee opens and the revoked one cannot', async () => {
  const patient = stack.pairs.patient.address;
  await ok('patient', ['record', 'grant', '--to', stack.pairs.nurse.address, '--type', CONSULT_NOTE, '--blocks', '1000']);
  assert.equal(await ok('nurse', ['record', 'open', String(recordId), '--patient', patient]), NOTE);
  const resealed = await ok('patient', ['record', 'reseal', String(recordId)]);
  const newId = Number(new RegExp(`^record ${recordId} re-sealed as record (\\d+) in block`, 'm').exec(resealed)[1]);
  assert.match(resealed, new RegExp(`^key of record ${newId} deposited for ${stack.pairs.nurse.address}$`, 'm'));
  const records = await rpcCall(stack.api, 'ehr_records', [patient]);
  const [old, renewed] = [recordId, newId].map((id) => records.find((r) => r.id === id));
  assert.deepEqual([old.status, renewed.status, renewed.supersedes], ['Amended', 'Active', recordId]);
  assert.notEqual(renewed.contentId, old.contentId, 'a new object under a new key');
  assert.notEqual(renewed.commitment, old.commitment, 'a new salt');
  assert.equal(await ok('nurse', ['record', 'open', String(newId), '--patient', patient]), NOTE);
  await refused('doctor', ['record', 'open', String(newId), '--patient', patient], /failed on chain: Ehr\(NotAuthorized\)/);
  assert.equal(await ok('patient', ['record', 'open', String(newId)]), NOTE);
});

test('a record whose object does not match its commitment is refused as tampered', async () => {
  const { api, pairs, uris, vault, clients } = stack;
  const record = await sealRecordFor(api, pairs.patient, uris.patient, 'the real note', { vaultUrl: vault.url });
  await clients.hospital.put(record.sealed.contentId, record.sealed.object);
  // The hospital's locator names the object without its key: the patient takes it from the
  // envelope the hospital deposits.
  const forged = u8aToHex(seal(stringToU8a('another note')).commitment);
  const added = await succeedFinalized(api, api.tx.ehr.addRecord(pairs.patient.address, CONSULT_NOTE, forged, record.contentId, record.locator, record.size), pairs.hospital);
  const id = added.events.find(({ event }) => api.events.ehr.RecordAdded.is(event)).event.data.recordId.toNumber();
  await deliverRecordKey(api, clients.hospital, record.sealed, pairs.patient);
  const run = await refused('patient', ['record', 'open', String(id)], /does not match the commitment on chain: the record was tampered with/);
  assert.equal(run.stdout, '', 'nothing of the content is written');
});

test('bad input is refused by name and changes nothing', async () => {
  await refused('patient', ['record', 'open', '999999'], /has no record 999999/);
  await refused('patient', ['record', 'grant', '--to', 'not-an-account', '--blocks', '10'], /not-an-account is not an account/);
  await refused('patient', ['record', 'add', join(dir, 'missing.txt'), '--type', CONSULT_NOTE], /missing\.txt: No such file/);
  for (const [suri, pattern] of [[null, /no account: give --suri or --key-file/], ['not a phrase', /secret URI is not valid/]]) {
    const run = await medchain('patient', ['keys', 'show'], { suri });
    assert.equal(run.code, 1);
    assert.match(run.stderr, pattern);
  }
});

test('record add --out writes the sealed object, named by the content id it hashes to, instead of the vault', async () => {
  const out = mkdtempSync(join(dir, 'out-'));
  const file = join(dir, 'mine.txt');
  writeFileSync(file, 'my own note');
  const printed = await ok('patient', ['record', 'add', file, '--type', CONSULT_NOTE, '--out', out]);
  const cid = /^content id: (0x[0-9a-f]{64})$/m.exec(printed)[1];
  assert.deepEqual(readdirSync(out), [cid]);
  assert.equal(u8aToHex(contentId(readFileSync(join(out, cid)))), cid);
});

test('a genome shared with dna share opens for its recipient only, from a real envelope on chain', async () => {
  const file = join(dir, 'genome.vcf');
  const genome = `##fileformat=VCFv4.2\n#CHROM\tPOS\n1\t${Date.now()}\n`;
  writeFileSync(file, genome);
  const added = await ok('owner', ['dna', 'add', file, '--format', 'vcf']);
  const dataset = /^dataset (\d+) registered/m.exec(added)[1];
  const owner = stack.pairs.owner.address;
  assert.equal(await ok('owner', ['dna', 'open', dataset]), genome);
  await refused('researcher', ['dna', 'open', dataset, '--owner', owner], /dataset \d+ is not shared with you/);

  assert.match(await ok('owner', ['dna', 'share', dataset, '--to', stack.pairs.researcher.address, '--blocks', '1000']), /key version 1\) shared with/);
  const [share] = await rpcCall(stack.api, 'dnaWallet_shares', [Number(dataset)]);
  assert.equal(hexToU8a(bytesHex(share.wrappedKey)).length, 80, 'an HPKE envelope');
  assert.equal(await ok('researcher', ['dna', 'open', dataset, '--owner', owner]), genome);
  await refused('stranger', ['dna', 'open', dataset, '--owner', owner], /not shared with you/);
});

test('the dev preset\'s demo note and genome are real sealed objects: Bob opens both, and Charlie the note once Bob hands him its key', async () => {
  const demo = JSON.parse(readFileSync(new URL('../../runtime/src/genesis_demo.json', import.meta.url), 'utf8'));
  const objects = demoObjects();
  for (const line of await putDemoObjects(stack.vault.url)) assert.match(line, /: stored/);
  const [bob, charlie] = ['//Bob', '//Charlie'];
  const bobAddress = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
  const [note] = (await rpcCall(stack.api, 'ehr_records', [bobAddress])).filter((r) => r.contentId?.toLowerCase() === demo.note.contentId);
  const [genome] = (await rpcCall(stack.api, 'dnaWallet_datasets', [bobAddress])).filter((d) => d.ciphertextHash.toLowerCase() === demo.genome.contentId);
  assert.ok(note && genome, 'the preset holds both');
  assert.equal(await ok('patient', ['record', 'open', String(note.id)], { suri: bob }), objects.note.text);
  assert.equal(await ok('patient', ['dna', 'open', String(genome.id)], { suri: bob }), objects.genome.text);
  const open = ['record', 'open', String(note.id), '--patient', bobAddress];
  await refused('hospital', open, /the vault refused \(404 no-envelope\): the patient has not delivered this object's key to this account here/, { suri: charlie });
  assert.match(await ok('patient', ['record', 'grant', '--to', '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y', '--record', String(note.id), '--blocks', '1000'], { suri: bob }), /^1 record key\(s\) deposited/m);
  assert.equal(await ok('hospital', open, { suri: charlie }), objects.note.text);
});
