// End-to-end test of replicas and their audits against the real medchain-node binary: the flow of
// scripts/storage-replica-flow.mjs on an instant-seal dev chain, with its outcomes asserted.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { normAccount } from '../../scripts/lib/flow.mjs';
import { stopCleanly, runFlowOnDevChain } from './support.mjs';
import { runStorageReplicaFlow } from '../../scripts/storage-replica-flow.mjs';

describe('storage replicas audited by the chain on an instant-seal dev chain', () => {
  let node;
  let api;
  let run;
  const lines = [];
  const accounts = (list) => list.map((value) => normAccount(api, value));

  before(async () => {
    ({ node, api, flow: run } = await runFlowOnDevChain(runStorageReplicaFlow, lines));
  });

  after(() => stopCleanly(node, api));

  test('two providers take the two replicas of a sealed object', () => {
    assert.deepEqual(accounts(run.holdersAfterTake), [run.addresses.provider1, run.addresses.provider2]);
    const [replica] = run.replicasOfProvider1;
    assert.equal(replica.orderId, run.orderId);
    assert.equal(replica.contentId, run.object.contentId);
    assert.equal(replica.sizeBytes, run.object.size);
  });

  test('a provider holds an object once: a second order of it is found by content id, and refused to the holder', () => {
    assert.equal(run.ordersOfContent.length, 2);
    assert.equal(run.ordersOfContent[0], run.orderId);
    assert.deepEqual(run.secondTakeRefused, { section: 'storagePower', name: 'ContentAlreadyHeld' });
  });

  test('the vault-like answers of provider 1 pass, with the segment the chain drew', () => {
    const honest = run.audits.filter((a) => a.role === 'provider1');
    assert.ok(honest.length >= 1, 'provider 1 was audited');
    for (const audit of honest) {
      assert.deepEqual(audit.events.map((e) => e.name), ['ReplicaAuditPassed']);
      assert.ok(audit.segment < Math.ceil(run.object.size / 1024));
    }
    assert.ok(accounts(run.holdersAtEnd).includes(run.addresses.provider1));
  });

  test('a missed audit slashes 10% of the stake and frees the place for another provider', () => {
    const before = BigInt(run.stakeBefore.provider2);
    assert.equal(BigInt(run.stakeAfterMiss.provider2), before - before / 10n);
    assert.deepEqual(accounts(run.holdersAfterReplacement), [run.addresses.provider1, run.addresses.provider3]);
  });

  test('a forged segment fails like a miss', () => {
    const forged = run.audits.filter((a) => a.role === 'provider3');
    assert.equal(forged.length, 1);
    assert.deepEqual(forged[0].events.map((e) => e.name), ['ReplicaAuditFailed', 'Slashed', 'ReplicaEnded']);
    assert.equal(forged[0].events[0].reason, 'WrongProof');
    const before = BigInt(run.stakeBefore.provider3);
    assert.equal(BigInt(run.stakeAfterForgery.provider3), before - before / 10n);
    assert.deepEqual(accounts(run.holdersAtEnd), [run.addresses.provider1]);
  });

  test('the script printed each step', () => {
    assert.ok(lines.some((l) => l.includes('missed its audit')));
    assert.ok(lines.some((l) => l.includes('forged a segment')));
  });
});
