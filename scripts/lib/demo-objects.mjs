// The development preset's demo records as real sealed objects (docs/sealing-v1.md): Bob's
// progress note, issued by Charlie, and Bob's genome (a small VCF), each sealed deterministically
// (data key, nonce prefix and salt derived from labels), so that the objects a vault holds match
// the content ids and commitments in the genesis state; their locators encrypted to Bob, carrying
// the data key; and the dev accounts' key-agreement keys, derived from their phrases as every
// client derives them. scripts/demo-objects.mjs writes what genesis needs
// (runtime/src/genesis_demo.json) and puts the objects in a vault.
import { DEV_PHRASE, Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { GENESIS_LOCATOR_HASH, NONCE_PREFIX_LEN, SALT_LEN, commitment, contentId, keyAgreementFromSuri, sealLocator, sealWith } from './seal.mjs';
import { keyedLocatorText } from './record-seal.mjs';
import { VaultClient } from './vault-client.mjs';

/** The dev accounts with demo key-agreement keys in the preset. */
export const KEY_HOLDERS = ['Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

const NOTE = `Progress note (demo, not a real patient)
Patient: Bob. Author: Charlie General Hospital, ward 3.
Day 2 after admission for chest pain. Troponin negative twice, ECG normal sinus rhythm.
Plan: discharge tomorrow with outpatient stress test.
`;

const GENOME = `##fileformat=VCFv4.2
##source=medchain-demo (not a real genome)
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO
1\t69511\trs2691305\tA\tG\t50\tPASS\t.
7\t117559590\trs113993960\tATCT\tA\t50\tPASS\t.
`;

/** The demo objects: `{ note, genome }`, each `{ owner, uploader, dataKey, object, contentId, commitment }`. */
export function demoObjects() {
  const sealDemo = (label, text, owner, uploader) => {
    const derive = (what, length) => blake2AsU8a(stringToU8a(`medchain demo: ${what} of ${label}`), 256).subarray(0, length);
    const content = stringToU8a(text);
    const dataKey = derive('data key', 32);
    const salt = derive('salt', SALT_LEN);
    const object = sealWith(dataKey, derive('nonce prefix', NONCE_PREFIX_LEN), salt, content);
    return { owner, uploader, text, dataKey, object, contentId: contentId(object), commitment: commitment(salt, content) };
  };
  return {
    note: sealDemo("Bob's progress note", NOTE, 'Bob', 'Charlie'),
    genome: sealDemo("Bob's genome", GENOME, 'Bob', 'Bob'),
  };
}

/** The dev account `name`'s key-agreement key (sealing-v1 §4). */
export function demoAgreementKey(name) {
  return keyAgreementFromSuri(`${DEV_PHRASE}//${name}`);
}

/**
 * What the development preset holds (runtime/src/genesis_demo.json): each object's content id,
 * commitment, size and a locator encrypted to its owner carrying its data key; the key holders'
 * public keys. Locators are sealed afresh (HPKE's ephemeral key), the rest is deterministic.
 */
export async function genesisDemo() {
  const account = async (name) => (await devPair(name)).publicKey;
  const { note, genome } = demoObjects();
  const locator = async (sealed) => u8aToHex(await sealLocator(
    keyedLocatorText(`objects/${u8aToHex(sealed.contentId)}`, sealed.dataKey),
    await account(sealed.owner), (await demoAgreementKey(sealed.owner)).publicKey, GENESIS_LOCATOR_HASH,
  ));
  const described = async (sealed) => ({
    contentId: u8aToHex(sealed.contentId),
    commitment: u8aToHex(sealed.commitment),
    size: sealed.object.length,
    locator: await locator(sealed),
  });
  const keys = {};
  for (const name of KEY_HOLDERS) keys[name.toLowerCase()] = u8aToHex((await demoAgreementKey(name)).publicKey);
  return { note: await described(note), genome: await described(genome), agreementKeys: keys };
}

/**
 * Puts the demo objects in the vault at `url`, each signed by its uploader. Resolves with a line
 * per object saying whether the vault stored it or held it already.
 */
export async function putDemoObjects(url) {
  const lines = [];
  for (const [name, sealed] of Object.entries(demoObjects())) {
    const vault = new VaultClient(url, await devPair(sealed.uploader));
    const stored = await vault.put(sealed.contentId, sealed.object);
    lines.push(`demo ${name} of ${sealed.owner}: ${stored ? 'stored' : 'already held'} (${sealed.object.length} bytes)`);
  }
  return lines;
}

async function devPair(name) {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519' }).addFromUri(`//${name}`);
}
