// Guardians on the patient page: the patient names the people who may, any `threshold` of them
// together, give or withdraw access to their records for them when they cannot; and an account
// that guards someone approves or proposes such an action here.
import { useState, type FormEvent } from 'react';
import { useChain, useHead } from '../chain/connection';
import { DateField } from '../chain/DateField';
import { dateInputIn } from '../chain/format';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useAmount } from '../chain/useAmount';
import { useDateOf } from '../chain/useDateOf';
import { useDesk } from '../chain/useDesk';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Account } from '../wallet/accounts';
import { RegisteredAccounts } from '../wallet/RegisteredAccounts';
import { KnownAccounts, useAccountLabel } from '../wallet/wallet';
import { canApprove, guardiansArgs, proposalItem, type GuardianActionArg, type ProposalItem } from './guardians';
import { grantArgs, PURPOSES, type Purpose } from './grants';

interface GuardianSetItem { guardians: string[]; threshold: number }
interface Guarded { patient: string; set: GuardianSetItem; proposals: ProposalItem[]; grantees: string[] }
interface GuardiansDesk {
  now: number;
  mine: GuardianSetItem | null;
  myProposals: ProposalItem[];
  guarded: Guarded[];
  max: number;
  deposit: bigint;
}

export function GuardiansSection({ account }: { account: Account }) {
  const [desk, refresh] = useDesk<GuardiansDesk>(async ({ chain, at, best }) => {
    const { Ehr } = chain.api.query;
    const [sets, now, max, ttl, deposit] = await Promise.all([
      Ehr.Guardians.getEntries(at),
      best(),
      chain.api.constants.Ehr.MaxGuardians(),
      chain.api.constants.Ehr.GuardianProposalTtl(),
      chain.api.constants.Ehr.GuardianDeposit(),
    ]);
    const proposalsOf = async (patient: string) => (await Ehr.GuardianProposals.getEntries(patient, at))
      .map((e) => proposalItem(patient, e.keyArgs[1], e.value, ttl));
    // No runtime API lists whom an account guards: the sets are read whole (as the clinician page
    // reads grants), the account's own among them.
    const mine = sets.find((e) => e.keyArgs[0] === account.address)?.value;
    const guardedSets = sets.filter((e) => e.value.guardians.includes(account.address));
    const guarded = await Promise.all(guardedSets.map(async ({ keyArgs: [patient], value }) => ({
      patient,
      set: { guardians: value.guardians, threshold: value.threshold },
      proposals: await proposalsOf(patient),
      grantees: (await chain.api.apis.EhrApi.active_grants(patient, at)).map((g) => g.grantee),
    })));
    return {
      now, max, deposit, guarded,
      mine: mine ? { guardians: mine.guardians, threshold: mine.threshold } : null,
      myProposals: await proposalsOf(account.address),
    };
  }, [account]);
  if (!desk) return null;
  return (
    <>
      <MyGuardians account={account} desk={desk} onChange={refresh} />
      {desk.guarded.length > 0 && (
        <div className="card" data-testid="guarded">
          <GuardedHeading />
          {desk.guarded.map((g) => <GuardedPatient key={g.patient} account={account} guarded={g} now={desk.now} onChange={refresh} />)}
        </div>
      )}
    </>
  );
}

function GuardedHeading() {
  const { t } = useI18n();
  return <><h3>{t('guardians.guardedTitle')}</h3><p className="hint">{t('guardians.guardedExplain')}</p></>;
}

