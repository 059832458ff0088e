// RPC and node hardening against the real medchain-node binary: a validator started with exactly
// the production flags of README "Production flags" (scripts/lib/production-flags.mjs), probed
// over raw JSON-RPC — WebSocket frames and HTTP POSTs, nothing of @polkadot/api in between — with
// what a broken or hostile client sends: unsafe methods, malformed JSON, unknown methods, wrong
// parameter types, oversized requests, responses and batches, too many connections, transactions
// that must not enter the pool, and every domain read method with unknown ids, huge limits and
// malformed accounts. Each probe must be answered within ANSWER_MS (a hang fails instead of
// stalling the suite) and leave the node answering `system_health`; at the end the node must
// stop with exit code 0 and no panic in its log.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { encodeAddress } from '@polkadot/util-crypto';
import { startNode, connect, devAccounts, freshAccounts, submit, nodeBinary } from '../../scripts/lib/chain.mjs';
import { VALIDATOR_FLAGS, RPC_NODE_FLAGS, flagValue } from '../../scripts/lib/production-flags.mjs';
import { stopCleanly } from './support.mjs';

const MED = 10n ** 12n;
const MiB = 1024 * 1024;
/** Every probe must be answered within this time. */
const ANSWER_MS = 5_000;
/** Test-only flags around VALIDATOR_FLAGS: the dev chain, Alice's dev keys, and authoring with no peers. */
const DEV_VALIDATOR = ['--chain', 'dev', '--alice', '--force-authoring'];
/** A dev account that exists in genesis (Alice) and a well-formed one that holds nothing. */
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const NOBODY = encodeAddress(new Uint8Array(32).fill(7), 42);
const U32_MAX = '4294967295';
const U64_MAX = '18446744073709551615';
const UNKNOWN_BLOCK = `0x${'00'.repeat(31)}01`;
const ZERO_H256 = `0x${'00'.repeat(32)}`;

// JSON-RPC error codes: JSON-RPC 2.0's, jsonrpsee's, Substrate's (author_*, state_*) and the node's.
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601; // also what a denied unsafe author_/system_/offchain_ method answers
const INVALID_PARAMS = -32602;
const OVERSIZED_REQUEST = -32007;
const OVERSIZED_RESPONSE = -32008;
const BATCH_TOO_LARGE = -32010;
const STATE_UNSAFE = 4003; // what a denied unsafe state_ method answers (sc-rpc-api state errors)
const STATE_CALL_RECORDED_DENIED = 4005;
const RUNTIME_API_FAILED = 1; // node/src/rpc.rs RUNTIME_ERROR
const AUTHOR_VERIFICATION_ERROR = 1002; // the runtime's validate_transaction failed
const POOL_INVALID_TX = 1010;
const AUTHOR_OTHER_ERROR = 1040; // here: the node cannot even frame the bytes as an extrinsic

/**
 * The one panic the validator may log: bytes framed as an extrinsic that the runtime cannot decode
 * make sp-api's generated `validate_transaction` trap inside the Wasm executor (by design upstream;
 * the message says so); the node answers 1002 and keeps serving. The suite provokes it twice.
 */
const UNDECODABLE_TX_TRAP = /[^\n]*panicked at [^\n]*runtime\/src\/apis\.rs:\d+:\d+:\nBad input data provided to validate_transaction: Codec error\. Nothing bad happened: someone sent an invalid transaction to the node\./g;

/**
 * Opens a raw WebSocket to `url`. Resolves with `{ send(frame), call(method, params), close() }`:
 * `send` writes one text frame (a string as it is, anything else as JSON) and resolves with the
 * next message, parsed, within ANSWER_MS; `call` sends a JSON-RPC request with the next id.
 * Rejects when the server refuses the connection (e.g. `Unexpected server response: 429`).
 */
