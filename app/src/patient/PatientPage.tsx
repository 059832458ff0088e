// The patient's page: their records (adding one, sealed in this browser, its storage paid with
// it; erasing one, its order ended and its sealed copy erased first), their storage orders, who
// may read them (grant, revoke; and the claim reviewers who may) and who opened them (the access
// log as a timeline). Reads through `EhrApi` and `StoragePowerApi`.
import { useState, type FormEvent } from 'react';
import { Binary } from 'polkadot-api';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { useChain, useHead } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { DateField } from '../chain/DateField';
import { GuardiansSection } from './Guardians';
import { dateInputIn, formatBytes, formatDate } from '../chain/format';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useTx } from '../chain/useTx';
import { usePrice } from '../chain/useAmount';
import { vaultAs } from '../chain/vault';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { AsSelectedAccount } from '../wallet/AccountPicker';
import type { Account } from '../wallet/accounts';
import { RegisteredAccounts } from '../wallet/RegisteredAccounts';
import { useAccountLabel } from '../wallet/wallet';
import { grantArgs, type GrantForm, type StoredScope } from './grants';
import { TermsFields } from './TermsFields';
import type { SealedRecordRef } from './deliver';
import { useKeyDelivery } from './useKeyDelivery';
import { termsHashOf, type RequestTerms } from './requests';
import type { KeyAgreementKey } from '../keys/key-agreement';
import { KeyOnChain, KeySetup, useKeyAgreement } from '../keys/KeyPanel';
import { KeystorePanel } from '../keys/KeystorePanel';
import { documentTypeName } from './document-types';
import { RecordForm } from './RecordForm';
import { useDateOf } from '../chain/useDateOf';
import { timelineOf, type LogEntry } from './timeline';
import { reviewRows, type ReviewRow } from './reviews';
import { DEFAULT_REPLICAS, ORDER_ERAS, endableRecordOrders, orderRows, type OrderRow } from './orders';
import { StorageChoice, StorageOrdersSection, type StorageTerms } from './StorageOrders';
import { eraseObject } from './erase';
import { openOwnRecord } from '../../../scripts/lib/record-seal.mjs';

interface RecordItem extends SealedRecordRef { issuer: string; version: number; size: bigint | number; createdAt: number; commitment: string }
interface RequestItem extends RequestTerms { requester: string; expiresAt: number }
interface GrantItem { grantee: string; scope: StoredScope; read: boolean; append: boolean; purpose: string; expiresAt: number; readsLeft?: number }
/** `issuerOrders`: live orders placed by the issuers of the patient's records for those records, which the patient, as their data subject, may end. */
interface PatientDesk { records: RecordItem[]; grants: GrantItem[]; reviews: ReviewRow[]; requests: RequestItem[]; log: LogEntry[]; orders: OrderRow[]; issuerOrders: OrderRow[]; storage?: StorageTerms }

export function PatientPage() {
  return <AsSelectedAccount page={(account) => <PatientFile account={account} />} />;
}

