// The storage provider's page (#22): my power this era, its heartbeats and audits (passed,
// failed, open), my replicas (their bytes audited this era are the space term of the power) with
// their open audits, taking and dropping one, the reward estimate (own power / total power × the
// era's emission) and why it is nothing when it is, my rewards per era as a chart, and the
// actions pallet-storage-power offers a provider: register with a stake, report the era
// (declared space, shown and not paid, bytes served, the receipts' Merkle root), heartbeat,
// declare a new capacity, announce maintenance, claim rewards, unbond and withdraw; and where the
// era's amount comes from (storage orders and the halving subsidy). Reads through
// `StoragePowerApi`, the power parameters and the era's report from `StoragePower` storage.
import { useState, type FormEvent } from 'react';
import { useChain } from '../chain/connection';
import { useDesk } from '../chain/useDesk';
import { commitAndKeep } from '../chain/commitments';
import { KeystorePanel, useCanKeep } from '../keys/KeystorePanel';
import { TxStatusLine } from '../chain/TxStatusLine';
import { useDateOf, useEraDateOf } from '../chain/useDateOf';
import { formatBytes, formatDuration } from '../chain/format';
import { useAmount, usePrice } from '../chain/useAmount';
import { useTx } from '../chain/useTx';
import { useI18n } from '../i18n/i18n';
import { AsSelectedAccount } from '../wallet/AccountPicker';
import type { Account } from '../wallet/accounts';
import { eraStart } from '../chain/eras';
import { RewardChart } from './RewardChart';
import { eraIncome, type EraIncome } from './economics';
import { DevRoleHint } from '../wallet/DevRoleHint';
import { holdsProviderRole } from '../wallet/roles';
import {
  chartEras, claimable, estimateReward, heartbeatsNeeded, rewardSeries, sharePercent, whyNothing,
  type EraPoint, type EraView, type PendingReward, type ProviderView, type ReplicaView, type Rules,
} from './provider';

/** An order of `StoragePowerApi.open_orders`, as the page lists it. */
interface OpenOrder { id: bigint; size_bytes: bigint; replicas: number; end_era: number; holders: string[] }

interface Desk {
  /** The block a transaction sent now lands in: the pallet's "now" for it. */
  now: number;
  eraLength: number;
  deadline: number;
  stakePerTiB: bigint;
  era: number;
  rules: Rules;
  provider: ProviderView | undefined;
  /** My replicas, with their open audits. */
  replicas: ReplicaView[];
  /** Live orders with a free place that this provider holds no replica of (the first page). */
  openOrders: OpenOrder[];
  /** Part of the stake a failed audit slashes, parts per billion. */
  slashFraction: number;
  /** The current era's totals. */
  current: EraView | undefined;
  estimate: { power: bigint; total_power: bigint; emission: bigint; reward: bigint } | undefined;
  /** This era's report: its audits, and the bytes served it claims under how many receipts. */
  audits: { issued: number; open: number; failed: number; served: bigint; receipts: number } | null;
  pending: PendingReward[];
  points: EraPoint[];
  /** Where the era's amount comes from. */
  income: EraIncome;
}

/** Open orders the page lists; others are taken by id. */
const OPEN_ORDERS_SHOWN = 20;

export function ProviderPage() {
  return <AsSelectedAccount page={(account) => <ProviderDesk account={account} />} />;
}

