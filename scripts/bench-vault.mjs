#!/usr/bin/env node
// Throughput and latency of medchain-vault with every chain check on, next to nginx serving the
// same sealed objects as plain files from the same machine in the same run. Prints figures;
// asserts nothing about time.
//
//   node scripts/bench-vault.mjs [--requests N] [--follow-finalized]
//
// (default 3000 GETs of 4 KiB per server; `--follow-finalized` runs the vault with that flag: it
// follows the finalized heads by subscription instead of asking the node for one on every GET).
//
// Needs the README build (medchain-node, medchain-vault) and Debian's nginx (`apt-get install
// nginx-light`). It starts a dev node (instant seal), a vault asking it (`--node`) and nginx, each
// on a free 127.0.0.1 port, and stops them. A hospital uploads sealed records of 4 KiB, 1 MiB and
// 64 MiB (PUT, timed) and adds them on chain; the patient grants a doctor; the doctor logs each
// read (`ehr.logAccess`), then fetches (GET, timed): so each GET is signed, checked against the
// replay window and the node's finalized head, and decided by the chain at that head (grant,
// access log, suspension, erasure), as in production. The vault asks the runtime once per reader,
// object and head: the "first" row reads objects it has not decided yet (each GET a runtime call),
// the other rows read one object again and again. Requests are signed before the clock starts
// (sr25519 in JavaScript costs the client, not the server); nginx gets the same requests unsigned.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_PHRASE } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { MED, bestNumber, connect, createFundedAccounts, devAccounts, freePort, startNode, submit, sudo, untilFinalized } from './lib/chain.mjs';
import { percentile } from './lib/bench/figures.mjs';
import { CONSULT_NOTE } from './lib/ehr-codes.mjs';
import { UsageError, runIfMain } from './lib/cli.mjs';
import { sealRecordFor } from './lib/records.mjs';
import { keyAgreementFromSuri } from './lib/seal.mjs';
import { VaultClient, signingPayload, startVault } from './lib/vault.mjs';

const MIB = 1024 * 1024;
const NGINX = '/usr/sbin/nginx';
/** Object sizes whose PUT and GET throughput is measured, and how many of each are sent. */
const THROUGHPUT = [
  { label: '1 MiB', bytes: MIB, puts: 16, gets: 128 },
  { label: '64 MiB', bytes: 64 * MIB, puts: 2, gets: 6 },
];
const SMALL = 4096;
/** GETs of the small object in flight at once (keep-alive connections). */
const CONCURRENCY = 8;
/** Small records on chain, each read once: the vault decides each at the runtime. */
const FIRST_READS = 32;

async function signedGet(client, contentId) {
  const path = `/objects/${u8aToHex(contentId)}`;
  const timestamp = Date.now();
  const signature = client.pair.sign(signingPayload(client.vaultId, { method: 'GET', path, contentId, bodyLen: 0, timestamp }));
  return {
    'x-medchain-account': u8aToHex(client.pair.publicKey),
    'x-medchain-timestamp': String(timestamp),
    'x-medchain-signature': u8aToHex(signature),
  };
}

