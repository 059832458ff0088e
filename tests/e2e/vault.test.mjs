// The vault binary driven over HTTP by the script library's client: a patient seals a record in
// JavaScript, uploads it, reads it back and opens it; other accounts, forged and tampered
// requests are refused by name; erasure answers 410; a restart keeps what was stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { seal, open, contentId as contentIdOf } from '../../scripts/lib/seal.mjs';
import { VaultClient, VaultError, startVault } from '../../scripts/lib/vault.mjs';

let vault;
let alice;
let bob;

before(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
  vault = await startVault();
});

after(async () => {
  const { code } = await vault.stop();
  rmSync(vault.dataDir, { recursive: true, force: true });
  assert.equal(code, 0, `vault exit code; log:\n${vault.output().slice(-2000)}`);
  assert.doesNotMatch(vault.output(), /panicked/);
});

const refusedWith = (status, reason) => (error) => error instanceof VaultError && error.status === status && error.reason === reason;

test('a patient uploads a record sealed in JavaScript, reads it back and opens it', async () => {
  const patient = new VaultClient(vault.url, alice);
  const record = seal(new TextEncoder().encode('{"resourceType":"DiagnosticReport"}'));
  assert.equal(await patient.put(record.contentId, record.object), true);
  assert.equal(await patient.put(record.contentId, record.object), false, 'idempotent');
  const fetched = await patient.get(record.contentId);
  const opened = open(record.dataKey, fetched);
  assert.equal(new TextDecoder().decode(opened.content), '{"resourceType":"DiagnosticReport"}');
  const health = await patient.health();
  assert.equal(health.objects, 1);
});

test('another account, a mismatched id and a tampered object are refused and store nothing', async () => {
  const patient = new VaultClient(vault.url, alice);
  const stranger = new VaultClient(vault.url, bob);
  const record = seal(new Uint8Array(2000).fill(3));
  await patient.put(record.contentId, record.object);
  await assert.rejects(stranger.get(record.contentId), refusedWith(403, 'not-allowed'));
  const other = seal(new Uint8Array(10));
  await assert.rejects(patient.put(other.contentId, record.object), refusedWith(400, 'content-id-mismatch'));
  const tampered = record.object.slice(0, 24 + 10);
  await assert.rejects(patient.put(contentIdOf(tampered), tampered), refusedWith(400, 'malformed-object'));
  const before = (await patient.health()).objects;
  const unsigned = await fetch(`${vault.url}/objects/0x${'00'.repeat(32)}`, { method: 'PUT', body: record.object });
  assert.equal(unsigned.status, 401);
  assert.equal((await unsigned.json()).reason, 'missing-signature-header');
  assert.equal((await patient.health()).objects, before);
});

test('an erased object answers 410 and a restarted vault keeps the rest', async () => {
  const patient = new VaultClient(vault.url, alice);
  const [erased, kept] = [seal(new Uint8Array([1, 2, 3])), seal(new Uint8Array([4, 5, 6]))];
  await patient.put(erased.contentId, erased.object);
  await patient.put(kept.contentId, kept.object);
  await patient.erase(erased.contentId);
  await assert.rejects(patient.get(erased.contentId), refusedWith(410, 'erased'));

  const dataDir = vault.dataDir;
  await vault.kill();
  vault = await startVault({ dataDir });
  const restarted = new VaultClient(vault.url, alice);
  assert.deepEqual(open(kept.dataKey, await restarted.get(kept.contentId)).content, new Uint8Array([4, 5, 6]));
  await assert.rejects(restarted.get(erased.contentId), refusedWith(410, 'erased'));
});
