// The mutual-aid member page in Chromium against a dev node started here: Root creates a
// share-after-claims pool and announces a rule change; Bob (a patient of the dev preset's
// hospital, Charlie) joins it in his page, waits out the waiting period, contributes, and files a
// claim citing a record Charlie added to his EHR, with a salted commitment to a covered condition
// made in his browser. His page follows the claim through public notice (a refused `leave` shows
// the pallet's words), the panel's draw (from his page; his patient page lists the reviewers
// until the decision), the panel's votes (the reviewers sign
// here), the decision and its appeal window, finalizing and the period's apportioning (from his
// page), after which the ledger shows the payout and his share. Every assertion about the chain
// reads the chain itself. Screenshots: app/test-results/browser/.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MED, rpcCall, submit, sudo } from '../../../scripts/lib/chain.mjs';
import { advanceTo, commitText, expectEvent, succeeded } from '../../../scripts/lib/flow.mjs';
import { conditionCommitment } from '../../../scripts/lib/commitment.mjs';
import { PATHOLOGY_STUDY } from '../../../scripts/lib/ehr-codes.mjs';
import { voteCommitment } from '../../../scripts/mutual-aid-flow.mjs';
import { stackForSuite, launchBrowser, openApp, screenshot, setPassphrase, storedText, keptTexts, WAIT_MS, ARTEFACTS, labelOf, escapeRegExp } from './support.mjs';

const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;
// Node's randomness: this test imports no @polkadot package of its own (see support.mjs).
const random = (bytes) => new Uint8Array(randomBytes(bytes));

/** A pool a dev chain gets through quickly: 2-block waiting period, 3-block notice, 20-block review. */
const RULES = {
  funding: 'ShareAfterClaims',
  waitingPeriod: 2,
  perClaimCap: 1_000n * MED,
  lifetimeCap: 2_000n * MED,
  coveredConditions: ['C', 'I21'],
  feeBps: 100,
  minMembers: 1,
  noticePeriod: 3,
  reviewPeriod: 20,
  claimDeposit: 10n * MED,
  contribution: 0n,
  maxShare: 1_000n * MED,
};
const CLAIM = 250n * MED;

