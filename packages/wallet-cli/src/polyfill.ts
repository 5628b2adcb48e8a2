import { WebSocket as NodeWebSocket } from 'ws';
import '@weft/light';

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

/**
 * @libp2p/websockets dials with the global WebSocket, which Node 20 has only
 * behind --experimental-websocket (the light library imports no Node
 * modules, so the app supplies it). Leaves a native one alone (Node 22+).
 * Importing @weft/light first installs its Promise.withResolvers polyfill.
 */
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  Object.defineProperty(globalThis, 'WebSocket', {
    configurable: true,
    writable: true,
    value: QuietWebSocket,
  });
}
