// The storage provider page in Chromium against a dev node started here (30-block eras, instant
// seal: the test produces blocks with remarks). Bob registers as a provider in his page (the
// stake held for 100 GiB is read back from the chain). A buyer seals an object and orders one
// replica of it; Bob takes the replica from his page (taking it twice shows the pallet's words).
// From then on the test is Bob's vault: after every block it answers the chain's audit of the
// replica (drawn at a random block of each era; the page shows it open, with Drop disabled). Bob
// reports the era with the bytes he served in the last era and the root of the receipts Alice
// signed for those reads (power 0: no heartbeats yet and, unless the replica's audit already
// passed, no audited bytes; the page says why), answers the chain's audit of the report as his
// vault would (outside the page, as the software holding the receipts), with the receipt covering
// the drawn byte, sends heartbeats from his page until his uptime counts (a second one in the same
// slot shows the pallet's words), and once the replica's audit of the era has passed the page
// shows its audited bytes, and its power, audits and estimate equal the chain's. After the
// era's audit window Bob drops the replica from his page. After the era closes, the chart shows
// his exact reward for it, and claiming pays it. Every assertion about the chain reads the chain
// itself. Screenshots: app/test-results/browser/.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { MED, bestNumber, createFundedAccounts, submit } from '../../../scripts/lib/chain.mjs';
import { expectEvent, normAccount, remark, succeeded } from '../../../scripts/lib/flow.mjs';
import { receiptAnswer, receiptTree } from '../../../scripts/lib/receipts.mjs';
import { answerReplicaAudits } from '../../../scripts/lib/replicas.mjs';
import { seal } from '../../../scripts/lib/seal.mjs';
import { signedReads } from '../../../scripts/storage-power-flow.mjs';
import { storagePowerRpc as rpc } from '../../../scripts/lib/storage-power.mjs';
import { stackForSuite, launchBrowser, openApp, screenshot, setPassphrase, WAIT_MS, labelOf } from './support.mjs';

/** Bytes Alice read from Bob's vault in the era before the report's (16 receipts of 1,000). */
const SERVED = 16_000n;
/** The buyer's record: about 10 KiB sealed, so 9 power an era once audited (1 per KiB) at full uptime. */
const CONTENT_LEN = 10_000;

