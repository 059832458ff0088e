// Unit tests of `submit` (scripts/lib/chain.mjs) against a fake pool: a signed transaction whose
// nonce another sender of the account took (the pool answers "outdated" or "priority too low")
// is signed again with the next nonce, a few times; every other refusal, and any refusal of an
// unsigned transaction, reaches the caller at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { submit } from '../../scripts/lib/chain.mjs';

const OUTDATED = '1010: Invalid Transaction: Transaction is outdated';
const PRIORITY = '1014: Priority is too low: (1 vs 1)';
const INCLUDED = 'included';

/**
 * An api whose pool answers each signed or unsigned send with the next of `answers`: a refusal
 * message, or INCLUDED (the transaction is in a block). `sent` records each transaction sent.
 */
function fakeChain(answers) {
  const sent = [];
  const transaction = (method) => {
    const answer = (callback) => {
      const next = answers.shift();
      if (next !== INCLUDED) return Promise.reject(new Error(next));
      setImmediate(() => callback({ status: { isInBlock: true, asInBlock: '0xb1' }, events: [], dispatchError: null }));
      return Promise.resolve(() => {});
    };
    const tx = {
      method,
      signAndSend(signer, callback) {
        sent.push({ tx, signer });
        return answer(callback);
      },
      send(callback) {
        sent.push({ tx, signer: null });
        return answer(callback);
      },
    };
    return tx;
  };
  return { api: { tx: transaction }, sent, transaction };
}

test('a signed transaction whose nonce was taken is signed again, as a fresh transaction of the same call', async () => {
  const chain = fakeChain([OUTDATED, PRIORITY, INCLUDED]);
  const first = chain.transaction('heartbeat');
  const result = await submit(chain.api, first, 'provider');
  assert.equal(result.dispatchError, null);
  assert.equal(result.blockHash, '0xb1');
  assert.equal(chain.sent.length, 3);
  assert.equal(chain.sent[0].tx, first);
  for (const { tx, signer } of chain.sent.slice(1)) {
    assert.notEqual(tx, first, 'signed again from its call, not resent as signed');
    assert.equal(tx.method, 'heartbeat');
    assert.equal(signer, 'provider');
  }
});

test('the retries are bounded: the pool\'s last refusal reaches the caller', async () => {
  const chain = fakeChain([OUTDATED, OUTDATED, OUTDATED, OUTDATED, INCLUDED]);
  await assert.rejects(submit(chain.api, chain.transaction('heartbeat'), 'provider'), { message: OUTDATED });
  assert.equal(chain.sent.length, 4, 'the first send and three more');
});

test('other refusals, and any refusal of an unsigned transaction, are not tried again', async () => {
  const payment = '1010: Invalid Transaction: Inability to pay some fees (e.g. account balance too low)';
  let chain = fakeChain([payment, INCLUDED]);
  await assert.rejects(submit(chain.api, chain.transaction('heartbeat'), 'provider'), { message: payment });
  assert.equal(chain.sent.length, 1);
  chain = fakeChain([OUTDATED, INCLUDED]);
  await assert.rejects(submit(chain.api, chain.transaction('verifyPack')), { message: OUTDATED });
  assert.equal(chain.sent.length, 1);
  assert.equal(chain.sent[0].signer, null);
});
