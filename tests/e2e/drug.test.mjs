// End-to-end test of pallet-drug-provenance against the real medchain-node binary: the flow of
// scripts/drug-flow.mjs on an instant-seal dev chain, with its outcomes asserted.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { rpcMethods } from '../../scripts/lib/chain.mjs';
import { normAccount } from '../../scripts/lib/flow.mjs';
import { stopCleanly, runFlowOnDevChain, assertJsonConvention, assertJsonConventions } from './support.mjs';
import { runDrugFlow, drugRpc, variant } from '../../scripts/drug-flow.mjs';
import { verifyProof } from '../../scripts/lib/drug-codes.mjs';

describe('drug provenance flow on an instant-seal dev chain', () => {
  let node;
  let api;
  let accounts;
  let run;
  const lines = [];
  /** An account id from RPC JSON (SS58 or hex) as SS58-42. */
  const account = (value) => normAccount(api, value);

  before(async () => {
    ({ node, api, accounts, flow: run } = await runFlowOnDevChain(runDrugFlow, lines));
  });

  after(() => stopCleanly(node, api));

  test('the node serves the drug_* RPC methods', async () => {
    const methods = await rpcMethods(api);
    for (const m of ['drugProvenance_batch', 'drugProvenance_batchById', 'drugProvenance_trace', 'drugProvenance_holdings', 'drugProvenance_codeStatus', 'drugProvenance_verifyPack', 'drugProvenance_recallStatus']) {
      assert.ok(methods.includes(m), `${m} in rpc_methods`);
    }
  });

  test('partners are licensed by the registrar and the batch commits to 1,000 packs', async () => {
    assert.deepEqual(run.partnerEvents.map((e) => [e.name, account(e.account), e.role]), [
      ['PartnerRegistered', run.parties.manufacturer, 'Manufacturer'],
      ['PartnerRegistered', run.parties.wholesaler, 'Wholesaler'],
      ['PartnerRegistered', run.parties.pharmacy, 'Dispenser'],
    ]);
    assert.equal(run.batchEvent.quantity, 1000);
    assert.equal(run.batchEvent.codeCount, 1000);
    assert.equal(run.batchEvent.codesRoot, u8aToHex(run.codes.root));
    assert.equal(account(run.batchEvent.manufacturer), run.parties.manufacturer);
    const stored = (await api.query.drugProvenance.batches(run.batchId)).unwrap();
    assert.equal(stored.codesRoot.toHex(), u8aToHex(run.codes.root));
    assert.equal(stored.codeCount.toNumber(), 1000);
    // The batch is found by GTIN and lot over RPC.
    const byLot = await drugRpc.batch(api, run.gtin, run.lot);
    assert.equal(byLot.id, run.batchId);
    // No serial, scratch code or salt went on chain: the batch holds only the root.
    const raw = stored.toHex();
    for (const pack of run.codes.packs.slice(0, 20)) {
      assert.ok(!raw.includes(u8aToHex(pack.salt).slice(2)));
      assert.ok(!raw.includes(Buffer.from(pack.serial).toString('hex')));
    }
  });

  test('holdings after each hop', () => {
    assert.deepEqual(run.holdings.registered, { manufacturer: 1000, wholesaler: 0, pharmacy: 0 });
    const [toWholesaler, toPharmacy] = run.hops;
    assert.deepEqual(toWholesaler.afterDispatch, { manufacturer: 400, wholesaler: 0, pharmacy: 0 });
    assert.equal(toWholesaler.pendingAfterDispatch, 600);
    assert.deepEqual(toWholesaler.afterReceive, { manufacturer: 400, wholesaler: 600, pharmacy: 0 });
    assert.deepEqual(toPharmacy.afterDispatch, { manufacturer: 400, wholesaler: 500, pharmacy: 0 });
    assert.equal(toPharmacy.pendingAfterDispatch, 100);
    assert.deepEqual(toPharmacy.afterReceive, { manufacturer: 400, wholesaler: 500, pharmacy: 100 });
    assert.deepEqual([toWholesaler.transferIndex, toPharmacy.transferIndex], [0, 1]);
    assert.equal(account(toPharmacy.receivedEvent.to), run.parties.pharmacy);
  });

  test('a patient with no funds verifies a pack once, unsigned and free', () => {
    const v = run.verification;
    assert.equal(v.signed, false);
    assert.equal(v.patientFreeAfter, 0n);
    assert.equal(v.feeEvents, 0, 'no TransactionFeePaid for an unsigned verification');
    assert.deepEqual(v.dryRun, { NotYetVerified: { leaf: v.leaf, verdict: 'Genuine' } });
    assert.equal(v.event.name, 'PackVerified');
    assert.equal(v.event.batchId, run.batchId);
    assert.equal(v.event.leaf, v.leaf);
    assert.equal(v.event.region, 404);
    assert.equal(variant(v.event.verdict), 'Genuine');
    assert.equal(v.codeStatus.firstVerifiedAt, v.block);
    assert.equal(v.codeStatus.region, 404);
    assert.equal(v.codeStatus.alarms, 0);
    assert.equal(v.codeStatus.firstVerifier, 'Public');
    const pack = run.codes.packs[v.packIndex];
    assert.ok(verifyProof(run.codes.root, pack.leaf, v.packIndex, 1000, run.codes.proof(v.packIndex).siblings));
  });

  test('a replay of the public verification is refused by the pool and raises nothing', () => {
    const { rejection, dryRun, before, after } = run.replay;
    assert.match(rejection, /^1010: Invalid Transaction: Transaction is outdated/, 'InvalidTransaction::Stale');
    const already = dryRun.AlreadyVerified;
    assert.ok(already, JSON.stringify(dryRun));
    assert.equal(already.record.firstVerifiedAt, run.verification.block);
    assert.deepEqual(after, before);
    assert.equal(after.alarms, 0);
  });

  test("the pharmacy's signed scan of the same code raises a clone alarm", () => {
    const { event, events } = run.clone;
    assert.equal(event.name, 'CloneAlarmRaised');
    assert.equal(event.batchId, run.batchId);
    assert.equal(event.leaf, run.verification.leaf);
    assert.equal(account(event.reporter), run.parties.pharmacy);
    assert.equal(event.firstVerifiedAt, run.verification.block);
    assert.equal(event.firstRegion, 404);
    assert.equal(event.region, 566);
    assert.equal(event.alarms, 1);
    assert.equal(event.alarmedPacks, 1);
    assert.ok(!events.some((e) => e.name === 'PackVerified' || e.name === 'BatchQuarantined'), 'one alarm does not quarantine');
  });

  test('a forged scratch code is refused by the pool and changes nothing', () => {
    const { rejection, dryRun, before, after } = run.forged;
    assert.match(rejection, /^1010: Invalid Transaction: Transaction has a bad signature/, 'InvalidTransaction::BadProof');
    assert.equal(dryRun, 'Invalid');
    assert.equal(before.forgedStatus, null);
    assert.deepEqual(after, before, 'no block, same batch counters and pack records');
    assert.equal(after.packStatus.alarms, 1);
    assert.equal(after.batch.verifiedPacks, 1);
    assert.equal(after.batch.cloneAlarms, 1);
    assert.equal(after.verifiedEntries, 1);
  });

  test('the manufacturer recalls, the pharmacy acknowledges, the rest is outstanding', () => {
    const { event, ackEvent, ackBlock, status } = run.recall;
    assert.equal(event.batchId, run.batchId);
    assert.equal(event.class, 'ClassII');
    assert.equal(account(event.initiator.partner), run.parties.manufacturer);
    assert.equal(account(ackEvent.holder), run.parties.pharmacy);
    const recall = status.recall;
    assert.equal(recall.class, 'ClassII');
    assert.equal(recall.acknowledged, 1);
    assert.deepEqual(status.acknowledged.map(([who, at]) => [account(who), at]), [[run.parties.pharmacy, ackBlock]]);
    const outstanding = Object.fromEntries(status.outstanding.map(([who, qty]) => [account(who), qty]));
    assert.deepEqual(outstanding, { [run.parties.manufacturer]: 400, [run.parties.wholesaler]: 500 });
  });

  test('dispatching the recalled batch fails with BatchRecalled and moves nothing', () => {
    const { dispatchError, events, holdingsBefore, holdingsAfter, batchAfter } = run.recalledDispatch;
    assert.deepEqual(dispatchError, { section: 'drugProvenance', name: 'BatchRecalled' });
    assert.deepEqual(events, []);
    assert.deepEqual(holdingsBefore, { manufacturer: 400, wholesaler: 500, pharmacy: 100 });
    assert.deepEqual(holdingsAfter, holdingsBefore);
    assert.equal(batchAfter.transferCount, 2);
    assert.equal(batchAfter.pending, 0);
    assert.equal(variant(batchAfter.status), 'Recalled');
  });

  test('the RPC trace lists both hops, and holdings match storage', () => {
    assert.equal(run.trace.length, 2);
    const hops = run.trace.map(([index, t]) => ({
      index,
      from: account(t.from),
      to: account(t.to),
      quantity: t.quantity,
      state: variant(t.state),
    }));
    assert.deepEqual(hops, [
      { index: 0, from: run.parties.manufacturer, to: run.parties.wholesaler, quantity: 600, state: 'Received' },
      { index: 1, from: run.parties.wholesaler, to: run.parties.pharmacy, quantity: 100, state: 'Received' },
    ]);
    for (const [, t] of run.trace) {
      const receivedAt = t.state.Received.at;
      assert.ok(receivedAt >= t.dispatchedAt);
    }
    const rpcHoldings = Object.fromEntries(run.rpcHoldings.map(([who, qty]) => [account(who), qty]));
    assert.deepEqual(rpcHoldings, {
      [run.parties.manufacturer]: 400, [run.parties.wholesaler]: 500, [run.parties.pharmacy]: 100,
    });
    assert.equal(variant(run.rpcBatch.effectiveStatus), 'Recalled');
    assert.equal(run.rpcBatch.inCustody, 1000);
    assert.ok(lines.some((line) => /^\d+\. drugProvenance_trace\(/.test(line)), 'the script printed the trace');
  });

  test('every drugProvenance_* answer has camelCase keys, and the GTIN and lot read as printed', async () => {
    const byLot = await drugRpc.batch(api, run.gtin, run.lot);
    const answers = {
      drugProvenance_batch: byLot,
      drugProvenance_batchById: run.rpcBatch,
      drugProvenance_trace: run.trace,
      drugProvenance_codeStatus: run.verification.codeStatus,
      drugProvenance_verifyPack: run.replay.dryRun,
      drugProvenance_recallStatus: await drugRpc.recallStatus(api, run.batchId),
    };
    assertJsonConventions(answers);
    assert.equal(assertJsonConvention('drugProvenance_holdings', run.rpcHoldings), 0, 'holdings are [account, quantity] pairs');
    assert.deepEqual([byLot.batch.gtin, byLot.batch.lot], [run.gtin, run.lot]);
  });

  test('the flow runs again on the same chain with fresh accounts, product and batch', async () => {
    const again = await runDrugFlow(api, accounts, () => {});
    assert.notEqual(again.batchId, run.batchId);
    assert.notEqual(again.parties.manufacturer, run.parties.manufacturer);
    assert.notEqual(again.gtin, run.gtin);
    assert.deepEqual(again.recalledDispatch.dispatchError, { section: 'drugProvenance', name: 'BatchRecalled' });
    assert.equal(again.trace.length, 2);
  });
});
