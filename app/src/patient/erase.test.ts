import { describe, expect, test } from 'vitest';
import { VaultError } from '../../../scripts/lib/vault-client.mjs';
import { eraseObject } from './erase';

const ID = new Uint8Array(32).fill(7);

/** A vault answering each erase with the next of `answers` (an error to throw, or undefined). */
function vault(...answers: Array<Error | undefined>) {
  const calls: Uint8Array[] = [];
  return {
    calls,
    async erase(contentId: Uint8Array) {
      calls.push(contentId);
      const answer = answers.shift();
      if (answer) throw answer;
    },
  };
}

const held = () => new VaultError(409, 'replica-held', 'a provider holds a replica');
const unknown = () => new VaultError(503, 'replicas-unknown', 'the vault has just started');

describe('eraseObject', () => {
  test('erases at once when the vault agrees', async () => {
    const client = vault(undefined);
    expect(await eraseObject(client, ID, { retryMs: 0 })).toBe('erased');
    expect(client.calls).toEqual([ID]);
  });

  test('tries again while a provider still holds a replica, until the vault sees the order end', async () => {
    const client = vault(held(), held(), undefined);
    expect(await eraseObject(client, ID, { retryMs: 0 })).toBe('erased');
    expect(client.calls.length).toBe(3);
  });

  test('gives up after its attempts, saying a replica is still held', async () => {
    const client = vault(held(), held(), held());
    expect(await eraseObject(client, ID, { attempts: 3, retryMs: 0 })).toBe('replica-held');
    expect(client.calls.length).toBe(3);
  });

  test('tries again while a provider\'s vault has not yet read its replicas, and says so if it never does', async () => {
    const client = vault(unknown(), undefined);
    expect(await eraseObject(client, ID, { retryMs: 0 })).toBe('erased');
    expect(client.calls.length).toBe(2);
    const stuck = vault(unknown(), unknown());
    await expect(eraseObject(stuck, ID, { attempts: 2, retryMs: 0 })).rejects.toMatchObject({ status: 503, reason: 'replicas-unknown' });
    expect(stuck.calls.length).toBe(2);
  });

  test('an object already erased or never uploaded needs no erasure', async () => {
    expect(await eraseObject(vault(new VaultError(410, 'erased', 'gone')), ID, { retryMs: 0 })).toBe('already-gone');
    expect(await eraseObject(vault(new VaultError(404, 'not-found', 'never stored')), ID, { retryMs: 0 })).toBe('already-gone');
  });

  test('any other refusal is the caller\'s to show, untried again', async () => {
    const client = vault(new VaultError(403, 'not-allowed', 'only the uploader'));
    await expect(eraseObject(client, ID, { retryMs: 0 })).rejects.toMatchObject({ status: 403, reason: 'not-allowed' });
    expect(client.calls.length).toBe(1);
  });
});
