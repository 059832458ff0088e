// What the member page computes from what the chain returns (MutualAidApi and MutualAid storage):
// the ledger as a series of periods, my share per period, where a claim is in its life, what a
// pending rule change changes, and a claim's arguments. Pure (no chain), so it is unit-tested.
import { Binary } from 'polkadot-api';
import { conditionCommitment } from '../../../scripts/lib/commitment.mjs';

/** A pool's rules as `MutualAidApi.pool` returns them (`RulesView`). */
export interface Rules {
  funding: { type: 'Prefunded' | 'ShareAfterClaims' };
  waiting_period: number;
  per_claim_cap: bigint;
  lifetime_cap: bigint;
  covered_conditions: Uint8Array[];
  fee_bps: number;
  min_members: number;
  notice_period: number;
  review_period: number;
  claim_deposit: bigint;
  contribution: bigint;
  max_share: bigint;
}

/** One period of a pool's ledger (`MutualAid.Ledgers`, `LedgerView`). */
export interface Ledger {
  inflow: bigint;
  payouts: bigint;
  fees: bigint;
  approved_total: bigint;
  claims: number;
  per_member_share: bigint;
  per_member_fee: bigint;
  members: number;
  members_in_arrears: number;
  shortfall: bigint;
  dust: bigint;
  apportioned: boolean;
}

export interface LedgerPoint extends Ledger {
  period: number;
  /** No ledger was written for the period (nothing moved). */
  empty: boolean;
}

const EMPTY_LEDGER: Ledger = {
  inflow: 0n, payouts: 0n, fees: 0n, approved_total: 0n, claims: 0, per_member_share: 0n, per_member_fee: 0n,
  members: 0, members_in_arrears: 0, shortfall: 0n, dust: 0n, apportioned: false,
};

/**
 * The last `span` periods up to `currentPeriod`, oldest first, from the ledgers written
 * (`entries`, any order): a period without a ledger is shown as empty, not left out, so the
 * chart's time axis is even. Periods before the pool's creation period are not shown.
 */
export function ledgerSeries(entries: ReadonlyArray<{ period: number; ledger: Ledger }>, currentPeriod: number, firstPeriod = 0, span = 12): LedgerPoint[] {
  const byPeriod = new Map(entries.map((e) => [e.period, e.ledger]));
  return chartPeriods(currentPeriod, firstPeriod, span).map((period) => {
    const ledger = byPeriod.get(period);
    return { ...(ledger ?? EMPTY_LEDGER), period, empty: !ledger };
  });
}

/** The periods {@link ledgerSeries} shows: the last `span` up to `currentPeriod`, none before `firstPeriod`. */
export function chartPeriods(currentPeriod: number, firstPeriod = 0, span = 12): number[] {
  const from = Math.max(firstPeriod, currentPeriod - span + 1, 0);
  return Array.from({ length: Math.max(0, currentPeriod - from + 1) }, (_, i) => from + i);
}

/** The period of block `block` (`block / ApportionPeriod`, as the pallet's `period_of`). */
export function periodOf(block: number, periodLength: number): number {
  return Math.floor(block / periodLength);
}

/** The first and last block of period `period`. */
export function periodBlocks(period: number, periodLength: number): { first: number; last: number } {
  return { first: period * periodLength, last: (period + 1) * periodLength - 1 };
}

export interface Membership {
  joined_at: number;
  eligible_from: number;
}

export interface MyShare {
  period: number;
  /** What the member owed for the period: share + fee (apportioned), the contribution (prefunded) or the estimate (current period). */
  owed: bigint;
  kind: 'share' | 'contribution' | 'estimate' | 'none';
}

/**
 * What `member` owed per period of `points`. A share-after-claims pool charges the share and fee
 * of an apportioned period to every member covered at some block of it (`eligible_from` at or
 * before its last block, the pallet's `charged_in`); the current period shows the `quote`'s
 * estimate instead. A prefunded pool owes its `contribution` for every period from the one of
 * joining on.
 */
