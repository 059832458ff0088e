// Storage power earned by audited bytes, with real processes: a dev node and three vaults, each run
// for a storage provider (`--provider-key`). A patient seals a record, uploads it to two vaults
// and orders two replicas: those vaults take them by themselves. Blocks go by and each vault
// answers the chain's audit of its replica by itself. Then the second vault's blob is deleted
// behind its back: at its next audit it has nothing to show, the chain settles the audit as
// missed, slashes the provider and ends the replica, and the third vault, which holds the object
// too, takes the freed place by itself. The first and third vaults also send their providers'
// heartbeats and reports; a read the patient made from the first vault in the era before is that
// vault's receipt of bytes served: its report commits it, the chain audits the report and the vault
// answers with the receipt. The era's reward split follows the audited bytes, and the providers
// claim. Last, the patient's erasure is refused by the vaults holding replicas until the patient
// cancels the order.
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
import { VaultClient, startVault } from '../../scripts/lib/vault.mjs';
import { stopCleanly } from './support.mjs';

const ROLES = ['provider1', 'provider2', 'provider3', 'patient'];
const PROVIDERS = ['provider1', 'provider2', 'provider3'];
// The vaults of providers 1 and 3 do every duty; provider 2's, whose blob is deleted, only audits
// and replicas.
const DUTIES = { provider1: [], provider2: ['--duties', 'audits,replicas'], provider3: [] };
// An instant-seal chain's clock runs ahead of the wall clock (each block takes the next 6 s slot),
// and a read counts in the era its signed time falls in by the chain's clock: the patient signs
// her read at the chain's time, which the vaults accept within a day of theirs.
const CLOCK_SKEW = ['--max-clock-skew', String(24 * 3600)];
// The providers holding the patient's replica after the first test: they earn the rewarded era.
const EARNERS = ['provider1', 'provider3'];

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
  for (const role of PROVIDERS) {
    const keyFile = join(keyDir, role);
    writeFileSync(keyFile, `${DEV_PHRASE}${funded.uris[role]}\n`, { mode: 0o600 });
    vaults[role] = await startVault({
      node: node.wsUrl,
      extraArgs: ['--provider-key', keyFile, '--duty-interval', '1', ...CLOCK_SKEW, ...DUTIES[role]],
    });
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

const holders = async (orderId) => (await rpcCall(api, 'storagePower_order', [orderId])).holders.map((a) => normAccount(api, a)).sort();
const addresses = (...roles) => roles.map((role) => pairs[role].address).sort();
const provider = (role) => rpcCall(api, 'storagePower_provider', [pairs[role].address]);

/** Every storagePower event of the chain so far, read block by block as blocks come. */
const seen = { events: [], next: 1 };
/** The patient's sealed record and its storage order (the first test places it). */
let ordered;
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

/** Waits, producing no block, until `done()` holds (a vault's duty done), at most `ms`. */
async function until(done, ms, what) {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what} did not happen within ${ms} ms`);
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

test('vaults take replicas and answer their audits; a deleted blob is a missed audit, a slash and a re-replication by another vault', async () => {
  const eraLength = api.consts.storagePower.eraLength.toNumber();
  for (const role of PROVIDERS) {
    await succeed(api.tx.storagePower.registerProvider(1024, u8aToHex(new Uint8Array(32).fill(3))), pairs[role]);
  }
  // The patient seals a record, keeps it in two vaults and orders two replicas for ten eras.
  const sealed = seal(new TextEncoder().encode('Discharge letter. '.repeat(400)));
  const contentId = u8aToHex(sealed.contentId);
  const upload = async (role) => assert.equal(await new VaultClient(vaults[role].url, pairs.patient).put(sealed.contentId, sealed.object), true);
  await upload('provider1');
  await upload('provider2');
  const placed = await succeed(api.tx.storagePower.placeOrder(contentId, sealed.object.length, 2, 10), pairs.patient);
  const orderId = Number(palletEvents(placed.events, 'storagePower').find((e) => e.name === 'OrderPlaced').orderId);
  ordered = { sealed, orderId };
  const start = await bestNumber(api);
  // The two vaults holding the object find the open order and take its replicas by themselves.
  await until(async () => (await holders(orderId)).length === 2, 20_000, 'the vaults taking the replicas');
  assert.deepEqual(await holders(orderId), addresses('provider1', 'provider2'));
  assert.match(vaults.provider1.output(), /replica taken/);
  const open = await rpcCall(api, 'storagePower_openOrders', [0, 10]);
  assert.deepEqual(open.orders.map((o) => Number(o.id)), [], 'a full order is no longer open');

  // Each vault answers the chain's audit of its replica without anyone asking it.
  const passed = (role) => eventOf('ReplicaAuditPassed', role, start);
  await blocksUntil(async () => (await passed('provider1')()) && (await passed('provider2')()), 2 * eraLength, 'both audits passed');
  for (const role of ['provider1', 'provider2']) {
    assert.equal(BigInt((await passed(role)()).auditedBytes), BigInt(sealed.object.length), role);
  }

  // The third vault receives the object too; the order is full, so it takes nothing yet.
  await upload('provider3');
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

  // The freed place is taken by the third vault by itself: the order has two replicas again. The
  // second vault, whose bytes are gone, does not take it back (it checks the bytes first).
  await until(async () => (await holders(orderId)).includes(pairs.provider3.address), 20_000, 'the re-replication');
  assert.deepEqual(await holders(orderId), addresses('provider1', 'provider3'));
});

test('each vault reports its era by itself, with the reads it served; the era reward splits by audited bytes, and the providers claim', async (t) => {
  const eraLength = api.consts.storagePower.eraLength.toNumber();
  const interval = api.consts.storagePower.heartbeatInterval.toNumber();
  // In the era before a fresh one (once it has started), the patient reads her record back from
  // the first vault: a GET she signed for provider 1's vault, its receipt of bytes served.
  const era = Math.floor(((await bestNumber(api)) + 1) / eraLength) + 1;
  while ((await bestNumber(api)) < (era - 1) * eraLength) await nextBlock();
  const { sealed } = ordered;
  const chainTime = (await api.query.timestamp.now()).toNumber();
  const reader = new VaultClient(vaults.provider1.url, pairs.patient, { clock: () => chainTime });
  assert.deepEqual(await reader.get(sealed.contentId), sealed.object);
  // The fresh era. Nobody submits for the providers: their vaults report the era, prove their
  // replicas, answer the chain's audit of the report and send every heartbeat.
  const reportedFrom = (await bestNumber(api)) + 1;
  while ((await bestNumber(api)) + 1 < era * eraLength + 1) await nextBlock();
  for (const role of EARNERS) {
    await until(async () => (await provider(role)).power != null, 10_000, `${role}'s vault's report of era ${era}`);
    assert.match(vaults[role].output(), /report sent/);
  }
  const reportOf = async (role) => (await api.query.storagePower.reports(pairs[role].address, era)).unwrap();
  const served = await reportOf('provider1');
  assert.equal(served.leafCount.toNumber(), 1, 'the read is the one receipt of provider 1\'s report');
  assert.equal(served.bytesServed.toBigInt(), BigInt(sealed.object.length));
  const idle = await reportOf('provider3');
  assert.equal(idle.leafCount.toNumber(), 0, 'a report without receipts commits no tree');
  assert.equal(idle.bytesServed.toBigInt(), 0n);
  // The chain audits the report with receipts by itself; the vault answers with the patient's
  // signed read, which the chain checks.
  await blocksUntil(eventOf('ChallengePassed', 'provider1', reportedFrom), eraLength / 2, 'the vault answering the audit of its report');
  assert.equal(await eventOf('AuditFailed', 'provider1', reportedFrom)(), undefined, 'no failed audit');
  assert.match(vaults.provider1.output(), /report challenge answered/);
  t.diagnostic(`era ${era}: provider1 reported ${served.bytesServed} bytes served under ${served.leafCount} reader-signed receipt(s); the chain's audit of it passed`);
  const heartbeats = async (role) => (await provider(role)).heartbeats;
  for (let slot = 0; slot < eraLength / interval; slot++) {
    while ((await bestNumber(api)) + 1 < era * eraLength + slot * interval + 1) await nextBlock();
    // Each vault sends the slot's heartbeat by itself (its transaction makes the next block).
    for (const role of EARNERS) {
      await until(async () => (await heartbeats(role)) > slot, 10_000, `${role}'s vault's heartbeat of slot ${slot}`);
    }
  }
  const views = Object.fromEntries(await Promise.all(PROVIDERS.map(async (role) => [role, await provider(role)])));
  const params = await api.query.storagePower.parameters();
  for (const role of EARNERS) {
    const view = views[role];
    assert.ok(BigInt(view.auditedBytes) > 0n, `${role}'s vault proved its replica this era`);
    const expected = (params.alpha.toBigInt() * BigInt(view.auditedBytes)) / (1n << 30n);
    assert.equal(BigInt(view.power), expected, `${role}: power = alpha × audited bytes / GiB at full uptime`);
  }
  assert.equal(views.provider2.power, null, 'provider 2 reports nothing: its vault has no reports duty');
  while ((await bestNumber(api)) + 1 < (era + 1) * eraLength + 1) await nextBlock();
  const info = await rpcCall(api, 'storagePower_era', [era]);
  assert.equal(BigInt(info.totalPower), EARNERS.reduce((sum, role) => sum + BigInt(views[role].power), 0n));
  // The era's table, as the closing note shows it: only a provider with a report has power.
  t.diagnostic(`era ${era}: emission ${info.emission}, total power ${info.totalPower}`);
  const shareOf = (power) => (BigInt(power) * BigInt(info.emission)) / BigInt(info.totalPower);
  for (const role of PROVIDERS) {
    const { auditedBytes, power, heartbeats: beats, replicaAuditsPassed, replicaAuditsFailed } = views[role];
    t.diagnostic(`${role}: audited bytes ${auditedBytes}, replica audits ${replicaAuditsPassed} passed / ${replicaAuditsFailed} failed, heartbeats ${beats}, power ${power ?? 'no report'}, reward ${power == null ? 0n : shareOf(power)}`);
  }
  // Each vault reported every era since its provider registered: claim them all, this one among.
  const maxEras = api.consts.storagePower.maxUnclaimedEras.toNumber();
  for (const role of EARNERS) {
    const claimed = await succeed(api.tx.storagePower.claimRewards(maxEras), pairs[role]);
    const reward = palletEvents(claimed.events, 'storagePower').find((e) => e.name === 'RewardClaimed' && Number(e.era) === era);
    assert.ok(reward, `${role} claimed era ${era}`);
    assert.equal(BigInt(reward.reward), shareOf(views[role].power), role);
    assert.ok(BigInt(reward.reward) > 0n, role);
  }
});

