import {
  decodeBlocksRequest,
  decodeBroadcastRequest,
  decodeEndorseRequest,
  decodeGatewayRequest,
  decodeHello,
  encodeBlock,
  encodeBroadcastAck,
  encodeCoinPage,
  encodeEndorseResponse,
  encodeHello,
  encodeTxStatus,
  type Hello,
  MAX_ATTESTATION_PULL_REQUEST_BYTES,
  MAX_BROADCAST_REQUEST,
  MAX_ENROLL_REQUEST_BYTES,
  MAX_HELLO_BYTES,
  MAX_LIGHT_REQUEST_BYTES,
  MAX_SIGNED_PROPOSAL_MESSAGE,
  MAX_SMALL_MESSAGE,
  PROTOCOLS,
  WeftError,
} from '@weft/core';
import type { Logger } from 'pino';
import type { EnrollService } from '../ca/index.js';
import { type NodeHost, type RpcContext, serveProtocol } from '../net/index.js';
import type { NodeMetrics } from '../ops/index.js';
import { attestationPullHandler } from './attestation-handler.js';
import type { ChannelRuntime } from './channel-runtime.js';
import type { NodeDirectory } from './directory.js';
import { lightHandler } from './light-handler.js';

export interface HandlerContext {
  host: NodeHost;
  channels: ReadonlyMap<string, ChannelRuntime>;
  directory: NodeDirectory;
  hello: () => Hello;
  log: Logger;
  metrics: NodeMetrics;
  /** The org CA, when this node runs one (`ca` in its config). */
  ca?: EnrollService;
}

/** Blocks served per /weft/blocks request, so one request cannot pin a node for long. */
export const MAX_BLOCKS_PER_REQUEST = 100;
const TIMEOUT_MS = 30_000;
/** Member-to-member protocols with one stream per transaction in flight. */
const BUSY = new Set<string>([PROTOCOLS.broadcast, PROTOCOLS.endorse]);

class ProtocolError extends WeftError {}

function refuse(code: string, message: string): never {
  throw new ProtocolError(code, message);
}

/**
 * Registers every node protocol once per host; each request names its
 * channel and is routed to that channel's runtime, after checking that the
 * caller may see that channel's data (a node certified by the channel's
 * config; gateway calls are open to light clients by design).
 */