describe('the storage provider page in Chromium', () => {
  let stack;
  const browsers = stackForSuite(async (started) => { stack = started; });

  test('a provider registers, takes a replica, reports, passes the chain\'s audits, sees power and estimate, and claims the era from the chart', async () => {
    const { api, accounts } = stack;
    const { alice, bob } = accounts;
    const eraLength = api.consts.storagePower.eraLength.toNumber();
    const interval = api.consts.storagePower.heartbeatInterval.toNumber();
    const deadline = api.consts.storagePower.challengeDeadline.toNumber();

    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'provider');
    await page.locator('select[name="account"]').selectOption({ label: labelOf('Bob', bob.address) });
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

    // A buyer seals a record and orders one replica of it for this era and the next.
    const { pairs: { buyer } } = await createFundedAccounts(api, alice, ['buyer'], 100n * MED, { label: 'provider-page' });
    const { object, contentId } = seal(stringToU8a('a record kept by a storage provider; '.repeat(CONTENT_LEN)).subarray(0, CONTENT_LEN));
    const contentIdHex = u8aToHex(contentId);
    const placed = succeeded(await submit(api, api.tx.storagePower.placeOrder(contentIdHex, object.length, 1, 2), buyer), 'place order');
    const orderId = Number(expectEvent(placed, 'storagePower', 'OrderPlaced', 'place order').orderId);

    // Bob's vault holds the object; from now on, after every block, it answers the chain's audits
    // of Bob's replica (deadline: ChallengeDeadline blocks). The first time one is open, the page
    // shows it and will not drop the replica.
    const objects = new Map([[contentIdHex, object]]);
    const answers = [];
    let openSeen = false;
    const vault = async () => {
      const open = openSeen ? undefined : (await rpc.replicasOf(api, bob.address)).find((r) => r.audit);
      if (open) {
        openSeen = true;
        const [segment, until] = open.audit;
        const row = page.locator(`[data-testid="replica-list"] li[data-order="${orderId}"][data-audit-segment="${segment}"]`);
        await row.waitFor({ timeout: WAIT_MS });
        assert.match(await row.textContent(), new RegExp(`audit open: segment ${segment}, answer by block #${until} `));
        assert.ok(await row.getByTestId('drop-replica').isDisabled(), 'no drop under audit');
        await screenshot(page, 'provider-replica-audit');
      }
      answers.push(...await answerReplicaAudits(api, bob, objects));
    };
    const step = async () => { await remark(api, alice); await vault(); };
    const advance = async (block) => { while ((await bestNumber(api)) + 1 < block) await step(); };

    // Bob takes the replica from the open orders his page lists; a second time, by its id, the
    // pallet's words.
    const replicas = page.getByTestId('replicas');
    const take = page.getByTestId('take-replica');
    const listed = take.locator(`[data-testid="open-orders"] li[data-open-order="${orderId}"]`);
    await listed.waitFor({ timeout: WAIT_MS });
    assert.match(await listed.textContent(), new RegExp(`^Order ${orderId}: 9\\.\\d KiB, 0 of 1 copies held, paid until `));
    await listed.getByRole('button', { name: 'Take', exact: true }).click();
    await replicas.locator(`li[data-order="${orderId}"]`).waitFor({ timeout: WAIT_MS });
    await listed.waitFor({ state: 'detached', timeout: WAIT_MS });
    await take.getByLabel('Order id').fill(String(orderId));
    await vault();
    assert.deepEqual((await rpc.order(api, orderId)).holders.map((a) => normAccount(api, a)), [bob.address]);
    const [taken] = await rpc.replicasOf(api, bob.address);
    assert.deepEqual([taken.orderId, taken.contentId, taken.sizeBytes], [orderId, contentIdHex, object.length]);
    assert.equal(await replicas.getAttribute('data-replica-bytes'), String(object.length));
    assert.match(await replicas.locator(`li[data-order="${orderId}"]`).textContent(), new RegExp(`^Order ${orderId}: 9\\.\\d KiB, taken in era ${taken.since} `));
    await take.getByRole('button', { name: 'Take the replica' }).click();
    const held = page.locator('[data-error-name="StoragePower.ReplicaAlreadyHeld"]');
    await held.waitFor({ timeout: WAIT_MS });
    assert.match(await held.textContent(), /The provider already holds a replica of this order/);
    await vault();

    // Room in the era for a report, its audit and three heartbeat slots; else the next era. Era 0
    // (genesis) has no emission: nothing is minted before the first era start.
    let era = Math.floor(((await bestNumber(api)) + 1) / eraLength);
    if (era === 0 || (await bestNumber(api)) + 1 - era * eraLength > 8) {
      era += 1;
      // The era starts in its first block's on_initialize: that block must exist.
      await advance(era * eraLength + 1);
    }
    const start = era * eraLength;

    // The report: power 0 until the uptime counts and the replica's audit of the era has passed
    // (declared space earns nothing), and the page says so. The audit may have passed already:
    // the report then counts its bytes.
    await page.getByRole('heading', { name: `My power in era ${era}` }).waitFor({ timeout: WAIT_MS });
    const report = page.getByTestId('report');
    await report.getByLabel('Declared used space (GiB)').fill('10');
    await report.getByLabel('Declared free space (GiB)').fill('90');
    // Bob's vault keeps the receipts of the reads it served in the last era (Alice's, signed for
    // his vault); the chain sees only their root and sum.
    const startedAt = async (e) => (await api.query.storagePower.eraStartedAt(e)).unwrap().toBigInt();
    const window = { from: await startedAt(era - 1), to: await startedAt(era) };
    const tree = receiptTree(signedReads(alice, bob.address, 'bob', SERVED, window));
    await report.getByLabel('Bytes served').fill(String(tree.total));
    await report.getByLabel('Receipts root').fill(tree.root);
    await report.getByLabel('Leaves under the root').fill(String(tree.leafCount));
    await report.getByRole('button', { name: 'Submit the report' }).click();
    await page.locator('[data-power="0"]').waitFor({ timeout: WAIT_MS });
    const reported = await rpc.provider(api, bob.address);
    assert.equal(BigInt(reported.power), 0n);
    const reasons = BigInt(reported.auditedBytes) === 0n ? 'lowUptime noAuditedSpace' : 'lowUptime';
    await page.locator(`[data-testid="why-nothing"][data-reasons="${reasons}"]`).waitFor({ timeout: WAIT_MS });
    await vault();

    // The chain draws the report for an audit in the next block; Bob's storage node answers it.
    let challenge;
    for (let i = 0; i < 3 && !challenge; i++) {
      await step();
      for (const [key, value] of await api.query.storagePower.challenges.entries()) {
        const c = value.unwrap();
        if (c.provider.toString() === bob.address && c.issuer.isNone) challenge = { id: key.args[0].toNumber(), point: c.point.toNumber() };
      }
    }
    assert.ok(challenge, 'the chain audits the report');
    const answered = succeeded(await submit(api, api.tx.storagePower.respondChallenge(challenge.id, receiptAnswer(tree, challenge.point)), bob), 'respond');
    expectEvent(answered, 'storagePower', 'ChallengePassed', 'the answer to the audit of the report');
    await vault();
    const audits = page.getByTestId('audits');
    await page.locator('[data-testid="audits"][data-passed="1"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await audits.getAttribute('data-failed'), '0');
    const served = page.getByTestId('bytes-served');
    assert.equal(await served.getAttribute('data-bytes'), String(SERVED));
    assert.equal(await served.getAttribute('data-receipts'), '16');

    // Heartbeats from the page, one per slot, until half the era's are sent.
    const first = Math.floor(((await bestNumber(api)) + 1 - start) / interval);
    for (let k = 0; k < 3; k++) {
      await advance(start + (first + k) * interval);
      await page.getByTestId('heartbeat').click();
      await page.locator(`[data-testid="provider-state"][data-heartbeats="${k + 1}"]`).waitFor({ timeout: WAIT_MS });
      await vault();
    }

    // A second heartbeat in the same slot: the pallet's own words.
    await page.getByTestId('heartbeat').click();
    const refused = page.locator('[data-error-name="StoragePower.HeartbeatTooSoon"]');
    await refused.waitFor({ timeout: WAIT_MS });
    assert.match(await refused.textContent(), /A heartbeat was already counted in this slot/);
    await vault();

    // The replica's audit of the era is drawn by the last block of the window (its deadline stays
    // in the era): blocks go by, the vault answering, until it has passed.
    while (BigInt((await rpc.provider(api, bob.address)).auditedBytes) === 0n && (await bestNumber(api)) + 1 < start + eraLength - deadline) await step();
    const provider = await rpc.provider(api, bob.address);
    assert.equal(BigInt(provider.auditedBytes), BigInt(object.length), 'the replica\'s bytes audited this era');
    await page.locator(`[data-testid="replicas"][data-audited-bytes="${object.length}"]`).waitFor({ timeout: WAIT_MS });
    assert.match(await page.getByTestId('audited-bytes').textContent(), /^9\.\d KiB$/);
    // The era's tally of replica audits: the one of this era passed.
    assert.equal(provider.replicaAuditsPassed, 1);
    const tally = page.locator('[data-testid="replica-audits"][data-passed="1"][data-failed="0"]');
    await tally.waitFor({ timeout: WAIT_MS });
    assert.match(await tally.textContent(), /^1 passed, 0 failed/);
    const alpha = (await api.query.storagePower.parameters()).alpha.toBigInt();
    // floor(alpha × audited bytes / GiB), times the uptime factor (3 of 6 heartbeats: exactly ½).
    assert.equal(BigInt(provider.power), ((alpha * BigInt(object.length)) / 2n ** 30n) * BigInt(provider.heartbeats) / BigInt(provider.expectedHeartbeats));
    const estimate = await rpc.estimateReward(api, bob.address);
    assert.ok(BigInt(provider.power) > 0n, 'power once the uptime counts');
    await page.locator(`[data-testid="provider-state"][data-power="${BigInt(provider.power)}"]`).waitFor({ timeout: WAIT_MS });
    const shown = page.getByTestId('estimate');
    assert.equal(await shown.getAttribute('data-reward'), String(BigInt(estimate.reward)));
    assert.ok(BigInt(estimate.emission) > 0n);
    assert.equal(BigInt(estimate.reward), BigInt(estimate.power) * BigInt(estimate.emission) / BigInt(estimate.totalPower));
    assert.equal(await page.getByTestId('why-nothing').count(), 0);
    assert.match(await page.getByTestId('estimate-formula').textContent(), new RegExp(`My power ${BigInt(provider.power)} / total power ${BigInt(estimate.totalPower)}`));
    await screenshot(page, 'provider-estimate');

    // Every audit of the replica, in the era it was taken and in this one, passed.
    assert.ok(answers.length >= 2, `${answers.length} replica audits answered`);
    for (const answer of answers) assert.ok(answer.events.some((e) => e.name === 'ReplicaAuditPassed'), JSON.stringify(answer.events));
    assert.ok(openSeen);

    // After the era's audit window (no draws, no open audit) Bob drops the replica from his page;
    // the era's audited bytes and power stay.
    await advance(start + eraLength - deadline);
    const drop = replicas.locator(`li[data-order="${orderId}"]`).getByTestId('drop-replica');
    assert.ok(await drop.isEnabled());
    await drop.click();
    await replicas.getByText('No replicas yet').waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await rpc.replicasOf(api, bob.address), []);
    assert.deepEqual((await rpc.order(api, orderId)).holders, []);
    assert.equal(BigInt((await rpc.provider(api, bob.address)).power), BigInt(provider.power));

    // The era closes: the chart and its table show the exact reward, claimable.
    await advance(start + eraLength + 1);
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
