import { beforeAll, expect, test, vi } from 'vitest';
import {
  createKeystore, eraseKeystore, KDF, keystoreState, KeystoreError, lockKeystores, readSecrets, storeKey, unlockKeystore, updateSecrets,
  type KeystoreReason, type Secrets,
} from './keystore';
import { memoryStorage, type MemoryStorage } from './memory-storage';

// Every derivation is the real argon2id (64 MiB, t = 3): about 2 s each, more on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const ADDRESS = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const PASSPHRASE = 'lantern quietly orbits';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const CONDITION = { kind: 'mutual-aid condition pool 1', text: 'I21 acute myocardial infarction', salt: `0x${'07'.repeat(32)}`, commitment: '0x2656', at: '2026-12-03T00:00:00.000Z' };
const SECRETS: Secrets = { phrase: PHRASE, commitments: [CONDITION] };

/** A rejection with `KeystoreError` of `reason`. */
const refused = async (promise: Promise<unknown> | (() => unknown), reason: KeystoreReason) => {
  const error = await (typeof promise === 'function' ? Promise.resolve().then(promise) : promise).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(KeystoreError);
  expect((error as KeystoreError).reason).toBe(reason);
};
/** Everything in `storage` as one text, to search for what must not be there in plain. */
const everything = (storage: MemoryStorage) => [...storage.items].flat().join('\n');

// One store holding SECRETS, set up once; each test works on its own copy (locked: a new tab).
let fixture: MemoryStorage;
beforeAll(async () => {
  fixture = memoryStorage();
  await createKeystore(ADDRESS, PASSPHRASE, fixture);
  updateSecrets(ADDRESS, () => SECRETS, fixture);
});
const copyOfFixture = () => memoryStorage(fixture.items);

test('a store round-trips its secrets, locked in a new tab until the passphrase unlocks it', async () => {
  const storage = copyOfFixture();
  expect(keystoreState(ADDRESS, storage)).toBe('locked');
  await refused(() => readSecrets(ADDRESS, storage), 'Locked');
  expect(await unlockKeystore(ADDRESS, PASSPHRASE, storage)).toEqual(SECRETS);
  expect(keystoreState(ADDRESS, storage)).toBe('unlocked');
  const more = { ...CONDITION, kind: 'break-glass 5Bob', text: 'unconscious, allergies unknown', commitment: '0x77' };
  updateSecrets(ADDRESS, (s) => ({ ...s, commitments: [...s.commitments, more] }), storage);
  // Locking forgets the key: nothing reads or writes until the passphrase is given again.
  lockKeystores(storage);
  expect(keystoreState(ADDRESS, storage)).toBe('locked');
  await refused(() => readSecrets(ADDRESS, storage), 'Locked');
  await refused(() => updateSecrets(ADDRESS, (s) => s, storage), 'Locked');
  await unlockKeystore(ADDRESS, PASSPHRASE.normalize('NFD'), storage); // the same passphrase, typed otherwise
  expect(readSecrets(ADDRESS, storage).commitments).toEqual([CONDITION, more]);
  // At rest: a versioned envelope with the derivation's parameters, and nothing readable.
  const envelope = JSON.parse(storage.items.get(storeKey(ADDRESS))!);
  expect([envelope.format, envelope.version, envelope.kdf.name, envelope.kdf.m, envelope.kdf.t, envelope.aead]).toEqual(['medchain-keystore', 1, 'argon2id', 65536, 3, 'xchacha20poly1305']);
  expect([...storage.items.keys()]).toEqual([storeKey(ADDRESS)]);
  for (const plain of [PHRASE.split(' ').slice(0, 2).join(' '), CONDITION.text, more.text, CONDITION.salt.slice(2), 'break-glass']) expect(everything(storage)).not.toContain(plain);
  // Two stores of the same secrets share nothing but their format: a salt per store, a nonce per write.
  expect(envelope.kdf.salt).toBe(JSON.parse(fixture.items.get(storeKey(ADDRESS))!).kdf.salt);
  const other = memoryStorage();
  await createKeystore(ADDRESS, PASSPHRASE, other);
  expect(JSON.parse(other.items.get(storeKey(ADDRESS))!).kdf.salt).not.toBe(envelope.kdf.salt);
});

test('a wrong passphrase is refused by name and changes nothing', async () => {
  const storage = copyOfFixture();
  const before = new Map(storage.items);
  await refused(unlockKeystore(ADDRESS, 'lantern quietly orbit', storage), 'WrongPassphrase');
  expect(storage.items).toEqual(before);
  expect(keystoreState(ADDRESS, storage)).toBe('locked');
});