function PatientFile({ account }: { account: Account }) {
  const { t } = useI18n();
  const [key, setKey] = useKeyAgreement(account);
  const [{ records, grants, reviews, requests, log, orders, issuerOrders, storage }, refresh] = useDesk<PatientDesk>(async ({ chain, at, best }) => {
    const { EhrApi, StoragePowerApi } = chain.api.apis;
    const [recordViews, grantViews, reviewViews, logged, pending, now, orderViews, economics, eraLength, maxOrderEras] = await Promise.all([
      EhrApi.records(account.address, at),
      EhrApi.active_grants(account.address, at),
      EhrApi.review_accesses(account.address, at),
      chain.api.query.Ehr.AccessLogNext.getValue(account.address, at),
      chain.api.query.Ehr.Requests.getEntries(account.address, at),
      best(),
      StoragePowerApi.orders_of(account.address, at),
      StoragePowerApi.economics(at),
      chain.api.constants.StoragePower.EraLength(),
      chain.api.constants.StoragePower.MaxOrderEras(),
    ]);
    // The newest 100 entries; the chain keeps the last MaxAccessLogLen.
    const entries = await EhrApi.access_log(account.address, Math.max(0, logged - 100), 100, at);
    // The orders each record's issuer placed for its object: one small read per record, however
    // many orders the issuer has.
    const issued = recordViews.flatMap((r) => (r.content_id !== undefined && r.issuer !== account.address ? [{ contentId: r.content_id, issuer: r.issuer }] : []));
    const issuedViews = (await Promise.all(issued.map(({ contentId, issuer }) => StoragePowerApi.orders_of_content(contentId, issuer, at)))).flat();
    const records = recordViews.map((r) => ({
      id: r.id, issuer: r.issuer, typeCode: Binary.toText(r.type_code), version: r.version, size: r.size, createdAt: r.created_at, contentId: r.content_id, locator: r.locator, commitment: r.commitment,
    }));
    return {
      records,
      grants: grantViews.map((g) => ({
        grantee: g.grantee,
        scope: g.scope as StoredScope,
        read: g.actions.read,
        append: g.actions.append,
        purpose: g.purpose.type,
        expiresAt: g.expires_at,
        readsLeft: g.reads_left,
      })),
      reviews: reviewRows(reviewViews, records),
      requests: pending.filter((r) => r.value.expires_at > now).map((r) => ({
        requester: r.keyArgs[1], scope: r.value.scope as StoredScope, actions: r.value.actions, purpose: r.value.purpose as RequestTerms['purpose'],
        duration: r.value.duration, expiresAt: r.value.expires_at,
      })),
      log: entries.map((e) => ({ index: e.index, accessor: e.accessor, recordId: e.record_id, purpose: e.purpose.type, basis: e.basis.type, at: e.at })),
      orders: orderRows(orderViews, records, economics.era),
      issuerOrders: endableRecordOrders(issuedViews, records, economics.era),
      storage: { era: economics.era, eraLength, pricePerGibEra: economics.price_per_gib_era, maxOrderEras },
    };
  }, [account], { initial: { records: [], grants: [], reviews: [], requests: [], log: [], orders: [], issuerOrders: [] } });

  return (
    <section aria-labelledby="patient-title">
      <h2 id="patient-title">{t('patient.title')}</h2>
      <p>{t('patient.intro')}</p>
      {/* Requests wait for the patient's answer: first on the page while there are any. */}
      <RequestsSection account={account} requests={requests} records={records} keyAgreement={key} onChange={refresh} />
      <RecordsSection account={account} records={records} orders={orders} issuerOrders={issuerOrders} onChange={refresh} keyAgreement={key} setKeyAgreement={setKey} />
      <StorageOrdersSection account={account} rows={orders} terms={storage} onChange={refresh} />
      <GrantsSection account={account} grants={grants} records={records} keyAgreement={key} onChange={refresh} />
      <GuardiansSection account={account} />
      <ReviewsSection reviews={reviews} />
      <AccessLogSection log={log} />
    </section>
  );
}

function RecordsSection({ account, records, orders, issuerOrders, onChange, keyAgreement, setKeyAgreement }: { account: Account; records: RecordItem[]; orders: OrderRow[]; issuerOrders: OrderRow[]; onChange: () => void } & KeyProps) {
  const accountName = useAccountLabel();
  const { t, tag, locale } = useI18n();
  const dateOf = useDateOf();
  const typeName = (code: string) => documentTypeName(code, locale);
  return (
    <div className="card">
      <h3>{t('patient.records')}</h3>
      {records.length === 0 ? <p>{t('patient.noRecords')}</p> : (
        <ul className="items" data-testid="records">
          {records.map((r) => (
            <li key={String(r.id)} data-record={String(r.id)}>
              {t('patient.record', {
                id: String(r.id), type: typeName(r.typeCode), version: r.version, size: formatBytes(Number(r.size), tag),
                date: dateOf(r.createdAt), issuer: r.issuer === account.address ? t('patient.you') : accountName(r.issuer),
              })}
              <OpenOwnRecord account={account} record={r} keyAgreement={keyAgreement} />
              <EraseRecord account={account} record={r} order={orders.find((o) => o.live && o.recordId === r.id)} issuerOrder={issuerOrders.find((o) => o.recordId === r.id)} onErased={onChange} />
            </li>
          ))}
        </ul>
      )}
      <AddRecord account={account} onAdded={onChange} keyAgreement={keyAgreement} setKeyAgreement={setKeyAgreement} />
    </div>
  );
}

/**
 * The patient reads their own record: the sealed object from the vault (which serves a record's
 * patient without a logged read), its data key from the locator sealed to them or the envelope
 * its issuer left them, opened with their key-agreement key and checked against the commitment.
 */