function MyGuardians({ account, desk, onChange }: { account: Account; desk: GuardiansDesk; onChange: () => void }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const amount = useAmount();
  const accountName = useAccountLabel();
  const setTx = useTx();
  const removeTx = useTx();
  const [listed, setListed] = useState<string[]>(['', '']);
  const [threshold, setThreshold] = useState('1');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const names = (accounts: string[]) => new Intl.ListFormat(tag, { type: 'conjunction' }).format(accounts.map(accountName));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = guardiansArgs(account.address, listed, threshold, desk.max);
    if (!checked.ok) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    const outcome = await setTx.send(chain.api.tx.Ehr.set_guardians(checked.args), account);
    if (outcome.ok) {
      setListed(['', '']);
      onChange();
    }
  };
  const remove = async () => {
    if ((await removeTx.send(chain.api.tx.Ehr.remove_guardians(), account)).ok) onChange();
  };
  // One empty field more than those filled, up to the chain's limit.
  const shown = Math.min(desk.max, Math.max(2, listed.filter((a) => a.trim()).length + 1));
  const fields = Array.from({ length: shown }, (_, i) => listed[i] ?? '');
  return (
    <div className="card" data-testid="guardians">
      <h3>{t('guardians.title')}</h3>
      <p className="hint">{t('guardians.explain', { deposit: amount(desk.deposit) })}</p>
      {desk.mine ? (
        <p data-testid="guardian-set">
          {t('guardians.current', { names: names(desk.mine.guardians), threshold: desk.mine.threshold, count: desk.mine.guardians.length })}
          {' '}<button type="button" onClick={() => void remove()}>{t('guardians.remove')}</button>
        </p>
      ) : <p>{t('guardians.none')}</p>}
      <TxStatusLine status={removeTx.status} />
      {desk.myProposals.length > 0 && (
        <ul className="items" aria-label={t('guardians.pending')}>
          {desk.myProposals.map((p) => <ProposalRow key={p.hash} account={account} proposal={p} threshold={desk.mine?.threshold} now={desk.now} onChange={onChange} as="patient" />)}
        </ul>
      )}
      <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="guardians-form-title" noValidate>
        <h4 id="guardians-form-title">{t(desk.mine ? 'guardians.replaceTitle' : 'guardians.setTitle')}</h4>
        {fields.map((value, i) => (
          <label className="field" key={i}>{t('guardians.guardian', { n: i + 1 })}
            <input name={`guardian-${i + 1}`} list="guardian-accounts" value={value} autoComplete="off" spellCheck={false}
              onChange={(e) => setListed(fields.map((v, j) => (j === i ? e.target.value : v)))} />
          </label>
        ))}
        <KnownAccounts id="guardian-accounts" except={account.address} />
        <label className="field">{t('guardians.threshold')}
          <input name="threshold" value={threshold} onChange={(e) => setThreshold(e.target.value)} inputMode="numeric" />
        </label>
        {problem && <p role="alert" className="error">{t('patient.invalid', { problem: t(problem, { max: desk.max }) })}</p>}
        <button type="submit">{t('guardians.submit')}</button>
        <TxStatusLine status={setTx.status} />
      </form>
    </div>
  );
}

/** One pending proposal: what it does, who approved it, and what this account can do about it. */
function ProposalRow({ account, proposal, threshold, now, onChange, as }: { account: Account; proposal: ProposalItem; threshold?: number; now: number; onChange: () => void; as: 'patient' | 'guardian' }) {
  const chain = useChain();
  const { t } = useI18n();
  const accountName = useAccountLabel();
  const dateOf = useDateOf();
  const tx = useTx();
  const { action } = proposal;
  const what = action.kind === 'Grant'
    ? t('guardians.proposal.grant', { grantee: accountName(action.grantee), purpose: t(`purpose.${action.purpose}` as MessageKey), date: dateOf(action.expiresAt, false) })
    : t('guardians.proposal.revoke', { grantee: accountName(action.grantee) });
  const act = async () => {
    const call = as === 'guardian'
      ? chain.api.tx.Ehr.guardian_approve({ patient: proposal.patient, action: proposal.arg })
      : chain.api.tx.Ehr.guardian_cancel({ patient: proposal.patient, proposal: proposal.hash });
    if ((await tx.send(call, account)).ok) onChange();
  };
  const lapsed = now >= proposal.lapsesAt;
  return (
    <li data-proposal={proposal.hash}>
      {what} {t('guardians.approvals', { approvals: proposal.approvals.length, threshold: threshold ?? '?', proposer: accountName(proposal.proposer), date: dateOf(proposal.lapsesAt, false) })}
      {lapsed && <> {t('guardians.lapsed')}</>}
      {' '}
      {as === 'guardian' && canApprove(proposal, account.address, now) && <button type="button" onClick={() => void act()}>{t('guardians.approve')}</button>}
      {as === 'patient' && <button type="button" onClick={() => void act()}>{t('guardians.cancel')}</button>}
      <TxStatusLine status={tx.status} />
    </li>
  );
}