test('an altered store is refused as tampered, and one of another format as unsupported', async () => {
  const stored = fixture.items.get(storeKey(ADDRESS))!;
  const envelope = JSON.parse(stored);
  const altered = (change: (e: typeof envelope) => void) => {
    const copy = structuredClone(envelope);
    change(copy);
    return memoryStorage([[storeKey(ADDRESS), JSON.stringify(copy)]]);
  };
  // One bit of the ciphertext: the passphrase is right (its check matches), the AEAD refuses.
  const flipped = altered((e) => { e.ciphertext = `${(parseInt(e.ciphertext[0], 16) ^ 1).toString(16)}${e.ciphertext.slice(1)}`; });
  await refused(unlockKeystore(ADDRESS, PASSPHRASE, flipped), 'Tampered');
  expect(keystoreState(ADDRESS, flipped)).toBe('locked');
  // Another account's store copied under this account's name: bound to its address, it does not open.
  const moved = memoryStorage([[storeKey('5Other'), stored]]);
  await refused(unlockKeystore('5Other', PASSPHRASE, moved), 'Tampered');
  // A weaker derivation written into the envelope, a damaged envelope, a format from the future.
  await refused(unlockKeystore(ADDRESS, PASSPHRASE, altered((e) => { e.kdf.m = 8; })), 'Tampered');
  await refused(unlockKeystore(ADDRESS, PASSPHRASE, memoryStorage([[storeKey(ADDRESS), stored.slice(0, -2)]])), 'Tampered');
  await refused(unlockKeystore(ADDRESS, PASSPHRASE, altered((e) => { e.version = 2; })), 'Unsupported');
  expect(KDF.m).toBe(65536);
});

test('an earlier version\'s plain phrase and commitments are encrypted under a new passphrase, and no plain copy is left', async () => {
  const storage = memoryStorage([
    [`medchain.keyAgreement.${ADDRESS}`, PHRASE],
    [`medchain.commitments.${ADDRESS}`, JSON.stringify([CONDITION])],
    ['medchain.locale', 'zh'],
  ]);
  expect(keystoreState(ADDRESS, storage)).toBe('plain');
  await refused(unlockKeystore(ADDRESS, PASSPHRASE, storage), 'Missing');
  await refused(createKeystore(ADDRESS, 'too short', storage), 'WeakPassphrase');
  expect(await createKeystore(ADDRESS, PASSPHRASE, storage)).toEqual(SECRETS);
  expect([...storage.items.keys()].sort()).toEqual([storeKey(ADDRESS), 'medchain.locale']);
  for (const plain of [PHRASE, PHRASE.split(' ').slice(2, 4).join(' '), CONDITION.text, CONDITION.salt.slice(2)]) expect(everything(storage)).not.toContain(plain);
  // What was moved is in the store itself, not only in this tab's memory.
  lockKeystores(storage);
  expect(await unlockKeystore(ADDRESS, PASSPHRASE, storage)).toEqual(SECRETS);
  await refused(createKeystore(ADDRESS, PASSPHRASE, storage), 'Exists');
});

test('the plain copies stay until the encrypted one is written and read back', async () => {
  const plainItems: Array<[string, string]> = [[`medchain.keyAgreement.${ADDRESS}`, PHRASE]];
  // A full storage quota: the write throws.
  const full = memoryStorage(plainItems);
  full.setItem = () => { throw new DOMException('quota', 'QuotaExceededError'); };
  await expect(createKeystore(ADDRESS, PASSPHRASE, full)).rejects.toThrow('quota');
  expect([...full.items]).toEqual(plainItems);
  expect(keystoreState(ADDRESS, full)).toBe('plain');
  // A storage that keeps something else than what was written: the read-back refuses it.
  const garbling = memoryStorage(plainItems);
  garbling.setItem = (key, value) => { garbling.items.set(key, value.replace(/"ciphertext":"(.)/, (_, c: string) => `"ciphertext":"${c === '0' ? '1' : '0'}`)); };
  await refused(createKeystore(ADDRESS, PASSPHRASE, garbling), 'Tampered');
  expect(garbling.items.get(`medchain.keyAgreement.${ADDRESS}`)).toBe(PHRASE);
  expect(keystoreState(ADDRESS, garbling)).toBe('locked');
});

test('plain copies left beside a store join it on unlock; a different phrase is kept as a former one', async () => {
  const other = { ...CONDITION, kind: 'shipment batch 4', text: 'pallet 7', commitment: '0x99' };
  const storage = copyOfFixture();
  const otherPhrase = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
  storage.setItem(`medchain.commitments.${ADDRESS}`, JSON.stringify([CONDITION, other]));
  storage.setItem(`medchain.keyAgreement.${ADDRESS}`, otherPhrase);
  const merged = await unlockKeystore(ADDRESS, PASSPHRASE, storage);
  expect(merged.commitments).toEqual([CONDITION, other]);
  expect([merged.phrase, merged.formerPhrases]).toEqual([otherPhrase, [PHRASE]]);
  expect([...storage.items.keys()]).toEqual([storeKey(ADDRESS)]);
});

test('erasing a store whose passphrase is lost leaves nothing of it', async () => {
  const storage = copyOfFixture();
  eraseKeystore(ADDRESS, storage);
  expect(keystoreState(ADDRESS, storage)).toBe('none');
  expect(storage.items.size).toBe(0);
});
