import { useEffect } from 'preact/hooks';
import { routeHref, type WalletView } from '../app/route.js';
import { useServices } from '../app/services.js';
import { useConnection } from '../network/use-connection.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { CreateWallet } from './CreateWallet.js';
import { EnrollForm } from './EnrollForm.js';
import { HistoryList } from './HistoryList.js';
import { Overview } from './Overview.js';
import { ReceivePanel } from './ReceivePanel.js';
import { RestoreWallet } from './RestoreWallet.js';
import { SecurityPanel } from './SecurityPanel.js';
import { SendForm } from './SendForm.js';
import { UnlockWallet, Welcome } from './UnlockWallet.js';

const TABS: { view: WalletView; label: string }[] = [
  { view: 'home', label: 'Balances' },
  { view: 'send', label: 'Send' },
  { view: 'receive', label: 'Receive' },
  { view: 'history', label: 'History' },
  { view: 'enroll', label: 'Enrollment' },
  { view: 'security', label: 'Security' },
];

export function WalletPage({ view }: { view: WalletView }) {
  const { wallet } = useServices();
  const state = useObservable(wallet.state);
  const { state: sync, client } = useConnection();
  const open = state.open;
  const height = sync?.height ?? 0;
  // New verified blocks (or another network) may change balances and verdicts.
  useEffect(() => {
    if (open?.name && client && height > 0) void wallet.refresh();
  }, [open?.name, client, height, wallet]);

  if (state.storeError)
    return <ErrorBox error={state.storeError} title="This browser cannot keep a wallet." />;
  if (view === 'create') return <CreateWallet />;
  if (view === 'restore') return <RestoreWallet />;
  if (!open) return state.names.length === 0 ? <Welcome /> : <UnlockWallet />;
  return (
    <section>
      <div class="title-row">
        <h1>{open.name}</h1>
        <button type="button" class="secondary" onClick={() => wallet.lock()}>
          Lock
        </button>
      </div>
      <nav aria-label="Wallet" class="tabs">
        {TABS.map((t) => (
          <a
            key={t.view}
            href={routeHref({ page: 'wallet', view: t.view })}
            aria-current={view === t.view ? 'page' : undefined}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {!client ? (
        <p class="notice">
          Not connected to a network: <a href="#/network">connect</a> to see balances and send.
        </p>
      ) : null}
      <WalletTab view={view} />
    </section>
  );
}

function WalletTab({ view }: { view: WalletView }) {
  switch (view) {
    case 'send':
      return <SendForm />;
    case 'receive':
      return <ReceivePanel />;
    case 'history':
      return <HistoryList />;
    case 'enroll':
      return <EnrollForm />;
    case 'security':
      return <SecurityPanel />;
    default:
      return <Overview />;
  }
}
