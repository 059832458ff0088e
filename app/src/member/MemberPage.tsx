// The mutual-aid member's page: a pool's rules and any pending change with the date it can
// apply; joining, contributing and leaving; filing a claim that cites my EHR records (the panel
// drawn for it gets read access to exactly those, and my browser hands it their keys); where my
// claim is (notice, review, decision, appeal, payout) and what anyone can do next; the pool's
// other open claims (object, draw a panel, finalize); and the pool's ledger per period with my
// share. Reads through `MutualAidApi` and `EhrApi`, and each open claim's own notice period from
// `MutualAid.Claims`.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Binary } from 'polkadot-api';
import { randomAsU8a } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { useChain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { commitAndKeep, keepCommitment } from '../chain/commitments';
import { formatDuration } from '../chain/format';
import { useAmount } from '../chain/useAmount';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useDateOf } from '../chain/useDateOf';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import { documentTypeName } from '../patient/document-types';
import { useKeyDelivery } from '../patient/useKeyDelivery';
import { useKeyAgreement } from '../keys/KeyPanel';
import { KeystorePanel, useCanKeep } from '../keys/KeystorePanel';
import { AsSelectedAccount } from '../wallet/AccountPicker';
import type { Account } from '../wallet/accounts';
import { useAccountLabel } from '../wallet/wallet';
import { LedgerChart } from './LedgerChart';
import { conditionName } from './conditions';
import {
  changedRules, chartPeriods, claimArgs, claimProgress, conditionCodes, ledgerSeries, myShares, outcomeOf, parseAmount, periodBlocks, periodOf, RULE_FIELDS,
  type ClaimForm, type ClaimItem, type LedgerPoint, type RuleField, type Rules,
} from './pool';

interface PoolView {
  id: number;
  manager: string;
  balance: bigint;
  rules: Rules;
  pending?: [Rules, number];
  created_at: number;
  member_count: number;
  open_claims: number;
  exposure: bigint;
  current_period: number;
}
interface MemberView {
  joined_at: number;
  eligible_from: number;
  eligible_now: boolean;
  deposit: bigint;
  claimed_total: bigint;
  lifetime_remaining: bigint;
  contributed: bigint;
  arrears: bigint;
  contributions_due: bigint;
  open_claim?: bigint;
}
interface Quote { period: number; approved_total: bigint; eligible_members: number; per_member_share: bigint; per_member_fee: bigint }
interface EvidenceRecord { id: bigint; issuer: string; typeCode: string; createdAt: number; contentId?: string; locator: Uint8Array }

interface Desk {
  /** The block a transaction sent now lands in (the best block's successor): the pallet's "now" for it. */
  now: number;
  periodLength: number;
  pool: PoolView;
  member: MemberView | null;
  claims: ClaimItem[];
  /** Each open claim's own notice period (its appeal window), from `MutualAid.Claims`. */
  noticePeriods: Map<bigint, number>;
  points: LedgerPoint[];
  quote: Quote | null;
  records: EvidenceRecord[];
  /** Held from each member while a member. */
  membershipDeposit: bigint;
}

export function MemberPage() {
  return <AsSelectedAccount page={(account) => <MemberDesk account={account} />} />;
}

