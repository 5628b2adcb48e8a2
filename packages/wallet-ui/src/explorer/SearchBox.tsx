import { useState } from 'preact/hooks';
import { navigate } from '../app/route.js';

export function SearchBox() {
  const [query, setQuery] = useState('');
  return (
    <search>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) navigate({ page: 'search', query: query.trim() });
        }}
      >
        <label for="search-input" class="visually-hidden">
          Block number, block hash or transaction id
        </label>
        <input
          id="search-input"
          type="search"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          placeholder="Block number, block hash or txid"
          spellcheck={false}
          autocomplete="off"
        />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}
