import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  AuditError,
  type AuditInput,
  type AuditProgress,
  type AuditReport,
  auditChain,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightInfo,
  encodeLightRequest,
  formatAuditSummary,
  fromHex,
  type LightRequest,
  MAX_LIGHT_ATTESTATIONS_BYTES,
  MAX_LIGHT_BLOCK_BYTES,
  MAX_LIGHT_INFO_BYTES,
  PROTOCOLS,
  prefetchInOrder,
} from '@weft/core';
import { type Command, InvalidArgumentError } from 'commander';
import { createLibp2p } from 'libp2p';
import '../../net/polyfill.js';
import { callProtocol } from '../../net/index.js';
import { type CliIo, processIo, runCommand } from './io.js';

export interface AuditCommandOptions {
  /** The channel's genesis block hash (64 hex): the only thing trusted. */
  genesis: string;
  /** A full node's multiaddr with /p2p (TCP or WebSockets). */
  peer: string;
  channel: string;
  json?: boolean;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
  /** Blocks downloaded ahead of the replay. Default 8. */
  prefetch?: number;
  /** Draw a progress line on stderr (the CLI does when stderr is a TTY). */
  progress?: boolean;
}

function genesisHash(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value))
    throw new InvalidArgumentError('expected the genesis block hash (64 hex digits)');
  return value.toLowerCase();
}

/**
 * `/weft/light/1.0.0` from a client-only libp2p host: it only dials (TCP
 * or WebSockets), so a node treats it as a light client and serves any
 * channel it keeps. Nothing it answers is trusted; core's replay checks it.
 */
class LightSource {
  private constructor(
    readonly host: Libp2p,
    readonly target: Multiaddr,
    readonly channel: string,
    readonly timeoutMs: number,
  ) {}

  static async connect(o: AuditCommandOptions): Promise<LightSource> {
    const host = await createLibp2p({
      transports: [tcp(), webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // The node to audit is given explicitly (often on loopback); nothing else is dialled.
      connectionGater: { denyDialMultiaddr: () => false },
    });
    return new LightSource(host, multiaddr(o.peer), o.channel, o.timeoutMs ?? 60_000);
  }

  call(request: LightRequest, maxResponseBytes: number): Promise<Uint8Array> {
    return callProtocol(this.host, this.target, PROTOCOLS.light, encodeLightRequest(request), {
      maxResponseBytes,
      timeoutMs: this.timeoutMs,
    });
  }

  async height(): Promise<number> {
    const info = await this.call({ type: 'info', channel: this.channel }, MAX_LIGHT_INFO_BYTES);
    return decodeLightInfo(info).height;
  }

  async input(number: number): Promise<AuditInput> {
    const { channel } = this;
    const [block, list] = await Promise.all([
      this.call({ type: 'block', channel, number }, MAX_LIGHT_BLOCK_BYTES),
      this.call({ type: 'attestations', channel, number }, MAX_LIGHT_ATTESTATIONS_BYTES),
    ]);
    const { block: b, codes } = decodeLightBlock(block);
    return { block: b, codes, attestations: decodeLightAttestations(list), node: this.node };
  }

  get node(): string {
    return (
      this.target.getComponents().find((c) => c.name === 'p2p')?.value ?? this.target.toString()
    );
  }

  /** Blocks 0..height-1 in order, `depth` requests in flight. */
  blocks(height: number, depth: number): AsyncGenerator<AuditInput> {
    return prefetchInOrder(height, depth, (n) => this.input(n));
  }

  async close(): Promise<void> {
    await this.host.stop();
  }
}

/** A one-line progress display, redrawn at most every 200 ms. */
function progressLine(io: CliIo): { update(p: AuditProgress): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 200 && p.blocks !== p.height) return;
      last = now;
      drawn = true;
      io.err(`\raudit: block ${p.blocks}/${p.height ?? '?'}, ${p.txs} txs`);
    },
    done() {
      if (drawn) io.err('\r\x1b[K');
    },
  };
}

function print(io: CliIo, report: AuditReport, json?: boolean): void {
  io.out(json ? `${JSON.stringify(report, null, 2)}\n` : formatAuditSummary(report));
}

/**
 * Audits a channel from one full node and prints the report. Exit status:
 * 0 clean, 2 when a signer disagreed or the node served wrong codes, 1 when
 * the audit failed (a block failed verification: the report so far is
 * printed, then the error).
 */
export async function runAudit(o: AuditCommandOptions, io: CliIo): Promise<AuditReport> {
  const source = await LightSource.connect(o);
  const progress = o.progress ? progressLine(io) : undefined;
  try {
    const height = await source.height();
    const report = await auditChain({
      genesisHash: fromHex(o.genesis),
      height,
      blocks: source.blocks(height, o.prefetch ?? 8),
      onProgress: progress?.update,
    });
    progress?.done();
    print(io, report, o.json);
    if (!report.clean) io.setExitCode(2);
    return report;
  } catch (err) {
    progress?.done();
    if (err instanceof AuditError && err.report) print(io, err.report, o.json);
    throw err;
  } finally {
    await source.close();
  }
}

/** `weft audit`: replay a whole channel from a full node and check every attestation. */
export function registerAuditCommand(program: Command, io: CliIo = processIo): Command {
  return program
    .command('audit')
    .description(
      "download every block of a channel from a full node, replay it with core's validation and compare codes, state and commitHash with every peer's attestations",
    )
    .requiredOption('--genesis <hash>', 'the trusted genesis block hash (hex)', genesisHash)
    .requiredOption('--peer <multiaddr>', 'a full node (TCP or WebSockets multiaddr with /p2p)')
    .option('--channel <name>', 'channel', 'weft')
    .option('--json', 'print the JSON report')
    .action((o: AuditCommandOptions) =>
      runCommand(io, async () => {
        await runAudit({ ...o, progress: io === processIo && !!process.stderr.isTTY }, io);
      }),
    );
}
