// The terms of an access, as a patient grants them or a clinician asks for them: which records,
// what may be done with them, and for what purpose.
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { PURPOSES, type Purpose, type ScopeKind } from './grants';

export interface Terms {
  scope: ScopeKind;
  scopeItems: string;
  read: boolean;
  append: boolean;
  purpose: Purpose;
}

/** The fields of `terms`; `voice` words them for the patient ("my records") or the clinician ("their records"). */
export function TermsFields({ terms, update, voice }: { terms: Terms; update: (change: Partial<Terms>) => void; voice: 'patient' | 'clinician' }) {
  const { t } = useI18n();
  return (
    <>
      <label className="field">{t('patient.scope')}
        <select value={terms.scope} onChange={(e) => update({ scope: e.target.value as ScopeKind })}>
          {(['All', 'Types', 'Records'] as const).map((s) => <option key={s} value={s}>{t(`${voice}.scope.${s}` as MessageKey)}</option>)}
        </select>
      </label>
      {terms.scope !== 'All' && (
        <label className="field">{t('patient.scopeItems')}
          <input value={terms.scopeItems} onChange={(e) => update({ scopeItems: e.target.value })} />
        </label>
      )}
      <fieldset>
        <legend>{t(`${voice}.actions` as MessageKey)}</legend>
        <label><input type="checkbox" checked={terms.read} onChange={(e) => update({ read: e.target.checked })} /> {t('patient.action.read')}</label>{' '}
        <label><input type="checkbox" checked={terms.append} onChange={(e) => update({ append: e.target.checked })} /> {t('patient.action.append')}</label>
      </fieldset>
      <label className="field">{t('patient.purpose')}
        <select value={terms.purpose} onChange={(e) => update({ purpose: e.target.value as Purpose })}>
          {PURPOSES.map((p) => <option key={p} value={p}>{t(`purpose.${p}`)}</option>)}
        </select>
      </label>
    </>
  );
}
