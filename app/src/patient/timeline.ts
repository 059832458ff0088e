// The access log as a timeline: entries newest first, grouped by the day they happened.
import { blockToDate, type BlockClock } from '../chain/format';

export interface LogEntry {
  index: number;
  accessor: string;
  recordId?: number | bigint;
  purpose: string;
  basis: string;
  at: number;
}

export interface TimelineDay<E extends LogEntry = LogEntry> {
  /** `YYYY-MM-DD` in local time, for keys; `date` to format. */
  key: string;
  date: Date;
  entries: Array<E & { time: Date }>;
}

/** `entries` newest first, grouped by local day. */
export function timelineOf<E extends LogEntry>(entries: E[], head: BlockClock, blockTimeMs: number): Array<TimelineDay<E>> {
  const days = new Map<string, TimelineDay<E>>();
  for (const entry of [...entries].sort((a, b) => b.index - a.index)) {
    const time = blockToDate(entry.at, head, blockTimeMs);
    const key = `${time.getFullYear()}-${String(time.getMonth() + 1).padStart(2, '0')}-${String(time.getDate()).padStart(2, '0')}`;
    const day = days.get(key) ?? { key, date: new Date(time.getFullYear(), time.getMonth(), time.getDate()), entries: [] };
    day.entries.push({ ...entry, time });
    days.set(key, day);
  }
  return [...days.values()];
}
