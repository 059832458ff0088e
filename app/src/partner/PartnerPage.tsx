// The page of a licensed drug-provenance partner (manufacturer, wholesaler, pharmacy, …): my
// licence; transfers waiting for me (receive or refuse); my batches with their holders and
// custody trail; moving packs on (dispatch), dispensing, acknowledging a recall, reporting a
// suspect batch; a manufacturer's products and new batches (pack codes generated, or read from
// the manufacturer's own packs file, salts and the Merkle root computed in this browser, the
// labels file kept by the manufacturer, printable labels made from it); and a pharmacy's
// signed check of a pack, which raises a clone alarm when the pack was checked before.
import { lazy, Suspense, useCallback, useRef, useState, type FormEvent } from 'react';
import { Binary } from 'polkadot-api';
import { useChain, useHead } from '../chain/connection';
import { DateField } from '../chain/DateField';
import { dateInputIn } from '../chain/format';
import { useDesk } from '../chain/useDesk';

import { TxStatusLine } from '../chain/TxStatusLine';
import { useDateOf } from '../chain/useDateOf';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { AsSelectedAccount } from '../wallet/AccountPicker';
import type { Account } from '../wallet/accounts';
import { RegisteredAccounts } from '../wallet/RegisteredAccounts';
import { useAccountLabel } from '../wallet/wallet';
import { DevRoleHint } from '../wallet/DevRoleHint';
import { holdsPartnerRole } from '../wallet/roles';
import { canVerifyPack, dryRun, readBatch, verifyArgs } from '../medicine/check';
import { commitAndKeep } from '../chain/commitments';
import { KeystorePanel, useCanKeep } from '../keys/KeystorePanel';
import { parsePackCode } from '../../../scripts/lib/pack-labels.mjs';
import { isValidGtin } from '../../../scripts/lib/gs1.mjs';
import { batchArgs, custodyIndexFor, custodyOf, gtinKey, gtinText, MAX_PACKS, packCount, type BatchForm, type Custody, type PartnerBatch, type TransferItem } from './custody';
import { labelsCsv, labelsFromCsv, LabelsFileError, packLabels, type PackLabel } from './labels';
import { saveFile } from './save-file';
import { batchFromCsv, PacksFileError, type PacksBatch } from './packs';
import type { CsvFileError } from './csv';
import { generateBatch } from '../../../scripts/lib/drug-codes.mjs';

const Scanner = lazy(() => import('../medicine/Scanner').then((m) => ({ default: m.Scanner })));
// bwip-js and the sheet load when labels are first printed.
const LabelSheet = lazy(() => import('./LabelSheet').then((m) => ({ default: m.LabelSheet })));

interface Licence { role: string; gln: string; licensedUntil: number; suspended: boolean }
interface PartnerView { licence: Licence | null | undefined; custody: Custody; products: string[] }

export function PartnerPage() {
  return <AsSelectedAccount page={(account) => <PartnerDesk account={account} />} />;
}

