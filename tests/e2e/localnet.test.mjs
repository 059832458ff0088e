// Faults on a real three-validator network: Alice, Bob and Charlie from the `local` chain spec as
// separate medchain-node processes on loopback (scripts/lib/localnet.mjs, the same code as
// `scripts/localnet`), killed, stopped and restarted from their base paths.
//
// What GRANDPA can do with three validators. finality-grandpa 0.16 (voter_set.rs) needs
// `threshold = n − ⌊(n − 1) / 3⌋` of the voter weight for a supermajority: with n = 3 equal
// weights that is 3 − ⌊2 / 3⌋ = 3, i.e. all three votes. A network of three tolerates no faulty
// voter (3f + 1 ≤ n gives f = 0); the first n that survives one is 4 (threshold 3 of 4). So this
// suite asserts what really happens: with one validator down the other two keep authoring (Aura
// needs no quorum) but finalize nothing new, and finality resumes — catching up on every block
// built meanwhile — once all three run again. "Finality continues with 2 of 3" would need a
// fourth validator in the `local` preset.
//
// And a validator left alone does not author either: sc-consensus-slots 0.59 (lib.rs, `on_slot`)
// skips every slot while the node has no peers and there is more than one authority, unless it
// runs with `--force-authoring`. So with two of three stopped the last one serves RPC and pools
// transactions, but its best head stands still until a peer returns.
//
// Time-boxed (about 3 minutes; every wait has a timeout) and every node is stopped in `after`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { connect, devAccounts, submit, waitForHead, rpcCall } from '../../scripts/lib/chain.mjs';
import { councilMotion } from '../../scripts/lib/governance.mjs';
import { createLocalnet, VALIDATORS } from '../../scripts/lib/localnet.mjs';
import { randomGln } from '../../scripts/lib/drug-codes.mjs';
import { sleep, stopLocalnetCleanly, until } from './support.mjs';

const MED = 10n ** 12n;
const SLOT_MS = 6_000;
const seconds = (ms) => (ms / 1000).toFixed(1);

