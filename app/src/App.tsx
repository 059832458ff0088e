// The page frame: title, language switch, the pages by role (hash routes, so the static build
// works from any path), the chain connection and the account picker.
import { lazy, Suspense, useEffect, useState } from 'react';
import { ChainProvider, useChainState, useHead } from './chain/connection';
import type { AppConfig } from './chain/config';
import { I18nProvider, useI18n } from './i18n/i18n';
import { LOCALES, type MessageKey } from './i18n/messages';
import { CheckMedicine } from './medicine/CheckMedicine';
import { StartPage } from './start/StartPage';
import { WalletProvider } from './wallet/wallet';
import { AccountPicker } from './wallet/AccountPicker';

// Pages other than the public check load when opened: the check needs no keys, sealing or wallet.
const PatientPage = lazy(() => import('./patient/PatientPage').then((m) => ({ default: m.PatientPage })));
const PartnerPage = lazy(() => import('./partner/PartnerPage').then((m) => ({ default: m.PartnerPage })));
const ClinicianPage = lazy(() => import('./clinician/ClinicianPage').then((m) => ({ default: m.ClinicianPage })));
const MemberPage = lazy(() => import('./member/MemberPage').then((m) => ({ default: m.MemberPage })));
const ProviderPage = lazy(() => import('./provider/ProviderPage').then((m) => ({ default: m.ProviderPage })));

const PAGES = [
  { route: 'start', label: 'nav.start', needsAccount: false },
  { route: 'check', label: 'nav.check', needsAccount: false },
  { route: 'patient', label: 'nav.patient', needsAccount: true },
  { route: 'clinician', label: 'nav.clinician', needsAccount: true },
  { route: 'partner', label: 'nav.partner', needsAccount: true },
  { route: 'member', label: 'nav.member', needsAccount: true },
  { route: 'provider', label: 'nav.provider', needsAccount: true },
] as const satisfies ReadonlyArray<{ route: string; label: MessageKey; needsAccount: boolean }>;
type Route = (typeof PAGES)[number]['route'];

function currentRoute(): Route {
  const hash = window.location.hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.route === hash)?.route ?? 'start';
}

export function App({ config }: { config: AppConfig }) {
  return (
    <I18nProvider>
      <ChainProvider config={config}>
        <WalletProvider>
          <Frame config={config} />
        </WalletProvider>
      </ChainProvider>
    </I18nProvider>
  );
}

function Frame({ config }: { config: AppConfig }) {
  const { t, locale, setLocale } = useI18n();
  const [route, setRoute] = useState<Route>(currentRoute);
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => { document.title = `${t(PAGES.find((p) => p.route === route)!.label)} · ${t('app.title')}`; }, [route, t]);
  // On a phone the menu scrolls sideways: keep the current page's entry in view.
  useEffect(() => { document.querySelector('nav a[aria-current="page"]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' }); }, [route]);
  const page = PAGES.find((p) => p.route === route)!;
  return (
    <>
      <a className="skip" href="#main">{t('app.skipToContent')}</a>
      <header className="top">
        <div className="brand">
          <h1>{t('app.title')}</h1>
          <p>{t('app.tagline')}</p>
        </div>
        <label className="language">
          <span>{t('app.language')}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as typeof locale)}>
            {LOCALES.map((l) => <option key={l} value={l}>{l === 'en' ? 'English' : '中文'}</option>)}
          </select>
        </label>
        <nav aria-label={t('nav.label')}>
          <ul>
            {PAGES.map((p) => (
              <li key={p.route}>
                <a href={`#/${p.route}`} aria-current={p.route === route ? 'page' : undefined}>{t(p.label)}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <ChainStatus url={config.nodeUrl} />
      <main id="main" tabIndex={-1}>
        <ChainGate>
          {page.needsAccount && <AccountPicker />}
          {route === 'start' && <StartPage />}
          {route === 'check' && <CheckMedicine />}
          {route === 'patient' && <Suspense fallback={<p>…</p>}><PatientPage /></Suspense>}
          {route === 'clinician' && <Suspense fallback={<p>…</p>}><ClinicianPage /></Suspense>}
          {route === 'partner' && <Suspense fallback={<p>…</p>}><PartnerPage /></Suspense>}
          {route === 'member' && <Suspense fallback={<p>…</p>}><MemberPage /></Suspense>}
          {route === 'provider' && <Suspense fallback={<p>…</p>}><ProviderPage /></Suspense>}
        </ChainGate>
      </main>
    </>
  );
}

function ChainStatus({ url }: { url: string }) {
  const state = useChainState();
  const head = useHead();
  const { t } = useI18n();
  if (state.status === 'connecting') return <p className="status" role="status">{t('chain.connecting', { url })}</p>;
  if (state.status === 'failed') return <p className="status error" role="alert">{t('chain.failed', { url, reason: state.reason })}</p>;
  return (
    <div className="status" role="status" data-chain-ready="true">
      {t('chain.connected', { chain: state.chain.name, block: head?.number ?? '…' })}
      {state.chain.isDevelopment && <span className="dev-notice"> · {t('chain.devNotice')}</span>}
    </div>
  );
}

function ChainGate({ children }: { children: React.ReactNode }) {
  const state = useChainState();
  return state.status === 'ready' ? <>{children}</> : null;
}
