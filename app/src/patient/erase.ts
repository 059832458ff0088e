// Erasing a record's sealed object in the vault, as the patient's erase does it before erasing
// the record on chain (the vault lets the patient erase only while the chain names them the
// record's patient). A vault whose provider holds a replica refuses (409 `replica-held`) until
// it sees the storage order end, which its duties notice within seconds: so the erase is tried
// again for a while. An object already gone (410) or never uploaded (404) is erased enough.

/** The vault client's erase, and the refusal it throws (`VaultError`: `status`, `reason`). */
export interface ObjectEraser {
  erase(contentId: Uint8Array): Promise<void>;
}

export type EraseOutcome = 'erased' | 'already-gone' | 'replica-held';

/**
 * Erases `contentId`, trying again every `retryMs` while the vault answers `replica-held`, at
 * most `attempts` times; `replica-held` if it still refuses (a provider keeps a copy under an
 * order that has not ended). Any other refusal is thrown.
 */
export async function eraseObject(client: ObjectEraser, contentId: Uint8Array, { attempts = 10, retryMs = 1_500 } = {}): Promise<EraseOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.erase(contentId);
      return 'erased';
    } catch (error) {
      const { status, reason } = (error ?? {}) as { status?: number; reason?: string };
      if (status === 404 || status === 410) return 'already-gone';
      if (reason !== 'replica-held') throw error;
      if (attempt >= attempts) return 'replica-held';
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
