// A LightTransport over in-memory full nodes, honest by default, each with
// hooks that rewrite its answers (the hostile node of the unit tests). Every
// answer is encoded and decoded with core's wire codecs, as it would be on a
// stream, and calls go through the real NodeSet/failover code, so blame and
// failover behave as with Libp2pTransport.
import {
  type Attestation,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightCoinPage,
  decodeLightHeader,
  decodeLightInfo,
  decodeLightTx,
  encodeLightAttestations,
  encodeLightBlock,
  encodeLightCoinPage,
  encodeLightHeader,
  encodeLightInfo,
  encodeLightTx,
  type LightBlock,
  type LightCoinPage,
  type LightHeader,
  type LightInfo,
  type LightTx,
  type SignedProposal,
  type TxStatus,
  toHex,
  type WeftError,
} from '@weft/core';
import { TransportError } from '../../src/errors.js';
import { failover, failoverStream } from '../../src/transport/failover.js';
import { NodeSet } from '../../src/transport/node-set.js';
import type {
  Answer,
  CallOptions,
  GatherOptions,
  LightTransport,
} from '../../src/transport/transport.js';
import type { DevLedger } from './dev-ledger.js';

/** Rewrites of one node's answers; each gets the honest answer. */
export interface Tamper {
  info?(i: LightInfo): LightInfo;
  header?(h: LightHeader): LightHeader;
  block?(b: LightBlock): LightBlock;
  tx?(t: LightTx | undefined, txid: Uint8Array): LightTx | undefined;
  attestations?(list: Attestation[], n: number): Attestation[];
  coins?(page: LightCoinPage): LightCoinPage;
}

const notFound = (what: string) =>
  new TransportError('LIGHT_NOT_FOUND', `no ${what}`, { remote: true });

export class FakeNode {
  constructor(
    readonly id: string,
    readonly ledger: DevLedger,
    readonly tamper: Tamper = {},
  ) {}

  info(): Uint8Array {
    const l = this.ledger;
    const honest = {
      channel: l.net.config.channel,
      height: l.height,
      genesisHash: l.net.genesisHash,
    };
    return encodeLightInfo(this.tamper.info?.(honest) ?? honest);
  }

  headers(from: number, count: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let n = from; n < Math.min(from + count, this.ledger.height); n++) {
      const h = this.ledger.header(n);
      out.push(encodeLightHeader(this.tamper.header?.(h) ?? h));
    }
    return out;
  }

  block(n: number): Uint8Array {
    const b = this.ledger.block(n);
    if (!b) throw notFound(`block ${n}`);
    return encodeLightBlock(this.tamper.block?.(b) ?? b);
  }

  tx(txid: Uint8Array): Uint8Array {
    const honest = this.ledger.lightTx(txid);
    const t = this.tamper.tx ? this.tamper.tx(honest, txid) : honest;
    if (!t) throw notFound(`transaction ${toHex(txid)}`);
    return encodeLightTx(t);
  }

  attestations(n: number): Uint8Array {
    if (n >= this.ledger.height) throw notFound(`block ${n}`);
    const list = this.ledger.attestations.get(n) ?? [];
    return encodeLightAttestations(this.tamper.attestations?.(list, n) ?? list);
  }

  coins(owner: Uint8Array, limit: number, after?: string): Uint8Array {
    const all = this.ledger.coinsOf(owner).filter((c) => after === undefined || c.key > after);
    const page: LightCoinPage = { coins: all.slice(0, limit) };
    if (all.length > limit) page.next = page.coins[page.coins.length - 1]!.key;
    return encodeLightCoinPage(this.tamper.coins?.(page) ?? page);
  }
}

export class FakeTransport implements LightTransport {
  readonly channel: string;
  readonly #nodes: NodeSet<FakeNode>;
  /** `type from` of every headers request, to see what a resumed chain asks. */
  readonly headerRequests: string[] = [];
  readonly blamed: { node: string; code: string }[] = [];
  /** `type node` of every single-answer request a node answered or failed. */
  readonly asked: string[] = [];

  constructor(channel: string, nodes: readonly FakeNode[]) {
    this.channel = channel;
    this.#nodes = new NodeSet(nodes.map((n) => ({ id: n.id, target: n })));
  }

  nodes(): readonly string[] {
    return this.#nodes.ids();
  }

  blame(node: string, reason: WeftError): void {
    this.blamed.push({ node, code: reason.code });
    this.#nodes.blame(node);
  }

  async close(): Promise<void> {}

  info(o?: CallOptions): Promise<Answer<LightInfo>> {
    return this.#ask('info', (n) => decodeLightInfo(n.info()), o);
  }

  block(number: number, o?: CallOptions): Promise<Answer<LightBlock>> {
    return this.#ask('block', (n) => decodeLightBlock(n.block(number)), o);
  }

  tx(txid: Uint8Array, o?: CallOptions): Promise<Answer<LightTx>> {
    return this.#ask('tx', (n) => decodeLightTx(n.tx(txid)), o);
  }

  attestations(number: number, o?: GatherOptions): Promise<Answer<Attestation[]>> {
    return this.#ask('attestations', (n) => decodeLightAttestations(n.attestations(number)), o);
  }

  coins(owner: Uint8Array, limit: number, after?: string, o?: CallOptions) {
    return this.#ask('coins', (n) => decodeLightCoinPage(n.coins(owner, limit, after)), o);
  }

  headers(from: number, count: number, o?: CallOptions): AsyncGenerator<Answer<LightHeader>> {
    this.headerRequests.push(`headers ${from}`);
    return failoverStream({
      nodes: this.#nodes,
      what: 'headers',
      signal: o?.signal,
      open: async function* ({ target }, yielded) {
        for (const f of target.headers(from + yielded, count - yielded)) yield decodeLightHeader(f);
      },
    });
  }

  submit(_p: SignedProposal, _wait: boolean): Promise<Answer<TxStatus>> {
    return Promise.reject(new TransportError('NODE_NOT_GATEWAY', 'no gateway here'));
  }

  status(_txid: Uint8Array, _wait: boolean): Promise<Answer<TxStatus>> {
    return Promise.reject(new TransportError('NODE_NOT_GATEWAY', 'no gateway here'));
  }

  #ask<T>(what: string, answer: (n: FakeNode) => T, o?: GatherOptions): Promise<Answer<T>> {
    return failover({
      nodes: this.#nodes,
      what,
      policy: 'read',
      signal: o?.signal,
      skip: o?.skip,
      attempt: async ({ target }) => {
        this.asked.push(`${what} ${target.id}`);
        return answer(target);
      },
    });
  }
}