export function myShares(points: readonly LedgerPoint[], member: Membership, rules: Pick<Rules, 'funding' | 'contribution'>, periodLength: number, quote?: { period: number; per_member_share: bigint; per_member_fee: bigint }): MyShare[] {
  const joinedPeriod = periodOf(member.joined_at, periodLength);
  return points.map(({ period, apportioned, per_member_share, per_member_fee }) => {
    if (period < joinedPeriod) return { period, owed: 0n, kind: 'none' };
    if (rules.funding.type === 'Prefunded') {
      return rules.contribution > 0n ? { period, owed: rules.contribution, kind: 'contribution' } : { period, owed: 0n, kind: 'none' };
    }
    const covered = member.eligible_from <= periodBlocks(period, periodLength).last;
    if (!covered) return { period, owed: 0n, kind: 'none' };
    if (apportioned) return { period, owed: per_member_share + per_member_fee, kind: 'share' };
    if (quote && quote.period === period && quote.per_member_share > 0n) return { period, owed: quote.per_member_share + quote.per_member_fee, kind: 'estimate' };
    return { period, owed: 0n, kind: 'none' };
  });
}

/** The rules whose value a pending change alters, by field name, in the order shown. */
export const RULE_FIELDS = [
  'waiting_period', 'per_claim_cap', 'lifetime_cap', 'covered_conditions', 'fee_bps', 'min_members',
  'notice_period', 'review_period', 'claim_deposit', 'contribution', 'max_share',
] as const satisfies ReadonlyArray<keyof Rules>;
export type RuleField = (typeof RULE_FIELDS)[number];

/** The condition codes as text (`C`, `I21`). */
export function conditionCodes(rules: Pick<Rules, 'covered_conditions'>): string[] {
  return rules.covered_conditions.map((code) => Binary.toText(code));
}

/** The fields `pending` changes from `current`. */
export function changedRules(current: Rules, pending: Rules): RuleField[] {
  return RULE_FIELDS.filter((field) => {
    if (field === 'covered_conditions') return conditionCodes(current).join(',') !== conditionCodes(pending).join(',');
    return current[field] !== pending[field];
  });
}

/** A claim as `MutualAidApi.claims` returns it (`ClaimView`), the fields the page reads. */
export interface ClaimItem {
  id: bigint;
  claimant: string;
  amount: bigint;
  evidence: bigint[];
  filed_at: number;
  notice_ends: number;
  objectors: string[];
  status: { type: 'Notice' | 'AwaitingPanel' | 'Voting' | 'Decided' | 'AwaitingApportion' | 'AwaitingFunds' };
  level: { type: 'First' | 'Appeal' };
  seed_block: number;
  panel: string[];
  commits: number;
  reveals: number;
  commit_ends: number;
  reveal_ends: number;
  approved?: bigint;
  denied: boolean;
  decided_at: number;
  appealed: boolean;
  period?: number;
}

export type StepKey = 'notice' | 'review' | 'decision' | 'appeal' | 'payout';
export type StepState = 'done' | 'current' | 'upcoming' | 'skipped';
export interface ClaimStep {
  key: StepKey;
  state: StepState;
  /** The block the step ends at (or ended at), when the chain says. */
  until?: number;
}

/** What anyone may do next on the claim at block `now`, if anything. */
export type NextAction = 'object' | 'drawPanel' | 'vote' | 'closeReview' | 'appeal' | 'finalize' | 'apportion' | null;

/**
 * Where `claim` is, as five steps (public notice, review, decision, appeal, payout), for a
 * transaction landing in block `now` (the best block's successor: the block the pallet's checks
 * see); `noticePeriod` is the claim's own notice period (also its appeal window, `Claims`
 * storage: rule changes do not move it). And what can be done next.
 */
