// The vault deciding reads with the chain: a dev node and a vault started with `--node`. An
// owner seals a genome, registers it as a DNA-wallet dataset (its content id on chain) and
// uploads the sealed object; a clinician is refused until the owner shares the key, then reads
// the object, opens the envelope from the chain and the genome; after the owner revokes the share
// the next read is refused again; a stranger never reads. The same with a vault that follows the
// finalized heads by subscription (`--follow-finalized`), where the revocation takes effect as
// the vault receives its block.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { DEV_PHRASE } from '@polkadot/keyring';
import { hexToU8a, stringToU8a, u8aToHex, u8aToString } from '@polkadot/util';
import { MED, connect, createFundedAccounts, devAccounts, startNode, submit, rpcCall, bestNumber } from '../../scripts/lib/chain.mjs';
import { bytesHex } from '../../scripts/lib/flow.mjs';
import { keyAgreementFromSuri, open, seal, sealLocator, unwrapKey, wrapKey } from '../../scripts/lib/seal.mjs';
import { VaultClient, VaultError, startVault } from '../../scripts/lib/vault.mjs';
import { stopCleanly } from './support.mjs';

let node;
let api;
let vault;
const ROLES = ['owner', 'clinician', 'stranger'];

before(async () => {
  node = await startNode(['--dev', '--sealing', 'instant']);
  ({ api } = await connect(node.wsUrl));
  vault = await startVault({ node: node.wsUrl });
});

after(async () => {
  const { code } = await vault.stop();
  rmSync(vault.dataDir, { recursive: true, force: true });
  assert.equal(code, 0, `vault exit code; log:\n${vault.output().slice(-2000)}`);
  await stopCleanly(node, api);
});

const refused = (status, reason) => (error) => error instanceof VaultError && error.status === status && error.reason === reason;

async function succeed(tx, signer) {
  const result = await submit(api, tx, signer);
  assert.equal(result.dispatchError, null, JSON.stringify(result.dispatchError));
  return result;
}

/**
 * An owner's DNA dataset read through `reading` (a vault with `--node`): served to the owner and,
 * while shared, to the clinician, never to a stranger; `refusedOnceRevoked` checks the
 * clinician's reads after the owner revokes the share.
 */
async function datasetReadsFollowTheShares(reading, label, refusedOnceRevoked) {
  const { alice } = await devAccounts();
  const { pairs, uris } = await createFundedAccounts(api, alice, ROLES, 100n * MED, { label });
  const { owner, clinician, stranger } = pairs;
  const keys = {};
  for (const role of ['owner', 'clinician']) {
    keys[role] = await keyAgreementFromSuri(`${DEV_PHRASE}${uris[role]}`);
    await succeed(api.tx.dnaWallet.registerKey(u8aToHex(keys[role].publicKey), 'X25519'), pairs[role]);
  }
  const clinicianKeyId = (await rpcCall(api, 'dnaWallet_keys', [clinician.address]))[0].id;

  const genome = '##fileformat=VCFv4.2\n19\t44908684\trs429358\tT\tC\t.\tPASS\t.\tGT\t1/1\n';
  const sealed = seal(stringToU8a(genome));
  const locator = await sealLocator(`${reading.url}/objects/${u8aToHex(sealed.contentId)}`, owner.publicKey, keys.owner.publicKey, api.genesisHash.toU8a());
  const registered = await succeed(api.tx.dnaWallet.registerDataset(u8aToHex(sealed.contentId), 'Vcf', sealed.object.length, u8aToHex(locator)), owner);
  const dataset = registered.events.find(({ event }) => api.events.dnaWallet.DatasetRegistered.is(event)).event.data.dataset.toNumber();

  const ownerClient = new VaultClient(reading.url, owner);
  const clinicianClient = new VaultClient(reading.url, clinician);
  const strangerClient = new VaultClient(reading.url, stranger);
  assert.equal(await ownerClient.put(sealed.contentId, sealed.object), true);
  assert.deepEqual(await ownerClient.get(sealed.contentId), sealed.object, 'the owner reads back');
  await assert.rejects(clinicianClient.get(sealed.contentId), refused(403, 'not-allowed'), 'no share yet');

  const context = { genesisHash: api.genesisHash.toU8a(), contentId: sealed.contentId, keyVersion: 1, recipient: clinician.publicKey };
  const envelope = await wrapKey(sealed.dataKey, keys.clinician.publicKey, context);
  await succeed(api.tx.dnaWallet.shareKey(dataset, clinician.address, clinicianKeyId, u8aToHex(envelope), (await bestNumber(api)) + 1000, 'Clinical'), owner);

  const fetched = await clinicianClient.get(sealed.contentId);
  const share = (await rpcCall(api, 'dnaWallet_shares', [dataset])).find((s) => s.keyVersion === 1);
  const dataKey = await unwrapKey(hexToU8a(bytesHex(share.wrappedKey)), keys.clinician, context);
  assert.equal(u8aToString(open(dataKey, fetched).content), genome, 'the clinician opens the genome');
  await assert.rejects(strangerClient.get(sealed.contentId), refused(403, 'not-allowed'), 'a stranger never reads');

  await succeed(api.tx.dnaWallet.revokeShare(dataset, clinician.address), owner);
  await refusedOnceRevoked(() => clinicianClient.get(sealed.contentId));
}

