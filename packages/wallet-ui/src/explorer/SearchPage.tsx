import { useEffect } from 'preact/hooks';
import { routeHref } from '../app/route.js';
import { useConnection } from '../network/use-connection.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { useAsync } from '../ui/use-async.js';
import { SearchBox } from './SearchBox.js';
import { resolveSearch } from './tx-data.js';

export function SearchPage({ query }: { query: string }) {
  const { client } = useConnection();
  const result = useAsync(
    async (signal) => (client ? resolveSearch(client, query, signal) : undefined),
    [client, query],
  );
  const target = result.value;
  useEffect(() => {
    // The result replaces the search in the history, so Back returns to where the search began.
    if (target && target.page !== 'none') location.replace(routeHref(target));
  }, [target]);
  return (
    <section>
      <h1>Search</h1>
      <SearchBox />
      {!client ? <p>Connect to a network first.</p> : null}
      {result.loading ? <p aria-live="polite">Searching for “{query}”…</p> : null}
      <ErrorBox error={result.error} />
      {target?.page === 'none' ? <p role="status">{target.why}</p> : null}
    </section>
  );
}