/** Sends `requests` with `concurrency` in flight; checks each answer's status and length. */
async function run(requests, concurrency, expectedBytes) {
  const latencies = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const { url, headers } = requests[next];
      next += 1;
      const sent = performance.now();
      const response = await fetch(url, { headers });
      const body = await response.arrayBuffer();
      if (response.status !== 200 || body.byteLength !== expectedBytes) {
        throw new Error(`GET ${url}: ${response.status}, ${body.byteLength} bytes (expected 200, ${expectedBytes}): ${Buffer.from(body).toString().slice(0, 300)}`);
      }
      latencies.push(performance.now() - sent);
      bytes += body.byteLength;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, bytes, perSecond: requests.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** Resident and peak memory of process `pid` (kB in /proc). */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** nginx serving `dir` on a free loopback port; `{ url, stop() }`. */
async function startNginx(dir) {
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `worker_processes 2;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:${port}; root ${dir}/objects; }
}
`);
  const child = spawn(NGINX, ['-c', conf, '-p', dir, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${log}`);
    try {
      await fetch(`${url}/`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer within 10 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, stop: () => new Promise((r) => { child.on('exit', r); child.kill('SIGQUIT'); }) };
}

const mibPerSecond = ({ bytes, seconds }) => bytes / MIB / seconds;
const fixed = (x, digits = 0) => (x === null || Number.isNaN(x) ? '—' : x.toFixed(digits));

async function main(argv) {
  let smallRequests = 3000;
  let followFinalized = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--requests' && Number.isInteger(Number(argv[i + 1])) && Number(argv[i + 1]) > 0) {
      smallRequests = Number(argv[i + 1]);
      i += 1;
    } else if (argv[i] === '--follow-finalized') {
      followFinalized = true;
    } else {
      throw new UsageError(`unknown argument ${argv[i]} (usage: bench-vault.mjs [--requests N] [--follow-finalized])`);
    }
  }
  if (!existsSync(NGINX)) throw new UsageError(`no ${NGINX}: install Debian's nginx first (apt-get install nginx-light)`);

  const work = mkdtempSync(join(tmpdir(), 'medchain-bench-vault-'));
  chmodSync(work, 0o755); // nginx's workers run as an unprivileged user
  const node = await startNode(['--dev', '--sealing', 'instant']);
  let api;
  let vault;
  let nginx;
  try {
    ({ api } = await connect(node.wsUrl));
    // Room for a 64 MiB record with its framing.
    vault = await startVault({ node: node.wsUrl, extraArgs: ['--max-object-bytes', String(80 * MIB), ...(followFinalized ? ['--follow-finalized'] : [])] });
    const vaultPid = vault.pid;
    const idle = memory(vaultPid);
    const { alice } = await devAccounts();
    const roles = ['patient', 'hospital', 'doctor'];
    const { pairs, uris } = await createFundedAccounts(api, alice, roles, 100n * MED, { label: 'bench-vault' });
    const { patient, hospital, doctor } = pairs;
    const succeed = async (tx, signer) => {
      const result = await submit(api, tx, signer);
      if (result.dispatchError) throw new Error(`${tx.method.section}.${tx.method.method}: ${JSON.stringify(result.dispatchError)}`);
      return result;
    };
    const registered = await sudo(api, api.tx.utility.batchAll([
      api.tx.ehr.registerProvider(hospital.address, 'Hospital', '0x01'),
      api.tx.ehr.registerProvider(doctor.address, 'Clinician', '0x02'),
    ]), alice);
    if (registered.dispatchError) throw new Error(`registering providers: ${JSON.stringify(registered.dispatchError)}`);
    const until = (await bestNumber(api)) + 100_000;
    await succeed(api.tx.ehr.grantAccess(hospital.address, 'All', { read: false, append: true }, 'Treatment', 0, until, null), patient);
    const doctorKey = await keyAgreementFromSuri(`${DEV_PHRASE}${uris.doctor}`);
    await succeed(api.tx.dnaWallet.registerKey(u8aToHex(doctorKey.publicKey), 'X25519'), doctor);
    await succeed(api.tx.ehr.grantAccess(doctor.address, 'All', { read: true, append: false }, 'Treatment', 0, until, null), patient);
    const uploader = new VaultClient(vault.url, hospital);
    const reader = new VaultClient(vault.url, doctor);
    reader.vaultId = hexToU8a((await reader.health()).vaultId);

    // PUT: distinct sealed records, timed one after another; the first of each size becomes a
    // record on chain that the doctor reads.
    const served = {};
    const putRates = {};
    for (const { label, bytes, puts } of [{ label: '4 KiB', bytes: SMALL, puts: 64 }, ...THROUGHPUT]) {
      const records = [];
      for (let i = 0; i < puts; i += 1) records.push(await sealRecordFor(api, patient, uris.patient, `${i} `.padEnd(bytes, 'x')));
      const started = performance.now();
      for (const record of records) await uploader.put(record.sealed.contentId, record.sealed.object);
      const seconds = (performance.now() - started) / 1000;
      putRates[label] = { mib: (records.length * records[0].size) / MIB / seconds, perSecond: records.length / seconds };
      // One record of each size on chain; of the small ones, FIRST_READS.
      const onChain = records.slice(0, bytes === SMALL ? FIRST_READS : 1);
      const added = await succeed(api.tx.utility.batchAll(onChain.map((record) =>
        api.tx.ehr.addRecord(patient.address, CONSULT_NOTE, record.commitment, record.contentId, record.locator, record.size))), hospital);
      const ids = added.events.filter(({ event }) => api.events.ehr.RecordAdded.is(event)).map(({ event }) => event.data.recordId.toNumber());
      served[label] = onChain.map((record, i) => ({ ...record, id: ids[i] }));
    }
    const reads = Object.values(served).flat().map(({ id }) => api.tx.ehr.logAccess(patient.address, id, 'Treatment'));
    await succeed(api.tx.utility.batchAll(reads), doctor);
    await untilFinalized(api);

    // The same objects as plain files for nginx.
    const objects = join(work, 'objects');
    mkdirSync(objects);
    mkdirSync(join(work, 'tmp'));
    for (const record of Object.values(served).flat()) writeFileSync(join(objects, record.contentId), record.sealed.object);
    nginx = await startNginx(work);

    const rows = [];
    // `count` GETs of `records` in turn, `concurrency` in flight, from the vault and from nginx;
    // each vault request signed with its own signature, so that none is a replay.
    const measure = async (label, records, count, concurrency) => {
      const vaultRequests = [];
      const plainRequests = [];
      for (let i = 0; i < count; i += 1) {
        const record = records[i % records.length];
        vaultRequests.push({ url: `${vault.url}/objects/${record.contentId}`, headers: await signedGet(reader, record.sealed.contentId) });
        plainRequests.push({ url: `${nginx.url}/${record.contentId}`, headers: {} });
      }
      const { size } = records[0];
      await run(plainRequests.slice(0, Math.min(count, 8)), 1, size); // warm the page cache
      const fromVault = await run(vaultRequests, concurrency, size);
      const fromNginx = await run(plainRequests, concurrency, size);
      rows.push({ label, count, concurrency, fromVault, fromNginx });
    };
    const small = served['4 KiB'];
    await measure('4 KiB first', small, small.length, 1);
    for (const { label, gets } of THROUGHPUT) await measure(label, served[label], gets, 1);
    await measure('4 KiB', small.slice(0, 1), smallRequests, CONCURRENCY);
    const latencyCount = Math.min(500, smallRequests);
    await measure('4 KiB', small.slice(0, 1), latencyCount, 1);
    const loaded = memory(vaultPid);

    console.log(`medchain-vault next to nginx, same objects, same client, 127.0.0.1 (the vault with --node${followFinalized ? ' --follow-finalized' : ''}: every GET signed, checked against the finalized head ${followFinalized ? 'it follows by subscription' : 'it asks the node for'} and decided by the chain at it; "first": each GET a new decision)`);
    console.log(`PUT (sealed record, signed, framing and content id checked, stored): ${Object.entries(putRates).map(([label, { mib, perSecond }]) => `${label} ${fixed(mib, 1)} MiB/s (${fixed(perSecond)}/s)`).join(', ')}`);
    console.log(`${'GET'.padEnd(11)} ${'n'.padStart(5)} ${'conc'.padStart(4)}  ${'vault MiB/s'.padStart(11)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ${'nginx MiB/s'.padStart(11)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ${'ratio'.padStart(5)}`);
    for (const { label, count, concurrency, fromVault, fromNginx } of rows) {
      const cells = (r) => `${fixed(mibPerSecond(r), 1).padStart(11)} ${fixed(r.perSecond).padStart(7)} ${fixed(r.p50, 2).padStart(7)} ${fixed(r.p99, 2).padStart(7)}`;
      console.log(`${label.padEnd(11)} ${String(count).padStart(5)} ${String(concurrency).padStart(4)}  ${cells(fromVault)}  ${cells(fromNginx)}  ${fixed(fromVault.perSecond / fromNginx.perSecond, 2).padStart(5)}`);
    }
    console.log(`vault memory: idle ${fixed(idle.rss, 1)} MiB RSS; after the run ${fixed(loaded.rss, 1)} MiB RSS, peak ${fixed(loaded.peak, 1)} MiB`);
    return 0;
  } finally {
    await nginx?.stop();
    await vault?.stop();
    await api?.disconnect();
    await node.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, main, (error) => {
  console.error(`bench-vault: ${error.message}`);
  return error instanceof UsageError ? 2 : 1;
});
