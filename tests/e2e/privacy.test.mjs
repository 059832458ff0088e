// Privacy scan: every pallet's integrator flow runs against one instant-seal dev node, then the
// whole chain is read back over RPC — every storage key and value at the best block, every event
// and every extrinsic's call of every block, decoded with the metadata — and checked against the
// project's rule "health data never on chain: only salted commitments, hashes of ciphertext,
// encrypted locators, pseudonymous accounts":
//   (a) no low-entropy identifier a flow used (patient number and name, documents, genotypes,
//       pack serials and scratch codes, endpoints, licence and ethics references, diagnosis and
//       objection texts) appears as bytes, nor any plain hash of it (blake2-256/128, keccak-256,
//       sha2-256, twox-128/64 of its UTF-8 bytes and of its SCALE encoding);
//   (b) no decoded byte field is longer than a hash (32 bytes) unless the metadata names it a
//       locator, wrapped key or audited segment of a sealed object (LONG_FIELDS below), and
//       those stay within their pallet's bound and look like ciphertext;
//   (c) EHR events say that a patient's file changed, not what or why: no event field names a
//       document type, purpose, period, scope or reader (EHR_EVENT_FORBIDDEN below); the type code
//       of the record the EHR flow erased is in no event and no storage value, only in the
//       `add_record` call that submitted it (call arguments are public forever).
// A last test plants leaks in a throwaway step and checks that the scanner reports them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex, stringToU8a, compactAddLength } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { startNode, connect, devAccounts, submit, sudo } from '../../scripts/lib/chain.mjs';
import { stopCleanly } from './support.mjs';
import {
  identifierNeedles, NeedleIndex, scanChain, looksLikeCiphertext, HASHES, ENCODINGS, eventFields, forbiddenEventFields,
} from '../../scripts/lib/privacy-scan.mjs';
import { runEhrFlow, TYPE_CODE as EHR_TYPE_CODE } from '../../scripts/ehr-flow.mjs';
import { runDrugFlow } from '../../scripts/drug-flow.mjs';
import { runDnaWalletFlow } from '../../scripts/dna-wallet-flow.mjs';
import { runMutualAidFlow } from '../../scripts/mutual-aid-flow.mjs';
import { runStoragePowerFlow } from '../../scripts/storage-power-flow.mjs';
import { SEGMENT_LEN } from '../../scripts/lib/seal.mjs';

/** A hash (H256, a commitment, a Merkle root, an account id) is at most this long. */
const HASH_BOUND = 32;

/**
 * The only byte fields allowed to be longer than a hash: the metadata's field name in the
 * pallet's crate, the pallet bound (a runtime constant), and why the bytes are not readable.
 */
const LONG_FIELDS = [
  {
    crates: ['pallet_ehr', 'Ehr'], name: 'locator', bound: (api) => api.consts.ehr.maxLocatorLen.toNumber(),
    why: 'EHR record pointer: where the ciphertext is, encrypted to the patient (opaque to the chain)',
  },
  {
    crates: ['pallet_dna_wallet', 'DnaWallet'], name: 'encrypted_locator', bound: (api) => api.consts.dnaWallet.maxLocatorLen.toNumber(),
    why: 'DNA-wallet dataset: where the genome ciphertext is, encrypted to the owner',
  },
  {
    crates: ['pallet_dna_wallet', 'DnaWallet'], name: 'wrapped_key', bound: (api) => api.consts.dnaWallet.maxWrappedKeyLen.toNumber(),
    why: "DNA-wallet share/consent: the dataset's data key wrapped (encrypted) to the recipient's registered X25519 key",
  },
  {
    crates: ['pallet_storage_power', 'StoragePower'], name: 'segment', bound: () => SEGMENT_LEN,
    why: 'a replica audit answer: one segment of a sealed object, i.e. ciphertext, shown to prove the provider holds it',
  },
  {
    crates: ['sp_runtime'], name: 'Sr25519', bound: () => 64,
    why: "a bandwidth receipt in a report audit's answer: the reader's sr25519 signature of its vault GET",
  },
];

/** `{ name: value | value[] }` as `[{ label, value }]` labelled `flow.name[i]`. */
function labelled(flow, identifiers) {
  return Object.entries(identifiers).flatMap(([name, value]) => {
    if (Array.isArray(value)) return value.map((v, i) => ({ label: `${flow}.${name}[${i}]`, value: v }));
    if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => ({ label: `${flow}.${name}.${k}`, value: v }));
    return [{ label: `${flow}.${name}`, value }];
  });
}