export async function serveNodeProtocols(h: HandlerContext): Promise<Array<() => Promise<void>>> {
  const runtime = (name: string) => {
    const rt = h.channels.get(name);
    if (!rt) refuse('NODE_UNKNOWN_CHANNEL', `this node has not joined channel ${name}`);
    return rt;
  };
  const memberOf = (name: string, ctx: RpcContext) => {
    if (!h.directory.isChannelMember(name, ctx.publicKey))
      refuse('NET_FORBIDDEN', `not a member of channel ${name}`);
  };
  const onInternalError = (err: unknown, protocol: string) =>
    h.log.error({ err, protocol }, 'protocol handler failed');
  const onMisbehaviour = (e: { peer: { toString(): string }; code: string; protocol: string }) =>
    h.log.warn(
      { peer: e.peer.toString(), code: e.code, protocol: e.protocol },
      'peer misbehaved; disconnected',
    );
  const serve = (
    protocol: string,
    access: 'members' | 'public',
    maxRequestBytes: number,
    handler: Parameters<typeof serveProtocol>[2]['handler'],
  ) =>
    serveProtocol(h.host, protocol, {
      access,
      maxRequestBytes,
      timeoutMs: TIMEOUT_MS,
      handler,
      onInternalError,
      onMisbehaviour,
      // A gateway holds one broadcast stream (until the block is cut) and one
      // endorse stream per transaction in flight: libp2p's defaults (32 in,
      // 64 out per connection) capped a node at a few dozen transactions.
      ...(BUSY.has(protocol) ? { maxInboundStreams: 1024, maxOutboundStreams: 1024 } : {}),
    });

  return Promise.all([
    serve(PROTOCOLS.hello, 'public', MAX_HELLO_BYTES, async (req, ctx) => {
      const hello = decodeHello(req);
      const known = await h.directory.introduce(ctx.publicKey, hello);
      if (!known)
        refuse('NET_FORBIDDEN', 'no joined channel certifies this certificate for this connection');
      return encodeHello(h.hello());
    }),
    serve(PROTOCOLS.broadcast, 'members', MAX_BROADCAST_REQUEST, async (req, ctx) => {
      const { channel, envelope } = decodeBroadcastRequest(req);
      memberOf(channel, ctx);
      const orderer = runtime(channel).orderer;
      if (!orderer) refuse('NODE_NOT_ORDERER', `this node does not order channel ${channel}`);
      const ack = await orderer.broadcast(envelope);
      return encodeBroadcastAck({ channel, block: ack.block, index: ack.index });
    }),
    serve(PROTOCOLS.deliver, 'members', MAX_SMALL_MESSAGE, (req, ctx) => {
      const { channel, from } = decodeBlocksRequest(req);
      memberOf(channel, ctx);
      const orderer = runtime(channel).orderer;
      if (!orderer) refuse('NODE_NOT_ORDERER', `this node does not order channel ${channel}`);
      return mapBlocks(orderer.deliver(from, ctx.signal));
    }),
    serve(PROTOCOLS.blocks, 'members', MAX_SMALL_MESSAGE, (req, ctx) => {
      const { channel, from, to } = decodeBlocksRequest(req);
      memberOf(channel, ctx);
      const ledger = runtime(channel).ledger;
      if (!ledger) refuse('NODE_NOT_PEER', `this node keeps no ledger of channel ${channel}`);
      const end = Math.min(
        to ?? Number.MAX_SAFE_INTEGER,
        from + MAX_BLOCKS_PER_REQUEST,
        ledger.info().height,
      );
      return (async function* () {
        for (let n = from; n < end && !ctx.signal.aborted; n++) {
          const stored = await ledger.getBlock(n);
          if (!stored) return;
          yield stored.bytes;
        }
      })();
    }),
    serve(PROTOCOLS.endorse, 'members', MAX_SIGNED_PROPOSAL_MESSAGE, async (req, ctx) => {
      const request = decodeEndorseRequest(req);
      memberOf(request.channel, ctx);
      const endorser = runtime(request.channel).endorser;
      if (!endorser) refuse('NODE_NOT_PEER', `this node does not endorse on ${request.channel}`);
      return encodeEndorseResponse(await endorser.endorse(request));
    }),
    serve(PROTOCOLS.light, 'public', MAX_LIGHT_REQUEST_BYTES, lightHandler(h)),
    serve(
      PROTOCOLS.attestations,
      'members',
      MAX_ATTESTATION_PULL_REQUEST_BYTES,
      attestationPullHandler(h),
    ),
    // Public: a wallet enrolling is no member yet. The CA checks the admin or the secret itself.
    serve(PROTOCOLS.enroll, 'public', MAX_ENROLL_REQUEST_BYTES, (req, ctx) => {
      if (!h.ca) refuse('NODE_NOT_CA', 'this node runs no CA');
      return h.ca.handle(req, ctx);
    }),
    serve(PROTOCOLS.gateway, 'public', MAX_SIGNED_PROPOSAL_MESSAGE, async (req) => {
      const request = decodeGatewayRequest(req);
      const rt = runtime(request.channel);
      const gateway = rt.gateway;
      if (!gateway || !rt.ledger)
        refuse('NODE_NOT_GATEWAY', `no gateway for ${request.channel} here`);
      switch (request.type) {
        case 'submit':
          return encodeTxStatus(await gateway.submit(request.signedProposal, request.wait));
        case 'status':
          return encodeTxStatus(await gateway.status(request.txid, request.wait));
        case 'coins': {
          const page = await rt.ledger.getCoins({
            owner: request.owner,
            limit: request.limit,
            after: request.after,
          });
          return encodeCoinPage({
            coins: page.coins.map((c) => ({
              key: c.key,
              amount: c.coin.amount,
              label: c.coin.label,
            })),
            next: page.next,
          });
        }
      }
    }),
  ]);
}

async function* mapBlocks(blocks: AsyncIterable<Parameters<typeof encodeBlock>[0]>) {
  for await (const block of blocks) yield encodeBlock(block);
}
