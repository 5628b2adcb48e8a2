import {
  type BroadcastAck,
  type Channel,
  CodecError,
  checkEndorsement,
  computeTxid,
  decodeProposal,
  type EndorseResponse,
  encodeEnvelope,
  endorsementPayload,
  equalBytes,
  type Identity,
  policyPrincipals,
  rwsetHash,
  type SignedProposal,
  satisfies,
  sha256,
  type TxStatus,
  WeftError,
} from '@weft/core';
import type { ChannelLedger } from '../ledger/index.js';
import type { CommitWatcher } from './commit-watcher.js';
import { PeerError } from './errors.js';

/** A peer the gateway can ask for an endorsement (itself, or a remote one over the network). */
export interface EndorsingPeer {
  org: string;
  /** For logs and errors: a name or PeerId. */
  id: string;
  endorse(channel: string, signedProposal: SignedProposal): Promise<EndorseResponse>;
}

export interface GatewayOptions {
  channel: Channel;
  ledger: ChannelLedger;
  commits: CommitWatcher;
  /** The channel's endorsing peers known now (membership changes as peers come and go). */
  endorsers: () => readonly EndorsingPeer[];
  /**
   * Sends an envelope for ordering (with failover between orderers);
   * resolves when ordered: with where, or `undefined` when a retry found the
   * txid already in the log (an attempt that died before answering put it
   * there), so only the chain says where and with what code.
   */
  broadcast: (envelope: Uint8Array) => Promise<BroadcastAck | undefined>;
  /** How long a waiting submit or status waits for this peer to commit. Default 30 s. */
  commitTimeoutMs?: number;
  now?: () => number;
}

/**
 * Fabric Gateway's job for Fabcoin: a client sends one signed proposal;
 * the gateway gets it endorsed by a peer of each org the endorsement
 * policy names (trying another peer of the org when one fails), checks the
 * endorsers agree on the rw-set and satisfy the policy, assembles the
 * envelope, has it ordered, and can wait for this peer to commit it.
 */
export class Gateway {
  readonly #o: GatewayOptions;

  constructor(options: GatewayOptions) {
    this.#o = options;
  }

  get channelName(): string {
    return this.#o.channel.config.channel;
  }

  async submit(signedProposal: SignedProposal, wait: boolean): Promise<TxStatus> {
    let txid: Uint8Array;
    try {
      const p = decodeProposal(signedProposal.proposal);
      txid = computeTxid(p.creator.publicKey, p.nonce);
    } catch (err) {
      if (err instanceof CodecError) throw new PeerError('GATEWAY_BAD_PROPOSAL', err.message);
      throw err;
    }
    const endorsed = await this.#endorse(signedProposal);
    const envelope = encodeEnvelope({
      type: 'tx',
      signedProposal,
      rwset: endorsed[0]!.rwset,
      endorsements: endorsed.map((e) => e.endorsement),
    });
    // Ordered, where known or not: a waiting client gets the code from the commit either way.
    await this.#o.broadcast(envelope);
    if (!wait) return { txid, status: 'submitted' };
    const found = await this.#lookup(txid, true);
    return found ?? { txid, status: 'submitted' };
  }

  /**
   * The transaction's code and block once this peer committed it; waits for
   * the commit if asked to. 'unknown': this peer has not committed it (the
   * gateway does not know whether anyone submitted it).
   */
  async status(txid: Uint8Array, wait: boolean): Promise<TxStatus> {
    return (await this.#lookup(txid, wait)) ?? { txid, status: 'unknown' };
  }

  async #lookup(txid: Uint8Array, wait: boolean): Promise<TxStatus | undefined> {
    if (wait) await this.#o.commits.waitFor(txid, this.#o.commitTimeoutMs ?? 30_000);
    const tx = await this.#o.ledger.getTransaction(txid);
    if (!tx) return undefined;
    return { txid, status: 'committed', code: tx.code, block: tx.block, index: tx.index };
  }

