import type { TxStatus } from './useTx';

/** The outcome of the last transaction of a form, announced to screen readers. */
export function TxStatusLine({ status }: { status: TxStatus | null }) {
  if (!status) return null;
  return (
    <p role={status.tone === 'danger' ? 'alert' : 'status'} className={status.tone === 'danger' ? 'error' : 'hint'} data-tx-status={status.tone} data-error-name={status.errorName}>
      {status.text}
      {status.errorName && <> <code>({status.errorName})</code></>}
    </p>
  );
}
