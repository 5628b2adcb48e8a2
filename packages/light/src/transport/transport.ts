import type {
  Attestation,
  LightBlock,
  LightCoinPage,
  LightHeader,
  LightInfo,
  LightTx,
  SignedProposal,
  TxStatus,
  WeftError,
} from '@weft/core';

/**
 * What a light client asks full nodes (`/weft/light/1.0.0` and
 * `/weft/gateway/1.0.0`), decoded but NOT verified. Every answer names the
 * node that gave it, so a verifier that catches a lie can say who lied and
 * tell the transport to prefer someone else (`blame`). The verification
 * code depends only on this interface, so it runs against libp2p, a
 * recording or a hostile fake alike.
 *
 * Failures reject with TransportError. A node that does not have an item
 * answers LIGHT_NOT_FOUND (remote); a transport with several nodes asks the
 * others first, since one node may merely be behind or withholding.
 */
export interface LightTransport {
  readonly channel: string;
  /** The node ids (PeerIds) this transport may ask, in current preference order. */
  nodes(): readonly string[];
  info(options?: CallOptions): Promise<Answer<LightInfo>>;
  /** Headers `from..from+count-1`, stopping early at the node's head. */
  headers(from: number, count: number, options?: CallOptions): AsyncIterable<Answer<LightHeader>>;
  block(number: number, options?: CallOptions): Promise<Answer<LightBlock>>;
  tx(txid: Uint8Array, options?: CallOptions): Promise<Answer<LightTx>>;
  /**
   * Block `number`'s attestations as one node holds them. Nodes gather them
   * by gossip and may each lack some, so a verifier that is not satisfied
   * asks again with `skip` naming the nodes already asked.
   */
  attestations(number: number, options?: GatherOptions): Promise<Answer<Attestation[]>>;
  /** A page of `owner`'s unspent coins after coin key `after`, each with its creating tx. */
  coins(
    owner: Uint8Array,
    limit: number,
    after?: string,
    options?: CallOptions,
  ): Promise<Answer<LightCoinPage>>;
  /** Gateway: endorse, order and (with `wait`) wait for the commit; the status is the gateway's claim. */
  submit(
    signedProposal: SignedProposal,
    wait: boolean,
    options?: CallOptions,
  ): Promise<Answer<TxStatus>>;
  /** Gateway: a transaction's status as the gateway's ledger has it (a claim). */
  status(txid: Uint8Array, wait: boolean, options?: CallOptions): Promise<Answer<TxStatus>>;
  /**
   * `node` served something that failed verification: ask others first from
   * now on. A transport never drops its last nodes entirely (verification
   * still guards every answer), so a false alarm cannot lock a client out.
   */
  blame(node: string, reason: WeftError): void;
  close(): Promise<void>;
}

/** An answer and the node (PeerId string, or a test's name) that gave it. */
export interface Answer<T> {
  readonly node: string;
  readonly value: T;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A call whose answers a caller gathers from several nodes. */
export interface GatherOptions extends CallOptions {
  /** Nodes not to ask this time (those already asked); when none is left, LIGHT_NO_NODES. */
  skip?: ReadonlySet<string>;
}
