import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { multiaddr } from '@multiformats/multiaddr';
import { MAX_ENROLL_RESPONSE_BYTES } from '@weft/core';
import { type EnrollTransport, requestOne } from '@weft/light';
import { createLibp2p } from 'libp2p';

export interface ClosableEnrollTransport extends EnrollTransport {
  close(): Promise<void>;
}

/**
 * `/weft/enroll/1.0.0` to one CA node (a node of the org that runs its CA)
 * from a client-only libp2p host: it dials TCP or WebSockets and listens on
 * nothing. The answer is checked by @weft/light's enroll, not here.
 */
export async function openEnrollTransport(
  node: string,
  timeoutMs = 30_000,
): Promise<ClosableEnrollTransport> {
  const target = multiaddr(node);
  const host = await createLibp2p({
    addresses: { listen: [] },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The CA node is given explicitly (often on loopback); nothing else is dialled.
    connectionGater: { denyDialMultiaddr: () => false },
  });
  return {
    request: (protocol, bytes) =>
      requestOne(host, target, protocol, bytes, {
        maxDataBytes: MAX_ENROLL_RESPONSE_BYTES,
        timeoutMs,
      }),
    close: async () => {
      await host.stop();
    },
  };
}