  /**
   * One verified, agreeing endorsement per org the policy names, or a
   * PeerError saying why not. An answer that is not a valid endorsement by
   * a peer of the org asked (a failure, a refusal, a forged or foreign
   * signature) does not count, and the next peer of that org is asked: a
   * refusal may come from a peer that lags behind or lies, so it is passed
   * on only when no peer of the org endorses.
   */
  async #endorse(signedProposal: SignedProposal): Promise<EndorseResponse[]> {
    const { channel } = this.#o;
    const policy = channel.policies.endorsement;
    const orgs = [...new Set(policyPrincipals(policy).map((p) => p.org))];
    const byOrg = new Map<string, EndorsingPeer[]>();
    for (const peer of this.#o.endorsers()) {
      byOrg.set(peer.org, [...(byOrg.get(peer.org) ?? []), peer]);
    }
    const proposalHash = sha256(signedProposal.proposal);
    const at = (this.#o.now ?? Date.now)();
    /** Why each org that gave no endorsement gave none. */
    const failures: WeftError[] = [];
    const results = await Promise.all(
      orgs.map(async (org) => {
        const peers = byOrg.get(org) ?? [];
        const tried: WeftError[] = [];
        for (const peer of peers) {
          try {
            const response = await peer.endorse(this.channelName, signedProposal);
            const who = await this.#verify(response, org, proposalHash, at, peer);
            return { response, who };
          } catch (err) {
            tried.push(asPeerError(err, peer));
          }
        }
        if (peers.length === 0) {
          tried.push(new PeerError('GATEWAY_NO_ENDORSER', `no endorsing peer of ${org} is known`));
        }
        failures.push(...tried);
        return undefined;
      }),
    );
    const got = results.filter((r) => r !== undefined);
    if (got.length > 0) {
      const first = rwsetHash(got[0]!.response.rwset);
      if (got.some((r) => !equalBytes(rwsetHash(r.response.rwset), first))) {
        throw new PeerError('GATEWAY_ENDORSEMENTS_DIFFER', 'endorsers simulated different rw-sets');
      }
    }
    const signers = got.map((r) => r.who);
    if (signers.length === 0 || !satisfies(policy, signers)) {
      const refusal = failures.find((f) => f.code.startsWith('ENDORSE_'));
      if (refusal) throw refusal;
      const why = failures.map((f) => f.message).join('; ') || 'no endorsing peer of a needed org';
      throw new PeerError('GATEWAY_ENDORSEMENT_FAILED', `endorsement policy not met: ${why}`);
    }
    return got.map((r) => r.response);
  }

  /**
   * The endorser's identity if the answer is a valid endorsement of this
   * proposal and its rw-set by a peer of `org`; else a PeerError. Only such
   * answers enter the envelope: VSCC marks a transaction BAD_ENDORSEMENT
   * for any endorsement that does not verify, even when the rest satisfy
   * the policy.
   */
  async #verify(
    r: EndorseResponse,
    org: string,
    proposalHash: Uint8Array,
    at: number,
    peer: EndorsingPeer,
  ): Promise<Identity> {
    const checked = await checkEndorsement({
      channel: this.#o.channel,
      endorsement: r.endorsement,
      payload: endorsementPayload(proposalHash, rwsetHash(r.rwset)),
      at,
      org,
    });
    if (checked.ok) return checked.identity;
    const why =
      checked.reason === 'membership'
        ? checked.error.message
        : 'the endorsement signature does not verify';
    throw new PeerError('GATEWAY_BAD_ENDORSEMENT', `endorser ${peer.id}: ${why}`);
  }
}

function asPeerError(err: unknown, peer: EndorsingPeer): WeftError {
  if (err instanceof WeftError) return err;
  return new PeerError('GATEWAY_ENDORSER_FAILED', `endorser ${peer.id}: ${String(err)}`);
}
