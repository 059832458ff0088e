// Choosing the account to act as: dev accounts on a development chain, browser wallets' accounts
// once connected.
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import type { Account } from './accounts';
import { useI18n } from '../i18n/i18n';
import { useChain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { formatAmount, shortAddress } from '../chain/format';
import { useWallet } from './wallet';

/** The free balance of `address` in MED, refreshed with each finalized block. */
function Balance({ address }: { address: string }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const [free] = useDesk(({ chain: c, at }) => c.api.query.System.Account.getValue(address, at).then((account): bigint | null => account.data.free, () => null), [address], { initial: null });
  if (free === null) return null;
  return <p className="hint" data-testid="balance">{t('wallet.balance', { amount: formatAmount(free, chain.decimals, chain.symbol, tag) })}</p>;
}

/** The chosen account's whole address, selectable and with a copy button: what others need to grant it access. */
function FullAddress({ address }: { address: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => setCopied(false), [address]);
  const copy = () => {
    void navigator.clipboard?.writeText(address).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <div className="full-address">
      <span className="hint" id="full-address-label">{t('wallet.address')}</span>
      <code aria-labelledby="full-address-label" data-testid="full-address">{address}</code>
      <button type="button" onClick={copy}>{copied ? t('wallet.copied') : t('wallet.copy')}</button>
    </div>
  );
}

export function AccountPicker() {
  const { t } = useI18n();
  const wallet = useWallet();
  const { wantAccounts } = wallet;
  useEffect(() => wantAccounts(), [wantAccounts]);
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
      {wallet.selected && <FullAddress address={wallet.selected.address} />}
      {wallet.selected && <Balance address={wallet.selected.address} />}
      <div className="wallets">
        {wallet.available.length === 0 && (
          <p className="hint">{t(wallet.accounts.some((a) => a.source === 'dev') ? 'wallet.noExtensionDev' : 'wallet.noExtension')}</p>
        )}
        {wallet.available.filter((name) => !wallet.connected.includes(name)).map((name) => (
          <button type="button" key={name} onClick={() => void wallet.connect(name)}>{t('wallet.connect')}: {name}</button>
        ))}
        {wallet.connectError && <p role="alert" className="error">{t('wallet.connectFailed', wallet.connectError)}</p>}
      </div>
    </div>
  );
}

/**
 * What a page shows as the chosen account (`page`), or the request to choose one; the page starts
 * afresh when the account changes.
 */
export function AsSelectedAccount({ page }: { page: (account: Account) => ReactNode }) {
  const { selected } = useWallet();
  const { t } = useI18n();
  if (!selected) return <p>{t('wallet.needAccount')}</p>;
  return <Fragment key={selected.address}>{page(selected)}</Fragment>;
}
