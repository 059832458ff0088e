// RPC read latency against pallet size (`--rpc-latency`): on a fresh instant-seal chain, fixed
// probe items while other accounts fill the EHR and drug-provenance pallets to each size, and at
// each size the p50/p99 of every domain read RPC the node serves.
import { performance } from 'node:perf_hooks';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { randomAsHex } from '@polkadot/util-crypto';
import { MED, rpcCall, bytesParam, processUsage, diskUsageKiB } from '../chain.mjs';
import { generateBatch, randomBase32, proofArg } from '../drug-codes.mjs';
import { CONSULT_NOTE } from '../ehr-codes.mjs';
import { DEFAULTS } from './arguments.mjs';
import { num, percentile, round } from './figures.mjs';
import { openChain, closeChain } from './fresh-chain.mjs';
import { setupPhase } from './submission.mjs';
import { drugSetup, randomHash, PACKS_PER_BATCH } from './workloads.mjs';

/** Calls per filler transaction (`utility.batchAll`) and the most records one filler patient gets. */
const FILL_CALLS_PER_TX = 100;
const FILL_RECORDS_PER_PATIENT = 500;

/** p50/p99 in ms of `samples` sequential calls of `method` (after ten warm-up calls). */
async function rpcLatency(api, method, params, samples) {
  for (let i = 0; i < 10; i++) await rpcCall(api, method, params);
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await rpcCall(api, method, params);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 0.5), 3), p99: round(percentile(ms, 0.99), 3) };
}

/**
 * On a fresh instant-seal chain: probe items (a patient with one record and one logged read, a drug
 * batch of 64 coded packs with two transfers) stay fixed while other accounts fill the pallets to
 * each size of `options.items` (EHR records; drug transfers); at each size every domain read RPC
 * the node serves is timed on the probe items.
 */
