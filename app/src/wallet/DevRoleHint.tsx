// On a development chain, which dev accounts already hold the role a page needs: a newcomer picks
// one of them instead of trying every account (the demo data gives each role to some of them).
import type { Chain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { useI18n } from '../i18n/i18n';
import { useWallet } from './wallet';

/** Whether `address` holds the page's role at the best block. */
export type HoldsRole = (chain: Chain, address: string, at: { at: 'best' }) => Promise<boolean>;

export function DevRoleHint({ holds }: { holds: HoldsRole }) {
  const { t, tag } = useI18n();
  const { accounts } = useWallet();
  const dev = accounts.filter((a) => a.source === 'dev');
  const [names] = useDesk(async ({ chain, at }) => {
    const held = await Promise.all(dev.map((a) => holds(chain, a.address, at)));
    return dev.filter((_, i) => held[i]).map((a) => a.name);
  }, [dev.length], { initial: [] as string[], eachBlock: false });
  if (!names.length) return null;
  const list = new Intl.ListFormat(tag, { type: 'conjunction' });
  return <p className="hint" data-testid="dev-role-hint">{t('wallet.devRoleHint', { names: list.format(names) })}</p>;
}
