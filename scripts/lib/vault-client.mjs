// The browser-safe half of the medchain-vault client (vault/): the signed request format and a
// typed client over `fetch`. The app imports it; scripts and tests import it through vault.mjs,
// which adds starting a vault binary.
import { u8aToHex, hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';

/** Domain of the payload a request's signature covers (vault/src/auth.rs). */
export const SIGNING_DOMAIN = 'medchain-vault/v1';

/** `value` as a u64, little-endian (SCALE's fixed-width encoding). */
export function u64le(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), true);
  return out;
}

/**
 * The bytes a caller signs: domain ‖ vault id ‖ method ‖ 0 ‖ path ‖ 0 ‖ content id
 * ‖ u64 body length ‖ u64 timestamp (ms), all little-endian, then the `Range` header's value
 * when the request has one (so that nobody can move or widen the bytes a reader asked for).
 */
export function signingPayload(vaultId, { method, path, contentId, bodyLen, timestamp, range }) {
  return u8aConcat(
    stringToU8a(SIGNING_DOMAIN), vaultId, stringToU8a(method), [0], stringToU8a(path), [0],
    contentId, u64le(bodyLen), u64le(timestamp), range === undefined ? [] : stringToU8a(range),
  );
}

/** A vault's refusal: `status`, and `reason` the machine-readable code it gave. */
export class VaultError extends Error {
  constructor(status, reason, message) {
    super(`vault refused (${status} ${reason}): ${message}`);
    this.status = status;
    this.reason = reason;
  }
}

/**
 * A client of the vault at `url` signing as `pair`: an sr25519 keyring pair, or anything with
 * its `publicKey` and a `sign(bytes)` that returns the signature or a promise of it (a browser
 * wallet signs asynchronously). `clock()` gives the unix milliseconds a request is signed at (the
 * wall clock by default; a test on an instant-seal chain, whose clock runs ahead, passes the
 * chain's).
 */
export class VaultClient {
  constructor(url, pair, { clock = Date.now } = {}) {
    this.url = url.replace(/\/$/, '');
    this.pair = pair;
    this.clock = clock;
    this.vaultId = null;
  }

  /** `{ status, vaultId, objects, bytes }`. */
  async health() {
    const response = await fetch(`${this.url}/health`);
    return response.json();
  }

  async signedHeaders(method, path, contentId, bodyLen, range) {
    if (!this.vaultId) this.vaultId = hexToU8a((await this.health()).vaultId);
    const timestamp = this.clock();
    const signature = await this.pair.sign(signingPayload(this.vaultId, { method, path, contentId, bodyLen, timestamp, range }));
    return {
      'x-medchain-account': u8aToHex(this.pair.publicKey),
      'x-medchain-timestamp': String(timestamp),
      'x-medchain-signature': u8aToHex(signature),
      ...(range === undefined ? {} : { range }),
    };
  }

  async request(method, contentId, body, path = `/objects/${u8aToHex(contentId)}`, range = undefined) {
    const headers = await this.signedHeaders(method, path, contentId, body?.length ?? 0, range);
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    if (response.ok) return response;
    const refusal = await response.json().catch(() => ({ reason: 'unknown', message: response.statusText }));
    throw new VaultError(response.status, refusal.reason, refusal.message);
  }

  /** Uploads a sealed object under its content id; `true` if newly stored. */
  async put(contentId, object) {
    return (await (await this.request('PUT', contentId, object)).json()).stored;
  }

  /** The sealed object `contentId`. */
  async get(contentId) {
    return new Uint8Array(await (await this.request('GET', contentId)).arrayBuffer());
  }

  /** Bytes `start` to `end` (inclusive) of the object `contentId`: one segment, as an audit asks. */
  async getRange(contentId, start, end) {
    const response = await this.request('GET', contentId, undefined, undefined, `bytes=${start}-${end}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Erases the object `contentId` and its key envelopes (its uploader, or its record's patient). */
  async erase(contentId) {
    await this.request('DELETE', contentId);
  }

  /**
   * Deposits the key envelope of the object `contentId` for `recipient` (an account's 32-byte
   * public key); the record's patient only. `true` if the recipient had none yet.
   */
  async putEnvelope(contentId, recipient, envelope) {
    const response = await this.request('PUT', contentId, envelope, envelopePath(contentId, recipient));
    return response.status === 201;
  }

  /** This client's envelope of the object `contentId`, when the chain lets it read the object. */
  async getEnvelope(contentId) {
    const response = await this.request('GET', contentId, undefined, envelopePath(contentId, this.pair.publicKey));
    return new Uint8Array(await response.arrayBuffer());
  }
}

/** Where the vault keeps the envelope of `contentId` for `recipient` (vault/src/http.rs). */
export function envelopePath(contentId, recipient) {
  return `/envelopes/${u8aToHex(contentId)}/${u8aToHex(recipient)}`;
}
