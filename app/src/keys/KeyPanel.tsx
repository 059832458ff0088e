// An account's encryption (key-agreement) key on every page that seals or opens records: set up
// in this browser (a dev account derives it; a wallet account gets a recovery phrase, kept in its
// encrypted store, see key-agreement.ts) and, where others must wrap keys to it, registered on chain.
import { useCallback, useEffect, useState } from 'react';
import { u8aToHex } from '@polkadot/util';
import { useChain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import type { Account } from '../wallet/accounts';
import { createPhrase, keyAgreementOf, restorePhrase, type KeyAgreementKey } from './key-agreement';
import { useKeystore } from './KeystorePanel';
import { keyStateOf, type KeyState } from './registry';

/**
 * This browser's key-agreement key of `account`: undefined while loading, null until set up or
 * while its store is locked (looked up again when the store is unlocked or locked).
 */
export function useKeyAgreement(account: Account) {
  const [key, setKey] = useState<KeyAgreementKey | null | undefined>(undefined);
  const store = useKeystore(account.address);
  useEffect(() => {
    let cancelled = false;
    keyAgreementOf(account).then((k) => { if (!cancelled) setKey(k); }, () => { if (!cancelled) setKey(null); });
    return () => { cancelled = true; };
  }, [account, store]);
  return [key, setKey] as const;
}

/**
 * Creating or restoring a wallet account's recovery phrase, explained where it is first needed;
 * only once its store is unlocked (the page shows the `KeystorePanel` that unlocks it).
 */
export function KeySetup({ account, onReady }: { account: Account; onReady: (key: KeyAgreementKey) => void }) {
  const { t } = useI18n();
  const [shown, setShown] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState(false);
  const unlocked = useKeystore(account.address) === 'unlocked';
  const load = useCallback(() => keyAgreementOf(account).then((key) => { if (key) onReady(key); }), [account, onReady]);
  if (!unlocked) return null;
  return (
    <div className="key-setup" aria-labelledby="key-title">
      <h4 id="key-title">{t('key.title')}</h4>
      <p>{t('key.explain')}</p>
      {shown ? (
        <>
          <p>{t('key.shown')}</p>
          <p className="phrase" data-testid="recovery-phrase">{shown}</p>
          <button type="button" onClick={() => void load()}>{t('key.ready')}</button>
        </>
      ) : (
        <>
          <button type="button" className="primary" onClick={() => setShown(createPhrase(account.address))}>{t('key.create')}</button>
          <label className="field">{t('key.phrase')}
            <input value={typed} onChange={(e) => { setTyped(e.target.value); setInvalid(false); }} autoComplete="off" spellCheck={false} />
          </label>
          <button type="button" onClick={() => { if (restorePhrase(account.address, typed)) void load(); else setInvalid(true); }}>{t('key.restore')}</button>
          {invalid && <p role="alert" className="error">{t('check.badCode', { reason: 'BIP-39' })}</p>}
        </>
      )}
    </div>
  );
}

/**
 * The key on chain: whether the key others wrap records to is this browser's, and registering it
 * (`DnaWallet.register_key`) or replacing an older one (`DnaWallet.rotate_key`: the old key's
 * envelopes die, so the patients who shared with it deliver again).
 */
export function KeyOnChain({ account, keyAgreement }: { account: Account; keyAgreement: KeyAgreementKey }) {
  const chain = useChain();
  const { t } = useI18n();
  const { send, status } = useTx();
  const [state, refresh] = useDesk(({ chain: c, at }) => c.api.apis.DnaWalletApi.keys(account.address, at).then(
    (keys): KeyState | null => keyStateOf(keys, keyAgreement.publicKey),
    () => null,
  ), [account, keyAgreement], { initial: null });
  const register = async () => {
    if (!state || state.kind === 'current') return;
    const key = { public_key: keyAgreement.publicKey, key_type: { type: 'X25519' as const, value: undefined } };
    const tx = state.kind === 'missing'
      ? chain.api.tx.DnaWallet.register_key(key)
      : chain.api.tx.DnaWallet.rotate_key({ old_key_id: state.replaces, ...key });
    const outcome = await send(tx, account);
    if (outcome.ok) refresh();
  };
  if (!state) return null;
  return (
    <div className="key-on-chain" data-key-state={state.kind}>
      <p className="hint">
        {t(state.kind === 'current' ? 'key.onChain' : state.kind === 'missing' ? 'key.notOnChain' : 'key.otherOnChain')}
        {' '}<code>{u8aToHex(keyAgreement.publicKey).slice(0, 18)}…</code>
      </p>
      {state.kind !== 'current' && (
        <button type="button" onClick={() => void register()}>{t(state.kind === 'missing' ? 'key.register' : 'key.rotate')}</button>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}
