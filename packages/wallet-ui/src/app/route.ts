import { useEffect, useState } from 'preact/hooks';
import { isHex64 } from '../ui/format.js';

export type WalletView =
  | 'home'
  | 'send'
  | 'receive'
  | 'history'
  | 'enroll'
  | 'security'
  | 'create'
  | 'restore';

/** Pages live in the URL's hash, so the server needs no routes and the query keeps the network. */
export type Route =
  | { page: 'wallet'; view: WalletView }
  /** `top`: the newest block of the page shown; absent, the page follows the chain's head. */
  | { page: 'explorer'; top?: number }
  | { page: 'block'; number: number }
  | { page: 'tx'; txid: string }
  | { page: 'search'; query: string }
  | { page: 'audit' }
  | { page: 'network' }
  | { page: 'notfound'; path: string };

const WALLET_VIEWS: readonly WalletView[] = [
  'home',
  'send',
  'receive',
  'history',
  'enroll',
  'security',
  'create',
  'restore',
];

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [head = '', arg = ''] = path.split('/');
  const decoded = decodeURIComponent(arg);
  switch (head) {
    case '':
      return { page: 'wallet', view: 'home' };
    case 'wallet': {
      const view = (arg || 'home') as WalletView;
      return WALLET_VIEWS.includes(view) ? { page: 'wallet', view } : notFound(path);
    }
    case 'explorer':
      if (arg === '') return { page: 'explorer' };
      return /^\d{1,15}$/.test(arg) ? { page: 'explorer', top: Number(arg) } : notFound(path);
    case 'block':
      return /^\d{1,15}$/.test(arg) ? { page: 'block', number: Number(arg) } : notFound(path);
    case 'tx':
      return isHex64(arg) ? { page: 'tx', txid: arg.toLowerCase() } : notFound(path);
    case 'search':
      return { page: 'search', query: decoded };
    case 'audit':
      return { page: 'audit' };
    case 'network':
      return { page: 'network' };
    default:
      return notFound(path);
  }
}

function notFound(path: string): Route {
  return { page: 'notfound', path };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'wallet':
      return route.view === 'home' ? '#/wallet' : `#/wallet/${route.view}`;
    case 'explorer':
      return route.top === undefined ? '#/explorer' : `#/explorer/${route.top}`;
    case 'block':
      return `#/block/${route.number}`;
    case 'tx':
      return `#/tx/${route.txid}`;
    case 'search':
      return `#/search/${encodeURIComponent(route.query)}`;
    case 'notfound':
      return `#/${route.path}`;
    default:
      return `#/${route.page}`;
  }
}

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
