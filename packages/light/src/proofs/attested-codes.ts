import {
  type Attestation,
  type Channel,
  type Ed25519Backend,
  equalBytes,
  type Identity,
  satisfies,
  toHex,
  verifyAttestation,
  WeftError,
} from '@weft/core';
import type { StoredHeader } from '../chain/store.js';

/**
 * What the channel's peers attest about one verified block's codes.
 * - `attested`: verified attestations by peers satisfying the channel's
 *   attestation policy agree on this block hash and on `codesHash`.
 * - `unattested`: no such set (yet): the codes are unknown.
 * - `conflict`: two sets each satisfying the policy attest different codes
 *   for the block; no verdict can be trusted.
 *
 * A light client cannot compute commitHash (it needs the state), so it
 * groups by codesHash only; commitHash disagreement is the auditor's job.
 */
export interface AttestedCodes {
  status: 'attested' | 'unattested' | 'conflict';
  /** Set when attested. */
  codesHash?: Uint8Array;
  /** The signers behind `codesHash` (attested), else every verified signer. */
  signers: Identity[];
  /** Verified signers that attested something else for this block number. */
  disagreeing: Disagreement[];
  /** Signers that attested two different results for the block: not counted anywhere. */
  equivocating: Identity[];
}

export interface Disagreement {
  signer: Identity;
  blockHash: Uint8Array;
  codesHash: Uint8Array;
}

interface Verified {
  who: Identity;
  a: Attestation;
}

/**
 * Judges the attestations a node served for block `header`. Each must be
 * signed by a peer certified by the channel's MSP at the block's time;
 * anything else (wrong channel or number, bad signature, a non-member) is
 * ignored, as a node can always add noise but cannot forge a signature.
 */
export async function attestedCodes(options: {
  channel: Channel;
  header: StoredHeader;
  attestations: readonly Attestation[];
  backend?: Ed25519Backend;
}): Promise<AttestedCodes> {
  const { channel, header } = options;
  const verified: Verified[] = [];
  for (const a of options.attestations) {
    if (a.number !== header.header.number || a.channel !== channel.config.channel) continue;
    try {
      const who = await verifyAttestation(a, {
        channel,
        at: header.header.timestamp,
        backend: options.backend,
      });
      verified.push({ who, a });
    } catch (err) {
      if (!(err instanceof WeftError)) throw err;
    }
  }
  const equivocating = equivocators(verified);
  const groups = new Map<string, { codesHash: Uint8Array; signers: Identity[] }>();
  const disagreeing: Disagreement[] = [];
  for (const { who, a } of verified) {
    if (equivocating.has(who.id)) continue;
    if (!equalBytes(a.blockHash, header.hash)) {
      // A peer attesting another block at this height: evidence for the auditor, no vote here.
      disagreeing.push({ signer: who, blockHash: a.blockHash, codesHash: a.codesHash });
      continue;
    }
    const key = toHex(a.codesHash);
    const g = groups.get(key) ?? { codesHash: a.codesHash, signers: [] };
    if (!g.signers.some((s) => s.id === who.id)) g.signers.push(who);
    groups.set(key, g);
  }
  const winners = [...groups.values()].filter((g) =>
    satisfies(channel.policies.attestation, g.signers),
  );
  const everyone = [...groups.values()].flatMap((g) => g.signers);
  const result = { disagreeing, equivocating: [...equivocating.values()] };
  if (winners.length !== 1) {
    return {
      status: winners.length === 0 ? 'unattested' : 'conflict',
      signers: everyone,
      ...result,
    };
  }
  const winner = winners[0]!;
  for (const g of groups.values()) {
    if (g === winner) continue;
    for (const signer of g.signers)
      disagreeing.push({ signer, blockHash: header.hash, codesHash: g.codesHash });
  }
  return { status: 'attested', codesHash: winner.codesHash, signers: winner.signers, ...result };
}

/** Signers with two different (blockHash, codesHash) for one block. */
function equivocators(verified: readonly Verified[]): Map<string, Identity> {
  const seen = new Map<string, string>();
  const out = new Map<string, Identity>();
  for (const { who, a } of verified) {
    const claim = `${toHex(a.blockHash)}/${toHex(a.codesHash)}`;
    const before = seen.get(who.id);
    if (before === undefined) seen.set(who.id, claim);
    else if (before !== claim) out.set(who.id, who);
  }
  return out;
}
