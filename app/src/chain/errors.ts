// What a failed extrinsic means, in the words of the pallet that refused it: every pallet error's
// `///` documentation is in the runtime metadata, so the app reads it from there instead of
// keeping its own list (which would go stale as the pallets change).
import { decAnyMetadata, unifyMetadata } from '@polkadot-api/substrate-bindings';
import type { MessageKey } from '../i18n/messages';

/** `"Pallet.Error"` → the error's documentation, one paragraph. */
export type ErrorDocs = ReadonlyMap<string, string>;

/** Every module error's documentation from SCALE-encoded metadata (v14–v16, opaque or not). */
export function errorDocsFromMetadata(metadataBytes: Uint8Array): ErrorDocs {
  const unified = unifyMetadata(decAnyMetadata(metadataBytes));
  const docs = new Map<string, string>();
  for (const pallet of unified.pallets) {
    if (!pallet.errors) continue;
    const entry = unified.lookup[pallet.errors.type];
    if (entry?.def.tag !== 'variant') continue;
    for (const variant of entry.def.value) {
      docs.set(`${pallet.name}.${variant.name}`, plainWords(variant.docs.join(' ')));
    }
  }
  return docs;
}

/** Rustdoc as plain words: no code marks or intra-doc link brackets, one line. */
export function plainWords(rustdoc: string): string {
  return rustdoc.replace(/\[`?([^\]`]+)`?\]/g, '$1').replace(/`/g, '').replace(/\s+/g, ' ').trim();
}

/** A dispatch error as polkadot-api decodes it: nested `{ type, value }` enums. */
export interface DecodedEnum {
  type: string;
  value?: unknown;
}

/**
 * What went wrong, for people: `{ name: 'DrugProvenance.BatchRecalled', docs }` with the
 * pallet's (English) documentation, or for the errors that are no pallet's a catalogue message.
 */
export interface ExplainedError {
  name: string;
  docs: string;
  message?: MessageKey;
}

function isEnum(value: unknown): value is DecodedEnum {
  return typeof value === 'object' && value !== null && typeof (value as DecodedEnum).type === 'string';
}

/**
 * Names a dispatch error and finds its documentation: module errors by pallet and error
 * (`Module → Pallet → Error`); the other kinds (`Token.FundsUnavailable`,
 * `Arithmetic.Overflow`, `BadOrigin`…) by their variant path, documented in frame_system's
 * `DispatchError` and `TokenError` docs where the metadata has them.
 */
export function explainDispatchError(error: unknown, docs: ErrorDocs): ExplainedError {
  if (!isEnum(error)) return { name: String(error), docs: '' };
  if (error.type === 'Module' && isEnum(error.value)) {
    const pallet = error.value.type;
    const inner = isEnum(error.value.value) ? error.value.value.type : String(error.value.value ?? '');
    const name = `${pallet}.${inner}`;
    return { name, docs: docs.get(name) ?? '' };
  }
  const path = [error.type];
  let value: unknown = error.value;
  while (isEnum(value)) {
    path.push(value.type);
    value = value.value;
  }
  const name = path.join('.');
  return { name, docs: '', message: GENERIC_ERRORS[name] ?? GENERIC_ERRORS[error.type] ?? 'dispatch.other' };
}

// The dispatch errors that are no pallet's (sp_runtime's `DispatchError`, `TokenError`,
// `ArithmeticError`): the metadata documents their types, not each variant, so the catalogue says
// what they mean.
const GENERIC_ERRORS: Record<string, MessageKey> = {
  BadOrigin: 'dispatch.BadOrigin',
  'Token.FundsUnavailable': 'dispatch.FundsUnavailable',
  'Token.BelowMinimum': 'dispatch.BelowMinimum',
  Token: 'dispatch.Token',
  Arithmetic: 'dispatch.Arithmetic',
  Exhausted: 'dispatch.Exhausted',
};
