// The vault binary driven over HTTP by the script library's client, once with its blobs in its
// data directory and once in a real S3-compatible server on loopback: a patient seals a record in
// JavaScript, uploads it, reads it back (whole and one segment) and opens it; other accounts,
// forged and tampered requests are refused by name; erasure answers 410; a restart after SIGKILL
// keeps what was stored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { seal, open, contentId as contentIdOf } from '../../scripts/lib/seal.mjs';
import { VaultClient, VaultError, startS3Server, startVault } from '../../scripts/lib/vault.mjs';

const refusedWith = (status, reason) => (error) => error instanceof VaultError && error.status === status && error.reason === reason;

for (const backend of ['filesystem', 's3']) {
  describe(`a vault with its blobs in ${backend === 's3' ? 'an S3-compatible server' : 'its data directory'}`, () => {
    let s3;
    let vault;
    let alice;
    let bob;

    before(async () => {
      await cryptoWaitReady();
      const keyring = new Keyring({ type: 'sr25519' });
      [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
      s3 = backend === 's3' ? await startS3Server() : undefined;
      vault = await startVault({ s3 });
    });

    after(async () => {
      const { code } = await vault.stop();
      rmSync(vault.dataDir, { recursive: true, force: true });
      await s3?.stop();
      assert.equal(code, 0, `vault exit code; log:\n${vault.output().slice(-2000)}`);
      assert.doesNotMatch(vault.output(), /panicked/);
    });

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
      assert.equal(health.backend, backend);
      const metrics = await (await fetch(`${vault.url}/metrics`)).text();
      assert.match(metrics, new RegExp(`medchain_vault_blob_calls_total\\{backend="${backend}",operation="put",outcome="ok"\\} 1\\n`));
    });

    test('one segment of an object is served with 206, a range past its end refused with 416', async () => {
      const patient = new VaultClient(vault.url, alice);
      const record = seal(new Uint8Array(5000).map((_, i) => i % 251));
      await patient.put(record.contentId, record.object);
      assert.deepEqual(await patient.getRange(record.contentId, 1024, 2047), record.object.slice(1024, 2048));
      const size = record.object.length;
      await assert.rejects(patient.getRange(record.contentId, size, size + 10), refusedWith(416, 'range-not-satisfiable'));
    });

    test('the range a reader asked for is signed: moved on the way, the request is refused', async () => {
      const patient = new VaultClient(vault.url, alice);
      const record = seal(new Uint8Array(3000).map((_, i) => i % 13));
      await patient.put(record.contentId, record.object);
      const path = `/objects/${u8aToHex(record.contentId)}`;
      const headers = await patient.signedHeaders('GET', path, record.contentId, 0, 'bytes=0-1023');
      const moved = await fetch(`${vault.url}${path}`, { headers: { ...headers, range: 'bytes=1024-2047' } });
      assert.equal(moved.status, 401);
      assert.equal((await moved.json()).reason, 'bad-signature');
      const asSigned = await fetch(`${vault.url}${path}`, { headers });
      assert.equal(asSigned.status, 206);
      assert.deepEqual(new Uint8Array(await asSigned.arrayBuffer()), record.object.slice(0, 1024));
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

    test('an erased object answers 410 and a vault restarted after SIGKILL keeps the rest', async () => {
      const patient = new VaultClient(vault.url, alice);
      const [erased, kept] = [seal(new Uint8Array([1, 2, 3])), seal(new Uint8Array([4, 5, 6]))];
      await patient.put(erased.contentId, erased.object);
      await patient.put(kept.contentId, kept.object);
      await patient.erase(erased.contentId);
      await assert.rejects(patient.get(erased.contentId), refusedWith(410, 'erased'));

      const { dataDir } = vault;
      const objects = (await patient.health()).objects;
      await vault.kill();
      vault = await startVault({ dataDir, s3 });
      const restarted = new VaultClient(vault.url, alice);
      assert.equal((await restarted.health()).objects, objects);
      assert.deepEqual(open(kept.dataKey, await restarted.get(kept.contentId)).content, new Uint8Array([4, 5, 6]));
      await assert.rejects(restarted.get(erased.contentId), refusedWith(410, 'erased'));
    });
  });
}
