import { installPromiseWithResolvers } from '@weft/core';
import { WebSocket as NodeWebSocket } from 'ws';

/**
 * Node 20 gaps that libp2p 3 relies on, filled before libp2p loads (host.ts
 * imports this first). Both are idempotent and leave a native implementation
 * alone, so on Node 22 this module does nothing.
 */

// libp2p 3 calls Promise.withResolvers (ES2024); Node 20 lacks it and fails at start.
installPromiseWithResolvers();

/**
 * `ws` throws an 'error' event nobody listens to; a browser's WebSocket
 * drops it. @libp2p/websockets stops listening to a socket whose dial it
 * aborted (a timeout, a closed client), so that handshake's late error
 * would otherwise crash the process as an uncaught exception.
 */
class QuietWebSocket extends NodeWebSocket {
  constructor(...args: ConstructorParameters<typeof NodeWebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}

// @libp2p/websockets dials with the global WebSocket, which Node 20 has only
// behind --experimental-websocket; without it every ws:// dial throws
// "WebSocket is not defined". The `ws` client speaks the same event API.
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  Object.defineProperty(globalThis, 'WebSocket', {
    configurable: true,
    writable: true,
    value: QuietWebSocket,
  });
}