/** A patient this account guards: their pending proposals, and a new one (withdraw or give access). */
function GuardedPatient({ account, guarded, now, onChange }: { account: Account; guarded: Guarded; now: number; onChange: () => void }) {
  const chain = useChain();
  const head = useHead();
  const { t } = useI18n();
  const accountName = useAccountLabel();
  const tx = useTx();
  const inAWeek = dateInputIn(7);
  const [kind, setKind] = useState<'Grant' | 'Revoke'>('Grant');
  const [grantee, setGrantee] = useState('');
  const [purpose, setPurpose] = useState<Purpose>('Treatment');
  const [expiry, setExpiry] = useState(inAWeek);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const { patient, set } = guarded;
  const listId = `guarded-${patient}`;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!head) return;
    let action: GuardianActionArg;
    if (kind === 'Revoke') {
      if (!guarded.grantees.includes(grantee)) {
        setProblem('guardians.invalid.revoke');
        return;
      }
      action = { type: 'Revoke', value: { grantee } };
    } else {
      // Guardians give read access to every record, for a purpose and until a date.
      const checked = grantArgs({ grantee, scope: 'All', scopeItems: '', read: true, append: false, purpose, expiry, maxReads: '' }, head, chain.blockTimeMs);
      if (!checked.ok) {
        setProblem(checked.problem);
        return;
      }
      action = { type: 'Grant', value: checked.args };
    }
    setProblem(null);
    if ((await tx.send(chain.api.tx.Ehr.guardian_approve({ patient, action }), account)).ok) {
      setGrantee('');
      onChange();
    }
  };
  return (
    <section aria-label={accountName(patient)} data-guarded={patient}>
      <h4>{t('guardians.of', { patient: accountName(patient), threshold: set.threshold, count: set.guardians.length })}</h4>
      {guarded.proposals.length > 0 && (
        <ul className="items">
          {guarded.proposals.map((p) => <ProposalRow key={p.hash} account={account} proposal={p} threshold={set.threshold} now={now} onChange={onChange} as="guardian" />)}
        </ul>
      )}
      <form onSubmit={(e) => void onSubmit(e)} className="nested" aria-label={t('guardians.proposeTitle', { patient: accountName(patient) })} noValidate>
        <label className="field">{t('guardians.proposeKind')}
          <select value={kind} onChange={(e) => { setKind(e.target.value as 'Grant' | 'Revoke'); setGrantee(''); }}>
            <option value="Grant">{t('guardians.kind.Grant')}</option>
            <option value="Revoke">{t('guardians.kind.Revoke')}</option>
          </select>
        </label>
        {kind === 'Grant' ? (
          <>
            <label className="field">{t('patient.grantee')}
              <input name="guarded-grantee" list={listId} value={grantee} onChange={(e) => setGrantee(e.target.value)} autoComplete="off" spellCheck={false} />
            </label>
            <RegisteredAccounts id={listId} registry="providers" except={patient} />
            <label className="field">{t('patient.purpose')}
              <select value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>
                {PURPOSES.map((p) => <option key={p} value={p}>{t(`purpose.${p}`)}</option>)}
              </select>
            </label>
            <DateField label={t('patient.expiry')} name={`guarded-expiry-${patient}`} value={expiry} onChange={setExpiry} />
            <p className="hint">{t('guardians.grantKeys')}</p>
          </>
        ) : (
          <label className="field">{t('guardians.revokeWhom')}
            <select value={grantee} onChange={(e) => setGrantee(e.target.value)}>
              <option value="">—</option>
              {guarded.grantees.map((g) => <option key={g} value={g}>{accountName(g)}</option>)}
            </select>
          </label>
        )}
        {problem && <p role="alert" className="error">{t('patient.invalid', { problem: t(problem) })}</p>}
        <button type="submit">{t('guardians.propose')}</button>
        <TxStatusLine status={tx.status} />
      </form>
    </section>
  );
}
