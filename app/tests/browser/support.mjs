// What the app's browser tests stand on: a dev node (instant seal) and a vault on 127.0.0.1, the
// built app served for them, chain data made with the scripts' own helpers, pack labels rendered
// as Chromium's fake camera feed or read by ZXing from the labels the page printed, and Debian's
// Chromium driven by playwright-core (nothing downloads a browser). It imports no @polkadot package itself: the scripts' modules bring the
// repository's copies, and a second copy from app/node_modules would be a second instance.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import bwipjs from 'bwip-js';
import zxing from '@zxing/library';
import { chromium } from 'playwright-core';
import { startNode, connect, devAccounts, createFundedAccounts, submit, sudo, bestNumber, bytesParam, MED } from '../../../scripts/lib/chain.mjs';
import { generateBatch, randomGtin, randomGln, randomBase32 } from '../../../scripts/lib/drug-codes.mjs';
import { commitText, expectEvent, succeeded } from '../../../scripts/lib/flow.mjs';
import { startVault } from '../../../scripts/lib/vault.mjs';
import { putDemoObjects } from '../../../scripts/lib/demo-objects.mjs';
import { serveApp } from '../../../scripts/lib/app-server.mjs';

/** Screenshots and the rendered labels, kept after the run (CI keeps app/test-results/). */
export const ARTEFACTS = resolve(new URL('../../test-results/browser', import.meta.url).pathname);
mkdirSync(ARTEFACTS, { recursive: true });

/** Debian's Chromium (apt package `chromium`, installed by medchain_setup). */
export const CHROMIUM = process.env.MEDCHAIN_CHROMIUM ?? '/usr/bin/chromium';

/** Every wait in these tests ends: a generous bound for a busy two-core machine. */
export const WAIT_MS = 60_000;

