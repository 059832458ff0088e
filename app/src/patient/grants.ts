// A grant as the patient fills it in, checked and turned into `Ehr.grant_access`'s arguments.
// Pure (no chain), so the rules are unit-tested.
import { Binary, getSs58AddressInfo } from 'polkadot-api';
import { dateToBlock, parseDateInput, type BlockClock } from '../chain/format';
import type { MessageKey } from '../i18n/messages';

export const PURPOSES = ['Treatment', 'Payment', 'Operations', 'Research', 'Emergency', 'PublicHealth', 'Legal', 'PatientRequest'] as const;
export type Purpose = (typeof PURPOSES)[number];
export type ScopeKind = 'All' | 'Types' | 'Records';

export interface GrantForm {
  grantee: string;
  scope: ScopeKind;
  /** Comma-separated type codes (Types) or record ids (Records). */
  scopeItems: string;
  read: boolean;
  append: boolean;
  purpose: Purpose;
  /** `YYYY-MM-DD` from a date input: access ends at the start of that day, local time. */
  expiry: string;
  /** Empty: no limit. */
  maxReads: string;
}

export type ScopeArg = { type: 'All'; value: undefined } | { type: 'Types'; value: Uint8Array[] } | { type: 'Records'; value: bigint[] };

/**
 * A grant or request scope from the form: everything, or the comma-separated type codes or record
 * ids of `items`; null when a `Types` or `Records` scope names nothing valid.
 */
export function scopeArg(kind: ScopeKind, items: string): ScopeArg | null {
  const listed = items.split(',').map((item) => item.trim()).filter(Boolean);
  if (kind === 'All') return { type: 'All', value: undefined };
  if (listed.length === 0) return null;
  if (kind === 'Types') return { type: 'Types', value: listed.map((code) => Binary.fromText(code)) };
  if (!listed.every((id) => /^\d+$/.test(id))) return null;
  return { type: 'Records', value: listed.map((id) => BigInt(id)) };
}

/** A scope as the chain returns it (`Ehr.Grants`, `EhrApi.active_grants`). */
export type StoredScope = { type: 'All'; value?: undefined } | { type: 'Types'; value: Uint8Array[] } | { type: 'Records'; value: bigint[] };

/** Whether `scope` covers the record `id` of FHIR type `typeCode`. */
export function scopeCovers(scope: StoredScope, id: bigint, typeCode: string): boolean {
  if (scope.type === 'All') return true;
  if (scope.type === 'Types') return scope.value.some((code) => Binary.toText(code) === typeCode);
  return scope.value.some((recordId) => recordId === id);
}

export type GrantArgs = {
  grantee: string;
  scope: ScopeArg;
  actions: { read: boolean; append: boolean };
  purpose: { type: Purpose; value: undefined };
  not_before: number;
  expires_at: number;
  max_reads: number | undefined;
};

/** The arguments for `grant_access`, or the catalogue key of what to correct. */
export function grantArgs(form: GrantForm, head: BlockClock, blockTimeMs: number): { ok: true; args: GrantArgs } | { ok: false; problem: MessageKey } {
  if (!getSs58AddressInfo(form.grantee.trim()).isValid) return { ok: false, problem: 'patient.invalid.grantee' };
  if (!form.read && !form.append) return { ok: false, problem: 'patient.invalid.actions' };
  const expiry = parseDateInput(form.expiry);
  if (!expiry) return { ok: false, problem: 'patient.invalid.expiry' };
  const expiresAt = dateToBlock(expiry, head, blockTimeMs);
  if (expiresAt <= head.number) return { ok: false, problem: 'patient.invalid.expiry' };
  const scope = scopeArg(form.scope, form.scopeItems);
  if (!scope) return { ok: false, problem: 'patient.invalid.scope' };
  let maxReads: number | undefined;
  if (form.maxReads.trim()) {
    maxReads = Number(form.maxReads.trim());
    if (!Number.isInteger(maxReads) || maxReads < 1 || maxReads > 0xffff_ffff) return { ok: false, problem: 'patient.invalid.reads' };
  }
  return {
    ok: true,
    args: {
      grantee: form.grantee.trim(),
      scope,
      actions: { read: form.read, append: form.append },
      purpose: { type: form.purpose, value: undefined },
      // From now: a grant for later is possible on chain, but not offered here.
      not_before: head.number,
      expires_at: expiresAt,
      max_reads: maxReads,
    },
  };
}
