import {
  type Block,
  type BlockHeader,
  type BlockSignature,
  blockHash,
  type ChainTip,
  type Channel,
  type Ed25519Backend,
  equalBytes,
  type PolicySigner,
  type Signer,
  satisfies,
  signHeader,
  toHex,
  verifyOrdererSignature,
} from '@weft/core';
import { nextHeader } from '../assemble.js';
import type { OrdererStore } from '../orderer-store.js';
import type { LogBatch } from './log-batcher.js';
import { encodeCursor, type SignatureNote } from './log-records.js';

/** Blocks cut but not stored before the reader pauses (when the head waits only for the disk). */
const MAX_QUEUED_BLOCKS = 16;

interface Sealing {
  batch: LogBatch;
  header: BlockHeader;
  hash: Uint8Array;
  signatures: BlockSignature[];
  signers: PolicySigner[];
  sealed: boolean;
}

export interface BlockSealerOptions {
  channel: Channel;
  store: OrdererStore;
  signer: Signer;
  certNotAfter: number;
  backend?: Ed25519Backend;
  /** Publishes this orderer's signature for the others; retries until it is in the log or closed. */
  publishNote(note: SignatureNote): Promise<void>;
  /** A block and its batch are durably stored. */
  onStored(block: Block, batch: LogBatch): void;
  /** Building, signing or storing a block failed: the orderer must stop. */
  onFailure(err: unknown): void;
}

/**
 * The write side of a jetstream orderer: turns cut batches, in order,
 * into signed blocks and stores each one (with the log cursor, atomically)
 * once its signatures satisfy the channel's block-signature policy. When
 * this orderer's signature alone does, blocks go to the store right away;
 * otherwise it publishes its signature in the log and collects the other
 * orderers' from it, so every stored block verifies by itself.
 */
export class BlockSealer {
  readonly #o: BlockSealerOptions;
  readonly #self: PolicySigner;
  /** Whether the policy needs other orderers' signatures besides ours. */
  readonly needsOthers: boolean;
  readonly #queue: Sealing[] = [];
  readonly #byNumber = new Map<number, Sealing>();
  #head: ChainTip;
  #pumping = false;
  #stopped = false;
  /** Woken whenever a block is stored or the sealer stops. */
  #waiting: (() => void)[] = [];

  constructor(options: BlockSealerOptions) {
    this.#o = options;
    const id = toHex(options.signer.publicKey);
    const listed = options.channel.orderers.get(id);
    this.#self = { org: listed?.cert.org ?? '', role: 'orderer', id };
    this.needsOthers = !satisfies(options.channel.policies.blockSignatures, [this.#self]);
    this.#head = options.store.tip;
  }

  /** Blocks cut and not yet stored. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves when the reader may read on: few blocks queued, or the oldest waits for signatures in the log. */
  async room(): Promise<void> {
    for (;;) {
      const head = this.#queue[0];
      if (this.#stopped || this.#queue.length < MAX_QUEUED_BLOCKS) return;
      if (this.needsOthers && head && !head.sealed) return;
      await this.#nextProgress();
    }
  }

  /** A batch the log cut, in order: builds its header now (the next one links to it) and signs it. */
  push(batch: LogBatch): void {
    if (this.#stopped) return;
    let header: BlockHeader;
    try {
      header = nextHeader({
        channel: this.#o.channel.config.channel,
        batch,
        tip: this.#head,
        now: batch.time,
        certNotAfter: this.#o.certNotAfter,
      });
    } catch (err) {
      this.#fail(err);
      return;
    }
    const hash = blockHash(header);
    this.#head = { number: header.number, hash, timestamp: header.timestamp };
    const entry: Sealing = { batch, header, hash, signatures: [], signers: [], sealed: false };
    this.#queue.push(entry);
    this.#byNumber.set(header.number, entry);
    void this.#signOwn(entry);
  }

  async #signOwn(entry: Sealing): Promise<void> {
    try {
      const signature = await signHeader(entry.header, this.#o.signer);
      this.#add(entry, signature, this.#self);
      if (this.needsOthers) {
        await this.#o.publishNote({ block: entry.header.number, hash: entry.hash, ...signature });
      }
    } catch (err) {
      this.#fail(err);
    }
  }

  /**
   * Another orderer's signature read from the log. Counted only if it is
   * over the hash this orderer computed for that block, by a listed
   * orderer whose certificate holds at the block's time (as verifyBlock
   * will check); anything else is ignored.
   */
  async note(note: SignatureNote): Promise<void> {
    const entry = this.#byNumber.get(note.block);
    if (!entry || entry.sealed || !equalBytes(note.hash, entry.hash)) return;
    const known = (id: string) => entry.signers.some((s) => s.id === id);
    if (known(toHex(note.signer))) return;
    const signature = { signer: note.signer, signature: note.signature };
    const who = await verifyOrdererSignature({
      channel: this.#o.channel,
      hash: entry.hash,
      timestamp: entry.header.timestamp,
      signature,
      backend: this.#o.backend,
    });
    if (who && !known(who.id)) this.#add(entry, signature, who);
  }

  #add(entry: Sealing, signature: BlockSignature, who: PolicySigner): void {
    if (entry.sealed) return;
    entry.signatures.push(signature);
    entry.signers.push(who);
    if (!satisfies(this.#o.channel.policies.blockSignatures, entry.signers)) return;
    entry.sealed = true;
    void this.#pump();
  }

  /** Stores sealed blocks from the head of the queue, one at a time, in order. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let head = this.#queue[0]; head?.sealed && !this.#stopped; head = this.#queue[0]) {
        const block: Block = {
          header: head.header,
          data: head.batch.envelopes,
          signatures: head.signatures,
        };
        const cursor = encodeCursor({ block: head.header.number, next: head.batch.next });
        await this.#o.store.append(block, { cursor });
        this.#queue.shift();
        this.#byNumber.delete(head.header.number);
        this.#o.onStored(block, head.batch);
        this.#wake();
      }
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#pumping = false;
      this.#wake();
    }
  }

  /** Resolves once no block is being written, so the store may be closed. */
  async idle(): Promise<void> {
    while (this.#pumping) await this.#nextProgress();
  }

  /** Stops storing; blocks not yet stored are dropped (the log still has them). */
  stop(): void {
    this.#stopped = true;
    this.#wake();
  }

  #fail(err: unknown): void {
    if (this.#stopped) return;
    this.stop();
    this.#o.onFailure(err);
  }

  #nextProgress(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #wake(): void {
    for (const wake of this.#waiting.splice(0)) wake();
  }
}
