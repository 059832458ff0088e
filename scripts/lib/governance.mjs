// Council motions and validator-set changes, as an institution's scripts (and the end-to-end
// tests) drive them: the runtime's domain origins are council proportions (runtime
// configs/governance), so everything Root did on a development chain takes a motion elsewhere.
import { describeDispatchError, submit } from './chain.mjs';

/**
 * Passes `call` as a council motion: `members[0]` proposes it with a threshold of all `members`,
 * they all vote aye, and the proposer closes it. Resolves with
 * `{ blockHash, events, dispatchError }` of the close, where `dispatchError` is the dispatched
 * call's own error (`{ section, name }`, e.g. `{ section: 'BadOrigin', … }` when the proportion
 * was too small) or null; rejects when a step of the motion itself fails.
 */
export async function councilMotion(api, members, call, { threshold = members.length } = {}) {
  const [proposer, ...voters] = members;
  const length = call.method.encodedLength;
  const { weight } = await api.call.transactionPaymentCallApi.queryCallInfo(call.method, length);
  const proposed = await submit(api, api.tx.council.propose(threshold, call.method, length), proposer);
  if (proposed.dispatchError) throw new Error(`council.propose: ${JSON.stringify(proposed.dispatchError)}`);
  const event = proposed.events.find(({ event }) => api.events.council.Proposed.is(event));
  if (!event) {
    // A threshold of one executes at once, without a motion.
    return executedIn(api, proposed, call);
  }
  const [, index, hash] = event.event.data;
  // The proposer's aye is not implied: it votes like the others, each signing once, in parallel.
  const votes = await Promise.all([proposer, ...voters].slice(0, threshold).map((voter) => submit(api, api.tx.council.vote(hash, index, true), voter)));
  for (const vote of votes) {
    if (vote.dispatchError) throw new Error(`council.vote: ${JSON.stringify(vote.dispatchError)}`);
  }
  const closed = await submit(api, api.tx.council.close(hash, index, weight, length), proposer);
  if (closed.dispatchError) throw new Error(`council.close: ${JSON.stringify(closed.dispatchError)}`);
  return executedIn(api, closed, call);
}

/** The result of the motion's call in `result`'s events (`council.Executed`). */
function executedIn(api, result, call) {
  const executed = result.events.find(({ event }) => api.events.council.Executed.is(event));
  if (!executed) throw new Error(`no council.Executed event for ${call.method.section}.${call.method.method}`);
  const outcome = executed.event.data[1];
  return { ...result, dispatchError: outcome.isErr ? describeDispatchError(api, outcome.asErr) : null };
}

/**
 * Makes `account` (a key pair whose node runs at `nodeApi`) ready to validate: its node generates
 * session keys (`author_rotateKeysWithOwner`, so the keys prove they belong to `account`) and
 * `account` registers them with `session.setKeys`. Resolves with the keys (hex).
 */
export async function setSessionKeys(api, nodeApi, account) {
  const owner = api.createType('AccountId', account.address).toHex();
  const generated = await nodeApi._rpcCore.provider.send('author_rotateKeysWithOwner', [owner]);
  const result = await submit(api, api.tx.session.setKeys(generated.keys, generated.proof), account);
  if (result.dispatchError) throw new Error(`session.setKeys: ${JSON.stringify(result.dispatchError)}`);
  return generated.keys;
}
