// Sending transactions and waiting for their outcome: the first best block that includes them
// (an instant-seal chain finalizes at once; under Aura that is ~6 s instead of ~18 s for
// finality). Every wait has a timeout.
import type { Observable } from 'rxjs';
import type { TxEvent } from 'polkadot-api';
import { explainDispatchError, type ErrorDocs, type ExplainedError } from './errors';

export type TxOutcome =
  | { ok: true; block: number; blockHash: string; events: Array<{ type: string; value: { type: string; value: unknown } }> }
  | { ok: false; stage: 'dispatch'; block: number; error: ExplainedError }
  | { ok: false; stage: 'pool' | 'signing' | 'timeout'; reason: string };

export type TxStage = 'signing' | 'submitted';

const INCLUSION_TIMEOUT_MS = 120_000;

/**
 * Follows `events` (a `signSubmitAndWatch` or `submitAndWatch` observable) until the
 * transaction is in a best block, and says how it went. `onStage` hears when it is signed.
 */
export function followTx(events: Observable<TxEvent>, docs: ErrorDocs, onStage: (stage: TxStage) => void = () => {}): Promise<TxOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: TxOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, stage: 'timeout', reason: `not in a block after ${INCLUSION_TIMEOUT_MS / 1000} s` }), INCLUSION_TIMEOUT_MS);
    let signed = false;
    const subscription = events.subscribe({
      next(event) {
        if (event.type === 'signed' || event.type === 'broadcasted') {
          signed = true;
          onStage('submitted');
        }
        if ((event.type === 'txBestBlocksState' && event.found) || event.type === 'finalized') {
          if (event.ok) {
            finish({ ok: true, block: event.block.number, blockHash: event.block.hash, events: event.events as never });
          } else {
            finish({ ok: false, stage: 'dispatch', block: event.block.number, error: explainDispatchError(event.dispatchError, docs) });
          }
        }
      },
      error(error: unknown) {
        const reason = describeRefusal(error);
        finish({ ok: false, stage: signed ? 'pool' : 'signing', reason });
      },
    });
    onStage('signing');
  });
}

/** A pool refusal or signer failure in words: polkadot-api's `InvalidTxError` carries the decoded validity error. */
export function describeRefusal(error: unknown): string {
  const inner = (error as { error?: unknown })?.error;
  if (inner && typeof inner === 'object') {
    const parts: string[] = [];
    let value: unknown = inner;
    while (value && typeof value === 'object' && 'type' in value) {
      parts.push(String((value as { type: string }).type));
      value = (value as { value?: unknown }).value;
    }
    if (parts.length) return parts.join(': ');
  }
  return error instanceof Error ? error.message : String(error);
}
