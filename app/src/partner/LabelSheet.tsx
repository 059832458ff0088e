// The printable labels of a batch, one per pack, over the page: each label's carton code
// outside and its verification code in the part the scratch-off panel will cover (labels.ts says
// what goes where and why). The symbols are SVG drawn by bwip-js in this browser, laid out in a
// grid for the printer (A4 or Letter, two labels a row); printing shows only the sheet, and the
// same sheet downloads as one HTML file. The partner page loads this module when the sheet is
// first opened, so bwip-js weighs on no other page.
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { datamatrix, drawingSVG, gs1datamatrix } from 'bwip-js/browser';
import { useI18n } from '../i18n/i18n';
import { expiryText, labelSymbols, type LabelSymbol, type PackLabel } from './labels';
import { saveFile } from './save-file';

const ENCODERS = { gs1datamatrix, datamatrix } as const;

/** `symbol` as the address of an SVG image: black modules on white, with a quiet zone. */
function symbolImage(symbol: LabelSymbol): string {
  const svg = ENCODERS[symbol.bcid]({ ...symbol, scale: 2, paddingwidth: 2, paddingheight: 2, backgroundcolor: 'FFFFFF' }, drawingSVG());
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

interface Drawn { carton: string; verification: string }

/** Labels drawn per pause, so that a batch of thousands keeps the page responsive and shows progress. */
const CHUNK = 25;

// Inside the sheet, so the downloaded HTML carries it. Millimetres: what the printer measures.
const SHEET_CSS = `
.label-sheet { position: fixed; inset: 0; z-index: 20; overflow: auto; background: #fff; padding: 1rem; }
.label-tools { display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center; margin-bottom: 1rem; }
.label-tools p { flex-basis: 100%; margin: 0; }
.label-print { color: #000; font: 8pt/1.3 system-ui, sans-serif; }
.label-print h2 { font-size: 11pt; margin: 0 0 3mm; }
.label-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(92mm, 1fr)); gap: 3mm; }
.pack-label { display: grid; grid-template-columns: 1fr 30mm; gap: 2mm; border: .25mm solid #000; border-radius: 1.5mm; padding: 2mm; break-inside: avoid; }
.pack-outside { display: flex; gap: 2mm; align-items: flex-start; min-width: 0; }
.pack-label img { display: block; width: 16mm; height: auto; flex: none; }
.pack-panel { border: .25mm dashed #000; border-radius: 1mm; padding: 1.5mm; min-width: 0; }
.pack-panel img { width: 22mm; }
.pack-label dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0 1.5mm; min-width: 0; }
.pack-label dt { font-weight: 600; }
.pack-label dd { margin: 0; font: 6.5pt/1.5 ui-monospace, monospace; overflow-wrap: anywhere; }
.panel-text { margin: 1mm 0 0; font: 4pt/1.15 ui-monospace, monospace; word-break: break-all; }
@page { margin: 8mm; }
@media print {
  body:has(> .label-sheet) > :not(.label-sheet) { display: none !important; }
  .label-sheet { position: static; overflow: visible; padding: 0; }
  .label-tools { display: none; }
}
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function LabelSheet({ labels, onClose }: { labels: PackLabel[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [drawn, setDrawn] = useState<Drawn[] | null>(null);
  const [done, setDone] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const printable = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    setDrawn(null);
    setFailure(null);
    (async () => {
      const images: Drawn[] = [];
      for (const [i, label] of labels.entries()) {
        const symbols = labelSymbols(label);
        images.push({ carton: symbolImage(symbols.carton), verification: symbolImage(symbols.verification) });
        if ((i + 1) % CHUNK === 0) {
          setDone(i + 1);
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (cancelled) return;
        }
      }
      if (!cancelled) setDrawn(images);
    })().catch((error: unknown) => { if (!cancelled) setFailure(error instanceof Error ? error.message : String(error)); });
    return () => { cancelled = true; };
  }, [labels]);
  const first = labels[0];
  const title = t('labels.sheetTitle', { gtin: first.gtin, lot: first.lot, count: labels.length });
  const download = () => {
    const html = `<!doctype html>\n<html lang="${locale === 'zh' ? 'zh-Hans' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`
      + `<body>${printable.current?.outerHTML ?? ''}</body></html>\n`;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    saveFile(url, `labels-${first.gtin}-${first.lot.replace(/[^A-Za-z0-9_-]/g, '_')}.html`);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return createPortal(
    <div className="label-sheet" role="dialog" aria-modal="true" aria-labelledby="label-sheet-title" data-testid="label-sheet" data-ready={drawn ? 'true' : 'false'}>
      <div className="label-tools">
        <p className="hint">{t('labels.sheetWarning')}</p>
        <button type="button" className="primary" onClick={() => window.print()} disabled={!drawn}>{t('labels.printNow')}</button>
        <button type="button" onClick={download} disabled={!drawn}>{t('labels.download')}</button>
        <button type="button" onClick={onClose} autoFocus>{t('labels.close')}</button>
        {failure
          ? <p role="alert" className="error">{t('labels.drawFailed', { reason: failure })}</p>
          : !drawn && <p role="status">{t('labels.drawing', { done, count: labels.length })}</p>}
      </div>
      <div className="label-print" ref={printable}>
        <style>{SHEET_CSS}</style>
        <h2 id="label-sheet-title">{title}</h2>
        {drawn && (
          <div className="label-grid">
            {labels.map((label, i) => (
              <article key={label.serial} className="pack-label" data-serial={label.serial}>
                <section className="pack-outside" aria-label={t('labels.outside')}>
                  <img src={drawn[i].carton} alt={label.carton} data-symbol="carton" />
                  <dl>
                    <dt>{t('labels.gtin')}</dt><dd>(01) {label.gtin}</dd>
                    <dt>{t('labels.expiry')}</dt><dd>(17) {expiryText(label.expiry)}</dd>
                    <dt>{t('labels.lot')}</dt><dd>(10) {label.lot}</dd>
                    <dt>{t('labels.serial')}</dt><dd>(21) {label.serial}</dd>
                  </dl>
                </section>
                <section className="pack-panel" aria-label={t('labels.underPanel')}>
                  <img src={drawn[i].verification} alt="" data-symbol="verification" />
                  <p className="panel-text">{label.verification}</p>
                </section>
              </article>
            ))}
          </div>
        )}
      </div>
    </div>,
    document.body,
  );
}
