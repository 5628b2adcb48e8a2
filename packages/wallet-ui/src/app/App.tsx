import { useEffect, useRef } from 'preact/hooks';
import { AuditPage } from '../auditor/AuditPage.js';
import { BlockPage } from '../explorer/BlockPage.js';
import { ExplorerPage } from '../explorer/ExplorerPage.js';
import { SearchPage } from '../explorer/SearchPage.js';
import { TxPage } from '../explorer/TxPage.js';
import { NetworkPage } from '../network/NetworkPage.js';
import { WalletPage } from '../wallet/WalletPage.js';
import { Header } from './Header.js';
import { type Route, routeHref, useRoute } from './route.js';
import { type Services, ServicesContext } from './services.js';

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'wallet':
      return <WalletPage view={route.view} />;
    case 'explorer':
      return <ExplorerPage top={route.top} />;
    case 'block':
      return <BlockPage number={route.number} />;
    case 'tx':
      return <TxPage txid={route.txid} />;
    case 'search':
      return <SearchPage query={route.query} />;
    case 'audit':
      return <AuditPage />;
    case 'network':
      return <NetworkPage />;
    case 'notfound':
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            There is no page at <code>{route.path}</code>. <a href="#/wallet">Go to the wallet</a>.
          </p>
        </section>
      );
  }
}

/** The shell: header with navigation and connection status, then the routed page. */
export function App({ services }: { services: Services }) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const key = routeHref(route);
  useEffect(() => {
    // Keyboard and screen-reader users land on the new page's content, as after a page load.
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [key]);
  return (
    <ServicesContext.Provider value={services}>
      <button type="button" class="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <Header route={route} />
      <main ref={main} tabIndex={-1}>
        <PageFor route={route} />
      </main>
    </ServicesContext.Provider>
  );
}
