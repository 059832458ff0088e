// The locale the user chose (remembered in this browser), and `t` to look strings up in it.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { catalogues, interpolate, LOCALES, type Locale, type MessageKey } from './messages';

const STORAGE_KEY = 'medchain.locale';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;
interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** BCP 47 tag for Intl (dates, numbers, region names). */
  tag: string;
}

const I18nContext = createContext<I18n | null>(null);

/** The locale a first visit starts in: `?lang=`, then the browser's language, then English. */
export function initialLocale(search: string, stored: string | null, browserLanguages: readonly string[]): Locale {
  const requested = new URLSearchParams(search).get('lang');
  for (const candidate of [requested, stored, ...browserLanguages.map((l) => l.slice(0, 2))]) {
    if (candidate && (LOCALES as readonly string[]).includes(candidate)) return candidate as Locale;
  }
  return 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(() =>
    initialLocale(window.location.search, localStorage.getItem(STORAGE_KEY), navigator.languages ?? []));
  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale === 'zh' ? 'zh-Hans' : 'en';
  }, [locale]);
  const value = useMemo<I18n>(() => ({
    locale,
    setLocale,
    tag: locale === 'zh' ? 'zh-Hans-CN' : 'en-GB',
    t: (key, values) => interpolate(catalogues[locale][key] ?? catalogues.en[key] ?? key, values),
  }), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
