import { useI18n } from '../i18n/i18n';
import { useChain } from './connection';
import { formatAmount } from './format';

/** Amounts in planck as the chain's token (MED) in the user's locale. */
export function useAmount() {
  const chain = useChain();
  const { tag } = useI18n();
  return (planck: bigint) => formatAmount(planck, chain.decimals, chain.symbol, tag);
}
