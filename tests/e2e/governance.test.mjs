// The council runs the validator set, on real processes: a four-node `local` network (Alice, Bob
// and Charlie validate from genesis and form the council; Dave runs a node with no authority). A
// council motion adds Dave; two blocks later he authors blocks, and he votes in
// GRANDPA: once a second motion removes Charlie, the three validators left (Alice, Bob, Dave)
// need all three votes (threshold n − ⌊(n − 1) / 3⌋ = 3 of 3), so finality going on proves Dave's.
// Charlie, still running, authors nothing more. Finality never stops.
//
// Then the council registers an EHR provider and a drug partner, and upgrades the running network
// to this runtime one spec_version later (built before the nodes start, by the node's own Wasm
// build command: only the runtime crate compiles again): every node runs 101, blocks and finality
// go on, and the domain pallets' state is what it was before the upgrade.
//
// Sessions are an hour, but a change of the validator set rotates the session in each of the two
// blocks after the motion (runtime configs/governance: queued, then seated). Time-boxed (about 5 minutes after the upgrade
// runtime's build; every wait has a timeout) and every node is stopped in `after`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, xxhashAsHex } from '@polkadot/util-crypto';
import { connect, devAccounts, rpcCall, submit } from '../../scripts/lib/chain.mjs';
import { randomGln } from '../../scripts/lib/drug-codes.mjs';
import { councilMotion, setSessionKeys } from '../../scripts/lib/governance.mjs';
import { createLocalnet, NODES, VALIDATORS } from '../../scripts/lib/localnet.mjs';
import { buildUpgradeRuntime, upgradeRuntime } from '../../scripts/lib/upgrade.mjs';
import { stopLocalnetCleanly, until } from './support.mjs';


