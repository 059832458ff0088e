// Paying for a record's storage (pallet-storage-power's orders, issue #18): the choice of how
// long to keep a sealed record, with the chain's quote for its sealed size, shown in the record
// form; and "My storage orders": each order's object, size, copies, price and paid-until date,
// renewal with its cost, ending a live order now (before erasing its object; the eras after the
// current one refunded), and removal of an ended order (its deposit back).
import { useState } from 'react';
import { formatBytes, formatDuration } from '../chain/format';
import { useChain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { useEraDateOf } from '../chain/useDateOf';
import { usePrice } from '../chain/useAmount';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import type { Account } from '../wallet/accounts';
import { DEFAULT_REPLICAS, ORDER_ERAS, quoteView, renewalCost, sealedSizeOf, type OrderRow } from './orders';

/** The chain's storage terms the patient's page shows with its orders. */
export interface StorageTerms {
  era: number;
  eraLength: number;
  pricePerGibEra: bigint;
  maxOrderEras: number;
}

/** How long to keep the record being added, and what the chain would charge for its sealed size. */
export function StorageChoice({ text, eras, onEras }: { text: string; eras: number; onEras: (eras: number) => void }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const price = usePrice();
  const size = text ? sealedSizeOf(text) : 0;
  const [offer] = useDesk(async ({ chain, at }) => {
    const { StoragePowerApi } = chain.api.apis;
    const [quote, deposit, eraLength] = await Promise.all([
      size > 0 ? StoragePowerApi.quote(BigInt(size), DEFAULT_REPLICAS, eras, at) : undefined,
      chain.api.constants.StoragePower.OrderDeposit(),
      chain.api.constants.StoragePower.EraLength(),
    ]);
    return { size, eras, eraLength, view: quoteView(size, quote, deposit) };
  }, [size, eras], { eachBlock: false });
  const duration = (n: number) => (offer ? formatDuration(n * offer.eraLength, chain.blockTimeMs, tag) : '…');
  const view = offer?.view;
  return (
    <fieldset data-testid="storage-choice">
      <legend>{t('storage.title')}</legend>
      <p className="hint">{t('storage.explain', { replicas: DEFAULT_REPLICAS })}</p>
      <label className="field">{t('storage.eras')}
        <select name="eras" value={eras} onChange={(e) => onEras(Number(e.target.value))}>
          {ORDER_ERAS.map((n) => <option key={n} value={n}>{t('storage.erasOption', { eras: n, duration: duration(n) })}</option>)}
        </select>
      </label>
      {offer && <p className="hint">{t('storage.eraLength', { duration: duration(1) })}</p>}
      {offer && view && (
        <p data-testid="storage-quote" data-kind={view.kind} data-size={offer.size} data-eras={offer.eras}
          data-per-era={view.kind === 'quote' ? String(view.perEra) : undefined} data-total={view.kind === 'quote' ? String(view.total) : undefined}>
          {view.kind === 'empty' ? t('storage.quoteEmpty') : view.kind === 'refused' ? t('storage.quoteRefused') : t('storage.quote', {
            size: formatBytes(offer.size, tag), replicas: DEFAULT_REPLICAS, perEra: price(view.perEra), total: price(view.total), eras: offer.eras, deposit: price(view.deposit),
          })}
        </p>
      )}
    </fieldset>
  );
}

/** "My storage orders": one row an order, with renewal (and its cost) while live and removal once ended. */
export function StorageOrdersSection({ account, rows, terms, onChange }: { account: Account; rows: OrderRow[]; terms: StorageTerms | undefined; onChange: () => void }) {
  const { t, tag } = useI18n();
  const price = usePrice();
  const eraDateOf = useEraDateOf(terms?.eraLength ?? 1);
  const { send, status } = useTx();
  const chain = useChain();
  const run = async (tx: Parameters<typeof send>[0]) => { if ((await send(tx, account)).ok) onChange(); };
  return (
    <div className="card">
      <h3>{t('storage.orders')}</h3>
      <p className="hint">{t('storage.ordersExplain')}</p>
      {rows.length === 0 || !terms ? <p>{t('storage.noOrders')}</p> : (
        <ul className="items" data-testid="storage-orders">
          {rows.map((row) => (
            <li key={String(row.id)} data-order={String(row.id)} data-content-id={row.contentId} data-per-era={String(row.perEra)}
              data-paid-until-era={row.paidUntilEra} data-live={String(row.live)}>
              {t('storage.order', {
                id: String(row.id),
                what: row.recordId !== undefined ? t('storage.orderRecord', { record: String(row.recordId), content: row.contentShort }) : row.contentShort,
                size: formatBytes(Number(row.sizeBytes), tag), replicas: row.replicas, perEra: price(row.perEra),
                date: eraDateOf(row.paidUntilEra), state: t(row.live ? 'storage.live' : 'storage.expired'),
              })}
              {row.live && (
                <p className={row.held === 0 ? 'warning' : 'hint'} data-held={row.held}>
                  {row.held === 0 ? t('storage.heldNone') : t('storage.held', { held: row.held, replicas: row.replicas })}
                </p>
              )}
              {row.live && <Renewal row={row} terms={terms} onRenew={(eras) => void run(chain.api.tx.StoragePower.renew_order({ order_id: row.id, eras }))} />}
              {row.live && (
                <button type="button" className="danger" data-testid="cancel-order"
                  onClick={() => void run(chain.api.tx.StoragePower.cancel_order({ order_id: row.id }))}>
                  {t('storage.cancel', { refund: price(row.cancelRefund), deposit: price(row.deposit) })}
                </button>
              )}
              {row.removable && (
                <button type="button" onClick={() => void run(chain.api.tx.StoragePower.remove_order({ order_id: row.id }))}>
                  {t('storage.remove', { deposit: price(row.deposit) })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

function Renewal({ row, terms, onRenew }: { row: OrderRow; terms: StorageTerms; onRenew: (eras: number) => void }) {
  const { t } = useI18n();
  const price = usePrice();
  const eraDateOf = useEraDateOf(terms.eraLength);
  const [eras, setEras] = useState(String(ORDER_ERAS[0]));
  const count = /^\d+$/.test(eras.trim()) ? Number(eras.trim()) : 0;
  const cost = renewalCost(row, count, terms.era, terms.pricePerGibEra, terms.maxOrderEras);
  return (
    <form className="nested" onSubmit={(e) => { e.preventDefault(); if (cost.ok) onRenew(count); }} data-testid="renew"
      data-paid={cost.ok ? String(cost.paid) : undefined} data-refunded={cost.ok ? String(cost.refunded) : undefined}>
      <label>{t('storage.renewEras')} <input inputMode="numeric" name="renewEras" value={eras} onChange={(e) => setEras(e.target.value)} /></label>
      <span className="hint">{' '}{cost.ok
        ? (cost.refunded > 0n ? t('storage.renewRefund', { refunded: price(cost.refunded), date: eraDateOf(cost.newEnd) }) : t('storage.renewCost', { paid: price(cost.paid), date: eraDateOf(cost.newEnd) }))
        : t('storage.renewTooFar', { max: terms.maxOrderEras })}</span>
      {' '}<button type="submit" disabled={!cost.ok}>{t('storage.renew')}</button>
    </form>
  );
}
