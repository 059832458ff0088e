// A mutual-aid claim's review panel reads the evidence through the EHR pallet and the vault, on a
// dev node and a vault started with `--node`: a hospital seals a pathology report for a member,
// uploads it and adds the record; the member files a claim citing it (filing is the consent to
// the panel's reading it). When the panel is drawn each reviewer — registered reviewers, not EHR
// providers — gets read access to exactly that record until the commit window closes. The
// claimant delivers the record's key to the panel; a reviewer logs the read (purpose
// ClaimReview, in the patient's access log), fetches and opens the report. A reviewer off the
// panel and a stranger are refused (403), a record the claim does not cite cannot be logged, and
// once the review closes (the last reveal decides the claim) the reviewer is refused too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { randomAsU8a } from '@polkadot/util-crypto';
import { MED, submit, sudo, rpcCall, bestNumber, untilFinalized } from '../../scripts/lib/chain.mjs';
import { advanceTo, commitText, normAccount } from '../../scripts/lib/flow.mjs';
import { PATHOLOGY_STUDY } from '../../scripts/lib/ehr-codes.mjs';
import { deliverRecordKey, openRecordFromVault, sealRecordFor } from '../../scripts/lib/records.mjs';
import { conditionCommitment } from '../../scripts/lib/commitment.mjs';
import { voteCommitment } from '../../scripts/mutual-aid-flow.mjs';
import { startVaultStack, stopVaultStack, succeedFinalized, vaultRefusal, assertJsonConvention } from './support.mjs';

const REVIEWERS = ['reviewer1', 'reviewer2', 'reviewer3', 'reviewer4'];
const MEMBERS = ['claimant', 'member2'];
const ROLES = ['manager', 'hospital', 'stranger', ...MEMBERS, ...REVIEWERS];
const RULES = {
  funding: 'ShareAfterClaims',
  waitingPeriod: 2,
  perClaimCap: 1_000n * MED,
  lifetimeCap: 1_000n * MED,
  coveredConditions: ['C'],
  feeBps: 0,
  minMembers: 2,
  noticePeriod: 2,
  // Long enough for the reads, the commits and the reveals below (a block per transaction).
  reviewPeriod: 20,
  claimDeposit: 1n * MED,
  contribution: 0n,
  maxShare: 1_000n * MED,
};

let node;
let api;
let vault;
let alice;
let pairs;
let keys;
let clients;
let report;
let uncited;
let claimId;
let panel;
let offPanel;

