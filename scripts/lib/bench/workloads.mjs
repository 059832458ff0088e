// What the harness measures: one workload per call (`WORKLOADS`), each making its transactions
// from the bench accounts, and the one-off setup some need on a fresh chain (licensed drug
// partners with batches, pools, storage providers).
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { randomAsHex } from '@polkadot/util-crypto';
import { MED, bestNumber, bytesParam } from '../chain.mjs';
import { generateBatch, randomGln, randomGtin, randomBase32, proofArg } from '../drug-codes.mjs';
import { CONSULT_NOTE } from '../ehr-codes.mjs';
import { num } from './figures.mjs';
import { setupPhase } from './submission.mjs';

/** Drug partners licensed per `sudo(utility.batchAll(…))`. */
const PARTNER_CHUNK = 250;
/** Packs in each manufacturer's dispatch batch: one per `dispatch`. */
export const PACKS_PER_BATCH = 1000;

/** A random 32-byte hash, as hex: a commitment or root whose preimage nobody needs. */
export const randomHash = () => randomAsHex(32);

/** Licensed manufacturers (first half of the accounts) and wholesalers (second half), each
 * manufacturer with one product and a batch to dispatch from. Done once per chain. */
export async function drugSetup(ctx) {
  if (ctx.drug) return ctx.drug;
  const { api, accounts, alice } = ctx;
  const half = Math.floor(accounts.length / 2);
  const manufacturers = accounts.slice(0, half);
  const wholesalers = accounts.slice(half, 2 * half);
  const head = await bestNumber(api);
  const until = head + 5_256_000;
  const registrations = [
    ...manufacturers.map((p) => [p, 'Manufacturer']),
    ...wholesalers.map((p) => [p, 'Wholesaler']),
  ].map(([pair, role]) => api.tx.drugProvenance.registerPartner(pair.address, role, stringToU8a(randomGln()), randomHash(), until));
  const sudoCalls = [];
  for (let i = 0; i < registrations.length; i += PARTNER_CHUNK) {
    sudoCalls.push({ tx: api.tx.sudo.sudo(api.tx.utility.batchAll(registrations.slice(i, i + PARTNER_CHUNK))), signer: alice });
  }
  await setupPhase(ctx, 'drug: licensing partners', sudoCalls);

  // Each batch holds enough packs for any run (one pack per dispatch); codes are not used.
  const packsPerBatch = PACKS_PER_BATCH;
  const gtins = manufacturers.map(() => randomGtin());
  const batchOf = new Map();
  await setupPhase(ctx, 'drug: products and batches', manufacturers.map((pair, m) => ({
    signer: pair,
    tx: api.tx.utility.batchAll([
      api.tx.drugProvenance.registerProduct(stringToU8a(gtins[m]), randomHash()),
      api.tx.drugProvenance.registerBatch(stringToU8a(gtins[m]), bytesParam(`B${randomBase32(9)}`), until, packsPerBatch,
        randomHash(), randomHash(), packsPerBatch),
    ]),
  })), {
    onEvent: (i, event) => {
      if (api.events.drugProvenance.BatchRegistered.is(event)) batchOf.set(i, event.data.batchId.toNumber());
    },
  });
  ctx.drug = { manufacturers, wholesalers, gtins, batchOf, until, transfers: [] };
  return ctx.drug;
}

/**
 * Each workload: `key`, `name` (the call), `available(api)`, optional `needs` (a workload whose
 * results it consumes), `prepare(ctx)` (setup before sampling), `sample(ctx)` (a representative
 * extrinsic for the cost query; default `make(ctx, 0)`), `prepareCount(ctx, n)` (setup that depends
 * on the count), `limit(ctx)` (most transactions possible), `make(ctx, i)` → `{ tx, signer }`
 * (`signer` null for unsigned), `onEvent(ctx, i, event)`.
 */
