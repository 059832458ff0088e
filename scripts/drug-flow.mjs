#!/usr/bin/env node
// Drug-batch provenance, end to end, against a running medchain-node:
//
//   node scripts/drug-flow.mjs [--ws ws://127.0.0.1:9944]
//
// The regulator (the registrar origin, Root through `sudo.sudo` by Alice) licenses a
// manufacturer, a wholesaler and a pharmacy; the manufacturer registers a product (a valid random
// GTIN) and a batch of 1,000 packs whose serials, scratch codes and salts this script generates
// and keeps (only the Merkle root goes on chain); 600 packs go to the wholesaler, 100 of them on to
// the pharmacy, each hop dispatched and received; a patient with no funds verifies a pack with an
// unsigned transaction; replaying that verification (now public call data) is refused by the
// pool as stale and raises nothing; the pharmacy, a licensed dispenser, scans the same code on
// another pack (signed): a clone alarm; a forged code is refused by the transaction pool; the manufacturer recalls the batch, the pharmacy acknowledges, and a dispatch
// of the recalled batch fails with `drugProvenance.BatchRecalled`. Finally the batch trace from
// the node's `drugProvenance_trace` RPC.
//
// Every run uses fresh accounts derived from `//Alice` with a random tag and funded by Alice, a
// random GTIN and lot: it can run any number of times on the same chain. `runDrugFlow` is what
// tests/e2e/drug.test.mjs runs; it returns everything it observed.
import { stringToU8a, u8aToHex } from '@polkadot/util';
import {
  MED, submit, sudo, createFundedAccounts, freshAccounts, rpcCall, blockNumberOf, bestNumber, bytesParam,
} from './lib/chain.mjs';
import { generateBatch, randomGtin, randomGln, randomBase32, leafHash, proofArg, randomScratchCode } from './lib/drug-codes.mjs';
import {
  FlowError, commitText, palletEvents, expectEvent, succeeded, shortAddress, runFlowCli,
} from './lib/flow.mjs';

const SECTION = 'drugProvenance';
const PACKS = 1000;
const ROLES = { manufacturer: 'Manufacturer', wholesaler: 'Wholesaler', pharmacy: 'Dispenser' };
/** ISO 3166-1 numeric codes used as the verifiers' regions. */
const KENYA = 404;
const NIGERIA = 566;

// ---------------------------------------------------------------------------------------------
// The node's drug_* RPC (runtime API DrugProvenanceApi); results are JSON of the pallet's types.
// ---------------------------------------------------------------------------------------------

export const drugRpc = {
  batch: (api, gtin, lot) => rpcCall(api, 'drugProvenance_batch', [gtin, lot]),
  batchById: (api, batchId) => rpcCall(api, 'drugProvenance_batchById', [batchId]),
  trace: (api, batchId) => rpcCall(api, 'drugProvenance_trace', [batchId]),
  holdings: (api, batchId) => rpcCall(api, 'drugProvenance_holdings', [batchId]),
  codeStatus: (api, batchId, leaf) => rpcCall(api, 'drugProvenance_codeStatus', [batchId, u8aToHex(leaf)]),
  verifyPack: (api, batchId, { serial, code, salt }, proof) => rpcCall(
    api, 'drugProvenance_verifyPack', [batchId, serial, code, u8aToHex(salt), proofArg(proof)],
  ),
  recallStatus: (api, batchId) => rpcCall(api, 'drugProvenance_recallStatus', [batchId]),
};

