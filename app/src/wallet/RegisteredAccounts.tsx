// The accounts the chain registers for a role, offered in an address field by name and role: a
// patient finds a provider to give access to by typing a name, a kind ("hospital") or part of an
// address, and a pharmacy the partner to send packs to (the browser's list filters as one types).
// The chain names no one: an account is shown by the name this browser knows it by, else by its
// short address, with the role the chain gives it.
import { useDesk } from '../chain/useDesk';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useAccountLabel } from './wallet';

/** Whose accounts: active EHR providers (grantees) or active drug-provenance partners (recipients). */
export type Registry = 'providers' | 'partners';

interface Registered { address: string; role: MessageKey }

/** The registry's active accounts and their roles, other than `except`, for `<input list={id}>`. */
export function RegisteredAccounts({ id, registry, except }: { id: string; registry: Registry; except?: string }) {
  const { t } = useI18n();
  const label = useAccountLabel();
  const [registered] = useDesk<Registered[]>(async ({ chain, at, best }) => {
    if (registry === 'providers') {
      const entries = await chain.api.query.Ehr.Providers.getEntries(at);
      return entries.filter((e) => e.value.status.type === 'Active')
        .map((e) => ({ address: e.keyArgs[0], role: `provider.${e.value.kind.type}` as MessageKey }));
    }
    const [entries, now] = await Promise.all([chain.api.query.DrugProvenance.Partners.getEntries(at), best()]);
    return entries.filter((e) => !e.value.suspended && now < e.value.licensed_until)
      .map((e) => ({ address: e.keyArgs[0], role: `role.${e.value.role.type}` as MessageKey }));
  }, [registry], { initial: [], eachBlock: false });
  return (
    <datalist id={id} data-testid={id}>
      {registered.filter((r) => r.address !== except).map((r) => <option key={r.address} value={r.address}>{`${label(r.address)} · ${t(r.role)}`}</option>)}
    </datalist>
  );
}
