import {
  type Block,
  blockHash,
  type ChainTip,
  type Channel,
  chainTipOf,
  type Ed25519Backend,
  equalBytes,
  type LightHeader,
  MAX_LIGHT_HEADERS,
} from '@weft/core';
import { StoreError, VerificationError } from '../errors.js';
import type { Answer, LightTransport } from '../transport/transport.js';
import { loadStoredChain, openTrustedGenesis, verifyNextHeader } from './checks.js';
import type { HeaderVerifier } from './header-pool.js';
import {
  type HeaderStore,
  type LevelDatabase,
  levelHeaderStore,
  type StoredHeader,
} from './store.js';

export interface HeaderChainOptions {
  transport: LightTransport;
  /**
   * Where verified headers live; a reload with the same database resumes.
   * Either an abstract-level database (memory-level, browser-level,
   * classic-level) or any HeaderStore (e.g. openIndexedDbHeaderStore).
   */
  db?: LevelDatabase;
  store?: HeaderStore;
  /** The trust anchor, given out of band. */
  genesisHash: Uint8Array;
  backend?: Ed25519Backend;
  /**
   * What runs core's verifyHeader on each header (default: core's own, on
   * this thread). headerWorkerPool puts it on workers, so a page keeps its
   * thread for decoding and storing while every core verifies.
   */
  verifyHeader?: HeaderVerifier;
  /** Headers per request, 1..MAX_LIGHT_HEADERS (default 500). */
  batchSize?: number;
}

export type SyncProgress =
  | { phase: 'genesis'; node: string }
  | { phase: 'headers'; node: string; tip: number; target: number }
  /** A node served something false; the chain moves on to another node (if it has one). */
  | { phase: 'blamed'; node: string; error: VerificationError }
  | { phase: 'done'; tip: number };

export interface SyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
}

/** Verified headers are written in batches of at most this many. */
const WRITE_BATCH = 200;
/** Header verifications in flight at once, unless the verifier asks for more. */
const VERIFY_WINDOW = 256;

/**
 * A channel's verified header chain. Trust comes from the genesis hash
 * alone: block 0 must hash to it and its config (orderers, policies) then
 * judges every header in turn with core's verifyHeader: the link to the
 * previous header and orderer signatures satisfying the block-signature
 * policy. Only verified headers are stored; a header that fails leaves the
 * store as it was before it (VerificationError naming the node), and the
 * chain then tries the next node the transport has.
 */
export class HeaderChain {
  readonly transport: LightTransport;
  readonly genesisHash: Uint8Array;
  readonly #store: HeaderStore;
  readonly #backend: Ed25519Backend | undefined;
  readonly #verifyHeader: HeaderVerifier | undefined;
  readonly #batch: number;
  #channel: Channel | undefined;
  #tip: ChainTip | undefined;
  #syncing: Promise<ChainTip> | undefined;

  private constructor(o: HeaderChainOptions) {
    this.transport = o.transport;
    this.genesisHash = o.genesisHash;
    if ((o.db === undefined) === (o.store === undefined))
      throw new TypeError('a HeaderChain needs exactly one of `db` and `store`');
    this.#store = o.store ?? levelHeaderStore(o.db!, o.genesisHash);
    this.#backend = o.backend;
    this.#verifyHeader = o.verifyHeader;
    this.#batch = o.batchSize ?? 500;
    if (!Number.isInteger(this.#batch) || this.#batch < 1 || this.#batch > MAX_LIGHT_HEADERS)
      throw new RangeError(`batchSize must be 1..${MAX_LIGHT_HEADERS}`);
  }

  /**
   * Opens the chain stored for this genesis hash, if any. Stored headers are
   * not verified again, but the stored state must hang together: a genesis
   * that opens under the trusted hash, and a tip that is the hash of its
   * header and links to the header before it (else LIGHT_STORE_CORRUPT).
   */
  static async open(options: HeaderChainOptions): Promise<HeaderChain> {
    const chain = new HeaderChain(options);
    await chain.#load();
    return chain;
  }

  /** The channel as the genesis config defines it (undefined before the first sync). */
  get channel(): Channel | undefined {
    return this.#channel;
  }

  get tip(): ChainTip | undefined {
    return this.#tip;
  }

  /** Verified blocks: tip + 1, or 0 before the genesis is fetched. */
  get height(): number {
    return this.#tip ? this.#tip.number + 1 : 0;
  }

  /** A verified header, or undefined above the tip. */
  async header(n: number): Promise<StoredHeader | undefined> {
    if (!this.#tip || n > this.#tip.number || n < 0) return undefined;
    const h = await this.#store.header(n);
    if (!h) throw new StoreError('LIGHT_STORE_CORRUPT', `header ${n} is missing below the tip`);
    return { ...h, hash: blockHash(h.header) };
  }

  /**
   * Fetches and verifies headers up to the head a node reports; resolves to
   * the new tip. One sync at a time: a call during a sync joins it (and its
   * options are not used).
   */
  sync(options: SyncOptions = {}): Promise<ChainTip> {
    this.#syncing ??= this.#sync(options).finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  /** Forgets every stored header of this chain. */
  async reset(): Promise<void> {
    await this.#store.clear();
    this.#channel = undefined;
    this.#tip = undefined;
  }

  async #load(): Promise<void> {
    const stored = await loadStoredChain(this.#store, (genesis) =>
      this.#openGenesis(genesis, 'store'),
    );
    this.#channel = stored?.channel;
    this.#tip = stored?.tip;
  }

  #openGenesis(block: Block, node: string): Promise<Channel> {
    return openTrustedGenesis({
      block,
      node,
      genesisHash: this.genesisHash,
      channel: this.transport.channel,
      backend: this.#backend,
    });
  }

  async #sync(o: SyncOptions): Promise<ChainTip> {
    // Each node gets one chance per sync; a liar is blamed and the next one asked.
    let chances = Math.max(1, this.transport.nodes().length);
    for (;;) {
      try {
        if (!this.#channel) await this.#syncGenesis(o);
        const tip = await this.#syncHeaders(o);
        o.onProgress?.({ phase: 'done', tip: tip.number });
        return tip;
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        this.transport.blame(err.node, err);
        if (--chances <= 0) throw err;
        o.onProgress?.({ phase: 'blamed', node: err.node, error: err });
      }
    }
  }

  async #syncGenesis(o: SyncOptions): Promise<void> {
    const { node, value } = await this.transport.block(0, { signal: o.signal });
    o.onProgress?.({ phase: 'genesis', node });
    const channel = await this.#openGenesis(value.block, node);
    const tip = chainTipOf(value.block);
    await this.#store.putGenesis(value.block, tip);
    this.#channel = channel;
    this.#tip = tip;
  }

  async #syncHeaders(o: SyncOptions): Promise<ChainTip> {
    const { node, value: info } = await this.transport.info({ signal: o.signal });
    if (!equalBytes(info.genesisHash, this.genesisHash) || info.channel !== this.transport.channel)
      throw new VerificationError('LIGHT_WRONG_CHAIN', node, 'serves another chain');
    const target = info.height - 1;
    const tip = this.#tip!;
    if (tip.number >= target) return tip;
    const report = (n: number) => o.onProgress?.({ phase: 'headers', node, tip: n, target });
    report(tip.number);
    await this.#fetch(this.#ranges(tip.number + 1, target, o), report);
    return this.#tip!;
  }

