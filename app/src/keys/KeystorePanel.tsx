// An account's encrypted store (keystore.ts) where a page first needs it: what the passphrase
// protects, setting it (and moving an earlier version's plain copies in), unlocking it for this
// tab, locking it, starting again when it is lost, and the texts kept for commitments.
import { useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Account } from '../wallet/accounts';
import {
  createKeystore, eraseKeystore, KeystoreError, keystoreState, lockKeystores, MIN_PASSPHRASE_LENGTH, readSecrets, storeKey, subscribeKeystores, unlockKeystore,
  type KeptCommitment, type KeystoreState,
} from './keystore';

/** The state of `address`'s store in this tab, re-rendered when it is set up, unlocked or locked. */
export function useKeystore(address: string): KeystoreState {
  return useSyncExternalStore(subscribeKeystores, () => keystoreState(address));
}

/** Whether a form may keep a text for `account` now; while not, the hint it shows instead. */
export function useCanKeep(account: Account) {
  const { t } = useI18n();
  const canKeep = useKeystore(account.address) === 'unlocked';
  return [canKeep, canKeep ? null : <p className="hint" data-testid="keystore-needed">{t('keystore.needed')}</p>] as const;
}

/** Named failures in the user's words; anything else (a full storage quota) as it came. */
function problemText(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  const named: Partial<Record<string, MessageKey>> = {
    WrongPassphrase: 'keystore.error.WrongPassphrase', Tampered: 'keystore.error.Tampered', Unsupported: 'keystore.error.Unsupported', WeakPassphrase: 'keystore.error.WeakPassphrase',
  };
  const key = error instanceof KeystoreError ? named[error.reason] : undefined;
  return key ? t(key, { min: MIN_PASSPHRASE_LENGTH }) : t('keystore.error.other', { detail: error instanceof Error ? error.message : String(error) });
}

export function KeystorePanel({ account }: { account: Account }) {
  const { t } = useI18n();
  const state = useKeystore(account.address);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      setPassphrase('');
      setRepeat('');
    } catch (error) {
      setProblem(problemText(error, t));
    } finally {
      setBusy(false);
    }
  };
  const setUp = () => {
    if (passphrase !== repeat) setProblem(t('keystore.mismatch'));
    else void run(() => createKeystore(account.address, passphrase));
  };
  const unlock = () => void run(() => unlockKeystore(account.address, passphrase));
  // The panel may stand inside a page's form: Enter acts here rather than submitting that form.
  const onEnter = (act: () => void) => (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (!busy) act();
  };
  const field = (label: string, value: string, set: (v: string) => void, name: string, autoComplete: string, act: () => void) => (
    <label className="field">{label}
      <input type="password" name={name} value={value} onChange={(e) => { set(e.target.value); setProblem(null); }} onKeyDown={onEnter(act)} autoComplete={autoComplete} />
    </label>
  );
  return (
    <div className="keystore" role="group" data-keystore={state} aria-labelledby={`keystore-title-${account.address}`}>
      <h4 id={`keystore-title-${account.address}`}>{t('keystore.title')}</h4>
      {state === 'unlocked' ? (
        <>
          <p className="hint">{t('keystore.unlocked')}{' '}<button type="button" onClick={() => lockKeystores()}>{t('keystore.lock')}</button></p>
          <KeptTexts account={account} />
        </>
      ) : (
        <>
          {state === 'plain' && <p className="warning" data-testid="keystore-plain">{t('keystore.plainFound')}</p>}
          {state === 'locked' && <p>{t('keystore.locked')}</p>}
          {state !== 'locked' && <p className="hint">{t('keystore.summary')}</p>}
          <details>
            <summary>{t('keystore.why')}</summary>
            <p className="hint">{t('keystore.explain')}</p>
          </details>
          {state === 'locked' ? (
            <>
              {field(t('keystore.passphrase'), passphrase, setPassphrase, 'keystore-passphrase', 'current-password', unlock)}
              <button type="button" className="primary" disabled={busy || !passphrase} onClick={unlock}>{t('keystore.unlock')}</button>
              <ForgotPassphrase account={account} />
            </>
          ) : (
            <>
              {field(t('keystore.new', { min: MIN_PASSPHRASE_LENGTH }), passphrase, setPassphrase, 'keystore-new', 'new-password', setUp)}
              {field(t('keystore.repeat'), repeat, setRepeat, 'keystore-repeat', 'new-password', setUp)}
              <button type="button" className="primary" disabled={busy || !passphrase || !repeat} onClick={setUp}>{t('keystore.set')}</button>
            </>
          )}
          {busy && <p className="hint" role="status">{t('keystore.working')}</p>}
          {problem && <p role="alert" className="error" data-testid="keystore-problem">{problem}</p>}
        </>
      )}
    </div>
  );
}

/** A lost passphrase: nothing opens the store, so the way on is to erase it and start again. */
function ForgotPassphrase({ account }: { account: Account }) {
  const { t } = useI18n();
  const [understood, setUnderstood] = useState(false);
  return (
    <details>
      <summary>{t('keystore.forgot')}</summary>
      <p className="hint">{t('keystore.forgotExplain')}</p>
      <label><input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> {t('keystore.eraseConfirm')}</label>
      {' '}<button type="button" className="danger" disabled={!understood} onClick={() => eraseKeystore(account.address)}>{t('keystore.erase')}</button>
    </details>
  );
}

/**
 * The texts kept for this account's commitments, with their salts: what a reviewer or regulator
 * asks for, readable here now that the store is encrypted.
 */
function KeptTexts({ account }: { account: Account }) {
  const { t, tag } = useI18n();
  // Re-read on every write too (a commitment kept by a form on this page).
  useSyncExternalStore(subscribeKeystores, () => localStorage.getItem(storeKey(account.address)));
  let commitments: KeptCommitment[];
  try {
    ({ commitments } = readSecrets(account.address));
  } catch {
    return null; // locked or replaced by another tab meanwhile: the panel shows that state next
  }
  if (commitments.length === 0) return null;
  const when = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <details data-testid="kept-texts">
      <summary>{t('keystore.kept', { count: commitments.length })}</summary>
      <ul className="items">
        {commitments.map((c, i) => (
          <li key={i} data-kept-kind={c.kind} data-text={c.text} data-salt={c.salt} data-commitment={c.commitment}>
            {c.kind} · {when.format(new Date(c.at))}: <q>{c.text}</q>
            <br /><code>{t('keystore.salt')} {c.salt}</code> <code>{t('keystore.commitment')} {c.commitment}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