function ProviderDesk({ account }: { account: Account }) {
  const { t } = useI18n();
  const [desk, refresh] = useDesk<Desk>(async ({ chain, at, best }) => {
    const { StoragePowerApi } = chain.api.apis;
    const [provider, replicas, openOrders, estimate, pending, params, era, eraLength, deadline, stakePerTiB, slashFraction, bestNumber, economics] = await Promise.all([
      StoragePowerApi.provider(account.address, at),
      StoragePowerApi.replicas_of(account.address, at),
      StoragePowerApi.open_orders(0n, OPEN_ORDERS_SHOWN, at),
      StoragePowerApi.estimate_reward(account.address, at),
      StoragePowerApi.pending_rewards(account.address, at),
      chain.api.query.StoragePower.Parameters.getValue(at),
      chain.api.query.StoragePower.CurrentEra.getValue(at),
      chain.api.constants.StoragePower.EraLength(),
      chain.api.constants.StoragePower.ChallengeDeadline(),
      chain.api.constants.StoragePower.MinStakePerTiB(),
      chain.api.constants.StoragePower.SlashFraction(),
      best(),
      StoragePowerApi.economics(at),
    ]);
    const eras = chartEras(era);
    const [views, report] = await Promise.all([
      Promise.all(eras.map((e) => StoragePowerApi.era(e, at))),
      chain.api.query.StoragePower.Reports.getValue(account.address, era, at),
    ]);
    const current = views[views.length - 1];
    return {
      now: bestNumber + 1,
      eraLength,
      deadline,
      stakePerTiB,
      era,
      rules: { min_uptime: params.min_uptime, failure_threshold: params.failure_threshold },
      provider: provider as ProviderView | undefined,
      replicas,
      openOrders: openOrders.orders.filter((order) => !order.holders.includes(account.address)),
      slashFraction,
      current,
      estimate,
      audits: report ? {
        issued: report.challenges_issued, open: report.open_challenges, failed: report.failures,
        served: report.bytes_served, receipts: report.leaf_count,
      } : null,
      pending,
      points: rewardSeries(eras, views, pending, era, estimate ? estimate.reward : null),
      income: eraIncome(economics, current?.emission),
    };
  }, [account]);

  return (
    <section aria-labelledby="provider-title">
      <h2 id="provider-title">{t('provider.title')}</h2>
      <p className="hint">{t('provider.intro')}</p>
      {!desk ? <p>{t('provider.loading')}</p> : (
        <>
          <PowerCard desk={desk} />
          {desk.provider && <ReplicasCard desk={desk} provider={desk.provider} account={account} onChange={refresh} />}
          <EstimateCard desk={desk} />
          <IncomeCard desk={desk} />
          <ActionsCard desk={desk} account={account} onChange={refresh} />
          <RewardsCard desk={desk} />
        </>
      )}
    </section>
  );
}

function PowerCard({ desk }: { desk: Desk }) {
  const { t } = useI18n();
  const med = useAmount();
  const dateOf = useDateOf();
  const p = desk.provider;
  if (!p) {
    return (
      <div className="card" data-testid="provider-state" data-registered="false">
        <p>{t('provider.notRegistered')}</p>
        <DevRoleHint holds={holdsProviderRole} />
      </div>
    );
  }
  const passed = desk.audits ? desk.audits.issued - desk.audits.open - desk.audits.failed : 0;
  return (
    <div className="card" data-testid="provider-state" data-registered="true" data-power={String(p.power ?? '')} data-failures={p.failures} data-heartbeats={p.heartbeats}>
      <h3>{t('provider.myPower', { era: desk.era })}</h3>
      <p className="big" data-testid="my-power">{p.power === undefined ? t('provider.noReportYet') : String(p.power)}</p>
      <dl className="facts">
        <dt>{t('provider.heartbeats')}</dt><dd>{t('provider.heartbeatsValue', { sent: p.heartbeats, expected: p.expected_heartbeats, needed: heartbeatsNeeded(p, desk.rules) })}</dd>
        <dt>{t('provider.audits')}</dt>
        <dd data-testid="audits" data-passed={passed} data-failed={p.failures} data-open={desk.audits?.open ?? 0}>
          {t('provider.auditsValue', { passed, failed: p.failures, open: desk.audits?.open ?? 0, threshold: desk.rules.failure_threshold })}
        </dd>
        <dt>{t('provider.served')}</dt>
        <dd data-testid="bytes-served" data-bytes={String(desk.audits?.served ?? 0n)} data-receipts={desk.audits?.receipts ?? 0}>
          {t('provider.servedValue', { bytes: String(desk.audits?.served ?? 0n), receipts: desk.audits?.receipts ?? 0 })}
        </dd>
        <dt>{t('provider.capacity')}</dt>
        <dd>{t('provider.capacityValue', { gib: String(p.capacity_gib) })}{p.pending_capacity && ` ${t('provider.pendingCapacity', { gib: String(p.pending_capacity[1]), date: dateOf(eraStart(p.pending_capacity[0], desk.eraLength)) })}`}</dd>
        <dt>{t('provider.stake')}</dt><dd data-testid="stake">{med(p.stake)} ({t('provider.requiredStake', { amount: med(p.required_stake) })})</dd>
        <dt>{t('provider.status')}</dt>
        <dd>{p.status.type === 'Active' ? t('provider.active') : t('provider.unbonding', { date: dateOf(eraStart(p.status.value.until, desk.eraLength)) })}
          {p.maintenance && ` · ${t('provider.maintenance', { from: dateOf(eraStart(p.maintenance[0], desk.eraLength)), to: dateOf(eraStart(p.maintenance[1] + 1, desk.eraLength)) })}`}</dd>
      </dl>
    </div>
  );
}

