// A grant as the patient fills it in, checked and turned into `Ehr.grant_access`'s arguments.
// Pure (no chain), so the rules are unit-tested.
import { Binary, getSs58AddressInfo } from 'polkadot-api';
import { dateToBlock, type BlockClock } from '../chain/format';
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

export type GrantArgs = {
  grantee: string;
  scope: { type: 'All'; value: undefined } | { type: 'Types'; value: Uint8Array[] } | { type: 'Records'; value: bigint[] };
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
  const expiry = new Date(`${form.expiry}T00:00:00`);
  if (Number.isNaN(expiry.getTime())) return { ok: false, problem: 'patient.invalid.expiry' };
  const expiresAt = dateToBlock(expiry, head, blockTimeMs);
  if (expiresAt <= head.number) return { ok: false, problem: 'patient.invalid.expiry' };
  const items = form.scopeItems.split(',').map((item) => item.trim()).filter(Boolean);
  let scope: GrantArgs['scope'];
  if (form.scope === 'All') scope = { type: 'All', value: undefined };
  else if (items.length === 0) return { ok: false, problem: 'patient.invalid.scope' };
  else if (form.scope === 'Types') scope = { type: 'Types', value: items.map((code) => Binary.fromText(code)) };
  else {
    if (!items.every((id) => /^\d+$/.test(id))) return { ok: false, problem: 'patient.invalid.scope' };
    scope = { type: 'Records', value: items.map((id) => BigInt(id)) };
  }
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
