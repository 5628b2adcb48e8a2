import type { Clock } from '../clock.js';

/**
 * The batch timeout of a jetstream orderer: one timer for the block being
 * filled, started when this orderer reads its first envelope from the log.
 * When it fires, the orderer does not cut anything itself; it appends
 * "time to cut block n" to the log (`send`), and every orderer cuts when it
 * reads the first such marker, so the timeout needs no agreement on clocks.
 */
export class TtcTimer {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #send: (block: number) => Promise<void>;
  #armed: { block: number; cancel(): void } | undefined;
  #stopped = false;

  constructor(options: { clock: Clock; timeoutMs: number; send(block: number): Promise<void> }) {
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs;
    this.#send = options.send;
  }

  /** After each log message: block `next` is being filled when `pending` is true. */
  update(pending: boolean, next: number): void {
    if (this.#armed && (!pending || this.#armed.block !== next)) this.#disarm();
    if (!pending || this.#armed || this.#stopped) return;
    // Stays armed for `next` after firing, so one marker is sent per block.
    const cancel = this.#clock.setTimer(this.#timeoutMs, () => {
      this.#send(next).catch(() => {
        // The log did not take it: try again, so the batch is cut once the log is back.
        if (this.#armed?.block !== next) return;
        this.#armed = undefined;
        this.update(true, next);
      });
    });
    this.#armed = { block: next, cancel };
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #disarm(): void {
    this.#armed?.cancel();
    this.#armed = undefined;
  }
}