/**
 * My replicas: the bytes held and audited this era (the space term of the power), each replica
 * with its open audit, dropping one (not while its audit is open), taking one of an order.
 */
function ReplicasCard({ desk, provider, account, onChange }: { desk: Desk; provider: ProviderView; account: Account; onChange: () => void }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const dateOf = useDateOf();
  const eraDateOf = useEraDateOf(desk.eraLength);
  const { send, status } = useTx();
  const [orderId, setOrderId] = useState('');
  const tx = chain.api.tx.StoragePower;
  const run = async (call: Parameters<typeof send>[0]) => { if ((await send(call, account)).ok) onChange(); };
  const id = orderId.trim();
  const onTake = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d+$/.test(id)) void run(tx.take_replica({ order_id: BigInt(id) }));
  };
  return (
    <div className="card" data-testid="replicas" data-replica-bytes={String(provider.replica_bytes)} data-audited-bytes={String(provider.audited_bytes)}>
      <h3>{t('provider.replicasTitle')}</h3>
      <p className="hint">{t('provider.replicasHint', { slash: desk.slashFraction / 1e7 })}</p>
      <dl className="facts">
        <dt>{t('provider.replicaBytes')}</dt><dd>{formatBytes(Number(provider.replica_bytes), tag)}</dd>
        <dt>{t('provider.auditedBytes')}</dt><dd data-testid="audited-bytes">{formatBytes(Number(provider.audited_bytes), tag)}</dd>
        <dt>{t('provider.replicaAudits')}</dt>
        <dd data-testid="replica-audits" data-passed={provider.replica_audits_passed} data-failed={provider.replica_audits_failed}>
          {t('provider.replicaAuditsTally', { passed: provider.replica_audits_passed, failed: provider.replica_audits_failed })}
        </dd>
      </dl>
      {desk.replicas.length === 0 ? <p>{t('provider.noReplicas')}</p> : (
        <ul className="items" data-testid="replica-list">
          {desk.replicas.map((r) => (
            <li key={String(r.order_id)} data-order={String(r.order_id)} data-content-id={r.content_id} data-size={String(r.size_bytes)}
              data-since={r.since} data-audit-segment={r.audit?.[0]} data-audit-deadline={r.audit ? String(r.audit[1]) : undefined}>
              {t('provider.replica', {
                id: String(r.order_id), size: formatBytes(Number(r.size_bytes), tag), era: r.since, date: eraDateOf(r.since),
                audit: r.audit
                  ? t('provider.auditOpen', { segment: r.audit[0], block: String(r.audit[1]), date: dateOf(Number(r.audit[1])) })
                  : t('provider.noOpenAudit'),
              })}{' '}
              <button type="button" data-testid="drop-replica" disabled={r.audit !== undefined} title={r.audit ? t('provider.dropAfterAudit') : undefined}
                onClick={() => void run(tx.drop_replica({ order_id: r.order_id }))}>
                {t('provider.dropReplica')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {provider.status.type === 'Active' && (
        <form onSubmit={onTake} data-testid="take-replica">
          <h4>{t('provider.takeReplica')}</h4>
          <p className="hint">{t('provider.takeReplicaHint')}</p>
          {desk.openOrders.length === 0 ? <p className="hint" data-testid="no-open-orders">{t('provider.noOpenOrders')}</p> : (
            <ul className="items" data-testid="open-orders">
              {desk.openOrders.map((order) => (
                <li key={String(order.id)} data-open-order={String(order.id)}>
                  {t('provider.openOrder', {
                    id: String(order.id), size: formatBytes(Number(order.size_bytes), tag), held: order.holders.length, replicas: order.replicas, date: eraDateOf(order.end_era),
                  })}{' '}
                  <button type="button" onClick={() => void run(tx.take_replica({ order_id: order.id }))}>{t('provider.take')}</button>
                </li>
              ))}
            </ul>
          )}
          <p className="hint">{t('provider.orderIdHint')}</p>
          <label className="field">{t('provider.orderId')} <input inputMode="numeric" name="orderId" value={orderId} onChange={(e) => setOrderId(e.target.value)} /></label>
          <button type="submit" disabled={!/^\d+$/.test(id)}>{t('provider.takeReplicaButton')}</button>
        </form>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

function EstimateCard({ desk }: { desk: Desk }) {
  const { t } = useI18n();
  const med = useAmount();
  const dateOf = useDateOf();
  const emission = desk.estimate?.emission ?? desk.current?.emission ?? 0n;
  const reasons = whyNothing(desk.provider, desk.rules, emission, { now: desk.now, eraLength: desk.eraLength, deadline: desk.deadline });
  const e = desk.estimate;
  return (
    <div className="card" data-testid="estimate" data-reward={String(e?.reward ?? 0n)} data-total-power={String(e?.total_power ?? desk.current?.total_power ?? 0n)} data-emission={String(emission)}>
      <h3>{t('provider.estimateTitle', { date: dateOf(eraStart(desk.era + 1, desk.eraLength)) })}</h3>
      {e && <p data-testid="estimate-formula">{t('provider.estimateFormula', {
        power: String(e.power), total: String(e.total_power), emission: med(e.emission),
        reward: med(estimateReward(e.power, e.total_power, e.emission)), share: sharePercent(e.power, e.total_power),
      })}</p>}
      {reasons.length > 0 && (
        <div className="warning" data-testid="why-nothing" data-reasons={reasons.join(' ')}>
          <p>{t('provider.whyNothing')}</p>
          <ul>{reasons.map((r) => <li key={r}>{t(`provider.reason.${r}`, { threshold: desk.rules.failure_threshold, uptime: desk.rules.min_uptime / 1e7, lost: desk.provider?.replica_audits_failed ?? 0 })}</li>)}</ul>
        </div>
      )}
    </div>
  );
}

/** Where this era's rewards come from: the orders' part and the subsidy, the next era's, the price and the schedule. */
function IncomeCard({ desk }: { desk: Desk }) {
  const chain = useChain();
  const { t, tag } = useI18n();
  const med = useAmount();
  // Amounts of the era exactly: a small record pays a few planck an era.
  const price = usePrice();
  const eraDateOf = useEraDateOf(desk.eraLength);
  const i = desk.income;
  return (
    <div className="card" data-testid="era-income" data-era={i.era} data-order-revenue={String(i.orderRevenue)} data-subsidy={String(i.subsidy)}
      data-next-order-revenue={String(i.next.orderRevenue)} data-next-subsidy={String(i.next.subsidy)} data-price={String(i.pricePerGibEra)}>
      <h3>{t('provider.incomeTitle')}</h3>
      <dl className="facts">
        <dt>{t('provider.incomeOrders', { era: i.era })}</dt><dd data-testid="income-orders">{price(i.orderRevenue)}</dd>
        <dt>{t('provider.incomeSubsidy', { era: i.era })}</dt><dd>{price(i.subsidy)}</dd>
        {i.other > 0n && <><dt>{t('provider.incomeOther')}</dt><dd>{price(i.other)}</dd></>}
        {i.emission !== null && <><dt>{t('provider.incomeTotal')}</dt><dd>{price(i.emission)}</dd></>}
        <dt>{t('provider.incomeNext', { date: eraDateOf(i.next.era) })}</dt>
        <dd>{t('provider.incomeNextValue', { orders: price(i.next.orderRevenue), subsidy: price(i.next.subsidy) })}</dd>
        <dt>{t('provider.incomePrice')}</dt><dd>{t('provider.incomePriceValue', { price: price(i.pricePerGibEra) })}</dd>
        <dt>{t('provider.incomePrepaid')}</dt><dd>{price(i.prepaid)}</dd>
      </dl>
      <p className="hint" data-testid="subsidy-schedule">
        {t('provider.incomeSchedule', {
          initial: med(i.schedule.initial), start: i.schedule.start_era, halfLife: i.schedule.half_life_eras,
          duration: formatDuration(i.schedule.half_life_eras * desk.eraLength, chain.blockTimeMs, tag), cap: med(i.scheduleCap),
        })}
        {i.halving && ` ${t('provider.incomeHalving', { era: i.halving.era, date: eraDateOf(i.halving.era, false), amount: med(i.halving.amount) })}`}
        {i.pending && ` ${t('provider.incomePending', { era: i.pending.start_era, initial: med(i.pending.initial), halfLife: i.pending.half_life_eras })}`}
      </p>
    </div>
  );
}

function ActionsCard({ desk, account, onChange }: { desk: Desk; account: Account; onChange: () => void }) {
  const chain = useChain();
  const { t } = useI18n();
  const med = useAmount();
  const { send, status } = useTx();
  const [capacity, setCapacity] = useState('100');
  const [endpoint, setEndpoint] = useState('');
  const [report, setReport] = useState({ used: '0', free: '100', served: '0', root: `0x${'0'.repeat(64)}`, leaves: '0' });
  const [maintenanceEras, setMaintenanceEras] = useState('1');
  const [canKeep, keepHint] = useCanKeep(account);
  const tx = chain.api.tx.StoragePower;
  const run = async (call: Parameters<typeof send>[0]) => { const outcome = await send(call, account); if (outcome.ok) onChange(); };
  const gib = () => BigInt(/^\d+$/.test(capacity.trim()) ? capacity.trim() : '0');
  const stakeFor = (g: bigint) => ((g + 1023n) / 1024n) * desk.stakePerTiB;
  const p = desk.provider;
  const { eras, total } = claimable(desk.pending);
  const onRegister = (e: FormEvent) => {
    e.preventDefault();
    const endpoint_commitment = commitAndKeep(account.address, 'storage-endpoint', endpoint);
    void run(tx.register_provider({ capacity_gib: gib(), endpoint_commitment }));
  };
  const onReport = (e: FormEvent) => {
    e.preventDefault();
    const n = (s: string) => BigInt(/^\d+$/.test(s.trim()) ? s.trim() : '0');
    void run(tx.submit_report({
      era: desk.era, used_space_gib: n(report.used), free_space_gib: n(report.free), bytes_served: n(report.served),
      receipts_root: report.root.trim(), leaf_count: Number(n(report.leaves)),
    }));
  };
  return (
    <div className="card" data-testid="provider-actions">
      <h3>{t('provider.actions')}</h3>
      {!p ? (
        <form onSubmit={onRegister} data-testid="register">
          <label className="field">{t('provider.capacityGib')} <input inputMode="numeric" value={capacity} onChange={(e) => setCapacity(e.target.value)} name="capacity" /></label>
          <label className="field">{t('provider.endpoint')} <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} name="endpoint" placeholder="https://…" /></label>
          <p className="hint">{t('provider.stakeNeeded', { amount: med(stakeFor(gib())) })}</p>
          {/* The endpoint stays here; its salted commitment goes on chain. */}
          <KeystorePanel account={account} />
          {keepHint}
          <button type="submit" disabled={!endpoint.trim() || gib() === 0n || !canKeep}>{t('provider.register')}</button>
        </form>
      ) : (
        <>
          {p.status.type === 'Active' && p.power === undefined && (
            <form onSubmit={onReport} data-testid="report">
              <p className="hint">{t('provider.reportHint')}</p>
              <label className="field">{t('provider.usedGib')} <input inputMode="numeric" name="used" value={report.used} onChange={(e) => setReport({ ...report, used: e.target.value })} /></label>
              <label className="field">{t('provider.freeGib')} <input inputMode="numeric" name="free" value={report.free} onChange={(e) => setReport({ ...report, free: e.target.value })} /></label>
              <label className="field">{t('provider.bytesServed')} <input inputMode="numeric" name="served" value={report.served} onChange={(e) => setReport({ ...report, served: e.target.value })} /></label>
              <label className="field">{t('provider.receiptsRoot')} <input name="root" value={report.root} onChange={(e) => setReport({ ...report, root: e.target.value })} placeholder="0x…" /></label>
              <label className="field">{t('provider.leafCount')} <input inputMode="numeric" name="leaves" value={report.leaves} onChange={(e) => setReport({ ...report, leaves: e.target.value })} /></label>
              <button type="submit" disabled={!/^0x[0-9a-fA-F]{64}$/.test(report.root.trim())}>{t('provider.submitReport')}</button>
            </form>
          )}
          <div className="actions">
            {p.status.type === 'Active' && <button type="button" data-testid="heartbeat" onClick={() => void run(tx.heartbeat())}>{t('provider.heartbeat')}</button>}
            <button type="button" data-testid="claim" onClick={() => void run(tx.claim_rewards({ max_eras: Math.max(1, Math.min(eras, 32)) }))}>
              {t('provider.claim', { eras, amount: med(total) })}
            </button>
          </div>
          {p.status.type === 'Active' && (
            <details>
              <summary>{t('provider.more')}</summary>
              <form onSubmit={(e) => { e.preventDefault(); void run(tx.declare_capacity({ capacity_gib: gib() })); }}>
                <label className="field">{t('provider.capacityGib')} <input inputMode="numeric" value={capacity} onChange={(e) => setCapacity(e.target.value)} /></label>
                <button type="submit">{t('provider.declare')}</button>
              </form>
              <form onSubmit={(e) => { e.preventDefault(); void run(tx.announce_maintenance({ eras: Number(maintenanceEras) || 0 })); }}>
                <label className="field">{t('provider.maintenanceEras')} <input inputMode="numeric" value={maintenanceEras} onChange={(e) => setMaintenanceEras(e.target.value)} /></label>
                <button type="submit">{t('provider.announceMaintenance')}</button>
              </form>
              <button type="button" data-testid="unbond" onClick={() => void run(tx.unbond())}>{t('provider.unbond')}</button>
            </details>
          )}
          {p.status.type === 'Unbonding' && <button type="button" data-testid="withdraw" onClick={() => void run(tx.withdraw_unbonded())}>{t('provider.withdraw')}</button>}
        </>
      )}
      <TxStatusLine status={status} />
    </div>
  );
}

function RewardsCard({ desk }: { desk: Desk }) {
  const { t } = useI18n();
  const dateOf = useDateOf();
  return (
    <div className="card" data-testid="rewards">
      <h3>{t('provider.rewardsPerEra')}</h3>
      <RewardChart points={desk.points} eraLabel={(era) => t('provider.eraLabel', { era, date: dateOf(eraStart(era, desk.eraLength), false) })} />
    </div>
  );
}
