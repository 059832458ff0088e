// "Check a medicine" against the chain: the batch by GTIN and lot, the dry run of the pack's
// verification, the one free unsigned verification when the pack is genuine and never checked,
// and the batch's custody trail. Reads go through the runtime API (`DrugProvenanceApi`) at the
// best block, so a check just recorded is seen at once.
import { Binary } from 'polkadot-api';
import { u8aToHex } from '@polkadot/util';
import type { Chain } from '../chain/connection';
import { followTx, describeRefusal } from '../chain/submit';
import type { BatchStatusName, BatchSummary, PackCheckSummary, Verdict } from './verdict';
import { verdictOf } from './verdict';

/** A pack code as `parsePackCode` (scripts/lib/pack-labels.mjs) reads it. */
export interface PackCode {
  gtin: string;
  lot?: string;
  serial?: string;
  expiry?: string;
  code?: string;
  salt?: Uint8Array;
  proof?: { index: number; siblings: Uint8Array[] };
}

export interface TrailHop {
  index: number;
  from: string;
  to: string;
  quantity: number;
  dispatchedAt: number;
  state: { kind: 'Pending' } | { kind: 'Received' | 'Rejected' | 'Expired'; at: number };
}

export interface BatchDetails extends BatchSummary {
  gtin: string;
  lot: string;
  manufacturer: string;
  registeredAt: number;
  quantity: number;
  inCustody: number;
  dispensed: number;
  verifiedPacks: number;
  cloneAlarms: number;
}

export interface CheckResult {
  code: PackCode;
  batch?: BatchDetails;
  verdict: Verdict;
  trail: TrailHop[];
  /** Partner roles by account (`Manufacturer`, `Wholesaler`, `Dispenser`, …). */
  roles: Record<string, string>;
  /** The block this check's own verification went into, if it recorded one. */
  recordedAt?: number;
  /** Why this check's verification was not recorded, if it tried and failed. */
  recordError?: string;
}

const AT_BEST = { at: 'best' } as const;

/** Whether `code` carries what `verify_pack` needs (the verification label was read). */
export function canVerifyPack(code: PackCode): code is PackCode & Required<Pick<PackCode, 'serial' | 'code' | 'salt' | 'proof'>> {
  return Boolean(code.serial && code.code && code.salt && code.proof);
}

/** The runtime API's `PackCheck` (as polkadot-api decodes it) reduced to what the verdict needs. */
export function summarisePackCheck(check: { type: string; value?: unknown }): PackCheckSummary {
  switch (check.type) {
    case 'NotYetVerified': {
      const { verdict } = check.value as { verdict: { type: string } };
      return { kind: 'NotYetVerified', genuine: verdict.type === 'Genuine' };
    }
    case 'AlreadyVerified': {
      const { record } = check.value as { record: { first_verified_at: number; region?: number; first_verifier: { type: 'Public' | 'LicensedPartner' }; alarms: number } };
      return {
        kind: 'AlreadyVerified',
        record: { firstVerifiedAt: record.first_verified_at, region: record.region, firstVerifier: record.first_verifier.type, alarms: record.alarms },
      };
    }
    case 'Invalid':
    case 'UnknownBatch':
    case 'BatchRetired':
      return { kind: check.type };
    default:
      return { kind: 'Invalid' };
  }
}

const gtinArg = (gtin: string) => Binary.toHex(Binary.fromText(gtin));

export async function readBatch(chain: Chain, gtin: string, lot: string): Promise<BatchDetails | undefined> {
  const info = await chain.api.apis.DrugProvenanceApi.batch(gtinArg(gtin), Binary.fromText(lot), AT_BEST);
  if (!info) return undefined;
  const { batch } = info;
  return {
    id: info.id,
    gtin,
    lot,
    expiry: batch.expiry,
    effectiveStatus: info.effective_status.type as BatchStatusName,
    manufacturer: batch.manufacturer,
    registeredAt: batch.registered_at,
    quantity: batch.quantity,
    inCustody: info.in_custody,
    dispensed: batch.dispensed,
    verifiedPacks: batch.verified_packs,
    cloneAlarms: batch.clone_alarms,
  };
}