function openSocket(url) {
  return new Promise((resolveOpen, rejectOpen) => {
    const ws = new WebSocket(url, { maxPayload: 64 * MiB });
    const waiting = [];
    let nextId = 1;
    ws.on('message', (data) => {
      const waiter = waiting.shift();
      if (!waiter) return;
      clearTimeout(waiter.timer);
      waiter.resolve(JSON.parse(data.toString()));
    });
    ws.on('close', () => {
      for (const waiter of waiting.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('the node closed the connection'));
      }
    });
    ws.once('error', rejectOpen);
    ws.once('open', () => {
      ws.off('error', rejectOpen);
      ws.on('error', () => {}); // an error after opening also closes: the waiters see 'close'
      const send = (frame) => new Promise((resolveAnswer, rejectAnswer) => {
        const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
        const waiter = { resolve: resolveAnswer, reject: rejectAnswer };
        waiter.timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          rejectAnswer(new Error(`no answer within ${ANSWER_MS} ms to ${text.slice(0, 200)}`));
        }, ANSWER_MS);
        waiting.push(waiter);
        ws.send(text);
      });
      resolveOpen({
        send,
        call: (method, params = []) => send({ jsonrpc: '2.0', id: nextId++, method, params }),
        close: () => new Promise((resolveClose) => {
          if (ws.readyState === WebSocket.CLOSED) return resolveClose();
          ws.once('close', resolveClose);
          return ws.close();
        }),
      });
    });
  });
}

/** A JSON-RPC request as text, with `params` given as JSON text (for integers beyond 2^53). */
const rawRequest = (method, paramsJson, id = 1) => `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${paramsJson}}`;

/**
 * POSTs `body` to the node's HTTP endpoint; resolves with `{ status, text, json }` within
 * ANSWER_MS. A large body waits for `100 Continue` (as curl does), so that a node refusing it by
 * its Content-Length answers before the body is sent.
 */