/** An address as the app shortens it: `5Grwva…utQY`. */
export const short = (address) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** An account the browser knows by `name` (a dev account, a wallet's), as the app shows and lists it: `Dave (5DAAnr…TXFy)`. */
export const labelOf = (name, address) => `${name} (${short(address)})`;

/** `text` matched literally inside a RegExp (a label's parentheses, for one). */
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A dev node with instant seal, a vault asking it (holding the demo objects), and the built app served for both. */
export async function startStack() {
  // A node loads its runtime for a while on a busy two-core machine.
  const node = await startNode(['--dev', '--sealing', 'instant'], { timeoutMs: 3 * WAIT_MS });
  const stack = { node };
  try {
    ({ api: stack.api } = await connect(node.wsUrl));
    stack.accounts = await devAccounts();
    stack.vault = await startVault({ node: node.wsUrl });
    // As scripts/dev-node does: the preset's demo records are real sealed objects in the vault.
    await putDemoObjects(stack.vault.url);
    stack.app = await serveApp({ nodeUrl: node.wsUrl, vaultUrl: stack.vault.url });
    return stack;
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
}

/** Stops what `startStack` started, in reverse order; returns the node's exit. */
export async function stopStack({ app, vault, api, node }) {
  await app?.close();
  await vault?.stop();
  await api?.disconnect();
  return node?.stop();
}

/**
 * A suite's stack: started before its tests (then `ready(stack)` prepares its data) and stopped
 * after them, the node exiting cleanly, with the browsers the tests opened (pushed on the array
 * returned) closed first.
 */
export function stackForSuite(ready) {
  const browsers = [];
  let stack;
  before(async () => {
    stack = await startStack();
    await ready(stack);
  }, { timeout: 5 * WAIT_MS });
  after(async () => {
    for (const { browser } of browsers) await browser.close();
    if (stack) {
      const exit = await stopStack(stack);
      assert.equal(exit?.code, 0, `node exit code; log:\n${stack.node.output().slice(-2000)}`);
    }
  }, { timeout: WAIT_MS });
  return browsers;
}

/**
 * A licensed manufacturer registers a product and a batch of `packs` packs (codes generated as a
 * manufacturer would) and ships `shipped` of them to a licensed wholesaler, who receives them and,
 * with `toPharmacy`, ships them on to a licensed pharmacy (a dispenser), which receives them.
 * Returns `{ gtin, lot, batchId, codes, parties }`.
 */
export async function registerShippedBatch(api, alice, { packs = 64, shipped = 10, toPharmacy = true } = {}) {
  const { pairs } = await createFundedAccounts(api, alice, ['manufacturer', 'wholesaler', 'pharmacy'], 100n * MED, { label: 'app-test' });
  const now = await bestNumber(api);
  const license = (pair, role) => api.tx.drugProvenance.registerPartner(pair.address, role, bytesParam(randomGln()), commitText(`licence ${role}`), now + 5_256_000);
  succeeded(await sudo(api, api.tx.utility.batchAll([
    license(pairs.manufacturer, 'Manufacturer'), license(pairs.wholesaler, 'Wholesaler'), license(pairs.pharmacy, 'Dispenser'),
  ]), alice), 'register partners');
  const gtin = randomGtin();
  succeeded(await submit(api, api.tx.drugProvenance.registerProduct(bytesParam(gtin), commitText(`product ${gtin}`)), pairs.manufacturer), 'register product');
  const codes = generateBatch(packs);
  const lot = `L${randomBase32(8)}`;
  const registered = succeeded(await submit(api, api.tx.drugProvenance.registerBatch(
    bytesParam(gtin), bytesParam(lot), now + 2 * 5_256_000, packs, commitText(`certificate ${lot}`), bytesParam(codes.root), packs,
  ), pairs.manufacturer), 'register batch');
  const { batchId } = expectEvent(registered, 'drugProvenance', 'BatchRegistered', 'register batch');
  const ship = async (from, to) => {
    const dispatched = succeeded(await submit(api, api.tx.drugProvenance.dispatch(batchId, to.address, shipped, commitText('shipment')), from), 'dispatch');
    const { transferIndex } = expectEvent(dispatched, 'drugProvenance', 'Dispatched', 'dispatch');
    succeeded(await submit(api, api.tx.drugProvenance.receive(batchId, transferIndex), to), 'receive');
  };
  await ship(pairs.manufacturer, pairs.wholesaler);
  if (toPharmacy) await ship(pairs.wholesaler, pairs.pharmacy);
  const parties = { manufacturer: pairs.manufacturer.address, wholesaler: pairs.wholesaler.address, pharmacy: pairs.pharmacy.address };
  return { gtin, lot, batchId, codes, parties };
}

/** The DataMatrix of `text` as modules (1 = dark), from bwip-js. */
function dataMatrixModules(text) {
  const [{ pixs, pixx, pixy }] = bwipjs.raw({ bcid: 'datamatrix', text });
  return { width: pixx, height: pixy, dark: (x, y) => pixs[y * pixx + x] === 1 };
}

/**
 * Writes a one-frame Y4M video (what Chromium's `--use-file-for-fake-video-capture` plays in a
 * loop) of `frame` (`{ width, height, luma }`, one byte a pixel, both sides even), named `name`
 * under the artefacts. Returns its path.
 */
export function writeFrameVideo({ width, height, luma }, name) {
  const chroma = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const header = `YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`;
  const path = join(ARTEFACTS, `${name}.y4m`);
  writeFileSync(path, Buffer.concat([Buffer.from(header), luma, chroma, chroma]));
  return path;
}

/**
 * Writes a one-frame Y4M video showing the DataMatrix of `text` black on white, centred, with a
 * quiet zone; and the same label as a PNG next to it for the artefacts. Returns the Y4M's path.
 */
export async function writeLabelVideo(text, name, { width = 640, height = 480 } = {}) {
  const symbol = dataMatrixModules(text);
  const module = Math.floor((Math.min(width, height) * 0.8) / Math.max(symbol.width, symbol.height));
  const left = Math.floor((width - symbol.width * module) / 2);
  const top = Math.floor((height - symbol.height * module) / 2);
  const luma = new Uint8Array(width * height).fill(235);
  for (let y = 0; y < symbol.height; y++) {
    for (let x = 0; x < symbol.width; x++) {
      if (!symbol.dark(x, y)) continue;
      for (let dy = 0; dy < module; dy++) luma.fill(16, (top + y * module + dy) * width + left + x * module, (top + y * module + dy) * width + left + (x + 1) * module);
    }
  }
  writeFileSync(join(ARTEFACTS, `${name}.png`), await bwipjs.toBuffer({ bcid: 'datamatrix', text, scale: 4, paddingwidth: 4, paddingheight: 4, backgroundcolor: 'FFFFFF' }));
  return writeFrameVideo({ width, height, luma }, name);
}

/**
 * What the page shows in `image` (a locator of an <img>, e.g. a printed label's symbol), drawn by
 * the page on a white `width` × `height` frame, centred, `side` pixels square: `{ width, height,
 * luma }`, one byte a pixel. Camera-sized by default, so that it can also be the fake camera's.
 */
export async function renderedFrame(image, { width = 640, height = 480, side = 400 } = {}) {
  const base64 = await image.evaluate(async (img, size) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    // Scale the symbol's modules as blocks: a smoothed edge between modules can cost a decode.
    context.imageSmoothingEnabled = false;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size.width, size.height);
    context.drawImage(img, (size.width - size.side) / 2, (size.height - size.side) / 2, size.side, size.side);
    const { data } = context.getImageData(0, 0, size.width, size.height);
    let luma = '';
    for (let i = 0; i < data.length; i += 4) luma += String.fromCharCode(Math.round(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]));
    return btoa(luma);
  }, { width, height, side });
  return { width, height, luma: Uint8Array.from(Buffer.from(base64, 'base64')) };
}

/** The text of the DataMatrix in `frame`, read by ZXing (the library of the app's scanner). */
export function readDataMatrix({ width, height, luma }) {
  const { BinaryBitmap, DataMatrixReader, DecodeHintType, HybridBinarizer, RGBLuminanceSource } = zxing;
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(new Uint8ClampedArray(luma), width, height)));
  return new DataMatrixReader().decode(bitmap, new Map([[DecodeHintType.TRY_HARDER, true]])).getText();
}

