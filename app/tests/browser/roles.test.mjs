// The clinician and the pharmacy / manufacturer pages in Chromium against a dev node and a vault
// started here: a clinician replaces the key another device registered, a patient adds a record
// and grants it (the page delivers the record's key through the vault), the clinician opens the
// record (logged on chain, fetched and opened in its browser) and the patient's timeline shows
// the read; a request with its exact terms, approved by the patient; a record added under an
// append grant that the patient opens with their key; break-glass. A manufacturer registers a
// batch whose codes its browser made and prints its labels (their symbols read back by ZXing
// from the page), sends packs to a pharmacy, which receives them, checks a printed pack at the
// counter by camera (first check, then a clone alarm) and reports the batch. Every assertion
// about the chain reads the chain itself. Screenshots: app/test-results/browser/.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_PHRASE, MED, createFundedAccounts, rpcCall, submit } from '../../../scripts/lib/chain.mjs';
import { bytesHex, normAccount, saltedCommitment } from '../../../scripts/lib/flow.mjs';
import { keyAgreementFromSuri, openLocator, open } from '../../../scripts/lib/seal.mjs';
import { parseRecordLocator } from '../../../scripts/lib/records.mjs';
import { pendingRequestTerms } from '../../../scripts/lib/ehr-terms.mjs';
import { leafHash, merkleRoot } from '../../../scripts/lib/drug-codes.mjs';
import { parsePackCode } from '../../../scripts/lib/pack-labels.mjs';
import { drugRpc } from '../../../scripts/drug-flow.mjs';
import { VaultClient } from '../../../scripts/lib/vault.mjs';
import { stackForSuite, launchBrowser, openApp, screenshot, installTestWallet, writeFrameVideo, renderedFrame, readDataMatrix, setPassphrase, unlockStore, storedText, keptTexts, ARTEFACTS, WAIT_MS, labelOf, escapeRegExp, openOwnRecordInPage } from './support.mjs';

const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;

