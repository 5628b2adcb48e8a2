import { fromHex, toHex, webCryptoEd25519 } from '@weft/core';
import {
  type ClosableHeaderStore,
  HeaderChain,
  Libp2pTransport,
  openIndexedDbHeaderStore,
  ProofVerifier,
  type SyncProgress,
} from '@weft/light';
import { Observable } from '../state/observable.js';
import { describeError, type ShownError } from '../ui/errors.js';
import { VerifyWorkers } from '../workers/verify-workers.js';
import type { NetworkConfig } from './network-config.js';

export type ConnectionPhase = 'connecting' | 'syncing' | 'ready' | 'offline';

export interface NodeStatus {
  id: string;
  address: string;
  /** The browser holds an open connection to it. */
  connected: boolean;
  /** It served something that failed verification; asked only after the others. */
  blamed: boolean;
}

export interface ConnectionState {
  phase: ConnectionPhase;
  /** Verified blocks (tip + 1); 0 before the genesis is fetched. */
  height: number;
  tipHash?: string;
  tipTime?: number;
  /** The height a node announced during the current sync (not verified). */
  target?: number;
  nodes: NodeStatus[];
  error?: ShownError;
}

const SYNC_INTERVAL_MS = 2_000;

/**
 * One network's light client in the page: a Libp2pTransport over
 * WebSockets to the configured full nodes, the verified header chain kept
 * in IndexedDB (a reload resumes), and the ProofVerifier over it. A loop
 * keeps the chain synced and publishes what the UI shows in `state`.
 * Header signatures are verified on Web Workers (one per core but the
 * page's, up to four) while the page decodes and stores, and the auditor
 * checks transactions on the same workers; everything verifies with
 * WebCrypto's Ed25519 where the browser has it.
 */
export class LightClient {
  readonly config: NetworkConfig;
  readonly genesisHash: Uint8Array;
  readonly transport: Libp2pTransport;
  readonly chain: HeaderChain;
  readonly verifier: ProofVerifier;
  readonly state: Observable<ConnectionState>;
  /** Web Workers verifying for this client (headers, and the auditor's checks); 0: the page does. */
  readonly workers: VerifyWorkers;
  readonly #store: ClosableHeaderStore;
  readonly #blamed = new Set<string>();
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;
  readonly #unwatch: () => void;

  private constructor(o: {
    config: NetworkConfig;
    transport: Libp2pTransport;
    store: ClosableHeaderStore;
    chain: HeaderChain;
    verifier: ProofVerifier;
    workers: VerifyWorkers;
  }) {
    const { config, transport, chain } = o;
    this.config = config;
    this.genesisHash = chain.genesisHash;
    this.transport = transport;
    this.#store = o.store;
    this.chain = chain;
    this.verifier = o.verifier;
    this.workers = o.workers;
    this.state = new Observable<ConnectionState>({
      phase: 'connecting',
      height: chain.height,
      nodes: this.#nodes(),
    });
    this.#publishTip();
    // Nodes come and go between syncs (the transport redials those that drop).
    this.#unwatch = transport.onConnectionChange(() =>
      this.state.update((s) => ({ ...s, nodes: this.#nodes() })),
    );
  }

  static async open(config: NetworkConfig): Promise<LightClient> {
    const genesisHash = fromHex(config.genesisHash);
    // WebCrypto where the browser has it (undefined: core's portable default).
    const backend = await webCryptoEd25519();
    const store = await openIndexedDbHeaderStore({ genesisHash });
    let transport: Libp2pTransport | undefined;
    const workers = VerifyWorkers.start();
    try {
      transport = await Libp2pTransport.create({
        channel: config.channel,
        nodes: config.nodes,
        // Connected to every node it can reach, and back to one that restarts.
        keepConnected: true,
      });
      const chain = await HeaderChain.open({
        transport,
        genesisHash,
        store,
        backend,
        // Without workers the chain verifies on the page, in its own window.
        ...(workers.size > 0 ? { verifyHeader: workers.verifyHeader } : {}),
      });
      const verifier = new ProofVerifier({ chain, backend });
      return new LightClient({ config, transport, store, chain, verifier, workers });
    } catch (err) {
      workers.terminate();
      await transport?.close().catch(() => {});
      await store.close();
      throw err;
    }
  }

  /** Keeps the chain synced until close(). */
  start(): void {
    void this.#loop();
  }

  /** Syncs now (joins a sync under way) and resolves with the verified height. */
  async syncNow(): Promise<number> {
    await this.#sync();
    return this.chain.height;
  }

  /** Asks the loop to sync again soon (after the wallet submits, for instance). */
  poke(): void {
    this.#wake?.();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatch();
    this.poke();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.transport.close().catch(() => {});
    this.workers.terminate();
    await this.#store.close();
  }

  async #loop(): Promise<void> {
    while (!this.#closed) {
      await this.#sync().catch(() => {});
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, SYNC_INTERVAL_MS);
      });
    }
  }

  async #sync(): Promise<void> {
    if (this.#closed) return;
    const onProgress = (p: SyncProgress) => {
      if (p.phase === 'blamed') this.#blamed.add(p.node);
      if (p.phase === 'headers') {
        this.state.update((s) => ({ ...s, phase: 'syncing', target: p.target + 1 }));
      }
      this.#publishTip();
    };
    try {
      await this.chain.sync({ onProgress });
      this.state.update((s) => ({
        ...s,
        phase: 'ready',
        target: undefined,
        error: undefined,
      }));
    } catch (err) {
      this.state.update((s) => ({ ...s, phase: 'offline', error: describeError(err) }));
      throw err;
    } finally {
      this.#publishTip();
    }
  }

  #publishTip(): void {
    const tip = this.chain.tip;
    this.state.update((s) => ({
      ...s,
      height: this.chain.height,
      tipHash: tip ? toHex(tip.hash) : undefined,
      tipTime: tip?.timestamp,
      nodes: this.#nodes(),
    }));
  }

  #nodes(): NodeStatus[] {
    const connected = new Set(this.transport.connectedNodes());
    return this.config.nodes.map((address) => {
      const id = address.slice(address.lastIndexOf('/p2p/') + 5);
      return { id, address, connected: connected.has(id), blamed: this.#blamed.has(id) };
    });
  }
}
