// What the end-to-end suites do around their nodes: start an instant-seal dev node (with a vault
// and funded accounts) and run a pallet's integrator flow on it, pick events out of the flow's
// steps, poll until a condition holds, stop a node, a vault or a local network cleanly.
import assert from 'node:assert/strict';
import { DEV_PHRASE } from '@polkadot/keyring';
import { MED, createFundedAccounts, startNode, connect, devAccounts, submit, untilFinalized } from '../../scripts/lib/chain.mjs';
import { sleep } from '../../scripts/lib/bench/submission.mjs';
import { keyAgreementFromSuri } from '../../scripts/lib/seal.mjs';
import { VaultClient, VaultError, startS3Server, startVault } from '../../scripts/lib/vault.mjs';

export { sleep };

/** Polls `check` (async, truthy when done) every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(what, check, timeoutMs, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Disconnects `api`, stops `node` and checks that it shut down cleanly: exit code 0 and no
 * panic in its log. For the suites' `after` hooks. `expectedPanics` (a global RegExp) names log
 * entries a suite provoked on purpose; they are cut out before the check.
 */
export async function stopCleanly(node, api, { expectedPanics } = {}) {
  await api?.disconnect();
  if (!node) return;
  const { code, signal } = await node.stop();
  assert.equal(code, 0, `node exit code (signal ${signal}); log:\n${node.output().slice(-2000)}`);
  const log = expectedPanics ? node.output().replace(expectedPanics, '') : node.output();
  assert.doesNotMatch(log, /panicked/);
}

/**
 * Starts a dev node with instant seal, connects, and runs `runFlow(api, devAccounts, log)` on it
 * (a flow of scripts/*-flow.mjs), every line it prints pushed onto `lines`. With `withVault`, a
 * vault asking that node is started too and the flow gets `{ vaultUrl }` as a fourth argument.
 * Resolves with `{ node, api, accounts, flow, vault }` (`flow` what the run returned) for the
 * suite's `after` hook to stop with `stopCleanly` (and `vault.stop()`). When the flow fails the
 * node and vault are stopped here, and the error gives the flow's last lines and says whether the
 * node stopped cleanly as well.
 */
export async function runFlowOnDevChain(runFlow, lines, { withVault = false } = {}) {
  const node = await startNode(['--dev', '--sealing', 'instant']);
  let api;
  let vault;
  try {
    ({ api } = await connect(node.wsUrl));
    if (withVault) vault = await startVault({ node: node.wsUrl });
    const accounts = await devAccounts();
    const flow = await runFlow(api, accounts, (line) => lines.push(line), vault ? { vaultUrl: vault.url } : undefined);
    return { node, api, accounts, flow, vault };
  } catch (error) {
    // A failed `before` cancels every test of the suite: say how far the flow got, and say it
    // now, next to the suite's cancelled tests (the report gives the hook's error at its end).
    if (lines.length > 0) error.message += `\nthe flow's last lines:\n${lines.slice(-8).join('\n')}`;
    process.stderr.write(`the flow failed: ${error.message}\n${error.stack?.split('\n').filter((line) => line.startsWith('    at ')).join('\n')}\n`);
    await vault?.stop();
    await stopCleanly(node, api).catch((stopError) => {
      error.message += `\n(and the node did not stop cleanly: ${stopError.message})`;
    });
    throw error;
  }
}

/** The data of each `section.method` event (e.g. `ehr.RecordAdded`) in a flow's `step`. */
export function stepEvents(api, step, section, method) {
  return step.events.filter(({ event }) => api.events[section][method].is(event)).map(({ event }) => event.data);
}

/** The data of the one `section.method` event in `step`; fails unless there is exactly one. */
export function oneStepEvent(api, step, section, method) {
  const found = stepEvents(api, step, section, method);
  assert.equal(found.length, 1, `${method} events in ${JSON.stringify(step.events.map(({ event }) => `${event.section}.${event.method}`))}`);
  return found[0];
}

/** Fields of the domain RPCs that hold byte strings (or lists of them), which must be 0x-hex. */
const BYTE_FIELDS = new Set(['typeCode', 'locator', 'publicKey', 'encryptedLocator', 'wrappedKey', 'coveredConditions', 'Types']);

/**
 * Asserts the JSON convention of the domain RPCs (README, "JSON of the domain methods") on
 * `result`, the answer of `method`: every key camelCase (an enum variant's name, `AlreadyVerified`,
 * excepted), no number beyond 2^53 (a balance or other u128 is a decimal string), every byte
 * string 0x-hex. Returns how many keys it checked, so a caller can tell an empty answer.
 */
