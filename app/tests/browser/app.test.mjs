// The app in a real browser (Debian's Chromium through playwright-core) against a dev node and a
// vault started here on 127.0.0.1: a pack checked by the camera (Chromium's fake capture playing
// a rendered DataMatrix of a real pack), then again; a recalled batch; the Chinese locale; a
// patient adding a sealed record with the storage order that pays for it, renewing the order,
// granting a clinician and revoking; guardians giving a hospital access for a patient; the provider page's account of where the era's rewards
// come from; the patient erasing the record (its order ended first). Every assertion about the chain reads the chain itself. Screenshots:
// app/test-results/browser/.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_PHRASE, bestNumber, rpcCall, submit } from '../../../scripts/lib/chain.mjs';
import { verificationLabel, leafHash, packElementString } from '../../../scripts/lib/drug-codes.mjs';
import { runDrugFlow } from '../../../scripts/drug-flow.mjs';
import { keyAgreementFromSuri, openLocator, open, commitment } from '../../../scripts/lib/seal.mjs';
import { parseRecordLocator, sealRecordFor } from '../../../scripts/lib/records.mjs';
import { CONSULT_NOTE } from '../../../scripts/lib/ehr-codes.mjs';
import { bytesHex } from '../../../scripts/lib/flow.mjs';
import { VaultClient } from '../../../scripts/lib/vault.mjs';
import { stackForSuite, registerShippedBatch, writeLabelVideo, launchBrowser, openApp, screenshot, WAIT_MS, ARTEFACTS, labelOf, escapeRegExp, openOwnRecordInPage } from './support.mjs';

const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;

