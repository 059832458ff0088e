// End-to-end tests of the foundation against the real medchain-node binary.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, connect, devAccounts, submit, waitForHead, nodeBinary, eventsOfTransaction } from '../../scripts/lib/chain.mjs';
import { stopCleanly } from './support.mjs';

const MED = 10n ** 12n;

describe('dev chain with Aura and GRANDPA', () => {
  let node;
  let api;
  let warnings;

  before(async () => {
    node = await startNode(['--dev']);
    ({ api, warnings } = await connect(node.wsUrl));
  });

  after(() => stopCleanly(node, api));

  test('produces and finalizes blocks alone', async () => {
    const finalized = await waitForHead(api, 'subscribeFinalizedHeads', 2, 60_000);
    assert.ok(finalized.number.toNumber() >= 2);
    const best = await api.rpc.chain.getHeader();
    assert.ok(best.number.toNumber() >= finalized.number.toNumber());
  });

  test('serves the MED token properties', async () => {
    const properties = await api.rpc.system.properties();
    assert.deepEqual(properties.tokenSymbol.unwrap().map(String), ['MED']);
    assert.deepEqual(properties.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
    assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
    assert.equal(api.registry.chainSS58, 42);
  });

  test('metadata decorates without unknown extensions', async () => {
    assert.ok(api.runtimeMetadata.version >= 15, `metadata v${api.runtimeMetadata.version}`);
    const offending = warnings.filter((line) => /Unknown signed extension|Not decorating/i.test(line));
    assert.deepEqual(offending, []);
    const extensions = api.registry.signedExtensions;
    assert.ok(extensions.includes('CheckMetadataHash'), `extensions: ${extensions}`);
    assert.ok(api.tx.utility.batchAll, 'utility.batchAll is callable');
  });
});

describe('instant-seal dev chain', () => {
  let node;
  let api;
  let accounts;

  before(async () => {
    node = await startNode(['--dev', '--sealing', 'instant']);
    ({ api } = await connect(node.wsUrl));
    accounts = await devAccounts();
  });

  after(() => stopCleanly(node, api));

  test('a signed transfer_keep_alive is included and emits Transfer', async () => {
    const { alice, bob } = accounts;
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const amount = 5n * MED;
    const { events, dispatchError, blockHash } = await submit(api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
    assert.equal(dispatchError, null);
    const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
    assert.ok(transfer, 'Transfer event');
    assert.equal(transfer.event.data.from.toString(), alice.address);
    assert.equal(transfer.event.data.to.toString(), bob.address);
    assert.equal(transfer.event.data.amount.toBigInt(), amount);
    const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
    assert.equal(after - before, amount);
    // Instant seal finalizes each block at once.
    const finalized = await api.rpc.chain.getFinalizedHead();
    const included = await api.rpc.chain.getHeader(blockHash);
    const finalizedHeader = await api.rpc.chain.getHeader(finalized);
    assert.ok(finalizedHeader.number.toNumber() >= included.number.toNumber());
  });

  test('a transfer above the balance fails with FundsUnavailable and moves nothing', async () => {
    const { charlie, dave } = accounts;
    const charlieBefore = (await api.query.system.account(charlie.address)).data.free.toBigInt();
    const daveBefore = (await api.query.system.account(dave.address)).data.free.toBigInt();
    const { events, dispatchError } = await submit(
      api, api.tx.balances.transferKeepAlive(dave.address, charlieBefore + MED), charlie,
    );
    assert.deepEqual(dispatchError, { section: 'Token', name: 'FundsUnavailable' });
    assert.ok(!events.some(({ event }) => api.events.balances.Transfer.is(event)));
    const fee = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.ok(fee, 'fee event');
    const charlieAfter = (await api.query.system.account(charlie.address)).data.free.toBigInt();
    const daveAfter = (await api.query.system.account(dave.address)).data.free.toBigInt();
    assert.equal(daveAfter, daveBefore);
    assert.equal(charlieBefore - charlieAfter, fee.event.data.actualFee.toBigInt());
  });

  test('the development chain starts with the short timings of its genesis parameters', async () => {
    // Without them a chain has the production defaults (a day's era, 100-block heartbeat slots
    // and deadline, a 7-day timelock, 30-day periods); the pallets' constants show what is in force.
    const stored = (await api.query.parameters.parameters.entries()).map(([, value]) => value.unwrap().toJSON());
    const byName = (a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    assert.deepEqual(stored.sort(byName), [
      { mutualAid: { apportionPeriod: 20 } },
      { mutualAid: { ruleChangeTimelock: 10 } },
      { storagePower: { challengeDeadline: 5 } },
      { storagePower: { eraLength: 30 } },
      { storagePower: { heartbeatInterval: 5 } },
    ].sort(byName));
    const { storagePower, mutualAid } = api.consts;
    assert.deepEqual(
      [storagePower.eraLength, storagePower.heartbeatInterval, storagePower.challengeDeadline, mutualAid.ruleChangeTimelock, mutualAid.apportionPeriod].map((c) => c.toNumber()),
      [30, 5, 5, 10, 20],
    );
  });

  test("a transaction's events read with its block's parent metadata are polkadot.js's own", async () => {
    // submit() falls back on this reading at a runtime upgrade's block (governance tests upgrade).
    const { eve, ferdie } = accounts;
    for (const amount of [MED, 10n ** 30n]) {
      const tx = api.tx.balances.transferKeepAlive(ferdie.address, amount);
      const submitted = await submit(api, tx, eve);
      const read = await eventsOfTransaction(api, submitted.blockHash.toHex(), tx.hash.toHex());
      assert.deepEqual(read.events.map((record) => record.toHex()), submitted.events.map((record) => record.toHex()));
      assert.deepEqual(read.dispatchError, submitted.dispatchError);
      assert.ok(read.events.length > 0);
    }
    await assert.rejects(eventsOfTransaction(api, (await api.rpc.chain.getBlockHash()).toHex(), `0x${'00'.repeat(32)}`), /is not in block/);
  });
});

describe('bad input', () => {
  // A chain spec holds the runtime's code as hex (over 10 MB): more than spawnSync's 1 MiB default.
  const run = (...args) => spawnSync(nodeBinary(), args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  const assertCleanFailure = (result, pattern) => {
    assert.notEqual(result.status, 0, `exit status; stderr:\n${result.stderr}`);
    assert.equal(result.signal, null);
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr + result.stdout, /panicked|RUST_BACKTRACE|stack backtrace/);
  };

  test('an unknown flag is named', () => {
    assertCleanFailure(run('--no-such-flag'), /--no-such-flag/);
  });

  test('a missing chain spec is named', () => {
    assertCleanFailure(run('--chain', '/nonexistent/medchain-spec.json', '--tmp'), /nonexistent\/medchain-spec\.json/);
  });

  test('a corrupt chain spec is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medchain-bad-'));
    const spec = join(dir, 'corrupt.json');
    writeFileSync(spec, '{ "name": "half a spec", ');
    assertCleanFailure(run('--chain', spec, '--tmp'), /corrupt\.json/);
  });

  test('an unwritable base path is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medchain-bad-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    assertCleanFailure(
      run('--dev', '--base-path', join(file, 'chain')),
      /Cannot create the database directory `[^`]*a-file\/chain[^`]*`: Not a directory/,
    );
  });

  test('instant sealing refuses a non-development chain', () => {
    assertCleanFailure(run('--chain', 'local', '--sealing', 'instant', '--tmp'), /--sealing instant/);
  });

  test('the production template does not start until the operator adds validators', () => {
    assertCleanFailure(run('--chain', 'production', '--tmp'), /has no validators in its genesis/);
  });

  test('a live chain with development keys does not start', () => {
    // The `local` network's genesis (Alice, Bob and Charlie validate and govern) relabelled as a
    // live chain: what an operator gets who copies a test spec into production.
    const exported = run('build-spec', '--chain', 'local');
    assert.equal(exported.status, 0, exported.stderr);
    const spec = JSON.parse(exported.stdout);
    spec.chainType = 'Live';
    const dir = mkdtempSync(join(tmpdir(), 'medchain-live-'));
    const file = join(dir, 'live.json');
    writeFileSync(file, JSON.stringify(spec));
    assertCleanFailure(run('--chain', file, '--tmp'), /holds the development key of Alice \(sr25519\)/);
  });

  test('genesis parameters that break a pallet rule are refused by name', () => {
    const exported = run('build-spec', '--chain', 'dev');
    assert.equal(exported.status, 0, exported.stderr);
    const spec = JSON.parse(exported.stdout);
    const genesis = spec.genesis.runtimeGenesis.patch;
    assert.deepEqual(genesis.parameters.storagePower, { eraLength: 30, heartbeatInterval: 5, challengeDeadline: 5 });
    genesis.parameters.storagePower.heartbeatInterval = 31;
    const dir = mkdtempSync(join(tmpdir(), 'medchain-parameters-'));
    const file = join(dir, 'slow-heartbeats.json');
    writeFileSync(file, JSON.stringify(spec));
    const broken = /storagePower\.heartbeatInterval \(31\) must not exceed storagePower\.eraLength \(30\)/;
    assertCleanFailure(run('build-spec', '--chain', file, '--raw'), broken);
    assertCleanFailure(run('--chain', file, '--tmp'), broken);
    genesis.parameters.storagePower = { eraLenght: 30 };
    writeFileSync(file, JSON.stringify(spec));
    assertCleanFailure(run('build-spec', '--chain', file, '--raw'), /unknown field `eraLenght`/);
  });

  test('every preset exports a chain spec', () => {
    for (const chain of ['dev', 'local', 'production']) {
      const exported = run('build-spec', '--chain', chain, '--raw');
      assert.equal(exported.status, 0, `${chain}: ${exported.stderr}`);
      assert.ok(JSON.parse(exported.stdout).genesis.raw.top, `${chain}: raw genesis`);
    }
  });
});