export async function runScaling(options, log) {
  const ctx = await openChain('instant', options, log, { funding: 400n * MED, txCap: 20_000, basePath: options.keepDb });
  const { api } = ctx;
  try {
    if (!api.tx.ehr || !api.tx.drugProvenance) throw new Error('--rpc-latency needs the Ehr and DrugProvenance pallets');
    const served = new Set((await rpcCall(api, 'rpc_methods', [])).methods);
    const probe = ctx.accounts.at(-1);
    const fillers = ctx.accounts.slice(0, -1);
    let probeRecord = null;
    await setupPhase(ctx, 'ehr: probe record', [{
      signer: probe, tx: api.tx.ehr.addRecord(probe.address, CONSULT_NOTE, randomHash(), randomHash(), randomAsHex(96), 4096),
    }], { onEvent: (i, event) => { if (api.events.ehr.RecordAdded.is(event)) probeRecord = event.data.recordId.toNumber(); } });
    await setupPhase(ctx, 'ehr: probe read', [{ signer: probe, tx: api.tx.ehr.logAccess(probe.address, probeRecord, 'Treatment') }]);

    const drug = await drugSetup(ctx);
    const codes = generateBatch(64);
    const lot = `P${randomBase32(9)}`;
    let probeBatch = null;
    await setupPhase(ctx, 'drug: probe batch', [{
      signer: drug.manufacturers[0],
      tx: api.tx.drugProvenance.registerBatch(stringToU8a(drug.gtins[0]), bytesParam(lot), drug.until, 64, randomHash(), u8aToHex(codes.root), 64),
    }], { onEvent: (i, event) => { if (api.events.drugProvenance.BatchRegistered.is(event)) probeBatch = event.data.batchId.toNumber(); } });
    await setupPhase(ctx, 'drug: probe transfers', [1, 2].map(() => ({
      signer: drug.manufacturers[0], tx: api.tx.drugProvenance.dispatch(probeBatch, drug.wholesalers[0].address, 1, randomHash()),
    })));
    const pack = codes.packs[5];
    const probes = [
      ['ehr_records', [probe.address]],
      ['ehr_activeGrants', [probe.address]],
      ['ehr_accessLog', [probe.address, 0, 256]],
      ['ehr_canAccess', [probe.address, probeRecord, 'Read']],
      ['drugProvenance_batch', [drug.gtins[0], lot]],
      ['drugProvenance_batchById', [probeBatch]],
      ['drugProvenance_trace', [probeBatch]],
      ['drugProvenance_holdings', [probeBatch]],
      ['drugProvenance_codeStatus', [probeBatch, u8aToHex(pack.leaf)]],
      ['drugProvenance_verifyPack', [probeBatch, pack.serial, pack.code, u8aToHex(pack.salt), proofArg(codes.proof(5))]],
      ['drugProvenance_recallStatus', [probeBatch]],
    ].filter(([method]) => served.has(method));

    const recordsOf = new Map();
    const levels = [];
    for (const size of options.items) {
      const t0 = performance.now();
      // EHR: filler patients add records for themselves, FILL_CALLS_PER_TX per transaction.
      const records = num(await api.query.ehr.nextRecordId());
      const room = fillers.length * FILL_RECORDS_PER_PATIENT - [...recordsOf.values()].reduce((a, b) => a + b, 0);
      if (size - records > room) throw new Error(`--items ${size}: ${fillers.length} accounts hold at most ${room} more records; raise --accounts`);
      const ehrCalls = [];
      for (let k = 0, p = 0; k < size - records; p = (p + 1) % fillers.length) {
        const patient = fillers[p];
        const left = FILL_RECORDS_PER_PATIENT - (recordsOf.get(patient.address) ?? 0);
        const count = Math.min(FILL_CALLS_PER_TX, left, size - records - k);
        if (count <= 0) continue;
        ehrCalls.push({
          signer: patient,
          tx: api.tx.utility.batchAll(Array.from({ length: count }, () => api.tx.ehr.addRecord(patient.address, CONSULT_NOTE, randomHash(), randomHash(), randomAsHex(96), 4096))),
        });
        recordsOf.set(patient.address, (recordsOf.get(patient.address) ?? 0) + count);
        k += count;
      }
      // Drug: every manufacturer but the probe's dispatches single packs of its batch.
      const batchIds = drug.manufacturers.map((_, m) => drug.batchOf.get(m));
      const batches = await api.query.drugProvenance.batches.multi(batchIds);
      let transfers = 2 + batches.reduce((sum, b) => sum + (b.isSome ? num(b.unwrap().transferCount) : 0), 0);
      const drugCalls = [];
      const shippers = drug.manufacturers.length - 1;
      const perShipper = Math.ceil(Math.max(0, size - transfers) / shippers);
      const packsLeft = Math.min(...batches.slice(1).map((b) => (b.isSome ? PACKS_PER_BATCH - num(b.unwrap().transferCount) : 0)));
      if (perShipper > packsLeft) throw new Error(`--items ${size}: ${shippers} manufacturers cannot ship that many transfers; raise --accounts`);
      for (let m = 1; m <= shippers && transfers < size; m++) {
        const count = Math.min(perShipper, size - transfers);
        for (let done = 0; done < count; done += FILL_CALLS_PER_TX) {
          drugCalls.push({
            signer: drug.manufacturers[m],
            tx: api.tx.utility.batchAll(Array.from({ length: Math.min(FILL_CALLS_PER_TX, count - done) },
              () => api.tx.drugProvenance.dispatch(drug.batchOf.get(m), drug.wholesalers[m].address, 1, randomHash()))),
          });
        }
        transfers += count;
      }
      if (ehrCalls.length + drugCalls.length) {
        // Events of 10⁵ calls are too many to decode here; the counts are read back instead.
        await setupPhase(ctx, `filling to ${size} items`, [...ehrCalls, ...drugCalls], { events: false });
      }
      const ehrItems = num(await api.query.ehr.nextRecordId());
      const after = await api.query.drugProvenance.batches.multi([...batchIds, probeBatch]);
      const drugItems = after.reduce((sum, b) => sum + (b.isSome ? num(b.unwrap().transferCount) : 0), 0);
      const fillSeconds = (performance.now() - t0) / 1000;
      log(`pallets filled to ${ehrItems} EHR records and ${drugItems} drug transfers (${fillSeconds.toFixed(1)} s); timing reads…`);
      const latency = {};
      for (const [method, params] of probes) latency[method] = await rpcLatency(api, method, params, DEFAULTS.rpcSamples);
      levels.push({ size, ehrRecords: ehrItems, drugTransfers: drugItems, fillSeconds: round(fillSeconds, 1), latency });
    }
    const footprint = { start: ctx.footprintStart, end: { ...processUsage(ctx.node.process.pid), dbKiB: diskUsageKiB(ctx.node.basePath) } };
    return { samples: DEFAULTS.rpcSamples, levels, footprint };
  } catch (error) {
    error.nodeLog ??= ctx.node.output().slice(-3000);
    throw error;
  } finally {
    await closeChain(ctx, log);
  }
}
