// A date input that also writes the chosen date out in the app's language: the browser draws
// `<input type="date">` in its own locale's format (03/12/2027 may be March or December), which
// need not be the page's language.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n';
import { daysFromNow, formatDate, parseDateInput } from './format';

export function DateField({ label, name, value, onChange }: { label: string; name: string; value: string; onChange: (value: string) => void }) {
  const { t, tag } = useI18n();
  const inputId = useId();
  const spelledId = useId();
  const date = parseDateInput(value);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name={name} type="date" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={spelledId} />
      <output id={spelledId} htmlFor={inputId} className="hint" data-testid={`${name}-spelled`}>
        {date ? t('date.spelled', { date: formatDate(date, tag, false), relative: daysFromNow(date, new Date(), tag) }) : t('date.none')}
      </output>
    </div>
  );
}
