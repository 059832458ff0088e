import { useI18n } from '../i18n/i18n';
import { useChain, useHead } from './connection';
import { eraDate, eraStart } from './eras';
import { blockToDate, formatDate } from './format';

/** What dating a block needs: the latest finalized block, the block time, the user's locale. */
function useClock() {
  const chain = useChain();
  const head = useHead();
  const { tag } = useI18n();
  return { head, blockTimeMs: chain.blockTimeMs, tag };
}

/** Block numbers as dates in the user's locale, from the latest finalized block (`#n` until it is known). */
export function useDateOf() {
  const { head, blockTimeMs, tag } = useClock();
  return (block: number, withTime = true) => (head ? formatDate(blockToDate(block, head, blockTimeMs), tag, withTime) : `#${block}`);
}

/** The starts of pallet-storage-power's eras of `eraLength` blocks as dates, as `useDateOf` shows blocks. */
export function useEraDateOf(eraLength: number) {
  const { head, blockTimeMs, tag } = useClock();
  return (era: number, withTime = true) => (head ? formatDate(eraDate(era, eraLength, head, blockTimeMs), tag, withTime) : `#${eraStart(era, eraLength)}`);
}
