// The start page: what each role does here, in a sentence or two, with a link to its page; on a
// development chain, which dev accounts already hold each role (a newcomer need not guess).
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useDevRoleHolders } from '../wallet/DevRoleHint';
import { holdsClinicianRole, holdsMemberRole, holdsPartnerRole, holdsPatientRole, holdsProviderRole, type HoldsRole } from '../wallet/roles';
import { useWallet } from '../wallet/wallet';

/** The roles in the order of the menu; `holds` is absent where no account is needed. */
const ROLES: ReadonlyArray<{ route: string; holds?: HoldsRole }> = [
  { route: 'check' },
  { route: 'patient', holds: holdsPatientRole },
  { route: 'clinician', holds: holdsClinicianRole },
  { route: 'partner', holds: holdsPartnerRole },
  { route: 'member', holds: holdsMemberRole },
  { route: 'provider', holds: holdsProviderRole },
];

export function StartPage() {
  const { t } = useI18n();
  // The dev accounts (a development chain's only) load when a page asks for them.
  const { wantAccounts } = useWallet();
  useEffect(() => wantAccounts(), [wantAccounts]);
  return (
    <section aria-labelledby="start-title">
      <h2 id="start-title">{t('start.title')}</h2>
      <p>{t('start.intro')}</p>
      <ul className="roles">
        {ROLES.map((role) => <RoleCard key={role.route} route={role.route} holds={role.holds} />)}
      </ul>
    </section>
  );
}

function RoleCard({ route, holds }: { route: string; holds?: HoldsRole }) {
  const { t } = useI18n();
  const titleId = `start-${route}`;
  return (
    <li className="card" aria-labelledby={titleId} data-role={route}>
      <h3 id={titleId}><a href={`#/${route}`}>{t(`nav.${route}` as MessageKey)}</a></h3>
      <p className="hint">{t(`start.${route}.who` as MessageKey)}</p>
      <p>{t(`start.${route}.tasks` as MessageKey)}</p>
      {holds ? <DevHolders holds={holds} /> : <p className="hint">{t('start.noAccount')}</p>}
    </li>
  );
}

function DevHolders({ holds }: { holds: HoldsRole }) {
  const { t } = useI18n();
  // Dev accounts exist only on a development chain, so elsewhere this names nobody.
  const names = useDevRoleHolders(holds);
  if (!names) return null;
  return <p className="hint" data-testid="dev-holders">{t('start.devHolders', { names })}</p>;
}
