import {
  AuditError,
  type AuditProgress,
  type AuditReport,
  auditChain,
  formatAuditSummary,
  fromHex,
} from '@weft/core';
import { type Command, InvalidArgumentError } from 'commander';
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
  // Loaded here, not at start: libp2p stays out of every other command.
  const { LightSource } = await import('../../client/light-source.js');
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
