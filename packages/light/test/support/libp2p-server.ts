// A full node's wire side, for Node-only tests of Libp2pTransport: a libp2p
// host listening on WebSockets that reads one length-prefixed request per
// stream and answers with whatever a test's handler writes, honest frames or
// hostile bytes (oversized, garbage, truncated, silent). No gater, no
// membership: just the stream protocol a real node speaks.
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p, Stream } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import type { Multiaddr } from '@multiformats/multiaddr';
import {
  dataFrame,
  decodeGatewayRequest,
  decodeLightRequest,
  END_FRAME,
  encodeFrameMessage,
  errorFrame,
  type GatewayRequest,
  LengthPrefixedDecoder,
  type LightRequest,
  PROTOCOLS,
} from '@weft/core';
import { createLibp2p } from 'libp2p';
import '../../src/transport/polyfill.js';

/** Writes raw bytes to the caller; `frames` encodes DATA frames then END. */
export interface Reply {
  raw(bytes: Uint8Array): void;
  frames(...payloads: Uint8Array[]): void;
  error(code: string, message: string): void;
  /** Closes the node's side (a clean end, or a cut-off one after `raw`). */
  end(): Promise<void>;
  /** Resets the stream. */
  reset(): void;
}

export type LightHandler = (request: LightRequest, reply: Reply) => Promise<void> | void;
export type GatewayHandler = (request: GatewayRequest, reply: Reply) => Promise<void> | void;

export class TestServer {
  private constructor(
    readonly host: Libp2p,
    readonly name: string,
  ) {}

  static async start(
    name: string,
    light: LightHandler,
    gateway?: GatewayHandler,
  ): Promise<TestServer> {
    const host = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
    });
    await host.handle(PROTOCOLS.light, (stream) => serve(stream, decodeLightRequest, light));
    if (gateway) {
      await host.handle(PROTOCOLS.gateway, (stream) =>
        serve(stream, decodeGatewayRequest, gateway),
      );
    }
    return new TestServer(host, name);
  }

  get addr(): Multiaddr {
    return this.host.getMultiaddrs()[0]!;
  }

  get id(): string {
    return this.host.peerId.toString();
  }

  async stop(): Promise<void> {
    await this.host.stop();
  }
}

async function serve<R>(
  stream: Stream,
  decode: (bytes: Uint8Array) => R,
  handler: (request: R, reply: Reply) => Promise<void> | void,
): Promise<void> {
  const decoder = new LengthPrefixedDecoder({ maxMessageBytes: 1 << 20 });
  let request: Uint8Array | undefined;
  for await (const chunk of stream) {
    const parts = chunk instanceof Uint8Array ? [chunk] : [...chunk];
    for (const part of parts) request ??= decoder.push(part)[0];
  }
  const reply: Reply = {
    raw: (bytes) => stream.send(bytes),
    frames: (...payloads) => {
      for (const p of payloads) stream.send(encodeFrameMessage(dataFrame(p)));
      stream.send(encodeFrameMessage(END_FRAME));
    },
    error: (code, message) => stream.send(encodeFrameMessage(errorFrame(code, message))),
    end: () => stream.close().catch(() => {}),
    reset: () => stream.abort(new Error('reset by the test server')),
  };
  try {
    await handler(decode(request!), reply);
    if (stream.status === 'open') await reply.end();
  } catch {
    stream.abort(new Error('test server handler failed'));
  }
}
