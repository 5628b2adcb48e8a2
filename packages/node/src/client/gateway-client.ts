import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  type CoinPageMessage,
  decodeCoinPage,
  decodeTxStatus,
  encodeGatewayRequest,
  type GatewayRequest,
  MAX_GATEWAY_COIN_PAGE,
  MAX_SMALL_MESSAGE,
  PROTOCOLS,
  type SignedProposal,
  type TxStatus,
} from '@weft/core';
import { createLibp2p } from 'libp2p';
import '../net/polyfill.js';
import { callProtocol } from '../net/index.js';

export interface GatewayClientOptions {
  /** Gateway WebSocket multiaddrs (with /p2p ids), tried in order. */
  gateways: readonly string[];
  channel: string;
  /** Per call; a waiting submit includes the time to commit. Default 60 s. */
  timeoutMs?: number;
}

/**
 * A client of `/weft/gateway/1.0.0` for scripts, the CLI and tests: a
 * libp2p host that only dials (WebSockets, as a light client does; clients
 * are not mesh members) and trusts the gateway's answers. The light client
 * (packages/light) is the one that verifies them.
 */
export class GatewayClient {
  readonly #host: Libp2p;
  readonly #targets: Multiaddr[];
  readonly #o: GatewayClientOptions;

  private constructor(host: Libp2p, options: GatewayClientOptions) {
    this.#host = host;
    this.#o = options;
    this.#targets = options.gateways.map((a) => multiaddr(a));
  }

  static async connect(options: GatewayClientOptions): Promise<GatewayClient> {
    const host = await createLibp2p({
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // A dev network runs on loopback; nothing here dials beyond the given gateways.
      connectionGater: { denyDialMultiaddr: () => false },
    });
    return new GatewayClient(host, options);
  }

  get channel(): string {
    return this.#o.channel;
  }

  submit(signedProposal: SignedProposal, wait = true): Promise<TxStatus> {
    return this.#status({ type: 'submit', channel: this.#o.channel, signedProposal, wait });
  }

  status(txid: Uint8Array, wait = false): Promise<TxStatus> {
    return this.#status({ type: 'status', channel: this.#o.channel, txid, wait });
  }

  /** Every unspent coin of `owner`, as the gateway's ledger has them. */
  async coins(owner: Uint8Array): Promise<CoinPageMessage['coins']> {
    const out: CoinPageMessage['coins'] = [];
    let after: string | undefined;
    for (;;) {
      const page = decodeCoinPage(
        await this.#call(
          { type: 'coins', channel: this.#o.channel, owner, after, limit: MAX_GATEWAY_COIN_PAGE },
          MAX_GATEWAY_COIN_PAGE * 256,
        ),
      );
      out.push(...page.coins);
      if (!page.next) return out;
      after = page.next;
    }
  }

  async close(): Promise<void> {
    await this.#host.stop();
  }

  async #status(request: GatewayRequest): Promise<TxStatus> {
    return decodeTxStatus(await this.#call(request, MAX_SMALL_MESSAGE));
  }

  async #call(request: GatewayRequest, maxResponseBytes: number): Promise<Uint8Array> {
    const bytes = encodeGatewayRequest(request);
    let last: unknown;
    for (const target of this.#targets) {
      try {
        return await callProtocol(this.#host, target, PROTOCOLS.gateway, bytes, {
          maxResponseBytes,
          timeoutMs: this.#o.timeoutMs ?? 60_000,
        });
      } catch (err) {
        last = err;
        // A refusal on the merits (a code from the gateway) would be the same elsewhere.
        if ((err as { remote?: boolean }).remote) throw err;
      }
    }
    throw last;
  }
}
