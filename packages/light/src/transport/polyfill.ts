import { installPromiseWithResolvers } from '@weft/core';

/**
 * libp2p 3 calls Promise.withResolvers (ES2024), which Node 20 lacks; every
 * browser the light client targets has it. Loaded before a libp2p host is
 * created; leaves a native implementation alone. (Node 20 apps must also
 * give @libp2p/websockets a global WebSocket, e.g. from the `ws` package,
 * or pass TCP as an extra transport: this package imports no Node modules.)
 * The install is core's; calling it here is the side effect package.json's
 * "sideEffects" keeps.
 */
installPromiseWithResolvers();
