// Guardians: people a patient trusts to give or withdraw access to their records for them when
// they cannot, any `threshold` of them together (`Ehr.set_guardians`, `Ehr.guardian_approve`).
// Pure (no chain), so the rules are unit-tested.
import { getSs58AddressInfo } from 'polkadot-api';
import type { MessageKey } from '../i18n/messages';
import type { GrantArgs } from './grants';

/** What `Ehr.guardian_approve` proposes or approves, as polkadot-api encodes it. */
export type GuardianActionArg = { type: 'Grant'; value: GrantArgs } | { type: 'Revoke'; value: { grantee: string } };

/** A pending guardian proposal of a patient (`Ehr.GuardianProposals`). */
export interface ProposalItem {
  patient: string;
  /** The action's hash: the proposal's key, what `guardian_cancel` names. */
  hash: string;
  action: { kind: 'Grant'; grantee: string; purpose: string; expiresAt: number } | { kind: 'Revoke'; grantee: string };
  /** The action exactly as stored, to approve it again unchanged. */
  arg: GuardianActionArg;
  proposer: string;
  approvals: string[];
  /** From this block on its approvals no longer count. */
  lapsesAt: number;
}

/** A stored proposal (`Ehr.GuardianProposals` entry) as the page shows it; `ttl` is `GuardianProposalTtl`. */
export function proposalItem(
  patient: string,
  hash: string,
  stored: { action: { type: string; value: unknown }; proposer: string; approvals: string[]; created_at: number },
  ttl: number,
): ProposalItem {
  const arg = stored.action as GuardianActionArg;
  const action = arg.type === 'Grant'
    ? { kind: 'Grant' as const, grantee: arg.value.grantee, purpose: arg.value.purpose.type, expiresAt: arg.value.expires_at }
    : { kind: 'Revoke' as const, grantee: arg.value.grantee };
  return { patient, hash, action, arg, proposer: stored.proposer, approvals: stored.approvals, lapsesAt: stored.created_at + ttl };
}

/** Whether `guardian` may still approve `proposal` at block `now`: not yet approved by them and not lapsed. */
export function canApprove(proposal: ProposalItem, guardian: string, now: number): boolean {
  return !proposal.approvals.includes(guardian) && now < proposal.lapsesAt;
}

/**
 * `set_guardians`' arguments from the addresses a patient listed and the threshold typed, or the
 * catalogue key of what to correct: valid addresses, not the patient, none twice, at most `max`,
 * a whole threshold from 1 to their number.
 */
export function guardiansArgs(patient: string, listed: string[], threshold: string, max: number):
  { ok: true; args: { guardians: string[]; threshold: number } } | { ok: false; problem: MessageKey } {
  const guardians = listed.map((address) => address.trim()).filter(Boolean);
  if (guardians.length === 0) return { ok: false, problem: 'guardians.invalid.none' };
  if (guardians.length > max) return { ok: false, problem: 'guardians.invalid.tooMany' };
  if (!guardians.every((address) => getSs58AddressInfo(address).isValid)) return { ok: false, problem: 'patient.invalid.grantee' };
  const publicKeys = guardians.map((address) => {
    const info = getSs58AddressInfo(address);
    return info.isValid ? info.publicKey.join() : address;
  });
  const own = getSs58AddressInfo(patient);
  if (own.isValid && publicKeys.includes(own.publicKey.join())) return { ok: false, problem: 'guardians.invalid.self' };
  if (new Set(publicKeys).size !== publicKeys.length) return { ok: false, problem: 'guardians.invalid.twice' };
  const count = Number(threshold.trim());
  if (!threshold.trim() || !Number.isInteger(count) || count < 1 || count > guardians.length) return { ok: false, problem: 'guardians.invalid.threshold' };
  return { ok: true, args: { guardians, threshold: count } };
}