function httpPost(url, body) {
  return new Promise((resolvePost, reject) => {
    let answered = false;
    const length = Buffer.byteLength(body);
    const expectContinue = length > 64 * 1024;
    const request = httpRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': length,
        ...(expectContinue ? { expect: '100-continue' } : {}),
      },
      timeout: ANSWER_MS,
    });
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* e.g. the plain-text 429 */ }
        if (!request.writableEnded) request.destroy(); // the body was refused unsent
        resolvePost({ status: response.statusCode, text, json });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no HTTP answer within ${ANSWER_MS} ms`)));
    request.on('error', (error) => { if (!answered) reject(error); });
    if (expectContinue) request.on('continue', () => request.end(body));
    else request.end(body);
  });
}

/** Asserts that `answer` is a JSON-RPC error with `code` (and a message matching `message`). */
function assertError(answer, code, message, what = '') {
  assert.ok(answer.error, `${what}: expected error ${code}, got ${JSON.stringify(answer).slice(0, 300)}`);
  assert.equal(answer.error.code, code, `${what}: ${JSON.stringify(answer.error).slice(0, 300)}`);
  assert.equal(answer.result, undefined);
  if (message) assert.match(`${answer.error.message} ${answer.error.data ?? ''}`, message, what);
}

/** Asserts that the node still serves: `system_health` over `socket` answers normally. */
async function assertHealthy(socket) {
  const answer = await socket.call('system_health');
  assert.equal(answer.error, undefined, JSON.stringify(answer));
  assert.equal(typeof answer.result.isSyncing, 'boolean');
  assert.equal(typeof answer.result.peers, 'number');
}

/** `medchain-node key generate-node-key --file <tmp>`: `{ dir, file, peerId }`. */
function generateNodeKey() {
  const dir = mkdtempSync(join(tmpdir(), 'medchain-node-key-'));
  const file = join(dir, 'node-key');
  const run = spawnSync(nodeBinary(), ['key', 'generate-node-key', '--file', file], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  return { dir, file, peerId: run.stderr.trim() };
}

describe('README "Production flags"', () => {
  const readme = readFileSync(resolve(new URL('../../README.md', import.meta.url).pathname), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Production flags'));
  // The commands as one line each: no shell line continuations, single spaces.
  const flat = (section ?? '').replace(/\\\n/g, ' ').replace(/[ \t]+/g, ' ');

  test('shows the validator flags the suite below starts its node with, verbatim', () => {
    assert.ok(section, 'README has a "## Production flags" section');
    assert.ok(flat.includes(VALIDATOR_FLAGS.join(' ')), `README shows: ${VALIDATOR_FLAGS.join(' ')}`);
  });

  test('shows the public RPC node flags verbatim, and the validator never listens externally', () => {
    assert.ok(flat.includes(RPC_NODE_FLAGS.join(' ')), `README shows: ${RPC_NODE_FLAGS.join(' ')}`);
    assert.ok(!VALIDATOR_FLAGS.some((flag) => /external|cors|unsafe/.test(flag)), VALIDATOR_FLAGS.join(' '));
    assert.ok(!RPC_NODE_FLAGS.some((flag) => /validator|unsafe/.test(flag)), RPC_NODE_FLAGS.join(' '));
    assert.equal(flagValue(VALIDATOR_FLAGS, '--rpc-methods'), 'safe');
    assert.equal(flagValue(RPC_NODE_FLAGS, '--rpc-methods'), 'safe');
  });
});

describe('validator with the production flags', () => {
  let node;
  let api;
  let rpc;
  let httpUrl;
  let nodeKey;

  before(async () => {
    nodeKey = generateNodeKey();
    node = await startNode([...DEV_VALIDATOR, '--node-key-file', nodeKey.file, ...VALIDATOR_FLAGS]);
    httpUrl = node.wsUrl.replace(/^ws:/, 'http:');
    ({ api } = await connect(node.wsUrl));
    rpc = await openSocket(node.wsUrl);
  });

  after(async () => {
    await rpc?.close();
    const traps = node?.output().match(UNDECODABLE_TX_TRAP) ?? [];
    await stopCleanly(node, api, { expectedPanics: UNDECODABLE_TX_TRAP });
    assert.ok(traps.length <= 2, `${traps.length} runtime traps for 2 undecodable transactions`);
    if (nodeKey) rmSync(nodeKey.dir, { recursive: true, force: true });
  });

  test('runs as an authority on ParityDB with its node key, RPC on loopback only', async () => {
    const log = node.output();
    assert.match(log, /Role: AUTHORITY/);
    assert.match(log, /Database: ParityDb/);
    assert.match(log, new RegExp(`Local node identity is: ${nodeKey.peerId}`));
    const [listening] = /Running JSON-RPC server: addr=\S+/.exec(log);
    for (const addr of listening.slice(listening.indexOf('=') + 1).split(',')) {
      assert.match(addr, /^(127\.0\.0\.1|\[::1\]):\d+$/, `RPC listens on ${addr}`);
    }
    assert.deepEqual((await rpc.call('system_nodeRoles')).result, ['Authority']);
    await assertHealthy(rpc);
  });

  test('refuses the unsafe RPC methods, over WebSocket and HTTP', async () => {
    // Every method Substrate marks unsafe, with well-formed parameters so that the refusal (not
    // a parameter error) is what answers: [method, params, code (default METHOD_NOT_FOUND)].
    const unsafeCalls = [
      ['author_insertKey', ['aura', '//Alice', `0x${'d4'.repeat(32)}`]],
      ['author_rotateKeys', []],
      ['author_rotateKeysWithOwner', ['0x00']],
      ['author_hasKey', [`0x${'d4'.repeat(32)}`, 'aura']],
      ['author_hasSessionKeys', ['0x00']],
      ['author_removeExtrinsic', [[]]],
      ['system_addReservedPeer', [`/ip4/127.0.0.1/tcp/1/p2p/${nodeKey.peerId}`]],
      ['system_removeReservedPeer', [nodeKey.peerId]],
      ['system_addLogFilter', ['trace']],
      ['system_resetLogFilter', []],
      ['system_peers', []],
      ['system_unstable_networkState', []],
      ['system_dryRun', ['0x00']],
      ['state_getPairs', ['0x'], STATE_UNSAFE],
      ['state_queryStorage', [[], UNKNOWN_BLOCK], STATE_UNSAFE],
      ['state_traceBlock', [UNKNOWN_BLOCK, null, null, null], STATE_UNSAFE],
      ['state_callRecorded', ['Core_version', '0x', UNKNOWN_BLOCK], STATE_CALL_RECORDED_DENIED],
      ['offchain_localStorageGet', ['PERSISTENT', '0x00']],
      ['offchain_localStorageSet', ['PERSISTENT', '0x00', '0x00']],
      ['offchain_localStorageClear', ['PERSISTENT', '0x00']],
    ];
    // `rpc_methods` lists every registered method, these too (sc-rpc-server; the refusal is per
    // call, by the connection's DenyUnsafe), so the list is no evidence either way: calling is.
    const listed = (await rpc.call('rpc_methods')).result.methods;
    for (const [method, params, code = METHOD_NOT_FOUND] of unsafeCalls) {
      assert.ok(listed.includes(method), `${method} is registered`);
      assertError(await rpc.call(method, params), code, /unsafe/, method);
    }
    assert.deepEqual((await rpc.call('system_reservedPeers')).result, [], 'no reserved peer was added');
    const overHttp = await httpPost(httpUrl, rawRequest('author_rotateKeys', '[]'));
    assertError(overHttp.json, METHOD_NOT_FOUND, /unsafe/, 'author_rotateKeys over HTTP');
    await assertHealthy(rpc);
  });

  test('malformed JSON gets a parse error and the connection keeps serving', async () => {
    for (const frame of ['{"jsonrpc":"2.0","id":1,', 'not json', '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[}', '\u0000\u0001\u0002']) {
      const answer = await rpc.send(frame);
      assertError(answer, PARSE_ERROR, /Parse error/, JSON.stringify(frame));
      assert.equal(answer.id, null);
      await assertHealthy(rpc);
    }
    const overHttp = await httpPost(httpUrl, '{"jsonrpc":"2.0","id":1,');
    assertError(overHttp.json, PARSE_ERROR, /Parse error/, 'over HTTP');
    await assertHealthy(rpc);
  });

  test('a request that is not a JSON-RPC 2.0 call gets -32600', async () => {
    for (const frame of [
      '{"jsonrpc":"1.0","id":1,"method":"system_health","params":[]}',
      '{"id":1,"method":"system_health","params":[]}',
      '{"jsonrpc":"2.0","id":1,"method":42,"params":[]}',
      '[]',
    ]) {
      assertError(await rpc.send(frame), INVALID_REQUEST, undefined, frame);
      await assertHealthy(rpc);
    }
  });

  test('an unknown method gets -32601', async () => {
    for (const method of ['medchain_nope', 'ehr_deleteRecord', 'author_submitExtrinsicc', '', 'x'.repeat(10_000)]) {
      assertError(await rpc.call(method, []), METHOD_NOT_FOUND, /Method not found/, method.slice(0, 40));
    }
    await assertHealthy(rpc);
  });

  test('wrong parameter types get -32602', async () => {
    const cases = [
      ['system_accountNextIndex', '[42]'],
      ['chain_getBlockHash', '["latest"]'],
      ['state_getStorage', '[123]'],
      ['author_submitExtrinsic', '["not hex"]'],
      ['payment_queryInfo', '[{"call":1}]'],
      ['ehr_records', '["not-an-account"]'],
      ['ehr_records', '["0x1234"]'],
      ['ehr_accessLog', `["${ALICE}", -1, 10]`],
      ['ehr_accessLog', `["${ALICE}", 0, 4294967296]`],
      ['ehr_canAccess', `["${ALICE}", 1, "Delete"]`],
      ['ehr_canAccess', `["${ALICE}", 18446744073709551616, "Read"]`],
      ['ehr_readTicket', `["${ALICE}", "0x12", "${ALICE}"]`],
      ['ehr_readTicket', `["${ALICE}", "${ZERO_H256}", "0x12"]`],
      ['ehr_reviewAccesses', '["not-an-account"]'],
      ['drugProvenance_batchById', '["one"]'],
      ['drugProvenance_batchById', '[1.5]'],
      ['drugProvenance_codeStatus', '[1, "0x12"]'],
      ['drugProvenance_batch', '["09506000134352", [76, 79, 84]]'], // a lot as bytes, not its printed text
      ['drugProvenance_verifyPack', `[1, "SN1", "CODE", "${ZERO_H256}", {"index": 0, "siblings": ${JSON.stringify(Array(33).fill(ZERO_H256))}}]`],
      ['drugProvenance_verifyPack', `[1, "SN1", "CODE", "${ZERO_H256}", {"index": -1, "siblings": []}]`],
      ['drugProvenance_verifyPack', `[1, 7, "CODE", "${ZERO_H256}", {"index": 0, "siblings": []}]`],
      ['dnaWallet_studies', '["yes"]'],
      ['dnaWallet_shares', '[-1]'],
      ['mutualAid_claims', '[0, "Bogus"]'],
      ['mutualAid_member', '[0, 42]'],
      ['storagePower_era', '[{"era": 1}]'],
      ['storagePower_pendingRewards', '[null]'],
      ['storagePower_quote', '[-1, 1, 1]'],
      ['storagePower_order', '["first"]'],
      ['storagePower_replicasOf', '[42]'],
      ['storagePower_openOrders', '[-1, 10]'],
      ['storagePower_ordersOfContent', `["0x12", "${ALICE}"]`],
      ['storagePower_ordersOfContent', `["${ZERO_H256}", "not-an-account"]`],
      ['storagePower_openOrders', '[0, 4294967296]'],
      ['ehr_records', `["${ALICE}", "0x12"]`],
    ];
    for (const [method, params] of cases) {
      assertError(await rpc.send(rawRequest(method, params)), INVALID_PARAMS, undefined, `${method}(${params.slice(0, 80)})`);
    }
    await assertHealthy(rpc);
  });

  test('a request over --rpc-max-request-size is refused with -32007, over WebSocket and HTTP', async () => {
    const limit = Number(flagValue(VALIDATOR_FLAGS, '--rpc-max-request-size')) * MiB;
    const padded = (bytes) => rawRequest('author_submitExtrinsic', `["0x${'ab'.repeat(bytes / 2)}"]`);
    const answer = await rpc.send(padded(limit + 2));
    assertError(answer, OVERSIZED_REQUEST, /Request is too big/, 'WebSocket');
    assert.equal(answer.id, null);
    await assertHealthy(rpc);
    // Just under the limit, the same request is read and answered on its merits.
    const under = await rpc.send(padded(limit - 1024));
    assert.notEqual(under.error?.code, OVERSIZED_REQUEST, JSON.stringify(under).slice(0, 300));
    const overHttp = await httpPost(httpUrl, padded(limit + 2));
    assert.equal(overHttp.status, 413);
    assertError(overHttp.json, OVERSIZED_REQUEST, /Request is too big/, 'HTTP');
    await assertHealthy(rpc);
  });

  test('a response over --rpc-max-response-size is refused with -32008, smaller ones are served', async () => {
    const limit = Number(flagValue(VALIDATOR_FLAGS, '--rpc-max-response-size')) * MiB;
    const codeBytes = (await rpc.call('state_getStorageSize', ['0x3a636f6465'])).result; // `:code`
    assert.ok(codeBytes > 0, 'the runtime code has a size');
    const code = await rpc.call('state_getStorage', ['0x3a636f6465']);
    if (2 * codeBytes + 2 > limit) {
      assertError(code, OVERSIZED_RESPONSE, /Response is too big/, `:code of ${codeBytes} bytes`);
    } else {
      assert.equal(code.result.length, 2 * codeBytes + 2);
    }
    // The metadata polkadot.js needs fits (connect() above already fetched it).
    const metadata = await rpc.call('state_getMetadata');
    assert.equal(metadata.error, undefined, JSON.stringify(metadata.error));
    assert.ok(metadata.result.length < limit, `metadata ${metadata.result.length} bytes`);
    await assertHealthy(rpc);
  });

  test('a batch over --rpc-max-batch-request-len is refused, one at the limit is answered', async () => {
    const limit = Number(flagValue(VALIDATOR_FLAGS, '--rpc-max-batch-request-len'));
    const batch = (n) => `[${Array.from({ length: n }, (_, i) => rawRequest('system_health', '[]', i + 1)).join(',')}]`;
    const atLimit = await rpc.send(batch(limit));
    assert.ok(Array.isArray(atLimit), JSON.stringify(atLimit).slice(0, 300));
    assert.equal(atLimit.length, limit);
    assert.ok(atLimit.every((answer) => answer.result && !answer.error));
    assertError(await rpc.send(batch(limit + 1)), BATCH_TOO_LARGE, /batch/i, `batch of ${limit + 1}`);
    await assertHealthy(rpc);
  });

  test('holds --rpc-max-connections: extra connections are refused, freed slots are reused', async () => {
    const limit = Number(flagValue(VALIDATOR_FLAGS, '--rpc-max-connections'));
    const open = [];
    try {
      // @polkadot/api and `rpc` hold two connections already.
      for (let i = 2; i < limit; i += 1) open.push(await openSocket(node.wsUrl));
      for (let i = 0; i < 3; i += 1) {
        await assert.rejects(openSocket(node.wsUrl), /Unexpected server response: 429/);
      }
      const overHttp = await httpPost(httpUrl, rawRequest('system_health', '[]'));
      assert.equal(overHttp.status, 429, overHttp.text);
      // The connections inside the limit keep working.
      for (const socket of open) await assertHealthy(socket);
      await assertHealthy(rpc);
      // Closing one frees its slot (the server releases it when the connection task ends).
      await open.pop().close();
      let reopened = null;
      for (let attempt = 0; attempt < 50 && !reopened; attempt += 1) {
        reopened = await openSocket(node.wsUrl).catch(() => null);
        if (!reopened) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(reopened, 'a connection is accepted again after one closed');
      open.push(reopened);
      await assertHealthy(reopened);
    } finally {
      await Promise.all(open.map((socket) => socket.close()));
    }
    await assertHealthy(rpc);
  });

  test('invalid, badly signed, stale and unpayable transactions are refused at submission; the pool does not grow', async () => {
    const { alice, bob } = await devAccounts();
    // One real transfer first, so that nonce 0 of Alice is stale.
    const { dispatchError } = await submit(api, api.tx.balances.transferKeepAlive(bob.address, MED), alice);
    assert.equal(dispatchError, null);
    const pending = async () => (await rpc.call('author_pendingExtrinsics')).result;
    const pendingBefore = await pending();
    const nonce = (await rpc.call('system_accountNextIndex', [alice.address])).result;
    assert.ok(nonce >= 1, `Alice's nonce ${nonce}`);

    const transfer = () => api.tx.balances.transferKeepAlive(bob.address, 1n);
    const submitRaw = (hex) => rpc.call('author_submitExtrinsic', [hex]);

    // Bytes that are no extrinsic at all: refused by the node's framing, or by the runtime (the
    // two UNDECODABLE_TX_TRAPs of this suite).
    assertError(await submitRaw('0xdeadbeef'), AUTHOR_OTHER_ERROR, /Could not decode `OpaqueExtrinsic/, 'bytes with a wrong length prefix');
    assertError(await submitRaw('0x'), AUTHOR_OTHER_ERROR, /Could not decode `OpaqueExtrinsic/, 'no bytes');
    assertError(await submitRaw('0x00'), AUTHOR_VERIFICATION_ERROR, /Verification Error/, 'an empty extrinsic');
    assertError(await submitRaw('0x10deadbeef'), AUTHOR_VERIFICATION_ERROR, /Verification Error/, 'four bytes that are no extrinsic');
    const traps = () => node.output().match(UNDECODABLE_TX_TRAP)?.length ?? 0;
    for (let waited = 0; traps() < 2 && waited < 2_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    assert.equal(traps(), 2, 'one logged runtime trap per undecodable transaction, nothing else');

    // A correct transaction of Alice's with one signature byte flipped.
    const signed = await transfer().signAsync(alice, { nonce });
    const hex = signed.toHex();
    const signature = signed.signature.toHex().slice(2);
    const at = hex.indexOf(signature);
    assert.ok(at > 0, 'the signature is inside the extrinsic');
    const flipped = (parseInt(hex.slice(at, at + 2), 16) ^ 0x01).toString(16).padStart(2, '0');
    const forged = `${hex.slice(0, at)}${flipped}${hex.slice(at + 2)}`;
    assertError(await submitRaw(forged), POOL_INVALID_TX, /bad signature/, 'bad signature');

    // Nonce below the account's.
    const stale = await transfer().signAsync(alice, { nonce: nonce - 1 });
    assertError(await submitRaw(stale.toHex()), POOL_INVALID_TX, /outdated/, 'stale nonce');

    // A fresh account with no balance cannot pay the fee.
    const { pairs: { broke } } = await freshAccounts(['broke'], { label: 'hardening' });
    const unpayable = await transfer().signAsync(broke, { nonce: 0 });
    assertError(await submitRaw(unpayable.toHex()), POOL_INVALID_TX, /Inability to pay some fees/, 'unpayable');

    assert.deepEqual(await pending(), pendingBefore, 'author_pendingExtrinsics unchanged');
    assert.equal((await rpc.call('system_accountNextIndex', [alice.address])).result, nonce, "Alice's next nonce unchanged");
    // The unmodified transaction is still accepted: the refusals above were about the defects.
    const accepted = await submitRaw(hex);
    assert.equal(accepted.error, undefined, JSON.stringify(accepted.error));
    assert.equal(accepted.result, signed.hash.toHex());
    await assertHealthy(rpc);
  });

  test('domain read methods answer unknown ids, huge limits and bad blocks quickly with errors or bounded results', async (t) => {
    const maxAccessLog = api.consts.ehr.maxAccessLogLen.toNumber();
    const isEmptyList = (result) => Array.isArray(result) && result.length === 0;
    const isNull = (result) => result === null;
    const isFalse = (result) => result === false;
    // [method, params as JSON text, check of the result] — or an error code instead of a check.
    const cases = [
      ['ehr_records', `["${NOBODY}"]`, isEmptyList],
      ['ehr_activeGrants', `["${NOBODY}"]`, isEmptyList],
      ['ehr_reviewAccesses', `["${NOBODY}"]`, isEmptyList],
      ['ehr_accessLog', `["${ALICE}", 0, ${U32_MAX}]`, (r) => Array.isArray(r) && r.length <= maxAccessLog],
      ['ehr_accessLog', `["${ALICE}", ${U32_MAX}, ${U32_MAX}]`, isEmptyList],
      ['ehr_accessLog', `["${NOBODY}", 0, ${U32_MAX}]`, isEmptyList],
      ['ehr_canAccess', `["${ALICE}", ${U64_MAX}, "Read"]`, isFalse],
      ['ehr_canAccess', `["${NOBODY}", 0, "Append"]`, isFalse],
      ['ehr_readTicket', `["${NOBODY}", "0x${'ab'.repeat(32)}", "${ALICE}"]`, isNull],
      ['drugProvenance_batch', '["00000000000000", "LOT1"]', isNull],
      ['drugProvenance_batch', `["00000000000000", "${'A'.repeat(64 * 1024)}"]`, isNull], // a lot of 64 KiB (the bound is 20)
      ['drugProvenance_batch', '["123", "LOT1"]', INVALID_PARAMS],
      ['drugProvenance_batchById', `[${U32_MAX}]`, isNull],
      ['drugProvenance_trace', `[${U32_MAX}]`, isEmptyList],
      ['drugProvenance_holdings', `[${U32_MAX}]`, isEmptyList],
      ['drugProvenance_codeStatus', `[${U32_MAX}, "${ZERO_H256}"]`, isNull],
      ['drugProvenance_verifyPack', `[${U32_MAX}, "SN1", "CODE", "${ZERO_H256}", {"index": ${U32_MAX}, "siblings": ${JSON.stringify(Array(32).fill(ZERO_H256))}}]`, (r) => r === 'UnknownBatch'],
      ['drugProvenance_verifyPack', `[0, "${'S'.repeat(512 * 1024)}", "CODE", "${ZERO_H256}", {"index": 0, "siblings": []}]`, (r) => r !== undefined],
      ['drugProvenance_recallStatus', `[${U32_MAX}]`, isNull],
      ['dnaWallet_keys', `["${NOBODY}"]`, isEmptyList],
      ['dnaWallet_datasets', `["${NOBODY}"]`, isEmptyList],
      ['dnaWallet_shares', `[${U64_MAX}]`, isEmptyList],
      ['dnaWallet_canDecrypt', `[${U64_MAX}, "${ALICE}"]`, isFalse],
      ['dnaWallet_studies', '[false]', (r) => Array.isArray(r)],
      ['mutualAid_pool', `[${U32_MAX}]`, isNull],
      ['mutualAid_member', `[${U32_MAX}, "${ALICE}"]`, isNull],
      ['mutualAid_claims', `[${U32_MAX}, null]`, isEmptyList],
      ['mutualAid_claims', '[0, "Notice"]', (r) => Array.isArray(r)],
      ['mutualAid_ledger', `[0, ${U32_MAX}]`, isNull],
      ['mutualAid_quote', `[${U32_MAX}]`, isNull],
      ['storagePower_provider', `["${NOBODY}"]`, isNull],
      ['storagePower_era', `[${U32_MAX}]`, isNull],
      ['storagePower_estimateReward', `["${NOBODY}"]`, isNull],
      ['storagePower_penaltyPreview', `["${NOBODY}"]`, isNull],
      ['storagePower_pendingRewards', `["${NOBODY}"]`, isEmptyList],
      ['storagePower_order', '[18446744073709551615]', isNull],
      ['storagePower_ordersOf', `["${NOBODY}"]`, isEmptyList],
      ['storagePower_ordersOfContent', `["0x${'ff'.repeat(32)}", "${NOBODY}"]`, isEmptyList],
      ['storagePower_replicasOf', `["${NOBODY}"]`, isEmptyList],
      // An id past every order and the largest page: an empty last page, not a long scan.
      ['storagePower_openOrders', `[${U64_MAX}, ${U32_MAX}]`, (r) => r.orders.length === 0 && r.next === null],
      ['storagePower_economics', '[]', (r) => typeof r.pricePerGibEra === 'string' && r.subsidy.halfLifeEras > 0],
      // Refused by place_order (zero size, too many replicas or eras, too large): no quote.
      ['storagePower_quote', '[0, 1, 1]', isNull],
      ['storagePower_quote', '[1, 4294967295, 1]', isNull],
      ['storagePower_quote', '[1, 1, 4294967295]', isNull],
      ['storagePower_quote', '[18446744073709551615, 1, 1]', isNull],
      // A block the node does not have: an error, not a hang or a guess.
      ['ehr_records', `["${ALICE}", "${UNKNOWN_BLOCK}"]`, RUNTIME_API_FAILED],
      ['drugProvenance_trace', `[0, "${UNKNOWN_BLOCK}"]`, RUNTIME_API_FAILED],
      ['mutualAid_pool', `[0, "${UNKNOWN_BLOCK}"]`, RUNTIME_API_FAILED],
      ['storagePower_era', `[0, "${UNKNOWN_BLOCK}"]`, RUNTIME_API_FAILED],
      ['dnaWallet_studies', `[true, "${UNKNOWN_BLOCK}"]`, RUNTIME_API_FAILED],
    ];
    const methods = (await rpc.call('rpc_methods')).result.methods;
    const domain = methods.filter((m) => /^(ehr|drug|dnaWallet|mutualAid|storagePower)_/.test(m));
    const probed = new Set(cases.map(([method]) => method));
    assert.deepEqual(domain.filter((m) => !probed.has(m)), [], 'every domain method is probed');

    let slowest = { ms: 0, method: '' };
    for (const [method, params, expected] of cases) {
      const started = performance.now();
      const answer = await rpc.send(rawRequest(method, params));
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { ms, method };
      const what = `${method}(${params.slice(0, 100)})`;
      if (typeof expected === 'number') {
        assertError(answer, expected, undefined, what);
      } else {
        assert.equal(answer.error, undefined, `${what}: ${JSON.stringify(answer.error)}`);
        assert.ok(expected(answer.result), `${what}: ${JSON.stringify(answer.result).slice(0, 300)}`);
      }
    }
    t.diagnostic(`${cases.length} domain probes, slowest ${slowest.method} ${slowest.ms.toFixed(1)} ms`);
    await assertHealthy(rpc);
  });
});

describe('public RPC node with the production flags', () => {
  let node;
  let rpc;

  before(async () => {
    node = await startNode(['--chain', 'dev', ...RPC_NODE_FLAGS]);
    rpc = await openSocket(node.wsUrl);
  });

  after(async () => {
    await rpc?.close();
    await stopCleanly(node);
  });

  test('listens on all interfaces as a full node and still refuses unsafe methods', async () => {
    const log = node.output();
    assert.match(log, /Role: FULL/);
    assert.match(log, /Running JSON-RPC server: addr=0\.0\.0\.0:\d+/);
    assertError(await rpc.call('author_insertKey', ['aura', '//Alice', `0x${'d4'.repeat(32)}`]), METHOD_NOT_FOUND, /unsafe/);
    assertError(await rpc.call('author_rotateKeys'), METHOD_NOT_FOUND, /unsafe/);
    assert.deepEqual((await rpc.call('system_nodeRoles')).result, ['Full']);
    await assertHealthy(rpc);
  });
});
