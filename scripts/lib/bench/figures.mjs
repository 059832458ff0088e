// The harness's arithmetic, free of any chain: the steady window of a phase, how many extrinsics
// fit in a block, the proposer's log lines, percentiles, what bound a window, and rounding.
// Unit-tested in tests/unit/bench-throughput.test.mjs.

/** A number from a number or a codec (`u32`, `Compact<u64>`, …). */
export const num = (x) => (typeof x === 'number' ? x : Number(x.toString()));

/** `x` rounded to `digits` decimals; null and undefined stay as they are. */
export const round = (x, digits) => (x === null || x === undefined ? x : Number(x.toFixed(digits)));

/**
 * The steady window of a phase. `blocks` are the blocks seen since the phase started, ascending by
 * number, each `{ number, t, count }` (`t` arrival time in ms, `count` the phase's transactions in
 * it). Returns `{ first, last, blocks, txs, seconds, txPerSecond, partial }`: the blocks strictly
 * between the first and the last block holding transactions, timed from the block before the
 * window to the window's last block; `partial` when there were fewer than three such blocks and the
 * whole span (from `startT`, the first submission, if no earlier block is known) is used instead.
 */
export function steadyWindow(blocks, startT) {
  const used = blocks.filter((b) => b.count > 0);
  if (!used.length) return { first: null, last: null, blocks: [], txs: 0, seconds: 0, txPerSecond: 0, partial: true };
  const first = used[0].number;
  const last = used[used.length - 1].number;
  const partial = used.length < 3;
  const [from, to] = partial ? [first, last] : [first + 1, last - 1];
  const inWindow = blocks.filter((b) => b.number >= from && b.number <= to);
  const before = blocks.filter((b) => b.number < from).at(-1);
  const t0 = before ? before.t : startT;
  const seconds = (inWindow.at(-1).t - t0) / 1000;
  const txs = inWindow.reduce((sum, b) => sum + b.count, 0);
  return { first, last, blocks: inWindow.map((b) => b.number), txs, seconds, txPerSecond: seconds > 0 ? txs / seconds : 0, partial };
}

/**
 * How many extrinsics of `cost` (`{ refTime, proofSize, bytes }`, weights as numbers) fit in a
 * block by weight and by length: `{ byRefTime, byProofSize, byLength, perBlock, binding }` with
 * `limits` `{ maxRefTime, maxProofSize, maxLength, baseRefTime, baseProofSize }` (normal class).
 */
export function blockBound(cost, limits) {
  const byRefTime = Math.floor(limits.maxRefTime / (cost.refTime + limits.baseRefTime));
  const byProofSize = Math.floor(limits.maxProofSize / (cost.proofSize + limits.baseProofSize));
  const byLength = Math.floor(limits.maxLength / cost.bytes);
  const perBlock = Math.min(byRefTime, byProofSize, byLength);
  const binding = perBlock === byRefTime ? 'ref_time' : perBlock === byProofSize ? 'proof_size' : 'length';
  return { byRefTime, byProofSize, byLength, perBlock, binding };
}

/**
 * `Prepared block for proposing` lines of the node log: `{ number, ms, end, extrinsics }` by the
 * proposed block's hash and, for the last proposal at each height, by `#<number>` (Aura seals
 * after proposing, which changes the hash; instant seal keeps it).
 */
export function proposerLog(output) {
  const re = /Prepared block for proposing at (\d+) \((\d+) ms\) hash: (0x[0-9a-f]+); parent_hash: \S+; end: (\w+); extrinsics_count: (\d+)/g;
  const proposals = new Map();
  for (const m of output.matchAll(re)) {
    const proposal = { number: Number(m[1]), ms: Number(m[2]), end: m[4], extrinsics: Number(m[5]) };
    proposals.set(m[3], proposal);
    proposals.set(`#${proposal.number}`, proposal);
  }
  return proposals;
}

/** The proposal of `block` (`{ number, hash, hashes }`): by hash, else the last one at its height with as many extrinsics. */
export function proposalOf(proposals, block) {
  const byNumber = proposals.get(`#${block.number}`);
  return proposals.get(block.hash) ?? (byNumber?.extrinsics === block.hashes.length ? byNumber : null);
}

/** The `p`-quantile (0 < p ≤ 1, nearest rank) of ascending `sorted`. */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** What limited the steady window, from the proposer's end reasons and the supply of transactions. */
export function boundBy(r, instant) {
  const ends = Object.entries(r.blockEnd).sort((a, b) => b[1] - a[1]);
  const [top] = ends[0] ?? ['unknown'];
  const names = {
    HitBlockWeightLimit: 'weight', HitBlockSizeLimit: 'length', HitDeadline: 'proposer time', TransactionForbidden: 'runtime',
  };
  if (names[top]) return names[top];
  if (top === 'NoMoreTransactions') {
    if (r.rejected > 0) return 'pool (refusals)';
    if (instant) return r.proposerBusy !== null && r.proposerBusy > 0.8 ? 'sealing (proposer busy)' : 'supply (client/pool)';
    return 'supply (client/pool)';
  }
  return 'unknown';
}

/** The submission figures of a phase (`sendAll`'s result for `count` calls), rounded for the report. */
export function summarizeSubmit(submit, count) {
  return {
    count,
    seconds: round(submit.seconds, 3),
    perSecond: round(submit.perSecond, 1),
    clientCpuPercent: round(submit.clientCpu, 0),
    nodeCpuPercent: submit.nodeCpu === null ? null : round(submit.nodeCpu, 0),
  };
}