function MemberDesk({ account }: { account: Account }) {
  const { t } = useI18n();
  const [poolId, setPoolId] = useState<number | null>(null);

  // The pools, and which of them I am a member of (the first of those is shown first); read again
  // after my transactions, not at every block.
  const [pools, refreshPools] = useDesk(async ({ chain, at }) => {
    const ids = (await chain.api.query.MutualAid.Pools.getEntries(at)).map((e) => e.keyArgs[0]).sort((a, b) => a - b);
    const memberships = await Promise.all(ids.map((id) => chain.api.query.MutualAid.Members.getValue(id, account.address, at)));
    return ids.map((id, i) => ({ id, member: memberships[i] !== undefined }));
  }, [account], { eachBlock: false });
  useEffect(() => {
    if (pools) setPoolId((current) => current ?? pools.find((p) => p.member)?.id ?? pools[0]?.id ?? null);
  }, [pools]);

  const [desk, refreshDesk] = useDesk<Desk>(async ({ chain, at, best }) => {
    if (poolId === null) return undefined;
    const { MutualAidApi, EhrApi } = chain.api.apis;
    const [pool, member, claims, quote, records, periodLength, membershipDeposit, bestNumber] = await Promise.all([
      MutualAidApi.pool(poolId, at),
      MutualAidApi.member(poolId, account.address, at),
      MutualAidApi.claims(poolId, undefined, at),
      MutualAidApi.quote(poolId, at),
      EhrApi.records(account.address, at),
      chain.api.constants.MutualAid.ApportionPeriod(),
      chain.api.constants.MutualAid.MembershipDeposit(),
      best(),
    ]);
    if (!pool) return undefined;
    // The periods the chart shows, each read by itself (a pool's ledgers grow a period at a time).
    const shown = chartPeriods(pool.current_period, periodOf(pool.created_at, periodLength));
    const [stored, ledgers] = await Promise.all([
      Promise.all(claims.map((c) => chain.api.query.MutualAid.Claims.getValue(c.id, at))),
      Promise.all(shown.map((period) => MutualAidApi.ledger(poolId, period, at))),
    ]);
    return {
      now: bestNumber + 1,
      periodLength,
      pool: pool as PoolView,
      member: (member as MemberView | undefined) ?? null,
      claims: claims as ClaimItem[],
      noticePeriods: new Map(claims.map((c, i) => [c.id, stored[i]?.notice_period ?? pool.rules.notice_period])),
      points: ledgerSeries(shown.flatMap((period, i) => { const ledger = ledgers[i]; return ledger ? [{ period, ledger }] : []; }), pool.current_period, periodOf(pool.created_at, periodLength)),
      quote: quote ?? null,
      records: records.map((r) => ({ id: r.id, issuer: r.issuer, typeCode: Binary.toText(r.type_code), createdAt: r.created_at, contentId: r.content_id, locator: r.locator })),
      membershipDeposit,
    };
  }, [account, poolId]);
  const refresh = useCallback(() => { refreshPools(); refreshDesk(); }, [refreshPools, refreshDesk]);

  return (
    <section aria-labelledby="member-title">
      <h2 id="member-title">{t('member.title')}</h2>
      <p>{t('member.intro')}</p>
      {/* A claim's condition and evidence texts, objections' reasons and the panel's keys are kept here. */}
      <div className="card"><KeystorePanel account={account} /></div>
      {pools?.length === 0 && <p data-testid="no-pools">{t('member.noPools')}</p>}
      {pools && pools.length > 0 && (
        <label className="field">{t('member.pool')}
          <select name="pool" value={poolId ?? ''} onChange={(e) => setPoolId(Number(e.target.value))}>
            {pools.map((p) => <option key={p.id} value={p.id}>{t(p.member ? 'member.poolOptionMember' : 'member.poolOption', { id: p.id })}</option>)}
          </select>
        </label>
      )}
      {desk && desk.pool.id === poolId && (
        <>
          <RulesCard desk={desk} onChange={refresh} account={account} />
          <MembershipCard desk={desk} account={account} onChange={refresh} />
          {desk.member && <MyClaimCard desk={desk} account={account} onChange={refresh} />}
          <PoolClaimsCard desk={desk} account={account} onChange={refresh} />
          <LedgerCard desk={desk} />
        </>
      )}
    </section>
  );
}

/** A condition code with its plain name, where the page knows it: `I21 (heart attack)`. */
function useConditionLabel() {
  const { t, locale } = useI18n();
  return (code: string): string => {
    const { name, exact } = conditionName(code, locale);
    if (!name) return code;
    return t(exact ? 'member.conditionNamed' : 'member.conditionWithin', { code, name });
  };
}

/** The value of one rule, for people. */
function useRuleText() {
  const chain = useChain();
  const { tag } = useI18n();
  const med = useAmount();
  const conditionLabel = useConditionLabel();
  const span = (blocks: number) => formatDuration(blocks, chain.blockTimeMs, tag);
  return (rules: Rules, field: RuleField): string => {
    switch (field) {
      case 'waiting_period': case 'notice_period': case 'review_period': return span(rules[field]);
      case 'covered_conditions': return conditionCodes(rules).map(conditionLabel).join('; ');
      case 'fee_bps': return new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 }).format(rules.fee_bps / 10_000);
      case 'min_members': return String(rules.min_members);
      default: return med(rules[field]);
    }
  };
}