export async function dryRun(chain: Chain, batchId: number, code: Parameters<typeof verifyArgs>[1]): Promise<PackCheckSummary> {
  const args = verifyArgs(batchId, code);
  const check = await chain.api.apis.DrugProvenanceApi.verify_pack(args.batch_id, args.serial, args.scratch_code, args.salt, args.proof, AT_BEST);
  return summarisePackCheck(check as { type: string; value?: unknown });
}

export function verifyArgs(batchId: number, code: { serial: string; code: string; salt: Uint8Array; proof: { index: number; siblings: Uint8Array[] } }) {
  return {
    batch_id: batchId,
    serial: Binary.fromText(code.serial),
    scratch_code: Binary.fromText(code.code),
    salt: u8aToHex(code.salt),
    proof: { index: code.proof.index, siblings: code.proof.siblings.map((s) => u8aToHex(s)) },
  };
}

/** Records the pack's first verification: an unsigned transaction, free, no account needed. */
async function recordVerification(chain: Chain, batchId: number, code: Parameters<typeof verifyArgs>[1], region: number | undefined) {
  const tx = chain.api.tx.DrugProvenance.verify_pack({ ...verifyArgs(batchId, code), region });
  const bare = await tx.getBareTx();
  return followTx(chain.client.submitAndWatch(bare), chain.errorDocs);
}

async function readTrail(chain: Chain, batchId: number): Promise<TrailHop[]> {
  const trace = await chain.api.apis.DrugProvenanceApi.trace(batchId, AT_BEST);
  return trace.map(([index, transfer]) => {
    const state = transfer.state as { type: 'Pending' | 'Received' | 'Rejected' | 'Expired'; value?: { at: number } };
    return {
      index,
      from: transfer.from,
      to: transfer.to,
      quantity: transfer.quantity,
      dispatchedAt: transfer.dispatched_at,
      state: state.type === 'Pending' ? { kind: 'Pending' } : { kind: state.type, at: state.value?.at ?? transfer.dispatched_at },
    };
  });
}

/** Whether a dispenser (pharmacy or hospital, by `roles`) received any shipment on `trail`. */
export function reachedDispenser(trail: TrailHop[], roles: Record<string, string>): boolean {
  return trail.some((hop) => hop.state.kind === 'Received' && roles[hop.to] === 'Dispenser');
}

export async function readRoles(chain: Chain, accounts: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(accounts)];
  const partners = await Promise.all(unique.map((account) => chain.api.query.DrugProvenance.Partners.getValue(account, AT_BEST)));
  return Object.fromEntries(unique.map((account, i) => [account, partners[i]?.role.type ?? 'unknown']));
}

/**
 * Checks a pack: reads its batch, and when the verification label was read, dry-runs the
 * verification and records it if the pack is genuine and never checked. `region` (ISO 3166
 * numeric) goes on chain with a recorded check.
 */
export async function checkPack(chain: Chain, code: PackCode, region?: number): Promise<CheckResult> {
  const batch = code.lot ? await readBatch(chain, code.gtin, code.lot) : undefined;
  if (!batch) return { code, verdict: verdictOf(undefined, undefined), trail: [], roles: {} };
  let pack: PackCheckSummary | undefined;
  let recordedAt: number | undefined;
  let recordError: string | undefined;
  if (canVerifyPack(code)) {
    pack = await dryRun(chain, batch.id, code);
    if (pack.kind === 'NotYetVerified' && pack.genuine && batch.effectiveStatus === 'Active') {
      try {
        const outcome = await recordVerification(chain, batch.id, code, region);
        if (outcome.ok) recordedAt = outcome.block;
        else recordError = outcome.stage === 'dispatch' ? `${outcome.error.name}: ${outcome.error.docs}` : outcome.reason;
      } catch (error) {
        recordError = describeRefusal(error);
      }
      // Someone may have checked the same code meanwhile: the chain's answer now decides.
      pack = await dryRun(chain, batch.id, code);
    }
  }
  const trail = await readTrail(chain, batch.id);
  const roles = await readRoles(chain, [batch.manufacturer, ...trail.flatMap((hop) => [hop.from, hop.to])]);
  const refreshed = recordedAt !== undefined ? (await readBatch(chain, code.gtin, batch.lot)) ?? batch : batch;
  const verdict = verdictOf({ ...refreshed, reachedDispenser: reachedDispenser(trail, roles) }, pack, recordedAt);
  return { code, batch: refreshed, verdict, trail, roles, recordedAt, recordError };
}