/** The name of an enum value in JSON (`"Active"`, `{ "Received": { "at": 5 } }`, `{ received: … }`). */
export function variant(value) {
  if (typeof value === 'string') return value;
  const [key] = Object.keys(value ?? {});
  return key ? key[0].toUpperCase() + key.slice(1) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The flow
// ---------------------------------------------------------------------------------------------

/** The first drugProvenance event `name` of `result`, or throws. */
const expectDrugEvent = (result, name, what) => expectEvent(result, SECTION, name, what);
/** The drugProvenance events among `events`, as `{ name, ...fields }`. */
const drugEvents = (events) => palletEvents(events, SECTION);

/** The on-chain holdings of `parties` (name → address) in `batchId`, from storage. */
async function holdingsOf(api, batchId, parties) {
  const entries = await Promise.all(Object.entries(parties).map(async ([name, address]) => {
    const held = await api.query.drugProvenance.holdings(batchId, address);
    return [name, held.isSome ? held.unwrap().toNumber() : 0];
  }));
  return Object.fromEntries(entries);
}

/** The stored batch as JSON (camelCase keys), or null. */
async function storedBatch(api, batchId) {
  const batch = await api.query.drugProvenance.batches(batchId);
  return batch.isSome ? batch.unwrap().toJSON() : null;
}

/**
 * Runs the whole flow. `accounts` must hold `alice` (sudo key and funder; `devAccounts()`);
 * `log(line)` prints progress. Returns what happened, for tests to assert on:
 * `{ tag, parties, gtin, lot, batchId, packs, holdings, verification, replay, clone, forged, recall,
 * recalledDispatch, trace, rpcHoldings }`.
 */
export async function runDrugFlow(api, accounts, log = console.log) {
  const { alice } = accounts;
  const out = { holdings: {} };
  // The documents committed to and the partners' GLNs, for tests/e2e/privacy.test.mjs.
  const documents = [];
  const commit = (document) => { documents.push(document); return commitText(document); };
  const glns = Object.fromEntries(Object.keys(ROLES).map((name) => [name, randomGln()]));
  out.identifiers = { documents, glns };

  // -- Parties: fresh keys per run; the patient is never funded.
  const { tag, pairs } = await createFundedAccounts(
    api, alice, Object.keys(ROLES), 100n * MED, { base: '//Alice', label: 'drug' },
  );
  const { pairs: { patient } } = await freshAccounts(['patient'], { base: '//Alice', label: 'drug', tag });
  const { manufacturer, wholesaler, pharmacy } = pairs;
  const parties = { manufacturer: manufacturer.address, wholesaler: wholesaler.address, pharmacy: pharmacy.address };
  out.tag = tag;
  out.parties = { ...parties, patient: patient.address };
  log(`run ${tag}: manufacturer ${shortAddress(manufacturer.address)}, wholesaler ${shortAddress(wholesaler.address)}, `
    + `pharmacy ${shortAddress(pharmacy.address)}, patient ${shortAddress(patient.address)} (each partner funded 100 MED by Alice)`);

  // -- 1. The regulator (Root via sudo) licenses the three partners.
  const now = await bestNumber(api);
  const licensedUntil = now + 5_256_000; // about a year of 6 s blocks
  const registrations = Object.entries(ROLES).map(([name, role]) => api.tx.drugProvenance.registerPartner(
    parties[name], role, stringToU8a(glns[name]), commit(`licence ${name} ${tag}`), licensedUntil,
  ));
  const licensed = succeeded(await sudo(api, api.tx.utility.batchAll(registrations), alice), 'register_partner (sudo)');
  out.partnerEvents = drugEvents(licensed.events);
  log(`1. regulator licensed ${out.partnerEvents.map((e) => variant(e.role)).join(', ')} until block ${licensedUntil}`);

  // -- 2. The manufacturer registers a product and a batch of 1,000 packs.
  const gtin = randomGtin();
  out.gtin = gtin;
  succeeded(await submit(api, api.tx.drugProvenance.registerProduct(stringToU8a(gtin), commit(`product master data ${gtin}`)), manufacturer), 'register_product');
  log(`2. manufacturer registered product GTIN ${gtin}`);

  const started = Date.now();
  const codes = generateBatch(PACKS);
  const lot = `L${randomBase32(9)}`;
  out.lot = lot;
  out.codes = codes;
  const expiry = now + 2 * 5_256_000;
  const registered = succeeded(await submit(api, api.tx.drugProvenance.registerBatch(
    stringToU8a(gtin), bytesParam(lot), expiry, PACKS, commit(`release certificate ${lot}`), u8aToHex(codes.root), PACKS,
  ), manufacturer), 'register_batch');
  const batchEvent = expectDrugEvent(registered, 'BatchRegistered', 'register_batch');
  const batchId = batchEvent.batchId;
  out.batchId = batchId;
  out.batchEvent = batchEvent;
  out.holdings.registered = await holdingsOf(api, batchId, parties);
  log(`3. manufacturer registered batch #${batchId} lot ${lot}: ${PACKS} packs, codes root ${u8aToHex(codes.root).slice(0, 18)}… `
    + `(serials, scratch codes and salts generated in ${Date.now() - started} ms, kept off chain)`);

  // -- 3. Custody: manufacturer → wholesaler (600) → pharmacy (100), two-phase.
  const hop = async (from, fromName, to, toName, quantity) => {
    const dispatched = succeeded(await submit(api, api.tx.drugProvenance.dispatch(batchId, to.address, quantity, commit(`EPCIS shipping ${tag} ${quantity}`)), from), `dispatch to ${toName}`);
    const { transferIndex } = expectDrugEvent(dispatched, 'Dispatched', 'dispatch');
    const afterDispatch = await holdingsOf(api, batchId, parties);
    const pending = (await storedBatch(api, batchId)).pending;
    log(`   ${fromName} dispatched ${quantity} to ${toName} (transfer ${transferIndex}): holdings ${JSON.stringify(afterDispatch)}, pending ${pending}`);
    const received = succeeded(await submit(api, api.tx.drugProvenance.receive(batchId, transferIndex), to), `receive by ${toName}`);
    const receivedEvent = expectDrugEvent(received, 'Received', 'receive');
    const afterReceive = await holdingsOf(api, batchId, parties);
    log(`   ${toName} received transfer ${transferIndex}: holdings ${JSON.stringify(afterReceive)}`);
    return { transferIndex, afterDispatch, pendingAfterDispatch: pending, afterReceive, receivedEvent };
  };
  log('4. custody');
  out.hops = [
    await hop(manufacturer, 'manufacturer', wholesaler, 'wholesaler', 600),
    await hop(wholesaler, 'wholesaler', pharmacy, 'pharmacy', 100),
  ];

  // -- 4. A patient with no funds verifies a pack at the pharmacy: an unsigned transaction.
  const packIndex = Math.floor(Math.random() * PACKS);
  const pack = codes.packs[packIndex];
  const proof = codes.proof(packIndex);
  const verifyTx = (code, region) => api.tx.drugProvenance.verifyPack(
    batchId, bytesParam(pack.serial), bytesParam(code), u8aToHex(pack.salt), proofArg(proof), region,
  );
  const patientFree = (await api.query.system.account(patient.address)).data.free.toBigInt();
  if (patientFree !== 0n) throw new FlowError(`patient balance is ${patientFree}, expected 0`);
  const dryRun = await drugRpc.verifyPack(api, batchId, pack, proof);
  const first = await submit(api, verifyTx(pack.code, KENYA));
  succeeded(first, 'verify_pack');
  const verified = expectDrugEvent(first, 'PackVerified', 'verify_pack');
  out.verification = {
    packIndex,
    leaf: u8aToHex(pack.leaf),
    dryRun,
    event: verified,
    block: await blockNumberOf(api, first.blockHash),
    signed: verifyTx(pack.code, KENYA).isSigned,
    feeEvents: first.events.filter(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event)).length,
    patientFreeAfter: (await api.query.system.account(patient.address)).data.free.toBigInt(),
    codeStatus: await drugRpc.codeStatus(api, batchId, pack.leaf),
  };
  log(`5. patient (balance 0) verified pack ${packIndex} (serial ${pack.serial}) unsigned: PackVerified, verdict `
    + `${variant(verified.verdict)}, region ${verified.region}, leaf ${out.verification.leaf.slice(0, 18)}…`);

  // -- 5. Anyone replays the public verification (another region, so another hash): the pool
  //       refuses it as stale; the dry run answers "already verified at block X"; nothing changes.
  const replayDryRun = await drugRpc.verifyPack(api, batchId, pack, proof);
  const replayBefore = await drugRpc.codeStatus(api, batchId, pack.leaf);
  let replayRejection = null;
  const quietError = console.error;
  // @polkadot/rpc-core also prints the refusal it throws; keep it out of the output.
  console.error = (...parts) => { if (!String(parts[1] ?? parts[0]).includes('RPC-CORE')) quietError(...parts); };
  try {
    await submit(api, verifyTx(pack.code, NIGERIA));
  } catch (error) {
    replayRejection = error.message;
  } finally {
    await new Promise((resolveLater) => setTimeout(resolveLater, 100));
    console.error = quietError;
  }
  if (replayRejection === null) throw new FlowError('a replayed verification was accepted');
  out.replay = {
    rejection: replayRejection, dryRun: replayDryRun, before: replayBefore,
    after: await drugRpc.codeStatus(api, batchId, pack.leaf),
  };
  log(`6. replay of the verification (region ${NIGERIA}): refused by the pool (${replayRejection}); dry run says `
    + `already verified at block ${replayDryRun.AlreadyVerified?.record.firstVerifiedAt}`);

  // -- 6. The pharmacy, a licensed dispenser, scans the same code on a pack it holds: the
  //       code is cloned. Its signed report is a clone alarm.
  const second = await submit(api, verifyTx(pack.code, NIGERIA), pharmacy);
  succeeded(second, 'pharmacy verify_pack');
  out.clone = { event: expectDrugEvent(second, 'CloneAlarmRaised', 'pharmacy verify_pack'), events: drugEvents(second.events) };
  log(`7. pharmacy scanned the same code (region ${NIGERIA}): CloneAlarmRaised, first verified at block `
    + `${out.clone.event.firstVerifiedAt} in region ${out.clone.event.firstRegion}, alarms ${out.clone.event.alarms}`);

  // -- 6. A forged scratch code for the same serial: the pool refuses it and nothing changes.
  let forgedCode;
  do forgedCode = randomScratchCode(); while (forgedCode === pack.code);
  const forgedLeaf = leafHash(pack.serial, forgedCode, pack.salt);
  const snapshot = async () => ({
    best: await bestNumber(api),
    batch: await storedBatch(api, batchId),
    packStatus: await drugRpc.codeStatus(api, batchId, pack.leaf),
    forgedStatus: await drugRpc.codeStatus(api, batchId, forgedLeaf),
    verifiedEntries: (await api.query.drugProvenance.verifiedPacks.entries(batchId)).length,
  });
  const before = await snapshot();
  const forgedDryRun = await drugRpc.verifyPack(api, batchId, { ...pack, code: forgedCode }, proof);
  let rejection = null;
  const consoleError = console.error;
  // @polkadot/rpc-core also prints the refusal it throws; keep it out of the output.
  console.error = (...parts) => { if (!String(parts[1] ?? parts[0]).includes('RPC-CORE')) consoleError(...parts); };
  try {
    await submit(api, verifyTx(forgedCode, KENYA));
  } catch (error) {
    rejection = error.message;
  } finally {
    await new Promise((resolveLater) => setTimeout(resolveLater, 100)); // it prints twice, once late
    console.error = consoleError;
  }
  if (rejection === null) throw new FlowError('a forged scratch code was accepted');
  const after = await snapshot();
  out.forged = { code: forgedCode, leaf: u8aToHex(forgedLeaf), dryRun: forgedDryRun, rejection, before, after };
  // `best` moves on under Aura; with instant seal no block was made for the refused transaction.
  const state = ({ best, ...rest }) => JSON.stringify(rest);
  log(`8. forged code ${forgedCode} for serial ${pack.serial}: refused by the pool (${rejection}); `
    + `dry run ${JSON.stringify(forgedDryRun)}; state unchanged: ${state(before) === state(after)}`);

  // -- 7. Recall by the manufacturer; the pharmacy acknowledges.
  const recalled = succeeded(await submit(api, api.tx.drugProvenance.initiateRecall([batchId], 'ClassII', commit(`recall notice ${lot}`)), manufacturer), 'initiate_recall');
  const recallEvent = expectDrugEvent(recalled, 'RecallInitiated', 'initiate_recall');
  log(`9. manufacturer recalled batch #${batchId} (${recallEvent.class})`);
  const acked = succeeded(await submit(api, api.tx.drugProvenance.ackRecall(batchId), pharmacy), 'ack_recall');
  const ackEvent = expectDrugEvent(acked, 'RecallAcknowledged', 'ack_recall');
  const recallStatus = await drugRpc.recallStatus(api, batchId);
  out.recall = { event: recallEvent, ackEvent, ackBlock: await blockNumberOf(api, acked.blockHash), status: recallStatus };
  const outstanding = (recallStatus?.outstanding ?? []).map(([who, qty]) => `${shortAddress(String(who))}:${qty}`);
  log(`10. pharmacy acknowledged; recall status: ${(recallStatus?.acknowledged ?? []).length} acknowledged, `
    + `outstanding ${outstanding.join(', ')}`);

  // -- 8. Moving the recalled batch fails with the named error and moves nothing.
  const holdingsBefore = await holdingsOf(api, batchId, parties);
  const blocked = await submit(api, api.tx.drugProvenance.dispatch(batchId, pharmacy.address, 50, commit(`shipping after recall ${tag}`)), wholesaler);
  const holdingsAfter = await holdingsOf(api, batchId, parties);
  out.recalledDispatch = {
    dispatchError: blocked.dispatchError,
    events: drugEvents(blocked.events),
    holdingsBefore,
    holdingsAfter,
    batchAfter: await storedBatch(api, batchId),
  };
  if (!blocked.dispatchError) throw new FlowError('dispatch of a recalled batch succeeded');
  log(`11. wholesaler dispatch of recalled batch: ${blocked.dispatchError.section}.${blocked.dispatchError.name}; `
    + `holdings unchanged: ${JSON.stringify(holdingsBefore) === JSON.stringify(holdingsAfter)}`);

  // -- 9. The trace and holdings from the node's RPC.
  out.trace = await drugRpc.trace(api, batchId);
  out.rpcHoldings = await drugRpc.holdings(api, batchId);
  out.rpcBatch = await drugRpc.batchById(api, batchId);
  const names = Object.fromEntries(Object.entries(parties).map(([name, address]) => [address, name]));
  log(`12. drugProvenance_trace(${batchId}):`);
  for (const [index, transfer] of out.trace) {
    const state = transfer.state;
    const at = typeof state === 'object' ? Object.values(state)[0]?.at : undefined;
    log(`   #${index} ${names[transfer.from] ?? transfer.from} → ${names[transfer.to] ?? transfer.to}: `
      + `${transfer.quantity} packs, dispatched at block ${transfer.dispatchedAt}, `
      + `${variant(state)}${at !== undefined ? ` at block ${at}` : ''}`);
  }
  return out;
}

runFlowCli(import.meta.url, {
  script: 'drug-flow', run: runDrugFlow, style: 'brief', pallet: { section: SECTION, name: 'DrugProvenance' }, label: 'drug flow',
});
