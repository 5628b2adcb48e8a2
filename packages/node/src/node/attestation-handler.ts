import {
  attestationDigest,
  decodeAttestationPullRequest,
  encodeAttestation,
  encodeAttestationDigest,
  WeftError,
} from '@weft/core';
import type { RpcHandler } from '../net/index.js';
import type { HandlerContext } from './handlers.js';

class AttestationPullError extends WeftError {}

function refuse(code: string, message: string): never {
  throw new AttestationPullError(code, message);
}

/**
 * The `/weft/attestations/1.0.0` handler (access 'members'; formats in
 * core's protocol/attestation-pull.ts, rules in PROTOCOLS.md): a digest of
 * the signers whose attestations this peer holds per block, or a stream of
 * the attestations of some signers over a range. Only for nodes the
 * channel's config certifies.
 */
export function attestationPullHandler(h: HandlerContext): RpcHandler {
  return async (req, ctx) => {
    const request = decodeAttestationPullRequest(req);
    const { channel, from, count } = request;
    if (!h.directory.isChannelMember(channel, ctx.publicKey))
      refuse('NET_FORBIDDEN', `not a member of channel ${channel}`);
    const rt = h.channels.get(channel);
    if (!rt) refuse('NODE_UNKNOWN_CHANNEL', `this node has not joined channel ${channel}`);
    const ledger = rt.ledger;
    if (!ledger) refuse('NODE_NOT_PEER', `this node keeps no ledger of channel ${channel}`);
    if (request.type === 'digest') {
      return encodeAttestationDigest(
        attestationDigest(await ledger.attestationSigners(from, count)),
      );
    }
    const list = await ledger.attestationsBy(from, count, request.signers);
    return (async function* () {
      for (const a of list) {
        if (ctx.signal.aborted) return;
        yield encodeAttestation(a);
      }
    })();
  };
}
