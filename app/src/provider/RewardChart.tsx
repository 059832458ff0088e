// My rewards per era as a chart: the era's emission as a pale bar, my reward in front of it
// (the estimate for the current era, hatched by opacity), and the same figures as a table, in
// the app's shared chart figure (chain/Chart.tsx; geometry in chart.ts).
import { ChartFigure, SlotLabel } from '../chain/Chart';
import { useChain } from '../chain/connection';
import { useAmount } from '../chain/useAmount';
import { useI18n } from '../i18n/i18n';
import { layoutRewards } from './chart';
import type { EraPoint } from './provider';

const COLOURS = { emission: '#d0d7de', mine: '#1a7f37' } as const;
const KEYS = ['emission', 'mine'] as const;

export function RewardChart({ points, eraLabel }: { points: EraPoint[]; eraLabel: (era: number) => string }) {
  const chain = useChain();
  const { t } = useI18n();
  const med = useAmount();
  const layout = layoutRewards(points, 10n ** BigInt(chain.decimals));
  const head = <><th scope="col">{t('provider.era')}</th><th scope="col">{t('provider.series.emission')}</th><th scope="col">{t('provider.totalPower')}</th><th scope="col">{t('provider.series.mine')}</th></>;
  const rows = points.map((p) => (
    <tr key={p.era} data-era={p.era} data-mine={String(p.mine)} data-kind={p.kind}>
      <th scope="row">{eraLabel(p.era)}</th>
      <td>{p.emission === null ? '—' : med(p.emission)}</td>
      <td>{p.totalPower === null ? '—' : String(p.totalPower)}</td>
      <td>{p.kind === 'none' ? '—' : `${med(p.mine)}${p.kind === 'estimate' ? ` (${t('provider.estimate')})` : p.kind === 'claimable' ? ` (${t('provider.claimable')})` : ''}`}</td>
    </tr>
  ));
  return (
    <ChartFigure
      name="reward" frame={layout} label={t('provider.chartLabel', { top: med(layout.top) })} topLabel={med(layout.top)}
      legend={KEYS.map((s) => ({ key: s, colour: COLOURS[s], label: t(`provider.series.${s}`) }))}
      tableTitle={t('provider.rewardTable')} table={{ head, rows }}
    >
      {layout.bars.map((b) => (
        <g key={b.era} data-era={b.era} data-kind={b.kind}>
          {b.emission.height > 0 && <rect x={b.emission.x} y={b.emission.y} width={b.emission.width} height={b.emission.height} fill={COLOURS.emission} data-series="emission"><title>{`${t('provider.series.emission')}: ${med(b.emission.value)}`}</title></rect>}
          {b.mine.height > 0 && <rect x={b.mine.x} y={b.mine.y} width={b.mine.width} height={b.mine.height} fill={COLOURS.mine} opacity={b.kind === 'estimate' ? 0.5 : 1} data-series="mine"><title>{`${t('provider.series.mine')}: ${med(b.mine.value)}`}</title></rect>}
          <SlotLabel frame={layout} x={b.centre}>{b.era}</SlotLabel>
        </g>
      ))}
    </ChartFigure>
  );
}
