// What a provider's vault does for the chain's replica audits (pallets/storage-power README,
// "Replicas and audits"): ask `storagePower_replicasOf` which replicas are under audit and answer
// each with the audited segment of the object and its Merkle path to the order's content id.
import { u8aToHex } from '@polkadot/util';
import { rpcCall, submit } from './chain.mjs';
import { palletEvents, succeeded } from './flow.mjs';
import { segmentProof } from './seal.mjs';

/** The arguments of `prove_replica` after the order id: segment `index` of `object`. `forge` flips a byte of the segment. */
export function replicaAnswer(object, index, { forge = false } = {}) {
  const proof = segmentProof(object, index);
  if (!proof) throw new RangeError(`the object has no segment ${index}`);
  const segment = Uint8Array.from(proof.segment);
  if (forge) segment[0] ^= 1;
  return [u8aToHex(proof.root), u8aToHex(segment), proof.siblings.map((s) => u8aToHex(s))];
}

/**
 * Answers every open audit of `pair`'s replicas whose object is in `objects` (content id hex →
 * sealed object bytes). Resolves with one `{ orderId, segment, deadline, events }` per answer
 * (`events`: the storagePower events of the answer).
 */
export async function answerReplicaAudits(api, pair, objects, { forge = false } = {}) {
  const answers = [];
  for (const replica of await rpcCall(api, 'storagePower_replicasOf', [pair.address])) {
    const object = objects.get(replica.contentId);
    if (!replica.audit || !object) continue;
    const [segment, deadline] = replica.audit;
    const tx = api.tx.storagePower.proveReplica(replica.orderId, ...replicaAnswer(object, segment, { forge }));
    const result = succeeded(await submit(api, tx, pair), `answer the audit of order ${replica.orderId}`);
    answers.push({ orderId: replica.orderId, segment, deadline, events: palletEvents(result.events, 'storagePower') });
  }
  return answers;
}