/** `promise`, or a rejection after `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('local network of three validators under faults', () => {
  let net;
  let accounts;
  /** Per running node: `{ api, best: [...], finalized: [...] }` (heads as the node announced them). */
  const conn = {};
  /** What the run measured, printed at the end. */
  const figures = [];
  let t0;

  async function attach(name) {
    const { api } = await connect(net.nodes[name].wsUrl);
    const entry = { api, best: [], finalized: [] };
    const record = (list) => (h) => list.push({
      t: Date.now(), number: h.number.toNumber(), hash: h.hash.toHex(), stateRoot: h.stateRoot.toHex(),
    });
    await api.rpc.chain.subscribeNewHeads(record(entry.best));
    await api.rpc.chain.subscribeFinalizedHeads(record(entry.finalized));
    conn[name] = entry;
    return entry;
  }

  async function detach(name) {
    await conn[name]?.api.disconnect();
    delete conn[name];
  }

  const api = (name) => conn[name].api;
  const bestOf = async (name) => (await api(name).rpc.chain.getHeader()).number.toNumber();
  async function finalizedOf(name) {
    const hash = await api(name).rpc.chain.getFinalizedHead();
    const header = await api(name).rpc.chain.getHeader(hash);
    return { number: header.number.toNumber(), hash: hash.toHex(), stateRoot: header.stateRoot.toHex() };
  }
  const canonicalHash = async (name, number) => (await api(name).rpc.chain.getBlockHash(number)).toHex();

  /** The Aura slot of block `hash` from its pre-runtime digest. */
  async function auraSlot(name, hash) {
    const header = await api(name).rpc.chain.getHeader(hash);
    const pre = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
    return api(name).createType('u64', pre.asPreRuntime[1]).toNumber();
  }

  /**
   * `name`'s place among the Aura authorities (sorted by account, as the validator set is): it
   * authors the slots with `slot % count == place`. The `local` preset gives each validator its
   * dev sr25519 key for Aura.
   */
  async function auraPlace(name) {
    const authorities = (await api('alice').query.aura.authorities()).map((key) => key.toHex());
    const place = authorities.indexOf(u8aToHex(accounts[name].publicKey));
    assert.ok(place >= 0, `${name} is an Aura authority`);
    return { place, count: authorities.length };
  }

  // The storage the transactions of `writes` changed, read raw (hex or null) at a block.
  let factKeys;
  const facts = (name, at) => Promise.all(factKeys.map((key) => rpcCall(api(name), 'state_getStorage', [key, at])));
  /** The pre-kill transactions: `{ label: { blockHash, number, extrinsic } }`. */
  const writes = {};
  let writesBlock;
  let writesFacts;

  before(async () => {
    accounts = await devAccounts();
    net = await createLocalnet();
    t0 = Date.now();
    await net.startAll();
    for (const name of VALIDATORS) await attach(name);
  });

  after(async () => {
    if (figures.length) console.log(`localnet figures:\n  ${figures.join('\n  ')}`);
    for (const name of Object.keys(conn)) await detach(name).catch(() => {});
    await stopLocalnetCleanly(net, VALIDATORS);
  });

  test('finality advances on all three validators', { timeout: 90_000 }, async () => {
    const heads = await Promise.all(VALIDATORS.map((name) => waitForHead(api(name), 'subscribeFinalizedHeads', 2, 80_000)));
    figures.push(`first finality (#2 on all three) ${seconds(Date.now() - t0)} s after starting the nodes`);
    // All three finalized the same chain and each sees the two others.
    const hashes = await Promise.all(VALIDATORS.map((name) => canonicalHash(name, 2)));
    assert.equal(new Set(hashes).size, 1, `block #2 differs: ${hashes}`);
    for (const [i, name] of VALIDATORS.entries()) {
      assert.ok(heads[i].number.toNumber() >= 2);
      assert.equal((await api(name).rpc.system.health()).peers.toNumber(), 2, `${name} peers`);
    }
  });

  test('transactions of six pallets are included and finalized on every node', { timeout: 60_000 }, async () => {
    const { alice, bob, charlie, dave, eve, ferdie } = accounts;
    const a = api('alice');
    const now = await bestOf('alice');
    const key = randomAsHex(32);
    const results = await Promise.all([
      // A council motion (Alice, Bob and Charlie; `local` has no sudo): EHR provider, drug
      // partner, mutual-aid reviewer.
      councilMotion(a, [alice, bob, charlie], a.tx.utility.batchAll([
        a.tx.ehr.registerProvider(charlie.address, 'Hospital', blake2AsHex('localnet hospital licence')),
        a.tx.drugProvenance.registerPartner(eve.address, 'Manufacturer', stringToU8a(randomGln()),
          blake2AsHex('localnet manufacturer licence'), now + 1_000_000),
        a.tx.mutualAid.addReviewer(dave.address),
      ])),
      submit(a, a.tx.balances.transferKeepAlive(ferdie.address, 123n * MED), eve),
      submit(a, a.tx.dnaWallet.registerKey(`0x01${key.slice(4)}`, 'X25519'), dave),
      // Bob and Charlie vote meanwhile: other accounts sign the rest, so no nonce is taken twice.
      submit(a, a.tx.storagePower.registerProvider(1024, blake2AsHex('localnet storage endpoint')), ferdie),
    ]);
    const labels = ['council motion (ehr, drugProvenance, mutualAid)', 'balances', 'dnaWallet', 'storagePower'];
    for (const [i, result] of results.entries()) {
      assert.equal(result.dispatchError, null, `${labels[i]}: ${JSON.stringify(result.dispatchError)}`);
      writes[labels[i]] = { blockHash: result.blockHash.toHex(), number: (await a.rpc.chain.getHeader(result.blockHash)).number.toNumber() };
    }
    factKeys = [
      a.query.system.account.key(ferdie.address),
      a.query.ehr.providers.key(charlie.address),
      a.query.drugProvenance.partners.key(eve.address),
      a.query.mutualAid.reviewers.key(),
      a.query.dnaWallet.keys.key(dave.address),
      a.query.storagePower.providers.key(ferdie.address),
    ];
    writesBlock = Math.max(...Object.values(writes).map((w) => w.number));
    await Promise.all(VALIDATORS.map((name) => waitForHead(api(name), 'subscribeFinalizedHeads', writesBlock, 40_000)));
    const atHash = await canonicalHash('alice', writesBlock);
    writesFacts = await facts('alice', atHash);
    for (const [i, value] of writesFacts.entries()) assert.ok(value && value !== '0x', `fact ${i} is stored`);
    assert.ok(!(await rpcCall(a, 'state_getStorage', [a.query.mutualAid.reviewers.key(), (await a.rpc.chain.getBlockHash(0)).toHex()])),
      'the local preset has no mutual-aid reviewers at genesis');
    for (const name of ['bob', 'charlie']) {
      for (const w of Object.values(writes)) assert.equal(await canonicalHash(name, w.number), w.blockHash, `${name} has the block`);
      assert.deepEqual(await facts(name, atHash), writesFacts, `${name} state at #${writesBlock}`);
    }
  });

  let stalled; // { bestAtKill, finalized, outageTx }
  test('kill -9 of Charlie: Alice and Bob keep authoring but finalize nothing new (3 of 3 votes needed)', { timeout: 60_000 }, async () => {
    const charlieBefore = { finalized: conn.charlie.finalized.at(-1), best: conn.charlie.best.at(-1) };
    await detach('charlie');
    const killedAt = Date.now();
    const { signal } = await net.kill('charlie');
    assert.equal(signal, 'SIGKILL');
    // Every block Charlie built is at most this high (read after it is gone).
    const bestAtKill = Math.max(await bestOf('alice'), await bestOf('bob'));
    // A transfer while Charlie is down: Alice or Bob includes it.
    const sent = submit(api('alice'), api('alice').tx.balances.transferKeepAlive(accounts.eve.address, 7n * MED), accounts.bob);
    // Votes Charlie cast before dying may still complete the round in flight: wait one slot.
    await sleep(SLOT_MS);
    const frozen = await finalizedOf('alice');
    const outageTx = await sent;
    assert.equal(outageTx.dispatchError, null);
    const outageNumber = (await api('alice').rpc.chain.getHeader(outageTx.blockHash)).number.toNumber();
    // At least three more slots: blocks go on (2 of 3 slots have an author), finality does not.
    await until('two blocks authored after the kill', async () => (await bestOf('alice')) >= bestAtKill + 2, 40_000);
    await sleep(Math.max(0, killedAt + 4 * SLOT_MS - Date.now()));
    // The new blocks are Alice's and Bob's: Charlie's slots stay empty.
    const charliePlace = await auraPlace('charlie');
    for (let n = bestAtKill + 1; n <= await bestOf('alice'); n += 1) {
      const slot = await auraSlot('alice', await canonicalHash('alice', n));
      assert.notEqual(slot % charliePlace.count, charliePlace.place, `block #${n} in Charlie's slot ${slot}`);
    }
    for (const name of ['alice', 'bob']) {
      const finalized = await finalizedOf(name);
      assert.ok(finalized.number <= bestAtKill, `${name} finalized #${finalized.number}, built after the kill at #${bestAtKill}`);
      assert.equal(finalized.hash, frozen.hash, `${name}'s finalized head moved while Charlie was down`);
      assert.ok((await bestOf(name)) >= bestAtKill + 2, `${name} kept importing blocks`);
    }
    assert.ok(frozen.number >= charlieBefore.finalized.number);
    stalled = { bestAtKill, finalized: frozen, outageTx: { blockHash: outageTx.blockHash.toHex(), number: outageNumber }, charlieBefore };
    figures.push(`kill -9 Charlie: in ${seconds(Date.now() - killedAt)} s Alice and Bob built #${bestAtKill + 1}..#${await bestOf('alice')}, finality stayed at #${frozen.number}`);
  });

  test('Charlie restarted from its base path catches up, never goes backwards and keeps every transaction', { timeout: 90_000 }, async () => {
    const networkBest = await bestOf('alice');
    const restartAt = Date.now();
    await net.start('charlie');
    const rpcAt = Date.now();
    const { api: c } = await attach('charlie');
    // Sample Charlie's best and finalized heads while it syncs.
    const samples = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [header, finalizedHash] = await Promise.all([c.rpc.chain.getHeader(), c.rpc.chain.getFinalizedHead()]);
        const finalizedNumber = (await c.rpc.chain.getHeader(finalizedHash)).number.toNumber();
        samples.push({ t: Date.now(), best: header.number.toNumber(), finalized: finalizedNumber });
        await sleep(100);
      }
    })();
    try {
      await until('the first sample', async () => samples.length > 0, 10_000, 20);
      const caughtUp = await until(`Charlie at the network's best #${networkBest}`,
        async () => samples.find((s) => s.best >= networkBest), 60_000, 50);
      // What Charlie found on disk (sync starts before RPC is served, so read it from the log).
      const onDisk = Number(/Highest known block at #(\d+)/.exec(net.nodes.charlie.instance.output())?.[1]);
      assert.ok(onDisk >= stalled.charlieBefore.finalized.number, `Charlie restarted at #${onDisk}, had finalized #${stalled.charlieBefore.finalized.number}`);
      const resumed = await until('finality beyond the stall on Alice',
        async () => conn.alice.finalized.find((h) => h.number > stalled.bestAtKill), 60_000, 50);
      await until(`Charlie finalizing the outage transfer (#${stalled.outageTx.number})`,
        async () => samples.find((s) => s.finalized >= stalled.outageTx.number), 30_000, 50);
      // Sync starts about when RPC is served (after loading the runtime); the catch-up time
      // after that is an upper bound (sampling every ~0.1 s after connecting).
      const blocks = networkBest - onDisk;
      const catchUpS = (caughtUp.t - restartAt) / 1000;
      const syncS = Math.max(0.1, (caughtUp.t - rpcAt) / 1000);
      figures.push(`Charlie restarted: best #${stalled.charlieBefore.best.number} before the kill, #${onDisk} on disk, ${blocks} blocks behind #${networkBest}; `
        + `start-up until RPC ${seconds(rpcAt - restartAt)} s, then at #${networkBest} within ${syncS.toFixed(1)} s `
        + `(catch-up ≥ ${(blocks / syncS).toFixed(1)} blocks/s; ${(blocks / catchUpS).toFixed(2)} blocks/s counting start-up)`);
      figures.push(`time to finality after restarting Charlie: ${seconds(resumed.t - restartAt)} s (Alice finalized #${resumed.number} past the stall at #${stalled.finalized.number})`);
    } finally {
      sampling = false;
      await sampler;
    }
    // Never backwards: neither across the crash nor while syncing.
    assert.ok(samples[0].finalized >= stalled.charlieBefore.finalized.number, 'finalized head after the crash is not older than before it');
    for (let i = 1; i < samples.length; i += 1) {
      assert.ok(samples[i].best >= samples[i - 1].best, `best went back: ${JSON.stringify(samples.slice(i - 1, i + 1))}`);
      assert.ok(samples[i].finalized >= samples[i - 1].finalized, `finalized went back: ${JSON.stringify(samples.slice(i - 1, i + 1))}`);
    }
    for (const list of [conn.charlie.best, conn.charlie.finalized]) {
      for (let i = 1; i < list.length; i += 1) assert.ok(list[i].number >= list[i - 1].number, 'announced heads went back');
    }
    // Every transaction of before the kill: its block is canonical, its state unchanged, its
    // effects still in the state at Charlie's head.
    for (const [label, w] of Object.entries(writes)) assert.equal(await canonicalHash('charlie', w.number), w.blockHash, label);
    assert.deepEqual(await facts('charlie', await canonicalHash('charlie', writesBlock)), writesFacts);
    const head = (await finalizedOf('charlie')).hash;
    const atHead = await facts('charlie', head);
    for (const [i, value] of atHead.entries()) assert.ok(value && value !== '0x', `fact ${i} still stored at Charlie's head`);
    assert.equal(atHead[0], writesFacts[0], "Ferdie's account is unchanged");
    assert.equal(await canonicalHash('charlie', stalled.outageTx.number), stalled.outageTx.blockHash, 'the outage transfer is in Charlie\'s chain');
  });

  let alone; // { best, finalized, pending (the transfer's submit promise) }
  test('with Bob and Charlie stopped, Alice serves RPC and keeps the transfer pending; no blocks, no finality', { timeout: 60_000 }, async () => {
    await detach('bob');
    await detach('charlie');
    const stops = await Promise.all([net.stop('bob'), net.stop('charlie')]);
    for (const { code } of stops) assert.equal(code, 0, 'clean exit');
    const stoppedAt = Date.now();
    const best = await bestOf('alice');
    const finalized = await finalizedOf('alice');
    const transfer = api('alice').tx.balances.transferKeepAlive(accounts.dave.address, 3n * MED);
    const pending = submit(api('alice'), transfer, accounts.eve);
    pending.catch(() => {}); // awaited in the next test
    // Wait until one of Alice's own slots (slot = unix ms / 6000; hers when slot % 3 is her place
    // among the authorities) has passed in full after the stop.
    const alicePlace = await auraPlace('alice');
    let aliceSlot = Math.ceil((stoppedAt + 500) / SLOT_MS);
    while (aliceSlot % alicePlace.count !== alicePlace.place) aliceSlot += 1;
    await sleep(Math.max(0, (aliceSlot + 1) * SLOT_MS + 1_500 - Date.now()));
    // sc-consensus-slots skips a slot when the node has no peers and there is more than one
    // authority ("Skipping proposal slot. Waiting for the network.", unless --force-authoring):
    // an isolated validator does not build a fork of its own. So the best head stays too.
    assert.equal(await bestOf('alice'), best, "Alice built a block alone in her slot");
    assert.equal((await finalizedOf('alice')).hash, finalized.hash, 'finalized head moved with one validator of three');
    // RPC works and nothing is corrupted: no peers, the transfer waits in the pool, every block
    // finalized before is still canonical with its state root, and old state is readable.
    const health = await api('alice').rpc.system.health();
    assert.equal(health.peers.toNumber(), 0);
    assert.equal(health.isSyncing.isTrue, false);
    const pool = (await api('alice').rpc.author.pendingExtrinsics()).map((x) => x.method.toHex());
    assert.ok(pool.includes(transfer.method.toHex()), 'the transfer is in the pool');
    for (const h of conn.alice.finalized) {
      assert.equal(await canonicalHash('alice', h.number), h.hash, `finalized #${h.number}`);
      assert.equal((await api('alice').rpc.chain.getHeader(h.hash)).stateRoot.toHex(), h.stateRoot, `state root of #${h.number}`);
    }
    assert.deepEqual(await facts('alice', await canonicalHash('alice', writesBlock)), writesFacts);
    assert.equal((await api('alice').query.system.account(accounts.ferdie.address)).data.free.toHex(),
      api('alice').createType('AccountInfo', writesFacts[0]).data.free.toHex());
    alone = { best, finalized, pending };
    figures.push(`Alice alone for ${seconds(Date.now() - stoppedAt)} s (incl. her slot ${aliceSlot}): best stayed #${best}, finality #${finalized.number}, RPC served, transfer pooled`);
  });

  let twoOfThree; // { txNumber }
  test('Bob back (2 of 3): blocks again, the pooled transfer included, still no finality', { timeout: 60_000 }, async () => {
    await net.start('bob');
    await attach('bob');
    const tx = await withTimeout(alone.pending, 40_000, 'the pooled transfer included');
    assert.equal(tx.dispatchError, null);
    const txNumber = (await api('alice').rpc.chain.getHeader(tx.blockHash)).number.toNumber();
    assert.ok(txNumber > alone.best, 'the transfer is in a new block');
    await until('Bob synced to the transfer', async () => (await bestOf('bob')) >= txNumber, 30_000);
    await sleep(SLOT_MS);
    for (const name of ['alice', 'bob']) {
      assert.equal((await finalizedOf(name)).hash, alone.finalized.hash, `${name}: finality resumed with 2 of 3`);
    }
    twoOfThree = { txNumber };
  });

  test('Charlie back too (3 of 3): finality restored up to the new blocks', { timeout: 60_000 }, async () => {
    const restartAt = Date.now();
    await net.start('charlie');
    await attach('charlie');
    const resumed = await until(`finality of the transfer's block #${twoOfThree.txNumber}`,
      async () => conn.alice.finalized.find((h) => h.number >= twoOfThree.txNumber), 50_000, 50);
    figures.push(`time to finality after restarting Charlie (Bob already back): ${seconds(resumed.t - restartAt)} s`);
    await Promise.all(VALIDATORS.map((name) => waitForHead(api(name), 'subscribeFinalizedHeads', twoOfThree.txNumber, 30_000)));
    const hashes = await Promise.all(VALIDATORS.map((name) => canonicalHash(name, twoOfThree.txNumber)));
    assert.equal(new Set(hashes).size, 1, 'all three finalized the same block');
  });

  // Up to the nodes' start timeout (createLocalnet: 240 s, three nodes compiling the runtime at
  // once on two cores) plus the minute finality has to resume.
  test('the whole network stopped and restarted from disk keeps the last finalized block and its state root', { timeout: 330_000 }, async () => {
    // The last finalized head each node announced before the stop (it may finalize more on the
    // way down; what it has on disk is then newer, never older).
    const lastSeen = Object.fromEntries(VALIDATORS.map((name) => [name, conn[name].finalized.at(-1)]));
    const rootsBefore = new Map(VALIDATORS.flatMap((name) => conn[name].finalized.map((h) => [h.hash, h.stateRoot])));
    for (const name of VALIDATORS) await detach(name);
    const results = await net.stopAll();
    for (const [name, { code }] of Object.entries(results)) assert.equal(code, 0, `${name} clean exit`);
    const last = Object.values(lastSeen).reduce((a, b) => (b.number > a.number ? b : a));
    const restartAt = Date.now();
    await net.startAll();
    for (const name of VALIDATORS) await attach(name);
    for (const name of VALIDATORS) {
      const onDisk = conn[name].finalized[0] ?? await finalizedOf(name);
      assert.ok(onDisk.number >= lastSeen[name].number, `${name} finalized #${onDisk.number} after restart, #${lastSeen[name].number} before`);
      if (rootsBefore.has(onDisk.hash)) assert.equal(onDisk.stateRoot, rootsBefore.get(onDisk.hash), `${name}: state root of #${onDisk.number}`);
      for (const other of VALIDATORS) {
        const header = await api(other).rpc.chain.getHeader(onDisk.hash);
        assert.equal(header.stateRoot.toHex(), onDisk.stateRoot, `${other} agrees on the state root of ${name}'s #${onDisk.number}`);
      }
      for (const seen of [lastSeen[name], last]) {
        assert.equal(await canonicalHash(name, seen.number), seen.hash, `${name}: #${seen.number} still canonical`);
        const header = await api(name).rpc.chain.getHeader(seen.hash);
        assert.equal(header.stateRoot.toHex(), seen.stateRoot, `${name}: state root of #${seen.number}`);
      }
      assert.deepEqual(await facts(name, await canonicalHash(name, writesBlock)), writesFacts, `${name}: state of #${writesBlock}`);
    }
    const resumed = await until(`finality past #${last.number} on all three`, async () => VALIDATORS.every(
      (name) => conn[name].finalized.some((h) => h.number > last.number),
    ), 60_000, 50);
    assert.ok(resumed);
    figures.push(`whole network restarted from disk: last finalized #${last.number} (state root ${last.stateRoot.slice(0, 12)}…) unchanged; `
      + `finality again ${seconds(Date.now() - restartAt)} s after the restart`);
  });
});
