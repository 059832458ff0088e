// Storage power earned by audited bytes, with real processes: a dev node and two vaults, each run
// for a storage provider (`--provider-key`). A patient seals a record, uploads it to both vaults
// and orders two replicas; both providers take one. Blocks go by and each vault answers the
// chain's audit of its replica by itself. Then the second vault's blob is deleted behind its back:
// at its next audit it has nothing to show, the chain settles the audit as missed, slashes the
// provider and ends the replica, and a third provider takes the freed place. The era's reward
// split follows the audited bytes, and a provider claims.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_PHRASE } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { MED, connect, createFundedAccounts, devAccounts, startNode, submit, rpcCall, bestNumber } from '../../scripts/lib/chain.mjs';
import { normAccount, palletEvents, remark } from '../../scripts/lib/flow.mjs';
import { seal } from '../../scripts/lib/seal.mjs';
import { chunkLeaf } from '../../scripts/storage-power-flow.mjs';
import { VaultClient, startVault } from '../../scripts/lib/vault.mjs';
import { stopCleanly } from './support.mjs';

const ROLES = ['provider1', 'provider2', 'provider3', 'patient'];
const VAULT_ROLES = ['provider1', 'provider2'];

let node;
let api;
let keyDir;
const vaults = {};
let pairs;
let alice;

before(async () => {
  node = await startNode(['--dev', '--sealing', 'instant']);
  ({ api } = await connect(node.wsUrl));
  ({ alice } = await devAccounts());
  const funded = await createFundedAccounts(api, alice, ROLES, 2_000n * MED, { label: 'vault-duties' });
  pairs = funded.pairs;
  keyDir = mkdtempSync(join(tmpdir(), 'medchain-provider-keys-'));
  for (const role of VAULT_ROLES) {
    const keyFile = join(keyDir, role);
    writeFileSync(keyFile, `${DEV_PHRASE}${funded.uris[role]}\n`, { mode: 0o600 });
    vaults[role] = await startVault({ node: node.wsUrl, extraArgs: ['--provider-key', keyFile, '--duty-interval', '1'] });
  }
});

after(async () => {
  for (const vault of Object.values(vaults)) {
    const { code } = await vault.stop();
    assert.equal(code, 0, `vault exit code; log:\n${vault.output().slice(-2000)}`);
  }
  rmSync(keyDir, { recursive: true, force: true });
  await stopCleanly(node, api);
});

async function succeed(tx, signer) {
  const result = await submit(api, tx, signer);
  assert.equal(result.dispatchError, null, JSON.stringify(result.dispatchError));
  return result;
}

const holders = async (orderId) => (await rpcCall(api, 'storagePower_order', [orderId])).holders.map((a) => normAccount(api, a));
const provider = (role) => rpcCall(api, 'storagePower_provider', [pairs[role].address]);

/** Every storagePower event of the chain so far, read block by block as blocks come. */
const seen = { events: [], next: 1 };
async function powerEvents() {
  for (const best = await bestNumber(api); seen.next <= best; seen.next += 1) {
    const hash = await api.rpc.chain.getBlockHash(seen.next);
    const events = palletEvents(await (await api.at(hash)).query.system.events(), 'storagePower');
    seen.events.push(...events.map((e) => ({ ...e, block: seen.next })));
  }
  return seen.events;
}

/** One more block, then time for the vaults' duty rounds (every second) to see it. */
async function nextBlock() {
  await remark(api, alice);
  await new Promise((r) => setTimeout(r, 800));
}

/** Produces blocks until `done()` holds (checked before each), at most `limit` blocks. */
async function blocksUntil(done, limit, what) {
  for (let i = 0; i < limit; i++) {
    if (await done()) return;
    await nextBlock();
  }
  assert.fail(`${what} did not happen within ${limit} blocks`);
}

const eventOf = (name, role, from = 0) => async () => (await powerEvents())
  .find((e) => e.block >= from && e.name === name && normAccount(api, e.provider) === pairs[role].address);

