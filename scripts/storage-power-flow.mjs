#!/usr/bin/env node
// Storage power and era rewards, end to end, against a running medchain-node:
//
//   node scripts/storage-power-flow.mjs [--ws ws://127.0.0.1:9944]
//
// Three fresh providers register with 1, 2 and 4 TiB (stake held per TiB). At the start of a
// fresh era (≥ 1) each sends heartbeats (6/6, 3/6 and 4/6 of the era's slots) and reports different
// declared space and bandwidth. The bandwidth is backed by reader-signed receipts
// (scripts/lib/receipts.mjs): the storage buyer, as reader, signs 16 GETs per provider (vault id =
// the provider's account; every other one ranged, every fourth signed as a browser wallet signs),
// timestamped within the previous era (`storagePower.eraStartedAt` of era − 1 and era, read
// before reporting) and sharing the reported bytes between them; the report commits the
// Merkle-sum tree of those receipts, whose sum is its `bytesServed`. Before that era the buyer
// seals an object and orders two replicas of it for three eras at the governance price (after a
// quote), which pays the current era at once and each next era when it starts. Providers 1 and 2
// take the replicas and answer the chain's replica audit, as their vaults do: the bytes of the
// replicas they proved are the space term of their power, and cap the bandwidth that counts
// (provider 3 declares the most space and holds no replica: it earns nothing for it). The chain
// audits every report by itself: in the blocks after the reports its on_initialize draws each
// reporter (nobody calls anything) and challenges one byte of its bytes served. Providers 1 and 2
// show the receipt covering that byte, its path and the next receipt's; provider 3 does not
// answer, and in the block after the deadline the chain records the missed audit: its power drops
// to zero and 10% of its stake is slashed into the pot. The buyer also challenges two providers
// with a deposit: provider 1 passes; provider 3, whose tree holds receipts the buyer signed for
// provider 1's vault (copied, not served), answers from its tree and fails with InvalidReceipt.
// The era closes; a late report for it is rejected (storagePower.EraClosed) and changes nothing;
// each provider claims. The script prints power, share and reward per provider and checks that
// the powers follow the formula, that each reward is floor(power × emission / total) and that the
// rewards plus the dust equal the era's emission exactly.
//
// Needs a development chain whose era is a few blocks (the runtime's 30 blocks); on an
// instant-seal chain (`--dev --sealing instant`) it advances blocks with `system.remark`s.
// Every run uses fresh accounts derived from `//Alice` with a random tag, funded by Alice; the
// exact-split check assumes no one else reports in the same era. `runStoragePowerFlow` is what
// tests/e2e/storage-power.test.mjs runs; it returns everything it observed.
import { stringToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { MED, submit, createFundedAccounts, bestNumber, blockNumberOf } from './lib/chain.mjs';
import { storagePowerRpc } from './lib/storage-power.mjs';
import { challengedByte, receiptAnswer, receiptTree, signReceipt } from './lib/receipts.mjs';
import {
  FlowError, commitText, palletEvents, expectEvent, succeeded, remark, stableJson, shortAddress, runFlowCli,
} from './lib/flow.mjs';
import { answerReplicaAudits } from './lib/replicas.mjs';
import { seal } from './lib/seal.mjs';

const SECTION = 'storagePower';
const GIB = 1n << 30n;
const PERBILL = 1_000_000_000n;
const RECEIPTS = 16;

// ---------------------------------------------------------------------------------------------
// Receipts (scripts/lib/receipts.mjs): the reads behind a report's bytes served.
// ---------------------------------------------------------------------------------------------

/** `pair` signing as a browser wallet does: `<Bytes>` ‖ message ‖ `</Bytes>`. */
const asBrowserWallet = (pair) => ({ type: pair.type, publicKey: pair.publicKey, sign: (m) => pair.sign(u8aWrapBytes(m)) });

/** How far back in its window the reads behind a report go: ten minutes (the whole window if shorter). */
const READS_SPAN_MS = 600_000n;

/**
 * `RECEIPTS` receipts `reader` signs for GETs from the vault of `vault` (an address) served in the
 * window `[from, to)` (unix ms; on a fresh chain era 0 starts at 0), spread over its last
 * `READS_SPAN_MS`: `bytesServed` in all, an equal share each (the last takes the remainder), of
 * distinct objects named by `label`; every other one a ranged read of exactly its bytes, every
 * fourth signed as a browser wallet signs.
 */
export function signedReads(reader, vault, label, bytesServed, { from, to }) {
  const count = BigInt(RECEIPTS);
  const share = bytesServed / count;
  if (share < 1n) throw new FlowError(`${bytesServed} bytes cannot back ${RECEIPTS} receipts of at least a byte`);
  const span = to - from < READS_SPAN_MS ? to - from : READS_SPAN_MS;
  return Array.from({ length: RECEIPTS }, (_, i) => {
    const bytes = i === RECEIPTS - 1 ? bytesServed - share * (count - 1n) : share;
    return signReceipt(i % 4 === 3 ? asBrowserWallet(reader) : reader, vault, {
      contentId: blake2AsU8a(stringToU8a(`${label}:object:${i}`), 256),
      timestampMs: to - span + (span * BigInt(i)) / count,
      range: i % 2 === 1 ? `bytes=0-${bytes - 1n}` : '',
      bytes,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The power formula (README "Power: the exact formula and units"), in integers.
// ---------------------------------------------------------------------------------------------

/** `Perbill::from_rational(n, d)`: rounded down. */
function perbillFromRational(n, d) {
  if (n >= d) return PERBILL;
  return (n * PERBILL) / d;
}

/**
 * power = min(cap, audit ⋅ (uptime ⋅ (floor(alpha × audited bytes / GiB) + beta × bandwidth))),
 * each ⋅ rounded down; bandwidth is the served bytes up to `servedPerAuditedByte` × audited
 * bytes, in whole GiB.
 */
export function expectedPower(params, { auditedBytes, bytesServed, heartbeats, expected, failures }) {
  const backed = auditedBytes * params.servedPerAuditedByte;
  const bandwidth = (bytesServed < backed ? bytesServed : backed) / GIB;
  const raw = (params.alpha * auditedBytes) / GIB + params.beta * bandwidth;
  let uptime = perbillFromRational(BigInt(Math.min(heartbeats, expected)), BigInt(expected));
  if (uptime < params.minUptime) uptime = 0n;
  let audit = 0n;
  if (failures < params.failureThreshold) {
    const penalty = params.auditPenalty * BigInt(failures);
    audit = penalty >= PERBILL ? 0n : PERBILL - penalty;
  }
  const power = (audit * ((uptime * raw) / PERBILL)) / PERBILL;
  return power < params.cap ? power : params.cap;
}

// ---------------------------------------------------------------------------------------------
// Chain helpers
// ---------------------------------------------------------------------------------------------

/** The storagePower events among `events`, as `{ name, ...fields }`. */
const powerEvents = (events) => palletEvents(events, SECTION);
/** The first storagePower event `name` of `result`, or throws. */
const expectPowerEvent = (result, name, what) => expectEvent(result, SECTION, name, what);

/** An event's name, with its reason when it has one: `AuditFailed (Missed)`. */
const eventName = (e) => (e.reason ? `${e.name} (${e.reason})` : e.name);

/** The storagePower events of block `number` (including those of its `on_initialize`). */
async function eventsAt(api, number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  return powerEvents(await (await api.at(hash)).query.system.events());
}

/** The open chain-issued challenges of `era` on `addresses`, by address. */
async function chainChallenges(api, era, addresses) {
  const found = {};
  for (const [key, value] of await api.query.storagePower.challenges.entries()) {
    const c = value.unwrap();
    const provider = c.provider.toString();
    if (c.era.toNumber() === era && c.issuer.isNone && addresses.includes(provider)) {
      found[provider] = {
        challengeId: key.args[0].toNumber(), point: c.point.toNumber(), deadline: c.deadline.toNumber(),
      };
    }
  }
  return found;
}

/** The parameters in effect, as bigints. */
async function parameters(api) {
  const p = await api.query.storagePower.parameters();
  return {
    alpha: p.alpha.toBigInt(),
    beta: p.beta.toBigInt(),
    cap: p.cap.toBigInt(),
    minUptime: p.minUptime.toBigInt(),
    auditPenalty: p.auditPenalty.toBigInt(),
    failureThreshold: p.failureThreshold.toNumber(),
    servedPerAuditedByte: api.consts.storagePower.servedPerAuditedByte.toBigInt(),
  };
}

/** The tracked era record as bigints, or null. */
async function eraInfo(api, era) {
  const info = await api.query.storagePower.eras(era);
  if (info.isNone) return null;
  const i = info.unwrap();
  return {
    emission: i.emission.toBigInt(),
    paid: i.paid.toBigInt(),
    totalPower: i.totalPower.toBigInt(),
    reports: i.reports.toNumber(),
    powered: i.powered.toNumber(),
    claimed: i.claimed.toNumber(),
  };
}

const med = (planck) => `${planck / MED}.${(planck % MED).toString().padStart(12, '0')} MED`;
const percent = (num, den) => (den === 0n ? '0.0000%' : `${Number((num * 1_000_000n) / den) / 10_000}%`);

// ---------------------------------------------------------------------------------------------
// The flow
// ---------------------------------------------------------------------------------------------

/**
 * What each provider declares, reports and how many heartbeat slots it uses. Its receipts are
 * the buyer's reads from its own vault, except provider 3's: reads the buyer made from
 * provider 1's vault (`readsFrom`), which it claims as its own.
 */
const PLAN = [
  { role: 'provider1', capacity: 1024, used: 600, free: 400, bytesServed: 5n * GIB, slots: [0, 1, 2, 3, 4, 5] },
  { role: 'provider2', capacity: 2048, used: 1500, free: 500, bytesServed: 40n * GIB, slots: [0, 1, 2] },
  {
    role: 'provider3', capacity: 4096, used: 3000, free: 1000, bytesServed: 3n * GIB, readsFrom: 'provider1',
    slots: [0, 1, 2, 5],
  },
];
/** The failed audits of each provider's report: provider 3's missed chain audit and invalid receipt. */
const FAILURES = { provider1: 0, provider2: 0, provider3: 2 };
/** The buyer's storage order: two replicas of a sealed record of `contentBytes` for three eras. */
const ORDER = { contentBytes: 6000, replicas: 2, eras: 3 };
/** The providers that take the order's replicas and answer their audits. */
const HOLDERS = ['provider1', 'provider2'];

/**
 * Runs the whole flow. `accounts` must hold `alice` (funder and block filler; `devAccounts()`);
 * `log(line)` prints progress. Returns what happened for tests to assert on.
 */
export async function runStoragePowerFlow(api, accounts, log = console.log) {
  const { alice } = accounts;
  const out = { providers: {}, identifiers: { endpoints: [] } };
  const eraLength = api.consts.storagePower.eraLength.toNumber();
  const interval = api.consts.storagePower.heartbeatInterval.toNumber();
  const deadline = api.consts.storagePower.challengeDeadline.toNumber();
  const expected = Math.floor(eraLength / interval);
  const stakePerTiB = api.consts.storagePower.minStakePerTiB.toBigInt();

  // -- Parties: three providers and a storage buyer / auditor, fresh per run.
  const { tag, pairs } = await createFundedAccounts(
    api, alice, [...PLAN.map((p) => p.role), 'buyer'], 2_000n * MED, { base: '//Alice', label: 'storage' },
  );
  out.tag = tag;
  const { buyer } = pairs;
  out.buyer = buyer.address;
  log(`run ${tag}: era ${eraLength} blocks, ${expected} heartbeat slots of ${interval} blocks, `
    + `challenge deadline ${deadline} blocks; buyer ${shortAddress(buyer.address)}`);

  // -- Registration: stake per started TiB.
  for (const plan of PLAN) {
    const pair = pairs[plan.role];
    const endpoint = `https://${plan.role}.example:8443`;
    out.identifiers.endpoints.push(endpoint, `${tag}:${plan.role}:${endpoint}`);
    // A salted commitment (pallet README): a plain hash of a guessable endpoint could be brute-forced.
    const commitment = commitText(`${tag}:${plan.role}:${endpoint}`);
    const result = succeeded(await submit(api, api.tx.storagePower.registerProvider(plan.capacity, commitment), pair), `register ${plan.role}`);
    const event = expectPowerEvent(result, 'ProviderRegistered', `register ${plan.role}`);
    out.providers[plan.role] = { address: pair.address, plan, registered: event, commitment };
    log(`${plan.role} ${shortAddress(pair.address)} registered ${plan.capacity} GiB, stake ${med(BigInt(event.stake))}`
      + ` (${stakePerTiB / MED} MED per TiB)`);
  }

  // Blocks go by with remarks; after each one the holders' vaults answer their replica audits.
  const objects = new Map();
  out.replicaAudits = [];
  // The chain challenges each report of our era by itself (in the block after it). Providers 1
  // and 2 answer as soon as theirs is drawn, as their vaults would, so that what else the flow
  // does meanwhile never runs them past the deadline; provider 3 stays silent.
  const drawn = {};
  /** The challenged byte of `p`'s report at `point` and the answer showing the receipt covering it. */
  const answerOf = (p, point) => {
    const answer = receiptAnswer(p.tree, point);
    return { byte: challengedByte(point, p.tree.total), leafIndex: answer.leafIndex, answer };
  };
  const covering = ({ byte, leafIndex }, p) => `byte ${byte} of its ${p.tree.total} served (receipt #${leafIndex} covers it)`;
  const answerChainAudits = async () => {
    if (out.era === undefined) return;
    const addresses = PLAN.map((plan) => out.providers[plan.role].address);
    // An answer takes a block, in which the chain may draw the next reporter: look again.
    for (;;) {
      const fresh = Object.entries(await chainChallenges(api, out.era, addresses)).find(([address]) => !drawn[address]);
      if (!fresh) return;
      const [address, c] = fresh;
      drawn[address] = c;
      const { role } = PLAN.find((plan) => out.providers[plan.role].address === address);
      const p = out.providers[role];
      const issued = (await eventsAt(api, c.deadline - deadline))
        .find((e) => e.name === 'ChallengeIssued' && e.challengeId === c.challengeId);
      if (!issued) throw new FlowError(`${role}: no ChallengeIssued event for chain challenge ${c.challengeId}`);
      const { byte, leafIndex, answer } = answerOf(p, c.point);
      p.chainAudit = { issued, issuedAt: c.deadline - deadline, byte, leafIndex, events: [] };
      log(`the chain challenged ${role} on ${covering(p.chainAudit, p)} in block ${c.deadline - deadline} `
        + `(issuer ${issued.issuer ?? 'none: the chain'}, deadline block ${c.deadline})`);
      if (role === 'provider3') continue;
      const result = succeeded(await submit(api, api.tx.storagePower.respondChallenge(
        c.challengeId, answer,
      ), pairs[role]), `respond ${role}`);
      p.chainAudit.events = powerEvents(result.events);
      log(`${role} answered the chain: ${p.chainAudit.events.map((e) => e.name).join(', ')}`);
    }
  };
  const answerAudits = async () => {
    for (const role of HOLDERS) {
      for (const answer of await answerReplicaAudits(api, pairs[role], objects)) {
        out.replicaAudits.push({ role, ...answer });
        log(`${role} answered the chain's audit of its replica (segment ${answer.segment}): `
          + answer.events.map((e) => e.name).join(', '));
      }
    }
    await answerChainAudits();
  };
  const advance = async (block) => {
    while ((await bestNumber(api)) + 1 < block) {
      await remark(api, alice);
      await answerAudits();
    }
  };

  // -- The buyer orders storage (a quote first) in the era before ours; the holders take the replicas.
  const content = stringToU8a(`record of ${buyer.address} run ${tag}; `.repeat(ORDER.contentBytes));
  const { object, contentId } = seal(content.subarray(0, ORDER.contentBytes));
  out.object = { sizeBytes: object.length, contentId: u8aToHex(contentId) };
  objects.set(out.object.contentId, object);
  out.quote = await storagePowerRpc.quote(api, object.length, ORDER.replicas, ORDER.eras);
  const placed = succeeded(await submit(api, api.tx.storagePower.placeOrder(
    out.object.contentId, object.length, ORDER.replicas, ORDER.eras,
  ), buyer), 'place order');
  out.order = expectPowerEvent(placed, 'OrderPlaced', 'place order');
  out.economicsAfterOrder = await storagePowerRpc.economics(api);
  log(`buyer sealed ${ORDER.contentBytes} bytes and ordered ${ORDER.replicas} replicas of the ${object.length}-byte object `
    + `for ${ORDER.eras} eras: ${med(BigInt(out.order.perEra))} per era (quoted ${med(BigInt(out.quote.perEra))}), `
    + `${med(BigInt(out.order.paid))} in all; this era gets its part now`);
  for (const role of HOLDERS) {
    succeeded(await submit(api, api.tx.storagePower.takeReplica(out.order.orderId), pairs[role]), `${role} takes a replica`);
  }
  await answerAudits();
  log(`${HOLDERS.join(' and ')} took the replicas; the chain audits each once per era`);

  // -- Wait for a fresh era so that all slots of it are ours.
  const now = await bestNumber(api);
  const era = Math.floor((now + 1) / eraLength) + 1;
  const start = era * eraLength;
  await advance(start + 1);
  out.era = era;
  log(`era ${era} starts at block ${start}`);

  const beat = async (slot) => {
    await advance(start + slot * interval);
    const beating = PLAN.filter((p) => p.slots.includes(slot));
    const next = (await bestNumber(api)) + 1;
    if (next + beating.length > start + (slot + 1) * interval) {
      throw new FlowError(`the flow ran past heartbeat slot ${slot} (blocks ${start + slot * interval}–`
        + `${start + (slot + 1) * interval - 1}): its ${beating.length} heartbeats would start at block ${next}`);
    }
    for (const plan of beating) {
      succeeded(await submit(api, api.tx.storagePower.heartbeat(), pairs[plan.role]), `heartbeat ${plan.role}`);
    }
    await answerAudits();
  };

  // The receipts a report of `era` counts were served from the start of era − 1 to the start of
  // `era` (the chain keeps both ends).
  const startedAt = async (e) => {
    const at = await api.query.storagePower.eraStartedAt(e);
    if (at.isNone) throw new FlowError(`storagePower.eraStartedAt(${e}) is not kept`);
    return at.unwrap().toBigInt();
  };
  const report = async (role) => {
    const p = out.providers[role];
    const { plan } = p;
    const window = { from: await startedAt(era - 1), to: await startedAt(era) };
    const vault = out.providers[plan.readsFrom ?? role].address;
    p.tree = receiptTree(signedReads(buyer, vault, `${tag}:${role}`, plan.bytesServed, window));
    p.window = window;
    if (p.tree.total !== plan.bytesServed) throw new FlowError(`${role}: tree sums ${p.tree.total}, not ${plan.bytesServed}`);
    const result = succeeded(await submit(api, api.tx.storagePower.submitReport(
      era, plan.used, plan.free, p.tree.total, p.tree.root, p.tree.leafCount,
    ), pairs[role]), `report ${role}`);
    p.report = expectPowerEvent(result, 'ReportSubmitted', `report ${role}`);
    await answerAudits();
    const times = p.tree.receipts.map((r) => r.timestampMs).sort((a, b) => (a < b ? -1 : 1));
    const [first, last] = [times[0], times[times.length - 1]];
    log(`${role} reported ${plan.used}+${plan.free} GiB, ${plan.bytesServed / GIB} GiB served in ${p.tree.leafCount} `
      + `receipts${plan.readsFrom ? ` the buyer signed for ${plan.readsFrom}'s vault` : ''} (reads at ${first}–${last} ms, `
      + `era ${era - 1}: ${window.from}–${window.to}), root ${p.tree.root.slice(0, 10)}…: power now ${p.report.power}`);
  };

  // The era has little room to spare: 12 heartbeats each in its own 5-block slot, 3 reports, the
  // answers to 2 chain audits, 2 replica audits (drawn at random blocks) and the buyer's two
  // challenges, which must be issued by offset EraLength − deadline − 1. The reports are spread
  // over slots 2 and 3 so that no slot's heartbeats are pushed into the next slot.
  // Slots 0..2: heartbeats; provider 3 reports in slot 2 (the chain draws it in the next block).
  for (const slot of [0, 1, 2]) await beat(slot);
  await report('provider3');
  // Slot 3: provider 1's heartbeat, then providers 1 and 2 report; each is drawn in the block
  // after its report (nobody calls anything) and answers at once, as its vault would. Wait
  // (producing blocks) until all three are drawn.
  await beat(3);
  await report('provider1');
  await report('provider2');
  for (let i = 0; i < PLAN.length && Object.keys(drawn).length < PLAN.length; i++) {
    await remark(api, alice);
    await answerAudits();
  }
  if (Object.keys(drawn).length < PLAN.length) throw new FlowError('the chain did not audit every report');
  // Provider 3 missed the chain's deadline: on_initialize of the next block records the failure.
  const recordMissedAudit = async () => {
    const p = out.providers.provider3;
    const c = drawn[p.address];
    await advance(c.deadline + 2);
    const events = (await eventsAt(api, c.deadline + 1))
      .filter((e) => e.challengeId === c.challengeId || (e.name === 'Slashed' && e.era === era));
    p.chainAudit.events = events;
    p.chainAudit.settledAt = c.deadline + 1;
    log(`provider3 did not answer; block ${c.deadline + 1} (deadline + 1) recorded by itself: `
      + `${events.map(eventName).join(', ')}`);
  };
  // Slot 4: provider 1's heartbeat; a storage buyer may still audit with a deposit: it challenges
  // provider 1, which passes, and provider 3, which answers from its tree with a receipt the
  // buyer signed for provider 1's vault: InvalidReceipt. Both challenges are issued first (by
  // offset EraLength − deadline − 1); provider 3 answers only after the chain recorded its missed
  // audit, so that the slash stays with that first failure.
  await beat(4);
  for (const role of ['provider1', 'provider3']) {
    const p = out.providers[role];
    const issued = expectPowerEvent(
      succeeded(await submit(api, api.tx.storagePower.issueChallenge(p.address), buyer), `challenge ${role}`),
      'ChallengeIssued', `challenge ${role}`,
    );
    const { byte, leafIndex, answer } = answerOf(p, issued.point);
    p.signedAudit = { issued, byte, leafIndex, answer, events: [] };
    log(`buyer challenged ${role} on ${covering(p.signedAudit, p)} (deposit held)`);
  }
  for (const role of ['provider1', 'provider3']) {
    const p = out.providers[role];
    if (role === 'provider3') await recordMissedAudit();
    const { issued, answer } = p.signedAudit;
    if ((await bestNumber(api)) + 1 > issued.deadline) {
      throw new FlowError(`${role} cannot answer the buyer's challenge by its deadline, block ${issued.deadline}`);
    }
    const result = succeeded(await submit(api, api.tx.storagePower.respondChallenge(
      issued.challengeId, answer,
    ), pairs[role]), `respond ${role}`);
    p.signedAudit.events = powerEvents(result.events);
    p.signedAudit.answeredAt = await blockNumberOf(api, result.blockHash);
    await answerAudits();
    log(`${role} answered the buyer with receipt #${p.signedAudit.leafIndex}: `
      + `${p.signedAudit.events.map(eventName).join(', ')}`);
  }

  // Slot 5: the last heartbeats of providers 1 and 3. The replica audits of the era are over
  // (drawn by offset EraLength − deadline − 1 and answered): the read path previews the era.
  await beat(5);
  out.penaltyPreview = await storagePowerRpc.penaltyPreview(api, out.providers.provider1.address);
  out.estimate = await storagePowerRpc.estimateReward(api, out.providers.provider1.address);

  out.eraBeforeClose = await eraInfo(api, era);

  // -- The era closes.
  await advance(start + eraLength + 1);
  const closed = await eraInfo(api, era);
  out.eraClosed = closed;
  out.eraRpc = await storagePowerRpc.era(api, era);
  out.nextEraStarted = (await eventsAt(api, start + eraLength)).find((e) => e.name === 'EraStarted');
  out.ordersOfBuyer = await storagePowerRpc.ordersOf(api, buyer.address);
  log(`era ${era + 1} started with ${med(BigInt(out.nextEraStarted?.orderRevenue ?? 0))} of order revenue `
    + `and a subsidy of ${med(BigInt(out.nextEraStarted?.minted ?? 0))}`);
  const params = await parameters(api);
  const total = closed.totalPower;
  log(`era ${era} closed: total power ${total}, emission ${med(closed.emission)} `
    + `(subsidy, carried, order revenue and slash)`);

  // A late report for the closed era is rejected and changes nothing.
  const p2 = out.providers.provider2;
  const beforeLate = stableJson([closed, (await api.query.storagePower.unclaimedEras(p2.address)).toJSON()]);
  const late = await submit(api, api.tx.storagePower.submitReport(
    era, 1, 0, p2.tree.total, p2.tree.root, p2.tree.leafCount,
  ), pairs.provider2);
  const afterLate = stableJson([await eraInfo(api, era), (await api.query.storagePower.unclaimedEras(p2.address)).toJSON()]);
  out.lateReport = { dispatchError: late.dispatchError, unchanged: beforeLate === afterLate };
  log(`late report for era ${era}: rejected with ${late.dispatchError?.section}.${late.dispatchError?.name}, `
    + `state ${out.lateReport.unchanged ? 'unchanged' : 'CHANGED'}`);

  // -- Expected powers from the formula: the space term is what each proved in the era.
  out.params = params;
  for (const plan of PLAN) {
    const p = out.providers[plan.role];
    const failures = FAILURES[plan.role];
    const passed = out.replicaAudits.flatMap((a) => (a.role === plan.role ? a.events : []))
      .filter((e) => e.name === 'ReplicaAuditPassed' && e.era === era);
    p.auditedBytes = passed.length ? BigInt(passed[passed.length - 1].auditedBytes) : 0n;
    p.expectedPower = expectedPower(params, {
      auditedBytes: p.auditedBytes, bytesServed: plan.bytesServed,
      heartbeats: plan.slots.length, expected, failures,
    });
    const report = (await api.query.storagePower.reports(p.address, era)).unwrap();
    p.power = report.power.toBigInt();
    p.failures = report.failures.toNumber();
    p.pending = await storagePowerRpc.pendingRewards(api, p.address);
  }

  // -- Claims.
  let paid = 0n;
  out.settled = null;
  for (const plan of PLAN) {
    const p = out.providers[plan.role];
    const result = succeeded(await submit(api, api.tx.storagePower.claimRewards(1), pairs[plan.role]), `claim ${plan.role}`);
    const events = powerEvents(result.events);
    const claimed = events.find((e) => e.name === 'RewardClaimed');
    if (!claimed) throw new FlowError(`claim ${plan.role}: no RewardClaimed event`);
    p.reward = BigInt(claimed.reward);
    p.formulaReward = total === 0n ? 0n : (p.power * closed.emission) / total;
    paid += p.reward;
    const settled = events.find((e) => e.name === 'EraSettled');
    if (settled) out.settled = settled;
    log(`${plan.role}: power ${p.power} (formula ${p.expectedPower}, ${p.auditedBytes} audited bytes), share ${percent(p.power, total)}, `
      + `reward ${med(p.reward)}`);
  }
  out.paid = paid;
  if (out.settled) {
    out.dust = BigInt(out.settled.dust);
    log(`era ${era} settled: paid ${med(paid)} + dust ${out.dust} planck = emission ${med(closed.emission)}; `
      + `the dust went to era ${out.settled.toEra}`);
  }

  // -- Checks.
  const problems = [];
  for (const plan of PLAN) {
    const p = out.providers[plan.role];
    if (p.power !== p.expectedPower) problems.push(`${plan.role}: power ${p.power} ≠ formula ${p.expectedPower}`);
    if (p.reward !== p.formulaReward) problems.push(`${plan.role}: reward ${p.reward} ≠ floor(power × emission / total) ${p.formulaReward}`);
    if (p.failures !== FAILURES[plan.role]) problems.push(`${plan.role}: ${p.failures} failed audits, not ${FAILURES[plan.role]}`);
  }
  const outcome = (audit) => audit.events.map(eventName).join(', ');
  for (const [what, audit, expected] of [
    ['provider1 on the chain\'s audit', out.providers.provider1.chainAudit, 'ChallengePassed'],
    ['provider2 on the chain\'s audit', out.providers.provider2.chainAudit, 'ChallengePassed'],
    ['provider1 on the buyer\'s challenge', out.providers.provider1.signedAudit, 'ChallengePassed'],
    ['provider3 on the buyer\'s challenge', out.providers.provider3.signedAudit, 'AuditFailed (InvalidReceipt)'],
  ]) {
    if (outcome(audit) !== expected) problems.push(`${what}: ${outcome(audit) || 'no event'}, not ${expected}`);
  }
  if (closed.reports !== PLAN.length) problems.push(`era ${era} has ${closed.reports} reports (another reporter?)`);
  else if (!out.settled) problems.push(`era ${era} was not settled after every claim`);
  else if (paid + out.dust !== closed.emission) problems.push(`rewards ${paid} + dust ${out.dust} ≠ emission ${closed.emission}`);
  if (out.lateReport.dispatchError?.name !== 'EraClosed' || !out.lateReport.unchanged) problems.push('the late report was not rejected cleanly');
  out.problems = problems;
  if (problems.length) throw new FlowError(problems.join('; '));
  log('checks passed: honest receipts pass their audits and copied ones fail, powers follow the formula, '
    + 'rewards are exact, rewards + dust = emission');
  return out;
}

runFlowCli(import.meta.url, {
  script: 'storage-power-flow', run: runStoragePowerFlow, style: 'brief', pallet: { section: SECTION, name: 'StoragePower' },
  label: 'storage power flow',
});
