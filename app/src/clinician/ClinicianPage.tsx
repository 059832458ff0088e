// The clinician's page (a registered EHR provider): my encryption key; the patients whose grants
// (or my break-glass accesses) let me in, with their records — opening one logs the read on chain
// (`Ehr.log_access`), then fetches the sealed object and the key envelope addressed to me from
// the vault, opens it in this browser and checks it against the commitment on chain; adding a
// record under an append grant (sealed here to the patient's registered key); asking a patient
// for access; break-glass.
import { useState, type FormEvent } from 'react';
import { Binary } from 'polkadot-api';
import { useChain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { formatAmount } from '../chain/format';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useDateOf } from '../chain/useDateOf';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { KeyOnChain, KeySetup, useKeyAgreement } from '../keys/KeyPanel';
import { KeystorePanel, useCanKeep } from '../keys/KeystorePanel';
import type { KeyAgreementKey } from '../keys/key-agreement';
import { registeredKeyOf } from '../keys/registry';
import { documentTypeName } from '../patient/document-types';
import { RecordForm } from '../patient/RecordForm';
import { scopeCovers } from '../patient/grants';
import { TermsFields } from '../patient/TermsFields';
import { AsSelectedAccount } from '../wallet/AccountPicker';
import type { Account } from '../wallet/accounts';
import { KnownAccounts, useAccountLabel } from '../wallet/wallet';
import { DevRoleHint } from '../wallet/DevRoleHint';
import { holdsClinicianRole } from '../wallet/roles';
import { openSealedRecord } from '../../../scripts/lib/record-seal.mjs';
import { VaultError } from '../../../scripts/lib/vault-client.mjs';
import { vaultAs } from '../chain/vault';
import { commitAndKeep } from '../chain/commitments';
import { patientsOf, requestArgs, retrying, type PatientAccess, type RequestForm } from './access';

interface RecordItem { id: bigint; typeCode: string; version: number; issuer: string; createdAt: number; contentId?: string; commitment: string }
interface PendingRequest { patient: string; purpose: string; duration: number; expiresAt: number }
interface ClinicianView { provider: { kind: string; status: string } | null | undefined; patients: PatientAccess[]; requests: PendingRequest[] }

export function ClinicianPage() {
  return <AsSelectedAccount page={(account) => <ClinicianDesk account={account} />} />;
}

function ClinicianDesk({ account }: { account: Account }) {
  const { t } = useI18n();
  const [key, setKey] = useKeyAgreement(account);
  const [{ provider, patients, requests }, refresh] = useDesk<ClinicianView>(async ({ chain, at, best }) => {
    const { Ehr } = chain.api.query;
    // No runtime API lists grants by grantee yet: the grants, requests and break-glass
    // accesses are read whole and filtered here (fine for a dev chain; see app/README.md).
    const [info, grants, breakGlasses, pending, now] = await Promise.all([
      Ehr.Providers.getValue(account.address, at),
      Ehr.Grants.getEntries(at),
      Ehr.BreakGlasses.getEntries(at),
      Ehr.Requests.getEntries(at),
      best(),
    ]);
    return {
      provider: info ? { kind: info.kind.type, status: info.status.type } : null,
      patients: patientsOf(account.address, now, grants as never, breakGlasses as never),
      requests: pending.filter((r) => r.keyArgs[1] === account.address).map((r) => ({
        patient: r.keyArgs[0], purpose: r.value.purpose.type, duration: r.value.duration, expiresAt: r.value.expires_at,
      })),
    };
  }, [account], { initial: { provider: undefined, patients: [], requests: [] } });

  return (
    <section aria-labelledby="clinician-title">
      <h2 id="clinician-title">{t('clinician.title')}</h2>
      <p>{t('clinician.intro')}</p>
      <div className="card">
        {provider === null && <p role="alert" className="error" data-testid="not-provider">{t('clinician.notProvider')}</p>}
        {provider === null && <DevRoleHint holds={holdsClinicianRole} />}
        {provider && (
          <p data-testid="provider">{t('clinician.provider', { kind: t(`provider.${provider.kind}` as MessageKey), status: t(`provider.status.${provider.status}` as MessageKey) })}</p>
        )}
        {account.devSecretUri && <p className="hint">{t('key.dev')}</p>}
        {/* Every account: a break-glass reason is kept here too. */}
        <KeystorePanel account={account} />
        {key === null && <KeySetup account={account} onReady={setKey} />}
        {key && <KeyOnChain account={account} keyAgreement={key} />}
      </div>
      <PatientsSection account={account} keyAgreement={key ?? null} patients={patients} onChange={refresh} />
      <RequestSection account={account} requests={requests} onChange={refresh} />
      <BreakGlassSection account={account} onChange={refresh} />
    </section>
  );
}

