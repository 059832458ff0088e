import { useI18n } from '../i18n/i18n';
import { useChain, useHead } from './connection';
import { blockToDate, formatDate } from './format';

/** Block numbers as dates in the user's locale, from the latest finalized block (`#n` until it is known). */
export function useDateOf() {
  const chain = useChain();
  const head = useHead();
  const { tag } = useI18n();
  return (block: number, withTime = true) => (head ? formatDate(blockToDate(block, head, chain.blockTimeMs), tag, withTime) : `#${block}`);
}