/**
 * Event fields no EHR event may carry: what a document is, why or on which terms a patient's file
 * is read, who read it. They stay in storage (grants, requests, the patient's access log), where
 * the patient's wallet and the provider's gateway read them.
 */
const EHR_EVENT_FORBIDDEN = ['type_code', 'purpose', 'basis', 'accessor', 'record_ids', 'scope', 'actions', 'not_before', 'duration'];

const describeHit = (h) => `${h.needle.label} as ${h.needle.form} in ${h.field ?? h.where}`;

describe('privacy scan of the whole chain after every integrator flow', () => {
  let node;
  let api;
  let accounts;
  const flows = {};
  const flowErrors = {};
  let secret; // identifiers that must never be on chain, in any form
  let revealed; // the verified pack's serial and scratch code: revealed by verify_pack only
  let publicIds; // GS1 identifiers the drug pallet stores by design
  let erasedTypes; // the type code of the record the EHR flow erased
  let needles;
  let scan;
  let figures;
  const timings = {};

  before(async () => {
    const started = Date.now();
    node = await startNode(['--dev', '--sealing', 'instant']);
    ({ api } = await connect(node.wsUrl));
    accounts = await devAccounts();
    const quiet = () => {};
    for (const [name, run] of [
      ['ehr', runEhrFlow], ['drug', runDrugFlow], ['dnaWallet', runDnaWalletFlow],
      ['mutualAid', runMutualAidFlow], ['storagePower', runStoragePowerFlow],
    ]) {
      const t = Date.now();
      try {
        flows[name] = await run(api, accounts, quiet);
      } catch (error) {
        // Reported by the first test; the chain is still scanned for what the others did.
        flowErrors[name] = error.stack ?? String(error);
        flows[name] = { identifiers: {} };
      }
      timings[name] = Date.now() - t;
    }

    const { drug } = flows;
    const packIndex = drug.verification?.packIndex ?? -1;
    const verified = drug.codes?.packs[packIndex];
    const packs = (drug.codes?.packs ?? []).filter((_, i) => i !== packIndex);
    secret = [
      ...labelled('ehr', flows.ehr.identifiers),
      ...labelled('drug', { documents: drug.identifiers.documents ?? [] }),
      ...packs.flatMap((p, i) => [{ label: `drug.serial[${i}]`, value: p.serial }, { label: `drug.scratchCode[${i}]`, value: p.code }]),
      ...(drug.forged ? [{ label: 'drug.forgedCode', value: drug.forged.code }] : []),
      ...labelled('dnaWallet', flows.dnaWallet.identifiers),
      ...labelled('mutualAid', flows.mutualAid.identifiers),
      ...labelled('storagePower', flows.storagePower.identifiers),
    ];
    revealed = verified ? [{ label: 'drug.verifiedSerial', value: verified.serial }, { label: 'drug.verifiedScratchCode', value: verified.code }] : [];
    publicIds = drug.gtin ? [
      { label: 'drug.gtin', value: drug.gtin }, { label: 'drug.lot', value: drug.lot },
      ...labelled('drug', { gln: drug.identifiers.glns }),
    ] : [];

    // Only the EHR flow files records of this type (genesis and mutual aid use others).
    erasedTypes = flows.ehr.recordId === undefined ? [] : [{ label: 'ehr.erasedTypeCode', value: EHR_TYPE_CODE }];
    needles = identifierNeedles([...secret, ...revealed, ...publicIds, ...erasedTypes]);
    const t = Date.now();
    scan = await scanChain(api, { needles: new NeedleIndex(needles.needles) });
    timings.scan = Date.now() - t;
    figures = scan.figures;
    console.log([
      'privacy scan figures:',
      `  flows: ${Object.entries(timings).map(([k, ms]) => `${k} ${ms} ms`).join(', ')}; total ${Date.now() - started} ms`,
      `  storage: ${figures.keys} keys (${figures.wellKnownKeys} well-known), ${figures.values} values, ${figures.storageBytes} bytes at block #${figures.bestBlock}`
        + ` (identifier strings matched inside the runtime Wasm, code not data: ${figures.rawMatchesInCode})`,
      `  blocks: ${figures.blocks}, events: ${figures.events}, extrinsics: ${figures.extrinsics} (${figures.calls} calls decoded)`,
      `  fields checked: ${figures.byteFields} byte fields, ${figures.leafFields} other leaf values`,
      `  identifiers: ${secret.length} secret + ${revealed.length} revealed-at-verification + ${publicIds.length} public GS1 `
        + `= ${needles.identifiers}; × ${Object.keys(HASHES).length} hash functions × ${Object.keys(ENCODINGS).length} encodings `
        + `= ${needles.hashChecks} hashes; ${needles.needles.length} byte patterns searched`,
    ].join('\n'));
  });

  after(() => stopCleanly(node, api));

  test("every pallet's integrator flow ran to completion", () => {
    assert.deepEqual(flowErrors, {});
    assert.ok(flows.ehr.identifiers.patientMrn && flows.dnaWallet.identifiers.genotypes.length && flows.storagePower.identifiers.endpoints.length);
  });

  test('every storage item, event and call decodes with the metadata', () => {
    assert.deepEqual(scan.problems, []);
    assert.ok(figures.keys > 100 && figures.events > 100 && figures.extrinsics > 100, JSON.stringify(figures));
    assert.equal(figures.blocks, figures.bestBlock);
  });

  test('no identifier a flow kept off chain, nor a plain hash of it, is anywhere on chain', () => {
    const labels = new Set(secret.map((s) => s.label));
    const leaks = scan.hits.filter((h) => labels.has(h.needle.label));
    assert.deepEqual([...new Set(leaks.map(describeHit))], []);
  });

  test("a pack's serial and scratch code reach the chain only as the arguments of its own verification", () => {
    const labels = new Set(revealed.map((s) => s.label));
    const hits = scan.hits.filter((h) => labels.has(h.needle.label));
    // Verified once by the patient, then scanned by the pharmacy (the clone alarm): two
    // verify_pack extrinsics carry them (the refused replay never reaches a block).
    assert.ok(hits.length > 0, 'the scanner sees the revealed serial');
    const elsewhere = hits.filter((h) => !(h.needle.form === 'raw' && / drugProvenance\.verifyPack( call)?$/.test(h.where)));
    assert.deepEqual(elsewhere.map(describeHit), []);
    const fields = new Set(hits.filter((h) => h.field).map((h) => h.field.replace(/^extrinsic #\d+-\d+ /, '')));
    assert.deepEqual([...fields].sort(), ['drugProvenance.verifyPack.DrugProvenance.verify_pack.scratch_code', 'drugProvenance.verifyPack.DrugProvenance.verify_pack.serial']);
  });

  test('GS1 product, lot and location numbers appear only in their typed fields and keys', () => {
    // GTIN, lot and GLN are public trade identifiers (printed on every pack, GS1 registry); the
    // pallet stores them in fields typed Gtin/Lot/Gln and keys batches by them. Nothing else.
    const labels = new Set(publicIds.map((s) => s.label));
    const hits = scan.hits.filter((h) => labels.has(h.needle.label));
    const typed = new Set(scan.byteFields.filter((f) => ['Gtin', 'Lot', 'Gln'].includes(f.typeName) || /^DrugProvenance\.(Products|BatchIds)\.key/.test(f.where)).map((f) => f.where));
    const keyedBy = /^storage key DrugProvenance\.(Products|BatchIds) /;
    // Blake2_128Concat keys: blake2-128 of the SCALE key (a fixed-size Gtin is its bytes).
    const untyped = hits.filter((h) => !(h.field && typed.has(h.field)) && !(keyedBy.test(h.where) && h.needle.form.startsWith('blake2-128(')));
    assert.deepEqual([...new Set(untyped.map(describeHit))], []);
    console.log(`  public GS1 identifiers: ${hits.length} occurrences, all in Gtin/Lot/Gln fields or Blake2_128Concat keys`);
  });

  test('no byte field is longer than a hash unless it is a locator or wrapped key, and those look like ciphertext', () => {
    const violations = [];
    let allowed = 0;
    for (const field of scan.byteFields) {
      if (field.bytes.length <= HASH_BOUND) continue;
      const rule = LONG_FIELDS.find((r) => r.name === field.name && r.crates.includes(field.crate));
      const what = `${field.source} ${field.where} (${field.name}: ${field.typeName}, ${field.bytes.length} bytes)`;
      if (!rule) { violations.push(`${what}: longer than ${HASH_BOUND} bytes and not a locator/wrapped key`); continue; }
      allowed += 1;
      if (field.bytes.length > rule.bound(api)) violations.push(`${what}: above the pallet bound ${rule.bound(api)}`);
      const cipher = looksLikeCiphertext(field.bytes);
      if (!cipher.ok) violations.push(`${what}: does not look like ciphertext (printable ${cipher.printable}, entropy ratio ${cipher.ratio.toFixed(2)})`);
    }
    assert.deepEqual(violations, []);
    assert.ok(allowed >= 6, `${allowed} locators and wrapped keys checked`);
    console.log(`  long fields: ${allowed} locators/wrapped keys checked (${LONG_FIELDS.map((r) => r.name).join(', ')}), all opaque`);
  });

  test("EHR events say that a patient's file changed, not what or why", () => {
    assert.deepEqual(forbiddenEventFields(api, 'ehr', EHR_EVENT_FORBIDDEN), []);
    const fields = eventFields(api, 'ehr');
    assert.deepEqual(fields.AccessLogged, ['patient', 'index'], 'a read event names only the patient and the log index');
    assert.deepEqual(fields.RecordAdded, ['record_id', 'patient', 'issuer']);
    // The patient still reads every access in their log (checked in detail by ehr.test.mjs).
    assert.ok(flows.ehr.accessLog.length >= 3 && flows.ehr.accessLog.every((e) => e.accessor && e.purpose && e.basis));
  });

  test("an erased record's type code stays only in the call that submitted it", () => {
    assert.equal(erasedTypes.length, 1);
    const hits = scan.hits.filter((h) => h.needle.label === 'ehr.erasedTypeCode');
    assert.ok(hits.length > 0, 'the scanner sees the add_record argument');
    // Allowed: raw in the add_record call's own type_code argument, sent alone or in a batch (the
    // flow adds the record and orders its storage in one batch_all).
    const inAddRecord = (h) => h.needle.form === 'raw'
      && (/ ehr\.addRecord( call)?$/.test(h.where) || /\.Ehr\.add_record\.type_code$/.test(h.field ?? ''));
    const elsewhere = hits.filter((h) => !inAddRecord(h));
    assert.deepEqual([...new Set(elsewhere.map(describeHit))], []);
  });

  test('self-check: the scanner reports leaks planted in a throwaway step', async () => {
    const { alice } = accounts;
    const mrn = flows.ehr.identifiers.patientMrn;
    const name = flows.ehr.identifiers.patientName;
    const document = flows.ehr.identifiers.document;
    // 1. a remark carrying blake2-256 of the patient number; 2. a remark with event carrying the
    // document (the event's hash is blake2-256 of it; the remark itself is long plaintext);
    // 3. a raw storage entry holding twox-64 of the SCALE-encoded name.
    const plantedKey = u8aToHex(new Uint8Array([...xxhashAsU8a('PrivacySelfCheck', 128), ...xxhashAsU8a('Planted', 128)]));
    const first = figures.bestBlock + 1;
    for (const [tx, signer] of [
      [api.tx.system.remark(u8aToHex(blake2AsU8a(stringToU8a(mrn), 256))), alice],
      [api.tx.system.remarkWithEvent(u8aToHex(stringToU8a(document))), alice],
    ]) assert.equal((await submit(api, tx, signer)).dispatchError, null);
    const planted = await sudo(api, api.tx.system.setStorage([[plantedKey, u8aToHex(xxhashAsU8a(compactAddLength(stringToU8a(name)), 64))]]), alice);
    assert.equal(planted.dispatchError, null);

    const rescan = await scanChain(api, { needles: new NeedleIndex(needles.needles), fromBlock: first });
    const found = (label, form, where) => rescan.hits.some((h) => h.needle.label === label && h.needle.form === form && where.test(h.where));
    assert.ok(found('ehr.patientMrn', 'blake2-256(utf8)', / system\.remark call$/), 'planted remark found');
    assert.ok(found('ehr.document', 'blake2-256(utf8)', /^events of block/), 'planted event hash found');
    assert.ok(found('ehr.document', 'raw', / system\.remarkWithEvent call$/), 'planted plaintext found');
    assert.ok(found('ehr.patientName', 'twox-64(scale)', /^storage value unknown key/), 'planted storage value found');
    assert.ok(rescan.problems.some((p) => p.includes(plantedKey.slice(2))), 'the planted key is reported as unknown');
    const longRemark = rescan.byteFields.find((f) => f.source === 'call' && f.name === 'remark' && f.bytes.length > HASH_BOUND);
    assert.ok(longRemark && !LONG_FIELDS.some((r) => r.name === longRemark.name), 'the long plaintext remark is not an allowed long field');
    assert.equal(looksLikeCiphertext(longRemark.bytes).ok, false, 'the plaintext document does not pass as ciphertext');
    // And the findings before the plant were none: the same scanner, the same needles.
    assert.ok(rescan.hits.length >= 4);
    assert.equal((await sudo(api, api.tx.system.killStorage([plantedKey]), alice)).dispatchError, null);
    console.log(`  self-check: ${rescan.hits.length} planted hits found in blocks #${first}–#${rescan.figures.bestBlock}`);
  });
});