describe('the Medchain app in Chromium', () => {
  let stack;
  let active;
  let inTransit;
  let recalled;
  const browsers = stackForSuite(async (started) => {
    stack = started;
    const { api, accounts } = stack;
    active = await registerShippedBatch(api, accounts.alice, { packs: 64, shipped: 10 });
    // Shipped to a wholesaler, not yet to any pharmacy.
    inTransit = await registerShippedBatch(api, accounts.alice, { packs: 8, shipped: 4, toPharmacy: false });
    // The drug flow ends with its batch recalled by the manufacturer (and its packs shipped on).
    recalled = await runDrugFlow(api, accounts, () => {});
  });

  const packLabel = (batch, index) => {
    const pack = batch.codes.packs[index];
    return verificationLabel({ gtin: batch.gtin, lot: batch.lot, serial: pack.serial, code: pack.code, salt: pack.salt, proof: batch.codes.proof(index) });
  };
  const codeStatus = (batch, index) => {
    const pack = batch.codes.packs[index];
    return rpcCall(stack.api, 'drugProvenance_codeStatus', [batch.batchId, hex(leafHash(pack.serial, pack.code, pack.salt))]);
  };

  test('a pack scanned by the camera is genuine and first; scanned again it was already checked', async () => {
    const index = 5;
    const video = await writeLabelVideo(packLabel(active, index), 'pack-label');
    const session = await launchBrowser({ fakeCamera: video });
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'check');
    assert.equal(await codeStatus(active, index), null, 'not verified before the scan');

    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor({ timeout: WAIT_MS });
    assert.equal(await verdict.getAttribute('data-verdict'), 'genuine-first', await verdict.textContent());
    assert.match(await verdict.textContent(), /Genuine, and this is its first check/);
    // The check went on chain: an unsigned, free verification by the public.
    const status = await codeStatus(active, index);
    assert.equal(status.firstVerifier, 'Public');
    assert.equal(status.alarms, 0);
    // The custody trail: registered, then the shipments to the wholesaler and on to a pharmacy, received.
    const trail = page.getByTestId('custody-trail');
    assert.match(await trail.textContent(), /registered by manufacturer /);
    assert.match(await trail.locator('[data-hop="0"]').textContent(), /manufacturer .* sent 10 packs to wholesaler .* received/);
    assert.match(await trail.locator('[data-hop="1"]').textContent(), /wholesaler .* sent 10 packs to pharmacy .* received/);
    await screenshot(page, 'check-camera-first');

    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await page.locator('[data-verdict="already-checked"]').waitFor({ timeout: WAIT_MS });
    assert.match(await verdict.textContent(), /Already checked: first on .* \(a member of the public\)/);
    assert.deepEqual(await codeStatus(active, index), status, 'the second look recorded nothing');
    await screenshot(page, 'check-camera-again');
    assert.deepEqual(problems, []);
  });

  test('a genuine pack of a batch no pharmacy has received is flagged as out of the supply chain', async () => {
    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'check');
    await page.getByLabel('Text under the verification code (optional)').fill(packLabel(inTransit, 2));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor({ timeout: WAIT_MS });
    assert.equal(await verdict.getAttribute('data-verdict'), 'not-at-pharmacy', await verdict.textContent());
    assert.match(await verdict.textContent(), /no pharmacy or hospital has received this batch yet/);
    // The check is on chain all the same: evidence of where the pack was seen.
    assert.equal((await codeStatus(inTransit, 2)).firstVerifier, 'Public');
    assert.equal(await page.locator('[data-hop]').count(), 1, 'manufacturer → wholesaler only');
    await screenshot(page, 'check-not-at-pharmacy');
    assert.deepEqual(problems, []);
  });

  test('a recalled batch shows recalled, typed or pasted, with its trail', async () => {
    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'check');
    // A cold first load (fresh profile): what it fetched, and when it painted and was usable.
    const metrics = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource').filter((r) => /\/assets\//.test(r.name));
      return {
        firstContentfulPaintMs: Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1),
        chainReadyMs: Math.round(performance.now()),
        domContentLoadedMs: Math.round(navigation.domContentLoadedEventEnd),
        assetsLoaded: resources.length,
        assetBytes: resources.reduce((sum, r) => sum + r.encodedBodySize, 0),
      };
    });
    writeFileSync(join(ARTEFACTS, 'first-load.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    console.log(`first load of the check page: ${JSON.stringify(metrics)}`);
    // At phone width (390 px) the menu is one row that scrolls sideways, not three rows.
    const menu = await page.getByRole('navigation').boundingBox();
    assert.ok(menu.height < 60, `the menu is ${menu.height} px high`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'nothing wider than the phone');
    // No camera in this browser: the page says so, hides the empty video and offers typing instead.
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await page.getByRole('alert').filter({ hasText: 'The camera could not start' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('.scanner video').isVisible(), false);
    await page.getByRole('button', { name: 'Type the codes instead' }).click();
    await page.locator('.scanner').waitFor({ state: 'detached', timeout: WAIT_MS });
    await page.getByLabel('Product number (GTIN)').fill(recalled.gtin);
    await page.getByLabel('Batch or lot number').fill(recalled.lot);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor({ timeout: WAIT_MS });
    assert.equal(await verdict.getAttribute('data-verdict'), 'recalled');
    assert.match(await verdict.textContent(), /Recalled: do not use this medicine/);
    assert.equal(await page.locator('[data-hop]').count(), 2, 'manufacturer → wholesaler → pharmacy');
    await screenshot(page, 'check-recalled');

    // A never-checked pack of the recalled batch, its label pasted: recalled, and not spent.
    const unchecked = recalled.codes.packs.findIndex((_, i) => i !== recalled.verification.packIndex);
    await page.getByLabel('Text under the verification code (optional)').fill(packLabel(recalled, unchecked));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('[data-verdict="recalled"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await codeStatus(recalled, unchecked), null, 'a recalled pack\'s code is not spent');

    // A batch nobody registered: suspected counterfeit.
    await page.getByLabel('Text under the verification code (optional)').fill(packElementString({ gtin: recalled.gtin, lot: 'NOSUCHLOT', serial: 'SN1' }));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('[data-verdict="unknown-batch"]').waitFor({ timeout: WAIT_MS });
    assert.deepEqual(problems, []);
  });

  test('the Chinese locale renders the page and the answer', async () => {
    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'check');
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('heading', { name: '查验药品' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
    await page.getByLabel('产品编号（GTIN）').fill(recalled.gtin);
    await page.getByLabel('批号', { exact: true }).fill(recalled.lot);
    await page.getByRole('button', { name: '查验', exact: true }).click();
    await page.locator('[data-verdict="recalled"]').waitFor({ timeout: WAIT_MS });
    assert.match(await page.locator('[data-verdict]').textContent(), /已召回/);
    assert.match(await page.getByTestId('custody-trail').textContent(), /生产企业/);
    await screenshot(page, 'check-zh');
    // The choice is remembered: a reload stays in Chinese.
    await page.reload();
    await page.getByRole('heading', { name: '查验药品' }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(problems, []);
  });

  test('a patient adds a record sealed in the browser and pays for its storage, grants a clinician, and revokes', async () => {
    const { api } = stack;
    const patient = stack.accounts.ferdie;
    const clinician = stack.accounts.dave; // a registered clinician in the dev preset
    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'patient');
    await page.locator('select[name="account"]').selectOption({ label: labelOf('Ferdie', patient.address) });
    await page.getByTestId('key-ready').waitFor({ timeout: WAIT_MS });
    // The balance in MED with the chain's 12 decimals (four shown, rounded down).
    const free = (await api.query.system.account(patient.address)).data.free.toBigInt();
    const whole = (free / 10n ** 12n).toLocaleString('en-GB');
    const fraction = (free % 10n ** 12n).toString().padStart(12, '0').slice(0, 4).replace(/0+$/, '');
    assert.equal(await page.getByTestId('balance').textContent(), `Balance: ${whole}${fraction ? `.${fraction}` : ''} MED`);

    const before = await rpcCall(api, 'ehr_records', [patient.address]);
    const ordersBefore = await rpcCall(api, 'storagePower_ordersOf', [patient.address]);
    const document = `Consultation ${Date.now()}: blood pressure 128/82, no change to treatment.`;
    await page.getByLabel('Document text').fill(document);
    // Before signing: the chain's quote for 3 copies of the sealed object, for the chosen 90 eras.
    await page.getByLabel('Keep it for').selectOption('90');
    const quote = page.locator('[data-testid="storage-quote"][data-kind="quote"][data-eras="90"]');
    await quote.waitFor({ timeout: WAIT_MS });
    const quotedSize = Number(await quote.getAttribute('data-size'));
    const quotedPerEra = BigInt(await quote.getAttribute('data-per-era'));
    const chainQuote = await rpcCall(api, 'storagePower_quote', [quotedSize, 3, 90]);
    assert.equal(quotedPerEra, BigInt(chainQuote.perEra));
    assert.equal(BigInt(await quote.getAttribute('data-total')), BigInt(chainQuote.total));
    assert.ok(quotedPerEra > 0n);
    assert.match(await quote.textContent(), /3 copies: 0\.0000000\d+ MED per era, 0\.00000\d+ MED for 90 eras, and a deposit of 0\.1 MED/);
    await page.getByRole('button', { name: 'Seal, upload and add' }).click();
    await page.locator('[data-tx-status="good"]').first().waitFor({ timeout: WAIT_MS });
    await page.locator(`[data-record]`).nth(before.length).waitFor({ timeout: WAIT_MS });

    // On chain: a new record whose locator only Ferdie opens; in the vault: the sealed object,
    // which opens to the document and matches the commitment.
    const after = await rpcCall(api, 'ehr_records', [patient.address]);
    assert.equal(after.length, before.length + 1);
    const record = after[after.length - 1];
    const key = await keyAgreementFromSuri(`${DEV_PHRASE}//Ferdie`);
    const locatorBytes = Uint8Array.from(Buffer.from(bytesHex(record.locator).slice(2), 'hex'));
    const { objectPath, dataKey } = parseRecordLocator(await openLocator(locatorBytes, patient.publicKey, key, api.genesisHash.toU8a()));
    const contentId = Uint8Array.from(Buffer.from(objectPath.slice('objects/0x'.length), 'hex'));
    const object = await new VaultClient(stack.vault.url, patient).get(contentId);
    assert.equal(object.length, Number(record.size));
    const opened = open(dataKey, object);
    assert.equal(new TextDecoder().decode(opened.content), document);
    assert.equal(hex(commitment(opened.salt, opened.content)), record.commitment);
    assert.ok(!JSON.stringify(record).includes(Buffer.from('blood pressure').toString('hex')), 'no plaintext on chain');
    // The patient reads it back in the page: the key from the locator sealed to them, the
    // object from the vault.
    assert.equal(await openOwnRecordInPage(page, record.id), document);
    // The whole address, to give to whoever grants this account access.
    assert.equal(await page.getByTestId('full-address').textContent(), patient.address);

    // The same signature placed the storage order for exactly that sealed object, at the quote.
    assert.equal(Number(record.size), quotedSize, 'the quote priced the sealed size');
    const orders = await rpcCall(api, 'storagePower_ordersOf', [patient.address]);
    assert.equal(orders.length, ordersBefore.length + 1);
    const placed = orders.find((o) => o.contentId === hex(contentId));
    assert.ok(placed, JSON.stringify(orders));
    assert.equal(Number(placed.sizeBytes), Number(record.size));
    assert.equal(placed.replicas, 3);
    assert.equal(placed.endEra - placed.startEra, 90);
    assert.equal(BigInt(placed.perEra), quotedPerEra);
    assert.equal(placed.live, true);
    // "My storage orders" lists it with the chain's per-era price, named by its record.
    const orderRow = page.locator(`[data-order="${placed.id}"]`);
    await orderRow.waitFor({ timeout: WAIT_MS });
    assert.equal(BigInt(await orderRow.getAttribute('data-per-era')), BigInt(placed.perEra));
    assert.equal(Number(await orderRow.getAttribute('data-paid-until-era')), placed.endEra);
    assert.match(await orderRow.textContent(), new RegExp(`Order #${placed.id}: record #${record.id} \\(0x[0-9a-f]{4}…[0-9a-f]{4}\\), ${record.size} B, 3 copies, 0\\.0+\\d+ MED per era, paid until .* — live`));
    // How many of the copies providers hold, as the chain says (no provider runs here: none yet).
    const held = orderRow.locator('[data-held]');
    assert.equal(Number(await held.getAttribute('data-held')), placed.holders.length);
    assert.equal(placed.holders.length, 0);
    assert.match(await held.textContent(), /No storage provider has taken a copy yet/);
    // Renewing for 5 more eras at an unchanged price costs 5 eras; the chain moves the end.
    await orderRow.getByLabel('Renew for (eras)').fill('5');
    const renewal = orderRow.getByTestId('renew');
    await orderRow.locator(`[data-testid="renew"][data-paid="${BigInt(placed.perEra) * 5n}"]`).waitFor({ timeout: WAIT_MS });
    assert.match(await renewal.textContent(), /Renewing costs 0\.0+\d+ MED now; paid until /);
    await renewal.getByRole('button', { name: 'Renew' }).click();
    await page.locator(`[data-order="${placed.id}"][data-paid-until-era="${placed.endEra + 5}"]`).waitFor({ timeout: WAIT_MS });
    const renewed = await rpcCall(api, 'storagePower_order', [placed.id]);
    assert.equal(renewed.endEra, placed.endEra + 5);
    await screenshot(page, 'patient-storage-order');

    // The grantee field offers exactly the providers the chain registers, by name and kind.
    const providers = (await api.query.ehr.providers.entries())
      .filter(([key, provider]) => provider.unwrap().status.isActive && key.args[0].toString() !== patient.address)
      .map(([key, provider]) => `${key.args[0].toString()} ${provider.unwrap().kind.type.toLowerCase()}`);
    const granteeOptions = page.locator('#grantee-accounts option');
    await granteeOptions.first().waitFor({ state: 'attached', timeout: WAIT_MS });
    const offered = await granteeOptions.evaluateAll((options) => options.map((o) => `${o.value} ${o.textContent.split(' · ')[1]}`));
    assert.deepEqual(offered.sort(), providers.sort());
    assert.equal(await page.locator(`#grantee-accounts option[value="${clinician.address}"]`).textContent(), `${labelOf('Dave', clinician.address)} · clinician`);

    // Grant Dave read access for treatment with a read limit, then revoke it.
    await page.getByLabel('Who (account address)').fill(clinician.address);
    await page.getByLabel('Reads allowed (empty: no limit)').fill('3');
    await page.getByRole('button', { name: 'Give access' }).click();
    const grantItem = page.locator(`[data-grantee="${clinician.address}"]`);
    await grantItem.waitFor({ timeout: WAIT_MS });
    const grants = await rpcCall(api, 'ehr_activeGrants', [patient.address]);
    const grant = grants.find((g) => g.grantee === clinician.address);
    assert.ok(grant, JSON.stringify(grants));
    assert.equal(grant.readsLeft, 3);
    assert.match(await grantItem.textContent(), /all my records, read, for treatment, until .*, 3 reads left/);
    await screenshot(page, 'patient-granted');

    // A grant that ends in the past is refused by the form, before any signature.
    await page.getByLabel('Until (date)').fill('2020-01-01');
    await page.getByRole('button', { name: 'Give access' }).click();
    await page.getByText('Please correct: the date must be in the future').waitFor({ timeout: WAIT_MS });

    // Dave reads the record under the grant: the patient's timeline shows who, what and why.
    const read = await submit(api, api.tx.ehr.logAccess(patient.address, record.id, 'Treatment'), clinician);
    assert.equal(read.dispatchError, null);
    const logEntry = page.getByTestId('access-log').locator('[data-log-index]').first();
    await logEntry.waitFor({ timeout: WAIT_MS });
    assert.match(await logEntry.textContent(), new RegExp(`${escapeRegExp(labelOf('Dave', clinician.address))} opened record #${record.id} for treatment \\(with your consent\\)`));

    // A grant to oneself: the chain refuses it, and the page says why in the pallet's words.
    await page.getByLabel('Until (date)').fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    // The browser draws the date in its own locale's format; the page writes it out in its language.
    assert.match(await page.getByTestId('expiry-spelled').textContent(), /^\d{1,2} \w{3,4} \d{4} \(in 7 days\)$/);
    await page.getByLabel('Who (account address)').fill(patient.address);
    await page.getByRole('button', { name: 'Give access' }).click();
    const refusal = page.locator('[data-error-name="Ehr.CannotTargetSelf"]');
    await refusal.waitFor({ timeout: WAIT_MS });
    const docs = api.errors.ehr.CannotTargetSelf.meta.docs.map(String).join(' ').replace(/[[\]`]/g, '').trim();
    assert.ok(docs.length > 0);
    assert.ok((await refusal.textContent()).includes(docs.split(/\s+/).slice(0, 4).join(' ')), `${await refusal.textContent()} names "${docs}"`);
    await screenshot(page, 'patient-refused');

    await grantItem.getByRole('button', { name: 'Revoke' }).click();
    await grantItem.waitFor({ state: 'detached', timeout: WAIT_MS });
    const left = await rpcCall(api, 'ehr_activeGrants', [patient.address]);
    assert.ok(!left.some((g) => g.grantee === clinician.address));
    await screenshot(page, 'patient-revoked');

    // The storage provider page: where this era's rewards come from, the order's revenue in it.
    await page.goto(`${stack.app.url}#/provider`);
    const income = page.getByTestId('era-income');
    await income.waitFor({ timeout: WAIT_MS });
    const economics = await rpcCall(api, 'storagePower_economics', []);
    assert.equal(Number(await income.getAttribute('data-era')), economics.era);
    assert.equal(BigInt(await income.getAttribute('data-order-revenue')), BigInt(economics.orderRevenue));
    assert.ok(BigInt(economics.orderRevenue) >= BigInt(placed.perEra), 'this era is paid by the order');
    assert.match(await page.getByTestId('income-orders').textContent(), /^0\.0+[1-9]\d* MED$/, 'a few planck shown exactly, not as 0');
    assert.equal(BigInt(await income.getAttribute('data-next-order-revenue')), BigInt(economics.nextOrderRevenue));
    assert.equal(BigInt(await income.getAttribute('data-next-subsidy')), BigInt(economics.nextSubsidy));
    const { initial, startEra, halfLifeEras } = economics.subsidy;
    // The schedule's amount for the era; the genesis era (0) had none minted.
    const subsidyNow = economics.era === 0 || economics.era < startEra ? 0n : BigInt(initial) >> BigInt(Math.floor((economics.era - startEra) / halfLifeEras));
    assert.equal(BigInt(await income.getAttribute('data-subsidy')), subsidyNow);
    assert.equal(BigInt(initial), 1000n * 10n ** 12n);
    assert.match(await page.getByTestId('subsidy-schedule').textContent(), new RegExp(`The subsidy is 1,000 MED per era from era ${startEra} and halves every ${halfLifeEras} eras`));
    await screenshot(page, 'provider-era-income');

    // Back on the patient's page, the patient erases the record, after reading what it means: its
    // storage order is ended first (the order could also be ended alone, its refund shown), then
    // the sealed copy in the vault, then the record on chain.
    await page.goto(`${stack.app.url}#/patient`);
    const ending = page.locator(`[data-order="${placed.id}"]`).getByTestId('cancel-order');
    await ending.waitFor({ timeout: WAIT_MS });
    assert.match(await ending.textContent(), /^End now \([\d.,]+ MED refunded, the deposit of [\d.,]+ MED back\)$/);
    const recordItem = page.locator(`[data-record="${record.id}"]`);
    await recordItem.getByRole('button', { name: 'Erase…' }).click();
    const erasing = recordItem.getByTestId('erase-record');
    assert.match(await erasing.textContent(), /cannot be undone/);
    assert.match(await erasing.textContent(), new RegExp(`Its storage order #${placed.id} is ended first: [\\d.,]+ MED comes back`));
    const confirmErase = erasing.getByRole('button', { name: `Erase record #${record.id}` });
    assert.equal(await confirmErase.isDisabled(), true, 'nothing is erased before the patient says they understand');
    await erasing.getByLabel('I understand that the record is gone for good').check();
    await confirmErase.click();
    await recordItem.waitFor({ state: 'detached', timeout: WAIT_MS });
    await page.locator(`[data-order="${placed.id}"]`).waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.equal(await rpcCall(api, 'storagePower_order', [placed.id]), null, 'the order ended');
    assert.ok(!(await rpcCall(api, 'ehr_records', [patient.address])).some((r) => r.id === record.id), 'the record is erased on chain');
    await assert.rejects(new VaultClient(stack.vault.url, patient).get(contentId), (e) => e.status === 410, 'the sealed copy is erased');
    await screenshot(page, 'patient-erased');
    assert.deepEqual(problems, []);
  });

  test('a patient names two guardians, who together give a hospital access for them', async () => {
    const { api, accounts } = stack;
    const patient = accounts.ferdie;
    const [first, second] = [accounts.alice, accounts.bob];
    const hospital = accounts.charlie; // a registered hospital in the dev preset
    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    const actAs = (name, pair) => page.locator('select[name="account"]').selectOption({ label: labelOf(name, pair.address) });
    await openApp(page, stack.app.url, 'patient');
    await actAs('Ferdie', patient);

    // The patient names Alice and Bob, both to agree. Naming oneself is refused before signing.
    const mine = page.getByTestId('guardians');
    await mine.getByText('You have no guardians.').waitFor({ timeout: WAIT_MS });
    await mine.locator('input[name="guardian-1"]').fill(patient.address);
    await mine.getByRole('button', { name: 'Save guardians' }).click();
    await mine.getByText('Please correct: you cannot be your own guardian').waitFor({ timeout: WAIT_MS });
    assert.equal((await api.query.ehr.guardians(patient.address)).isNone, true);
    await mine.locator('input[name="guardian-1"]').fill(first.address);
    await mine.locator('input[name="guardian-2"]').fill(second.address);
    await mine.getByLabel('How many must agree').fill('2');
    await mine.getByRole('button', { name: 'Save guardians' }).click();
    const set = mine.getByTestId('guardian-set');
    await set.waitFor({ timeout: WAIT_MS });
    const stored = (await api.query.ehr.guardians(patient.address)).unwrap();
    assert.deepEqual(stored.guardians.map(String).sort(), [first.address, second.address].sort());
    assert.equal(stored.threshold.toNumber(), 2);
    // Named in the chain's order (it keeps them sorted).
    const named = stored.guardians.map(String).map((address) => labelOf(address === first.address ? 'Alice' : 'Bob', address));
    assert.match(await set.textContent(), new RegExp(`^${escapeRegExp(named[0])} and ${escapeRegExp(named[1])}: any 2 of these 2 together may act for you\\.`));

    // Alice proposes giving Charlie's hospital read access: one approval of the two needed.
    await actAs('Alice', first);
    const guarded = page.locator(`[data-guarded="${patient.address}"]`);
    await guarded.waitFor({ timeout: WAIT_MS });
    await guarded.getByLabel('Who (account address)').fill(hospital.address);
    assert.match(await guarded.getByText(/guardians hold no keys/).textContent(), /only the records whose keys the patient has already given them/);
    await guarded.getByRole('button', { name: 'Propose and approve' }).click();
    const proposal = guarded.locator('[data-proposal]');
    await proposal.waitFor({ timeout: WAIT_MS });
    assert.match(await proposal.textContent(), new RegExp(`^Give ${escapeRegExp(labelOf('Charlie', hospital.address))} read access to every record, for treatment, until .*\\. Approved by 1 of the 2 needed; proposed by ${escapeRegExp(labelOf('Alice', first.address))}`));
    assert.equal(await proposal.getByRole('button', { name: 'Approve' }).count(), 0, 'Alice approved it already');
    assert.equal((await api.query.ehr.guardianProposals.entries(patient.address)).length, 1);
    assert.equal((await api.query.ehr.grants(patient.address, hospital.address)).isNone, true, 'no grant yet');

    // Bob approves: the grant is made, and the proposal is gone.
    await actAs('Bob', second);
    await guarded.locator('[data-proposal]').getByRole('button', { name: 'Approve' }).click();
    await guarded.locator('[data-proposal]').waitFor({ state: 'detached', timeout: WAIT_MS });
    const grant = (await api.query.ehr.grants(patient.address, hospital.address)).unwrap();
    assert.equal(grant.purpose.toString(), 'Treatment');
    assert.equal(grant.actions.read.isTrue, true);
    assert.equal((await api.query.ehr.guardianProposals.entries(patient.address)).length, 0);

    // The patient sees the grant their guardians gave.
    await actAs('Ferdie', patient);
    await page.locator(`[data-grantee="${hospital.address}"]`).waitFor({ timeout: WAIT_MS });
    await screenshot(page, 'patient-guardians');
    assert.deepEqual(problems, []);
  });

  test('a patient erases a record a clinician added, ending the storage order the clinician paid for it', async () => {
    const { api } = stack;
    const patient = stack.accounts.eve;
    const clinician = stack.accounts.dave; // a registered clinician in the dev preset
    const ok = async (tx, signer, what) => {
      const result = await submit(api, tx, signer);
      assert.equal(result.dispatchError, null, `${what}: ${JSON.stringify(result.dispatchError)}`);
      return result;
    };
    // Eve lets Dave add to her records; Dave seals a note for her, uploads it to the vault, and
    // adds the record with the order that pays for keeping it, in one signature.
    await ok(api.tx.ehr.grantAccess(clinician.address, 'All', { read: false, append: true }, 'Treatment', 0, (await bestNumber(api)) + 10_000, null), patient, 'append grant');
    const note = await sealRecordFor(api, patient, '//Eve', `consult note ${Date.now()}: follow-up in two weeks`, { vaultUrl: stack.vault.url });
    assert.equal(await new VaultClient(stack.vault.url, clinician).put(note.sealed.contentId, note.sealed.object), true);
    const added = await ok(api.tx.utility.batchAll([
      api.tx.ehr.addRecord(patient.address, CONSULT_NOTE, note.commitment, note.contentId, note.locator, note.size),
      api.tx.storagePower.placeOrder(note.contentId, note.sealed.object.length, 1, 20),
    ]), clinician, 'add record and order');
    const recordId = added.events.find(({ event }) => api.events.ehr.RecordAdded.is(event)).event.data.recordId.toNumber();
    const orderId = added.events.find(({ event }) => api.events.storagePower.OrderPlaced.is(event)).event.data.orderId.toNumber();
    const [issued] = await rpcCall(api, 'storagePower_ordersOfContent', [note.contentId, clinician.address]);
    assert.equal(issued.id, orderId);
    // Free and held: the deposits Dave gets back (the order's, the record's) only move between them.
    const clinicianTotal = async () => {
      const { free, reserved } = (await api.query.system.account(clinician.address)).data;
      return free.toBigInt() + reserved.toBigInt();
    };
    const clinicianBefore = await clinicianTotal();

    const session = await launchBrowser();
    browsers.push(session);
    const { page, problems } = session;
    await openApp(page, stack.app.url, 'patient');
    await page.locator('select[name="account"]').selectOption({ label: labelOf('Eve', patient.address) });
    const recordItem = page.locator(`[data-record="${recordId}"]`);
    await recordItem.waitFor({ timeout: WAIT_MS });
    await recordItem.getByRole('button', { name: 'Erase…' }).click();
    // The page found the order Dave placed for this record and says whose refund it is.
    const hint = recordItem.getByTestId('erase-issuer-order');
    await hint.waitFor({ timeout: WAIT_MS });
    assert.match(await hint.textContent(), new RegExp(`order #${orderId}`));
    await recordItem.getByLabel('I understand that the record is gone for good').check();
    await recordItem.getByRole('button', { name: `Erase record #${recordId}` }).click();
    await recordItem.waitFor({ state: 'detached', timeout: WAIT_MS });

    assert.equal(await rpcCall(api, 'storagePower_order', [orderId]), null, 'the order ended');
    assert.deepEqual(await rpcCall(api, 'storagePower_ordersOfContent', [note.contentId, clinician.address]), []);
    assert.ok(!(await rpcCall(api, 'ehr_records', [patient.address])).some((r) => r.id === recordId), 'the record is erased on chain');
    await assert.rejects(new VaultClient(stack.vault.url, patient).get(note.sealed.contentId), (e) => e.status === 410, 'the sealed copy is erased');
    // The eras after the one it ended in went back to Dave, who paid for them.
    const refund = (await clinicianTotal()) - clinicianBefore;
    const perEra = BigInt(issued.perEra);
    assert.ok(refund > 0n && refund % perEra === 0n && refund / perEra < BigInt(issued.endEra - issued.startEra), `refund ${refund} of ${perEra} per era`);
    await screenshot(page, 'patient-erased-issuer-order');
    assert.deepEqual(problems, []);
  });
});
