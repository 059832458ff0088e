// Sending a signed transaction from a page and saying how it went, in the user's language, with
// the pallet's own documentation when the chain refuses it.
import { useCallback, useState } from 'react';
import type { Transaction } from 'polkadot-api';
import { useI18n } from '../i18n/i18n';
import type { Account } from '../wallet/accounts';
import { useChain } from './connection';
import { followTx, type TxOutcome } from './submit';

export interface TxStatus {
  tone: 'info' | 'good' | 'danger';
  text: string;
  /** The refusing pallet's error, e.g. `Ehr.InvalidPeriod`, for the failure line. */
  errorName?: string;
}

export function useTx() {
  const chain = useChain();
  const { t } = useI18n();
  const [status, setStatus] = useState<TxStatus | null>(null);
  const send = useCallback(async (tx: Transaction, account: Account): Promise<TxOutcome> => {
    const outcome = await followTx(tx.signSubmitAndWatch(account.signer), chain.errorDocs, (stage) => {
      setStatus({ tone: 'info', text: t(stage === 'signing' ? 'tx.signing' : 'tx.submitted') });
    });
    if (outcome.ok) setStatus({ tone: 'good', text: t('tx.included', { block: outcome.block }) });
    else if (outcome.stage === 'dispatch') {
      const explanation = outcome.error.docs || (outcome.error.message ? t(outcome.error.message) : outcome.error.name);
      setStatus({ tone: 'danger', text: t('tx.failed', { error: explanation }), errorName: outcome.error.name });
    } else setStatus({ tone: 'danger', text: t('tx.rejected', { reason: outcome.reason }) });
    return outcome;
  }, [chain, t]);
  return { send, status, setStatus };
}
