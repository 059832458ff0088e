// Erasing a record's sealed object in the vault, as the patient's erase does it before erasing
// the record on chain (the vault lets the patient erase only while the chain names them the
// record's patient). A vault whose provider holds a replica refuses (409 `replica-held`) until
// it sees the storage order end, which its duties notice within seconds, and a provider's vault
// that has just started refuses (503 `replicas-unknown`) until its duties have read the
// provider's replicas: so the erase is tried again for a while. An object already gone (410) or
// never uploaded (404) is erased enough.

/** The vault client's erase, and the refusal it throws (`VaultError`: `status`, `reason`). */
export interface ObjectEraser {
  erase(contentId: Uint8Array): Promise<void>;
}

export type EraseOutcome = 'erased' | 'already-gone' | 'replica-held';

/** Refusals that pass once the vault's provider duties catch up with the chain. */
const TRANSIENT = new Set(['replica-held', 'replicas-unknown']);

/**
 * Erases `contentId`, trying again every `retryMs` while the vault answers `replica-held` or
 * `replicas-unknown`, at most `attempts` times; `replica-held` if it still holds a replica (a
 * provider keeps a copy under an order that has not ended). Any other refusal, and a vault that
 * still does not know its replicas, is thrown.
 */
export async function eraseObject(client: ObjectEraser, contentId: Uint8Array, { attempts = 10, retryMs = 1_500 } = {}): Promise<EraseOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.erase(contentId);
      return 'erased';
    } catch (error) {
      const { status, reason } = (error ?? {}) as { status?: number; reason?: string };
      if (status === 404 || status === 410) return 'already-gone';
      if (!reason || !TRANSIENT.has(reason)) throw error;
      if (attempt >= attempts) {
        if (reason === 'replica-held') return 'replica-held';
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