describe('the mutual-aid member page in Chromium', () => {
  let stack;
  let poolId;
  let appliesAt;
  const browsers = stackForSuite(async (started) => {
    stack = started;
    const { api, accounts } = stack;
    // Root creates the pool, then announces a higher fee (time-locked).
    const created = succeeded(await sudo(api, api.tx.mutualAid.createPool(accounts.alice.address, RULES), accounts.alice), 'create pool');
    poolId = expectEvent(created, 'mutualAid', 'PoolCreated', 'create pool').poolId;
    const proposed = succeeded(await sudo(api, api.tx.mutualAid.proposeRuleChange(poolId, { ...RULES, feeBps: 200 }), accounts.alice), 'propose rules');
    appliesAt = expectEvent(proposed, 'mutualAid', 'RuleChangeProposed', 'propose rules').appliesAt;
  });

  test('a member joins, files a claim with EHR evidence and follows it to payout and the ledger', async () => {
    const { api, accounts } = stack;
    const { alice, bob, charlie } = accounts;
    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'member');
    // An earlier version of the app kept a text of Bob's unencrypted: it moves into his store when
    // he chooses a passphrase, and its plain copy goes.
    const earlier = { kind: 'mutual-aid objection claim 0', text: `Objection ${Date.now()}: the receipts are missing.`, salt: `0x${'11'.repeat(32)}`, commitment: `0x${'22'.repeat(32)}`, at: new Date().toISOString() };
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [`medchain.commitments.${bob.address}`, JSON.stringify([earlier])]);
    await page.locator('select[name="account"]').selectOption({ label: labelOf('Bob', bob.address) });
    await page.getByTestId('keystore-plain').waitFor({ timeout: WAIT_MS });
    await setPassphrase(page);
    assert.deepEqual(await keptTexts(page), [{ kind: earlier.kind, text: earlier.text, salt: earlier.salt, commitment: earlier.commitment }]);
    // Bob is a member of the preset's demo pool 0, shown first; he picks the new pool.
    await page.locator('select[name="pool"]').selectOption(String(poolId));

    // The rules and the announced change, with the date it can apply from.
    const rules = page.getByTestId('pool-rules');
    await rules.getByText(`Rules of pool #${poolId}`).waitFor({ timeout: WAIT_MS });
    assert.match(await rules.locator('[data-rule="per_claim_cap"]').textContent(), /Most per claim1,000 MED/);
    assert.equal(await rules.locator('[data-rule="covered_conditions"] dd').textContent(), 'C (cancer); I21 (heart attack)');
    const pending = page.getByTestId('pending-rules');
    assert.equal(await pending.getAttribute('data-applies-at'), String(appliesAt));
    assert.match(await pending.textContent(), /Rule change announced: it can apply from \d/);
    assert.deepEqual(await pending.locator('[data-changed]').evaluateAll((items) => items.map((i) => [i.dataset.changed, i.textContent])), [['fee_bps', 'Management fee (of the share): 1% → 2%']]);

    // Join: the page names the deposit it holds (the chain's); it is held and the waiting period starts.
    const deposit = api.consts.mutualAid.membershipDeposit.toBigInt();
    assert.equal(deposit % MED, 0n, 'a whole number of MED');
    assert.match(await page.getByTestId('membership').textContent(), new RegExp(`Joining holds a deposit of ${deposit / MED} MED,`));
    await page.getByRole('button', { name: 'Join the pool' }).click();
    const state = page.getByTestId('member-state');
    await state.waitFor({ timeout: WAIT_MS });
    const member = await rpcCall(api, 'mutualAid_member', [poolId, bob.address]);
    assert.ok(member, 'Bob is a member on chain');
    assert.equal(member.eligibleFrom, member.joinedAt + RULES.waitingPeriod);

    // After the waiting period the hospital adds a record to Bob's EHR (its grant is in the preset).
    await advanceTo(api, alice, member.eligibleFrom);
    const added = succeeded(await submit(api, api.tx.ehr.addRecord(bob.address, PATHOLOGY_STUDY, commitText('pathology report'), hex(random(32)), hex(random(48)), 1024), charlie), 'add record');
    const recordId = expectEvent(added, 'ehr', 'RecordAdded', 'add record').recordId;
    await page.locator('[data-eligible="true"]').waitFor({ timeout: WAIT_MS });
    assert.match(await state.textContent(), /Covered now \(since /);

    // A contribution goes into the pool account and the current period's inflow.
    await page.getByLabel('Amount (MED)').fill('5');
    await page.getByRole('button', { name: 'Contribute', exact: true }).click();
    await page.getByTestId('membership').getByText(/Done in block/).waitFor({ timeout: WAIT_MS });
    const contributedIn = (await rpcCall(api, 'mutualAid_pool', [poolId])).currentPeriod;
    assert.equal(BigInt((await rpcCall(api, 'mutualAid_ledger', [poolId, contributedIn])).inflow), 5n * MED);

    // The claim: the record from the hospital, the covered code C, 250 MED.
    const form = page.getByTestId('file-claim');
    const evidence = form.locator(`[data-evidence="${recordId}"]`);
    await evidence.waitFor({ timeout: WAIT_MS });
    assert.match(await evidence.textContent(), new RegExp(`#${recordId} .*by ${escapeRegExp(labelOf('Charlie', charlie.address))}`));
    await evidence.getByRole('checkbox').check();
    await form.getByLabel(/Covered condition/).selectOption('C');
    await form.getByLabel('Amount claimed (MED)').fill('250');
    await form.getByRole('button', { name: 'File the claim' }).click();
    const mine = page.getByTestId('my-claim').locator('[data-claim]');
    await mine.waitFor({ timeout: WAIT_MS });
    const [claim] = await rpcCall(api, 'mutualAid_claims', [poolId, null]);
    assert.equal(normalize(claim.claimant), bob.address);
    assert.equal(BigInt(claim.amount), CLAIM);
    assert.deepEqual(claim.evidence, [recordId]);
    assert.equal(await mine.getAttribute('data-claim'), String(claim.id));
    // The code and salt stayed in Bob's browser, encrypted; his unlocked page lists them, and they
    // open the commitment on chain.
    const kept = await keptTexts(page);
    const condition = kept.find((k) => k.kind === `mutual-aid condition pool ${poolId}`);
    assert.equal(condition.text, 'C');
    assert.equal(conditionCommitment(poolId, 'C', condition.salt), claim.conditionCommitment);
    assert.equal(kept.find((k) => k.kind === `mutual-aid evidence pool ${poolId}`).commitment, claim.evidenceCommitment);
    // The browser's storage holds none of it in plain: no condition, salt, evidence, nor the earlier text.
    const stored = await storedText(page);
    for (const plain of ['mutual-aid condition', '"text":"C"', condition.salt.slice(2), `records ${recordId}`, earlier.text, `medchain.commitments.${bob.address}`]) {
      assert.ok(!stored.includes(plain), `"${plain}" is not in the browser's storage`);
    }

    // Public notice: the stepper says so, with its end; in Chinese too.
    const step = (key) => mine.locator(`[data-step="${key}"]`);
    assert.equal(await step('notice').getAttribute('data-state'), 'current');
    assert.match(await mine.textContent(), new RegExp(`Claim #${claim.id}: 250 MED, filed .* in public notice`));
    await page.locator('.language select').selectOption('zh');
    assert.match(await step('notice').textContent(), /公示 · 进行中 · 至 /);
    await page.locator('.language select').selectOption('en');
    await screenshot(page, 'member-claim-notice');

    // Leaving with an open claim is refused in the pallet's words.
    await page.getByRole('button', { name: 'Leave the pool' }).click();
    const refusal = page.locator('[data-error-name="MutualAid.ClaimOpen"]');
    await refusal.waitFor({ timeout: WAIT_MS });
    assert.match(await refusal.textContent(), /The member has an open claim/);

    // After the notice Bob's page draws the panel: three reviewers, none of them the issuer.
    await advanceTo(api, alice, claim.noticeEnds + 1);
    await mine.getByRole('button', { name: 'Draw the review panel' }).click();
    await page.locator('[data-testid="my-claim"] [data-status="Voting"]').waitFor({ timeout: WAIT_MS });
    const [voting] = await rpcCall(api, 'mutualAid_claims', [poolId, null]);
    const panel = voting.panel.map(normalize);
    assert.equal(panel.length, 3);
    assert.ok(!panel.includes(charlie.address) && !panel.includes(bob.address), 'neither the issuer nor the claimant is on the panel');
    assert.equal(await step('review').getAttribute('data-state'), 'current');
    assert.match(await mine.textContent(), /panel of 3: 0 committed, 0 revealed/);
    await mine.getByTestId('panel-keys').waitFor({ timeout: WAIT_MS });

    // Bob's patient page, in another tab, names the three reviewers, the claim and exactly the
    // cited record, as the chain's review accesses do.
    const patientTab = await session.context.newPage();
    patientTab.on('pageerror', (error) => problems.push(`patient tab: ${error.message}`));
    await openApp(patientTab, stack.app.url, 'patient');
    await patientTab.locator('select[name="account"]').selectOption({ label: labelOf('Bob', bob.address) });
    const readers = patientTab.getByTestId('review-accesses').locator('[data-reviewer]');
    await readers.first().waitFor({ timeout: WAIT_MS });
    const onChain = await rpcCall(api, 'ehr_reviewAccesses', [bob.address]);
    assert.deepEqual(onChain.map((a) => normalize(a.reviewer)).sort(), [...panel].sort());
    const listed = await readers.evaluateAll((items) => items.map((i) => [i.dataset.reviewer, i.dataset.claim, i.dataset.records]));
    assert.deepEqual(listed.map(([who, ...rest]) => [normalize(who), ...rest]).sort(), panel.map((a) => [a, String(claim.id), String(recordId)]).sort());
    assert.match(await readers.first().textContent(), new RegExp(`…\\w{4}\\)?, for claim #${claim.id}: #${recordId} Pathology study, until \\d`));
    await screenshot(patientTab, 'patient-claim-reviewers');

    // The reviewers vote (signed here); the last reveal decides.
    const reviewers = Object.values(accounts).filter((pair) => panel.includes(pair.address));
    const salts = new Map(reviewers.map((r) => [r.address, random(32)]));
    for (const r of reviewers) succeeded(await submit(api, api.tx.mutualAid.commitVote(claim.id, voteCommitment(api, claim.id, r.address, 'Approve', salts.get(r.address))), r), 'commit');
    for (const r of reviewers) succeeded(await submit(api, api.tx.mutualAid.revealVote(claim.id, 'Approve', salts.get(r.address)), r), 'reveal');
    await page.locator('[data-testid="my-claim"] [data-status="Decided"]').waitFor({ timeout: WAIT_MS });
    // The decision ends the panel's access: Bob's patient page lists no reviewer any more.
    await patientTab.getByText('No claim reviewer can read your records.').waitFor({ timeout: WAIT_MS });
    await patientTab.close();
    assert.match(await mine.locator('[data-outcome]').textContent(), /approved in full \(250 MED\)/);
    assert.deepEqual(await stepStates(mine), { notice: 'done', review: 'done', decision: 'done', appeal: 'current', payout: 'upcoming' });
    // A claimant does not appeal a full approval: the page offers no appeal to Bob.
    assert.equal(await mine.getByRole('button', { name: 'Appeal the decision' }).count(), 0);
    await mine.screenshot({ path: join(ARTEFACTS, 'member-claim-decided.png') });

    // After the appeal window Bob's page carries the decision out: recorded for this period.
    const [decided] = await rpcCall(api, 'mutualAid_claims', [poolId, null]);
    await advanceTo(api, alice, decided.decidedAt + RULES.noticePeriod);
    await mine.getByRole('button', { name: 'Carry out the decision' }).click();
    await page.locator('[data-testid="my-claim"] [data-status="AwaitingApportion"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await step('payout').getAttribute('data-state'), 'current');
    const [recorded] = await rpcCall(api, 'mutualAid_claims', [poolId, null]);
    assert.equal(BigInt(recorded.approved), CLAIM);

    // When the period is over Bob's page apportions it: he pays the share and fee, and is paid.
    const periodLength = api.consts.mutualAid.apportionPeriod.toNumber();
    await advanceTo(api, alice, (recorded.period + 1) * periodLength);
    await mine.getByRole('button', { name: `Apportion period ${recorded.period}` }).click();
    await page.getByTestId('my-claim').getByText('You have no open claim.').waitFor({ timeout: WAIT_MS });
    const ledger = await rpcCall(api, 'mutualAid_ledger', [poolId, recorded.period]);
    assert.ok(ledger.apportioned);
    assert.equal(BigInt(ledger.payouts), CLAIM);
    assert.equal(ledger.members, 1);
    assert.equal(BigInt(ledger.perMemberShare), CLAIM);
    assert.equal(BigInt(ledger.perMemberFee), CLAIM / 100n);
    assert.equal(BigInt((await rpcCall(api, 'mutualAid_member', [poolId, bob.address])).claimedTotal), CLAIM);

    // The ledger as the page shows it: the chart's bars and the table's figures are the chain's.
    const chart = page.getByTestId('ledger-chart');
    await chart.locator(`g[data-period="${recorded.period}"] rect[data-series="payouts"]`).waitFor({ timeout: WAIT_MS });
    // The share line has a point only where a period charged one: this period.
    assert.equal(await chart.locator('circle[data-series="share"]').count(), 1);
    await chart.getByText('The figures').click();
    const row = page.getByTestId('ledger-table').locator(`tr[data-period="${recorded.period}"]`);
    await row.waitFor({ timeout: WAIT_MS });
    assert.equal(await row.getAttribute('data-inflow'), BigInt(ledger.inflow).toString());
    assert.equal(await row.getAttribute('data-apportioned'), 'true');
    assert.equal(await row.locator('[data-my-share]').getAttribute('data-my-share'), String(CLAIM + CLAIM / 100n));
    assert.match(await row.textContent(), /250 MED.*2\.5 MED.*252\.5 MED/);
    await screenshot(page, 'member-ledger');
    await page.getByTestId('ledger').screenshot({ path: join(ARTEFACTS, 'member-ledger-card.png') });
    assert.deepEqual(problems, []);

    function normalize(address) {
      return api.createType('AccountId', address).toString();
    }
  });
});

/** The stepper's states by step. */
function stepStates(claim) {
  return claim.locator('[data-step]').evaluateAll((items) => Object.fromEntries(items.map((i) => [i.dataset.step, i.dataset.state])));
}
