// Privacy scanner: reads a chain's whole state and its block history over JSON-RPC, decodes every
// storage key and value, every event and every extrinsic's call with the runtime metadata, and
// reports (a) any occurrence, as bytes, of a known low-entropy identifier or of a plain hash of it,
// and (b) every byte field, with the metadata's field and type name where it sits, so that a caller
// can bound them. Used by tests/e2e/privacy.test.mjs; talks to the node only over RPC.
//
//   const needles = identifierNeedles([{ label: 'ehr: patient MRN', value: 'MRN-…' }, …]);
//   const scan = await scanChain(api, { needles });  // { hits, byteFields, figures, problems }
import { compactAddLength, compactFromU8a, hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, keccak256AsU8a, sha256AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';

// ---------------------------------------------------------------------------------------------
// Needles: an identifier's bytes and its plain hashes.
// ---------------------------------------------------------------------------------------------

/** The hash functions a careless client (or pallet) could apply to an identifier. */
export const HASHES = {
  'blake2-256': (u8a) => blake2AsU8a(u8a, 256),
  'blake2-128': (u8a) => blake2AsU8a(u8a, 128),
  'keccak-256': (u8a) => keccak256AsU8a(u8a),
  'sha2-256': (u8a) => sha256AsU8a(u8a),
  'twox-128': (u8a) => xxhashAsU8a(u8a, 128),
  'twox-64': (u8a) => xxhashAsU8a(u8a, 64),
};

/** The encodings an identifier is hashed in: its UTF-8 bytes and the SCALE-encoded string. */
export const ENCODINGS = {
  utf8: (u8a) => u8a,
  scale: (u8a) => compactAddLength(u8a),
};

/** Raw identifiers shorter than this are not searched for as bytes (they match by chance). */
export const MIN_RAW_LEN = 4;

/**
 * The byte strings to look for, for `identifiers` (`[{ label, value }]`, value a string or
 * bytes): the identifier's own bytes (when at least `MIN_RAW_LEN` long) and every hash of
 * `HASHES` over every encoding of `ENCODINGS`. Returns `{ needles, identifiers, hashChecks }`;
 * each needle is `{ label, form, bytes }` (`form` e.g. `raw` or `blake2-256(scale)`).
 */
export function identifierNeedles(identifiers) {
  const needles = [];
  let hashChecks = 0;
  const seen = new Set();
  for (const { label, value } of identifiers) {
    const bytes = typeof value === 'string' ? stringToU8a(value) : value;
    if (bytes.length >= MIN_RAW_LEN) needles.push({ label, form: 'raw', bytes });
    for (const [encodingName, encode] of Object.entries(ENCODINGS)) {
      for (const [hashName, hash] of Object.entries(HASHES)) {
        const digest = hash(encode(bytes));
        hashChecks += 1;
        const key = `${label}\u0000${u8aToHex(digest)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        needles.push({ label, form: `${hashName}(${encodingName})`, bytes: digest });
      }
    }
  }
  return { needles, identifiers: identifiers.length, hashChecks };
}

/** An index of `needles` by their first 4 bytes, for one pass over each scanned blob. */
export class NeedleIndex {
  constructor(needles) {
    this.byPrefix = new Map();
    this.count = needles.length;
    for (const needle of needles) {
      if (needle.bytes.length < 4) throw new RangeError(`needle ${needle.label} shorter than 4 bytes`);
      const key = Buffer.from(needle.bytes).readUInt32LE(0);
      if (!this.byPrefix.has(key)) this.byPrefix.set(key, []);
      this.byPrefix.get(key).push(needle);
    }
  }

  /** Every needle found in `u8a`, as `[{ needle, offset }]`. */
  find(u8a) {
    const found = [];
    if (this.count === 0 || u8a.length < 4) return found;
    const buf = Buffer.from(u8a.buffer, u8a.byteOffset, u8a.length);
    for (let i = 0; i + 4 <= buf.length; i += 1) {
      const candidates = this.byPrefix.get(buf.readUInt32LE(i));
      if (!candidates) continue;
      for (const needle of candidates) {
        const n = needle.bytes;
        if (i + n.length > buf.length) continue;
        let equal = true;
        for (let j = 4; j < n.length; j += 1) if (buf[i + j] !== n[j]) { equal = false; break; }
        if (equal) found.push({ needle, offset: i });
      }
    }
    return found;
  }
}

// ---------------------------------------------------------------------------------------------
// A SCALE decoder driven by the metadata's portable type registry: it visits every byte field
// with the name and type name the metadata gives it.
// ---------------------------------------------------------------------------------------------

const PRIMITIVE_SIZE = {
  Bool: 1, Char: 4, U8: 1, U16: 2, U32: 4, U64: 8, U128: 16, U256: 32, I8: 1, I16: 2, I32: 4, I64: 8, I128: 16, I256: 32,
};

/** The portable registry of `api`'s metadata as plain descriptors, by type id. */
export function typeTable(api) {
  const table = new Map();
  for (const { id, type } of api.registry.lookup.types) {
    const def = type.def;
    const path = type.path.map((p) => p.toString()).join('::');
    const fields = (list) => list.map((f) => ({
      name: f.name.isSome ? f.name.unwrap().toString() : null,
      typeName: f.typeName.isSome ? f.typeName.unwrap().toString() : null,
      type: f.type.toNumber(),
    }));
    let desc;
    if (def.isComposite) desc = { kind: 'composite', fields: fields(def.asComposite.fields) };
    else if (def.isVariant) {
      desc = { kind: 'variant', variants: new Map(def.asVariant.variants.map((v) => [v.index.toNumber(), { name: v.name.toString(), fields: fields(v.fields) }])) };
    } else if (def.isSequence) desc = { kind: 'seq', type: def.asSequence.type.toNumber() };
    else if (def.isArray) desc = { kind: 'array', len: def.asArray.len.toNumber(), type: def.asArray.type.toNumber() };
    else if (def.isTuple) desc = { kind: 'tuple', types: def.asTuple.map((t) => t.toNumber()) };
    else if (def.isPrimitive) desc = { kind: 'prim', prim: def.asPrimitive.type };
    else if (def.isCompact) desc = { kind: 'compact', type: def.asCompact.type.toNumber() };
    else if (def.isBitSequence) desc = { kind: 'bitseq' };
    else throw new Error(`type ${id}: unsupported definition ${def.type}`);
    desc.path = path;
    table.set(id.toNumber(), desc);
  }
  return table;
}

class DecodeError extends Error {}

/** Type paths whose crate names the pallet (or FRAME part) a value belongs to. */
const OWNER_CRATE = /^(pallet_|frame_|medchain|sp_consensus|sp_runtime)/;

/**
 * Decodes `u8a` from `offset` as type `typeId` of `table`, calling `visit.bytes({ where, name,
 * typeName, typePath, crate, bytes })` for every byte sequence, byte array or string and
 * `visit.leaf()` for every other leaf value. `where` is the path of names down to the field
 * (variant names included); `name`/`typeName` are those of the nearest named field; `crate` is
 * the crate of the innermost pallet/FRAME type around it (e.g. `pallet_ehr`). Returns the new
 * offset; throws when the bytes do not decode.
 */
export function decodeWith(table, typeId, u8a, offset, visit, ctx = { where: [], name: null, typeName: null, crate: null }) {
  const desc = table.get(typeId);
  if (!desc) throw new DecodeError(`unknown type ${typeId}`);
  const need = (n) => { if (offset + n > u8a.length) throw new DecodeError(`out of bytes at ${ctx.where.join('.')}`); };
  const isU8 = (id) => { const d = table.get(id); return d?.kind === 'prim' && d.prim.toString() === 'U8'; };
  const crate = OWNER_CRATE.test(desc.path) ? desc.path.split('::')[0] : ctx.crate;
  const here = (bytes, typePath) => visit.bytes({
    where: ctx.where.join('.'), name: ctx.name, typeName: ctx.typeName, typePath, crate, bytes,
  });
  switch (desc.kind) {
    case 'composite': {
      for (const field of desc.fields) {
        offset = decodeWith(table, field.type, u8a, offset, visit, {
          where: field.name ? [...ctx.where, field.name] : ctx.where,
          name: field.name ?? ctx.name,
          typeName: field.name ? field.typeName : (ctx.typeName ?? field.typeName),
          crate,
        });
      }
      return offset;
    }
    case 'variant': {
      need(1);
      const index = u8a[offset];
      const variant = desc.variants.get(index);
      if (!variant) throw new DecodeError(`no variant ${index} of ${desc.path} at ${ctx.where.join('.')}`);
      offset += 1;
      const transparent = desc.path === 'Option' || desc.path === 'Result';
      const inner = transparent ? ctx.where : [...ctx.where, variant.name];
      for (const [i, field] of variant.fields.entries()) {
        const single = variant.fields.length === 1;
        offset = decodeWith(table, field.type, u8a, offset, visit, {
          where: field.name ? [...inner, field.name] : (single ? inner : [...inner, String(i)]),
          name: field.name ?? (single && !transparent ? variant.name : ctx.name),
          typeName: field.typeName ?? ctx.typeName,
          crate,
        });
      }
      return offset;
    }
    case 'seq': {
      const [lengthBytes, length] = compactFromU8a(u8a.subarray(offset));
      offset += lengthBytes;
      const count = length.toNumber();
      if (isU8(desc.type)) {
        need(count);
        here(u8a.subarray(offset, offset + count), desc.path);
        return offset + count;
      }
      for (let i = 0; i < count; i += 1) offset = decodeWith(table, desc.type, u8a, offset, visit, { ...ctx, crate });
      return offset;
    }
    case 'array': {
      if (isU8(desc.type)) {
        need(desc.len);
        here(u8a.subarray(offset, offset + desc.len), desc.path);
        return offset + desc.len;
      }
      for (let i = 0; i < desc.len; i += 1) offset = decodeWith(table, desc.type, u8a, offset, visit, { ...ctx, crate });
      return offset;
    }
    case 'tuple': {
      for (const [i, t] of desc.types.entries()) {
        offset = decodeWith(table, t, u8a, offset, visit, {
          ...ctx, where: desc.types.length > 1 ? [...ctx.where, String(i)] : ctx.where, crate,
        });
      }
      return offset;
    }
    case 'prim': {
      const prim = desc.prim.toString();
      if (prim === 'Str') {
        const [lengthBytes, length] = compactFromU8a(u8a.subarray(offset));
        offset += lengthBytes;
        need(length.toNumber());
        here(u8a.subarray(offset, offset + length.toNumber()), 'str');
        return offset + length.toNumber();
      }
      const size = PRIMITIVE_SIZE[prim];
      if (!size) throw new DecodeError(`primitive ${prim}`);
      need(size);
      visit.leaf();
      return offset + size;
    }
    case 'compact': {
      const [lengthBytes] = compactFromU8a(u8a.subarray(offset));
      need(lengthBytes);
      visit.leaf();
      return offset + lengthBytes;
    }
    case 'bitseq': {
      const [lengthBytes, bits] = compactFromU8a(u8a.subarray(offset));
      const n = Math.ceil(bits.toNumber() / 8);
      need(lengthBytes + n);
      visit.leaf();
      return offset + lengthBytes + n;
    }
    default:
      throw new DecodeError(`kind ${desc.kind}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Storage layout from the metadata.
// ---------------------------------------------------------------------------------------------

const HASHER_PREFIX = { Blake2_128: 16, Blake2_256: 32, Blake2_128Concat: 16, Twox128: 16, Twox256: 32, Twox64Concat: 8, Identity: 0 };
const TRANSPARENT = new Set(['Blake2_128Concat', 'Twox64Concat', 'Identity']);

/** Every storage item of the metadata by its 32-byte key prefix (hex, no 0x). */
export function storageItems(api) {
  const items = new Map();
  const latest = api.runtimeMetadata.asLatest;
  const u16 = api.registry.lookup.types.find(({ type }) => type.def.isPrimitive && type.def.asPrimitive.type === 'U16').id.toNumber();
  for (const pallet of latest.pallets) {
    const prefix = pallet.storage.isSome ? pallet.storage.unwrap().prefix.toString() : pallet.name.toString();
    // `twox128(pallet) ‖ twox128(":__STORAGE_VERSION__:")`: the pallet's on-chain storage version
    // (written for pallets without storage items too).
    const versionKey = Buffer.concat([xxhashAsU8a(prefix, 128), xxhashAsU8a(':__STORAGE_VERSION__:', 128)]).toString('hex');
    items.set(versionKey, { pallet: prefix, name: ':__STORAGE_VERSION__:', hashers: [], keyTypes: [], value: u16 });
    if (pallet.storage.isNone) continue;
    const storage = pallet.storage.unwrap();
    for (const item of storage.items) {
      const name = item.name.toString();
      const keyPrefix = Buffer.concat([xxhashAsU8a(prefix, 128), xxhashAsU8a(name, 128)]).toString('hex');
      let entry;
      if (item.type.isPlain) entry = { hashers: [], keyTypes: [], value: item.type.asPlain.toNumber() };
      else {
        const map = item.type.asMap;
        const hashers = map.hashers.map((h) => h.type);
        const key = map.key.toNumber();
        const keyDesc = api.registry.lookup.getSiType(key).def;
        const keyTypes = hashers.length === 1 ? [key] : keyDesc.asTuple.map((t) => t.toNumber());
        entry = { hashers, keyTypes, value: map.value.toNumber() };
      }
      items.set(keyPrefix, { pallet: prefix, name, ...entry });
    }
  }
  return items;
}

/** The well-known keys of `sp_core::storage::well_known_keys` (not in the metadata). */
export const WELL_KNOWN_KEYS = {
  '0x3a636f6465': ':code (the runtime Wasm blob)',
  '0x3a686561707061676573': ':heappages',
  '0x3a65787472696e7369635f696e646578': ':extrinsic_index',
  '0x3a696e747261626c6f636b5f656e74726f7079': ':intrablock_entropy',
};

// ---------------------------------------------------------------------------------------------
// What events tell the world.
// ---------------------------------------------------------------------------------------------

/**
 * The field names (as in the Rust source, snake_case) of every event of pallet `section`
 * (e.g. `ehr`) in the runtime metadata, as `{ EventName: ['field', …] }`: what each event of that
 * pallet tells everyone who indexes blocks.
 */
export function eventFields(api, section) {
  return Object.fromEntries(Object.entries(api.events[section] ?? {}).map(([name, event]) => [
    name, event.meta.fields.map((field) => (field.name.isSome ? field.name.unwrap().toString() : '')),
  ]));
}

/**
 * The fields of `eventFields(api, section)` whose name is in `forbidden`, as `Event.field`
 * strings (empty when no event carries one).
 */
export function forbiddenEventFields(api, section, forbidden) {
  return Object.entries(eventFields(api, section))
    .flatMap(([name, fields]) => fields.filter((f) => forbidden.includes(f)).map((f) => `${name}.${f}`));
}

// ---------------------------------------------------------------------------------------------
// The scan.
// ---------------------------------------------------------------------------------------------

/** Shannon entropy of `u8a` in bits per byte. */
export function entropyBitsPerByte(u8a) {
  const counts = new Map();
  for (const b of u8a) counts.set(b, (counts.get(b) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / u8a.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** True when `u8a` decodes as UTF-8 text made of printable characters (and whitespace). */
export function isPrintableText(u8a) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(u8a);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/.test(text);
}

/**
 * Whether `u8a` looks like ciphertext (or a random key): not printable text, and a byte entropy
 * of at least 85 % of the most `u8a.length` distinct bytes allow (random 64–256 bytes reach
 * 92–98 %; English text, URLs and JSON stay below 75 %).
 */
export function looksLikeCiphertext(u8a) {
  if (u8a.length === 0) return { ok: true, ratio: 1, printable: false };
  const max = Math.log2(Math.min(u8a.length, 256));
  const ratio = max === 0 ? 1 : entropyBitsPerByte(u8a) / max;
  return { ok: !isPrintableText(u8a) && ratio >= 0.85, ratio, printable: isPrintableText(u8a) };
}

async function rpc(api, method, params) {
  return api._rpcCore.provider.send(method, params);
}

/** Every storage key at `at` (`state_getKeysPaged` paging, `pageSize` per page). */
export async function allKeys(api, at, pageSize = 1000) {
  const keys = [];
  let start = null;
  for (;;) {
    const page = await rpc(api, 'state_getKeysPaged', ['0x', pageSize, start, at]);
    keys.push(...page);
    if (page.length < pageSize) return keys;
    start = page[page.length - 1];
  }
}

/** `[key, valueHex]` for `keys` at `at`, through `state_queryStorageAt` in batches. */
export async function allValues(api, keys, at, batch = 500) {
  const out = [];
  for (let i = 0; i < keys.length; i += batch) {
    const slice = keys.slice(i, i + batch);
    const [changeSet] = await rpc(api, 'state_queryStorageAt', [slice, at]);
    const byKey = new Map(changeSet.changes);
    for (const key of slice) out.push([key, byKey.get(key) ?? null]);
  }
  return out;
}

/**
 * Scans the chain behind `api`:
 * - every storage key and value at `at` (default: the best block), decoded with the metadata
 *   (map keys through their transparent hashers);
 * - for every block from `fromBlock` (default 1) to `at`: its `System.Events` (decoded) and its
 *   extrinsics (each call decoded with the runtime's call type).
 * `needles` is a `NeedleIndex`. Returns `{ hits, byteFields, problems, figures }`: `hits` are
 * needle occurrences `{ needle, where, offset }`; `byteFields` every byte field
 * `{ source, where, name, typeName, typePath, bytes }` (`source` is `storage`, `storage key`,
 * `event` or `call`); `problems` what could not be decoded.
 */
export async function scanChain(api, { needles, at, fromBlock = 1, storage = true } = {}) {
  const table = typeTable(api);
  const items = storageItems(api);
  const latest = api.runtimeMetadata.asLatest;
  const callType = latest.outerEnums.callType.toNumber();
  const rawEventsKey = api.query.system.events.key();
  const eventsKey = typeof rawEventsKey === 'string' ? rawEventsKey : u8aToHex(rawEventsKey);
  const eventsType = items.get(eventsKey.slice(2)).value;
  const head = at ?? (await api.rpc.chain.getHeader()).hash.toHex();
  const headNumber = (await api.rpc.chain.getHeader(head)).number.toNumber();

  const hits = [];
  const byteFields = [];
  const problems = [];
  const figures = {
    bestBlock: headNumber, keys: 0, wellKnownKeys: 0, values: 0, storageBytes: 0, blocks: 0, events: 0,
    extrinsics: 0, calls: 0, byteFields: 0, leafFields: 0, needles: needles.count, rawMatchesInCode: 0,
  };
  // A hit is attributed to the decoded byte field it lies in (`field`), when there is one.
  const search = (u8a, where, fields = [], end = u8a.length) => {
    for (const { needle, offset } of needles.find(u8a)) {
      if (offset >= end) continue;
      // The runtime's Wasm is code: string constants in it (benchmark and genesis demo data)
      // are not chain data. Plain hashes in it are still reported.
      if (where.includes(WELL_KNOWN_KEYS['0x3a636f6465']) && needle.form === 'raw') { figures.rawMatchesInCode += 1; continue; }
      const start = u8a.byteOffset + offset;
      const field = fields.find((f) => f.bytes.buffer === u8a.buffer
        && f.bytes.byteOffset <= start && start + needle.bytes.length <= f.bytes.byteOffset + f.bytes.length);
      hits.push({ needle, where, offset, field: field?.where ?? null });
    }
  };
  const visitor = (source, prefix, sink) => ({
    bytes: (field) => {
      figures.byteFields += 1;
      const entry = { source, ...field, where: [prefix, field.where].filter(Boolean).join('.') };
      byteFields.push(entry);
      sink.push(entry);
    },
    leaf: () => { figures.leafFields += 1; },
  });
  /** Decodes `u8a` as `typeId`; returns the byte fields found in it. */
  const decodeAll = (typeId, u8a, source, prefix, crate = null) => {
    const fields = [];
    try {
      const end = decodeWith(table, typeId, u8a, 0, visitor(source, prefix, fields), { where: [], name: null, typeName: null, crate });
      if (end !== u8a.length) problems.push(`${prefix}: ${u8a.length - end} bytes left after decoding`);
    } catch (error) {
      problems.push(`${prefix}: ${error.message}`);
    }
    return fields;
  };

  if (storage) {
    const keys = await allKeys(api, head);
    const values = await allValues(api, keys, head);
    for (const [keyHex, valueHex] of values) {
      figures.keys += 1;
      const key = hexToU8a(keyHex);
      const value = valueHex === null ? new Uint8Array() : hexToU8a(valueHex);
      figures.storageBytes += key.length + value.length;
      const item = items.get(keyHex.slice(2, 66));
      const label = item ? `${item.pallet}.${item.name}` : (WELL_KNOWN_KEYS[keyHex] ?? `unknown key ${keyHex.slice(0, 66)}…`);
      if (valueHex !== null) figures.values += 1;
      if (!item) {
        if (WELL_KNOWN_KEYS[keyHex]) figures.wellKnownKeys += 1;
        else problems.push(`storage key ${keyHex} belongs to no storage item of the metadata`);
        search(key, `storage key ${label}`);
        search(value, `storage value ${label}`);
        continue;
      }
      // Map keys: decode what the transparent hashers leave readable.
      const keyFields = [];
      let offset = 32;
      try {
        for (const [i, hasher] of item.hashers.entries()) {
          offset += HASHER_PREFIX[hasher];
          if (TRANSPARENT.has(hasher)) {
            offset = decodeWith(table, item.keyTypes[i], key, offset, visitor('storage key', `${label}.key${i}`, keyFields), {
              where: [], name: `key${i}`, typeName: null, crate: item.pallet,
            });
          }
        }
        if (offset !== key.length) problems.push(`storage key ${label} ${keyHex}: ${key.length - offset} bytes left after decoding`);
      } catch (error) {
        problems.push(`storage key ${label} ${keyHex}: ${error.message}`);
      }
      search(key, `storage key ${label} ${keyHex}`, keyFields);
      search(value, `storage value ${label} (key ${keyHex})`, decodeAll(item.value, value, 'storage', label, item.pallet));
    }
  }

  for (let number = fromBlock; number <= headNumber; number += 1) {
    const hash = (await api.rpc.chain.getBlockHash(number)).toHex();
    figures.blocks += 1;
    const eventsHex = await rpc(api, 'state_getStorage', [eventsKey, hash]);
    if (eventsHex) {
      const events = hexToU8a(eventsHex);
      figures.events += Number(compactFromU8a(events)[1]);
      search(events, `events of block #${number}`, decodeAll(eventsType, events, 'event', `block #${number} events`));
    }
    const block = await rpc(api, 'chain_getBlock', [hash]);
    for (const [index, extrinsicHex] of block.block.extrinsics.entries()) {
      figures.extrinsics += 1;
      const raw = hexToU8a(extrinsicHex);
      let extrinsic = null;
      try {
        extrinsic = api.createType('Extrinsic', extrinsicHex);
      } catch (error) {
        problems.push(`extrinsic #${number}-${index}: ${error.message}`);
      }
      const label = `extrinsic #${number}-${index}${extrinsic ? ` ${extrinsic.method.section}.${extrinsic.method.method}` : ''}`;
      if (extrinsic) {
        figures.calls += 1;
        const call = extrinsic.method.toU8a();
        // The call is the extrinsic's tail: hits in it are attributed to its argument fields,
        // the rest (length, version, signer, signature, extensions) is searched as is.
        search(raw, label, [], raw.length - call.length);
        search(call, `${label} call`, decodeAll(callType, call, 'call', label));
      } else search(raw, label);
    }
  }
  return { hits, byteFields, problems, figures };
}
