// Runtime upgrades by the council, and the runtime the upgrade test upgrades to.
//
// The council never holds the Wasm in a motion: a three-quarters motion whitelists and dispatches,
// as Root, `system.authorizeUpgrade(hash of the code)`; then anyone submits
// `system.applyAuthorizedUpgrade(code)`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { submit } from './chain.mjs';
import { councilMotion } from './governance.mjs';

/** The magic prefix of a zstd-compressed runtime (sp-maybe-compressed-blob). */
export const ZSTD_PREFIX = Buffer.from([82, 188, 83, 118, 70, 219, 142, 5]);

/**
 * Authorizes `code` (a runtime Wasm, compressed or not) by a council motion of `members` and
 * applies it, signed by `submitter`. Resolves with the `applyAuthorizedUpgrade` result; rejects if
 * the motion's call failed.
 */
export async function upgradeRuntime(api, members, submitter, code) {
  const authorize = api.tx.system.authorizeUpgrade(blake2AsHex(code, 256));
  const motion = await councilMotion(api, members, api.tx.utility.batchAll([
    api.tx.whitelist.whitelistCall(blake2AsHex(authorize.method.toU8a(), 256)),
    api.tx.whitelist.dispatchWhitelistedCallWithPreimage(authorize.method),
  ]));
  if (motion.dispatchError) throw new Error(`the upgrade motion failed: ${JSON.stringify(motion.dispatchError)}`);
  // As hex: polkadot.js reads a Uint8Array given for `Bytes` as already length-prefixed.
  return submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), submitter);
}

/**
 * The Wasm build command the runtime's build script ran last in the `profile` build
 * (substrate-wasm-builder prints it as `Executing build command: <Rust's Debug of the Command>`),
 * as `{ env, unset, program, args }`.
 */
export function lastWasmBuildCommand(targetDir, profile = 'testnet') {
  const buildDir = join(targetDir, profile, 'build');
  const outputs = readdirSync(buildDir)
    .filter((name) => name.startsWith('medchain-runtime-'))
    .map((name) => join(buildDir, name, 'output'))
    .filter((file) => existsSync(file) && readFileSync(file, 'utf8').includes('Executing build command'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!outputs.length) throw new Error(`no Wasm build of medchain-runtime under ${buildDir}: build the node first`);
  const line = readFileSync(outputs[0], 'utf8').split('\n').filter((l) => l.includes('Executing build command')).at(-1);
  // Debug of a Command: `[env -u A -u B ]K="v" … "program" "arg" …`, every string Rust-escaped.
  const command = line.slice(line.indexOf('command:') + 'command:'.length).replace(/\x1b\[[0-9;]*m/g, '').trim();
  const unset = [...command.matchAll(/-u (\S+)/g)].map((m) => m[1]);
  const env = {};
  for (const m of command.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) env[m[1]] = JSON.parse(`"${m[2]}"`);
  const quoted = [...command.replace(/(?:^|\s)[A-Z_][A-Z0-9_]*="(?:[^"\\]|\\.)*"/g, ' ').matchAll(/"((?:[^"\\]|\\.)*)"/g)]
    .map((m) => JSON.parse(`"${m[1]}"`));
  if (!quoted.length || !env.CARGO_TARGET_DIR) throw new Error(`cannot read the Wasm build command from ${outputs[0]}: ${command}`);
  return { env, unset, program: quoted[0], args: quoted.slice(1) };
}

/**
 * Runs `command` (a `lastWasmBuildCommand`) again with `env` added and the variables `drop`
 * removed; with `manifestPath` and `cargoTargetDir`, for another Wasm project in its own target
 * dir. The outer build's jobserver is never passed on (its pipes are long closed). `stdio`
 * `inherit` shows cargo's output; otherwise a failure carries its end. Returns the built `.wasm`.
 */
export function rerunWasmBuild({ env, unset, program, args }, { env: added = {}, drop = [], manifestPath, cargoTargetDir, stdio = 'pipe' } = {}) {
  const targetDir = cargoTargetDir ?? env.CARGO_TARGET_DIR;
  const childEnv = { ...process.env, ...env, ...added, CARGO_TARGET_DIR: targetDir };
  for (const name of [...unset, ...drop, 'CARGO_MAKEFLAGS', 'MAKEFLAGS', 'MFLAGS']) delete childEnv[name];
  const childArgs = manifestPath ? args.map((arg) => (arg.startsWith('--manifest-path=') ? `--manifest-path=${manifestPath}` : arg)) : args;
  const built = spawnSync(program, childArgs, stdio === 'inherit'
    ? { env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] }
    : { env: childEnv, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (built.status !== 0) throw new Error(`the Wasm build failed (status ${built.status})${built.stderr ? `:\n${built.stderr.slice(-4000)}` : ''}`);
  const releaseDir = join(targetDir, 'wasm32v1-none', args[args.indexOf('--profile') + 1]);
  const wasm = readdirSync(releaseDir).find((name) => name.endsWith('.wasm'));
  if (!wasm) throw new Error(`no .wasm in ${releaseDir}`);
  return join(releaseDir, wasm);
}

/**
 * Builds this runtime one `spec_version` later (`MEDCHAIN_UPGRADE_TEST=1`, see runtime/build.rs)
 * with the very command and target dir of the node's own Wasm build, so that only the runtime
 * crate is compiled again, and returns it zstd-compressed as the node's own Wasm is. Without the
 * metadata hash (wallets that check it refuse this test runtime). The node's build is not
 * touched: its embedded Wasm stays spec_version 100.
 */
export function buildUpgradeRuntime(targetDir) {
  const wasm = rerunWasmBuild(lastWasmBuildCommand(targetDir), { env: { MEDCHAIN_UPGRADE_TEST: '1' }, drop: ['RUNTIME_METADATA_HASH'] });
  const compressed = execFileSync('zstd', ['-q', '-19', '-c', wasm], { maxBuffer: 64 << 20 });
  return Buffer.concat([ZSTD_PREFIX, compressed]);
}
