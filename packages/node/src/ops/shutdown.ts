import { constants } from 'node:os';
import type { Logger } from './logger.js';

export type Closer = () => void | Promise<void>;

export interface ShutdownOptions {
  /** Deadline for all closers together; default 10 s (inside a typical 30 s kill grace). */
  timeoutMs?: number;
  logger?: Logger;
  /** Default SIGINT and SIGTERM. */
  signals?: readonly NodeJS.Signals[];
  /** Default process.exit; tests substitute it. */
  exit?: (code: number) => void;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Graceful shutdown. Parts register a closer as they start; on the first
 * signal the closers run one at a time in reverse order (last started,
 * first stopped: stop serving before closing the ledger under it), then the
 * process exits 0, or 1 if a closer failed or the deadline passed. A second
 * signal exits at once with 128 + signal number, for an operator who has
 * decided not to wait.
 */
export class Shutdown {
  readonly #closers: { name: string; close: Closer }[] = [];
  readonly #timeoutMs: number;
  readonly #log: Logger | undefined;
  readonly #signals: readonly NodeJS.Signals[];
  readonly #exit: (code: number) => void;
  readonly #onSignal = (signal: NodeJS.Signals) => this.#signal(signal);
  #running: Promise<number> | null = null;

  constructor(options: ShutdownOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#log = options.logger;
    this.#signals = options.signals ?? ['SIGINT', 'SIGTERM'];
    this.#exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Registers a closer; the returned function unregisters it (for parts stopped early). */
  add(name: string, close: Closer): () => void {
    const entry = { name, close };
    this.#closers.push(entry);
    return () => {
      const i = this.#closers.indexOf(entry);
      if (i >= 0) this.#closers.splice(i, 1);
    };
  }

  get shuttingDown(): boolean {
    return this.#running !== null;
  }

  /** Starts listening for the signals. */
  install(): this {
    for (const s of this.#signals) process.on(s, this.#onSignal);
    return this;
  }

  uninstall(): void {
    for (const s of this.#signals) process.off(s, this.#onSignal);
  }

  /** Runs the closers once (later calls share the result) and resolves with the exit code. */
  run(reason: string): Promise<number> {
    this.#running ??= this.#runClosers(reason);
    return this.#running;
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.#running) {
      this.#log?.warn({ signal }, 'second signal: exiting without waiting');
      this.#exit(128 + (constants.signals[signal] ?? 0));
      return;
    }
    this.#log?.info({ signal }, 'shutting down');
    void this.run(signal).then((code) => this.#exit(code));
  }

  async #runClosers(reason: string): Promise<number> {
    const deadline = Date.now() + this.#timeoutMs;
    let code = 0;
    for (const { name, close } of [...this.#closers].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
      });
      try {
        const result = await Promise.race([Promise.resolve().then(close), timeout]);
        if (result === TIMED_OUT) {
          this.#log?.error(
            { closer: name, timeoutMs: this.#timeoutMs, reason },
            'shutdown timed out',
          );
          return 1;
        }
        this.#log?.debug({ closer: name }, 'closed');
      } catch (err) {
        // Keep going: the remaining parts still deserve a clean close.
        this.#log?.error({ err, closer: name }, 'closer failed');
        code = 1;
      } finally {
        clearTimeout(timer);
      }
    }
    this.#log?.info({ reason, code }, 'shutdown complete');
    return code;
  }
}
