import { WebSocket as NodeWebSocket } from 'ws';
import '@weft/light';

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
    value: NodeWebSocket,
  });
}
