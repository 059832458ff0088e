// The client side of medchain-vault (vault/): signed requests, a typed client, and starting a
// vault binary on a free loopback port for scripts and tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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

  async request(method, contentId, body, path = `/objects/${u8aToHex(contentId)}`, extraHeaders = {}) {
    const headers = { ...await this.signedHeaders(method, path, contentId, body?.length ?? 0), ...extraHeaders };
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
    const response = await this.request('GET', contentId, undefined, undefined, { range: `bytes=${start}-${end}` });
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

/** The S3-compatible test server: `MEDCHAIN_S3_SERVER`, else where `medchain_setup` installs moto's. */
export function s3ServerBinary() {
  return process.env.MEDCHAIN_S3_SERVER ?? join(homedir(), '.cache/medchain/s3-venv/bin/moto_server');
}

/**
 * Starts an S3-compatible server (moto's, see `s3ServerBinary`) on a free loopback port and
 * creates one bucket in it. Returns `{ endpoint, bucket, region, accessKeyId, secretAccessKey,
 * stop() }`, what `startVault({ s3 })` takes.
 */
export async function startS3Server({ bucket = 'medchain-vault', timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const child = spawn(s3ServerBinary(), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  let spawnError = null;
  child.on('error', (error) => { spawnError = error; });
  const exited = new Promise((resolveExit) => child.on('close', resolveExit));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) {
      throw new Error(`cannot start the S3 test server ${s3ServerBinary()} (medchain_setup in scripts/common.sh installs it): ${spawnError.message}`);
    }
    if (child.exitCode !== null) throw new Error(`the S3 test server exited with ${child.exitCode}`);
    let response = null;
    try {
      // moto checks no signature: a bare PUT creates the bucket.
      response = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
    } catch {
      // Not listening yet.
    }
    if (response?.ok) break;
    if (response || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(response
        ? `creating the bucket: HTTP ${response.status} ${await response.text()}`
        : `the S3 test server did not answer within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'medchain-test',
    secretAccessKey: 'medchain-test-secret',
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts `medchain-vault` on a free loopback port with a temporary data directory (or `dataDir`,
 * kept by `stop()`), asking the node at `node` (its RPC URL) who may read, with its blobs in the
 * bucket `s3` (from `startS3Server`; credentials through the environment, as AWS tools read them)
 * or else in the data directory, and waits until `/health` answers. Returns
 * `{ url, dataDir, output(), stop(), kill() }`: `stop()` sends SIGTERM and removes a temporary
 * data directory; `kill()` sends SIGKILL and keeps it, as a crash would, for a restart on it.
 */
export async function startVault({ dataDir: givenDataDir, node, s3, extraArgs = [], timeoutMs = 20_000 } = {}) {
  const dataDir = givenDataDir ?? mkdtempSync(join(tmpdir(), 'medchain-vault-'));
  const port = await freePort();
  const nodeArgs = node ? ['--node', node] : [];
  const s3Args = s3 ? ['--s3-endpoint', s3.endpoint, '--s3-bucket', s3.bucket, '--s3-region', s3.region] : [];
  const env = s3
    ? { ...process.env, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey }
    : process.env;
  const child = spawn(vaultBinary(), ['--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, ...nodeArgs, ...s3Args, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
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