function RulesCard({ desk, account, onChange }: { desk: Desk; account: Account; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const ruleText = useRuleText();
  const { send, status } = useTx();
  const { pool } = desk;
  const med = useAmount();
  const shown = RULE_FIELDS.filter((f) => (f === 'contribution' ? pool.rules.funding.type === 'Prefunded' : f === 'max_share' ? pool.rules.funding.type === 'ShareAfterClaims' : true));
  const pending = pool.pending;
  const changed = pending ? changedRules(pool.rules, pending[0]) : [];
  const apply = async () => { if ((await send(chain.api.tx.MutualAid.apply_rule_change({ pool_id: pool.id }), account)).ok) onChange(); };
  return (
    <div className="card" data-testid="pool-rules">
      <h3>{t('member.rules', { id: pool.id })}</h3>
      <p>{t(`member.funding.${pool.rules.funding.type}`)}</p>
      <p className="hint">{t('member.poolState', {
        members: pool.member_count, balance: med(pool.balance), open: pool.open_claims, exposure: med(pool.exposure),
        manager: accountName(pool.manager), date: dateOf(pool.created_at, false),
      })}</p>
      <dl className="rules">
        {shown.map((field) => (
          <div key={field} data-rule={field}>
            <dt>{t(`member.rule.${field}`)}</dt>
            <dd>{ruleText(pool.rules, field)}</dd>
          </div>
        ))}
      </dl>
      {pending && (
        <div className="warning" data-testid="pending-rules" data-applies-at={pending[1]}>
          <p><strong>{t('member.pending', { date: dateOf(pending[1]) })}</strong></p>
          {changed.length === 0 ? <p>{t('member.pendingSame')}</p> : (
            <ul>
              {changed.map((field) => (
                <li key={field} data-changed={field}>{t('member.pendingChange', { rule: t(`member.rule.${field}`), from: ruleText(pool.rules, field), to: ruleText(pending[0], field) })}</li>
              ))}
            </ul>
          )}
          <p className="hint">{t('member.pendingExplain')}</p>
          {desk.now >= pending[1] && <button type="button" onClick={() => void apply()}>{t('member.applyRules')}</button>}
          <TxStatusLine status={status} />
        </div>
      )}
    </div>
  );
}

function MembershipCard({ desk, account, onChange }: { desk: Desk; account: Account; onChange: () => void }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const dateOf = useDateOf();
  const { send, status, setStatus } = useTx();
  const [amount, setAmount] = useState('');
  const { pool, member } = desk;
  const med = useAmount();
  const done = (ok: boolean) => { if (ok) { setAmount(''); onChange(); } };
  const join = async () => done((await send(chain.api.tx.MutualAid.join({ pool_id: pool.id }), account)).ok);
  const leave = async () => done((await send(chain.api.tx.MutualAid.leave({ pool_id: pool.id }), account)).ok);
  const contribute = async (event: FormEvent) => {
    event.preventDefault();
    const planck = parseAmount(amount, chain.decimals);
    if (!planck) {
      setStatus({ tone: 'danger', text: t('patient.invalid', { problem: t('member.invalid.amount') }) });
      return;
    }
    done((await send(chain.api.tx.MutualAid.contribute({ pool_id: pool.id, amount: planck }), account)).ok);
  };
  return (
    <div className="card" data-testid="membership">
      <h3>{t('member.membership')}</h3>
      {!member ? (
        <>
          <p>{t('member.notMember', { deposit: med(desk.membershipDeposit), waiting: formatDuration(pool.rules.waiting_period, chain.blockTimeMs, tag) })}</p>
          <button type="button" className="primary" onClick={() => void join()}>{t('member.join')}</button>
        </>
      ) : (
        <>
          <p data-testid="member-state" data-eligible={member.eligible_now}>
            {t('member.joined', { date: dateOf(member.joined_at, false) })}{' '}
            {t(member.eligible_now ? 'member.coveredNow' : 'member.coveredFrom', { date: dateOf(member.eligible_from) })}
          </p>
          <p className="hint">{t('member.figures', {
            claimed: med(member.claimed_total), left: med(member.lifetime_remaining), contributed: med(member.contributed), deposit: med(member.deposit),
          })}</p>
          {member.arrears > 0n && <p className="error">{t('member.arrears', { amount: med(member.arrears) })}</p>}
          {member.contributions_due > member.contributed && <p className="error">{t('member.behind', { due: med(member.contributions_due), paid: med(member.contributed) })}</p>}
          <form onSubmit={(e) => void contribute(e)} className="row" aria-label={t('member.contribute')}>
            <label className="field">{t('member.contributeAmount')}
              <input name="contribution" value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" autoComplete="off" />
            </label>
            <button type="submit">{t('member.contribute')}</button>
          </form>
          <button type="button" onClick={() => void leave()}>{t('member.leave')}</button>
          <p className="hint">{t('member.leaveExplain')}</p>
        </>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

/** The five steps of a claim, each with its state and, where the chain says, its date. */
function ClaimStepper({ claim, desk }: { claim: ClaimItem; desk: Desk }) {
  const { t } = useI18n();
  const dateOf = useDateOf();
  const { steps } = claimProgress(claim, desk.now, desk.noticePeriods.get(claim.id) ?? desk.pool.rules.notice_period);
  return (
    <ol className="stepper" data-testid="claim-steps">
      {steps.map((step) => (
        <li key={step.key} data-step={step.key} data-state={step.state} aria-current={step.state === 'current' ? 'step' : undefined}>
          <strong>{t(`member.step.${step.key}`)}</strong> · {t(`member.stepState.${step.state}`)}
          {step.until !== undefined && step.state !== 'upcoming' && step.state !== 'skipped' && <> · {t(step.state === 'current' ? 'member.until' : 'member.on', { date: dateOf(step.until) })}</>}
        </li>
      ))}
    </ol>
  );
}

/** One line about a claim: amount, filing date, status, outcome. */
function ClaimSummary({ claim }: { claim: ClaimItem }) {
  const { t } = useI18n();
  const dateOf = useDateOf();
  const med = useAmount();
  const outcome = outcomeOf(claim);
  return (
    <p>
      {t('member.claimLine', { id: String(claim.id), amount: med(claim.amount), date: dateOf(claim.filed_at), status: t(`member.status.${claim.status.type}`) })}
      {outcome !== 'pending' && <> · <span data-outcome={outcome}>{t(`member.outcome.${outcome}`, { amount: med(claim.approved ?? 0n) })}</span></>}
      {claim.objectors.length > 0 && <> · {t('member.objections', { count: claim.objectors.length })}</>}
      {claim.panel.length > 0 && <> · {t('member.panel', { size: claim.panel.length, commits: claim.commits, reveals: claim.reveals })}</>}
    </p>
  );
}

/** What anyone may do next on `claim` (the pallet refuses the rest, in its own words). */
function ClaimActions({ claim, desk, account, onChange }: { claim: ClaimItem; desk: Desk; account: Account; onChange: () => void }) {
  const chain = useChain();
  const { t } = useI18n();
  const { send, status } = useTx();
  const [reason, setReason] = useState('');
  const [canKeep, keepHint] = useCanKeep(account);
  const { next } = claimProgress(claim, desk.now, desk.noticePeriods.get(claim.id) ?? desk.pool.rules.notice_period);
  const mine = claim.claimant === account.address;
  const tx = chain.api.tx.MutualAid;
  const run = async (call: Parameters<typeof send>[0]) => { if ((await send(call, account)).ok) { setReason(''); onChange(); } };
  const claimId = { claim_id: claim.id };
  const object = (event: FormEvent) => {
    event.preventDefault();
    // The reason stays in this browser with its salt (for the reviewers); its commitment goes on chain.
    void run(tx.object({ claim_id: claim.id, reason_commitment: commitAndKeep(account.address, `mutual-aid objection claim ${claim.id}`, reason) }));
  };
  const canAppeal = next === 'appeal' && (mine ? outcomeOf(claim) !== 'approved' : outcomeOf(claim) !== 'denied');
  const period = claim.period;
  return (
    <div className="actions">
      {next === 'object' && !mine && desk.member && !claim.objectors.includes(account.address) && (
        <form onSubmit={object} className="nested" aria-label={t('member.object')}>
          <label className="field">{t('member.objectReason')}
            <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          </label>
          {keepHint}
          <button type="submit" disabled={!canKeep}>{t('member.object')}</button>
        </form>
      )}
      {next === 'drawPanel' && desk.now > claim.seed_block && <button type="button" onClick={() => void run(tx.draw_panel(claimId))}>{t('member.drawPanel')}</button>}
      {next === 'closeReview' && <button type="button" onClick={() => void run(tx.close_review(claimId))}>{t('member.closeReview')}</button>}
      {canAppeal && <button type="button" onClick={() => void run(tx.appeal(claimId))}>{t('member.appeal')}</button>}
      {next === 'finalize' && <button type="button" onClick={() => void run(tx.finalize_claim(claimId))}>{t('member.finalize')}</button>}
      {next === 'apportion' && period !== undefined && period < periodOf(desk.now, desk.periodLength) && (
        <button type="button" onClick={() => void run(tx.apportion({ pool_id: desk.pool.id, period }))}>{t('member.apportion', { period })}</button>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

function MyClaimCard({ desk, account, onChange }: { desk: Desk; account: Account; onChange: () => void }) {
  const { t } = useI18n();
  const mine = desk.claims.find((c) => c.id === desk.member?.open_claim);
  return (
    <div className="card" data-testid="my-claim">
      <h3>{t('member.myClaim')}</h3>
      {!mine ? (
        <>
          <p>{t('member.noOpenClaim')}</p>
          <FileClaim desk={desk} account={account} onChange={onChange} />
        </>
      ) : (
        <div data-claim={String(mine.id)} data-status={mine.status.type}>
          <ClaimSummary claim={mine} />
          <p className="hint">{t('member.evidenceCited', { records: mine.evidence.map((id) => `#${id}`).join(', ') })}</p>
          <ClaimStepper claim={mine} desk={desk} />
          {mine.panel.length > 0 && mine.status.type === 'Voting' && <PanelKeys claim={mine} desk={desk} account={account} />}
          <ClaimActions claim={mine} desk={desk} account={account} onChange={onChange} />
        </div>
      )}
    </div>
  );
}

/**
 * The panel's read access to my evidence is on chain once it is drawn; the records' keys are
 * mine to give: my browser wraps each cited record's key to every reviewer's registered key and
 * deposits the envelopes in the vault (the patient page's `useKeyDelivery`).
 */
function PanelKeys({ claim, desk, account }: { claim: ClaimItem; desk: Desk; account: Account }) {
  const { t } = useI18n();
  const [key] = useKeyAgreement(account);
  const [delivery, deliver] = useKeyDelivery(account, key, desk.records);
  return (
    <div data-testid="panel-keys">
      <p className="hint">{t('member.panelKeysExplain', { size: claim.panel.length })}</p>
      {key === null ? <p className="hint">{t('member.keyMissing')}</p> : (
        <button type="button" disabled={!key} onClick={() => void deliver(claim.panel, { type: 'Records', value: claim.evidence })}>{t('member.panelKeys')}</button>
      )}
      <TxStatusLine status={delivery} />
    </div>
  );
}

function FileClaim({ desk, account, onChange }: { desk: Desk; account: Account; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t, tag, locale } = useI18n();
  const dateOf = useDateOf();
  const med = useAmount();
  const { send, status, setStatus } = useTx();
  const codes = conditionCodes(desk.pool.rules);
  const conditionLabel = useConditionLabel();
  const [form, setForm] = useState<ClaimForm>({ code: codes[0] ?? '', amount: '', evidence: [] });
  const [canKeep, keepHint] = useCanKeep(account);
  const member = desk.member!;
  // Records issued by someone else (a provider): the pallet refuses the member's own.
  const records = desk.records.filter((r) => r.issuer !== account.address);
  const toggle = (id: bigint, on: boolean) => setForm((f) => ({ ...f, evidence: on ? [...f.evidence, id] : f.evidence.filter((x) => x !== id) }));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const salt = randomAsU8a(32);
    const evidenceText = `records ${form.evidence.map(String).join(',')}`;
    const checked = claimArgs(form, desk.pool.id, desk.pool.rules, chain.decimals, salt);
    if (!checked.ok) {
      setStatus({ tone: 'danger', text: t('patient.invalid', { problem: t(checked.problem) }) });
      return;
    }
    // Code and salt stay in this browser for the reviewers; the chain gets only the commitments.
    const at = new Date().toISOString();
    keepCommitment(account.address, { kind: `mutual-aid condition pool ${desk.pool.id}`, text: form.code, salt: u8aToHex(salt), commitment: checked.args.condition_commitment, at });
    const evidenceCommitment = commitAndKeep(account.address, `mutual-aid evidence pool ${desk.pool.id}`, evidenceText);
    const outcome = await send(chain.api.tx.MutualAid.file_claim({ ...checked.args, evidence_commitment: evidenceCommitment }), account);
    if (outcome.ok) {
      setForm({ code: codes[0] ?? '', amount: '', evidence: [] });
      onChange();
    }
  };
  return (
    <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="claim-title" noValidate data-testid="file-claim">
      <h4 id="claim-title">{t('member.fileClaim')}</h4>
      <p className="hint">{t('member.fileExplain', {
        cap: med(desk.pool.rules.per_claim_cap),
        deposit: med(desk.pool.rules.claim_deposit),
        notice: formatDuration(desk.pool.rules.notice_period, chain.blockTimeMs, tag),
      })}</p>
      <label className="field">{t('member.condition')}
        <select name="condition" value={form.code} onChange={(e) => setForm((f) => ({ ...f, code: e.target.value }))}>
          {codes.map((code) => <option key={code} value={code}>{conditionLabel(code)}</option>)}
        </select>
      </label>
      <label className="field">{t('member.claimAmount')}
        <input name="amount" value={form.amount} onChange={(e) => setForm((f) => ({ ...f, amount: e.target.value }))} inputMode="decimal" autoComplete="off" />
      </label>
      <fieldset>
        <legend>{t('member.evidence')}</legend>
        {records.length === 0 ? <p>{t('member.noEvidence')}</p> : records.map((r) => (
          <label key={String(r.id)} className="check" data-evidence={String(r.id)}>
            <input type="checkbox" checked={form.evidence.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
            {t('member.evidenceItem', { id: String(r.id), type: documentTypeName(r.typeCode, locale), issuer: accountName(r.issuer), date: dateOf(r.createdAt) })}
            {r.createdAt < member.eligible_from && <span className="hint"> {t('member.beforeCover')}</span>}
          </label>
        ))}
        <p className="hint">{t('member.evidenceExplain')}</p>
      </fieldset>
      {keepHint}
      <button type="submit" className="primary" disabled={!canKeep}>{t('member.fileSubmit')}</button>
      <TxStatusLine status={status} />
    </form>
  );
}

function PoolClaimsCard({ desk, account, onChange }: { desk: Desk; account: Account; onChange: () => void }) {
  const accountName = useAccountLabel();
  const { t } = useI18n();
  // My own open claim has its card above.
  const others = desk.claims.filter((c) => c.id !== desk.member?.open_claim);
  return (
    <div className="card">
      <h3>{t('member.poolClaims')}</h3>
      {others.length === 0 ? <p>{t('member.noPoolClaims')}</p> : (
        <ul className="items" data-testid="pool-claims">
          {others.map((c) => (
            <li key={String(c.id)} data-claim={String(c.id)} data-status={c.status.type}>
              <p className="hint">{t('member.claimant', { who: c.claimant === account.address ? t('patient.you') : accountName(c.claimant) })}</p>
              <ClaimSummary claim={c} />
              <ClaimStepper claim={c} desk={desk} />
              <ClaimActions claim={c} desk={desk} account={account} onChange={onChange} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LedgerCard({ desk }: { desk: Desk }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const dateOf = useDateOf();
  const { pool, member, quote } = desk;
  const mine = member ? myShares(desk.points, member, pool.rules, desk.periodLength, quote ?? undefined) : null;
  const med = useAmount();
  const periodLabel = (period: number) => t('member.periodLabel', { period, date: dateOf(periodBlocks(period, desk.periodLength).first, false) });
  return (
    <div className="card" data-testid="ledger">
      <h3>{t('member.ledger')}</h3>
      <p className="hint">{t('member.ledgerExplain', { span: formatDuration(desk.periodLength, chain.blockTimeMs, tag), period: pool.current_period })}</p>
      {quote && pool.rules.funding.type === 'ShareAfterClaims' && (
        <p data-testid="quote">{t('member.quote', { total: med(quote.approved_total), members: quote.eligible_members, share: med(quote.per_member_share + quote.per_member_fee) })}</p>
      )}
      <LedgerChart points={desk.points} mine={mine} periodLabel={periodLabel} />
    </div>
  );
}
