// What the app keeps in this browser for an account — its key-agreement recovery phrase and the
// texts (with their salts) behind its commitments on chain — encrypted at rest under a passphrase
// the user chooses, so that whoever reads the browser profile (a shared computer, malware, a
// script injected into the page that reads local storage) reads ciphertext.
//
// One store per account, `medchain.keystore.<address>`, a versioned JSON envelope (format 1):
//   master     = argon2id(NFKC(passphrase), salt: 16 random bytes per store, m = 64 MiB, t = 3, p = 1)
//   key, check = HKDF-SHA256(master, info "medchain keystore v1 encryption" / "… passphrase check")
//   ciphertext = XChaCha20-Poly1305(key, nonce: 24 random bytes per write, JSON of the secrets,
//                AAD "medchain-keystore v1 <address>": a store copied under another account fails)
// `check` tells a wrong passphrase (check differs) from a damaged or altered store (check matches,
// the AEAD refuses). Every primitive comes from @noble/hashes and @noble/ciphers.
//
// Why argon2id: memory-hard, so each guess of an offline attacker holding the profile costs
// 64 MiB of memory as well as time (GPUs and ASICs gain little), and it is what RFC 9106
// recommends; scrypt (also in @noble/hashes) would do, but argon2id's hybrid first pass resists
// cache-timing side channels too. The parameters are RFC 9106 §4's second recommended option with
// one lane (JavaScript computes lanes one after another, so more lanes would only help an
// attacker's threads): about 1.8 s in Node on a 2-core machine, paid once per tab session.
//
// The derived key lives only in this module's memory, for this tab: never in sessionStorage or
// localStorage. `lockKeystores` forgets it.
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToHex, bytesToUtf8, equalBytes, hexToBytes, randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';

/** What a commitment's owner keeps: the text committed to and its salt (0x-hex), to show later. */
export interface KeptCommitment {
  kind: string;
  text: string;
  salt: string;
  commitment: string;
  at: string;
}

/** Everything an account's store holds. */
export interface Secrets {
  /** The key-agreement recovery phrase of a wallet account (key-agreement.ts). */
  phrase?: string;
  /** Phrases this one replaced: kept, never silently dropped (records may still be sealed to them). */
  formerPhrases?: string[];
  commitments: KeptCommitment[];
}

/** The key derivation of format 1; a store naming other parameters is not one this app wrote. */
export const KDF = { name: 'argon2id', m: 64 * 1024, t: 3, p: 1 } as const;
export const MIN_PASSPHRASE_LENGTH = 10;
const FORMAT = 'medchain-keystore';
const VERSION = 1;
const SALT_BYTES = 16;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;

interface Envelope {
  format: typeof FORMAT;
  version: typeof VERSION;
  kdf: { name: typeof KDF.name; m: number; t: number; p: number; salt: string };
  check: string;
  aead: 'xchacha20poly1305';
  nonce: string;
  ciphertext: string;
}

export type KeystoreReason =
  /** The passphrase does not open this store; nothing changed. */
  | 'WrongPassphrase'
  /** The store does not decrypt or parse although the passphrase is right (altered or damaged). */
  | 'Tampered'
  /** A store of a format this app does not know (a newer app wrote it). */
  | 'Unsupported'
  /** The store is locked in this tab: unlock it first. */
  | 'Locked'
  /** A new passphrase shorter than `MIN_PASSPHRASE_LENGTH`. */
  | 'WeakPassphrase'
  /** Setting a passphrase where a store exists already (unlock it instead). */
  | 'Exists'
  /** Unlocking where there is no store (set a passphrase instead). */
  | 'Missing';