  /**
   * Headers from..target, one request of up to batchSize after another.
   * The next is asked for as soon as the last has arrived, not once it is
   * verified, so a request's round trip hides behind the verification of
   * the range before. A request that brings nothing ends the sync.
   */
  async *#ranges(from: number, target: number, o: SyncOptions): AsyncIterable<Answer<LightHeader>> {
    for (let next = from; next <= target; ) {
      let got = 0;
      const count = Math.min(this.#batch, target - next + 1);
      for await (const answer of this.transport.headers(next, count, o)) {
        got++;
        yield answer;
      }
      if (got === 0) return;
      next += got;
    }
  }

  /**
   * Verifies and stores headers as they arrive. Each header is linked to
   * the one before as it arrives (hashed once) and its signatures are
   * checked with up to VERIFY_WINDOW (or the verifier's window) others in
   * flight, since one verification at a time leaves the crypto threads (or
   * workers) idle while a promise round-trips; verdicts are taken in order,
   * so the first bad header stops the sync and only those before it are
   * kept.
   */
  async #fetch(
    headers: AsyncIterable<Answer<LightHeader>>,
    report: (tip: number) => void,
  ): Promise<void> {
    let pending: LightHeader[] = [];
    let tip = this.#tip!;
    const flush = async () => {
      if (pending.length === 0) return;
      await this.#store.append(pending, tip);
      this.#tip = tip;
      pending = [];
      report(tip.number);
    };
    const inFlight: { h: LightHeader; tip: ChainTip; verdict: Promise<void> }[] = [];
    const most = Math.max(1, this.#verifyHeader?.window ?? VERIFY_WINDOW);
    let linked = tip;
    let rejected = false;
    const settleOldest = async () => {
      const next = inFlight.shift()!;
      try {
        await next.verdict;
      } catch (err) {
        rejected = true;
        throw err;
      }
      tip = next.tip;
      pending.push(next.h);
      if (pending.length >= WRITE_BATCH) await flush();
    };
    try {
      for await (const { node, value } of headers) {
        const hash = blockHash(value.header);
        const verdict = verifyNextHeader({
          h: value,
          previous: linked,
          channel: this.#channel!,
          node,
          backend: this.#backend,
          hash,
          verifyHeader: this.#verifyHeader,
        });
        // Taken in order by settleOldest; until then a rejection is not unhandled.
        verdict.catch(() => {});
        linked = { number: value.header.number, hash, timestamp: value.header.timestamp };
        inFlight.push({ h: value, tip: linked, verdict });
        if (inFlight.length >= most) await settleOldest();
      }
      while (inFlight.length > 0) await settleOldest();
    } finally {
      // Headers verified before a failure (of the node or the transport) are as good as any: keep them.
      if (!rejected) {
        try {
          while (inFlight.length > 0) await settleOldest();
        } catch {
          // The failure that got us here is the one to report.
        }
      }
      await flush();
    }
  }
}