export const WORKLOADS = [
  {
    key: 'transfer',
    name: 'balances.transferKeepAlive',
    baseline: true,
    available: (api) => Boolean(api.tx.balances?.transferKeepAlive),
    make: (ctx, i) => {
      const from = ctx.accounts[i % ctx.accounts.length];
      const to = ctx.accounts[(i + 1) % ctx.accounts.length];
      return { tx: ctx.api.tx.balances.transferKeepAlive(to.address, MED / 1000n), signer: from };
    },
  },
  {
    key: 'addRecord',
    name: 'ehr.addRecord',
    available: (api) => Boolean(api.tx.ehr?.addRecord),
    // The patient adds a pointer to its own record (no provider grant needed).
    make: (ctx, i) => {
      const patient = ctx.accounts[i % ctx.accounts.length];
      return {
        tx: ctx.api.tx.ehr.addRecord(patient.address, CONSULT_NOTE, randomHash(), randomHash(), randomAsHex(96), 4096),
        signer: patient,
      };
    },
    onEvent: (ctx, i, event) => {
      if (!ctx.api.events.ehr.RecordAdded.is(event)) return;
      const patient = event.data.patient.toString();
      if (!ctx.records.has(patient)) ctx.records.set(patient, []);
      ctx.records.get(patient).push(event.data.recordId.toNumber());
    },
  },
  {
    key: 'logAccess',
    name: 'ehr.logAccess',
    needs: 'addRecord',
    available: (api) => Boolean(api.tx.ehr?.logAccess),
    limit: (ctx) => (ctx.records.size ? Infinity : 0),
    // The patient logs a read of its own record (basis Owner).
    make: (ctx, i) => {
      const patients = ctx.recordOwners ??= ctx.accounts.filter((p) => ctx.records.has(p.address));
      const patient = patients[i % patients.length];
      const ids = ctx.records.get(patient.address);
      return {
        tx: ctx.api.tx.ehr.logAccess(patient.address, ids[Math.floor(i / patients.length) % ids.length], 'Treatment'),
        signer: patient,
      };
    },
  },
  {
    key: 'dispatch',
    name: 'drugProvenance.dispatch',
    available: (api) => Boolean(api.tx.drugProvenance?.dispatch),
    prepare: drugSetup,
    // Manufacturer m ships one pack of its batch to wholesaler m.
    make: (ctx, i) => {
      const { manufacturers, wholesalers, batchOf } = ctx.drug;
      const m = i % manufacturers.length;
      return {
        tx: ctx.api.tx.drugProvenance.dispatch(batchOf.get(m), wholesalers[m].address, 1, randomHash()),
        signer: manufacturers[m],
      };
    },
    limit: (ctx) => ctx.drug.manufacturers.length * PACKS_PER_BATCH,
    onEvent: (ctx, i, event) => {
      if (!ctx.api.events.drugProvenance.Dispatched.is(event)) return;
      const { batchId, transferIndex, to } = event.data;
      ctx.drug.transfers.push({ batchId: batchId.toNumber(), transferIndex: transferIndex.toNumber(), to: to.toString() });
    },
  },
  {
    key: 'receive',
    name: 'drugProvenance.receive',
    needs: 'dispatch',
    available: (api) => Boolean(api.tx.drugProvenance?.receive),
    limit: (ctx) => ctx.drug?.transfers.length ?? 0,
    make: (ctx, i) => {
      const { batchId, transferIndex, to } = ctx.drug.transfers[i];
      return { tx: ctx.api.tx.drugProvenance.receive(batchId, transferIndex), signer: ctx.byAddress.get(to) };
    },
  },
  {
    key: 'verifyPack',
    name: 'drugProvenance.verifyPack',
    unsigned: true,
    available: (api) => Boolean(api.tx.drugProvenance?.verifyPack),
    prepare: drugSetup,
    // Cost only depends on the proof depth: 14 siblings (up to 16,384 packs).
    sample: (ctx) => ctx.api.tx.drugProvenance.verifyPack(0, bytesParam('SN0'), bytesParam('0'.repeat(16)), randomHash(),
      { index: 0, siblings: Array.from({ length: 14 }, randomHash) }, 404),
    // A batch of n packs by the first manufacturer; every pack is verified once (unsigned, free).
    prepareCount: async (ctx, n) => {
      const { api } = ctx;
      const { manufacturers, gtins, until } = ctx.drug;
      const codes = generateBatch(n);
      let batchId = null;
      await setupPhase(ctx, 'drug: batch of codes to verify', [{
        signer: manufacturers[0],
        tx: api.tx.drugProvenance.registerBatch(stringToU8a(gtins[0]), bytesParam(`V${randomBase32(9)}`), until, n,
          randomHash(), u8aToHex(codes.root), n),
      }], {
        onEvent: (i, event) => {
          if (api.events.drugProvenance.BatchRegistered.is(event)) batchId = event.data.batchId.toNumber();
        },
      });
      ctx.verify = { codes, batchId };
    },
    make: (ctx, i) => {
      const { codes, batchId } = ctx.verify;
      const pack = codes.packs[i];
      return {
        tx: ctx.api.tx.drugProvenance.verifyPack(batchId, bytesParam(pack.serial), bytesParam(pack.code), u8aToHex(pack.salt),
          proofArg(codes.proof(i)), 404),
        signer: null,
      };
    },
  },
  {
    key: 'mutualAidJoin',
    name: 'mutualAid.join',
    available: (api) => Boolean(api.tx.mutualAid?.join && api.tx.mutualAid.createPool && api.query.mutualAid?.pools),
    // The cost does not depend on the pool: sampled on the genesis pool 0.
    sample: (ctx) => ctx.api.tx.mutualAid.join(0).sign(ctx.accounts[0], { ...ctx.signOptions, nonce: 0 }),
    // Pools (Root, through sudo) with the rules of the genesis pool 0, as many as the run needs:
    // each account joins each pool once, at most `MaxMembersPerPool` members per pool.
    prepareCount: async (ctx, n) => {
      const { api, alice } = ctx;
      const genesisPool = await api.query.mutualAid.pools(0);
      if (genesisPool.isNone) throw new Error('mutualAid.join: no pool 0 to copy the rules of');
      const maxMembers = api.consts.mutualAid?.maxMembersPerPool ? num(api.consts.mutualAid.maxMembersPerPool) : 1000;
      const perPool = Math.min(ctx.accounts.length, maxMembers);
      const count = Math.ceil(n / perPool);
      const ids = [];
      await setupPhase(ctx, 'mutual aid: pools', [{
        signer: alice,
        tx: api.tx.sudo.sudo(api.tx.utility.batchAll(Array.from({ length: count }, () => api.tx.mutualAid.createPool(alice.address, genesisPool.unwrap().rules)))),
      }], { onEvent: (i, event) => { if (api.events.mutualAid.PoolCreated.is(event)) ids.push(num(event.data.poolId)); } });
      if (ids.length !== count) throw new Error(`mutualAid.join: ${ids.length} of ${count} pools created`);
      ctx.mutualAid = { ids, perPool };
    },
    make: (ctx, i) => {
      const { ids, perPool } = ctx.mutualAid;
      return { tx: ctx.api.tx.mutualAid.join(ids[Math.floor(i / perPool)]), signer: ctx.accounts[i % perPool] };
    },
  },
  {
    key: 'storagePowerHeartbeat',
    name: 'storagePower.heartbeat',
    available: (api) => Boolean(api.tx.storagePower?.heartbeat && api.tx.storagePower.registerProvider),
    prepare: storagePowerSetup,
    // One heartbeat per provider per heartbeat slot: at most one per account in a run.
    limit: (ctx) => ctx.accounts.length,
    make: (ctx, i) => ({ tx: ctx.api.tx.storagePower.heartbeat(), signer: ctx.accounts[i] }),
  },
  {
    key: 'storagePowerSubmitReport',
    name: 'storagePower.submitReport',
    available: (api) => Boolean(api.tx.storagePower?.submitReport && api.tx.storagePower.registerProvider && api.query.storagePower?.currentEra),
    prepare: async (ctx) => {
      await storagePowerSetup(ctx);
      ctx.storagePower.era = num(await ctx.api.query.storagePower.currentEra());
    },
    // One report per provider per era: at most one per account in a run (1 GiB used of 1 GiB).
    limit: (ctx) => ctx.accounts.length,
    make: (ctx, i) => ({
      tx: ctx.api.tx.storagePower.submitReport(ctx.storagePower.era, 1, 0, 4096, randomHash(), 1),
      signer: ctx.accounts[i],
    }),
  },
  {
    key: 'storagePowerPlaceOrder',
    name: 'storagePower.placeOrder',
    available: (api) => Boolean(api.tx.storagePower?.placeOrder),
    // An uploader orders copies of a new sealed object, as the app's patient page does.
    make: (ctx, i) => ({
      tx: ctx.api.tx.storagePower.placeOrder(randomHash(), ORDER.bytes, ORDER.replicas, ORDER.eras),
      signer: ctx.accounts[i % ctx.accounts.length],
    }),
  },
  {
    key: 'storagePowerTakeReplica',
    name: 'storagePower.takeReplica',
    available: (api) => Boolean(api.tx.storagePower?.takeReplica && api.tx.storagePower.placeOrder && api.tx.storagePower.registerProvider),
    prepare: storagePowerSetup,
    // The cost does not depend on the order: sampled on order 0.
    sample: (ctx) => ctx.api.tx.storagePower.takeReplica(0).sign(ctx.accounts[0], { ...ctx.signOptions, nonce: 0 }),
    // Orders of `ORDER.replicas` copies, as many as the run fills; each place is taken by another provider.
    prepareCount: async (ctx, n) => {
      const { api, accounts } = ctx;
      const ids = [];
      await setupPhase(ctx, 'storage power: orders', Array.from({ length: Math.ceil(n / ORDER.replicas) }, (_, j) => ({
        signer: accounts[j % accounts.length],
        tx: api.tx.storagePower.placeOrder(randomHash(), ORDER.bytes, ORDER.replicas, ORDER.eras),
      })), { onEvent: (i, event) => { if (api.events.storagePower.OrderPlaced.is(event)) ids.push(num(event.data.orderId)); } });
      ctx.storagePower.orderIds = ids;
    },
    // Place i goes to order ⌊i / replicas⌋ and provider i mod accounts: the providers of an order
    // differ, and a provider's orders too.
    limit: (ctx) => ctx.accounts.length * MAX_REPLICAS_PER_PROVIDER,
    make: (ctx, i) => ({
      tx: ctx.api.tx.storagePower.takeReplica(ctx.storagePower.orderIds[Math.floor(i / ORDER.replicas)]),
      signer: ctx.accounts[i % ctx.accounts.length],
    }),
  },
];

/** The storage order the storage-power workloads place: a 4 KiB sealed object, 5 copies, 30 eras. */
const ORDER = { bytes: 4096, replicas: 5, eras: 30 };
/** The runtime's `MaxReplicasPerProvider`. */
const MAX_REPLICAS_PER_PROVIDER = 512;

/** Every bench account registered as a storage provider of 1 GiB. Done once per chain. */
async function storagePowerSetup(ctx) {
  if (ctx.storagePower) return;
  const { api } = ctx;
  await setupPhase(ctx, 'storage power: providers', ctx.accounts.map((pair) => ({
    signer: pair, tx: api.tx.storagePower.registerProvider(1, randomHash()),
  })));
  ctx.storagePower = {};
}
