// Delivering the keys of the records a grant (or a mutual-aid claim's panel) may read, and saying
// how it went: the patient page after a grant or an approved request, the member page to the
// reviewers drawn for a claim.
import { useState } from 'react';
import { useChain } from '../chain/connection';
import type { TxStatus } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import type { Account } from '../wallet/accounts';
import type { KeyAgreementKey } from '../keys/key-agreement';
import { deliverRecordKeys, type SealedRecordRef } from './deliver';
import type { StoredScope } from './grants';

/**
 * The status line's state, `deliver(grantees, scope)` (deliver.ts for each grantee in turn; a
 * grantee without a registered key counts as one failure, and when none has one the line says
 * so) and a way to clear the status.
 */
export function useKeyDelivery(account: Account, keyAgreement: KeyAgreementKey | null | undefined, records: SealedRecordRef[]) {
  const chain = useChain();
  const { t } = useI18n();
  const [delivery, setDelivery] = useState<TxStatus | null>(null);
  const deliver = async (grantees: string[], scope: StoredScope) => {
    if (!keyAgreement) return;
    setDelivery({ tone: 'info', text: t('patient.delivering') });
    try {
      let delivered = 0;
      let failed = 0;
      let noKey = 0;
      for (const grantee of grantees) {
        const outcome = await deliverRecordKeys(chain, account, keyAgreement, grantee, scope, records);
        if (outcome.kind === 'no-key') noKey += 1;
        else {
          delivered += outcome.delivered;
          failed += outcome.failed;
        }
      }
      if (noKey === grantees.length) setDelivery({ tone: 'danger', text: t('patient.deliveryNoKey') });
      else if (failed + noKey) setDelivery({ tone: 'danger', text: t('patient.deliveredWithFailures', { delivered, failed: failed + noKey }) });
      else setDelivery({ tone: 'good', text: t('patient.delivered', { delivered }) });
    } catch (error) {
      setDelivery({ tone: 'danger', text: t('tx.rejected', { reason: error instanceof Error ? error.message : String(error) }) });
    }
  };
  return [delivery, deliver, setDelivery] as const;
}
