import {
  type Attestation,
  type Block,
  type ChainTip,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightHeader,
  type LightBlock,
  type LightHeader,
  type LightInfo,
  WeftError,
} from '@weft/core';
import { appendRecords, genesisRecords, type HeaderStore } from '../src/chain/store.js';
import { TransportError } from '../src/errors.js';
import type { Answer, LightTransport } from '../src/transport/transport.js';
import type { BenchChain } from './workload.js';

const NODE = 'bench-node';

/**
 * One honest full node with no network between it and the client: every
 * answer is decoded from the bytes the node would have sent (the client's
 * real work on receipt), and nothing else, so the benchmark measures
 * verification rather than I/O. Gateway calls are not served.
 */
export class BenchTransport implements LightTransport {
  readonly channel: string;

  constructor(readonly chain: BenchChain) {
    this.channel = chain.net.config.channel;
  }

  nodes(): readonly string[] {
    return [NODE];
  }

  async info(): Promise<Answer<LightInfo>> {
    const { net, headers } = this.chain;
    return answer({ channel: this.channel, height: headers.length, genesisHash: net.genesisHash });
  }

  async *headers(from: number, count: number): AsyncIterable<Answer<LightHeader>> {
    const end = Math.min(from + count, this.chain.headers.length);
    for (let n = from; n < end; n++) yield answer(decodeLightHeader(this.chain.headers[n]!));
  }

  async block(n: number): Promise<Answer<LightBlock>> {
    return answer(decodeLightBlock(this.#item(this.chain.blocks, n, 'block')));
  }

  async attestations(n: number): Promise<Answer<Attestation[]>> {
    return answer(decodeLightAttestations(this.#item(this.chain.attestations, n, 'attestations')));
  }

  tx(): Promise<never> {
    return unserved('tx');
  }

  coins(): Promise<never> {
    return unserved('coins');
  }

  submit(): Promise<never> {
    return unserved('submit');
  }

  status(): Promise<never> {
    return unserved('status');
  }

  blame(node: string, reason: WeftError): void {
    // An honest workload that fails verification is a bug in the bench or the client.
    throw new WeftError(
      'BENCH_NODE_BLAMED',
      `${node} was blamed: ${reason.code} ${reason.message}`,
      {
        cause: reason,
      },
    );
  }

  async close(): Promise<void> {}

  #item(list: readonly Uint8Array[], n: number, what: string): Uint8Array {
    const bytes = list[n];
    if (!bytes) throw new TransportError('LIGHT_NOT_FOUND', `no ${what} ${n}`, { remote: true });
    return bytes;
  }
}

const answer = <T>(value: T): Answer<T> => ({ node: NODE, value });

const unserved = (what: string): Promise<never> =>
  Promise.reject(new TransportError('LIGHT_UNSUPPORTED', `the bench node does not serve ${what}`));

/**
 * A HeaderStore in memory that encodes exactly what the persistent stores
 * write (genesisRecords, appendRecords), so the encoding cost is timed and
 * only the database I/O is left out.
 */
export class MemoryHeaderStore implements HeaderStore {
  readonly records = new Map<string, Uint8Array>();
  #genesis: Block | undefined;
  #tip: ChainTip | undefined;
  readonly #headers = new Map<number, LightHeader>();

  async genesis(): Promise<Block | undefined> {
    return this.#genesis;
  }

  async tip(): Promise<ChainTip | undefined> {
    return this.#tip;
  }

  async header(n: number): Promise<LightHeader | undefined> {
    return this.#headers.get(n);
  }

  async putGenesis(block: Block, tip: ChainTip): Promise<void> {
    for (const [key, value] of genesisRecords(block, tip)) this.records.set(key, value);
    this.#genesis = block;
    this.#headers.set(0, block);
    this.#tip = tip;
  }

  async append(headers: readonly LightHeader[], tip: ChainTip): Promise<void> {
    for (const [key, value] of appendRecords(headers, tip)) this.records.set(key, value);
    for (const h of headers) this.#headers.set(h.header.number, h);
    this.#tip = tip;
  }

  async clear(): Promise<void> {
    this.records.clear();
    this.#headers.clear();
    this.#genesis = undefined;
    this.#tip = undefined;
  }
}