/**
 * Debian's Chromium, headless, with a phone-sized page; with `fakeCamera` (a Y4M path) the
 * camera is that video and camera access is granted without a prompt.
 */
export async function launchBrowser({ fakeCamera } = {}) {
  const args = fakeCamera
    ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${fakeCamera}`]
    : [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: WAIT_MS });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'en-GB', permissions: fakeCamera ? ['camera'] : [] });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  return { browser, context, page, problems };
}

/** Opens the app at `route` and waits until it is connected to the chain. */
export async function openApp(page, appUrl, route = 'check') {
  await page.goto(`${appUrl}#/${route}`);
  await page.locator('[data-chain-ready]').waitFor({ timeout: WAIT_MS });
}

/** Saves a full-page screenshot under the artefacts, named `name`. */
export function screenshot(page, name) {
  return page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

/**
 * Injects a browser wallet into every page of `session`'s context, as an extension would
 * (`window.injectedWeb3[name]`, the injected-extension interface polkadot-api reads), holding
 * `pairs` (keyring pairs). It signs transactions as the polkadot.js extension does (the payload
 * it is given, through `api`'s registry) and raw bytes wrapped in `<Bytes>…</Bytes>`, as every
 * such wallet does; the signing runs here, in Node.
 */
export async function installTestWallet(session, api, pairs, name = 'medchain-test-wallet') {
  const byAddress = new Map(pairs.map((pair) => [pair.address, pair]));
  const pairOf = (address) => {
    const pair = byAddress.get(address);
    if (!pair) throw new Error(`the test wallet holds no ${address}`);
    return pair;
  };
  const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;
  await session.context.exposeFunction('__testWalletSignPayload', (payload) => {
    const { signature } = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(pairOf(payload.address));
    return { id: 1, signature };
  });
  await session.context.exposeFunction('__testWalletSignRaw', ({ address, data }) => {
    const wrapped = Buffer.concat([Buffer.from('<Bytes>'), Buffer.from(data.slice(2), 'hex'), Buffer.from('</Bytes>')]);
    return { id: 1, signature: hex(pairOf(address).sign(wrapped)) };
  });
  const accounts = pairs.map((pair, i) => ({ address: pair.address, name: `Test wallet ${i + 1}`, type: 'sr25519' }));
  await session.context.addInitScript(({ walletName, walletAccounts }) => {
    window.injectedWeb3 = {
      [walletName]: {
        version: 'test',
        enable: async () => ({
          accounts: { get: async () => walletAccounts, subscribe: (cb) => { cb(walletAccounts); return () => {}; } },
          signer: { signPayload: (payload) => window.__testWalletSignPayload(payload), signRaw: (raw) => window.__testWalletSignRaw(raw) },
        }),
      },
    };
  }, { walletName: name, walletAccounts: accounts });
  return accounts;
}

/**
 * The patient opens their record `recordId` on their page (`page`): clicks its Open, returns the
 * text the page shows, and closes it again.
 */
export async function openOwnRecordInPage(page, recordId) {
  const row = page.locator(`[data-record="${recordId}"]`);
  await row.getByRole('button', { name: 'Open', exact: true }).click();
  const shown = row.getByTestId('own-record');
  await shown.waitFor({ timeout: WAIT_MS });
  const text = await shown.textContent();
  await row.getByRole('button', { name: 'Close' }).click();
  return text;
}

/** The passphrase the tests encrypt the app's browser-kept secrets under (not a wallet's password). */
export const PASSPHRASE = 'correct horse battery staple';

/**
 * Chooses `passphrase` in the first store panel of `scope` (a page or a part of it) that has none
 * yet (or holds an earlier version's plain copies), and waits until the store is unlocked.
 */
export async function setPassphrase(scope, passphrase = PASSPHRASE) {
  const panel = scope.locator('[data-keystore="none"], [data-keystore="plain"]').first();
  await panel.getByLabel(/^New passphrase/).fill(passphrase);
  await panel.getByLabel('The same passphrase again').fill(passphrase);
  await panel.getByRole('button', { name: 'Encrypt with this passphrase' }).click();
  await scope.locator('[data-keystore="unlocked"]').first().waitFor({ timeout: WAIT_MS });
}

/** Unlocks the first locked store panel of `scope` with `passphrase`. */
export async function unlockStore(scope, passphrase = PASSPHRASE) {
  const panel = scope.locator('[data-keystore="locked"]').first();
  await panel.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await panel.getByRole('button', { name: 'Unlock' }).click();
}

/** Everything in the page's localStorage as `key=value` lines, to search for what must not be there in plain. */
export function storedText(page) {
  return page.evaluate(() => Object.entries(localStorage).map(([key, value]) => `${key}=${value}`).join('\n'));
}

/** The texts kept for commitments (kind, text, salt, commitment), as the page's unlocked store lists them. */
export function keptTexts(page) {
  return page.locator('[data-kept-kind]').evaluateAll((items) => items.map((i) => ({ kind: i.dataset.keptKind, text: i.dataset.text, salt: i.dataset.salt, commitment: i.dataset.commitment })));
}
