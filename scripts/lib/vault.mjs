// The client side of medchain-vault (vault/): signed requests, a typed client, and starting a
// vault binary on a free loopback port for scripts and tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { u8aToHex, hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { builtBinary, freePort } from './chain.mjs';

/** Domain of the payload a request's signature covers (vault/src/auth.rs). */
export const SIGNING_DOMAIN = 'medchain-vault/v1';

/** Where the vault binary is: `MEDCHAIN_VAULT`, else the `testnet` profile build. */
export function vaultBinary() {
  return builtBinary('medchain-vault', 'MEDCHAIN_VAULT');
}

function u64le(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), true);
  return out;
}

/**
 * The bytes a caller signs: domain ‖ vault id ‖ method ‖ 0 ‖ path ‖ 0 ‖ content id
 * ‖ u64 body length ‖ u64 timestamp (ms), all little-endian.
 */
export function signingPayload(vaultId, { method, path, contentId, bodyLen, timestamp }) {
  return u8aConcat(
    stringToU8a(SIGNING_DOMAIN), vaultId, stringToU8a(method), [0], stringToU8a(path), [0],
    contentId, u64le(bodyLen), u64le(timestamp),
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

/** A client of the vault at `url` signing as `pair` (an sr25519 keyring pair). */
export class VaultClient {
  constructor(url, pair) {
    this.url = url.replace(/\/$/, '');
    this.pair = pair;
    this.vaultId = null;
  }

  /** `{ status, vaultId, objects, bytes }`. */
  async health() {
    const response = await fetch(`${this.url}/health`);
    return response.json();
  }

  async signedHeaders(method, path, contentId, bodyLen) {
    if (!this.vaultId) this.vaultId = hexToU8a((await this.health()).vaultId);
    const timestamp = Date.now();
    const signature = this.pair.sign(signingPayload(this.vaultId, { method, path, contentId, bodyLen, timestamp }));
    return {
      'x-medchain-account': u8aToHex(this.pair.publicKey),
      'x-medchain-timestamp': String(timestamp),
      'x-medchain-signature': u8aToHex(signature),
    };
  }

  async request(method, contentId, body, path = `/objects/${u8aToHex(contentId)}`) {
    const headers = await this.signedHeaders(method, path, contentId, body?.length ?? 0);
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

/**
 * Starts `medchain-vault` on a free loopback port with a temporary data directory (or `dataDir`,
 * kept by `stop()`), asking the node at `node` (its RPC URL) who may read, and waits until
 * `/health` answers. Returns
 * `{ url, dataDir, output(), stop(), kill() }`: `stop()` sends SIGTERM and removes a temporary
 * data directory; `kill()` sends SIGKILL and keeps it, as a crash would, for a restart on it.
 */
export async function startVault({ dataDir: givenDataDir, node, extraArgs = [], timeoutMs = 20_000 } = {}) {
  const dataDir = givenDataDir ?? mkdtempSync(join(tmpdir(), 'medchain-vault-'));
  const port = await freePort();
  const nodeArgs = node ? ['--node', node] : [];
  const child = spawn(vaultBinary(), ['--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, ...nodeArgs, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`medchain-vault exited with ${child.exitCode}:\n${log.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`medchain-vault did not answer /health within ${timeoutMs} ms:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const finish = async (signal, removeDataDir) => {
    if (child.exitCode === null) child.kill(signal);
    const result = await exited;
    if (removeDataDir) rmSync(dataDir, { recursive: true, force: true });
    return result;
  };
  return {
    url,
    dataDir,
    output: () => log,
    stop: () => finish('SIGTERM', givenDataDir === undefined),
    kill: () => finish('SIGKILL', false),
  };
}
