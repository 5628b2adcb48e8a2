import { type Channel, type Ed25519Backend, encodeAttestation, toHex } from '@weft/core';
import type { StoredHeader } from '../chain/store.js';
import { TransportError, VerificationError } from '../errors.js';
import type { CallOptions, LightTransport } from '../transport/transport.js';
import {
  type AttestedCodes,
  judgeAttested,
  type VerifiedAttestation,
  verifyServed,
} from './attested-codes.js';

const NONE: AttestedCodes = {
  status: 'unattested',
  signers: [],
  disagreeing: [],
  equivocating: [],
};

/**
 * The attestation verdict on block `header`'s codes, gathered from as many
 * of the transport's nodes as it takes. Each node holds what gossip and
 * pull brought it, so one may lack an org's attestation another has: while
 * the attestations gathered so far do not satisfy the channel's policy, or
 * some signer disagrees (another node may hold a rival quorum), the next
 * node not yet asked is asked, until one answers or none is left. Each
 * attestation is verified on its own (verifyServed), one served twice counts
 * once, and a signer with two claims counts nowhere (judgeAttested). A node
 * that served a forgery is blamed; what else it served still counts.
 */
export async function gatherAttestedCodes(o: {
  transport: LightTransport;
  channel: Channel;
  header: StoredHeader;
  backend?: Ed25519Backend;
  options?: CallOptions;
}): Promise<AttestedCodes> {
  const { transport, channel, header } = o;
  const number = header.header.number;
  const asked = new Set<string>();
  const seen = new Set<string>();
  const gathered: VerifiedAttestation[] = [];
  let verdict = NONE;
  for (;;) {
    let answer: Awaited<ReturnType<LightTransport['attestations']>>;
    try {
      answer = await transport.attestations(number, { ...o.options, skip: asked });
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      // Every node left said it has nothing (yet), or none is left to ask: what we have is the verdict.
      if (err.code === 'LIGHT_NOT_FOUND' || (asked.size > 0 && err.code === 'LIGHT_NO_NODES'))
        return verdict;
      throw err;
    }
    // A transport that does not know `skip` answers from a node already asked: nothing new to learn.
    if (asked.has(answer.node)) return verdict;
    asked.add(answer.node);
    const fresh = answer.value.filter((a) => {
      const key = toHex(encodeAttestation(a));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const { verified, forged } = await verifyServed({
      channel,
      header,
      attestations: fresh,
      backend: o.backend,
    });
    if (forged > 0) {
      const why = `served ${forged} forged attestation(s) of block ${number}`;
      transport.blame(
        answer.node,
        new VerificationError('LIGHT_FORGED_ATTESTATION', answer.node, why),
      );
    }
    gathered.push(...verified);
    verdict = judgeAttested(channel, header, gathered);
    const settled =
      verdict.status === 'conflict' ||
      (verdict.status === 'attested' &&
        verdict.disagreeing.length === 0 &&
        verdict.equivocating.length === 0);
    if (settled) return verdict;
  }
}