describe('the clinician and partner pages in Chromium', () => {
  let stack;
  const browsers = stackForSuite(async (started) => { stack = started; });

  /** A fresh browser on `route` acting as the dev account `name` (with a fake camera playing `fakeCamera`). */
  const openAs = async (route, name, { fakeCamera } = {}) => {
    const session = await launchBrowser({ fakeCamera });
    browsers.push(session);
    await openApp(session.page, stack.app.url, route);
    const pair = stack.accounts[name.toLowerCase()];
    await session.page.locator('select[name="account"]').selectOption({ label: labelOf(name, pair.address) });
    return session;
  };
  const liveKey = async (address) => {
    const keys = await rpcCall(stack.api, 'dnaWallet_keys', [address]);
    const live = keys.filter((k) => k.keyType === 'X25519' && k.revokedAt == null);
    return bytesHex(live[live.length - 1].publicKey);
  };

  test('a newcomer is told which dev accounts hold each role, on the start page and on the role\'s page', async () => {
    const { api, accounts } = stack;
    const devNames = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
    const holders = async (holds) => {
      const held = await Promise.all(devNames.map((name) => holds(accounts[name.toLowerCase()].address)));
      return new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(devNames.filter((_, i) => held[i]));
    };
    const pools = (await api.query.mutualAid.pools.keys()).map((key) => key.args[0]);
    const roles = {
      patient: await holders(async (address) => (await api.query.ehr.patientRecords(address)).length > 0),
      clinician: await holders(async (address) => (await api.query.ehr.providers(address)).isSome),
      partner: await holders(async (address) => (await api.query.drugProvenance.partners(address)).isSome),
      member: await holders(async (address) => (await Promise.all(pools.map((pool) => api.query.mutualAid.members(pool, address)))).some((m) => m.isSome)),
      provider: await holders(async (address) => (await api.query.storagePower.providers(address)).isSome),
    };
    for (const [role, names] of Object.entries(roles)) assert.ok(names, `the dev preset gives the ${role} role to some dev account`);

    // The start page (the app's first page) says what each role does and who can try it.
    const session = await launchBrowser();
    browsers.push(session);
    await session.page.goto(stack.app.url);
    await session.page.locator('[data-chain-ready]').waitFor({ timeout: WAIT_MS });
    await session.page.getByRole('heading', { name: 'What would you like to do?' }).waitFor();
    for (const [role, names] of Object.entries(roles)) {
      const card = session.page.locator(`[data-role="${role}"]`);
      const holdersLine = card.getByTestId('dev-holders');
      await holdersLine.waitFor({ timeout: WAIT_MS });
      assert.equal(await holdersLine.textContent(), `On this development chain, try it as ${names}.`, role);
    }
    assert.match(await session.page.locator('[data-role="check"]').textContent(), /No account needed\./);
    await screenshot(session.page, 'start');
    // Its links lead to the pages.
    await session.page.locator('[data-role="partner"] h3 a').click();
    await session.page.waitForURL(/#\/partner$/);
    await session.page.locator('nav a[aria-current="page"]', { hasText: 'Pharmacy / manufacturer' }).waitFor();

    for (const route of ['clinician', 'partner']) {
      const { page } = await openAs(route, 'Bob');
      const hint = page.getByTestId('dev-role-hint');
      await hint.waitFor({ timeout: WAIT_MS });
      assert.equal(await hint.textContent(),
        `On this development chain these dev accounts already have this role: ${roles[route]}. Choose one of them above to try this page.`);
    }
  });

  test('a clinician opens a record a patient shared, and the patient sees the read', async () => {
    const { api, accounts } = stack;
    const patient = accounts.ferdie;
    const clinician = accounts.dave; // a registered clinician in the dev preset
    const bob = accounts.bob;
    const daveKey = await keyAgreementFromSuri(`${DEV_PHRASE}//Dave`);
    const ferdieKey = await keyAgreementFromSuri(`${DEV_PHRASE}//Ferdie`);
    // The preset registers the keys Dave's and Ferdie's phrases derive, the ones their browsers
    // use. Each first moves to a key of another device (and removes the retired one, which the
    // registry would otherwise keep as taken), so that their pages offer to replace it.
    for (const [account, name] of [[clinician, 'Dave'], [patient, 'Ferdie']]) {
      const [key] = await rpcCall(api, 'dnaWallet_keys', [account.address]);
      assert.equal(bytesHex(key.publicKey), hex((name === 'Dave' ? daveKey : ferdieKey).publicKey), `${name}'s preset key`);
      const otherDevice = await keyAgreementFromSuri(`${DEV_PHRASE}//${name}//another-device`);
      const moved = await submit(api, api.tx.utility.batchAll([
        api.tx.dnaWallet.rotateKey(key.id, hex(otherDevice.publicKey), 'X25519'),
        api.tx.dnaWallet.removeKey(key.id),
      ]), account);
      assert.equal(moved.dispatchError, null, JSON.stringify(moved.dispatchError));
    }

    // The clinician's page: a registered clinician whose key on chain is another device's.
    const desk = await openAs('clinician', 'Dave');
    assert.match(await desk.page.getByTestId('provider').textContent(), /Registered provider: clinician, active/);
    await desk.page.locator('[data-key-state="other"]').waitFor({ timeout: WAIT_MS });
    await desk.page.getByRole('button', { name: 'Replace my key on chain' }).click();
    await desk.page.locator('[data-key-state="current"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await liveKey(clinician.address), hex(daveKey.publicKey), 'the chain names the key of Dave\'s browser');

    // The patient adds a record in their page, registers their key, and grants the clinician.
    const file = await openAs('patient', 'Ferdie');
    await file.page.getByTestId('key-ready').waitFor({ timeout: WAIT_MS });
    await file.page.getByRole('button', { name: 'Replace my key on chain' }).click();
    await file.page.locator('[data-key-state="current"]').waitFor({ timeout: WAIT_MS });
    const document = `Discharge ${Date.now()}: appendectomy, no complications; review in 10 days.`;
    await file.page.getByLabel('Document text').fill(document);
    await file.page.getByRole('button', { name: 'Seal, upload and add' }).click();
    await file.page.locator('[data-record]').first().waitFor({ timeout: WAIT_MS });
    const [record] = await rpcCall(api, 'ehr_records', [patient.address]);
    // The field offers the registered providers, by name and kind (not the patient's own account).
    assert.equal(await file.page.locator(`#grantee-accounts option[value="${clinician.address}"]`).textContent(), `${labelOf('Dave', clinician.address)} · clinician`);
    assert.equal(await file.page.locator(`#grantee-accounts option[value="${patient.address}"]`).count(), 0);
    await file.page.getByLabel('Who (account address)').fill(clinician.address);
    await file.page.getByRole('button', { name: 'Give access' }).click();
    const delivery = file.page.getByTestId('key-delivery').locator('[data-tx-status]');
    await file.page.getByTestId('key-delivery').getByText(/Keys shared/).waitFor({ timeout: WAIT_MS });
    assert.match(await delivery.textContent(), /Keys shared for 1 of your records: they can open them now/);
    await screenshot(file.page, 'patient-shared-keys');

    // The clinician sees the patient, opens the record: logged on chain, then fetched and opened.
    const item = desk.page.locator(`[data-patient="${patient.address}"][data-basis="Grant"]`);
    await item.waitFor({ timeout: WAIT_MS });
    assert.match(await item.locator('p').first().textContent(), new RegExp(`${escapeRegExp(labelOf('Ferdie', patient.address))}: read, for treatment, until `));
    await item.locator(`[data-record="${record.id}"]`).getByRole('button', { name: 'Open (logged)' }).click();
    const opened = desk.page.getByTestId('opened-record');
    await opened.waitFor({ timeout: WAIT_MS });
    assert.equal(await opened.textContent(), document);
    const [entry] = await rpcCall(api, 'ehr_accessLog', [patient.address, 0, 10]);
    assert.deepEqual([normAccount(api, entry.accessor), entry.recordId, entry.purpose, entry.basis], [clinician.address, record.id, 'Treatment', 'Grant']);
    await screenshot(desk.page, 'clinician-opened');

    // The patient's timeline shows who opened which record, why and on which basis.
    const logEntry = file.page.getByTestId('access-log').locator('[data-log-index]').first();
    await logEntry.waitFor({ timeout: WAIT_MS });
    assert.match(await logEntry.textContent(), new RegExp(`${escapeRegExp(labelOf('Dave', clinician.address))} opened record #${record.id} for treatment \\(with your consent\\)`));

    // A request to Bob with its terms; asking again while it is pending is refused in the
    // pallet's words; Bob approves the exact terms and Bob joins the clinician's patients.
    const askBob = async () => {
      await desk.page.getByLabel('Patient (account address)').first().fill(bob.address);
      await desk.page.getByLabel('For how many days after approval').fill('7');
      await desk.page.getByRole('button', { name: 'Send the request' }).click();
    };
    await askBob();
    await desk.page.locator(`[data-request-to="${bob.address}"]`).waitFor({ timeout: WAIT_MS });
    const pending = await pendingRequestTerms(api, bob.address, clinician.address);
    assert.ok(pending, 'the request is on chain');
    assert.equal(pending.request.duration.toNumber(), 7 * 14_400);
    assert.equal(pending.request.purpose.toString(), 'Treatment');
    assert.equal(pending.request.scope.isAll, true);
    assert.deepEqual(pending.request.actions.toJSON(), { read: true, append: false });
    await askBob();
    const refusal = desk.page.locator('[data-error-name="Ehr.RequestAlreadyExists"]');
    await refusal.waitFor({ timeout: WAIT_MS });
    assert.match(await refusal.textContent(), /still pending; cancel it first/);
    // Bob's page shows the exact terms; approving names their hash, computed in Bob's browser.
    const bobsFile = await openAs('patient', 'Bob');
    const asking = bobsFile.page.locator(`[data-requester="${clinician.address}"]`);
    await asking.waitFor({ timeout: WAIT_MS });
    // Waiting requests come first on the patient's page, counted in their heading.
    await bobsFile.page.getByRole('heading', { name: 'Asking for access: 1 waiting for your answer' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await bobsFile.page.locator('section[aria-labelledby="patient-title"] > .card').first().getByTestId('requests').count(), 1, 'the requests are the first card');
    assert.match(await asking.textContent(), new RegExp(`${escapeRegExp(labelOf('Dave', clinician.address))} asks to read all my records, for treatment, for 7 days from your approval`));
    await asking.getByRole('button', { name: 'Approve these terms' }).click();
    await asking.waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.equal(await pendingRequestTerms(api, bob.address, clinician.address), null, 'answered');
    const bobsGrant = (await rpcCall(api, 'ehr_activeGrants', [bob.address])).find((g) => normAccount(api, g.grantee) === clinician.address);
    assert.ok(bobsGrant, 'Bob granted what was asked');
    assert.deepEqual([bobsGrant.actions, bobsGrant.purpose, bobsGrant.expiresAt - bobsGrant.notBefore], [{ read: true, append: false }, 'Treatment', 7 * 14_400]);
    await screenshot(bobsFile.page, 'patient-approved-request');
    await desk.page.locator(`[data-patient="${bob.address}"][data-basis="Grant"]`).waitFor({ timeout: WAIT_MS });
    await desk.page.locator(`[data-request-to="${bob.address}"]`).waitFor({ state: 'detached', timeout: WAIT_MS });

    // Under an append grant the clinician adds a record sealed to the patient's key, which the
    // patient opens with that key alone.
    await file.page.getByLabel('Who (account address)').fill(clinician.address);
    await file.page.getByLabel('add records').check();
    await file.page.getByRole('button', { name: 'Give access' }).click();
    const appendForm = desk.page.getByRole('form', { name: `Add a record for ${labelOf('Ferdie', patient.address)}` });
    await appendForm.waitFor({ timeout: WAIT_MS });
    const note = `Follow-up ${Date.now()}: wound healing well.`;
    await appendForm.getByLabel('Document text').fill(note);
    await appendForm.getByRole('button', { name: 'Seal, upload and add' }).click();
    await appendForm.locator('[data-tx-status="good"]').waitFor({ timeout: WAIT_MS });
    const records = await rpcCall(api, 'ehr_records', [patient.address]);
    const added = records[records.length - 1];
    assert.equal(records.length, 2);
    assert.equal(normAccount(api, added.issuer), clinician.address);
    const { objectPath, dataKey } = parseRecordLocator(await openLocator(Uint8Array.from(Buffer.from(bytesHex(added.locator).slice(2), 'hex')), patient.publicKey, ferdieKey, api.genesisHash.toU8a()));
    const object = await new VaultClient(stack.vault.url, patient).get(Uint8Array.from(Buffer.from(objectPath.slice('objects/0x'.length), 'hex')));
    assert.equal(new TextDecoder().decode(open(dataKey, object).content), note);
    // The patient opens it on their page too, with the same key alone.
    assert.equal(await openOwnRecordInPage(file.page, added.id), note);

    // Break-glass: the warning names the deposit; the access is on chain, and Bob is listed as
    // an emergency access. The reason stays in Dave's browser, encrypted under his passphrase.
    const breakGlass = desk.page.getByRole('form', { name: 'Emergency access (break-glass)' });
    assert.match(await desk.page.locator('.break-glass [role="note"]').textContent(), /\d[\d,.]* MED is held from you/);
    await breakGlass.getByTestId('keystore-needed').waitFor({ timeout: WAIT_MS });
    await setPassphrase(desk.page);
    const reason = 'Unconscious in the emergency department, allergies unknown.';
    await breakGlass.getByLabel('Patient (account address)').fill(bob.address);
    await breakGlass.getByLabel(/^Reason/).fill(reason);
    await breakGlass.getByLabel(/I understand/).check();
    await breakGlass.getByRole('button', { name: 'Break the glass' }).click();
    await desk.page.locator(`[data-patient="${bob.address}"][data-basis="BreakGlass"]`).waitFor({ timeout: WAIT_MS });
    const access = (await api.query.ehr.breakGlasses(bob.address, clinician.address)).unwrap();
    const [kept] = await keptTexts(desk.page);
    assert.deepEqual([kept.kind, kept.text, kept.commitment], [`break-glass ${bob.address}`, reason, access.reasonCommitment.toHex()]);
    assert.ok(!(await storedText(desk.page)).includes('allergies unknown'), 'the reason is not stored in plain');
    await screenshot(desk.page, 'clinician-break-glass');
    assert.deepEqual([...desk.problems, ...file.problems, ...bobsFile.problems], []);
  });

  test('a manufacturer registers a batch and sends it; the pharmacy receives it and checks a pack', async () => {
    const { api, accounts } = stack;
    const pharmacy = accounts.dave; // a dispenser in the dev preset
    const works = await openAs('partner', 'Eve'); // a manufacturer of one product in the dev preset
    assert.match(await works.page.getByTestId('licence').textContent(), /Licensed manufacturer, location \d{13}/);

    // A batch of 20 packs: codes made in the browser, the root on chain, the labels downloaded;
    // the release certificate stays in Eve's browser, under her passphrase.
    await setPassphrase(works.page);
    const lot = `APP${Date.now().toString(36).toUpperCase()}`;
    await works.page.getByLabel('Batch or lot number').fill(lot);
    await works.page.getByLabel('Number of packs').fill('20');
    await works.page.getByLabel(/^Release certificate/).fill(`QP release of ${lot}: assay 99.8 %, sterility passed.`);
    // Registered, the browser saves the labels file by itself (the scratch codes are nowhere else);
    // the link downloads it again.
    const [download] = await Promise.all([
      works.page.waitForEvent('download', { timeout: WAIT_MS }),
      works.page.getByRole('button', { name: 'Generate codes and register' }).click(),
    ]);
    const link = works.page.getByTestId('labels-download');
    await link.waitFor({ timeout: WAIT_MS });
    assert.equal(download.suggestedFilename(), await link.getAttribute('download'));
    const csvPath = await download.path();
    const csv = readFileSync(csvPath, 'utf8').trim().split('\n').slice(1);
    assert.equal(csv.length, 20);
    const cartons = csv.map((line) => line.slice(1, -1).split('","')[1]);
    const labels = csv.map((line) => line.slice(1, -1).split('","')[2]);
    const packs = labels.map((label) => parsePackCode(label));
    const gtin = packs[0].gtin;
    const batchId = (await drugRpc.batch(api, gtin, lot)).id;
    const stored = (await api.query.drugProvenance.batches(batchId)).unwrap();
    assert.equal(stored.quantity.toNumber(), 20);
    assert.equal(stored.codesRoot.toHex(), hex(merkleRoot(packs.map((p) => leafHash(p.serial, p.code, p.salt)))), 'the root of the downloaded labels');

    // The printable labels, one per pack. Read by ZXing from the images the page drew: outside,
    // the carton's GS1 DataMatrix is the pack's public element string (no scratch code in it or
    // in the words beside it); under the scratch-off panel, the pack's verification label.
    await works.page.getByRole('button', { name: 'Print labels', exact: true }).click();
    const sheet = works.page.locator('[data-testid="label-sheet"][data-ready="true"]');
    await sheet.waitFor({ timeout: WAIT_MS });
    assert.equal(await sheet.locator('.pack-label').count(), 20);
    const printed = sheet.locator(`.pack-label[data-serial="${packs[3].serial}"]`);
    const carton = readDataMatrix(await renderedFrame(printed.locator('img[data-symbol="carton"]')));
    assert.deepEqual(parsePackCode(carton), parsePackCode(cartons[3]), 'the printed carton code is the labels file\'s');
    assert.deepEqual(parsePackCode(carton), { gtin, lot, serial: packs[3].serial, expiry: parsePackCode(cartons[3]).expiry });
    const outside = await printed.locator('.pack-outside').textContent();
    assert.ok(!carton.includes(packs[3].code) && !outside.includes(packs[3].code), 'no scratch code outside the panel');
    assert.match(outside, new RegExp(`\\(01\\) ${gtin}.*\\(10\\) ${lot}.*\\(21\\) ${packs[3].serial}`));
    const panelFrame = await renderedFrame(printed.locator('img[data-symbol="verification"]'));
    assert.equal(readDataMatrix(panelFrame), labels[3], 'the code under the panel is the pack\'s verification label');
    await printed.screenshot({ path: join(ARTEFACTS, 'partner-label.png') });
    // Printed, only the sheet shows; downloaded, it is one HTML file with every label.
    await works.page.emulateMedia({ media: 'print' });
    assert.equal(await works.page.locator('main').isVisible(), false);
    assert.equal(await printed.isVisible(), true);
    await works.page.emulateMedia({ media: 'screen' });
    const [sheetFile] = await Promise.all([works.page.waitForEvent('download'), sheet.getByRole('button', { name: 'Download the labels (HTML)' }).click()]);
    await sheetFile.saveAs(join(ARTEFACTS, 'partner-labels.html'));
    const html = readFileSync(join(ARTEFACTS, 'partner-labels.html'), 'utf8');
    assert.equal(html.match(/class="pack-label"/g)?.length, 20);
    assert.ok(html.includes('@media print') && html.includes(`data-serial="${packs[3].serial}"`));
    await sheet.getByRole('button', { name: 'Close' }).click();
    // The labels file prints the same labels later; a file with a scratch code outside is refused, by line.
    await works.page.locator('input[name="labels-file"]').setInputFiles(csvPath);
    await sheet.locator('.pack-label').nth(19).waitFor({ timeout: WAIT_MS });
    await sheet.getByRole('button', { name: 'Close' }).click();
    const leaky = ['serial,carton,verification_label', `"${packs[0].serial}","${labels[0]}","${labels[0]}"`].join('\n');
    await works.page.locator('input[name="labels-file"]').setInputFiles({ name: 'leaky.csv', mimeType: 'text/csv', buffer: Buffer.from(leaky) });
    assert.match(await works.page.getByTestId('labels-file-problem').textContent(), /line 2: the carton code carries a scratch code/);

    // A second batch from Eve's own serialisation system: a packs file, checked by line before
    // anything is signed; the chain holds the root of exactly those serials and codes.
    const ownLot = `OWN${Date.now().toString(36).toUpperCase()}`;
    const ownSalt = '11'.repeat(32);
    const ownPacks = [['FMD0000001', 'K7PQ2M9X4T'], ['FMD0000002', 'R3VW8N6C1H'], ['FMD0000003', 'B5JD0Y7Z2S']];
    await works.page.getByLabel('Batch or lot number').fill(ownLot);
    await works.page.getByLabel(/^Use my packs file/).check();
    const twice = ['serial,scratch_code', 'FMD0000001,AAAA', 'FMD0000001,BBBB'].join('\n');
    await works.page.locator('input[name="packs-file"]').setInputFiles({ name: 'twice.csv', mimeType: 'text/csv', buffer: Buffer.from(twice) });
    assert.match(await works.page.getByTestId('packs-file-problem').textContent(), /line 3: this serial is already on an earlier line/);
    const ownFile = ['serial,scratch_code,salt', `${ownPacks[0][0]},${ownPacks[0][1]},${ownSalt}`, ...ownPacks.slice(1).map(([serial, code]) => `${serial},${code},`)].join('\r\n');
    await works.page.locator('input[name="packs-file"]').setInputFiles({ name: 'own.csv', mimeType: 'text/csv', buffer: Buffer.from(ownFile) });
    await works.page.locator('[data-testid="packs-file"][data-count="3"]').waitFor({ timeout: WAIT_MS });
    await works.page.getByLabel(/^Release certificate/).fill(`QP release of ${ownLot}.`);
    await works.page.getByRole('button', { name: 'Register with the packs of this file' }).click();
    await works.page.locator(`[data-testid="labels-download"][download*="${ownLot}"]`).waitFor({ timeout: WAIT_MS });
    const [ownDownload] = await Promise.all([works.page.waitForEvent('download'), works.page.getByTestId('labels-download').click()]);
    const ownLabels = readFileSync(await ownDownload.path(), 'utf8').trim().split('\n').slice(1)
      .map((line) => parsePackCode(line.slice(1, -1).split('","')[2]));
    assert.deepEqual(ownLabels.map((p) => [p.serial, p.code]), ownPacks, 'the labels are the file\'s packs, in order');
    assert.equal(hex(ownLabels[0].salt), `0x${ownSalt}`, 'a given salt is used as given');
    const ownBatch = (await api.query.drugProvenance.batches((await drugRpc.batch(api, gtin, ownLot)).id)).unwrap();
    assert.equal(ownBatch.quantity.toNumber(), 3);
    assert.equal(ownBatch.codesRoot.toHex(), hex(merkleRoot(ownLabels.map((p) => leafHash(p.serial, p.code, p.salt)))));
    await works.page.getByLabel(/^Generate new ones/).check();

    const item = works.page.locator(`[data-batch="${batchId}"]`);
    await item.waitFor({ timeout: WAIT_MS });
    assert.match(await item.getByTestId('holding').textContent(), /I hold 20 of 20 packs/);

    // Sending to an account that is no partner: the chain refuses, in the pallet's words.
    await item.getByRole('button', { name: 'Send packs' }).click();
    // The recipient field offers the partners the chain licenses, with their roles.
    const now = (await api.query.system.number()).toNumber();
    const partners = (await api.query.drugProvenance.partners.entries())
      .map(([key, partner]) => [key.args[0].toString(), partner.unwrap()])
      .filter(([address, partner]) => !partner.suspended.isTrue && partner.licensedUntil.toNumber() > now && address !== accounts.eve.address)
      .map(([address]) => address);
    const recipients = item.locator(`datalist#send-to-${batchId} option`);
    await recipients.first().waitFor({ state: 'attached', timeout: WAIT_MS });
    assert.deepEqual((await recipients.evaluateAll((options) => options.map((o) => o.value))).sort(), partners.sort());
    assert.equal(await item.locator(`datalist#send-to-${batchId} option[value="${pharmacy.address}"]`).textContent(), `${labelOf('Dave', pharmacy.address)} · pharmacy`);
    await item.getByLabel('To (partner account address)').fill(accounts.alice.address);
    await item.getByLabel('Number of packs', { exact: true }).fill('5');
    await item.getByRole('button', { name: 'Send', exact: true }).click();
    const refusal = item.locator('[data-error-name^="DrugProvenance."]');
    await refusal.waitFor({ timeout: WAIT_MS });
    const errorName = await refusal.getAttribute('data-error-name');
    const docs = api.errors.drugProvenance[errorName.split('.')[1]].meta.docs.map(String).join(' ').replace(/[[\]`]/g, '').trim();
    assert.ok((await refusal.textContent()).includes(docs.split(/\s+/).slice(0, 4).join(' ')), `${await refusal.textContent()} names "${docs}"`);

    // Ten packs to the pharmacy.
    await item.getByLabel('To (partner account address)').fill(pharmacy.address);
    await item.getByLabel('Number of packs', { exact: true }).fill('10');
    await item.getByRole('button', { name: 'Send', exact: true }).click();
    await item.locator('[data-hop="0"]').waitFor({ timeout: WAIT_MS });
    assert.match(await item.locator('[data-hop="0"]').textContent(), /you sent 10 packs to .* on the way/);
    await screenshot(works.page, 'partner-dispatched');

    // The pharmacy receives them. Its camera will show pack 3's printed verification code, as the page drew it.
    const counter = await openAs('partner', 'Dave', { fakeCamera: writeFrameVideo(panelFrame, 'counter-label') });
    assert.match(await counter.page.getByTestId('licence').textContent(), /Licensed pharmacy/);
    const shipment = counter.page.locator(`[data-transfer="${batchId}:0"]`);
    await shipment.waitFor({ timeout: WAIT_MS });
    assert.match(await shipment.textContent(), new RegExp(`^10 packs of batch ${lot} \\(#${batchId}\\) from `));
    await shipment.getByRole('button', { name: 'Receive' }).click();
    await shipment.waitFor({ state: 'detached', timeout: WAIT_MS });
    const holdings = (await drugRpc.holdings(api, batchId)).map(([who, n]) => [normAccount(api, who), n]);
    assert.deepEqual(Object.fromEntries(holdings), { [accounts.eve.address]: 10, [pharmacy.address]: 10 });
    const held = counter.page.locator(`[data-batch="${batchId}"]`);
    await held.getByText('I hold 10 of 20 packs').waitFor({ timeout: WAIT_MS });
    assert.match(await held.locator('[data-hop="0"]').textContent(), /received/);

    // At the counter: the printed pack scanned by the camera is checked and recorded as a
    // licensed partner's first check; the same label again (typed) raises a clone alarm.
    const check = counter.page.getByRole('form', { name: 'Check a pack at the counter' });
    await check.getByRole('button', { name: 'Scan with the camera' }).click();
    await check.locator('[data-pack-answer="first"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await check.getByLabel('Verification label').inputValue(), labels[3], 'the scanned label');
    const leaf = hex(leafHash(packs[3].serial, packs[3].code, packs[3].salt));
    const first = await rpcCall(api, 'drugProvenance_codeStatus', [batchId, leaf]);
    assert.equal(first.firstVerifier, 'LicensedPartner');
    await check.getByRole('button', { name: 'Check and sign' }).click();
    await check.locator('[data-pack-answer="alarm"]').waitFor({ timeout: WAIT_MS });
    assert.equal((await rpcCall(api, 'drugProvenance_codeStatus', [batchId, leaf])).alarms, 1);
    await screenshot(counter.page, 'partner-clone-alarm');

    // The pharmacy reports the batch: it is quarantined.
    await setPassphrase(counter.page);
    await held.getByRole('button', { name: 'Report as suspect' }).click();
    await held.getByLabel(/^Evidence/).fill('Second scan of a pack at the counter; carton print differs.');
    await held.getByRole('button', { name: 'Report and quarantine' }).click();
    await counter.page.locator(`[data-batch="${batchId}"][data-status="Quarantined"]`).waitFor({ timeout: WAIT_MS });
    assert.equal((await api.query.drugProvenance.batches(batchId)).unwrap().status.toString(), 'Quarantined');
    // On chain only the evidence's salted commitment; the text and salt stay in the browser,
    // encrypted: the page's store lists them, the browser's storage has them only as ciphertext.
    const report = (await api.query.drugProvenance.suspectReports(batchId)).unwrap();
    const evidence = (await keptTexts(counter.page)).find((k) => k.kind === `suspect-evidence batch ${batchId}`);
    assert.ok(!(await storedText(counter.page)).includes('carton print differs'), 'the evidence is not stored in plain');
    assert.equal(evidence.commitment, report.evidenceCommitment.toHex());
    assert.equal(saltedCommitment(Buffer.from(evidence.salt.slice(2), 'hex'), Buffer.from(evidence.text)), evidence.commitment);

    // The manufacturer recalls the quarantined batch (class I), its notice kept in her browser.
    const made = works.page.locator(`[data-batch="${batchId}"]`);
    await works.page.locator(`[data-batch="${batchId}"][data-status="Quarantined"]`).waitFor({ timeout: WAIT_MS });
    await made.getByRole('button', { name: 'Recall the batch' }).click();
    await made.getByLabel('Class').selectOption({ label: 'Class I: serious harm or death is reasonably probable' });
    await made.getByLabel(/^Recall notice/).fill('Counterfeit packs of this lot found at a pharmacy; return all packs.');
    assert.match(await made.getByRole('note').textContent(), /every holder must acknowledge the recall/);
    await made.getByRole('button', { name: 'Recall', exact: true }).click();
    await works.page.locator(`[data-batch="${batchId}"][data-status="Recalled"]`).waitFor({ timeout: WAIT_MS });
    const recall = (await api.query.drugProvenance.recalls(batchId)).unwrap();
    assert.equal(recall.class.toString(), 'ClassI');
    assert.equal(recall.initiator.asPartner.toString(), accounts.eve.address);
    const notice = (await keptTexts(works.page)).find((k) => k.kind === `recall notice batch ${batchId}`);
    assert.equal(notice.commitment, recall.reasonCommitment.toHex());

    // The pharmacy acknowledges the recall (once: the button goes) and destroys its packs.
    await counter.page.locator(`[data-batch="${batchId}"][data-status="Recalled"]`).waitFor({ timeout: WAIT_MS });
    await held.getByRole('button', { name: 'Acknowledge the recall' }).click();
    await held.getByTestId('recall-acknowledged').waitFor({ timeout: WAIT_MS });
    assert.equal(await held.getByRole('button', { name: 'Acknowledge the recall' }).count(), 0);
    assert.equal((await api.query.drugProvenance.recalls(batchId)).unwrap().acknowledged.toNumber(), 1);
    await held.getByRole('button', { name: 'Destroy packs' }).click();
    await held.getByLabel('Why').selectOption({ label: 'Disposed of after a recall' });
    await held.getByLabel('Number of packs', { exact: true }).fill('10');
    await held.getByRole('button', { name: 'Record as destroyed' }).click();
    await held.getByText('I hold 0 of 20 packs').waitFor({ timeout: WAIT_MS });
    assert.equal((await api.query.drugProvenance.holdings(batchId, pharmacy.address)).isNone, true);
    assert.equal((await api.query.drugProvenance.batches(batchId)).unwrap().destroyed.toNumber(), 10);
    await screenshot(counter.page, 'partner-recall-destroyed');

    // The same page in Chinese.
    await counter.page.getByLabel('Language').selectOption('zh');
    await counter.page.getByRole('heading', { name: '药店 / 生产企业' }).waitFor({ timeout: WAIT_MS });
    assert.match(await counter.page.getByTestId('licence').textContent(), /持证药店/);
    await screenshot(counter.page, 'partner-zh');
    assert.deepEqual([...works.problems, ...counter.problems], []);
  });
  describe('a browser-wallet account', () => {
    let wallet;
    let session;
    let phrase;
    const wrapped = (bytes) => Buffer.concat([Buffer.from('<Bytes>'), Buffer.from(bytes), Buffer.from('</Bytes>')]);

    before(async () => {
      ({ pairs: { patient: wallet } } = await createFundedAccounts(stack.api, stack.accounts.alice, ['patient'], 100n * MED, { label: 'app-wallet' }));
      session = await launchBrowser();
      browsers.push(session);
      const [injected] = await installTestWallet(session, stack.api, [wallet]);
      await openApp(session.page, stack.app.url, 'patient');
      await session.page.getByRole('button', { name: 'Connect a browser wallet: medchain-test-wallet' }).click();
      await session.page.locator('select[name="account"]').selectOption({ label: labelOf(injected.name, wallet.address) });
    }, { timeout: 2 * WAIT_MS });

    test('creates its encryption key, registers it and grants a clinician, signing in the wallet', async () => {
      const { api, accounts } = stack;
      const { page } = session;
      // First the passphrase that encrypts what the browser keeps for the account.
      await setPassphrase(page);
      await page.getByRole('button', { name: 'Create my encryption key' }).click();
      phrase = (await page.getByTestId('recovery-phrase').textContent()).trim();
      assert.equal(phrase.split(' ').length, 12);
      await page.getByRole('button', { name: 'Encryption key ready in this browser.' }).click();
      await page.getByTestId('key-ready').waitFor({ timeout: WAIT_MS });
      await page.locator('[data-key-state="missing"]').waitFor({ timeout: WAIT_MS });
      await page.getByRole('button', { name: 'Register my key on chain' }).click();
      await page.locator('[data-key-state="current"]').waitFor({ timeout: WAIT_MS });
      assert.equal(await liveKey(wallet.address), hex((await keyAgreementFromSuri(phrase)).publicKey), 'the key of the phrase, registered by the wallet\'s signature');
      await page.getByLabel('Who (account address)').fill(accounts.dave.address);
      await page.getByRole('button', { name: 'Give access' }).click();
      await page.locator(`[data-grantee="${accounts.dave.address}"]`).waitFor({ timeout: WAIT_MS });
      const grants = await rpcCall(api, 'ehr_activeGrants', [wallet.address]);
      assert.deepEqual(grants.map((g) => normAccount(api, g.grantee)), [accounts.dave.address]);

      // Nothing of the phrase is readable in the browser's storage: only the account's encrypted store.
      const stored = await storedText(page);
      const words = phrase.split(' ');
      for (let i = 1; i < words.length; i++) assert.ok(!stored.includes(`${words[i - 1]} ${words[i]}`), 'no two words of the phrase are stored in plain');
      assert.match(stored, new RegExp(`^medchain\\.keystore\\.${wallet.address}=\\{"format":"medchain-keystore","version":1,`, 'm'));
      // Locked, the key leaves the page; a wrong passphrase is refused in words; the right one brings it back.
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      await page.locator('[data-keystore="locked"]').waitFor({ timeout: WAIT_MS });
      assert.equal(await page.getByTestId('key-ready').count(), 0);
      await unlockStore(page, 'not the passphrase');
      await page.getByTestId('keystore-problem').waitFor({ timeout: WAIT_MS });
      assert.match(await page.getByTestId('keystore-problem').textContent(), /does not open .* Nothing was changed/);
      await unlockStore(page);
      await page.getByTestId('key-ready').waitFor({ timeout: WAIT_MS });
      await page.locator('[data-key-state="current"]').waitFor({ timeout: WAIT_MS });
      assert.deepEqual(session.problems, []);
    });

    test('adds a record sealed in the browser: the vault takes the wallet\'s <Bytes> signature', async () => {
      const { api } = stack;
      const { page } = session;
      const document = `Vaccination ${Date.now()}: influenza, left arm.`;
      await page.getByLabel('Document text').fill(document);
      await page.getByRole('button', { name: 'Seal, upload and add' }).click();
      await page.locator('[data-record]').first().waitFor({ timeout: WAIT_MS });
      const [record] = await rpcCall(api, 'ehr_records', [wallet.address]);
      const key = await keyAgreementFromSuri(phrase);
      const { objectPath, dataKey } = parseRecordLocator(await openLocator(Uint8Array.from(Buffer.from(bytesHex(record.locator).slice(2), 'hex')), wallet.publicKey, key, api.genesisHash.toU8a()));
      const reader = new VaultClient(stack.vault.url, { publicKey: wallet.publicKey, sign: (payload) => wallet.sign(wrapped(payload)) });
      const object = await reader.get(Uint8Array.from(Buffer.from(objectPath.slice('objects/0x'.length), 'hex')));
      assert.equal(new TextDecoder().decode(open(dataKey, object).content), document, 'the recovery phrase opens what the wallet account added');
      await screenshot(page, 'wallet-record');
      assert.deepEqual(session.problems, []);
    });
  });
});
