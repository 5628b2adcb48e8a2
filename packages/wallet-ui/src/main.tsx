import { setDefaultEd25519Backend, webCryptoEd25519 } from '@weft/core';
import { openIndexedDbVaultStore, requestPersistence } from '@weft/light';
import { render } from 'preact';
import { App } from './app/App.js';
import { AuditService } from './auditor/audit-service.js';
import { ConnectionManager, initialNetwork } from './network/connection.js';
import { WalletService } from './wallet/wallet-service.js';

// Browsers verify Ed25519 natively through WebCrypto, several times faster
// than the portable noble code core uses by default.
const native = await webCryptoEd25519();
if (native) setDefaultEd25519Backend(native);

const connection = new ConnectionManager();
const wallet = new WalletService({ connection, openStore: () => openIndexedDbVaultStore() });
const audit = new AuditService();

render(<App services={{ connection, wallet, audit }} />, document.getElementById('app')!);

// Activity keeps an unlocked wallet open; five idle minutes lock it.
for (const type of ['pointerdown', 'keydown'] as const) {
  window.addEventListener(type, () => wallet.touch(), { passive: true });
}

void wallet.init();
void requestPersistence();
const start = await initialNetwork(location, safeStorage(), async (url) => {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${res.status}`);
  return res.json();
});
if (start && 'config' in start) void connection.connect(start.config, start.source);
else if (start) location.hash = '#/network';

function safeStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}
