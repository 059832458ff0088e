// Replicas and the chain's audits of their bytes, end to end, against a running medchain-node:
//
//   node scripts/storage-replica-flow.mjs [--ws ws://127.0.0.1:9944]
//
// A buyer seals an object (scripts/lib/seal.mjs) and orders two replicas of it. Providers 1 and 2
// take them. Each era the chain draws every replica for an audit at a block nobody picks, and a
// segment of the object from the parent block hash. Provider 1 answers as its vault does: the
// segment and its Merkle path against the order's content id (storagePower_replicasOf says which).
// Provider 2 has lost the object and stays silent: the block after its deadline slashes its stake
// and ends its replica, and provider 3 takes the freed place. Provider 3 then answers its audit
// with a forged segment: a wrong answer costs the same. `runStorageReplicaFlow` is what
// tests/e2e/storage-replicas.test.mjs runs; it returns everything it observed.
import { u8aToHex } from '@polkadot/util';
import { MED, submit, createFundedAccounts } from './lib/chain.mjs';
import {
  FlowError, expectEvent, succeeded, remark, shortAddress, runFlowCli, normAccount,
} from './lib/flow.mjs';
import { answerReplicaAudits } from './lib/replicas.mjs';
import { seal } from './lib/seal.mjs';
import { storagePowerRpc } from './lib/storage-power.mjs';

const SECTION = 'storagePower';
/** Plaintext bytes of the buyer's record: a few segments of sealed object. */
const CONTENT_LEN = 5000;

/**
 * Runs the flow. `accounts` must hold `alice` (funder and block filler); `log(line)` prints
 * progress. Returns what happened for tests to assert on.
 */