export class KeystoreError extends Error {
  readonly reason: KeystoreReason;
  constructor(reason: KeystoreReason, message: string) {
    super(message);
    this.name = 'KeystoreError';
    this.reason = reason;
  }
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * `none`: nothing kept; `plain`: an earlier version's unencrypted phrase or commitments, to be
 * encrypted under a new passphrase; `locked`: a store this tab has not unlocked; `unlocked`.
 */
export type KeystoreState = 'none' | 'plain' | 'locked' | 'unlocked';

export const storeKey = (address: string) => `medchain.keystore.${address}`;
/** Where earlier versions of the app kept the phrase and the commitments, unencrypted. */
const plainPhraseKey = (address: string) => `medchain.keyAgreement.${address}`;
const plainCommitmentsKey = (address: string) => `medchain.commitments.${address}`;

interface Session { key: Uint8Array; check: string; salt: string }

// The unlocked stores of this tab, per storage (tests use their own) and address.
const sessions = new WeakMap<object, Map<string, Session>>();
const listeners = new Set<() => void>();

function sessionsOf(storage: KeyValueStorage): Map<string, Session> {
  let map = sessions.get(storage);
  if (!map) sessions.set(storage, (map = new Map()));
  return map;
}

function notify() {
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever a store is set up, unlocked, locked, erased or written. */
export function subscribeKeystores(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

export function keystoreState(address: string, storage: KeyValueStorage = localStorage): KeystoreState {
  const raw = storage.getItem(storeKey(address));
  if (raw === null) return hasPlain(address, storage) ? 'plain' : 'none';
  const session = sessionsOf(storage).get(address);
  // A store replaced meanwhile (erased and set up again in another tab) has another salt.
  if (!session || saltOf(raw) !== session.salt) return 'locked';
  return 'unlocked';
}

/**
 * Sets up `address`'s store under a new `passphrase` (state `none` or `plain`): an earlier
 * version's plain phrase and commitments move into it, and their plain copies are removed once
 * the store is written and read back. Leaves the store unlocked in this tab.
 */
export async function createKeystore(address: string, passphrase: string, storage: KeyValueStorage = localStorage): Promise<Secrets> {
  if (storage.getItem(storeKey(address)) !== null) throw new KeystoreError('Exists', 'this account already has an encrypted store here: unlock it');
  if (passphrase.normalize('NFKC').length < MIN_PASSPHRASE_LENGTH) {
    throw new KeystoreError('WeakPassphrase', `a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  const salt = randomBytes(SALT_BYTES);
  const session = { ...(await deriveKeys(passphrase, salt)), salt: bytesToHex(salt) };
  // The derivation takes seconds: another tab may have set up a store meanwhile.
  if (storage.getItem(storeKey(address)) !== null) throw new KeystoreError('Exists', 'this account already has an encrypted store here: unlock it');
  return adoptPlain(address, session, { commitments: [] }, storage, true);
}

/** Unlocks `address`'s store for this tab; plain copies an earlier version left move into it. */
export async function unlockKeystore(address: string, passphrase: string, storage: KeyValueStorage = localStorage): Promise<Secrets> {
  const raw = storage.getItem(storeKey(address));
  if (raw === null) throw new KeystoreError('Missing', 'this account has no encrypted store here: set a passphrase');
  const envelope = parseEnvelope(raw);
  const derived = await deriveKeys(passphrase, hexToBytes(envelope.kdf.salt));
  if (!equalBytes(hexToBytes(derived.check), hexToBytes(envelope.check))) {
    throw new KeystoreError('WrongPassphrase', 'this passphrase does not open the store');
  }
  const session = { ...derived, salt: envelope.kdf.salt };
  return adoptPlain(address, session, openEnvelope(address, envelope, session), storage, false);
}

/** Forgets every derived key of this tab: the stores stay, locked. */
export function lockKeystores(storage: KeyValueStorage = localStorage) {
  const map = sessionsOf(storage);
  for (const session of map.values()) session.key.fill(0);
  map.clear();
  notify();
}

/** Removes `address`'s store (its passphrase is lost): what it held is gone from this browser. */
export function eraseKeystore(address: string, storage: KeyValueStorage = localStorage) {
  sessionsOf(storage).get(address)?.key.fill(0);
  sessionsOf(storage).delete(address);
  storage.removeItem(storeKey(address));
  notify();
}

/** What `address`'s unlocked store holds; `Locked` while it is not unlocked in this tab. */
export function readSecrets(address: string, storage: KeyValueStorage = localStorage): Secrets {
  const { session, envelope } = unlocked(address, storage);
  return openEnvelope(address, envelope, session);
}

/** Writes `change(current)` to `address`'s unlocked store (a fresh nonce); returns what it wrote. */
export function updateSecrets(address: string, change: (current: Secrets) => Secrets, storage: KeyValueStorage = localStorage): Secrets {
  const { session, envelope } = unlocked(address, storage);
  const next = change(openEnvelope(address, envelope, session));
  writeSecrets(address, session, next, storage);
  notify();
  return next;
}

/** `secrets` keeping `phrase`; a different phrase kept before moves to `formerPhrases`. */
export function withPhrase(secrets: Secrets, phrase: string): Secrets {
  if (secrets.phrase === undefined || secrets.phrase === phrase) return { ...secrets, phrase };
  const former = [...(secrets.formerPhrases ?? []), secrets.phrase].filter((p, i, all) => p !== phrase && all.indexOf(p) === i);
  return { ...secrets, phrase, formerPhrases: former };
}

function unlocked(address: string, storage: KeyValueStorage): { session: Session; envelope: Envelope } {
  const raw = storage.getItem(storeKey(address));
  const session = sessionsOf(storage).get(address);
  if (raw === null || !session || saltOf(raw) !== session.salt) throw new KeystoreError('Locked', 'unlock this account\'s store first');
  return { session, envelope: parseEnvelope(raw) };
}

async function deriveKeys(passphrase: string, salt: Uint8Array): Promise<{ key: Uint8Array; check: string }> {
  // NFKC: the same passphrase typed on another keyboard or input method gives the same bytes.
  const master = await argon2idAsync(passphrase.normalize('NFKC'), salt, { m: KDF.m, t: KDF.t, p: KDF.p, dkLen: 32 });
  const key = hkdf(sha256, master, undefined, utf8ToBytes('medchain keystore v1 encryption'), 32);
  const check = hkdf(sha256, master, undefined, utf8ToBytes('medchain keystore v1 passphrase check'), 32);
  master.fill(0);
  return { key, check: bytesToHex(check) };
}

const aad = (address: string) => utf8ToBytes(`${FORMAT} v${VERSION} ${address}`);

function sealSecrets(address: string, session: Session, secrets: Secrets): Envelope {
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = xchacha20poly1305(session.key, nonce, aad(address)).encrypt(utf8ToBytes(JSON.stringify(secrets)));
  return {
    format: FORMAT, version: VERSION, kdf: { ...KDF, salt: session.salt }, check: session.check,
    aead: 'xchacha20poly1305', nonce: bytesToHex(nonce), ciphertext: bytesToHex(ciphertext),
  };
}

function openEnvelope(address: string, envelope: Envelope, session: Session): Secrets {
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(session.key, hexToBytes(envelope.nonce), aad(address)).decrypt(hexToBytes(envelope.ciphertext));
  } catch {
    throw new KeystoreError('Tampered', 'the store does not decrypt: it was altered or damaged');
  }
  let secrets: Secrets | null = null;
  try {
    secrets = JSON.parse(bytesToUtf8(plaintext));
  } catch { /* refused below */ }
  if (typeof secrets !== 'object' || secrets === null || !Array.isArray(secrets.commitments)) {
    throw new KeystoreError('Tampered', 'the store decrypts to something this app did not write');
  }
  return secrets;
}

/** Writes `secrets`, then reads them back: only a store that decrypts to exactly them counts as written. */
function writeSecrets(address: string, session: Session, secrets: Secrets, storage: KeyValueStorage) {
  storage.setItem(storeKey(address), JSON.stringify(sealSecrets(address, session, secrets)));
  const back = storage.getItem(storeKey(address));
  if (back === null || JSON.stringify(openEnvelope(address, parseEnvelope(back), session)) !== JSON.stringify(secrets)) {
    throw new KeystoreError('Tampered', 'the store read back is not what was written');
  }
}

function hasPlain(address: string, storage: KeyValueStorage): boolean {
  return storage.getItem(plainPhraseKey(address)) !== null || storage.getItem(plainCommitmentsKey(address)) !== null;
}

/**
 * Moves an earlier version's plain phrase and commitments into the store (`write` also when
 * there are none: a new store), removes the plain copies only once the store is written and read
 * back, and remembers the session. Throws, changing nothing, if the plain commitments do not parse.
 */
function adoptPlain(address: string, session: Session, secrets: Secrets, storage: KeyValueStorage, write: boolean): Secrets {
  const phrase = storage.getItem(plainPhraseKey(address));
  const commitmentsText = storage.getItem(plainCommitmentsKey(address));
  let merged = secrets;
  if (commitmentsText !== null) {
    let plain: unknown;
    try {
      plain = JSON.parse(commitmentsText);
    } catch {
      plain = null;
    }
    if (!Array.isArray(plain)) throw new KeystoreError('Tampered', `the unencrypted commitments an earlier version kept (${plainCommitmentsKey(address)}) do not parse; left as they are`);
    const known = new Set(merged.commitments.map((c) => c.commitment));
    merged = { ...merged, commitments: [...merged.commitments, ...(plain as KeptCommitment[]).filter((c) => !known.has(c.commitment))] };
  }
  if (phrase !== null) merged = withPhrase(merged, phrase);
  if (write || phrase !== null || commitmentsText !== null) writeSecrets(address, session, merged, storage);
  storage.removeItem(plainPhraseKey(address));
  storage.removeItem(plainCommitmentsKey(address));
  sessionsOf(storage).set(address, session);
  notify();
  return merged;
}

const isHex = (value: unknown, bytes?: number): value is string =>
  typeof value === 'string' && /^[0-9a-f]*$/.test(value) && value.length % 2 === 0 && (bytes === undefined || value.length === 2 * bytes);

function saltOf(raw: string): string | undefined {
  try {
    return (JSON.parse(raw) as Envelope).kdf?.salt;
  } catch {
    return undefined;
  }
}

function parseEnvelope(raw: string): Envelope {
  let value: Envelope;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new KeystoreError('Tampered', 'the store is not JSON');
  }
  if (typeof value !== 'object' || value === null || value.format !== FORMAT) throw new KeystoreError('Tampered', 'the store is not a Medchain keystore');
  if (value.version !== VERSION) throw new KeystoreError('Unsupported', `the store is of format ${String(value.version)}; this app reads format ${VERSION}`);
  const { kdf } = value;
  const sound = typeof kdf === 'object' && kdf !== null && kdf.name === KDF.name && kdf.m === KDF.m && kdf.t === KDF.t && kdf.p === KDF.p
    && isHex(kdf.salt, SALT_BYTES) && isHex(value.check, 32) && value.aead === 'xchacha20poly1305'
    && isHex(value.nonce, NONCE_BYTES) && isHex(value.ciphertext) && value.ciphertext.length >= 2 * TAG_BYTES;
  if (!sound) throw new KeystoreError('Tampered', 'the store\'s envelope was altered');
  return value;
}
