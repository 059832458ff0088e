// pallet-storage-power counts time in eras of `EraLength` blocks: era `e` covers blocks
// `[e × EraLength, (e + 1) × EraLength)`. Shared by the provider's page and the patient's
// storage orders.
import { blockToDate, type BlockClock } from './format';

/** The era `block` belongs to. */
export const eraOf = (block: number, eraLength: number) => Math.floor(block / eraLength);
/** The first block of `era`. */
export const eraStart = (era: number, eraLength: number) => era * eraLength;

/** When `era` starts (or started), estimated from a known block as `blockToDate` does. */
export function eraDate(era: number, eraLength: number, known: BlockClock, blockTimeMs: number): Date {
  return blockToDate(eraStart(era, eraLength), known, blockTimeMs);
}