before(async () => {
  let uris;
  ({ node, api, vault, alice, pairs, uris, clients, keys } = await startVaultStack({ roles: ROLES, keyRoles: ['claimant', ...REVIEWERS], label: 'mutual-aid-panel' }));
  const { claimant, hospital, manager } = pairs;

  // Root registers the hospital as an EHR provider and makes the four fresh accounts the only
  // reviewers (none of them an EHR provider); a pool with a short waiting period.
  const genesisReviewers = (await api.query.mutualAid.reviewers()).map((r) => r.toString());
  const setup = await sudo(api, api.tx.utility.batchAll([
    api.tx.ehr.registerProvider(hospital.address, 'Hospital', '0x01'),
    ...genesisReviewers.map((r) => api.tx.mutualAid.removeReviewer(r)),
    ...REVIEWERS.map((role) => api.tx.mutualAid.addReviewer(pairs[role].address)),
    api.tx.mutualAid.createPool(manager.address, RULES),
  ]), alice);
  assert.equal(setup.dispatchError, null, JSON.stringify(setup.dispatchError));
  const poolId = setup.events.find(({ event }) => api.events.mutualAid.PoolCreated.is(event)).event.data.poolId.toNumber();

  let eligibleFrom = 0;
  for (const role of MEMBERS) {
    const joined = await succeed(api.tx.mutualAid.join(poolId), pairs[role]);
    eligibleFrom = joined.events.find(({ event }) => api.events.mutualAid.Joined.is(event)).event.data.eligibleFrom.toNumber();
  }
  await succeed(api.tx.ehr.grantAccess(hospital.address, 'All', { read: false, append: true }, 'Treatment', 0, (await bestNumber(api)) + 10_000, null), claimant);
  await succeed(api.tx.dnaWallet.registerKey(u8aToHex(keys.claimant.publicKey), 'X25519'), claimant);
  for (const role of REVIEWERS) await succeed(api.tx.dnaWallet.registerKey(u8aToHex(keys[role].publicKey), 'X25519'), pairs[role]);

  // After the waiting period the hospital seals two reports for the claimant, uploads them, adds
  // their records and hands their keys to the claimant.
  await advanceTo(api, alice, eligibleFrom);
  const add = async (text) => {
    const record = await sealRecordFor(api, claimant, uris.claimant, text, { vaultUrl: vault.url });
    assert.equal(await clients.hospital.put(record.sealed.contentId, record.sealed.object), true);
    const result = await succeed(api.tx.ehr.addRecord(claimant.address, PATHOLOGY_STUDY, record.commitment, record.contentId, record.locator, record.size), hospital);
    const id = result.events.find(({ event }) => api.events.ehr.RecordAdded.is(event)).event.data.recordId.toNumber();
    await deliverRecordKey(api, clients.hospital, record.sealed, claimant);
    return { ...record, text, id };
  };
  report = await add(`pathology report ${Date.now()}: invasive ductal carcinoma`);
  uncited = await add(`psychiatry note ${Date.now()}: not part of the claim`);

  // The claimant files a claim citing the report only.
  const condition = conditionCommitment(poolId, 'C', randomAsU8a(32));
  const filed = await succeed(api.tx.mutualAid.fileClaim(poolId, condition, 500n * MED, [report.id], commitText('evidence bundle')), claimant);
  const claimFiled = filed.events.find(({ event }) => api.events.mutualAid.ClaimFiled.is(event)).event.data;
  claimId = claimFiled.claimId.toNumber();

  // After the notice anyone draws the panel; the claimant delivers the report's key to it.
  await advanceTo(api, alice, claimFiled.noticeEnds.toNumber() + 1);
  const drawn = await succeed(api.tx.mutualAid.drawPanel(claimId), alice);
  const panelDrawn = drawn.events.find(({ event }) => api.events.mutualAid.PanelDrawn.is(event)).event.data;
  const addresses = panelDrawn.panel.map((a) => a.toString());
  panel = REVIEWERS.filter((role) => addresses.includes(pairs[role].address));
  offPanel = REVIEWERS.find((role) => !panel.includes(role));
  assert.equal(panel.length, 3);
  const granted = drawn.events.filter(({ event }) => api.events.ehr.ReviewAccessGranted.is(event)).map(({ event }) => event.data);
  assert.deepEqual(granted.map((g) => g.reviewer.toString()).sort(), [...addresses].sort(), 'one review access per panel seat');
  for (const g of granted) {
    assert.equal(g.patient.toString(), claimant.address);
    assert.equal(g.review.toNumber(), claimId);
  }
  // The claimant sees who may read for the review, exactly which records, and until when.
  const seen = await rpcCall(api, 'ehr_reviewAccesses', [claimant.address]);
  assert.ok(assertJsonConvention('ehr_reviewAccesses', seen) > 0);
  assert.deepEqual(seen.map((a) => [a.reviewer, a.review, a.records]).sort(), addresses.map((a) => [a, claimId, [report.id]]).sort());
  assert.ok(seen.every((a) => a.expiresAt > a.grantedAt), JSON.stringify(seen));
  // Delivered to the reviewer off the panel too: a key envelope alone opens nothing, the vault
  // serves only what the chain allows.
  for (const role of REVIEWERS) await deliverRecordKey(api, clients.claimant, report.sealed, pairs[role]);
});

after(() => stopVaultStack({ node, api, vault }));

const succeed = (tx, signer) => succeedFinalized(api, tx, signer);

const logReview = (role, record) => submit(api, api.tx.ehr.logAccess(pairs.claimant.address, record.id, 'ClaimReview'), pairs[role]);
const openAs = (role, record) => openRecordFromVault(api, clients[role], keys[role], { contentId: record.contentId, commitment: record.commitment });
const ticket = async (role, record) => (await rpcCall(api, 'ehr_readTicket', [pairs[role].address, record.contentId, pairs.hospital.address])).verdict;
const refused = vaultRefusal;