function PartnerDesk({ account }: { account: Account }) {
  const { t } = useI18n();
  const dateOf = useDateOf();
  const [{ licence, custody, products }, refresh] = useDesk<PartnerView>(async ({ chain, at, best }) => {
    const q = chain.api.query.DrugProvenance;
    // No runtime API lists a partner's batches yet: batches, holdings and transfers are read
    // whole and filtered here (fine for a dev chain; see app/README.md).
    const [partner, batches, holdings, transfers, recallAcks, allProducts, now] = await Promise.all([
      q.Partners.getValue(account.address, at),
      q.Batches.getEntries(at),
      q.Holdings.getEntries(at),
      q.Transfers.getEntries(at),
      q.RecallAcks.getEntries(at),
      q.Products.getEntries(at),
      best(),
    ]);
    return {
      licence: partner ? { role: partner.role.type, gln: Binary.toText(Binary.fromHex(partner.gln)), licensedUntil: partner.licensed_until, suspended: partner.suspended } : null,
      custody: custodyOf(account.address, now, batches as never, holdings as never, transfers as never, recallAcks),
      products: allProducts.filter((p) => p.value.manufacturer === account.address).map((p) => gtinText(p.keyArgs[0])),
    };
  }, [account], { initial: { licence: undefined, custody: { batches: [], incoming: [] }, products: [] } });

  const role = licence?.role;
  return (
    <section aria-labelledby="partner-title">
      <h2 id="partner-title">{t('partner.title')}</h2>
      <p>{t('partner.intro')}</p>
      <div className="card">
        {licence === null && <p role="alert" className="error" data-testid="not-partner">{t('partner.notPartner')}</p>}
        {licence === null && <DevRoleHint holds={holdsPartnerRole} />}
        {licence && (
          <p data-testid="licence">
            {t('partner.licence', { role: t(`role.${licence.role}` as MessageKey), gln: licence.gln, date: dateOf(licence.licensedUntil, false) })}
            {licence.suspended && <strong> {t('partner.suspended')}</strong>}
          </p>
        )}
        {/* Shipment notes, evidence, product data and release certificates are kept here. */}
        {licence && <KeystorePanel account={account} />}
      </div>
      <Incoming account={account} incoming={custody.incoming} onChange={refresh} />
      <Batches account={account} batches={custody.batches} role={role} onChange={refresh} />
      {(role === 'Manufacturer' || role === 'Repackager') && <RegisterProduct account={account} onChange={refresh} />}
      {role === 'Manufacturer' && <RegisterBatch account={account} products={products} onChange={refresh} />}
      {licence && <PackCheck account={account} />}
    </section>
  );
}

