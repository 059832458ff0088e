// One polkadot-api client for the whole app, typed by the descriptors generated from Medchain's
// metadata (scripts/app-descriptors), and what every page needs to know about the chain: token
// decimals and symbol, whether it is a development chain, the block time and the latest
// finalized block with its timestamp (for block numbers as dates), the pallets' error docs.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createClient, type PolkadotClient, type TypedApi } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { medchain } from '@polkadot-api/descriptors';
import { errorDocsFromMetadata, type ErrorDocs } from './errors';
import type { BlockClock } from './format';
import type { AppConfig } from './config';

export type MedchainApi = TypedApi<typeof medchain>;

export interface Chain {
  config: AppConfig;
  client: PolkadotClient;
  api: MedchainApi;
  name: string;
  genesisHash: string;
  decimals: number;
  symbol: string;
  ss58Format: number;
  /** A `--dev` or local chain: the dev accounts may sign. */
  isDevelopment: boolean;
  blockTimeMs: number;
  errorDocs: ErrorDocs;
}

export type ChainState =
  | { status: 'connecting' }
  | { status: 'failed'; reason: string }
  | { status: 'ready'; chain: Chain };

const ChainContext = createContext<ChainState>({ status: 'connecting' });
const HeadContext = createContext<BlockClock | null>(null);

const CONNECT_TIMEOUT_MS = 30_000;

async function describeChain(config: AppConfig, client: PolkadotClient): Promise<Chain> {
  const api = client.getTypedApi(medchain);
  const [spec, chainType, slotMs, finalized] = await Promise.all([
    client.getChainSpecData(),
    client._request<string | { [kind: string]: unknown }>('system_chainType', []),
    api.apis.AuraApi.slot_duration(),
    client.getFinalizedBlock(),
  ]);
  const properties = (spec.properties ?? {}) as { tokenDecimals?: number | number[]; tokenSymbol?: string | string[]; ss58Format?: number };
  const first = <T,>(value: T | T[] | undefined): T | undefined => (Array.isArray(value) ? value[0] : value);
  const kind = typeof chainType === 'string' ? chainType : Object.keys(chainType)[0];
  return {
    config,
    client,
    api,
    name: spec.name,
    genesisHash: spec.genesisHash,
    decimals: first(properties.tokenDecimals) ?? 12,
    symbol: first(properties.tokenSymbol) ?? 'MED',
    ss58Format: properties.ss58Format ?? 42,
    isDevelopment: kind === 'Development' || kind === 'Local',
    blockTimeMs: Number(slotMs),
    errorDocs: errorDocsFromMetadata(await client.getMetadata(finalized.hash)),
  };
}

export function ChainProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [state, setState] = useState<ChainState>({ status: 'connecting' });
  const [head, setHead] = useState<BlockClock | null>(null);
  useEffect(() => {
    const client = createClient(getWsProvider(config.nodeUrl));
    let cancelled = false;
    const timer = setTimeout(() => {
      if (!cancelled) setState((s) => (s.status === 'connecting' ? { status: 'failed', reason: `no answer in ${CONNECT_TIMEOUT_MS / 1000} s` } : s));
    }, CONNECT_TIMEOUT_MS);
    describeChain(config, client).then(
      (chain) => { if (!cancelled) setState({ status: 'ready', chain }); },
      (error: unknown) => { if (!cancelled) setState({ status: 'failed', reason: error instanceof Error ? error.message : String(error) }); },
    ).finally(() => clearTimeout(timer));
    const api = client.getTypedApi(medchain);
    const subscription = client.finalizedBlock$.subscribe((block) => {
      api.query.Timestamp.Now.getValue({ at: block.hash }).then(
        (now) => { if (!cancelled) setHead({ number: block.number, timestampMs: Number(now) }); },
        () => { /* the block was unpinned meanwhile: the next one will do */ },
      );
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      subscription.unsubscribe();
      client.destroy();
    };
  }, [config]);
  return (
    <ChainContext.Provider value={state}>
      <HeadContext.Provider value={head}>{children}</HeadContext.Provider>
    </ChainContext.Provider>
  );
}

export function useChainState(): ChainState {
  return useContext(ChainContext);
}

/** The connected chain; only for components rendered once it is ready. */
export function useChain(): Chain {
  const state = useContext(ChainContext);
  if (state.status !== 'ready') throw new Error('useChain before the chain is ready');
  return state.chain;
}

/** The latest finalized block and its timestamp, or null before the first one arrives. */
export function useHead(): BlockClock | null {
  return useContext(HeadContext);
}

/** The number of the best block now (what a read `at: 'best'` sees), or null if the client cannot tell. */
export function bestBlockNumber(chain: Chain): Promise<number | null> {
  return chain.client.getBestBlocks().then((blocks) => blocks[0]?.number ?? null, () => null);
}