export function assertJsonConvention(method, result) {
  let keys = 0;
  const visit = (value, path) => {
    if (typeof value === 'number') assert.ok(Number.isSafeInteger(value), `${method}: ${path} is the number ${value}`);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        keys += 1;
        assert.match(key, /^([a-z][a-zA-Z0-9]*|[A-Z][a-zA-Z0-9]*)$/, `${method}: key ${path}.${key}`);
        if (BYTE_FIELDS.has(key)) {
          for (const bytes of [inner].flat()) assert.match(bytes, /^0x([0-9a-f]{2})*$/, `${method}: ${path}.${key} is not 0x-hex`);
        }
        visit(inner, `${path}.${key}`);
      }
    }
  };
  visit(result, 'result');
  return keys;
}

/** `assertJsonConvention` on each `method: answer` of `answers`; each answer must hold keys. */
export function assertJsonConventions(answers) {
  for (const [method, answer] of Object.entries(answers)) {
    assert.ok(assertJsonConvention(method, answer) > 0, `${method} answered ${JSON.stringify(answer)}`);
  }
}

/**
 * A dev node with instant seal, a vault asking it (`--node`; with `s3`, its blobs in a Ceph RADOS
 * Gateway started for it), and the `roles` accounts, funded by Alice with 100 MED each, each with
 * its vault client; the `keyRoles` also get their key-agreement key, derived from the account's
 * secret URI as the scripts do. Resolves with
 * `{ node, api, vault, s3, alice, pairs, uris, clients, keys }` (`uris` the accounts' secret URIs
 * below the dev phrase) for `stopVaultStack`; if a step fails,
 * what was started is stopped here.
 */
export async function startVaultStack({ roles, keyRoles, label, s3: withS3 = false }) {
  const node = await startNode(['--dev', '--sealing', 'instant']);
  let api;
  let vault;
  let s3;
  try {
    ({ api } = await connect(node.wsUrl));
    s3 = withS3 ? await startS3Server() : undefined;
    vault = await startVault({ node: node.wsUrl, s3 });
    const { alice } = await devAccounts();
    const { pairs, uris } = await createFundedAccounts(api, alice, roles, 100n * MED, { label });
    const clients = Object.fromEntries(roles.map((role) => [role, new VaultClient(vault.url, pairs[role])]));
    const keys = Object.fromEntries(await Promise.all(keyRoles.map(async (role) => [role, await keyAgreementFromSuri(`${DEV_PHRASE}${uris[role]}`)])));
    return { node, api, vault, s3, alice, pairs, uris, clients, keys };
  } catch (error) {
    await vault?.stop();
    await s3?.stop();
    await stopCleanly(node, api).catch((stopError) => {
      error.message += `\n(and the node did not stop cleanly: ${stopError.message})`;
    });
    throw error;
  }
}

/** Stops what `startVaultStack` started and checks that the vault and the node exited cleanly. */
export async function stopVaultStack({ node, api, vault, s3 }) {
  const stopped = await vault?.stop();
  await s3?.stop();
  await stopCleanly(node, api);
  assert.equal(stopped?.code, 0, `vault exit code; log:\n${vault?.output().slice(-2000)}`);
}

/** Submits `tx`, expects success, and waits until it is finalized: the state the vault asks about. */
export async function succeedFinalized(api, tx, signer) {
  const result = await submit(api, tx, signer);
  assert.equal(result.dispatchError, null, JSON.stringify(result.dispatchError));
  await untilFinalized(api);
  return result;
}

/** For `assert.rejects`: the vault refused with this HTTP status and machine-readable reason. */
export const vaultRefusal = (status, reason) => (error) => {
  assert.ok(error instanceof VaultError, String(error));
  assert.deepEqual({ status: error.status, reason: error.reason }, { status, reason });
  return true;
};

/**
 * Stops every node of a local network (scripts/lib/localnet.mjs), deletes its directory, and
 * checks that each of `names` exited with code 0 and never panicked.
 */
export async function stopLocalnetCleanly(net, names) {
  let results = {};
  try {
    results = await net?.stopAll();
  } finally {
    await net?.remove();
  }
  for (const [name, { code, signal }] of Object.entries(results ?? {})) {
    assert.equal(code, 0, `${name} exit code (signal ${signal}); log:\n${net.output(name).slice(-2000)}`);
  }
  for (const name of names) assert.doesNotMatch(net?.output(name) ?? '', /panicked/, `${name} panicked`);
}