function Incoming({ account, incoming, onChange }: { account: Account; incoming: TransferItem[]; onChange: () => void }) {
  const accountName = useAccountLabel();
  const chain = useChain();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const { send, status } = useTx();
  const settle = async (hop: TransferItem, accept: boolean) => {
    const args = { batch_id: hop.batchId, transfer_index: hop.index };
    const outcome = await send(accept ? chain.api.tx.DrugProvenance.receive(args) : chain.api.tx.DrugProvenance.reject(args), account);
    if (outcome.ok) onChange();
  };
  return (
    <div className="card">
      <h3>{t('partner.incoming')}</h3>
      {incoming.length === 0 ? <p>{t('partner.noIncoming')}</p> : (
        <ul className="items" data-testid="incoming">
          {incoming.map((hop) => (
            <li key={`${hop.batchId}:${hop.index}`} data-transfer={`${hop.batchId}:${hop.index}`}>
              {t('partner.incomingItem', { quantity: hop.quantity, lot: hop.lot, batch: hop.batchId, from: accountName(hop.from), date: dateOf(hop.dispatchedAt), until: dateOf(hop.expiresAt) })}
              {' '}<button type="button" onClick={() => void settle(hop, true)}>{t('partner.receive')}</button>
              {' '}<button type="button" onClick={() => void settle(hop, false)}>{t('partner.reject')}</button>
            </li>
          ))}
        </ul>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

function Batches({ account, batches, role, onChange }: { account: Account; batches: PartnerBatch[]; role?: string; onChange: () => void }) {
  const accountName = useAccountLabel();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const who = (address: string) => (address === account.address ? t('patient.you') : accountName(address));
  return (
    <div className="card">
      <h3>{t('partner.batches')}</h3>
      {batches.length === 0 ? <p>{t('partner.noBatches')}</p> : (
        <ul className="items" data-testid="batches">
          {batches.map((b) => (
            <li key={b.id} data-batch={b.id} data-status={b.status}>
              <p><strong>{t('batch.title', { lot: b.lot, gtin: b.gtin })}</strong> · {t('batch.status', { status: t(`batch.status.${b.status}` as MessageKey) })} · {t('batch.expiry', { date: dateOf(b.expiry, false) })}</p>
              <p data-testid="holding">{t('partner.holding', { held: b.held, quantity: b.quantity, inTransit: b.inTransit, dispensed: b.dispensed })}</p>
              <p className="hint">{t('partner.holders', { holders: Object.entries(b.holders).map(([a, n]) => `${who(a)}: ${n}`).join(', ') || '—' })}</p>
              {b.transfers.length > 0 && (
                <ol className="trail">
                  {b.transfers.map((hop) => (
                    <li key={hop.index} data-hop={hop.index}>
                      {t('trail.hop', { date: dateOf(hop.dispatchedAt), from: who(hop.from), to: who(hop.to), quantity: hop.quantity })}
                      {' · '}
                      {hop.state.type === 'Pending' ? t('trail.pending') : t(`trail.${hop.state.type.toLowerCase()}` as MessageKey, { date: dateOf(hop.state.value?.at ?? hop.dispatchedAt) })}
                    </li>
                  ))}
                </ol>
              )}
              <BatchActions account={account} batch={b} role={role} onChange={onChange} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type DestructionReason = 'Expired' | 'Damaged' | 'Recalled' | 'Illegitimate' | 'Other';
const DESTRUCTION_REASONS: readonly DestructionReason[] = ['Expired', 'Damaged', 'Recalled', 'Illegitimate', 'Other'];
type RecallClass = 'ClassI' | 'ClassII' | 'ClassIII';
const RECALL_CLASSES: readonly RecallClass[] = ['ClassI', 'ClassII', 'ClassIII'];
/** The label of the text a form keeps in this browser (its salted commitment goes on chain). */
const NOTE_LABELS = { dispatch: 'partner.shipmentNote', report: 'partner.evidence', recall: 'partner.recallNotice' } as const satisfies Record<string, MessageKey>;

/** What I can do with one batch: send packs on, dispense, destroy, recall it, acknowledge its recall, report it. */
function BatchActions({ account, batch, role, onChange }: { account: Account; batch: PartnerBatch; role?: string; onChange: () => void }) {
  const chain = useChain();
  const { t } = useI18n();
  const { send, status, setStatus } = useTx();
  const [action, setAction] = useState<'' | 'dispatch' | 'dispense' | 'destroy' | 'recall' | 'report'>('');
  const [to, setTo] = useState('');
  const [destruction, setDestruction] = useState<DestructionReason>('Expired');
  const [recallClass, setRecallClass] = useState<RecallClass>('ClassII');
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [canKeep, keepHint] = useCanKeep(account);
  const done = (ok: boolean) => {
    if (!ok) return;
    setAction('');
    setQuantity('');
    setNote('');
    onChange();
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const { DrugProvenance } = chain.api.tx;
    if (action === 'report') {
      // The evidence stays off chain (kept in this browser with its salt); its commitment goes on chain.
      const commitment = commitAndKeep(account.address, `suspect-evidence batch ${batch.id}`, note);
      done((await send(DrugProvenance.report_suspect({ batch_id: batch.id, evidence_commitment: commitment, custody: custodyIndexFor(account.address, batch) }), account)).ok);
      return;
    }
    if (action === 'recall') {
      // The recall notice stays with the manufacturer (kept here with its salt); its commitment goes on chain.
      const commitment = commitAndKeep(account.address, `recall notice batch ${batch.id}`, note);
      done((await send(DrugProvenance.initiate_recall({ batches: [batch.id], class: { type: recallClass, value: undefined }, reason_commitment: commitment }), account)).ok);
      return;
    }
    const count = packCount(quantity, batch.held);
    if (count === null) {
      setStatus({ tone: 'danger', text: t('patient.invalid', { problem: t('partner.invalid.packs', { held: batch.held }) }) });
      return;
    }
    if (action === 'dispatch') {
      const commitment = commitAndKeep(account.address, `shipment batch ${batch.id}`, note);
      done((await send(DrugProvenance.dispatch({ batch_id: batch.id, to: to.trim(), quantity: count, shipment_commitment: commitment }), account)).ok);
    } else if (action === 'dispense') {
      done((await send(DrugProvenance.mark_dispensed({ batch_id: batch.id, quantity: count }), account)).ok);
    } else if (action === 'destroy') {
      done((await send(DrugProvenance.destroy({ batch_id: batch.id, quantity: count, reason: { type: destruction, value: undefined } }), account)).ok);
    }
  };
  const active = batch.status === 'Active';
  const reportable = batch.status === 'Active' || batch.status === 'Expired' || batch.status === 'Quarantined';
  // The batch's manufacturer or a regulator may recall it (the pallet's rule).
  const recallable = reportable && (batch.manufacturer === account.address || role === 'Regulator');
  // What a form keeps in this browser: a shipment note, evidence, a recall notice.
  const keeps = action === 'dispatch' || action === 'report' || action === 'recall';
  const ackRecall = async () => done((await send(chain.api.tx.DrugProvenance.ack_recall({ batch_id: batch.id }), account)).ok);
  return (
    <div className="actions">
      {/* Only what the pallet allows for the batch's status is offered (it refuses the rest). */}
      {active && batch.held > 0 && <button type="button" onClick={() => setAction('dispatch')}>{t('partner.dispatch')}</button>}
      {active && batch.held > 0 && role === 'Dispenser' && <button type="button" onClick={() => setAction('dispense')}>{t('partner.dispense')}</button>}
      {batch.held > 0 && batch.status === 'Recalled' && !batch.recallAcknowledged && <button type="button" onClick={() => void ackRecall()}>{t('partner.ackRecall')}</button>}
      {batch.status === 'Recalled' && batch.recallAcknowledged && <span className="hint" data-testid="recall-acknowledged">{t('partner.recallAcknowledged')} </span>}
      {batch.held > 0 && <button type="button" onClick={() => setAction('destroy')}>{t('partner.destroy')}</button>}
      {reportable && <button type="button" onClick={() => setAction('report')}>{t('partner.report')}</button>}
      {recallable && <button type="button" className="danger" onClick={() => setAction('recall')}>{t('partner.recall')}</button>}
      {action && (
        <form onSubmit={(e) => void onSubmit(e)} className="nested" aria-label={t(`partner.${action}` as MessageKey)}>
          {action === 'dispatch' && (
            <>
              <label className="field">{t('partner.to')}
                <input name="to" list={`send-to-${batch.id}`} value={to} onChange={(e) => setTo(e.target.value)} autoComplete="off" spellCheck={false} aria-describedby={`send-to-hint-${batch.id}`} />
                <RegisteredAccounts id={`send-to-${batch.id}`} registry="partners" except={account.address} />
              </label>
              <p id={`send-to-hint-${batch.id}`} className="hint">{t('partner.toHint')}</p>
            </>
          )}
          {action === 'destroy' && (
            <label className="field">{t('partner.destroyReason')}
              <select value={destruction} onChange={(e) => setDestruction(e.target.value as DestructionReason)}>
                {DESTRUCTION_REASONS.map((r) => <option key={r} value={r}>{t(`partner.destroyReason.${r}` as MessageKey)}</option>)}
              </select>
            </label>
          )}
          {action === 'recall' && (
            <label className="field">{t('partner.recallClass')}
              <select value={recallClass} onChange={(e) => setRecallClass(e.target.value as RecallClass)}>
                {RECALL_CLASSES.map((c) => <option key={c} value={c}>{t(`partner.recallClass.${c}` as MessageKey)}</option>)}
              </select>
            </label>
          )}
          {(action === 'dispatch' || action === 'dispense' || action === 'destroy') && (
            <label className="field">{t('partner.quantity')}
              <input name="quantity" value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="numeric" />
            </label>
          )}
          {keeps && (
            <label className="field">{t(NOTE_LABELS[action])}
              <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} required={action !== 'dispatch'} />
            </label>
          )}
          {action === 'report' && <p className="hint">{t('partner.reportExplain')}</p>}
          {action === 'recall' && <p className="hint" role="note">{t('partner.recallExplain')}</p>}
          {action === 'destroy' && <p className="hint">{t('partner.destroyExplain')}</p>}
          {keeps && keepHint}
          <button type="submit" className={action === 'report' || action === 'recall' || action === 'destroy' ? 'danger' : 'primary'} disabled={keeps && !canKeep}>{t(`partner.${action}Submit` as MessageKey)}</button>
          {' '}<button type="button" onClick={() => setAction('')}>{t('partner.cancel')}</button>
        </form>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

function RegisterProduct({ account, onChange }: { account: Account; onChange: () => void }) {
  const chain = useChain();
  const { t } = useI18n();
  const { send, status, setStatus } = useTx();
  const [gtin, setGtin] = useState('');
  const [description, setDescription] = useState('');
  const [canKeep, keepHint] = useCanKeep(account);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isValidGtin(gtin.trim())) {
      setStatus({ tone: 'danger', text: t('patient.invalid', { problem: t('partner.invalid.gtin') }) });
      return;
    }
    // The product's master data stays with the manufacturer; a salted commitment goes on chain.
    const commitment = commitAndKeep(account.address, `product ${gtin.trim()}`, description);
    const outcome = await send(chain.api.tx.DrugProvenance.register_product({ gtin: gtinKey(gtin.trim()), metadata_commitment: commitment }), account);
    if (outcome.ok) {
      setGtin('');
      setDescription('');
      onChange();
    }
  };
  return (
    <form className="card" onSubmit={(e) => void onSubmit(e)} aria-labelledby="product-title">
      <h3 id="product-title">{t('partner.product')}</h3>
      <label className="field">{t('check.gtin')}
        <input name="product-gtin" value={gtin} onChange={(e) => setGtin(e.target.value)} inputMode="numeric" autoComplete="off" />
      </label>
      <label className="field">{t('partner.productData')}
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} required />
      </label>
      {keepHint}
      <button type="submit" disabled={!canKeep}>{t('partner.productSubmit')}</button>
      <TxStatusLine status={status} />
    </form>
  );
}

function RegisterBatch({ account, products, onChange }: { account: Account; products: string[]; onChange: () => void }) {
  const chain = useChain();
  const head = useHead();
  const { t } = useI18n();
  const { send, status, setStatus } = useTx();
  const inTwoYears = dateInputIn(730);
  const [form, setForm] = useState<BatchForm>({ gtin: '', lot: '', expiry: inTwoYears, quantity: '100' });
  const [certificate, setCertificate] = useState('');
  const [labels, setLabels] = useState<{ url: string; name: string; packs: PackLabel[] } | null>(null);
  const [sheet, setSheet] = useState<PackLabel[] | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  // Where the packs' serials and scratch codes come from: generated here, or the manufacturer's file.
  const [source, setSource] = useState<'generate' | 'file'>('generate');
  const [packsFile, setPacksFile] = useState<{ name: string; codes: PacksBatch } | null>(null);
  const [packsProblem, setPacksProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [canKeep, keepHint] = useCanKeep(account);
  const update = (change: Partial<BatchForm>) => setForm((f) => ({ ...f, ...change }));
  const gtin = form.gtin || products[0] || '';
  const fromFile = source === 'file';
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const fileCodes = fromFile ? packsFile?.codes : undefined;
    if (!head || (fromFile && !fileCodes)) return;
    // With a packs file, the number of packs is the file's.
    const checked = batchArgs({ ...form, gtin, quantity: fileCodes ? String(fileCodes.count) : form.quantity }, head, chain.blockTimeMs);
    if (!checked.ok) {
      setStatus({ tone: 'danger', text: t('patient.invalid', { problem: t(checked.problem) }) });
      return;
    }
    setBusy(true);
    try {
      // Codes (or the file's), salts and the tree in this browser; only the root and the count go on chain.
      let codes = fileCodes;
      if (!codes) {
        setStatus({ tone: 'info', text: t('partner.generating', { quantity: checked.quantity }) });
        const { cryptoWaitReady } = await import('@polkadot/util-crypto');
        await cryptoWaitReady();
        codes = generateBatch(checked.quantity);
      }
      const packs = packLabels({ gtin: checked.gtin, lot: checked.lot, expiry: checked.expiryDate, packs: codes.packs, proof: codes.proof });
      const certificateHash = commitAndKeep(account.address, `release certificate ${checked.gtin} ${checked.lot}`, certificate);
      const outcome = await send(chain.api.tx.DrugProvenance.register_batch({
        gtin: gtinKey(checked.gtin), lot: Binary.fromText(checked.lot), expiry: checked.expiry, quantity: checked.quantity,
        certificate_hash: certificateHash, codes_root: Binary.toHex(codes.root), code_count: codes.count,
      }), account);
      if (outcome.ok) {
        if (labels) URL.revokeObjectURL(labels.url);
        const file = { url: URL.createObjectURL(new Blob([labelsCsv(packs)], { type: 'text/csv' })), name: `labels-${checked.gtin}-${checked.lot}.csv`, packs };
        setLabels(file);
        // The scratch codes exist only in this file: save it at once, not only when the link is
        // clicked (a reload before that would lose them; the batch stays registered).
        saveFile(file.url, file.name);
        setStatus({ tone: 'good', text: t('partner.registered', { block: outcome.block, quantity: checked.quantity }) });
        update({ lot: '' });
        setCertificate('');
        // A file's packs are registered once; another batch needs another file.
        setPacksFile(null);
        onChange();
      }
    } catch (error) {
      setStatus({ tone: 'danger', text: t('tx.rejected', { reason: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
    }
  };
  /** A refused file in words: which file (`badFile`), its line and what is wrong there. */
  const refusal = (badFile: MessageKey, error: CsvFileError) => t(badFile, { row: error.row, problem: t(error.problem), detail: error.detail ? ` (${error.detail})` : '' });
  // A labels file kept from an earlier batch prints the same labels; every row is checked first.
  const printFile = async (file: File | undefined) => {
    setFileProblem(null);
    if (!file) return;
    try {
      setSheet(labelsFromCsv(await file.text(), MAX_PACKS));
    } catch (error) {
      if (!(error instanceof LabelsFileError)) throw error;
      setFileProblem(refusal('labels.badFile', error));
    }
  };
  // A packs file is checked, every line, as soon as it is chosen: problems are shown by line
  // before anything is signed, and the batch it makes is the one registered.
  const choosePacks = async (file: File | undefined) => {
    setPacksProblem(null);
    setPacksFile(null);
    if (!file) return;
    const text = await file.text();
    const { cryptoWaitReady } = await import('@polkadot/util-crypto');
    await cryptoWaitReady();
    try {
      setPacksFile({ name: file.name, codes: batchFromCsv(text, MAX_PACKS) });
    } catch (error) {
      if (!(error instanceof PacksFileError)) throw error;
      setPacksProblem(refusal('packs.badFile', error));
    }
  };
  return (
    <form className="card" onSubmit={(e) => void onSubmit(e)} aria-labelledby="batch-title" noValidate>
      <h3 id="batch-title">{t('partner.newBatch')}</h3>
      {products.length === 0 ? <p>{t('partner.noProducts')}</p> : (
        <label className="field">{t('partner.productOf')}
          <select value={gtin} onChange={(e) => update({ gtin: e.target.value })}>
            {products.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
      )}
      <label className="field">{t('check.lot')}
        <input name="lot" value={form.lot} onChange={(e) => update({ lot: e.target.value })} autoComplete="off" />
      </label>
      <DateField label={t('partner.expiry')} name="batch-expiry" value={form.expiry} onChange={(expiry) => update({ expiry })} />
      <fieldset data-testid="codes-source">
        <legend>{t('partner.codesSource')}</legend>
        <label className="check">
          <input type="radio" name="codes-source" value="generate" checked={!fromFile} onChange={() => setSource('generate')} />
          {t('partner.codesGenerate')}
        </label>
        <label className="check">
          <input type="radio" name="codes-source" value="file" checked={fromFile} onChange={() => setSource('file')} />
          {t('partner.codesFromFile')}
        </label>
        {fromFile ? (
          <>
            <label className="field">{t('packs.file')}
              <input type="file" name="packs-file" accept=".csv,text/csv" onChange={(e) => { void choosePacks(e.target.files?.[0]); e.target.value = ''; }} />
            </label>
            <p className="hint">{t('packs.fileHint')}</p>
            {packsProblem && <p role="alert" className="error" data-testid="packs-file-problem">{packsProblem}</p>}
            {packsFile && (
              <p role="status" data-testid="packs-file" data-count={packsFile.codes.count}>
                {t('packs.read', { file: packsFile.name, count: packsFile.codes.count, root: Binary.toHex(packsFile.codes.root) })}
              </p>
            )}
          </>
        ) : (
          <label className="field">{t('partner.packs')}
            <input name="packs" value={form.quantity} onChange={(e) => update({ quantity: e.target.value })} inputMode="numeric" />
          </label>
        )}
      </fieldset>
      <label className="field">{t('partner.certificate')}
        <textarea value={certificate} onChange={(e) => setCertificate(e.target.value)} rows={2} />
      </label>
      {keepHint}
      <button type="submit" className="primary" disabled={busy || products.length === 0 || !certificate.trim() || !canKeep || (fromFile && !packsFile)}>
        {t(fromFile ? 'partner.registerFromFile' : 'partner.registerBatch')}
      </button>
      <TxStatusLine status={status} />
      {labels && (
        <p className="hint">
          <a href={labels.url} download={labels.name} data-testid="labels-download">{t('partner.labels')}</a> — {t('partner.labelsExplain')}
          {' '}<button type="button" onClick={() => setSheet(labels.packs)}>{t('labels.print')}</button>
        </p>
      )}
      <label className="field">{t('labels.fromFile')}
        <input type="file" name="labels-file" accept=".csv,text/csv" onChange={(e) => { void printFile(e.target.files?.[0]); e.target.value = ''; }} />
      </label>
      <p className="hint">{t('labels.fromFileHint')}</p>
      {fileProblem && <p role="alert" className="error" data-testid="labels-file-problem">{fileProblem}</p>}
      {sheet && <Suspense fallback={<p role="status">{t('labels.drawing', { done: 0, count: sheet.length })}</p>}><LabelSheet labels={sheet} onClose={() => setSheet(null)} /></Suspense>}
    </form>
  );
}

/** A pharmacy's (or regulator's) signed check of a pack: first check recorded, a repeat raises a clone alarm. */
function PackCheck({ account }: { account: Account }) {
  const chain = useChain();
  const { t } = useI18n();
  const dateOf = useDateOf();
  const { send, status, setStatus } = useTx();
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<{ kind: 'first' | 'alarm' | 'invalid' | 'unknown'; detail?: string } | null>(null);
  const [scanning, setScanning] = useState(false);
  const check = async (label: string) => {
    setAnswer(null);
    let code;
    try {
      code = parsePackCode(label);
    } catch (error) {
      setStatus({ tone: 'danger', text: t('check.badCode', { reason: error instanceof Error ? error.message : String(error) }) });
      return;
    }
    if (!canVerifyPack(code) || !code.lot) {
      setStatus({ tone: 'danger', text: t('partner.checkNeedsLabel') });
      return;
    }
    const batch = await readBatch(chain, code.gtin, code.lot);
    if (!batch) {
      setAnswer({ kind: 'unknown' });
      setStatus(null);
      return;
    }
    const before = await dryRun(chain, batch.id, code);
    if (before.kind === 'Invalid') {
      setAnswer({ kind: 'invalid' });
      setStatus(null);
      return;
    }
    const outcome = await send(chain.api.tx.DrugProvenance.verify_pack({ ...verifyArgs(batch.id, code), region: undefined }), account);
    if (!outcome.ok) return;
    const alarm = outcome.events.find((e) => e.type === 'DrugProvenance' && e.value.type === 'CloneAlarmRaised');
    if (alarm) {
      const first = alarm.value.value as { first_verified_at: number };
      setAnswer({ kind: 'alarm', detail: dateOf(first.first_verified_at) });
    } else setAnswer({ kind: 'first' });
  };
  // The scanner keeps one callback while the camera runs; it calls the latest `check`.
  const latestCheck = useRef(check);
  latestCheck.current = check;
  const onScanned = useCallback((label: string) => {
    setScanning(false);
    setText(label);
    void latestCheck.current(label);
  }, []);
  return (
    <form className="card" onSubmit={(e) => { e.preventDefault(); void check(text); }} aria-labelledby="pack-check-title">
      <h3 id="pack-check-title">{t('partner.checkTitle')}</h3>
      <p className="hint">{t('partner.checkExplain')}</p>
      {scanning
        ? <Suspense fallback={<p>{t('check.scanning')}</p>}><Scanner onCode={onScanned} onClose={() => setScanning(false)} /></Suspense>
        : <button type="button" onClick={() => setScanning(true)}>{t('check.scan')}</button>}
      <label className="field">{t('partner.checkLabel')}
        <textarea name="pack-label" value={text} onChange={(e) => setText(e.target.value)} rows={2} required spellCheck={false} />
      </label>
      <button type="submit" disabled={!text.trim()}>{t('partner.checkSubmit')}</button>
      <TxStatusLine status={status} />
      {answer && (
        <p role="status" data-pack-answer={answer.kind} className={`verdict ${answer.kind === 'first' ? 'tone-good' : 'tone-danger'}`}>
          {t(`partner.check.${answer.kind}` as MessageKey, { date: answer.detail ?? '' })}
        </p>
      )}
    </form>
  );
}
