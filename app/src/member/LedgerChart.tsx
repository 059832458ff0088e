// The pool's ledger as a chart: inflow, payouts and fees per period as bars, the per-member
// share as a line, and the same figures as a table, in the app's shared chart figure
// (chain/Chart.tsx; geometry in chart.ts).
import { ChartFigure, SlotLabel } from '../chain/Chart';
import { useChain } from '../chain/connection';
import { useAmount } from '../chain/useAmount';
import { useI18n } from '../i18n/i18n';
import { layoutChart, SERIES } from './chart';
import type { LedgerPoint, MyShare } from './pool';

const COLOURS = { inflow: '#1a7f37', payouts: '#0969da', fees: '#9a6700', share: '#cf222e' } as const;
const KEYS = [...SERIES, 'share' as const];

export function LedgerChart({ points, mine, periodLabel }: { points: LedgerPoint[]; mine: MyShare[] | null; periodLabel: (period: number) => string }) {
  const chain = useChain();
  const { t } = useI18n();
  const unit = 10n ** BigInt(chain.decimals);
  const med = useAmount();
  const layout = layoutChart(points, unit);
  // The share is drawn where a period charged one: a line through those periods, no dip to zero
  // for the periods without claims.
  const charged = layout.share.filter((p) => p.value > 0n);
  const sharePath = charged.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  const mineBy = new Map(mine?.map((m) => [m.period, m]) ?? []);
  const head = (
    <>
      <th scope="col">{t('member.period')}</th>
      {KEYS.map((s) => <th key={s} scope="col">{t(`member.series.${s}`)}</th>)}
      <th scope="col">{t('member.members')}</th>
      {mine && <th scope="col">{t('member.myShare')}</th>}
    </>
  );
  const rows = points.map((p) => (
    <tr key={p.period} data-period={p.period} data-inflow={String(p.inflow)} data-apportioned={p.apportioned}>
      <th scope="row">{periodLabel(p.period)}</th>
      <td>{med(p.inflow)}</td>
      <td>{med(p.payouts)}</td>
      <td>{med(p.fees)}</td>
      <td>{med(p.per_member_share + p.per_member_fee)}</td>
      <td>{p.members}</td>
      {mine && <td data-my-share={String(mineBy.get(p.period)?.owed ?? 0n)}>
        {mineBy.get(p.period)?.kind === 'none' ? '—' : `${med(mineBy.get(p.period)?.owed ?? 0n)}${mineBy.get(p.period)?.kind === 'estimate' ? ` (${t('member.estimate')})` : ''}`}
      </td>}
    </tr>
  ));
  return (
    <ChartFigure
      name="ledger" frame={layout} label={t('member.chartLabel', { top: med(layout.top) })} topLabel={med(layout.top)}
      legend={KEYS.map((s) => ({ key: s, colour: COLOURS[s], label: t(`member.series.${s}`) }))}
      tableTitle={t('member.ledgerTable')} table={{ head, rows }}
    >
      {layout.groups.map((g) => (
        <g key={g.period} data-period={g.period}>
          {g.bars.map((b) => b.height > 0 && (
            <rect key={b.series} x={b.x} y={b.y} width={b.width} height={b.height} fill={COLOURS[b.series]} data-series={b.series}>
              <title>{`${t(`member.series.${b.series}`)}: ${med(b.value)}`}</title>
            </rect>
          ))}
          <SlotLabel frame={layout} x={g.x}>{g.period}</SlotLabel>
        </g>
      ))}
      {charged.length > 1 && <path d={sharePath} fill="none" stroke={COLOURS.share} strokeWidth="1.5" />}
      {charged.map((p) => <circle key={p.x} cx={p.x} cy={p.y} r="3" fill={COLOURS.share} data-series="share"><title>{`${t('member.series.share')}: ${med(p.value)}`}</title></circle>)}
    </ChartFigure>
  );
}
