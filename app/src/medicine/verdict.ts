// The one-line answer of "Check a medicine", from what the chain says about the batch and the
// pack: the runtime API's batch (with its effective status at the block) and its dry run of
// `verify_pack`. Pure, so every case is unit-tested without a chain.

/** A polkadot-api enum value: `{ type: 'Recalled', value: undefined }`. */
export interface Variant<T extends string = string, V = unknown> {
  type: T;
  value?: V;
}

export type BatchStatusName = 'Active' | 'Quarantined' | 'Recalled' | 'Expired' | 'Destroyed' | 'Retiring' | 'Retired';

/** What the verdict needs of `DrugProvenanceApi::batch` (a `BatchInfo`). */
export interface BatchSummary {
  id: number;
  expiry: number;
  effectiveStatus: BatchStatusName;
}

/** A pack's verification record (`PackRecord`). */
export interface PackRecordSummary {
  firstVerifiedAt: number;
  region?: number;
  firstVerifier: 'Public' | 'LicensedPartner';
  alarms: number;
}

/** The dry run's answer (`PackCheck`), reduced to what the verdict needs. */
export type PackCheckSummary =
  | { kind: 'UnknownBatch' }
  | { kind: 'Invalid' }
  | { kind: 'BatchRetired' }
  | { kind: 'NotYetVerified'; genuine: boolean }
  | { kind: 'AlreadyVerified'; record: PackRecordSummary };

/** A batch with whether any of it reached a dispenser (a pharmacy or hospital received a shipment of it). */
export interface CheckedBatch extends BatchSummary {
  reachedDispenser: boolean;
}

/** The verdict and its colour: green, amber, orange, red. */
export type Verdict =
  | { kind: 'genuine-first'; tone: 'good'; verifiedAt?: number }
  | { kind: 'genuine-batch'; tone: 'good' }
  | { kind: 'not-at-pharmacy'; tone: 'caution'; verifiedAt?: number }
  | { kind: 'already-checked'; tone: 'caution'; record: PackRecordSummary }
  | { kind: 'expired'; tone: 'warning'; expiry: number }
  | { kind: 'recalled'; tone: 'danger' }
  | { kind: 'quarantined'; tone: 'danger' }
  | { kind: 'destroyed'; tone: 'danger' }
  | { kind: 'counterfeit'; tone: 'danger' }
  | { kind: 'unknown-batch'; tone: 'danger' };

/**
 * The verdict for a batch (`undefined`: none registered under that GTIN and lot) and, when the
 * pack's verification label was read, the dry run of its verification. The batch's status
 * comes first: a recalled pack is "recalled" even if genuine and never checked; then the pack:
 * a code that proves nothing is a suspected counterfeit, one already verified is "already
 * checked" (a copy of a code is how counterfeits are found), a first check is "genuine" —
 * unless no pharmacy or hospital has received any of the batch yet: a genuine pack in a
 * patient's hands before that left the licensed supply chain (diverted or stolen stock).
 * `verifiedNowAt` is the block of the verification this check itself recorded, if it did.
 */
export function verdictOf(batch: CheckedBatch | undefined, pack: PackCheckSummary | undefined, verifiedNowAt?: number): Verdict {
  const verdict = packVerdict(batch, pack, verifiedNowAt);
  if (batch && !batch.reachedDispenser && (verdict.kind === 'genuine-first' || verdict.kind === 'genuine-batch')) {
    return { kind: 'not-at-pharmacy', tone: 'caution', verifiedAt: verdict.kind === 'genuine-first' ? verdict.verifiedAt : undefined };
  }
  return verdict;
}

function packVerdict(batch: BatchSummary | undefined, pack: PackCheckSummary | undefined, verifiedNowAt?: number): Verdict {
  if (!batch || pack?.kind === 'UnknownBatch') return { kind: 'unknown-batch', tone: 'danger' };
  if (pack?.kind === 'Invalid') return { kind: 'counterfeit', tone: 'danger' };
  switch (batch.effectiveStatus) {
    case 'Recalled':
      return { kind: 'recalled', tone: 'danger' };
    case 'Quarantined':
      return { kind: 'quarantined', tone: 'danger' };
    case 'Destroyed':
    case 'Retiring':
    case 'Retired':
      return { kind: 'destroyed', tone: 'danger' };
    case 'Expired':
      return { kind: 'expired', tone: 'warning', expiry: batch.expiry };
    case 'Active':
      break;
  }
  if (pack?.kind === 'BatchRetired') return { kind: 'destroyed', tone: 'danger' };
  if (pack?.kind === 'AlreadyVerified') {
    // The check this page just recorded is the first one: the dry run after it says "verified".
    if (verifiedNowAt !== undefined && pack.record.firstVerifiedAt === verifiedNowAt && pack.record.alarms === 0) {
      return { kind: 'genuine-first', tone: 'good', verifiedAt: verifiedNowAt };
    }
    return { kind: 'already-checked', tone: 'caution', record: pack.record };
  }
  if (pack?.kind === 'NotYetVerified') return { kind: 'genuine-first', tone: 'good', verifiedAt: verifiedNowAt };
  return { kind: 'genuine-batch', tone: 'good' };
}

/** ISO 3166-1 numeric codes (what `verify_pack` records as the region) of the regions offered. */
export const REGIONS: ReadonlyArray<{ numeric: number; alpha2: string }> = [
  { numeric: 156, alpha2: 'CN' }, { numeric: 344, alpha2: 'HK' }, { numeric: 158, alpha2: 'TW' },
  { numeric: 702, alpha2: 'SG' }, { numeric: 392, alpha2: 'JP' }, { numeric: 410, alpha2: 'KR' },
  { numeric: 356, alpha2: 'IN' }, { numeric: 404, alpha2: 'KE' }, { numeric: 566, alpha2: 'NG' },
  { numeric: 710, alpha2: 'ZA' }, { numeric: 276, alpha2: 'DE' }, { numeric: 250, alpha2: 'FR' },
  { numeric: 826, alpha2: 'GB' }, { numeric: 840, alpha2: 'US' }, { numeric: 76, alpha2: 'BR' },
];

/** A region code's name in the user's language (`Intl.DisplayNames`), or "region N" when unknown. */
export function regionName(numeric: number, tag: string): string {
  const alpha2 = REGIONS.find((r) => r.numeric === numeric)?.alpha2;
  if (!alpha2) return `ISO 3166 ${numeric}`;
  return new Intl.DisplayNames([tag], { type: 'region' }).of(alpha2) ?? alpha2;
}
