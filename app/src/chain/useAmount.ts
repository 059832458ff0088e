import { useI18n } from '../i18n/i18n';
import { useChain } from './connection';
import { formatAmount, formatPrice } from './format';

/** Amounts in planck as the chain's token (MED) in the user's locale. */
export function useAmount() {
  const chain = useChain();
  const { tag } = useI18n();
  return (planck: bigint) => formatAmount(planck, chain.decimals, chain.symbol, tag);
}

/** Prices in planck as the chain's token, small ones exactly (`formatPrice`). */
export function usePrice() {
  const chain = useChain();
  const { tag } = useI18n();
  return (planck: bigint) => formatPrice(planck, chain.decimals, chain.symbol, tag);
}
