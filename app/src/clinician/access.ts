// What a clinician (a registered EHR provider) may reach: the patients whose live grants or
// unreviewed break-glass accesses name them, which of a patient's records a grant covers, the
// terms of an access request, and waiting for the vault to see a logged read. Pure (no chain),
// so the rules are unit-tested; the page reads the entries from `Ehr.Grants` and
// `Ehr.BreakGlasses`.
import { getSs58AddressInfo } from 'polkadot-api';
import type { MessageKey } from '../i18n/messages';
import { scopeArg, type Purpose, type ScopeArg, type ScopeKind, type StoredScope } from '../patient/grants';

/** A grant as `Ehr.Grants` stores it (polkadot-api). */
export interface StoredGrant {
  scope: StoredScope;
  actions: { read: boolean; append: boolean };
  purpose: { type: string };
  not_before: number;
  expires_at: number;
  reads_left?: number;
}

/** A break-glass access as `Ehr.BreakGlasses` stores it. */
export interface StoredBreakGlass {
  opened_at: number;
  expires_at: number;
}

/** One patient I may reach now, and on which terms. */
export interface PatientAccess {
  patient: string;
  basis: 'Grant' | 'BreakGlass';
  scope: StoredGrant['scope'];
  read: boolean;
  append: boolean;
  /** The purpose every read must be logged for (`Emergency` under break-glass). */
  purpose: string;
  expiresAt: number;
  readsLeft?: number;
}

/** A storage entry as polkadot-api's `getEntries` returns it: `[patient, grantee]` and the value. */
export interface Entry<V> {
  keyArgs: [string, string];
  value: V;
}

/**
 * The patients whose grants to `me` are live at block `now` (`not_before <= now < expires_at`,
 * reads left or the right to append) and whose break-glass accesses by `me` still read, patient
 * by patient (a break-glass access shown beside a grant of the same patient).
 */
export function patientsOf(me: string, now: number, grants: Array<Entry<StoredGrant>>, breakGlasses: Array<Entry<StoredBreakGlass>>): PatientAccess[] {
  const reachable: PatientAccess[] = [];
  for (const { keyArgs: [patient, grantee], value: grant } of grants) {
    if (grantee !== me || now < grant.not_before || now >= grant.expires_at) continue;
    const read = grant.actions.read && grant.reads_left !== 0;
    if (!read && !grant.actions.append) continue;
    reachable.push({
      patient, basis: 'Grant', scope: grant.scope, read, append: grant.actions.append, purpose: grant.purpose.type,
      expiresAt: grant.expires_at, readsLeft: grant.reads_left,
    });
  }
  for (const { keyArgs: [patient, provider], value: access } of breakGlasses) {
    if (provider !== me || now >= access.expires_at) continue;
    reachable.push({ patient, basis: 'BreakGlass', scope: { type: 'All' }, read: true, append: false, purpose: 'Emergency', expiresAt: access.expires_at });
  }
  return reachable.sort((a, b) => a.patient.localeCompare(b.patient) || a.basis.localeCompare(b.basis));
}

export interface RequestForm {
  patient: string;
  scope: ScopeKind;
  scopeItems: string;
  read: boolean;
  append: boolean;
  purpose: Purpose;
  /** Days of access from the patient's approval. */
  days: string;
}

export interface RequestArgs {
  patient: string;
  scope: ScopeArg;
  actions: { read: boolean; append: boolean };
  purpose: { type: Purpose; value: undefined };
  duration: number;
}

/** The arguments for `Ehr.request_access` (duration in blocks of `blockTimeMs`), or what to correct. */
export function requestArgs(form: RequestForm, me: string, blockTimeMs: number): { ok: true; args: RequestArgs } | { ok: false; problem: MessageKey } {
  const patient = form.patient.trim();
  if (!getSs58AddressInfo(patient).isValid) return { ok: false, problem: 'patient.invalid.grantee' };
  if (patient === me) return { ok: false, problem: 'clinician.invalid.self' };
  if (!form.read && !form.append) return { ok: false, problem: 'patient.invalid.actions' };
  const scope = scopeArg(form.scope, form.scopeItems);
  if (!scope) return { ok: false, problem: 'patient.invalid.scope' };
  const days = Number(form.days.trim());
  if (!form.days.trim() || !Number.isInteger(days) || days < 1 || days > 3660) return { ok: false, problem: 'clinician.invalid.days' };
  return {
    ok: true,
    args: {
      patient,
      scope,
      actions: { read: form.read, append: form.append },
      purpose: { type: form.purpose, value: undefined },
      duration: Math.ceil((days * 86_400_000) / blockTimeMs),
    },
  };
}

/**
 * Calls `attempt` until it resolves, again every `intervalMs` while `retry(error)` says the error
 * is one that passes (a vault serves a read only once the chain's finalized head has the
 * `log_access`), for at most `timeoutMs`; then rejects with the last error.
 */
export async function retrying<T>(attempt: () => Promise<T>, retry: (error: unknown) => boolean, { timeoutMs = 60_000, intervalMs = 1000, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!retry(error) || Date.now() + intervalMs > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
