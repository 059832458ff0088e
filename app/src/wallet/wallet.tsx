// The account the user acts as, chosen among the dev accounts (development chains only) and the
// accounts of the browser wallets they connect; remembered in this browser by address.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useChainState } from '../chain/connection';
import { accountLabel } from '../chain/format';
import { browserWallets, connectBrowserWallet, walletAccounts, type Account } from './accounts';

const SELECTED_KEY = 'medchain.account';

interface Wallet {
  accounts: Account[];
  selected: Account | null;
  select: (address: string) => void;
  /** Browser wallets seen on the page, and the ones connected. */
  available: string[];
  connected: string[];
  connect: (name: string) => Promise<void>;
  connectError: { name: string; reason: string } | null;
  /** Called by the pages that act as an account: loads the dev accounts (on a dev chain). */
  wantAccounts: () => void;
}

const WalletContext = createContext<Wallet | null>(null);

export function WalletProvider({ children }: { children: ReactNode }) {
  const chainState = useChainState();
  const [dev, setDev] = useState<Account[]>([]);
  const [fromWallets, setFromWallets] = useState<Record<string, Account[]>>({});
  const [selectedAddress, setSelectedAddress] = useState<string | null>(() => localStorage.getItem(SELECTED_KEY));
  const [connectError, setConnectError] = useState<{ name: string; reason: string } | null>(null);
  // Extensions inject themselves after the page loads; look again shortly after.
  const [available, setAvailable] = useState<string[]>(() => browserWallets());
  useEffect(() => {
    const timer = setTimeout(() => setAvailable(browserWallets()), 1000);
    return () => clearTimeout(timer);
  }, []);

  const chain = chainState.status === 'ready' ? chainState.chain : null;
  // The public medicine check needs no account: the keyring and its WebAssembly load only once a
  // page that acts as an account asks for them.
  const [wanted, setWanted] = useState(false);
  const wantAccounts = useCallback(() => setWanted(true), []);
  useEffect(() => {
    if (!wanted || !chain?.isDevelopment) {
      setDev([]);
      return;
    }
    let cancelled = false;
    // The keyring (and its WebAssembly) loads only on a development chain.
    import('./dev-accounts')
      .then(({ devAccounts }) => devAccounts(chain.ss58Format))
      .then((accounts) => { if (!cancelled) setDev(accounts); });
    return () => { cancelled = true; };
  }, [chain, wanted]);

  const connect = useCallback(async (name: string) => {
    setConnectError(null);
    try {
      const { extension, accounts } = await connectBrowserWallet(name);
      setFromWallets((current) => ({ ...current, [name]: accounts }));
      extension.subscribe((updated) => {
        setFromWallets((current) => ({
          ...current,
          [name]: walletAccounts(name, updated),
        }));
      });
    } catch (error) {
      setConnectError({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  const accounts = useMemo(() => [...dev, ...Object.values(fromWallets).flat()], [dev, fromWallets]);
  const select = useCallback((address: string) => {
    setSelectedAddress(address);
    localStorage.setItem(SELECTED_KEY, address);
  }, []);
  const value = useMemo<Wallet>(() => ({
    accounts,
    selected: accounts.find((a) => a.address === selectedAddress) ?? null,
    select,
    available,
    connected: Object.keys(fromWallets),
    connect,
    connectError,
    wantAccounts,
  }), [accounts, selectedAddress, select, available, fromWallets, connect, connectError, wantAccounts]);
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): Wallet {
  const wallet = useContext(WalletContext);
  if (!wallet) throw new Error('useWallet outside WalletProvider');
  return wallet;
}

/**
 * How the pages name an account: "Dave (5DAAnr…TXFy)" for the accounts this browser knows (dev
 * accounts, connected wallets), the short address otherwise.
 */
export function useAccountLabel(): (address: string) => string {
  const { accounts } = useWallet();
  return useCallback((address: string) => accountLabel(address, accounts), [accounts]);
}

/**
 * The accounts this browser knows (dev accounts, connected wallets) other than `except`, offered
 * by name in an address field: `<input list={id}>` beside `<KnownAccounts id={id} />`.
 */
export function KnownAccounts({ id, except }: { id: string; except?: string }) {
  const { accounts } = useWallet();
  return (
    <datalist id={id}>
      {accounts.filter((a) => a.address !== except).map((a) => <option key={a.address} value={a.address}>{a.name}</option>)}
    </datalist>
  );
}

