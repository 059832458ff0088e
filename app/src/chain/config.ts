// Where the app finds its node and vault: `config.json` next to index.html (the app server
// writes it), overridden by `?node=` and `?vault=` in the page address.

export interface AppConfig {
  /** The Medchain node's WebSocket RPC. */
  nodeUrl: string;
  /** The vault's HTTP base URL (the app server proxies it under `/vault` on the same origin). */
  vaultUrl: string;
}

export const DEFAULT_CONFIG: AppConfig = { nodeUrl: 'ws://127.0.0.1:9944', vaultUrl: 'http://127.0.0.1:8700' };

/** The served config with the page's overrides; the defaults when nothing is served. */
export async function loadConfig(search = window.location.search): Promise<AppConfig> {
  let served: Partial<AppConfig> = {};
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    if (response.ok) served = await response.json();
  } catch {
    // A plain static host without config.json: the defaults of a local dev chain.
  }
  const params = new URLSearchParams(search);
  const vaultUrl = params.get('vault') ?? served.vaultUrl ?? DEFAULT_CONFIG.vaultUrl;
  return {
    nodeUrl: params.get('node') ?? served.nodeUrl ?? DEFAULT_CONFIG.nodeUrl,
    // A relative vault URL (the app server's proxy) is resolved against the page.
    vaultUrl: new URL(vaultUrl, window.location.href).href.replace(/\/$/, ''),
  };
}