export async function runStorageReplicaFlow(api, accounts, log = console.log) {
  const { alice } = accounts;
  const eraLength = api.consts.storagePower.eraLength.toNumber();
  const roles = ['provider1', 'provider2', 'provider3', 'buyer'];
  const { tag, pairs } = await createFundedAccounts(api, alice, roles, 2_000n * MED, { base: '//Alice', label: 'replicas' });
  const out = { tag, audits: [] };
  const stake = async (role) => (await storagePowerRpc.provider(api, pairs[role].address))?.stake;

  for (const role of ['provider1', 'provider2', 'provider3']) {
    succeeded(await submit(api, api.tx.storagePower.registerProvider(1024, u8aToHex(new Uint8Array(32).fill(7))), pairs[role]), `register ${role}`);
  }
  const content = new TextEncoder().encode(`record of ${tag} `.repeat(CONTENT_LEN / 16).slice(0, CONTENT_LEN));
  const { object, contentId } = seal(content);
  out.object = { size: object.length, contentId: u8aToHex(contentId) };
  const placed = succeeded(await submit(api, api.tx.storagePower.placeOrder(out.object.contentId, object.length, 2, 3), pairs.buyer), 'place order');
  const orderId = Number(expectEvent(placed, SECTION, 'OrderPlaced', 'place order').orderId);
  out.orderId = orderId;
  log(`buyer ${shortAddress(pairs.buyer.address)} sealed ${content.length} bytes into ${object.length} and ordered 2 replicas (order ${orderId})`);

  for (const role of ['provider1', 'provider2']) {
    const result = succeeded(await submit(api, api.tx.storagePower.takeReplica(orderId), pairs[role]), `${role} takes a replica`);
    expectEvent(result, SECTION, 'ReplicaTaken', `${role} takes a replica`);
  }
  out.holdersAfterTake = (await storagePowerRpc.order(api, orderId)).holders;
  // A second order of the same object: provider 1 already stores its bytes, which would then be
  // audited and paid twice; the chain refuses, and provider 3 may take it.
  const again = succeeded(await submit(api, api.tx.storagePower.placeOrder(out.object.contentId, object.length, 1, 1), pairs.buyer), 'place a second order of the object');
  const secondOrderId = Number(expectEvent(again, SECTION, 'OrderPlaced', 'place a second order of the object').orderId);
  out.ordersOfContent = (await storagePowerRpc.ordersOfContent(api, out.object.contentId, pairs.buyer.address)).map((o) => o.id);
  out.secondTakeRefused = (await submit(api, api.tx.storagePower.takeReplica(secondOrderId), pairs.provider1)).dispatchError;
  log(`provider 1 may not take order ${secondOrderId} of the same object: ${out.secondTakeRefused?.name}`);
  succeeded(await submit(api, api.tx.storagePower.cancelOrder(secondOrderId), pairs.buyer), 'cancel the second order');
  out.replicasOfProvider1 = await storagePowerRpc.replicasOf(api, pairs.provider1.address);
  out.stakeBefore = { provider2: await stake('provider2'), provider3: await stake('provider3') };
  log(`providers 1 and 2 took the replicas: holders ${out.holdersAfterTake.map(shortAddress).join(', ')}`);

  // Blocks go by; provider 1 answers every audit of its replica; provider 2 never does.
  const objects = new Map([[out.object.contentId, object]]);
  const answerAudits = async (role, forge) => {
    for (const answer of await answerReplicaAudits(api, pairs[role], objects, { forge })) {
      out.audits.push({ role, forged: forge, ...answer });
      log(`${role} answered the audit of segment ${answer.segment} (deadline block ${answer.deadline})`
        + `${forge ? ' with a forged segment' : ''}: ${answer.events.map((e) => e.name).join(', ')}`);
    }
  };
  const holders = async () => (await storagePowerRpc.order(api, orderId)).holders.map((a) => normAccount(api, a));
  const ended = async (role) => !(await holders()).includes(normAccount(api, pairs[role].address));
  for (let i = 0; i < 2 * eraLength && !(await ended('provider2')); i++) {
    await remark(api, alice);
    await answerAudits('provider1', false);
  }
  if (!(await ended('provider2'))) throw new FlowError('provider 2 was never audited');
  out.stakeAfterMiss = { provider2: await stake('provider2') };
  log(`provider 2 missed its audit: stake ${out.stakeBefore.provider2} → ${out.stakeAfterMiss.provider2}, replica ended`);

  succeeded(await submit(api, api.tx.storagePower.takeReplica(orderId), pairs.provider3), 'provider3 takes the freed replica');
  out.holdersAfterReplacement = (await storagePowerRpc.order(api, orderId)).holders;
  log(`provider 3 took the freed place: holders ${out.holdersAfterReplacement.map(shortAddress).join(', ')}`);

  for (let i = 0; i < 2 * eraLength && !(await ended('provider3')); i++) {
    await remark(api, alice);
    await answerAudits('provider1', false);
    await answerAudits('provider3', true);
  }
  if (!(await ended('provider3'))) throw new FlowError('provider 3 was never audited');
  const passed = () => out.audits.some((a) => a.role === 'provider1');
  for (let i = 0; i < 2 * eraLength && !passed(); i++) {
    await remark(api, alice);
    await answerAudits('provider1', false);
  }
  if (!passed()) throw new FlowError('provider 1 was never audited');
  out.stakeAfterForgery = { provider3: await stake('provider3') };
  out.holdersAtEnd = (await storagePowerRpc.order(api, orderId)).holders;
  out.addresses = Object.fromEntries(roles.map((role) => [role, pairs[role].address]));
  log(`provider 3 forged a segment: stake ${out.stakeBefore.provider3} → ${out.stakeAfterForgery.provider3}, replica ended; `
    + `provider 1 passed ${out.audits.filter((a) => a.role === 'provider1').length} audits and still holds its replica`);
  return out;
}

runFlowCli(import.meta.url, {
  script: 'storage-replica-flow', run: runStorageReplicaFlow, style: 'brief', pallet: { section: SECTION, name: 'StoragePower' },
  label: 'storage replica flow',
});
