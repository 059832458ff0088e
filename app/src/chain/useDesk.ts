// What a page (a "desk") shows from the chain, loaded the one way every page loads it: when it
// opens, again at each new finalized block (what others did shows up without a reload; or not,
// with `eachBlock: false`) and after each transaction the page sent (`refresh`), reading the best
// block. A load overtaken by a newer one is dropped; one that fails or answers `undefined` leaves
// what is shown until the next one retries.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { bestBlockNumber, useChain, useHead, type Chain } from './connection';

export interface DeskRead {
  chain: Chain;
  /** Read at the best block: a transaction the page just sent is in it. */
  at: { at: 'best' };
  /** The best block's number, or the latest finalized one's when the client cannot tell. */
  best: () => Promise<number>;
}

type Load<T> = (read: DeskRead) => Promise<T | undefined>;
interface Options { eachBlock?: boolean }

export function useDesk<T>(load: Load<T>, deps: DependencyList, options: Options & { initial: T }): [T, () => void];
export function useDesk<T>(load: Load<T>, deps: DependencyList, options?: Options): [T | undefined, () => void];
/** `[what load gave last, refresh]`; `deps` are what else the load reads (the account, a choice). */
export function useDesk<T>(load: Load<T>, deps: DependencyList, { eachBlock = true, initial }: Options & { initial?: T } = {}) {
  const chain = useChain();
  const head = useHead();
  const [data, setData] = useState<T | undefined>(initial);
  const [revision, setRevision] = useState(0);
  const refresh = useCallback(() => setRevision((r) => r + 1), []);
  // The page passes a new closure each render; the effect runs on `deps`, with the latest one.
  const latest = useRef(load);
  latest.current = load;
  const block = eachBlock ? head?.number : undefined;
  useEffect(() => {
    let cancelled = false;
    const best = () => bestBlockNumber(chain).then((n) => n ?? head?.number ?? 0);
    latest.current({ chain, at: { at: 'best' }, best }).then(
      (value) => { if (!cancelled && value !== undefined) setData(value); },
      () => { /* shown as before; the next block or refresh retries */ },
    );
    return () => { cancelled = true; };
    // `head` is read when the load starts, as `block` changes (or not, without `eachBlock`).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chain, revision, block, ...deps]);
  return [data, refresh] as const;
}
