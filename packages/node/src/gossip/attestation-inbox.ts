import { type Attestation, toHex } from '@weft/core';
import type { ChannelLedger } from '../ledger/index.js';
import { ourBlockMatcher } from './our-block.js';

export interface AttestationInboxOptions {
  ledger: ChannelLedger;
  /** Attestations of blocks not yet committed here, at most (oldest first out). */
  maxHeld?: number;
}

/** What became of a gossiped attestation. */
export type InboxOutcome = 'stored' | 'held' | 'mismatch';

/**
 * Where gossiped attestations (signatures already verified) wait to be
 * stored: only about OUR block at that height, as the pull path checks
 * (ourBlockMatcher), because a light client asking this node blames
 * whatever does not match the header it verified. Attestations of blocks
 * we have not committed yet, common when other peers commit first, are
 * held until we do and then checked the same way.
 */
export class AttestationInbox {
  readonly #ledger: ChannelLedger;
  readonly #max: number;
  /** `${number}/${signer hex}` -> attestation, in arrival order. */
  readonly #held = new Map<string, Attestation>();

  constructor(options: AttestationInboxOptions) {
    this.#ledger = options.ledger;
    this.#max = options.maxHeld ?? 4096;
  }

  get heldCount(): number {
    return this.#held.size;
  }

  async take(a: Attestation): Promise<InboxOutcome> {
    if (a.number < this.#ledger.info().height) {
      if (!(await ourBlockMatcher(this.#ledger)(a))) return 'mismatch';
      await this.#ledger.addAttestation(a);
      return 'stored';
    }
    const key = `${a.number}/${toHex(a.signer.publicKey)}`;
    this.#held.delete(key);
    this.#held.set(key, a);
    if (this.#held.size > this.#max) this.#held.delete(this.#held.keys().next().value!);
    return 'held';
  }

  /**
   * After a commit: stores the held attestations of every block now
   * committed that match it, drops the others. Every committed height is
   * settled, not just the last, so one that arrived while its block was
   * being committed is settled by the next commit.
   */
  async settle(): Promise<{ stored: number; mismatched: number }> {
    const height = this.#ledger.info().height;
    const due = [...this.#held].filter(([, a]) => a.number < height);
    for (const [key] of due) this.#held.delete(key);
    const matches = ourBlockMatcher(this.#ledger);
    const good: Attestation[] = [];
    for (const [, a] of due) if (await matches(a)) good.push(a);
    if (good.length > 0) await this.#ledger.addAttestations(good);
    return { stored: good.length, mismatched: due.length - good.length };
  }
}
