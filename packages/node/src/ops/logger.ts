import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /**
   * true: human-readable lines (pino-pretty); false: one JSON object per
   * line, for log shippers. Default: pretty only when stdout is a terminal.
   */
  pretty?: boolean | null;
  /** Bound on every line, e.g. the node name, so interleaved nodes stay apart. */
  name?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/**
 * The node's root logger. Pretty printing runs in-process and synchronously
 * (not as a pino transport worker) so the last lines before an exit are
 * never lost and no extra thread starts for a dev network.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const usePretty =
    options.pretty ?? (destination === process.stdout && process.stdout.isTTY === true);
  const stream: DestinationStream = usePretty
    ? pretty({
        destination,
        sync: true,
        colorize: destination === process.stdout && process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      })
    : (destination as DestinationStream);
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name === undefined ? {} : { node: options.name },
      // Errors logged as { err } keep their code, which is what operators grep for.
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}

/** A logger for one part of the node (gossip, orderer, ledger...); its lines carry `component`. */
export function componentLogger(
  parent: Logger,
  component: string,
  bindings: Record<string, unknown> = {},
): Logger {
  return parent.child({ component, ...bindings });
}

/** A logger that drops everything, for library code called without one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
