// End-to-end test of pallet-mutual-aid against the real medchain-node binary: the integrator
// flow of scripts/mutual-aid-flow.mjs on an instant-seal dev chain, then its outcomes checked on
// chain and over RPC.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rpcCall, rpcMethods, balanceOf } from '../../scripts/lib/chain.mjs';
import { stopCleanly, runFlowOnDevChain, stepEvents, oneStepEvent, assertJsonConventions } from './support.mjs';
import { conditionCommitment } from '../../scripts/lib/commitment.mjs';
import {
  runMutualAidFlow, RULES, CLAIM_AMOUNT, CONDITION, CLAIM_CONDITION, MUTUAL_AID_RPC_METHODS,
} from '../../scripts/mutual-aid-flow.mjs';

describe('mutual-aid flow on an instant-seal dev chain', () => {
  let node;
  let api;
  let accounts;
  let flow;
  const lines = [];
  const maEvents = (step, method) => stepEvents(api, step, 'mutualAid', method);
  const oneEvent = (step, method) => oneStepEvent(api, step, 'mutualAid', method);

  before(async () => {
    ({ node, api, accounts, flow } = await runFlowOnDevChain(runMutualAidFlow, lines));
  });

  after(() => stopCleanly(node, api));

  test('the node serves the mutualAid RPC methods and the development preset has demo data', async () => {
    const methods = await rpcMethods(api);
    for (const method of MUTUAL_AID_RPC_METHODS) assert.ok(methods.includes(method), `${method} served`);
    const reviewers = (await api.query.mutualAid.reviewers()).map((r) => r.toString());
    assert.deepEqual(reviewers, [accounts.charlie, accounts.dave, accounts.eve, accounts.ferdie].map((a) => a.address));
    const demo = await rpcCall(api, 'mutualAid_pool', [0]);
    assert.equal(demo.rules.funding, 'ShareAfterClaims');
    assert.equal(demo.memberCount, 1);
    const bob = await rpcCall(api, 'mutualAid_member', [0, accounts.bob.address]);
    assert.equal(bob.deposit, api.consts.mutualAid.membershipDeposit.toString());
  });

  test('Root created a share-after-claims pool with a 20-block waiting period and a 300 000 MED cap', async () => {
    const created = oneEvent(flow.steps.createPool, 'PoolCreated');
    assert.equal(created.manager.toString(), flow.pairs.manager.address);
    assert.equal(created.funding.type, 'ShareAfterClaims');
    const pool = (await api.query.mutualAid.pools(flow.poolId)).unwrap();
    assert.equal(pool.rules.waitingPeriod.toNumber(), 20);
    assert.equal(pool.rules.perClaimCap.toBigInt(), 300_000n * 10n ** 12n);
    assert.equal(pool.memberCount.toNumber(), 5);
  });

  test('a claim before eligibility is rejected with NotEligible and changes nothing', () => {
    assert.deepEqual(flow.steps.early.dispatchError, { section: 'mutualAid', name: 'NotEligible' });
    assert.ok(!flow.steps.early.events.some(({ event }) => event.section === 'mutualAid'), 'no mutualAid event');
    const { before, after } = flow.early;
    assert.equal(after.nextClaimId, before.nextClaimId);
    assert.deepEqual(after.claims, before.claims);
    assert.deepEqual(after.member, before.member);
    assert.equal(after.member.openClaim, null);
    assert.equal(after.claimHold, before.claimHold);
  });

  test('evidence dated before coverage or issued by the claimant itself is rejected and changes nothing', () => {
    assert.deepEqual(flow.steps.stale.dispatchError, { section: 'mutualAid', name: 'DiagnosisNotCovered' });
    assert.deepEqual(flow.steps.selfIssued.dispatchError, { section: 'mutualAid', name: 'EvidenceNotFromProvider' });
    for (const step of ['stale', 'selfIssued']) {
      assert.ok(!flow.steps[step].events.some(({ event }) => event.section === 'mutualAid'), `${step}: no mutualAid event`);
    }
  });

  test('the claim carries a salted commitment to its covered code, never the code', () => {
    assert.equal(flow.claimView.conditionCommitment, flow.conditionCommitment);
    assert.equal(conditionCommitment(flow.poolId, CLAIM_CONDITION, flow.conditionSalt), flow.conditionCommitment);
    assert.equal(flow.claimView.condition, undefined);
    assert.equal(flow.claimView.diagnosisBlock, flow.steps.record.blockNumber, 'the diagnosis is dated by the EHR record');
  });

  test('after eligibility the claim is filed with the EHR record as evidence, and one member objects', async () => {
    const filed = oneEvent(flow.steps.file, 'ClaimFiled');
    assert.equal(filed.claimant.toString(), flow.pairs.claimant.address);
    assert.equal(filed.amount.toBigInt(), CLAIM_AMOUNT);
    assert.equal(filed.evidenceCommitment.toHex(), flow.evidenceCommitment);
    const objected = oneEvent(flow.steps.object, 'Objected');
    assert.equal(objected.objector.toString(), flow.pairs.objector.address);
    assert.equal(objected.reasonCommitment.toHex(), flow.reasonCommitment);
    assert.ok(flow.steps.object.blockNumber < filed.noticeEnds.toNumber(), 'objection during the notice');
  });

  test('three reviewers, neither claimant nor objector, commit and reveal; the claim is approved', () => {
    assert.equal(flow.panel.length, 3);
    const reviewers = [accounts.charlie, accounts.dave, accounts.eve, accounts.ferdie].map((a) => a.address);
    for (const reviewer of flow.panel) assert.ok(reviewers.includes(reviewer));
    const commits = Object.keys(flow.steps).filter((k) => k.startsWith('commit_'));
    const reveals = Object.keys(flow.steps).filter((k) => k.startsWith('reveal_'));
    assert.equal(commits.length, 3);
    assert.equal(reveals.length, 3);
    const decided = Object.values(flow.steps).flatMap((s) => maEvents(s, 'ClaimDecided'));
    assert.equal(decided.length, 1);
    assert.equal(decided[0].outcome.asApproved.toBigInt(), CLAIM_AMOUNT);
    assert.equal(decided[0].level.type, 'First');
  });

  test('finalize records the claim and apportion splits it: same share + fee for every member', () => {
    const recorded = oneEvent(flow.steps.finalize, 'ClaimAwaitingApportion');
    assert.equal(recorded.amount.toBigInt(), CLAIM_AMOUNT);
    const share = CLAIM_AMOUNT / 5n;
    const fee = (share * BigInt(RULES.feeBps)) / 10_000n;
    assert.equal(BigInt(flow.ledger.perMemberShare), share);
    assert.equal(BigInt(flow.ledger.perMemberFee), fee);
    for (const role of ['objector', 'member3', 'member4', 'member5']) assert.equal(flow.changes[role], -(share + fee), role);
    assert.equal(flow.changes.claimant, CLAIM_AMOUNT - share - fee);
    assert.equal(flow.changes.manager, 5n * fee);
    assert.equal(BigInt(flow.quote.perMemberShare), share, 'the quote announced the share');
  });

  test('the ledger shows inflow, payout, fees, share and members', async () => {
    const ledger = await rpcCall(api, 'mutualAid_ledger', [flow.poolId, flow.period]);
    assert.deepEqual(ledger, flow.ledger);
    // Inflow: the five shares plus the objector's deposit, slashed to the pool when the claim
    // was approved in the same period.
    assert.equal(BigInt(ledger.inflow), CLAIM_AMOUNT + api.consts.mutualAid.objectionDeposit.toBigInt());
    assert.equal(BigInt(ledger.payouts), CLAIM_AMOUNT);
    assert.equal(BigInt(ledger.approvedTotal), CLAIM_AMOUNT);
    assert.equal(ledger.members, 5);
    assert.equal(ledger.membersInArrears, 0);
    assert.equal(ledger.shortfall, '0');
    assert.equal(ledger.dust, '0');
    assert.equal(ledger.claims, 1);
    assert.ok(ledger.apportioned);
    const paid = Object.values(flow.steps).flatMap((s) => maEvents(s, 'ClaimPaid'));
    assert.equal(paid.length, 1);
    assert.equal(paid[0].claimant.toString(), flow.pairs.claimant.address);
    assert.deepEqual(flow.claimsAfter, []);
    const member = await rpcCall(api, 'mutualAid_member', [flow.poolId, flow.pairs.claimant.address]);
    assert.equal(BigInt(member.claimedTotal), CLAIM_AMOUNT);
    assert.equal(member.openClaim, null);
    // Held while the claim was open, settled once it closed.
    const { rules } = (await api.query.mutualAid.pools(flow.poolId)).unwrap();
    assert.equal(flow.depositsHeld.claim, rules.claimDeposit.toBigInt());
    assert.equal(flow.depositsHeld.objection, api.consts.mutualAid.objectionDeposit.toBigInt());
    const { holds } = await balanceOf(api, flow.pairs.claimant.address);
    assert.equal(holds['MutualAid.ClaimDeposit'], undefined, 'claim deposit returned');
    const objector = await balanceOf(api, flow.pairs.objector.address);
    assert.equal(objector.holds['MutualAid.ObjectionDeposit'], undefined, 'objection deposit settled');
  });

  test('no mutualAid event carries the condition code or the evidence record', () => {
    const code = Buffer.from(CONDITION).toString('hex');
    for (const step of Object.values(flow.steps)) {
      for (const { event } of step.events) {
        if (event.section !== 'mutualAid') continue;
        const encoded = event.data.toHex();
        assert.ok(!encoded.includes(code), `${event.method} carries the condition code`);
        assert.ok(!encoded.includes(flow.reportCommitment.slice(2)), `${event.method} carries the EHR commitment`);
      }
    }
  });

  test('the mutualAid_* answers have camelCase keys, 0x-hex codes and balances as decimal strings', async () => {
    const answers = {
      mutualAid_pool: await rpcCall(api, 'mutualAid_pool', [flow.poolId]),
      mutualAid_member: await rpcCall(api, 'mutualAid_member', [flow.poolId, flow.pairs.claimant.address]),
      mutualAid_claims: [flow.claimView],
      mutualAid_ledger: await rpcCall(api, 'mutualAid_ledger', [flow.poolId, flow.period]),
      mutualAid_quote: await rpcCall(api, 'mutualAid_quote', [flow.poolId]),
    };
    assertJsonConventions(answers);
  });

  test('the flow printed the ledger', () => {
    assert.ok(lines.some((l) => l.startsWith(`Ledger of pool ${flow.poolId}, period ${flow.period}`)));
    assert.ok(lines.some((l) => l.includes('share per member')));
  });
});
