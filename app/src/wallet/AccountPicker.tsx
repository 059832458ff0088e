// Choosing the account to act as: dev accounts on a development chain, browser wallets' accounts
// once connected.
import { useI18n } from '../i18n/i18n';
import { shortAddress } from '../chain/format';
import { useWallet } from './wallet';

export function AccountPicker() {
  const { t } = useI18n();
  const wallet = useWallet();
  const groups = [...new Set(wallet.accounts.map((a) => a.source))];
  return (
    <div className="card account-picker">
      <label className="field">
        {t('wallet.account')}
        <select value={wallet.selected?.address ?? ''} onChange={(e) => wallet.select(e.target.value)} name="account">
          <option value="" disabled>{t('wallet.none')}</option>
          {groups.map((source) => (
            <optgroup key={source} label={source === 'dev' ? t('wallet.devAccounts') : t('wallet.extension', { name: source })}>
              {wallet.accounts.filter((a) => a.source === source).map((a) => (
                <option key={`${source}:${a.address}`} value={a.address}>{a.name} ({shortAddress(a.address)})</option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <div className="wallets">
        {wallet.available.length === 0 && <p className="hint">{t('wallet.noExtension')}</p>}
        {wallet.available.filter((name) => !wallet.connected.includes(name)).map((name) => (
          <button type="button" key={name} onClick={() => void wallet.connect(name)}>{t('wallet.connect')}: {name}</button>
        ))}
        {wallet.connectError && <p role="alert" className="error">{t('wallet.connectFailed', { name: '', reason: wallet.connectError })}</p>}
      </div>
    </div>
  );
}
