import {
  type BroadcastAck,
  type Channel,
  CodecError,
  computeTxid,
  decodeProposal,
  type EndorseResponse,
  encodeEnvelope,
  endorsementPayload,
  equalBytes,
  type Identity,
  MembershipError,
  policyPrincipals,
  rwsetHash,
  type SignedProposal,
  satisfies,
  sha256,
  type TxStatus,
  verifyDomain,
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
  /** Sends an envelope for ordering (with failover between orderers); resolves when ordered. */
  broadcast: (envelope: Uint8Array) => Promise<BroadcastAck>;
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
    await this.#o.broadcast(envelope);
    return wait ? this.status(txid, true) : { txid, status: 'submitted' };
  }

  /** The transaction's code and block once this peer committed it; waits if asked to. */
  async status(txid: Uint8Array, wait: boolean): Promise<TxStatus> {
    if (wait) await this.#o.commits.waitFor(txid, this.#o.commitTimeoutMs ?? 30_000);
    const tx = await this.#o.ledger.getTransaction(txid);
    if (!tx) return { txid, status: wait ? 'submitted' : 'unknown' };
    return { txid, status: 'committed', code: tx.code, block: tx.block, index: tx.index };
  }

  /** One agreeing endorsement per org the policy names, or a PeerError saying why not. */
  async #endorse(signedProposal: SignedProposal): Promise<EndorseResponse[]> {
    const { channel } = this.#o;
    const policy = channel.policies.endorsement;
    const orgs = [...new Set(policyPrincipals(policy).map((p) => p.org))];
    const byOrg = new Map<string, EndorsingPeer[]>();
    for (const peer of this.#o.endorsers()) {
      byOrg.set(peer.org, [...(byOrg.get(peer.org) ?? []), peer]);
    }
    const failures: WeftError[] = [];
    const results = await Promise.all(
      orgs.map(async (org) => {
        for (const peer of byOrg.get(org) ?? []) {
          try {
            return await peer.endorse(this.channelName, signedProposal);
          } catch (err) {
            failures.push(asPeerError(err, peer));
            // A refusal on the proposal's merits would be the same at every peer of the org.
            if (err instanceof WeftError && err.code.startsWith('ENDORSE_')) return undefined;
          }
        }
        return undefined;
      }),
    );
    const got = results.filter((r): r is EndorseResponse => r !== undefined);
    if (got.length > 0) {
      const first = rwsetHash(got[0]!.rwset);
      if (got.some((r) => !equalBytes(rwsetHash(r.rwset), first))) {
        throw new PeerError('GATEWAY_ENDORSEMENTS_DIFFER', 'endorsers simulated different rw-sets');
      }
    }
    const signers = await this.#identities(got, signedProposal);
    if (!satisfies(policy, signers)) {
      const refusal = failures.find((f) => f.code.startsWith('ENDORSE_'));
      if (refusal) throw refusal;
      const why = failures.map((f) => f.message).join('; ') || 'no endorsing peer of a needed org';
      throw new PeerError('GATEWAY_ENDORSEMENT_FAILED', `endorsement policy not met: ${why}`);
    }
    return got;
  }

  /** The endorsers whose certificate and signature check out; a forged answer just does not count. */
  async #identities(
    responses: readonly EndorseResponse[],
    signedProposal: SignedProposal,
  ): Promise<Identity[]> {
    const at = (this.#o.now ?? Date.now)();
    const proposalHash = sha256(signedProposal.proposal);
    const out: Identity[] = [];
    for (const r of responses) {
      let who: Identity;
      try {
        who = await this.#o.channel.msp.identify(r.endorsement.endorser, { at, roles: ['peer'] });
      } catch (err) {
        if (err instanceof MembershipError) continue;
        throw err;
      }
      const ok = await verifyDomain({
        publicKey: who.publicKey,
        domain: 'endorsement',
        bytes: endorsementPayload(proposalHash, rwsetHash(r.rwset)),
        signature: r.endorsement.signature,
      });
      if (ok) out.push(who);
    }
    return out;
  }
}

function asPeerError(err: unknown, peer: EndorsingPeer): WeftError {
  if (err instanceof WeftError) return err;
  return new PeerError('GATEWAY_ENDORSER_FAILED', `endorser ${peer.id}: ${String(err)}`);
}