test('an object held as a replica is erased only after its owner cancels the order', async () => {
  const { sealed, orderId } = ordered;
  const patientAt = (role) => new VaultClient(vaults[role].url, pairs.patient);
  // Erasing it now would make the holders miss their next audits and be slashed: refused.
  for (const role of ['provider1', 'provider3']) {
    await assert.rejects(patientAt(role).erase(sealed.contentId), (e) => e.status === 409 && e.reason === 'replica-held', role);
  }
  assert.deepEqual(await patientAt('provider1').get(sealed.contentId), sealed.object);
  // The patient cancels the order: its replicas end and the eras after this one come back.
  const cancelled = await succeed(api.tx.storagePower.cancelOrder(orderId), pairs.patient);
  const events = palletEvents(cancelled.events, 'storagePower');
  const cancel = events.find((e) => e.name === 'OrderCancelled');
  assert.ok(BigInt(cancel.refunded) > 0n, 'the future eras were refunded');
  assert.deepEqual(events.filter((e) => e.name === 'ReplicaEnded').map((e) => normAccount(api, e.provider)).sort(),
    addresses('provider1', 'provider3'));
  assert.equal(await rpcCall(api, 'storagePower_order', [orderId]), null);
  // Once each vault's duties see the replica gone, the erasure goes through.
  for (const role of ['provider1', 'provider3']) {
    await until(async () => {
      try {
        await patientAt(role).erase(sealed.contentId);
        return true;
      } catch (error) {
        if (error.reason !== 'replica-held') throw error;
        return false;
      }
    }, 10_000, `the erasure at ${role}'s vault`);
    await assert.rejects(patientAt(role).get(sealed.contentId), (e) => e.status === 410);
  }
});