function OpenOwnRecord({ account, record, keyAgreement }: { account: Account; record: RecordItem; keyAgreement: KeyAgreementKey | null | undefined }) {
  const chain = useChain();
  const { t } = useI18n();
  const [opened, setOpened] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!record.contentId) return null;
  const contentId = record.contentId;
  const openIt = async () => {
    if (!keyAgreement) return;
    setBusy(true);
    setFailure(null);
    try {
      setOpened(await openOwnRecord(vaultAs(chain, account), keyAgreement, Binary.fromHex(chain.genesisHash), { contentId, commitment: record.commitment, locator: record.locator }));
    } catch (error) {
      setFailure(t('patient.openFailed', { reason: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {' '}
      {opened === null
        ? <button type="button" disabled={busy || !keyAgreement} title={keyAgreement ? undefined : t('patient.openNeedsKey')} onClick={() => void openIt()}>{t('patient.open')}</button>
        : <button type="button" onClick={() => setOpened(null)}>{t('patient.close')}</button>}
      {opened !== null && <pre className="opened" data-testid="own-record">{opened}</pre>}
      {failure && <p role="alert" className="error">{failure}</p>}
    </>
  );
}

/**
 * Erasing a record (the right to erasure), after saying what it means: the storage order the
 * patient paid for it, or else the one its issuer paid (the patient, as the record's data subject,
 * may end it; the refund goes to the issuer), is ended first (the vaults holding replicas refuse
 * to erase until then),
 * the sealed object and its key envelopes are erased in the vault while the chain still names
 * the patient, then the record on chain.
 */
function EraseRecord({ account, record, order: own, issuerOrder, onErased }: { account: Account; record: RecordItem; order: OrderRow | undefined; issuerOrder: OrderRow | undefined; onErased: () => void }) {
  const order = own ?? issuerOrder;
  const chain = useChain();
  const { t } = useI18n();
  const price = usePrice();
  const { send, status, setStatus } = useTx();
  const [open, setOpen] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const erase = async () => {
    setBusy(true);
    try {
      if (order && !(await send(chain.api.tx.StoragePower.cancel_order({ order_id: order.id }), account)).ok) return;
      if (record.contentId) {
        setStatus({ tone: 'info', text: t('patient.erasingObject') });
        if (await eraseObject(vaultAs(chain, account), hexToU8a(record.contentId)) === 'replica-held') {
          setStatus({ tone: 'danger', text: t('patient.eraseHeld') });
          return;
        }
      }
      if ((await send(chain.api.tx.Ehr.erase_record({ record_id: record.id }), account)).ok) {
        setStatus({ tone: 'good', text: t('patient.erased', { id: String(record.id) }) });
        onErased();
      }
    } catch (error) {
      setStatus({ tone: 'danger', text: t('tx.rejected', { reason: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
    }
  };
  if (!open) return <>{' '}<button type="button" className="danger" onClick={() => setOpen(true)}>{t('patient.erase')}</button></>;
  return (
    <div className="nested" data-testid="erase-record">
      <p className="hint">{t('patient.eraseExplain')}</p>
      {own && <p className="hint">{t('patient.eraseOrder', { order: String(own.id), refund: price(own.cancelRefund), deposit: price(own.deposit) })}</p>}
      {!own && issuerOrder && <p className="hint" data-testid="erase-issuer-order">{t('patient.eraseIssuerOrder', { order: String(issuerOrder.id), refund: price(issuerOrder.cancelRefund) })}</p>}
      <label><input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> {t('patient.eraseConfirm')}</label>
      {' '}<button type="button" className="danger" disabled={!understood || busy} onClick={() => void erase()}>{t('patient.eraseSubmit', { id: String(record.id) })}</button>
      {' '}<button type="button" disabled={busy} onClick={() => setOpen(false)}>{t('patient.eraseKeep')}</button>
      <TxStatusLine status={status} />
    </div>
  );
}

type KeyProps = { keyAgreement: KeyAgreementKey | null | undefined; setKeyAgreement: (key: KeyAgreementKey) => void };

/** The patient's own record: sealed, uploaded, and added with the order that pays for keeping it, in one signature. */
function AddRecord({ account, onAdded, keyAgreement: key, setKeyAgreement: setKey }: { account: Account; onAdded: () => void } & KeyProps) {
  const chain = useChain();
  const { t } = useI18n();
  const [eras, setEras] = useState<number>(ORDER_ERAS[0]);
  return (
    <RecordForm
      account={account} patient={account.address} patientKey={async () => key?.publicKey ?? null} noKey="key.notOnChain"
      added="patient.addedAndPaid" title={t('patient.addRecord')} onAdded={onAdded} disabled={!key}
      storage={(text) => <StorageChoice text={text} eras={eras} onEras={setEras} />}
      orderFor={({ contentId, size }) => chain.api.tx.StoragePower.place_order({ content_id: contentId, size_bytes: BigInt(size), replicas: DEFAULT_REPLICAS, eras })}
      before={<>
        {account.devSecretUri ? <p className="hint">{t('key.dev')}</p> : <KeystorePanel account={account} />}
        {key === null && <KeySetup account={account} onReady={setKey} />}
      </>}
      after={key && <>
        <p className="hint" data-testid="key-ready">{t('key.ready')} <code>{u8aToHex(key.publicKey).slice(0, 18)}…</code></p>
        <KeyOnChain account={account} keyAgreement={key} />
      </>}
    />
  );
}

function GrantsSection({ account, grants, records, keyAgreement, onChange }: { account: Account; grants: GrantItem[]; records: RecordItem[]; keyAgreement: KeyAgreementKey | null | undefined; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const head = useHead();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const revokeTx = useTx();
  const grantTx = useTx();
  const inAMonth = dateInputIn(30);
  const [form, setForm] = useState<GrantForm>({ grantee: '', scope: 'All', scopeItems: '', read: true, append: false, purpose: 'Treatment', expiry: inAMonth, maxReads: '' });
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [delivery, deliver, setDelivery] = useKeyDelivery(account, keyAgreement, records);
  const update = (change: Partial<GrantForm>) => setForm((f) => ({ ...f, ...change }));

  const revoke = async (grantee: string) => {
    const outcome = await revokeTx.send(chain.api.tx.Ehr.revoke_access({ grantee }), account);
    if (outcome.ok) onChange();
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!head) return;
    const checked = grantArgs(form, head, chain.blockTimeMs);
    if (!checked.ok) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    setDelivery(null);
    const outcome = await grantTx.send(chain.api.tx.Ehr.grant_access(checked.args), account);
    if (!outcome.ok) return;
    onChange();
    if (checked.args.actions.read) await deliver([checked.args.grantee], checked.args.scope);
  };
  const actionsText = (g: GrantItem) => [g.read && t('patient.action.read'), g.append && t('patient.action.append')].filter(Boolean).join(' + ');

  return (
    <div className="card">
      <h3>{t('patient.grants')}</h3>
      {grants.length === 0 ? <p>{t('patient.noGrants')}</p> : (
        <ul className="items" data-testid="grants">
          {grants.map((g) => (
            <li key={g.grantee} data-grantee={g.grantee}>
              {t('patient.grant', {
                grantee: accountName(g.grantee), scope: t(`patient.scope.${g.scope.type}` as MessageKey), actions: actionsText(g),
                purpose: t(`purpose.${g.purpose}` as MessageKey), date: dateOf(g.expiresAt, false),
                reads: g.readsLeft !== undefined ? t('patient.readsLeft', { reads: g.readsLeft }) : '',
              })}
              {' '}
              <button type="button" onClick={() => void revoke(g.grantee)}>{t('patient.revoke')}</button>
            </li>
          ))}
        </ul>
      )}
      <TxStatusLine status={revokeTx.status} />
      <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="grant-title" noValidate>
        <h4 id="grant-title">{t('patient.grantTitle')}</h4>
        <label className="field">{t('patient.grantee')}
          <input name="grantee" list="grantee-accounts" value={form.grantee} onChange={(e) => update({ grantee: e.target.value })} autoComplete="off" spellCheck={false} aria-describedby="grantee-hint" />
        </label>
        <p id="grantee-hint" className="hint">{t('patient.granteeHint')}</p>
        <RegisteredAccounts id="grantee-accounts" registry="providers" except={account.address} />
        <TermsFields terms={form} update={update} voice="patient" />
        <DateField label={t('patient.expiry')} name="expiry" value={form.expiry} onChange={(expiry) => update({ expiry })} />
        <label className="field">{t('patient.maxReads')}
          <input name="maxReads" value={form.maxReads} onChange={(e) => update({ maxReads: e.target.value })} inputMode="numeric" />
        </label>
        {problem && <p role="alert" className="error">{t('patient.invalid', { problem: t(problem) })}</p>}
        <button type="submit" disabled={!head}>{t('patient.grantSubmit')}</button>
        <TxStatusLine status={grantTx.status} />
        <div data-testid="key-delivery"><TxStatusLine status={delivery} /></div>
      </form>
    </div>
  );
}

/**
 * Providers' requests for access: their exact terms, approved by naming the hash of the terms
 * shown (checked against the chain's own first, so a request changed meanwhile is not approved
 * blindly) or refused. Approving read access delivers the records' keys as a grant does.
 */
function RequestsSection({ account, requests, records, keyAgreement, onChange }: { account: Account; requests: RequestItem[]; records: RecordItem[]; keyAgreement: KeyAgreementKey | null | undefined; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const { send, status, setStatus } = useTx();
  const [delivery, deliver, setDelivery] = useKeyDelivery(account, keyAgreement, records);
  if (requests.length === 0) return null;
  const answer = async (request: RequestItem, approve: boolean) => {
    setDelivery(null);
    let termsHash = `0x${'00'.repeat(32)}`;
    if (approve) {
      termsHash = await termsHashOf(account.address, request);
      const onChain = await chain.api.apis.EhrApi.request_terms(account.address, request.requester, { at: 'best' });
      if (onChain !== termsHash) {
        setStatus({ tone: 'danger', text: t('patient.requestChanged') });
        onChange();
        return;
      }
    }
    const outcome = await send(chain.api.tx.Ehr.respond_request({ requester: request.requester, approve, terms_hash: termsHash }), account);
    if (!outcome.ok) return;
    onChange();
    if (approve && request.actions.read) await deliver([request.requester], request.scope);
  };
  const days = (blocks: number) => Math.round((blocks * chain.blockTimeMs) / 86_400_000);
  return (
    <div className="card">
      <h3>{t('patient.requests', { count: requests.length })}</h3>
      <ul className="items" data-testid="requests">
        {requests.map((r) => (
          <li key={r.requester} data-requester={r.requester}>
            {t('patient.request', {
              requester: accountName(r.requester), scope: t(`patient.scope.${r.scope.type}` as MessageKey),
              actions: [r.actions.read && t('patient.action.read'), r.actions.append && t('patient.action.append')].filter(Boolean).join(' + '),
              purpose: t(`purpose.${r.purpose.type}` as MessageKey), days: days(r.duration), date: dateOf(r.expiresAt),
            })}
            {r.scope.type !== 'All' && <> ({r.scope.type === 'Types' ? r.scope.value.map((c) => Binary.toText(c)).join(', ') : r.scope.value.map((id) => `#${id}`).join(', ')})</>}
            {' '}<button type="button" className="primary" onClick={() => void answer(r, true)}>{t('patient.approve')}</button>
            {' '}<button type="button" onClick={() => void answer(r, false)}>{t('patient.refuse')}</button>
          </li>
        ))}
      </ul>
      <TxStatusLine status={status} />
      <div data-testid="request-key-delivery"><TxStatusLine status={delivery} /></div>
    </div>
  );
}

/** The claim reviewers who may read some of the patient's records: who, for which claim, which records, until when. */
function ReviewsSection({ reviews }: { reviews: ReviewRow[] }) {
  const accountName = useAccountLabel();
  const { t, tag, locale } = useI18n();
  const dateOf = useDateOf();
  const list = new Intl.ListFormat(tag, { type: 'conjunction' });
  const recordLabel = ({ id, typeCode }: ReviewRow['records'][number]) =>
    t('patient.reviewRecord', { id: String(id), type: typeCode ? documentTypeName(typeCode, locale) : '' }).trim();
  return (
    <div className="card">
      <h3>{t('patient.reviews')}</h3>
      {reviews.length === 0 ? <p>{t('patient.noReviews')}</p> : <>
        <p className="hint">{t('patient.reviewsExplain')}</p>
        <ul className="items" data-testid="review-accesses">
          {reviews.map((r) => (
            <li key={`${r.claim}-${r.reviewer}`} data-reviewer={r.reviewer} data-claim={String(r.claim)} data-records={r.records.map((rec) => String(rec.id)).join(',')}>
              {t('patient.review', { reviewer: accountName(r.reviewer), claim: String(r.claim), records: list.format(r.records.map(recordLabel)), date: dateOf(r.expiresAt) })}
            </li>
          ))}
        </ul>
      </>}
    </div>
  );
}

function AccessLogSection({ log }: { log: LogEntry[] }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const head = useHead();
  const { t, tag } = useI18n();
  const days = head ? timelineOf(log, head, chain.blockTimeMs) : [];
  const time = new Intl.DateTimeFormat(tag, { timeStyle: 'short' });
  return (
    <div className="card">
      <h3>{t('patient.log')}</h3>
      {days.length === 0 ? <p>{t('patient.noLog')}</p> : (
        <ol className="timeline" data-testid="access-log">
          {days.map((day) => (
            <li key={day.key}>
              <h4>{formatDate(day.date, tag, false)}</h4>
              <ul className="items">
                {day.entries.map((e) => (
                  <li key={e.index} data-log-index={e.index}>
                    <time dateTime={e.time.toISOString()}>{time.format(e.time)}</time>{' '}
                    {t('patient.logEntry', {
                      who: accountName(e.accessor), record: e.recordId !== undefined ? String(e.recordId) : '—',
                      purpose: t(`purpose.${e.purpose}` as MessageKey), basis: t(`patient.basis.${e.basis}` as MessageKey),
                    })}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