describe('a council that manages the validator set of a four-node network', () => {
  let net;
  let accounts;
  const apis = {};
  /** Every finalized head Alice announced: `{ t, number }`. */
  const finalized = [];
  const figures = [];
  let daveAura;

  const alice = () => apis.alice;
  const council = () => [accounts.alice, accounts.bob, accounts.charlie];
  const validatorsNow = async () => (await alice().query.session.validators()).map((v) => v.toString());

  /** The Aura authority key that sealed block `hash` (slot modulo the authorities of its parent). */
  async function authorOf(hash) {
    const header = await alice().rpc.chain.getHeader(hash);
    const pre = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
    const slot = alice().createType('u64', pre.asPreRuntime[1]).toBigInt();
    const authorities = await (await alice().at(header.parentHash)).query.aura.authorities();
    return authorities[Number(slot % BigInt(authorities.length))].toHex();
  }

  /** The authors of the best chain's blocks `from..to`, as Aura keys. */
  async function authorsOf(from, to) {
    const authors = [];
    for (let n = from; n <= to; n += 1) authors.push(await authorOf(await alice().rpc.chain.getBlockHash(n)));
    return authors;
  }

  const bestNumber = async () => (await alice().rpc.chain.getHeader()).number.toNumber();
  const finalizedNumber = () => finalized.at(-1)?.number ?? 0;

  /** Asserts that finality moved past `number` within `timeoutMs`. */
  const finalityPasses = (number, timeoutMs, what) =>
    until(`finality past #${number} (${what})`, async () => finalizedNumber() > number, timeoutMs);

  let upgradeCode;

  before(async () => {
    accounts = await devAccounts();
    const started = Date.now();
    upgradeCode = buildUpgradeRuntime(process.env.CARGO_TARGET_DIR ?? `${process.env.HOME}/.cache/medchain/target`);
    figures.push(`upgrade runtime built in ${((Date.now() - started) / 1000).toFixed(0)} s (${upgradeCode.length} bytes compressed)`);
    net = await createLocalnet({ validators: NODES });
    await net.startAll();
    for (const name of NODES) apis[name] = (await connect(net.nodes[name].wsUrl)).api;
    await alice().rpc.chain.subscribeFinalizedHeads((h) => finalized.push({ t: Date.now(), number: h.number.toNumber() }));
    await finalityPasses(1, 90_000, 'network start');
  }, { timeout: 900_000 });

  after(async () => {
    if (figures.length) console.log(`governance figures:\n  ${figures.join('\n  ')}`);
    for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
    await stopLocalnetCleanly(net, NODES);
  });

  test('the genesis validators are the council; Dave is not a validator and no sudo key exists', async () => {
    // Session keeps the validator set's order: sorted by account id.
    assert.deepEqual([...await validatorsNow()].sort(), VALIDATORS.map((name) => accounts[name].address).sort());
    const members = (await alice().query.council.members()).map((m) => m.toString());
    assert.deepEqual([...members].sort(), council().map((a) => a.address).sort());
    assert.ok((await alice().query.sudo.key()).isNone, 'the local chain has no sudo key');
    // Signing a registrar's call directly is refused: only a motion may.
    const direct = await submit(alice(), alice().tx.validatorSet.addMember(accounts.dave.address), accounts.alice);
    assert.equal(direct.dispatchError?.name ?? direct.dispatchError?.section, 'BadOrigin');
  });

  test('a council motion adds Dave, who authors two blocks later', { timeout: 150_000 }, async () => {
    const keys = await setSessionKeys(alice(), apis.dave, accounts.dave);
    daveAura = keys.slice(0, 66); // SessionKeys { aura, grandpa }: the first 32 bytes
    const started = Date.now();
    const motion = await councilMotion(alice(), council(), alice().tx.validatorSet.addMember(accounts.dave.address));
    assert.equal(motion.dispatchError, null, JSON.stringify(motion.dispatchError));
    const addedAt = await bestNumber();
    await until('Dave in the session validators', async () => (await validatorsNow()).includes(accounts.dave.address), 120_000);
    const activeAt = await bestNumber();
    figures.push(`Dave active ${activeAt - addedAt} blocks (${((Date.now() - started) / 1000).toFixed(0)} s) after the motion passed`);
    // Four slots later every validator had a turn (Aura is round-robin over the four).
    await until('four blocks after the change', async () => (await bestNumber()) >= activeAt + 5, 60_000);
    const authors = await authorsOf(activeAt + 1, activeAt + 5);
    assert.ok(authors.includes(daveAura), `Dave (${daveAura}) authored none of ${authors}`);
    assert.equal((await alice().query.aura.authorities()).length, 4);
  });

  test('a motion removes Charlie: he stops authoring, and finality goes on with Dave\'s votes', { timeout: 150_000 }, async () => {
    const charlie = accounts.charlie.address;
    const motion = await councilMotion(alice(), council(), alice().tx.validatorSet.removeMember(charlie));
    assert.equal(motion.dispatchError, null, JSON.stringify(motion.dispatchError));
    await until('Charlie out of the session validators', async () => !(await validatorsNow()).includes(charlie), 120_000);
    const removedAt = await bestNumber();
    // The `local` preset gives each genesis validator its dev sr25519 key for Aura.
    const charlieAura = u8aToHex(accounts.charlie.publicKey);
    // Six more blocks: two rounds of the three validators left, none of them Charlie's.
    await until('six blocks after the removal', async () => (await bestNumber()) >= removedAt + 6, 60_000);
    const authors = await authorsOf(removedAt + 1, removedAt + 6);
    assert.ok(!authors.includes(charlieAura), `Charlie authored after his removal: ${authors}`);
    assert.ok(authors.includes(daveAura), 'Dave still authors');
    // Alice, Bob and Dave: 3 of 3 votes needed, so blocks after the change finalize only with Dave's.
    await finalityPasses(removedAt + 2, 60_000, 'validators Alice, Bob and Dave');
    assert.equal((await alice().query.grandpa.currentSetId()).toNumber() >= 2, true, 'two GRANDPA set changes');
  });

  test('a motion registers an EHR provider and a drug partner', { timeout: 90_000 }, async () => {
    const a = alice();
    const best = await bestNumber();
    const motion = await councilMotion(a, council(), a.tx.utility.batchAll([
      a.tx.ehr.registerProvider(accounts.eve.address, 'Hospital', blake2AsHex('governance hospital licence')),
      a.tx.drugProvenance.registerPartner(accounts.ferdie.address, 'Manufacturer', stringToU8a(randomGln()),
        blake2AsHex('governance manufacturer licence'), best + 1_000_000),
    ]));
    assert.equal(motion.dispatchError, null, JSON.stringify(motion.dispatchError));
    assert.ok((await a.query.ehr.providers(accounts.eve.address)).isSome);
    assert.ok((await a.query.drugProvenance.partners(accounts.ferdie.address)).isSome);
  });

  /** Every storage item (key → value) under the prefixes at block `at`. */
  async function storageUnder(prefixes, at) {
    const items = {};
    for (const prefix of prefixes) {
      for (let start = prefix; ;) {
        const keys = await rpcCall(alice(), 'state_getKeysPaged', [prefix, 1000, start, at]);
        if (!keys.length) break;
        const [{ changes }] = await rpcCall(alice(), 'state_queryStorageAt', [keys, at]);
        for (const [key, value] of changes) items[key] = value;
        if (keys.length < 1000) break;
        start = keys.at(-1);
      }
    }
    return items;
  }

  test('a runtime upgrade passed by motion applies on the running network; domain state survives', { timeout: 180_000 }, async () => {
    // The domain pallets' storage; of StoragePower, whose eras turn in `on_initialize`, its providers.
    const prefixes = ['Ehr', 'DnaWallet', 'DrugProvenance', 'MutualAid'].map((p) => xxhashAsHex(p, 128))
      .concat(xxhashAsHex('StoragePower', 128) + xxhashAsHex('Providers', 128).slice(2));
    const before = (await alice().rpc.state.getRuntimeVersion()).specVersion.toNumber();
    assert.equal(before, 100);
    const applied = await upgradeRuntime(alice(), council(), accounts.dave, upgradeCode);
    assert.equal(applied.dispatchError, null, JSON.stringify(applied.dispatchError));
    assert.ok(applied.events.some(({ event }) => alice().events.system.CodeUpdated.is(event)), 'CodeUpdated');
    const upgradedAt = (await alice().rpc.chain.getHeader(applied.blockHash)).number.toNumber();
    // The block that set the code still ran the old runtime; its child is the first of the new one.
    const stateBefore = await storageUnder(prefixes, applied.blockHash.toHex());
    for (const name of NODES) {
      await until(`${name} on spec_version 101`, async () =>
        (await apis[name].rpc.state.getRuntimeVersion()).specVersion.toNumber() === 101, 60_000);
    }
    await until('a block of the new runtime', async () => (await bestNumber()) > upgradedAt + 1, 60_000);
    const firstNew = await alice().rpc.chain.getBlockHash(upgradedAt + 1);
    const lastUpgrade = await (await alice().at(firstNew)).query.system.lastRuntimeUpgrade();
    assert.equal(lastUpgrade.unwrap().specVersion.toNumber(), 101);
    assert.deepEqual(await storageUnder(prefixes, firstNew.toHex()), stateBefore, 'domain storage across the upgrade');
    assert.ok(Object.keys(stateBefore).length > 0, 'the compared storage is not empty');
    // Transactions signed for 101 are valid, and finality reaches the new runtime's blocks.
    const transfer = await submit(alice(), alice().tx.balances.transferKeepAlive(accounts.eve.address, 1_000_000_000n), accounts.ferdie);
    assert.equal(transfer.dispatchError, null);
    await finalityPasses(upgradedAt + 1, 60_000, 'the upgraded runtime');
  });

  test('finality never stopped for long', () => {
    // The longest gap between two finalized heads Alice announced, over the whole run.
    let longest = 0;
    for (let i = 1; i < finalized.length; i += 1) longest = Math.max(longest, finalized[i].t - finalized[i - 1].t);
    figures.push(`longest wait between finalized heads ${(longest / 1000).toFixed(1)} s over ${finalized.length} heads`);
    assert.ok(longest < 60_000, `finality stalled for ${longest} ms`);
  });
});
