// The council runs the validator set, on real processes: a four-node `local` network (Alice, Bob
// and Charlie validate from genesis and form the council; Dave runs a node with no authority). A
// council motion adds Dave; from the session after next he authors blocks, and he votes in
// GRANDPA: once a second motion removes Charlie, the three validators left (Alice, Bob, Dave)
// need all three votes (threshold n − ⌊(n − 1) / 3⌋ = 3 of 3), so finality going on proves Dave's.
// Charlie, still running, authors nothing more. Finality never stops.
//
// Sessions are five blocks (runtime configs/governance): a change queued in session n is active in
// session n + 2, so each change takes 10–15 blocks. Time-boxed (about 4 minutes; every wait has a
// timeout) and every node is stopped in `after`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { connect, devAccounts, submit } from '../../scripts/lib/chain.mjs';
import { councilMotion, setSessionKeys } from '../../scripts/lib/governance.mjs';
import { createLocalnet, NODES, VALIDATORS } from '../../scripts/lib/localnet.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (async, truthy when done) every `everyMs` until it holds; throws after `timeoutMs`. */
async function until(what, check, timeoutMs, everyMs = 1_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

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

  before(async () => {
    accounts = await devAccounts();
    net = await createLocalnet({ validators: NODES });
    await net.startAll();
    for (const name of NODES) apis[name] = (await connect(net.nodes[name].wsUrl)).api;
    await alice().rpc.chain.subscribeFinalizedHeads((h) => finalized.push({ t: Date.now(), number: h.number.toNumber() }));
    await finalityPasses(1, 90_000, 'network start');
  });

  after(async () => {
    if (figures.length) console.log(`governance figures:\n  ${figures.join('\n  ')}`);
    for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
    let results = {};
    try {
      results = await net?.stopAll();
    } finally {
      await net?.remove();
    }
    for (const [name, { code, signal }] of Object.entries(results ?? {})) {
      assert.equal(code, 0, `${name} exit code (signal ${signal}); log:\n${net.output(name).slice(-2000)}`);
    }
    for (const name of NODES) assert.doesNotMatch(net?.output(name) ?? '', /panicked/, `${name} panicked`);
  });

  test('the genesis validators are the council; Dave is not a validator and no sudo key exists', async () => {
    assert.deepEqual(await validatorsNow(), VALIDATORS.map((name) => accounts[name].address));
    const members = (await alice().query.council.members()).map((m) => m.toString());
    assert.deepEqual([...members].sort(), council().map((a) => a.address).sort());
    assert.ok((await alice().query.sudo.key()).isNone, 'the local chain has no sudo key');
    // Signing a registrar's call directly is refused: only a motion may.
    const direct = await submit(alice(), alice().tx.validatorSet.addMember(accounts.dave.address), accounts.alice);
    assert.equal(direct.dispatchError?.name ?? direct.dispatchError?.section, 'BadOrigin');
  });

  test('a council motion adds Dave, who authors from the session after next', { timeout: 150_000 }, async () => {
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

  test('finality never stopped for long', () => {
    // The longest gap between two finalized heads Alice announced, over the whole run.
    let longest = 0;
    for (let i = 1; i < finalized.length; i += 1) longest = Math.max(longest, finalized[i].t - finalized[i - 1].t);
    figures.push(`longest wait between finalized heads ${(longest / 1000).toFixed(1)} s over ${finalized.length} heads`);
    assert.ok(longest < 60_000, `finality stalled for ${longest} ms`);
  });
});
