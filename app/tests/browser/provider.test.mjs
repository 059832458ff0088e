// The storage provider page in Chromium against a dev node started here (30-block eras, instant
// seal: the test produces blocks with remarks). Bob registers as a provider in his page (the
// stake held for 100 GiB is read back from the chain), reports the era with the Merkle root of
// his receipts (power 0: no heartbeats yet, and the page says why), answers the chain's own audit
// as his storage node would (outside the page, as the software holding the receipts), sends
// heartbeats from his page until his uptime counts (a second one in the same slot shows the
// pallet's words), and the page's power, audits and estimate equal the chain's. After the era
// closes, the chart shows his exact reward for it, and claiming pays it. Every assertion about
// the chain reads the chain itself. Screenshots: app/test-results/browser/.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { MED, bestNumber, submit } from '../../../scripts/lib/chain.mjs';
import { advanceTo, remark, succeeded } from '../../../scripts/lib/flow.mjs';
import { merkleLevels, merkleProof, merkleRoot } from '../../../scripts/lib/drug-codes.mjs';
import { chunkLeaf, storagePowerRpc as rpc } from '../../../scripts/storage-power-flow.mjs';
import { stackForSuite, launchBrowser, openApp, screenshot, setPassphrase, WAIT_MS } from './support.mjs';

const short = (address) => `${address.slice(0, 6)}…${address.slice(-4)}`;
const RECEIPTS = 16;

