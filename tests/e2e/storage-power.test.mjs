// End-to-end test of pallet-storage-power against the real medchain-node binary: the flow of
// scripts/storage-power-flow.mjs on an instant-seal dev chain, with its outcomes asserted.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { MED, devAccounts, rpcMethods } from '../../scripts/lib/chain.mjs';
import { normAccount } from '../../scripts/lib/flow.mjs';
import { stopCleanly, runFlowOnDevChain, assertJsonConventions } from './support.mjs';
import { runStoragePowerFlow } from '../../scripts/storage-power-flow.mjs';
import { storagePowerRpc } from '../../scripts/lib/storage-power.mjs';
import { challengedByte, computeSumRoot, receiptKey, sumProof } from '../../scripts/lib/receipts.mjs';

describe('storage power flow on an instant-seal dev chain', () => {
  let node;
  let api;
  let run;
  const lines = [];
  const account = (value) => normAccount(api, value);

  before(async () => {
    ({ node, api, flow: run } = await runFlowOnDevChain(runStoragePowerFlow, lines));
  });

  after(() => stopCleanly(node, api));

  test('the node serves the storagePower_* RPC methods', async () => {
    const methods = await rpcMethods(api);
    for (const m of ['provider', 'era', 'estimateReward', 'penaltyPreview', 'pendingRewards', 'order', 'ordersOf',
      'quote', 'economics', 'replicasOf', 'openOrders']) {
      assert.ok(methods.includes(`storagePower_${m}`), `storagePower_${m} in rpc_methods`);
    }
  });

  test('the development genesis has demo providers', async () => {
    const { charlie, dave } = await devAccounts();
    const c = await storagePowerRpc.provider(api, charlie.address);
    const d = await storagePowerRpc.provider(api, dave.address);
    assert.equal(c.capacityGib, 2048);
    assert.equal(d.capacityGib, 4096);
    assert.equal(c.status, 'Active');
    // Balances are decimal strings in every domain RPC (exact above 2^53).
    const perTiB = api.consts.storagePower.minStakePerTiB.toBigInt();
    assert.equal(c.requiredStake, (perTiB * 2n).toString());
    assert.equal(d.requiredStake, (perTiB * 4n).toString());
  });

  test('providers hold stake per started TiB', () => {
    const stake = api.consts.storagePower.minStakePerTiB.toBigInt();
    for (const [role, tib] of [['provider1', 1n], ['provider2', 2n], ['provider3', 4n]]) {
      const p = run.providers[role];
      assert.equal(BigInt(p.registered.stake), stake * tib, role);
      assert.equal(account(p.registered.provider), p.address);
      assert.equal(p.registered.endpointCommitment, p.commitment, 'only the endpoint commitment is emitted');
    }
  });

  test('powers follow the formula with audited space, bandwidth and uptime', () => {
    for (const role of ['provider1', 'provider2', 'provider3']) {
      const p = run.providers[role];
      assert.equal(p.power, p.expectedPower, role);
    }
    assert.ok(run.providers.provider1.power > 0n);
    assert.ok(run.providers.provider2.power > 0n);
    // Provider 2 sent half the heartbeats: exactly the minimum uptime, half its raw power. Its
    // space term is the replica it proved (its 2,000 declared GiB count for nothing); of its 40
    // claimed GiB served only `servedPerAuditedByte` × its audited bytes could count (under a
    // GiB, so nothing).
    const { alpha, beta, servedPerAuditedByte } = run.params;
    const size = BigInt(run.object.sizeBytes);
    const gib = 1n << 30n;
    const served = 40n * gib < size * servedPerAuditedByte ? 40n * gib : size * servedPerAuditedByte;
    assert.equal(run.providers.provider2.power, ((alpha * size) / gib + beta * (served / gib)) / 2n);
  });

  test('the holders proved their replica in the era; declared space without a replica earns nothing', () => {
    for (const role of ['provider1', 'provider2']) {
      assert.equal(run.providers[role].auditedBytes, BigInt(run.object.sizeBytes), role);
      const answers = run.replicaAudits.filter((a) => a.role === role);
      assert.ok(answers.length >= 1, `${role} was audited`);
      assert.ok(answers.every((a) => a.events.some((e) => e.name === 'ReplicaAuditPassed')), role);
    }
    // Provider 3 declared 4,000 GiB and holds no replica: with no audited bytes none of the 3 GiB
    // it claims to have served counts either, so its report had no power.
    assert.equal(run.providers.provider3.auditedBytes, 0n);
    assert.equal(BigInt(run.providers.provider3.report.power), 0n);
  });

  test('each report commits the Merkle-sum tree of receipts the buyer signed in the previous era', () => {
    for (const role of ['provider1', 'provider2', 'provider3']) {
      const { report, tree, window, plan } = run.providers[role];
      assert.equal(tree.total, plan.bytesServed, `${role}: the tree sums the bytes served`);
      assert.equal(BigInt(report.bytesServed), tree.total, role);
      assert.equal(report.receiptsRoot, tree.root, role);
      assert.equal(report.leafCount, 16, role);
      assert.equal(tree.leaves.reduce((sum, leaf) => sum + leaf.sum, 0n), tree.total, role);
      // The window is era − 1's: from its start to the start of the era reported.
      assert.ok(window.from < window.to, role);
      for (const [i, receipt] of tree.receipts.entries()) {
        assert.equal(account(receipt.reader), run.buyer, `${role}: the buyer read`);
        assert.ok(receipt.timestampMs >= window.from && receipt.timestampMs < window.to, `${role} receipt ${i} in the window`);
        assert.ok(receipt.bytes >= 1n, role);
        if (i > 0) assert.ok(Buffer.compare(receiptKey(tree.receipts[i - 1]), receiptKey(receipt)) < 0, `${role}: key order`);
      }
    }
  });

  test('the chain challenges a byte of every reporter\'s bytes served by itself, without issuer or deposit', () => {
    const deadline = api.consts.storagePower.challengeDeadline.toNumber();
    for (const role of ['provider1', 'provider2', 'provider3']) {
      const p = run.providers[role];
      const { issued, byte, leafIndex } = p.chainAudit;
      assert.equal(issued.issuer, null, `${role}: issued by the chain`);
      assert.equal(account(issued.provider), p.address);
      assert.equal(issued.era, run.era);
      assert.ok(Number.isInteger(issued.point) && issued.point >= 0 && issued.point < 2 ** 32, `${role}: point is a u32`);
      // The byte is floor(point × bytes served / 2^32): within the report's bytes served.
      assert.equal(BigInt(issued.byte), challengedByte(issued.point, BigInt(p.report.bytesServed)), role);
      assert.equal(BigInt(issued.byte), byte, role);
      assert.ok(BigInt(issued.byte) < BigInt(p.report.bytesServed), role);
      // The receipt the flow names covers that byte: its path folds to the report's root and
      // shows its offset.
      const { root, offset } = computeSumRoot(p.tree.leaves[leafIndex], leafIndex, p.tree.leafCount, sumProof(p.tree.levels, leafIndex));
      assert.equal(u8aToHex(root.hash), p.report.receiptsRoot, role);
      assert.equal(root.sum, BigInt(p.report.bytesServed), role);
      assert.ok(offset <= byte && byte < offset + p.tree.leaves[leafIndex].sum, `${role}: receipt #${leafIndex} covers byte ${byte}`);
      assert.equal(issued.deadline, p.chainAudit.issuedAt + deadline);
    }
  });

  test('honest answers pass; an unanswered chain audit fails by itself at deadline + 1, zeroes power and slashes', () => {
    for (const role of ['provider1', 'provider2']) {
      assert.deepEqual(run.providers[role].chainAudit.events.map((e) => e.name), ['ChallengePassed'], role);
    }
    const p3 = run.providers.provider3.chainAudit;
    assert.equal(p3.settledAt, p3.issued.deadline + 1);
    const auditFailed = p3.events.find((e) => e.name === 'AuditFailed');
    assert.ok(auditFailed, 'AuditFailed in the block after the deadline');
    assert.equal(auditFailed.reason, 'Missed');
    assert.equal(auditFailed.challengeId, p3.issued.challengeId);
    assert.equal(auditFailed.power, 0);
    const slashed = p3.events.find((e) => e.name === 'Slashed');
    const stake = api.consts.storagePower.minStakePerTiB.toBigInt() * 4n;
    assert.equal(BigInt(slashed.amount), stake / 10n);
    assert.equal(run.providers.provider3.power, 0n);
  });

  test('a storage buyer can still challenge with a deposit', () => {
    const p = run.providers.provider1;
    const { issued, events, byte, answer } = p.signedAudit;
    assert.equal(account(issued.issuer), run.buyer);
    assert.equal(BigInt(issued.byte), byte);
    assert.equal(BigInt(issued.byte), challengedByte(issued.point, p.tree.total));
    // Answered with the receipt covering the byte and the next one (unless it is the last).
    assert.equal(answer.next === null, answer.leafIndex === p.tree.leafCount - 1);
    assert.deepEqual(events.map((e) => e.name), ['ChallengePassed']);
    assert.equal(p.failures, 0);
  });

  test('receipts signed for another provider\'s vault fail as InvalidReceipt, without a second slash', () => {
    const p3 = run.providers.provider3;
    const { issued, events } = p3.signedAudit;
    assert.equal(account(issued.issuer), run.buyer);
    assert.deepEqual(events.map((e) => e.name), ['AuditFailed']);
    const [failed] = events;
    assert.equal(failed.reason, 'InvalidReceipt');
    assert.equal(failed.challengeId, issued.challengeId);
    assert.equal(failed.failures, 2);
    assert.equal(failed.power, 0);
    // Answered after the missed chain audit was recorded (and slashed), within its own deadline.
    assert.ok(p3.signedAudit.answeredAt >= p3.chainAudit.settledAt);
    assert.ok(p3.signedAudit.answeredAt <= issued.deadline);
    assert.equal(p3.failures, 2);
  });

  test('the read path previews rewards and penalties', () => {
    assert.ok(run.estimate.power > 0);
    assert.ok(run.penaltyPreview.projectedPower >= run.estimate.power);
    assert.ok(run.penaltyPreview.powerIfAuditFailed < run.penaltyPreview.projectedPower);
    assert.equal(run.eraRpc.closed, true);
    assert.equal(run.eraRpc.reports, 3);
    const pending = run.providers.provider1.pending;
    assert.equal(pending.length, 1);
    assert.equal(pending[0].era, run.era);
    assert.equal(pending[0].claimable, true);
  });

  test('rewards are floor(power × emission / total) and rewards + dust = emission exactly', () => {
    const { emission, totalPower } = run.eraClosed;
    assert.equal(totalPower, run.providers.provider1.power + run.providers.provider2.power);
    for (const role of ['provider1', 'provider2', 'provider3']) {
      const p = run.providers[role];
      assert.equal(p.reward, (p.power * emission) / totalPower, role);
    }
    assert.equal(run.providers.provider3.reward, 0n);
    assert.ok(run.settled, 'the era settled after every claim');
    assert.equal(BigInt(run.settled.emission), emission);
    assert.equal(run.paid + run.dust, emission);
    // The order's part and the slash are in the era's emission.
    assert.ok(emission >= BigInt(run.order.perEra));
  });

  test('a storage order pays what was quoted, the current era at once and the next when it starts', () => {
    const { order, quote } = run;
    assert.equal(BigInt(order.perEra), BigInt(quote.perEra));
    assert.equal(BigInt(order.paid), BigInt(quote.total));
    assert.equal(BigInt(quote.total), BigInt(quote.perEra) * 3n);
    // The sealed object × 2 replicas at the genesis price of 0.1 MED per GiB and era, rounded up.
    const gib = 1n << 30n;
    assert.equal(BigInt(order.perEra), (BigInt(run.object.sizeBytes) * 2n * (MED / 10n) + gib - 1n) / gib);
    // Placed in the era before the flow's, for three eras.
    assert.equal(order.endEra, run.era + 2);
    const economics = run.economicsAfterOrder;
    assert.ok(BigInt(economics.orderRevenue) >= BigInt(order.perEra));
    assert.ok(BigInt(economics.prepaid) >= BigInt(order.perEra));
    assert.equal(BigInt(economics.pricePerGibEra), MED / 10n);
    // The next era received the order's second part and the published subsidy.
    assert.ok(BigInt(run.nextEraStarted.orderRevenue) >= BigInt(order.perEra));
    assert.equal(BigInt(run.nextEraStarted.minted), BigInt(economics.nextSubsidy));
    const listed = run.ordersOfBuyer.find((o) => o.id === order.orderId);
    assert.ok(listed, 'storagePower_ordersOf lists the order');
    assert.equal(listed.sizeBytes, run.object.sizeBytes);
    assert.equal(listed.replicas, 2);
    assert.equal(listed.contentId, run.object.contentId);
    assert.deepEqual(listed.holders.map(account), [run.providers.provider1.address, run.providers.provider2.address]);
  });

  test('a report for a closed era is rejected and changes nothing', () => {
    assert.deepEqual(run.lateReport.dispatchError, { section: 'storagePower', name: 'EraClosed' });
    assert.equal(run.lateReport.unchanged, true);
  });

  test('the pot holds the existential deposit plus exactly what it owes', async () => {
    const pot = api.createType('AccountId32', Buffer.concat([
      Buffer.from('modl'), Buffer.from('mc/stpow'), Buffer.alloc(20),
    ])).toString();
    const { data } = await api.query.system.account(pot);
    const liability = (await api.query.storagePower.potLiability()).toBigInt();
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    assert.equal(data.free.toBigInt(), ed + liability);
  });

  test('the storagePower_* answers have camelCase keys and balances as decimal strings', async () => {
    const provider = run.providers.provider1.address;
    const order = await storagePowerRpc.order(api, run.order.orderId);
    const answers = {
      storagePower_provider: await storagePowerRpc.provider(api, provider),
      storagePower_era: run.eraRpc,
      storagePower_estimateReward: run.estimate,
      storagePower_penaltyPreview: run.penaltyPreview,
      storagePower_pendingRewards: run.providers.provider1.pending,
      storagePower_order: order,
      storagePower_ordersOfContent: await storagePowerRpc.ordersOfContent(api, order.contentId, order.owner),
      storagePower_openOrders: await storagePowerRpc.openOrders(api, 0, 10),
      storagePower_ordersOf: run.ordersOfBuyer,
      storagePower_quote: run.quote,
      storagePower_economics: run.economicsAfterOrder,
      storagePower_replicasOf: await storagePowerRpc.replicasOf(api, provider),
    };
    assertJsonConventions(answers);
  });

  test('the script printed power, share and reward per provider', () => {
    for (const role of ['provider1', 'provider2', 'provider3']) {
      assert.ok(lines.some((l) => l.startsWith(`${role}: power`) && l.includes('share') && l.includes('reward')), role);
    }
    assert.ok(lines.some((l) => l.startsWith('checks passed')));
  });
});
