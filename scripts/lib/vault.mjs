// The client side of medchain-vault (vault/): signed requests and a typed client (vault-client.mjs,
// re-exported here), and starting a vault binary on a free loopback port for scripts and tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtBinary, freePort } from './chain.mjs';

export { SIGNING_DOMAIN, signingPayload, VaultError, VaultClient, envelopePath } from './vault-client.mjs';

/** Where the vault binary is: `MEDCHAIN_VAULT`, else the `testnet` profile build. */
export function vaultBinary() {
  return builtBinary('medchain-vault', 'MEDCHAIN_VAULT');
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
