// The development preset's demo data (runtime/src/genesis_demo.json, written by
// scripts/demo-objects.mjs) against the objects the scripts seal and put in the dev vault: each
// locator opens for its owner only, names its object and carries the key that opens it, and the
// object matches the content id and commitment genesis holds; the public keys are those the dev
// accounts derive from their phrases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex, u8aToString } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { KEY_HOLDERS, demoAgreementKey, demoObjects } from '../../scripts/lib/demo-objects.mjs';
import { parseRecordLocator } from '../../scripts/lib/record-seal.mjs';
import { GENESIS_LOCATOR_HASH, commitment, contentId, open, openChainLocator, openLocator } from '../../scripts/lib/seal.mjs';

const genesis = JSON.parse(await readFile(new URL('../../runtime/src/genesis_demo.json', import.meta.url), 'utf8'));
await cryptoWaitReady();
const account = (name) => new Keyring({ type: 'sr25519' }).addFromUri(`//${name}`).publicKey;

for (const [name, sealed] of Object.entries(demoObjects())) {
  test(`the demo ${name} in genesis is a real sealed object its owner opens`, async () => {
    const held = genesis[name];
    assert.deepEqual([held.contentId, held.size], [u8aToHex(sealed.contentId), sealed.object.length]);
    assert.equal(u8aToHex(contentId(sealed.object)), held.contentId, 'the object hashes to the content id');
    const ownerKey = await demoAgreementKey(sealed.owner);
    // Any chain's hash: a genesis locator is bound to the zero hash.
    const text = await openChainLocator(hexToU8a(held.locator), account(sealed.owner), ownerKey, new Uint8Array(32).fill(7));
    const { objectPath, dataKey } = parseRecordLocator(text);
    assert.equal(objectPath, `objects/${held.contentId}`);
    const opened = open(dataKey, sealed.object);
    assert.equal(u8aToString(opened.content), sealed.text);
    assert.equal(u8aToHex(commitment(opened.salt, opened.content)), held.commitment);
    // Nobody else opens the locator.
    const stranger = await demoAgreementKey('Eve');
    await assert.rejects(openLocator(hexToU8a(held.locator), account('Eve'), stranger, GENESIS_LOCATOR_HASH), { code: 'WrongEnvelope' });
  });
}

test('the demo key-agreement keys are those the dev accounts derive from their phrases', async () => {
  assert.deepEqual(Object.keys(genesis.agreementKeys), KEY_HOLDERS.map((name) => name.toLowerCase()));
  for (const name of KEY_HOLDERS) {
    assert.equal(genesis.agreementKeys[name.toLowerCase()], u8aToHex((await demoAgreementKey(name)).publicKey), name);
  }
});
