// On a development chain, which dev accounts already hold the role a page needs: a newcomer picks
// one of them instead of trying every account (the demo data gives each role to some of them).
import { useDesk } from '../chain/useDesk';
import { useI18n } from '../i18n/i18n';
import type { HoldsRole } from './roles';
import { useWallet } from './wallet';

/** The names of the dev accounts that hold the role, as a list in the user's language ('' for none). */
export function useDevRoleHolders(holds: HoldsRole): string {
  const { tag } = useI18n();
  const { accounts } = useWallet();
  const dev = accounts.filter((a) => a.source === 'dev');
  const [names] = useDesk(async ({ chain, at }) => {
    const held = await Promise.all(dev.map((a) => holds(chain, a.address, at)));
    return dev.filter((_, i) => held[i]).map((a) => a.name);
  }, [dev.length], { initial: [] as string[], eachBlock: false });
  return names.length ? new Intl.ListFormat(tag, { type: 'conjunction' }).format(names) : '';
}

export function DevRoleHint({ holds }: { holds: HoldsRole }) {
  const { t } = useI18n();
  const names = useDevRoleHolders(holds);
  if (!names) return null;
  return <p className="hint" data-testid="dev-role-hint">{t('wallet.devRoleHint', { names })}</p>;
}