export function claimProgress(claim: ClaimItem, now: number, noticePeriod: number): { steps: ClaimStep[]; next: NextAction } {
  const appealEnds = claim.decided_at + noticePeriod;
  const state = (key: StepKey): ClaimStep => ({ key, state: 'upcoming' });
  const steps: Record<StepKey, ClaimStep> = {
    notice: { ...state('notice'), until: claim.notice_ends },
    review: state('review'),
    decision: state('decision'),
    appeal: state('appeal'),
    payout: state('payout'),
  };
  const doneUpTo = (keys: StepKey[]) => keys.forEach((key) => { steps[key].state = 'done'; });
  let next: NextAction = null;
  const atAppeal = claim.level.type === 'Appeal';
  switch (claim.status.type) {
    case 'Notice':
      steps.notice.state = 'current';
      next = now < claim.notice_ends ? 'object' : 'drawPanel';
      break;
    case 'AwaitingPanel':
      doneUpTo(['notice']);
      if (atAppeal || claim.appealed) {
        doneUpTo(['review', 'decision']);
        steps.appeal.state = 'current';
      } else steps.review.state = 'current';
      next = 'drawPanel';
      break;
    case 'Voting': {
      doneUpTo(['notice']);
      const step = atAppeal ? 'appeal' : 'review';
      if (atAppeal) doneUpTo(['review', 'decision']);
      steps[step].state = 'current';
      steps[step].until = claim.reveal_ends;
      next = now < claim.reveal_ends ? 'vote' : 'closeReview';
      break;
    }
    case 'Decided':
      doneUpTo(['notice', 'review']);
      steps.decision.until = claim.decided_at;
      if (atAppeal) {
        doneUpTo(['decision', 'appeal']);
        next = 'finalize';
      } else {
        steps.decision.state = 'done';
        steps.appeal.until = appealEnds;
        // A full approval cannot be appealed by the claimant, but a member may appeal it.
        if (now < appealEnds) {
          steps.appeal.state = 'current';
          next = 'appeal';
        } else {
          steps.appeal.state = 'skipped';
          next = 'finalize';
        }
      }
      steps.payout.state = 'upcoming';
      break;
    case 'AwaitingApportion':
    case 'AwaitingFunds':
      doneUpTo(['notice', 'review', 'decision']);
      steps.appeal.state = claim.appealed ? 'done' : 'skipped';
      steps.payout.state = 'current';
      next = claim.status.type === 'AwaitingFunds' ? 'finalize' : 'apportion';
      break;
  }
  return { steps: [steps.notice, steps.review, steps.decision, steps.appeal, steps.payout], next };
}

/** The outcome of a decided claim in the view's terms. */
export function outcomeOf(claim: Pick<ClaimItem, 'approved' | 'denied' | 'amount'>): 'approved' | 'partial' | 'denied' | 'pending' {
  if (claim.approved !== undefined) return claim.approved < claim.amount ? 'partial' : 'approved';
  return claim.denied ? 'denied' : 'pending';
}

/** A claim as the member fills it in. */
export interface ClaimForm {
  /** The covered condition code the claim is filed under (committed to, never sent). */
  code: string;
  /** In MED, as typed (`1000`, `1,000.5`). */
  amount: string;
  /** Record ids chosen as evidence. */
  evidence: bigint[];
}

/** `text` in MED as planck: digits with an optional fraction of at most `decimals` digits; null otherwise. */
export function parseAmount(text: string, decimals: number): bigint | null {
  const cleaned = text.trim().replace(/[,\s_]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return null;
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

export type ClaimProblem = 'member.invalid.code' | 'member.invalid.amount' | 'member.invalid.cap' | 'member.invalid.evidence';

/**
 * `file_claim`'s arguments from the form (but the evidence commitment), with the condition
 * commitment under `salt` (32 random bytes the caller keeps for the reviewers), or what to correct. The chain checks the rest
 * (eligibility, lifetime cap, evidence issuers, solvency) and says why in its own words.
 */
export function claimArgs(form: ClaimForm, poolId: number, rules: Pick<Rules, 'covered_conditions' | 'per_claim_cap'>, decimals: number, salt: Uint8Array):
  | { ok: true; args: { pool_id: number; condition_commitment: string; amount: bigint; evidence: bigint[] } }
  | { ok: false; problem: ClaimProblem } {
  if (!conditionCodes(rules).includes(form.code)) return { ok: false, problem: 'member.invalid.code' };
  const amount = parseAmount(form.amount, decimals);
  if (amount === null || amount === 0n) return { ok: false, problem: 'member.invalid.amount' };
  if (amount > rules.per_claim_cap) return { ok: false, problem: 'member.invalid.cap' };
  if (form.evidence.length === 0) return { ok: false, problem: 'member.invalid.evidence' };
  return {
    ok: true,
    args: {
      pool_id: poolId,
      condition_commitment: conditionCommitment(poolId, form.code, salt),
      amount,
      evidence: [...new Set(form.evidence)],
    },
  };
}
