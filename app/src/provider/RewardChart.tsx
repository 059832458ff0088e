// My rewards per era as a chart: the era's emission as a pale bar, my reward in front of it
// (the estimate for the current era, hatched by opacity), and the same figures as a table. Plain
// SVG as the member page's ledger chart, on the same axis arithmetic (chain/chart.ts).
import { useChain } from '../chain/connection';
import { useAmount } from '../chain/useAmount';
import { useI18n } from '../i18n/i18n';
import { layoutRewards } from './chart';
import type { EraPoint } from './provider';

const COLOURS = { emission: '#d0d7de', mine: '#1a7f37' } as const;

export function RewardChart({ points, eraLabel }: { points: EraPoint[]; eraLabel: (era: number) => string }) {
  const chain = useChain();
  const { t } = useI18n();
  const med = useAmount();
  const layout = layoutRewards(points, 10n ** BigInt(chain.decimals));
  return (
    <figure className="ledger-chart" data-testid="reward-chart">
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label={t('provider.chartLabel', { top: med(layout.top) })}>
        <line x1={layout.plot.left} x2={layout.plot.right} y1={layout.plot.bottom} y2={layout.plot.bottom} stroke="#8c959f" />
        <text x={layout.plot.left} y={layout.plot.top + 8} fontSize="9" fill="#57606a">{med(layout.top)}</text>
        {layout.bars.map((b) => (
          <g key={b.era} data-era={b.era} data-kind={b.kind}>
            {b.emission.height > 0 && <rect x={b.emission.x} y={b.emission.y} width={b.emission.width} height={b.emission.height} fill={COLOURS.emission} data-series="emission"><title>{`${t('provider.series.emission')}: ${med(b.emission.value)}`}</title></rect>}
            {b.mine.height > 0 && <rect x={b.mine.x} y={b.mine.y} width={b.mine.width} height={b.mine.height} fill={COLOURS.mine} opacity={b.kind === 'estimate' ? 0.5 : 1} data-series="mine"><title>{`${t('provider.series.mine')}: ${med(b.mine.value)}`}</title></rect>}
            <text x={b.centre} y={layout.height - 10} fontSize="9" textAnchor="middle" fill="#57606a">{b.era}</text>
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {(['emission', 'mine'] as const).map((s) => <li key={s}><span className="swatch" style={{ background: COLOURS[s] }} /> {t(`provider.series.${s}`)}</li>)}
        </ul>
        <details>
          <summary>{t('provider.rewardTable')}</summary>
          <div className="table-scroll">
            <table className="ledger-table" data-testid="reward-table">
              <thead><tr><th scope="col">{t('provider.era')}</th><th scope="col">{t('provider.series.emission')}</th><th scope="col">{t('provider.totalPower')}</th><th scope="col">{t('provider.series.mine')}</th></tr></thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.era} data-era={p.era} data-mine={String(p.mine)} data-kind={p.kind}>
                    <th scope="row">{eraLabel(p.era)}</th>
                    <td>{p.emission === null ? '—' : med(p.emission)}</td>
                    <td>{p.totalPower === null ? '—' : String(p.totalPower)}</td>
                    <td>{p.kind === 'none' ? '—' : `${med(p.mine)}${p.kind === 'estimate' ? ` (${t('provider.estimate')})` : p.kind === 'claimable' ? ` (${t('provider.claimable')})` : ''}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}
