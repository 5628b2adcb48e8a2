import { ConnectionPill } from '../network/ConnectionPill.js';
import type { Route } from './route.js';

const LINKS = [
  { href: '#/wallet', label: 'Wallet', pages: ['wallet'] },
  { href: '#/explorer', label: 'Explorer', pages: ['explorer', 'block', 'tx', 'search'] },
  { href: '#/audit', label: 'Auditor', pages: ['audit'] },
  { href: '#/network', label: 'Network', pages: ['network'] },
] as const;

export function Header({ route }: { route: Route }) {
  return (
    <header class="top">
      <a class="brand" href="#/wallet">
        Weft
      </a>
      <nav aria-label="Main">
        <ul>
          {LINKS.map((l) => (
            <li key={l.href}>
              <a
                href={l.href}
                aria-current={
                  (l.pages as readonly string[]).includes(route.page) ? 'page' : undefined
                }
              >
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ConnectionPill />
    </header>
  );
}