test('vaults answer their providers\' audits; a deleted blob is a missed audit, a slash and a re-replication', async () => {
  const eraLength = api.consts.storagePower.eraLength.toNumber();
  for (const role of ['provider1', 'provider2', 'provider3']) {
    await succeed(api.tx.storagePower.registerProvider(1024, u8aToHex(new Uint8Array(32).fill(3))), pairs[role]);
  }
  // The patient seals a record, keeps it in both vaults and orders two replicas for three eras.
  const sealed = seal(new TextEncoder().encode('Discharge letter. '.repeat(400)));
  const contentId = u8aToHex(sealed.contentId);
  for (const role of VAULT_ROLES) {
    assert.equal(await new VaultClient(vaults[role].url, pairs.patient).put(sealed.contentId, sealed.object), true);
  }
  const placed = await succeed(api.tx.storagePower.placeOrder(contentId, sealed.object.length, 2, 3), pairs.patient);
  const orderId = Number(palletEvents(placed.events, 'storagePower').find((e) => e.name === 'OrderPlaced').orderId);
  const start = await bestNumber(api);
  for (const role of VAULT_ROLES) await succeed(api.tx.storagePower.takeReplica(orderId), pairs[role]);
  assert.deepEqual(await holders(orderId), VAULT_ROLES.map((role) => pairs[role].address));

  // Each vault answers the chain's audit of its replica without anyone asking it.
  const passed = (role) => eventOf('ReplicaAuditPassed', role, start);
  await blocksUntil(async () => (await passed('provider1')()) && (await passed('provider2')()), 2 * eraLength, 'both audits passed');
  for (const role of VAULT_ROLES) {
    assert.equal(BigInt((await passed(role)()).auditedBytes), BigInt(sealed.object.length), role);
  }

  // The second vault loses the blob behind its back: its next audit cannot be answered.
  rmSync(join(vaults.provider2.dataDir, 'objects', contentId.slice(2)));
  const stakeBefore = BigInt((await provider('provider2')).stake);
  const lostAt = await bestNumber(api);
  await blocksUntil(async () => !(await holders(orderId)).includes(pairs.provider2.address), 3 * eraLength, 'the missed audit');
  const failed = await eventOf('ReplicaAuditFailed', 'provider2', lostAt)();
  assert.ok(failed, 'the chain recorded the missed audit');
  assert.equal(failed.reason, 'Missed');
  const stakeAfter = BigInt((await provider('provider2')).stake);
  assert.equal(stakeAfter, stakeBefore - stakeBefore / 10n, '10% of the stake slashed');
  assert.match(vaults.provider2.output(), /not in this vault/);
  // The first vault kept answering: it still holds its replica.
  assert.ok((await holders(orderId)).includes(pairs.provider1.address));

  // The freed place is taken by the third provider: the order has two replicas again.
  await succeed(api.tx.storagePower.takeReplica(orderId), pairs.provider3);
  assert.deepEqual(await holders(orderId), [pairs.provider1.address, pairs.provider3.address]);
});

test('the era reward follows the audited bytes, and the provider claims it', async () => {
  const eraLength = api.consts.storagePower.eraLength.toNumber();
  const interval = api.consts.storagePower.heartbeatInterval.toNumber();
  // Provider 1 reports at the start of a fresh era (a one-receipt tree) and its vault proves its
  // replica in the era; it answers the chain's audit of its report and sends every heartbeat.
  const era = Math.floor(((await bestNumber(api)) + 1) / eraLength) + 1;
  while ((await bestNumber(api)) + 1 < era * eraLength + 1) await nextBlock();
  const receipt = new TextEncoder().encode('receipt: patient read 7,300 bytes');
  await succeed(api.tx.storagePower.submitReport(era, 0, 0, 0, u8aToHex(chunkLeaf(receipt)), 1), pairs.provider1);
  let reportAudited = false;
  const answerReportAudit = async () => {
    for (const [key, value] of await api.query.storagePower.challenges.entries()) {
      const challenge = value.unwrap();
      if (challenge.provider.toString() === pairs.provider1.address && challenge.era.toNumber() === era) {
        await succeed(api.tx.storagePower.respondChallenge(key.args[0].toNumber(), u8aToHex(receipt), []), pairs.provider1);
        reportAudited = true;
      }
    }
  };
  for (let slot = 0; slot < eraLength / interval; slot++) {
    while ((await bestNumber(api)) + 1 < era * eraLength + slot * interval + 1) {
      await nextBlock();
      await answerReportAudit();
    }
    await succeed(api.tx.storagePower.heartbeat(), pairs.provider1);
    await answerReportAudit();
  }
  assert.ok(reportAudited, 'the chain audited the report');
  const view = await provider('provider1');
  assert.ok(BigInt(view.auditedBytes) > 0n, 'its vault proved the replica this era');
  const params = await api.query.storagePower.parameters();
  const expected = (params.alpha.toBigInt() * BigInt(view.auditedBytes)) / (1n << 30n);
  assert.equal(BigInt(view.power), expected, 'power = alpha × audited bytes / GiB at full uptime');
  while ((await bestNumber(api)) + 1 < (era + 1) * eraLength + 1) await nextBlock();
  const info = await rpcCall(api, 'storagePower_era', [era]);
  const claimed = await succeed(api.tx.storagePower.claimRewards(1), pairs.provider1);
  const reward = palletEvents(claimed.events, 'storagePower').find((e) => e.name === 'RewardClaimed');
  assert.equal(BigInt(reward.reward), (BigInt(view.power) * BigInt(info.emission)) / BigInt(info.totalPower));
  assert.ok(BigInt(reward.reward) > 0n);
});
