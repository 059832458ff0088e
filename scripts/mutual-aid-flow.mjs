#!/usr/bin/env node
// Integrator script for pallet-mutual-aid: drives a claim from filing to apportioning against a
// running node with real signatures and prints what happened, ending with the period's ledger.
//
//   node scripts/mutual-aid-flow.mjs [--ws ws://127.0.0.1:9944]
//
// Start the node with `--dev --sealing instant` (a block per transaction); the script moves the
// chain forward with `system.remark` transactions where it has to wait for a block. It works on
// an Aura dev chain too, just slower (6 s per block).
//
// Flow: Root (sudo, signed by Alice) creates a share-after-claims pool (waiting period 20 blocks,
// cap 300 000 MED, 1 % fee) managed by a fresh account → 5 fresh members join → Root registers a
// fresh hospital as an EHR provider and the claimant lets it append to its EHR → the hospital adds
// a referral during the waiting period → a claim before eligibility is rejected with
// `mutualAid.NotEligible` and changes nothing → after eligibility a claim citing the referral
// (dated before coverage) is rejected with `DiagnosisNotCovered`, and one citing a record the
// claimant added itself with `EvidenceNotFromProvider` → the hospital adds the diagnosis record
// (salted commitment only) → the claimant files a claim of 100 000 MED with a salted commitment
// to the covered code `C` (the code never goes on chain; the ICD-10 diagnosis `C50.9` stays in
// the EHR record), citing the hospital's record and an evidence commitment → another member
// objects during the public notice → a panel of three genesis reviewers is drawn, commits and
// reveals approvals → the claim is approved → `finalize_claim` records it for the period →
// `apportion` splits it: every member pays the same share + fee, the claimant is paid → the
// ledger is read over `mutualAid_ledger` and printed.
//
// Members, claimant and manager are fresh accounts derived from //Alice with a random tag, funded
// by Alice, so the script can run repeatedly on the same chain. The reviewers are the dev
// accounts registered in the `development` preset (Charlie, Dave, Eve, Ferdie).
import { blake2AsHex, blake2AsU8a, decodeAddress, randomAsU8a } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { MED, submit, sudo, rpcCall, createFundedAccounts, blockNumberOf, balanceOf, bestNumber } from './lib/chain.mjs';
import { sealRecordFor } from './lib/records.mjs';
import { conditionCommitment } from './lib/commitment.mjs';
import { PATHOLOGY_STUDY } from './lib/ehr-codes.mjs';
import {
  ensure, requirePallet, saltedCommitment, commitText, stableJson, advanceTo, stepLog, logAccounts, runFlowCli,
} from './lib/flow.mjs';

/**
 * The pool's rules: a 20-block waiting period and a 300 000 MED cap per claim; short notice and
 * review periods for a dev chain.
 */
export const RULES = {
  funding: 'ShareAfterClaims',
  waitingPeriod: 20,
  perClaimCap: 300_000n * MED,
  lifetimeCap: 600_000n * MED,
  coveredConditions: ['C', 'I21'],
  feeBps: 100,
  minMembers: 5,
  noticePeriod: 3,
  reviewPeriod: 5,
  claimDeposit: 10n * MED,
  // Share-after-claims: no contribution schedule; each member owes at most 60 000 MED for the
  // claims open at once (5 members: 300 000 MED of open claims).
  contribution: 0n,
  maxShare: 60_000n * MED,
};
/** The amount claimed. */
export const CLAIM_AMOUNT = 100_000n * MED;
/** The claimant's diagnosis (ICD-10 C50.9, breast cancer): it stays in the EHR evidence. */
export const CONDITION = 'C50.9';
/**
 * The covered code the claim is filed under: the pool's condition `C` that the diagnosis falls
 * under. Only a salted commitment to it goes on chain ({@link conditionCommitment}); the code and
 * salt go to the reviewers with the evidence.
 */
export const CLAIM_CONDITION = 'C';
/** The RPC methods the flow reads through. */
export const MUTUAL_AID_RPC_METHODS = [
  'mutualAid_pool', 'mutualAid_member', 'mutualAid_claims', 'mutualAid_ledger', 'mutualAid_quote',
];
const MEMBERS = ['claimant', 'objector', 'member3', 'member4', 'member5'];
const ROLES = ['manager', 'hospital', ...MEMBERS];