function PatientsSection({ account, keyAgreement, patients, onChange }: { account: Account; keyAgreement: KeyAgreementKey | null; patients: PatientAccess[]; onChange: () => void }) {
  const accountName = useAccountLabel();
  const { t } = useI18n();
  const dateOf = useDateOf();
  return (
    <div className="card">
      <h3>{t('clinician.patients')}</h3>
      {patients.length === 0 ? <p>{t('clinician.noPatients')}</p> : (
        <ul className="items" data-testid="patients">
          {patients.map((p) => (
            <li key={`${p.patient}:${p.basis}`} data-patient={p.patient} data-basis={p.basis}>
              <p>
                {t(p.basis === 'Grant' ? 'clinician.grantFrom' : 'clinician.breakGlassTo', {
                  patient: accountName(p.patient),
                  actions: [p.read && t('patient.action.read'), p.append && t('patient.action.append')].filter(Boolean).join(' + '),
                  purpose: t(`purpose.${p.purpose}` as MessageKey),
                  date: dateOf(p.expiresAt),
                  reads: p.readsLeft !== undefined ? t('patient.readsLeft', { reads: p.readsLeft }) : '',
                })}
              </p>
              <PatientRecords account={account} keyAgreement={keyAgreement} access={p} onChange={onChange} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PatientRecords({ account, keyAgreement, access, onChange }: { account: Account; keyAgreement: KeyAgreementKey | null; access: PatientAccess; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t, locale } = useI18n();
  const dateOf = useDateOf();
  const tx = useTx();
  const [opened, setOpened] = useState<{ id: bigint; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [records] = useDesk(async ({ chain, at }) => (await chain.api.apis.EhrApi.records(access.patient, at))
    .map((r) => ({ id: r.id, typeCode: Binary.toText(r.type_code), version: r.version, issuer: r.issuer, createdAt: r.created_at, contentId: r.content_id, commitment: r.commitment }))
    .filter((r) => scopeCovers(access.scope, r.id, r.typeCode)), [access], { initial: [] as RecordItem[] });

  const openRecord = async (record: RecordItem) => {
    if (!keyAgreement || !record.contentId) return;
    setBusy(true);
    setOpened(null);
    try {
      const outcome = await tx.send(chain.api.tx.Ehr.log_access({ patient: access.patient, record_id: record.id, purpose: { type: access.purpose as never, value: undefined } }), account);
      if (!outcome.ok) return;
      onChange();
      tx.setStatus({ tone: 'info', text: t('clinician.fetching') });
      const vault = vaultAs(chain, account);
      // The vault serves the read once the chain's finalized head has the logged access.
      const text = await retrying(
        () => openSealedRecord(vault, keyAgreement, Binary.fromHex(chain.genesisHash), { contentId: record.contentId, commitment: record.commitment }),
        (error) => error instanceof VaultError && error.reason === 'access-not-logged',
      );
      setOpened({ id: record.id, text });
      tx.setStatus({ tone: 'good', text: t('clinician.opened', { block: outcome.block }) });
    } catch (error) {
      tx.setStatus({ tone: 'danger', text: t('clinician.openFailed', { reason: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {records.length === 0 ? <p className="hint">{t('patient.noRecords')}</p> : (
        <ul className="items">
          {records.map((r) => (
            <li key={String(r.id)} data-record={String(r.id)}>
              {t('clinician.record', { id: String(r.id), type: documentTypeName(r.typeCode, locale), version: r.version, date: dateOf(r.createdAt), issuer: accountName(r.issuer) })}
              {' '}
              {access.read && (
                <button type="button" disabled={busy || !keyAgreement} onClick={() => void openRecord(r)}>{t('clinician.open')}</button>
              )}
              {opened?.id === r.id && <pre className="opened" data-testid="opened-record">{opened.text}</pre>}
            </li>
          ))}
        </ul>
      )}
      <TxStatusLine status={tx.status} />
      {access.append && <AddRecordFor account={account} patient={access.patient} onAdded={onChange} />}
    </>
  );
}

/** A record for a patient under an append grant: sealed here to the patient's registered key. */
function AddRecordFor({ account, patient, onAdded }: { account: Account; patient: string; onAdded: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t } = useI18n();
  return (
    <RecordForm
      account={account} patient={patient} patientKey={() => registeredKeyOf(chain, patient)} noKey="clinician.patientNoKey"
      added="clinician.added" title={t('clinician.addFor', { patient: accountName(patient) })} onAdded={onAdded} className="nested"
    />
  );
}

function RequestSection({ account, requests, onChange }: { account: Account; requests: PendingRequest[]; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const requestTx = useTx();
  const cancelTx = useTx();
  const [form, setForm] = useState<RequestForm>({ patient: '', scope: 'All', scopeItems: '', read: true, append: false, purpose: 'Treatment', days: '30' });
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const update = (change: Partial<RequestForm>) => setForm((f) => ({ ...f, ...change }));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = requestArgs(form, account.address, chain.blockTimeMs);
    if (!checked.ok) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    const outcome = await requestTx.send(chain.api.tx.Ehr.request_access(checked.args), account);
    if (outcome.ok) onChange();
  };
  const cancel = async (patient: string) => {
    const outcome = await cancelTx.send(chain.api.tx.Ehr.cancel_request({ patient }), account);
    if (outcome.ok) onChange();
  };
  const days = (blocks: number) => Math.round((blocks * chain.blockTimeMs) / 86_400_000);
  return (
    <div className="card">
      <h3>{t('clinician.requests')}</h3>
      {requests.length > 0 && (
        <ul className="items" data-testid="requests">
          {requests.map((r) => (
            <li key={r.patient} data-request-to={r.patient}>
              {t('clinician.pending', { patient: accountName(r.patient), purpose: t(`purpose.${r.purpose}` as MessageKey), days: days(r.duration), date: dateOf(r.expiresAt) })}
              {' '}<button type="button" onClick={() => void cancel(r.patient)}>{t('clinician.cancelRequest')}</button>
            </li>
          ))}
        </ul>
      )}
      <TxStatusLine status={cancelTx.status} />
      <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="request-title" noValidate>
        <h4 id="request-title">{t('clinician.requestTitle')}</h4>
        <p className="hint">{t('clinician.requestExplain')}</p>
        <label className="field">{t('clinician.patient')}
          <input name="patient" list="request-patients" value={form.patient} onChange={(e) => update({ patient: e.target.value })} autoComplete="off" spellCheck={false} />
        </label>
        <KnownAccounts id="request-patients" except={account.address} />
        <TermsFields terms={form} update={update} voice="clinician" />
        <label className="field">{t('clinician.days')}
          <input name="days" value={form.days} onChange={(e) => update({ days: e.target.value })} inputMode="numeric" />
        </label>
        {problem && <p role="alert" className="error">{t('patient.invalid', { problem: t(problem) })}</p>}
        <button type="submit">{t('clinician.requestSubmit')}</button>
        <TxStatusLine status={requestTx.status} />
      </form>
    </div>
  );
}

/** Break-glass: emergency read access without consent, with its deposit and review explained. */
function BreakGlassSection({ account, onChange }: { account: Account; onChange: () => void }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const { send, status } = useTx();
  const [patient, setPatient] = useState('');
  const [reason, setReason] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [canKeep, keepHint] = useCanKeep(account);
  // The runtime's constants: read once.
  const [terms] = useDesk(({ chain: c }) => Promise.all([c.api.constants.Ehr.BreakGlassDeposit(), c.api.constants.Ehr.BreakGlassDuration()]).then(
    ([deposit, duration]) => ({ deposit, duration }),
    () => null,
  ), [], { eachBlock: false, initial: null });
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    // The reason stays off chain: a salted commitment goes on chain, the text and salt stay in
    // this browser for the reviewer.
    const commitment = commitAndKeep(account.address, `break-glass ${patient.trim()}`, reason);
    const outcome = await send(chain.api.tx.Ehr.break_glass({ patient: patient.trim(), reason_commitment: commitment }), account);
    if (outcome.ok) {
      setReason('');
      setUnderstood(false);
      onChange();
    }
  };
  const minutes = terms ? Math.round((terms.duration * chain.blockTimeMs) / 60_000) : 0;
  return (
    <div className="card break-glass">
      <h3>{t('clinician.breakGlass')}</h3>
      <p role="note" className="warning">
        {terms ? t('clinician.breakGlassWarning', { deposit: formatAmount(terms.deposit, chain.decimals, chain.symbol, tag), minutes }) : '…'}
      </p>
      <form onSubmit={(e) => void onSubmit(e)} aria-label={t('clinician.breakGlass')}>
        <label className="field">{t('clinician.patient')}
          <input name="bg-patient" value={patient} onChange={(e) => setPatient(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <label className="field">{t('clinician.breakGlassReason')}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required />
        </label>
        <label><input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> {t('clinician.breakGlassConfirm')}</label>
        {keepHint}
        <button type="submit" className="danger" disabled={!understood || !reason.trim() || !patient.trim() || !canKeep}>{t('clinician.breakGlassSubmit')}</button>
        <TxStatusLine status={status} />
      </form>
    </div>
  );
}