test('a DNA dataset\'s object is served to the owner and to live share holders only', () =>
  datasetReadsFollowTheShares(vault, 'vault', (read) => assert.rejects(read(), refused(403, 'not-allowed'), 'revoked at the first read after its block is finalized')));

test('a vault following the finalized heads decides the same, a revocation taking effect as its block is announced', async () => {
  const following = await startVault({ node: node.wsUrl, extraArgs: ['--follow-finalized'] });
  try {
    await datasetReadsFollowTheShares(following, 'vault-following', async (read) => {
      // The notification of the revocation's block reaches the vault milliseconds after finality.
      const deadline = Date.now() + 5_000;
      for (;;) {
        try {
          await read();
        } catch (error) {
          assert.ok(refused(403, 'not-allowed')(error), String(error));
          break;
        }
        assert.ok(Date.now() < deadline, 'still served 5 s after the revocation was finalized');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    // Its chain-lag metrics: the followed head is the node's finalized head.
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    const metrics = await (await fetch(`${following.url}/metrics`)).text();
    assert.equal(Number(/^medchain_vault_followed_head_number (\d+)$/m.exec(metrics)?.[1]), finalized, metrics);
    assert.match(metrics, /^medchain_vault_followed_head_age_seconds \d/m);
    // Prometheus' exposition format: each comment line starts its line.
    assert.match(metrics, /^# TYPE medchain_vault_followed_head_number gauge$/m);
    assert.match(metrics, /^# TYPE medchain_vault_followed_head_age_seconds gauge$/m);
    assert.doesNotMatch(await (await fetch(`${vault.url}/metrics`)).text(), /followed_head/, 'a vault asking per read follows no head');
    // It followed the heads throughout: its subscription never dropped back to asking per read.
    assert.ok(following.output().includes('following finalized heads'), following.output().slice(-2000));
    assert.ok(!following.output().includes('no longer following'), following.output().slice(-2000));
  } finally {
    const { code } = await following.stop();
    rmSync(following.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `vault exit code; log:\n${following.output().slice(-2000)}`);
  }
});

test('a vault whose node is gone refuses reads as unavailable, never serves them', async () => {
  const { alice, bob } = await devAccounts();
  const lonely = await startVault({ node: 'http://127.0.0.1:9' });
  try {
    const sealed = seal(stringToU8a('x'));
    await new VaultClient(lonely.url, alice).put(sealed.contentId, sealed.object);
    await assert.rejects(new VaultClient(lonely.url, bob).get(sealed.contentId), refused(503, 'chain-unavailable'));
  } finally {
    await lonely.stop();
  }
});