describe('the storage provider page in Chromium', () => {
  let stack;
  const browsers = stackForSuite(async (started) => { stack = started; });

  test('a provider registers, reports, passes the chain\'s audit, sees power and estimate, and claims the era from the chart', async () => {
    const { api, accounts } = stack;
    const { alice, bob } = accounts;
    const eraLength = api.consts.storagePower.eraLength.toNumber();
    const interval = api.consts.storagePower.heartbeatInterval.toNumber();
    // Bob's storage node keeps his receipts; the chain sees only their root.
    const chunks = Array.from({ length: RECEIPTS }, (_, i) => stringToU8a(`receipt:bob:${i}`));
    const levels = merkleLevels(chunks.map(chunkLeaf));

    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'provider');
    await page.locator('select[name="account"]').selectOption({ label: `Bob (${short(bob.address)})` });
    const state = page.getByTestId('provider-state');
    await page.locator('[data-registered="false"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('why-nothing').getAttribute('data-reasons'), 'notRegistered');

    // Register 100 GiB: one started TiB of stake is held.
    const register = page.getByTestId('register');
    await register.getByLabel('Capacity (GiB)').fill('100');
    await register.getByLabel(/Endpoint/).fill('https://storage.bob.example');
    // The endpoint stays in Bob's browser (its salted commitment goes on chain), under his passphrase.
    await setPassphrase(register);
    await register.getByRole('button', { name: 'Register and stake' }).click();
    await page.locator('[data-registered="true"]').waitFor({ timeout: WAIT_MS });
    const registered = await rpc.provider(api, bob.address);
    assert.equal(BigInt(registered.stake), 100n * MED);
    assert.match(await page.getByTestId('stake').textContent(), /^100 MED/);

    // Room in the era for a report, its audit and three heartbeat slots; else the next era. Era 0
    // (genesis) has no emission: nothing is minted before the first era start.
    let era = Math.floor(((await bestNumber(api)) + 1) / eraLength);
    if (era === 0 || (await bestNumber(api)) + 1 - era * eraLength > 8) {
      era += 1;
      // The era starts in its first block's on_initialize: that block must exist.
      await advanceTo(api, alice, era * eraLength + 1);
    }
    const start = era * eraLength;

    // The report: power 0 until the uptime counts, and the page says so.
    await page.getByRole('heading', { name: `My power in era ${era}` }).waitFor({ timeout: WAIT_MS });
    const report = page.getByTestId('report');
    await report.getByLabel('Used space (GiB)').fill('10');
    await report.getByLabel('Free space (GiB)').fill('90');
    await report.getByLabel('Receipts root').fill(u8aToHex(merkleRoot(levels)));
    await report.getByLabel('Leaves under the root').fill(String(RECEIPTS));
    await report.getByRole('button', { name: 'Submit the report' }).click();
    await page.locator('[data-power="0"]').waitFor({ timeout: WAIT_MS });
    assert.equal(BigInt((await rpc.provider(api, bob.address)).power), 0n);
    assert.match(await page.getByTestId('why-nothing').getAttribute('data-reasons'), /lowUptime/);

    // The chain draws the report for an audit in the next block; Bob's storage node answers it.
    let challenge;
    for (let i = 0; i < 3 && !challenge; i++) {
      await remark(api, alice);
      for (const [key, value] of await api.query.storagePower.challenges.entries()) {
        const c = value.unwrap();
        if (c.provider.toString() === bob.address && c.issuer.isNone) challenge = { id: key.args[0].toNumber(), leaf: c.leafIndex.toNumber() };
      }
    }
    assert.ok(challenge, 'the chain audits the report');
    const { siblings } = merkleProof(levels, challenge.leaf);
    succeeded(await submit(api, api.tx.storagePower.respondChallenge(challenge.id, u8aToHex(chunks[challenge.leaf]), siblings.map((s) => u8aToHex(s))), bob), 'respond');
    const audits = page.getByTestId('audits');
    await page.locator('[data-testid="audits"][data-passed="1"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await audits.getAttribute('data-failed'), '0');

    // Heartbeats from the page, one per slot, until half the era's are sent.
    const first = Math.floor(((await bestNumber(api)) + 1 - start) / interval);
    for (let k = 0; k < 3; k++) {
      await advanceTo(api, alice, start + (first + k) * interval);
      await page.getByTestId('heartbeat').click();
      await page.locator(`[data-testid="provider-state"][data-heartbeats="${k + 1}"]`).waitFor({ timeout: WAIT_MS });
    }
    const provider = await rpc.provider(api, bob.address);
    const estimate = await rpc.estimateReward(api, bob.address);
    assert.ok(BigInt(provider.power) > 0n, 'power once the uptime counts');
    await page.locator(`[data-testid="provider-state"][data-power="${BigInt(provider.power)}"]`).waitFor({ timeout: WAIT_MS });
    const shown = page.getByTestId('estimate');
    assert.equal(await shown.getAttribute('data-reward'), String(BigInt(estimate.reward)));
    assert.ok(BigInt(estimate.emission) > 0n);
    assert.equal(BigInt(estimate.reward), BigInt(estimate.power) * BigInt(estimate.emission) / BigInt(estimate.totalPower));
    assert.equal(await page.getByTestId('why-nothing').count(), 0);
    assert.match(await page.getByTestId('estimate-formula').textContent(), new RegExp(`My power ${BigInt(provider.power)} / total power ${BigInt(estimate.totalPower)}`));

    // A second heartbeat in the same slot: the pallet's own words.
    await page.getByTestId('heartbeat').click();
    const refused = page.locator('[data-error-name="StoragePower.HeartbeatTooSoon"]');
    await refused.waitFor({ timeout: WAIT_MS });
    assert.match(await refused.textContent(), /A heartbeat was already counted in this slot/);
    await screenshot(page, 'provider-estimate');

    // The era closes: the chart and its table show the exact reward, claimable.
    await advanceTo(api, alice, start + eraLength + 1);
    const [pending] = await rpc.pendingRewards(api, bob.address);
    assert.equal(pending.era, era);
    assert.ok(pending.claimable);
    const row = page.locator(`[data-testid="reward-table"] tr[data-era="${era}"]`);
    await page.locator(`[data-testid="reward-table"] tr[data-era="${era}"][data-kind="claimable"]`).waitFor({ state: 'attached', timeout: WAIT_MS });
    assert.equal(await row.getAttribute('data-mine'), String(BigInt(pending.reward)));
    assert.equal(await page.locator(`[data-testid="reward-chart"] g[data-era="${era}"] rect[data-series="mine"]`).count(), 1);
    await screenshot(page, 'provider-chart');

    // Claiming pays it.
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    await page.getByTestId('claim').click();
    await page.getByRole('button', { name: /Claim rewards \(0 eras/ }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await rpc.pendingRewards(api, bob.address), []);
    const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
    assert.ok(after - before > BigInt(pending.reward) - MED, `paid ${after - before} of ${pending.reward}`);
    assert.deepEqual(problems, []);
  }, { timeout: 4 * WAIT_MS });
});