test('a panel reviewer logs a claim-review read, then fetches and opens the cited report', async () => {
  const [reviewer] = panel;
  await assert.rejects(openAs(reviewer, report), refused(403, 'access-not-logged'), 'nothing before the read is logged');
  const logged = await logReview(reviewer, report);
  assert.equal(logged.dispatchError, null, JSON.stringify(logged.dispatchError));
  await untilFinalized(api);
  assert.equal(await openAs(reviewer, report), report.text, 'the reviewer opened the report and it matches the commitment');
  const index = logged.events.find(({ event }) => api.events.ehr.AccessLogged.is(event)).event.data.index.toNumber();
  const [entry] = await rpcCall(api, 'ehr_accessLog', [pairs.claimant.address, index, 1]);
  assert.deepEqual(
    [normAccount(api, entry.accessor), entry.recordId, entry.purpose, entry.basis],
    [pairs[reviewer].address, report.id, 'ClaimReview', 'Review'],
    'the read is in the claimant\'s access log',
  );
});

test('a reviewer off the panel and a stranger are refused (403)', async () => {
  assert.deepEqual(await ticket(offPanel, report), { Refused: 'NotAuthorized' });
  await assert.rejects(clients[offPanel].get(report.sealed.contentId), refused(403, 'not-allowed'));
  await assert.rejects(clients[offPanel].getEnvelope(report.sealed.contentId), refused(403, 'not-allowed'));
  await assert.rejects(clients.stranger.get(report.sealed.contentId), refused(403, 'not-allowed'));
  const { dispatchError } = await logReview(offPanel, report);
  assert.deepEqual(dispatchError, { section: 'ehr', name: 'ProviderNotFound' });
});

test('a panel reviewer cannot read a record the claim does not cite, nor for another purpose', async () => {
  const [, reviewer] = panel;
  const notCited = await logReview(reviewer, uncited);
  assert.deepEqual(notCited.dispatchError, { section: 'ehr', name: 'ProviderNotFound' });
  assert.deepEqual(await ticket(reviewer, uncited), { Refused: 'NotAuthorized' });
  await assert.rejects(clients[reviewer].get(uncited.sealed.contentId), refused(403, 'not-allowed'));
  const otherPurpose = await submit(api, api.tx.ehr.logAccess(pairs.claimant.address, report.id, 'Treatment'), pairs[reviewer]);
  assert.deepEqual(otherPurpose.dispatchError, { section: 'ehr', name: 'PurposeMismatch' });
});

test('once the review closes the reviewer is refused (403), its fresh logged read notwithstanding', async () => {
  const [reviewer] = panel;
  const logged = await logReview(reviewer, report);
  assert.equal(logged.dispatchError, null);
  await untilFinalized(api);
  assert.equal(await openAs(reviewer, report), report.text);

  const salts = Object.fromEntries(panel.map((role) => [role, randomAsU8a(32)]));
  for (const role of panel) {
    await succeed(api.tx.mutualAid.commitVote(claimId, voteCommitment(api, claimId, pairs[role].address, 'Approve', salts[role])), pairs[role]);
  }
  let decided;
  for (const role of panel) decided = await succeed(api.tx.mutualAid.revealVote(claimId, 'Approve', salts[role]), pairs[role]);
  assert.ok(decided.events.some(({ event }) => api.events.mutualAid.ClaimDecided.is(event)), 'the last reveal decided the claim');
  const ended = decided.events.filter(({ event }) => api.events.ehr.ReviewAccessEnded.is(event)).map(({ event }) => event.data.reviewer.toString());
  assert.deepEqual(ended.sort(), panel.map((role) => pairs[role].address).sort(), 'every seat\'s access ended');
  assert.deepEqual(await rpcCall(api, 'ehr_reviewAccesses', [pairs.claimant.address]), [], 'the claimant no longer sees any');

  assert.deepEqual(await ticket(reviewer, report), { Refused: 'NotAuthorized' });
  await assert.rejects(clients[reviewer].get(report.sealed.contentId), refused(403, 'not-allowed'));
  await assert.rejects(clients[reviewer].getEnvelope(report.sealed.contentId), refused(403, 'not-allowed'));
  const late = await logReview(reviewer, report);
  assert.deepEqual(late.dispatchError, { section: 'ehr', name: 'ProviderNotFound' });
  // The claimant still reads their own record.
  assert.equal(await openAs('claimant', report), report.text);
});
