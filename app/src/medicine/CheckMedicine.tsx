// Check a medicine: public, no account. Scan the verification label (or the carton's
// DataMatrix) or type the codes; the answer in one line and a colour, then the batch and its
// custody trail.
import { lazy, Suspense, useCallback, useState, type FormEvent } from 'react';
import { parsePackCode, PackCodeError } from '../../../scripts/lib/pack-labels.mjs';
import { useChain } from '../chain/connection';

import { useDateOf } from '../chain/useDateOf';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { checkPack, type CheckResult } from './check';
import { REGIONS, regionName, type Verdict } from './verdict';
import { useAccountLabel } from '../wallet/wallet';

const REGION_KEY = 'medchain.region';
// ZXing loads when the camera is first used: most of a check's code is the scanner.
const Scanner = lazy(() => import('./Scanner').then((m) => ({ default: m.Scanner })));

export function CheckMedicine() {
  const chain = useChain();
  const { t, tag } = useI18n();
  const [scanning, setScanning] = useState(false);
  const [gtin, setGtin] = useState('');
  const [lot, setLot] = useState('');
  const [label, setLabel] = useState('');
  const [region, setRegion] = useState(() => localStorage.getItem(REGION_KEY) ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<CheckResult | null>(null);

  const dateOf = useDateOf();

  const run = useCallback(async (text: string) => {
    setProblem(null);
    setResult(null);
    let code;
    try {
      code = parsePackCode(text);
    } catch (error) {
      setProblem(t('check.badCode', { reason: error instanceof PackCodeError ? error.message : String(error) }));
      return;
    }
    setBusy(true);
    try {
      setResult(await checkPack(chain, code, region ? Number(region) : undefined));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }, [chain, region, t]);

  const onScanned = useCallback((text: string) => {
    setScanning(false);
    void run(text);
  }, [run]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // The label's text names everything; otherwise GTIN and lot name the batch.
    void run(label.trim() || `(01)${gtin.trim()}(10)${lot.trim()}`);
  };

  return (
    <section aria-labelledby="check-title">
      <h2 id="check-title">{t('check.title')}</h2>
      <p>{t('check.intro')}</p>
      <label className="field">
        {t('check.region')}
        <select value={region} onChange={(e) => { setRegion(e.target.value); localStorage.setItem(REGION_KEY, e.target.value); }}>
          <option value="">{t('check.regionNone')}</option>
          {REGIONS.map((r) => <option key={r.numeric} value={r.numeric}>{regionName(r.numeric, tag)}</option>)}
        </select>
      </label>
      {scanning
        ? <Suspense fallback={<p>{t('check.scanning')}</p>}><Scanner onCode={onScanned} onClose={() => setScanning(false)} /></Suspense>
        : <button type="button" className="primary" onClick={() => { setResult(null); setScanning(true); }} disabled={busy}>{t('check.scan')}</button>}
      <form onSubmit={onSubmit} className="card">
        <h3>{t('check.typeTitle')}</h3>
        <label className="field">{t('check.gtin')}
          <input value={gtin} onChange={(e) => setGtin(e.target.value)} inputMode="numeric" autoComplete="off" pattern="[0-9]{8,14}" />
        </label>
        <label className="field">{t('check.lot')}
          <input value={lot} onChange={(e) => setLot(e.target.value)} autoComplete="off" />
        </label>
        <label className="field">{t('check.label')}
          <textarea value={label} onChange={(e) => setLabel(e.target.value)} rows={2} aria-describedby="label-hint" />
        </label>
        <p id="label-hint" className="hint">{t('check.labelHint')}</p>
        <button type="submit" disabled={busy || (!label.trim() && !(gtin.trim() && lot.trim()))}>{t('check.submit')}</button>
      </form>
      <div aria-live="polite">
        {busy && <p>{t('check.checking')}</p>}
        {problem && <p role="alert" className="error">{problem}</p>}
        {result && <CheckAnswer result={result} dateOf={dateOf} />}
      </div>
    </section>
  );
}

function verdictLine(verdict: Verdict, result: CheckResult, dateOf: (block: number, withTime?: boolean) => string, t: ReturnType<typeof useI18n>['t'], tag: string): string {
  switch (verdict.kind) {
    case 'genuine-first': return t('verdict.genuine');
    case 'genuine-batch': return t('verdict.genuineBatch');
    case 'not-at-pharmacy': return t('verdict.notAtPharmacy');
    case 'already-checked': {
      const who = t(verdict.record.firstVerifier === 'Public' ? 'verdict.where.public' : 'verdict.where.partner');
      const where = verdict.record.region !== undefined ? t('verdict.where.region', { region: regionName(verdict.record.region, tag), who }) : who;
      return t('verdict.alreadyChecked', { date: dateOf(verdict.record.firstVerifiedAt), where });
    }
    case 'expired': return t('verdict.expired', { date: dateOf(verdict.expiry, false) });
    case 'recalled': return t('verdict.recalled');
    case 'quarantined': return t('verdict.quarantined');
    case 'destroyed': return t('verdict.destroyed');
    case 'counterfeit': return t('verdict.counterfeit');
    case 'unknown-batch': return t('verdict.unknownBatch', { gtin: result.code.gtin, lot: result.code.lot ?? '—' });
  }
}

const TONE_ICON = { good: '✓', caution: '!', warning: '!', danger: '✕' } as const;

function CheckAnswer({ result, dateOf }: { result: CheckResult; dateOf: (block: number, withTime?: boolean) => string }) {
  const accountName = useAccountLabel();
  const { t, tag } = useI18n();
  const { verdict, batch } = result;
  const who = (account: string) => `${t(`role.${result.roles[account] ?? 'unknown'}` as MessageKey)} ${accountName(account)}`;
  return (
    <article className="answer" aria-label={t('check.title')}>
      <p className={`verdict tone-${verdict.tone}`} data-verdict={verdict.kind} role="status">
        <span aria-hidden="true" className="verdict-icon">{TONE_ICON[verdict.tone]}</span>
        {verdictLine(verdict, result, dateOf, t, tag)}
      </p>
      {result.recordedAt !== undefined && <p className="hint">{t('verdict.checkedNow', { block: result.recordedAt })}</p>}
      {result.recordError && <p className="error">{t('tx.rejected', { reason: result.recordError })}</p>}
      {batch && (
        <>
          <h3>{t('batch.title', { lot: batch.lot, gtin: batch.gtin })}</h3>
          <ul className="facts">
            <li>{t('batch.status', { status: t(`batch.status.${batch.effectiveStatus}` as MessageKey) })}</li>
            <li>{t('batch.expiry', { date: dateOf(batch.expiry, false) })}</li>
            <li>{t('batch.quantity', { quantity: batch.quantity, inCustody: batch.inCustody, dispensed: batch.dispensed })}</li>
            <li>{t('batch.checks', { verified: batch.verifiedPacks, alarms: batch.cloneAlarms })}</li>
          </ul>
          <h3>{t('trail.title')}</h3>
          <ol className="trail" data-testid="custody-trail">
            <li>{t('trail.registered', { date: dateOf(batch.registeredAt), who: who(batch.manufacturer) })}</li>
            {result.trail.map((hop) => (
              <li key={hop.index} data-hop={hop.index}>
                {t('trail.hop', { date: dateOf(hop.dispatchedAt), from: who(hop.from), to: who(hop.to), quantity: hop.quantity })}
                {' — '}
                {hop.state.kind === 'Pending' ? t('trail.pending')
                  : t(`trail.${hop.state.kind.toLowerCase()}` as MessageKey, { date: dateOf(hop.state.at) })}
              </li>
            ))}
            {result.trail.length === 0 && <li>{t('trail.empty')}</li>}
          </ol>
        </>
      )}
    </article>
  );
}