/** MED with three decimals, from planck. */
export function med(planck) {
  const value = BigInt(planck);
  const whole = value / MED;
  const milli = (value % MED) / 10n ** 9n;
  return `${whole.toLocaleString('en-US')}.${milli.toString().padStart(3, '0')} MED`;
}

/**
 * The vote commitment the pallet checks: `blake2_256(SCALE(claim_id, reviewer, vote, salt))`.
 */
export function voteCommitment(api, claimId, reviewer, vote, salt) {
  const probe = api.tx.mutualAid.revealVote(claimId, vote, salt);
  return blake2AsHex(u8aConcat(probe.args[0].toU8a(), decodeAddress(reviewer), probe.args[1].toU8a(), salt), 256);
}

/**
 * Runs the mutual-aid flow on `api` (a connected ApiPromise). `accounts` are the dev accounts
 * (`devAccounts()`); `accounts.alice` must be the sudo key and funds the fresh accounts. `log`
 * receives one line at a time. Resolves with everything that happened; rejects with a
 * `FlowError` on any unexpected outcome.
 */
export async function runMutualAidFlow(api, accounts, log = console.log) {
  const { alice } = accounts;
  await requirePallet(api, 'mutualAid', 'MutualAid', MUTUAL_AID_RPC_METHODS);
  const reviewerSet = (await api.query.mutualAid.reviewers()).map((r) => r.toString());
  const devByAddress = new Map(Object.values(accounts).map((pair) => [pair.address, pair]));
  ensure(reviewerSet.length >= 3, `only ${reviewerSet.length} reviewers are registered`);
  ensure(reviewerSet.every((r) => devByAddress.has(r)), 'some registered reviewers are not dev accounts (not the development preset?)');

  const funding = 25_000n * MED;
  const { tag, pairs, uris, funding: fundingResult } = await createFundedAccounts(api, alice, ROLES, funding, { label: 'mutual-aid' });
  const { manager, hospital, claimant, objector } = pairs;
  const names = new Map([
    ...Object.entries(accounts).map(([name, pair]) => [pair.address, name]),
    ...ROLES.map((r) => [pairs[r].address, r]),
  ]);
  const { steps, who, logStep, ok, eventOf } = stepLog(api, { log, names, section: 'mutualAid' });

  logAccounts(log, `Mutual-aid flow, run ${tag} (fresh accounts derived from //Alice//mutual-aid/${tag}/<role>):`, pairs, ROLES, 9);
  log(`  funded with ${med(funding)} each in block #${await blockNumberOf(api, fundingResult.blockHash)}`);
  log(`  reviewers: ${reviewerSet.map(who).join(', ')}`);

  const head = () => bestNumber(api);
  // Make sure the next transaction lands in block `n` or later.
  let remarks = 0;
  const nextBlockAtLeast = async (n) => {
    remarks += await advanceTo(api, alice, n);
  };
  const rpc = {
    pool: (id) => rpcCall(api, 'mutualAid_pool', [id]),
    member: (id, account) => rpcCall(api, 'mutualAid_member', [id, account]),
    claims: (id, status = null) => rpcCall(api, 'mutualAid_claims', [id, status]),
    ledger: (id, period) => rpcCall(api, 'mutualAid_ledger', [id, period]),
    quote: (id) => rpcCall(api, 'mutualAid_quote', [id]),
  };

  // 1. Root creates the pool, managed by a fresh account that receives the fee.
  const created = await logStep('createPool', 'Root creates a share-after-claims pool (sudo)',
    await sudo(api, api.tx.mutualAid.createPool(manager.address, RULES), alice));
  ensure(!created.dispatchError, `createPool: ${created.dispatchError?.section}.${created.dispatchError?.name}`);
  const poolCreated = eventOf(created, 'PoolCreated');
  const poolId = poolCreated.poolId.toNumber();
  const poolAccount = poolCreated.account.toString();
  names.set(poolAccount, `pool#${poolId}`);
  const poolView = await rpc.pool(poolId);
  ensure(poolView && poolView.rules.perClaimCap === RULES.perClaimCap.toString(), 'mutualAid_pool: cap differs');

  // 2. Five members join; each is covered 20 blocks after joining.
  const joined = {};
  for (const role of MEMBERS) {
    const step = await ok(`join_${role}`, `${role} joins pool ${poolId}`, api.tx.mutualAid.join(poolId), pairs[role]);
    joined[role] = eventOf(step, 'Joined').eligibleFrom.toNumber();
  }

  // 3. Evidence is an EHR record a registered provider other than the claimant issued: Root
  // registers a fresh hospital, the claimant lets it append to its EHR, and the hospital adds a
  // referral during the waiting period (sealed here: its commitment and a locator encrypted to
  // the claimant go on chain).
  const licence = saltedCommitment(randomAsU8a(32), blake2AsU8a(`licence-reference/${tag}/hospital`, 256));
  const registered = await logStep('registerHospital', 'Root registers the hospital as an EHR provider (sudo)',
    await sudo(api, api.tx.ehr.registerProvider(hospital.address, 'Hospital', licence), alice));
  ensure(!registered.dispatchError, `registerProvider: ${registered.dispatchError?.section}.${registered.dispatchError?.name}`);
  await ok('grantHospital', 'claimant lets the hospital append to its EHR (Treatment)',
    api.tx.ehr.grantAccess(hospital.address, 'All', { read: false, append: true }, 'Treatment', 0, (await head()) + 100_800, null), claimant);
  const addRecord = async (step, text, issuer) => {
    const document = `${text} ${tag}: ${Buffer.from(randomAsU8a(16)).toString('hex')}`;
    const { commitment, contentId, locator, size } = await sealRecordFor(api, claimant, uris.claimant, document);
    const added = await ok(step, `${who(issuer.address)} adds a ${text} to the claimant's EHR (LOINC ${PATHOLOGY_STUDY})`,
      api.tx.ehr.addRecord(claimant.address, PATHOLOGY_STUDY, commitment, contentId, locator, size), issuer);
    const recordId = added.events.find(({ event }) => api.events.ehr.RecordAdded.is(event)).event.data.recordId.toNumber();
    return { document, commitment, recordId };
  };
  const referral = await addRecord('referral', 'referral', hospital);
  const conditionSalt = randomAsU8a(32);
  const claimCondition = conditionCommitment(poolId, CLAIM_CONDITION, conditionSalt);

  // 4. A claim before eligibility is rejected and changes nothing.
  // State only: `eligibleNow` is derived from the head, which every rejected claim moves on.
  const memberState = async () => {
    const { eligibleNow, ...member } = await rpc.member(poolId, claimant.address);
    return member;
  };
  const snapshot = async () => ({
    nextClaimId: (await api.query.mutualAid.nextClaimId()).toNumber(),
    claims: await rpc.claims(poolId),
    member: await memberState(),
    claimHold: (await balanceOf(api, claimant.address)).holds['MutualAid.ClaimDeposit'] ?? 0n,
  });
  const beforeEarly = await snapshot();
  const early = await logStep('early', 'claimant files a claim before its waiting period ends',
    await submit(api, api.tx.mutualAid.fileClaim(poolId, claimCondition, CLAIM_AMOUNT, [referral.recordId], commitText('early')), claimant));
  ensure(early.dispatchError?.name === 'NotEligible', `early claim: expected mutualAid.NotEligible, got ${JSON.stringify(early.dispatchError)}`);
  ensure(early.blockNumber < joined.claimant, 'the early claim was not early');
  const afterEarly = await snapshot();
  ensure(stableJson(afterEarly) === stableJson(beforeEarly), 'the rejected claim changed state');

  // 5. After eligibility: the chain dates the diagnosis by the evidence, not by the claimant, so
  // the referral from the waiting period is refused; a record the claimant added itself proves
  // nothing. Both rejections change nothing.
  await nextBlockAtLeast(joined.claimant);
  const rejected = async (step, text, record, error) => {
    const before = await snapshot();
    const result = await logStep(step, text,
      await submit(api, api.tx.mutualAid.fileClaim(poolId, claimCondition, CLAIM_AMOUNT, [record], commitText(step)), claimant));
    ensure(result.dispatchError?.name === error, `${step}: expected mutualAid.${error}, got ${JSON.stringify(result.dispatchError)}`);
    const after = await snapshot();
    ensure(stableJson(after) === stableJson(before), `the rejected ${step} claim changed state: ${stableJson(before)} → ${stableJson(after)}`);
  };
  await rejected('stale', 'claimant cites the referral dated before its coverage', referral.recordId, 'DiagnosisNotCovered');
  const own = await addRecord('ownRecord', 'self-written report', claimant);
  await rejected('selfIssued', 'claimant cites a record it added itself', own.recordId, 'EvidenceNotFromProvider');

  // 6. The hospital adds the diagnosis record; the claimant files the claim with a salted
  // commitment to the covered code, the record and a salted evidence commitment.
  const report = await addRecord('record', 'pathology report', hospital);
  const { recordId } = report;
  const reportCommitment = report.commitment;
  const evidenceCommitment = saltedCommitment(randomAsU8a(32), reportCommitment);
  const filed = await ok('file', `claimant files a claim of ${med(CLAIM_AMOUNT)} (diagnosis ${CONDITION} in EHR record ${recordId}; the code ${CLAIM_CONDITION} committed)`,
    api.tx.mutualAid.fileClaim(poolId, claimCondition, CLAIM_AMOUNT, [recordId], evidenceCommitment), claimant);
  const claimFiled = eventOf(filed, 'ClaimFiled');
  const claimId = claimFiled.claimId.toNumber();
  const noticeEnds = claimFiled.noticeEnds.toNumber();
  const claimView = (await rpc.claims(poolId)).find((c) => c.id === claimId);
  ensure(claimView?.conditionCommitment === claimCondition, 'mutualAid_claims: the claim does not carry the condition commitment');
  ensure(claimView.diagnosisBlock === steps.record.blockNumber, "the claim's diagnosis block is not its record's block");

  // 7. Another member objects during the public notice, with a salted reason commitment.
  const objection = 'doubt about the diagnosis date';
  const reasonCommitment = commitText(objection);
  await ok('object', `objector objects to claim ${claimId} during the notice (until #${noticeEnds})`,
    api.tx.mutualAid.object(claimId, reasonCommitment), objector);
  // What the open claim and the objection hold, to compare with what is settled at the end.
  const depositsHeld = {
    claim: (await balanceOf(api, claimant.address)).holds['MutualAid.ClaimDeposit'],
    objection: (await balanceOf(api, objector.address)).holds['MutualAid.ObjectionDeposit'],
  };

  // 8. After the notice anyone draws the panel from the hash of block `noticeEnds`.
  await nextBlockAtLeast(noticeEnds + 1);
  const drawn = await ok('draw', 'Alice draws the review panel', api.tx.mutualAid.drawPanel(claimId), alice);
  const panelDrawn = eventOf(drawn, 'PanelDrawn');
  const panel = panelDrawn.panel.map((a) => a.toString());
  ensure(panel.length === 3, `panel of ${panel.length}`);
  ensure(!panel.includes(claimant.address) && !panel.includes(objector.address), 'claimant or objector on the panel');

  // 9. The three reviewers commit, then reveal, an approval.
  const salts = {};
  for (const reviewer of panel) {
    salts[reviewer] = randomAsU8a(32);
    await ok(`commit_${who(reviewer)}`, `${who(reviewer)} commits a hidden vote`,
      api.tx.mutualAid.commitVote(claimId, voteCommitment(api, claimId, reviewer, 'Approve', salts[reviewer])), devByAddress.get(reviewer));
  }
  for (const reviewer of panel) {
    await ok(`reveal_${who(reviewer)}`, `${who(reviewer)} reveals: Approve`,
      api.tx.mutualAid.revealVote(claimId, 'Approve', salts[reviewer]), devByAddress.get(reviewer));
  }
  const decidedStep = steps[`reveal_${who(panel[2])}`];
  const decided = eventOf(decidedStep, 'ClaimDecided');
  ensure(decided.outcome.isApproved && decided.outcome.asApproved.toBigInt() === CLAIM_AMOUNT, `decision ${decided.outcome.toString()}`);

  // 10. After the appeal window anyone finalizes: the claim is recorded for this period.
  await nextBlockAtLeast(decidedStep.blockNumber + RULES.noticePeriod);
  const finalized = await ok('finalize', 'Alice finalizes the claim', api.tx.mutualAid.finalizeClaim(claimId), alice);
  const period = eventOf(finalized, 'ClaimAwaitingApportion').period.toNumber();
  const quote = await rpc.quote(poolId);
  log(`  quote for period ${quote.period}: ${med(quote.approvedTotal)} among ${quote.eligibleMembers} members = ${med(quote.perMemberShare)} + fee ${med(quote.perMemberFee)} each`);

  // 11. When the period is over anyone apportions it.
  const apportionPeriod = api.consts.mutualAid.apportionPeriod.toNumber();
  await nextBlockAtLeast((period + 1) * apportionPeriod);
  const tracked = [...MEMBERS.map((r) => pairs[r].address), manager.address];
  const before = Object.fromEntries(await Promise.all(tracked.map(async (a) => [a, (await balanceOf(api, a)).free])));
  let apportioned;
  for (let call = 1; !apportioned; call += 1) {
    const step = await ok(`apportion_${call}`, `Alice apportions period ${period} (call ${call})`,
      api.tx.mutualAid.apportion(poolId, period), alice);
    if (step.events.some(({ event }) => api.events.mutualAid.PeriodApportioned.is(event))) apportioned = step;
  }
  const after = Object.fromEntries(await Promise.all(tracked.map(async (a) => [a, (await balanceOf(api, a)).free])));
  const ledger = await rpc.ledger(poolId, period);
  ensure(ledger?.apportioned, 'mutualAid_ledger: the period is not apportioned');
  const share = BigInt(ledger.perMemberShare);
  const fee = BigInt(ledger.perMemberFee);
  const changes = {};
  for (const role of MEMBERS) {
    const address = pairs[role].address;
    changes[role] = after[address] - before[address];
    const expected = -(share + fee) + (role === 'claimant' ? CLAIM_AMOUNT : 0n);
    ensure(changes[role] === expected, `${role}'s balance changed by ${changes[role]}, expected ${expected}`);
  }
  changes.manager = after[manager.address] - before[manager.address];
  ensure(changes.manager === fee * BigInt(MEMBERS.length), `manager received ${changes.manager}`);
  const claimsAfter = await rpc.claims(poolId);

  log('');
  log(`Ledger of pool ${poolId}, period ${period} (blocks ${period * apportionPeriod}–${(period + 1) * apportionPeriod - 1}):`);
  log(`  approved claims   ${ledger.claims} totalling ${med(ledger.approvedTotal)}`);
  log(`  members charged   ${ledger.members} (in arrears: ${ledger.membersInArrears})`);
  log(`  share per member  ${med(ledger.perMemberShare)} + fee ${med(ledger.perMemberFee)} (${RULES.feeBps / 100} %)`);
  log(`  inflow            ${med(ledger.inflow)}`);
  log(`  payouts           ${med(ledger.payouts)}`);
  log(`  fees (manager)    ${med(ledger.fees)}`);
  log(`  shortfall         ${med(ledger.shortfall)}`);
  log(`  rounding dust     ${med(ledger.dust)} (kept in the pool account)`);
  log('Balance changes during apportioning:');
  for (const [role, change] of Object.entries(changes)) log(`  ${role.padEnd(9)} ${change < 0n ? '-' : '+'}${med(change < 0n ? -change : change)}`);
  log(`(${remarks} remark transactions moved the chain forward)`);

  return {
    tag, pairs, poolId, poolAccount, claimId, recordId, panel, period, steps, ledger, quote, changes,
    early: { before: beforeEarly, after: afterEarly }, depositsHeld, claimsAfter, evidenceCommitment, reasonCommitment, reportCommitment,
    claimView, conditionCommitment: claimCondition, conditionSalt: u8aToHex(conditionSalt),
    // The low-entropy values this run used (for tests/e2e/privacy.test.mjs).
    // The claim's covered code is public in the pool's rules, so only its hashes are searched
    // (a raw one-letter code matches by chance); the claim must carry it salted.
    identifiers: {
      report: report.document, referral: referral.document, ownReport: own.document, objection, condition: CONDITION,
      claimCondition: CLAIM_CONDITION,
    },
  };
}

runFlowCli(import.meta.url, {
  script: 'mutual-aid-flow', run: runMutualAidFlow, style: 'full', completed: 'Mutual-aid flow completed.', bareUrl: true,
});
