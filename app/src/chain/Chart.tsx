// The figure every plain-SVG chart of the app is drawn in (the member page's ledger, the storage
// provider's rewards per era): the axis with its top amount, a label under each slot, the legend,
// and the same figures as a table (for screen readers and exact amounts). The charts draw their
// own marks inside; the geometry is chain/chart.ts.
//
// Plain SVG drawn by React rather than a chart library: a dozen slots of a few series need bars,
// a line and an axis, a few hundred bytes here against 50–100 KB gzip for Recharts or Chart.js
// (plus their own tooltips and styling to translate), and amounts stay exact bigints up to the
// moment they become pixels.
import type { ReactNode } from 'react';
import type { SlotFrame } from './chart';

/** A series in the legend: its colour and its words. */
export interface LegendItem { key: string; colour: string; label: string }

export function ChartFigure({ name, frame, label, topLabel, legend, tableTitle, table, children }: {
  /** The figure's and its table's test ids: `<name>-chart`, `<name>-table`. */
  name: string;
  frame: SlotFrame;
  /** The chart's accessible name. */
  label: string;
  /** The axis's top amount, written. */
  topLabel: string;
  legend: LegendItem[];
  /** The summary that opens the table. */
  tableTitle: string;
  /** The table's head and body rows. */
  table: { head: ReactNode; rows: ReactNode };
  /** The marks, drawn over the axis. */
  children: ReactNode;
}) {
  return (
    <figure className="ledger-chart" data-testid={`${name}-chart`}>
      <svg viewBox={`0 0 ${frame.width} ${frame.height}`} role="img" aria-label={label}>
        <line x1={frame.plot.left} x2={frame.plot.right} y1={frame.plot.bottom} y2={frame.plot.bottom} stroke="#8c959f" />
        <text x={frame.plot.left} y={frame.plot.top + 8} fontSize="9" fill="#57606a">{topLabel}</text>
        {children}
      </svg>
      <figcaption>
        <ul className="legend">
          {legend.map((s) => <li key={s.key}><span className="swatch" style={{ background: s.colour }} /> {s.label}</li>)}
        </ul>
        <details>
          <summary>{tableTitle}</summary>
          <div className="table-scroll">
            <table className="ledger-table" data-testid={`${name}-table`}>
              <thead><tr>{table.head}</tr></thead>
              <tbody>{table.rows}</tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}

/** The label under a slot, centred at `x`. */
export function SlotLabel({ frame, x, children }: { frame: SlotFrame; x: number; children: ReactNode }) {
  return <text x={x} y={frame.height - 10} fontSize="9" textAnchor="middle" fill="#57606a">{children}</text>;
}
