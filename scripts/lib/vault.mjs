// The client side of medchain-vault (vault/): signed requests and a typed client (vault-client.mjs,
// re-exported here), and starting a vault binary (and an S3 test server) on free loopback ports
// for scripts and tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtBinary, freePort } from './chain.mjs';

export { SIGNING_DOMAIN, signingPayload, VaultError, VaultClient, envelopePath } from './vault-client.mjs';

/** Where the vault binary is: `MEDCHAIN_VAULT`, else the `testnet` profile build. */
export function vaultBinary() {
  return builtBinary('medchain-vault', 'MEDCHAIN_VAULT');
}

/** The S3 test server: `MEDCHAIN_S3_SERVER`, else scripts/ceph-s3-server (Ceph's RADOS Gateway). */
export function s3ServerBinary() {
  return process.env.MEDCHAIN_S3_SERVER ?? fileURLToPath(new URL('../ceph-s3-server', import.meta.url));
}

/**
 * Starts an S3 server (a one-node Ceph with its RADOS Gateway, see `s3ServerBinary`; its packages
 * come from `medchain_setup`) on a free loopback port with one bucket, and waits until it says
 * `ready`. Returns `{ endpoint, bucket, region, accessKeyId, secretAccessKey, stop() }`, what
 * `startVault({ s3 })` takes; `stop()` ends it and removes its directory.
 */
export async function startS3Server({ bucket = 'medchain-vault', timeoutMs = 240_000 } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'medchain-s3-'));
  const [accessKeyId, secretAccessKey] = ['medchain-test', 'medchain-test-secret'];
  const child = spawn(s3ServerBinary(), [
    '--dir', dir, '--listen', `127.0.0.1:${port}`, '--bucket', bucket,
    '--access-key', accessKeyId, '--secret-key', secretAccessKey,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolveExit) => child.on('close', resolveExit));
  const ready = new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => rejectReady(new Error(`the S3 test server did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on('error', (error) => rejectReady(new Error(`cannot start the S3 test server ${s3ServerBinary()} (medchain_setup in scripts/common.sh installs its packages): ${error.message}`)));
    child.on('close', (code) => rejectReady(new Error(`the S3 test server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (/^ready$/m.test(output)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output.slice(-3000)}`);
  }
  return { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId, secretAccessKey, stop };
}

/**
 * Starts `medchain-vault` on a free loopback port with a temporary data directory (or `dataDir`,
 * kept by `stop()`), asking the node at `node` (its RPC URL) who may read, with its blobs in the
 * bucket `s3` (from `startS3Server`; credentials through the environment, as AWS tools read them)
 * or else in the data directory, and waits until `/health` answers. Returns
 * `{ url, dataDir, pid, output(), stop(), kill() }`: `stop()` sends SIGTERM and removes a temporary
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
    pid: child.pid,
    output: () => log,
    stop: () => finish('SIGTERM', givenDataDir === undefined),
    kill: () => finish('SIGKILL', false),
  };
}
