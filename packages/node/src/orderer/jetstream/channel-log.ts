import {
  type ConsumerMessages,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { MAX_ENVELOPE_BYTES } from '@weft/core';
import { sleep } from '../../util/sleep.js';
import { OrdererError } from '../errors.js';
import { type LogKind, logSubjects } from './log-records.js';

/** A message of the channel's stream as the orderer reads it. */
export interface LogMessage {
  /** Stream sequence: the total order. */
  seq: number;
  /** By subject; undefined for a subject of the stream that is none of ours. */
  kind: LogKind | undefined;
  /** The stream's own timestamp of the message, in ms: the same for every reader. */
  time: number;
  data: Uint8Array;
}

export interface ChannelLogOptions {
  servers: readonly string[];
  stream: string;
  replicas: number;
  /** Shown in NATS monitoring (e.g. the orderer and channel). */
  name?: string;
  /** How long open waits for the cluster to create or find the stream (default 30 s). */
  openTimeoutMs?: number;
  /** How long a publish keeps retrying through a leader change (default 10 s). */
  publishTimeoutMs?: number;
  /** Told of each publish that ran out of time (it then throws ORDERER_LOG_UNAVAILABLE). */
  onAppendFailed?: (kind: LogKind) => void;
}

/** Pull expiry; the server heartbeats at half of it, so a dead server is noticed in ~2 s. */
const PULL_EXPIRES_MS = 2_000;
const PULL_BATCH = 256;
const RETRY_MS = 100;

/**
 * One channel's stream on a NATS JetStream cluster: the total-order log of
 * jetstream ordering. Publishes retry through a server loss or leader
 * change under one deadline (readers skip the copies a retry can leave), and
 * reading follows the stream in order from any sequence, recreating its
 * consumer when the server holding it goes away.
 */
export class ChannelLog {
  readonly stream: string;
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #subjects: Record<LogKind | 'all', string>;
  readonly #publishMs: number;
  readonly #onAppendFailed: ((kind: LogKind) => void) | undefined;
  #opened = { first: 0, last: 0 };
  /** Kept from the client's status events; it reconnects by itself meanwhile. */
  #connected = true;

  private constructor(init: {
    options: ChannelLogOptions;
    nc: NatsConnection;
    jsm: JetStreamManager;
  }) {
    this.stream = init.options.stream;
    this.#nc = init.nc;
    this.#jsm = init.jsm;
    this.#js = jetstream(init.nc);
    this.#subjects = logSubjects(this.stream);
    this.#publishMs = init.options.publishTimeoutMs ?? 10_000;
    this.#onAppendFailed = init.options.onAppendFailed;
    this.#followStatus().catch(() => {
      this.#connected = false;
    });
  }

  async #followStatus(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'disconnect' || s.type === 'close') this.#connected = false;
      else if (s.type === 'reconnect') this.#connected = true;
    }
  }

  /** Whether the connection to the cluster is up, and to which server (host:port). */
  get connection(): { connected: boolean; server: string } {
    const connected = this.#connected && !this.#nc.isClosed();
    return { connected, server: connected ? this.#nc.getServer() : '' };
  }

  static async open(options: ChannelLogOptions): Promise<ChannelLog> {
    const deadline = Date.now() + (options.openTimeoutMs ?? 30_000);
    const nc = await connectBy(options, deadline);
    try {
      // Short API calls, retried: when orderers create the stream at once, one
      // request can go unanswered, and the default 5 s wait would stall it.
      // No API check here: #ensureStream's first call is one, under the same retries.
      const jsm = await jetstreamManager(nc, { timeout: 1_000, checkAPI: false });
      const log = new ChannelLog({ options, nc, jsm });
      await log.#ensureStream(options.replicas, deadline);
      return log;
    } catch (err) {
      await nc.close().catch(() => {});
      throw err;
    }
  }

  /** Creates the stream, or checks that the existing one is this channel's log as configured. */
  async #ensureStream(replicas: number, deadline: number): Promise<void> {
    const wanted: Partial<StreamConfig> & { name: string } = {
      name: this.stream,
      subjects: [this.#subjects.all],
      num_replicas: replicas,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_msg_size: MAX_ENVELOPE_BYTES + 1024,
      // The log is append-only: every orderer must see the same messages forever.
      deny_delete: true,
      deny_purge: true,
    };
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const info = await this.#jsm.streams.info(this.stream).catch(async (err: unknown) => {
          if ((err as { name?: string }).name !== 'StreamNotFoundError') throw err;
          return this.#jsm.streams.add(wanted);
        });
        const c = info.config;
        this.#opened = { first: info.state.first_seq, last: info.state.last_seq };
        if (c.num_replicas !== replicas || c.subjects?.join() !== this.#subjects.all) {
          throw new OrdererError(
            'ORDERER_LOG_MISMATCH',
            `stream ${this.stream} exists with subjects ${c.subjects?.join()} and ${c.num_replicas} replicas, not ${this.#subjects.all} and ${replicas}`,
          );
        }
        return;
      } catch (err) {
        if (err instanceof OrdererError) throw err;
        lastError = err;
        await sleep(RETRY_MS * 2);
      }
    }
    throw unavailable(`stream ${this.stream} could not be created or found`, lastError);
  }

  /** Sequences of the first and last message the stream held when opened (0, 0 when empty). */
  get openedWith(): { first: number; last: number } {
    return this.#opened;
  }

  /**
   * Appends `data` under `kind`, resolving with its sequence once JetStream
   * has stored it on a majority of replicas. ORDERER_LOG_UNAVAILABLE after
   * the deadline; the message may then be in the log or not, and retrying
   * may put it there twice. No message id is sent on purpose: nats-server
   * before 2.11 lets each replica apply message-id deduplication on its own,
   * which desyncs replicas across a leader change (nats-server#6415,
   * #6486); readers skip repeated txids deterministically instead.
   */
  async publish(kind: LogKind, data: Uint8Array, signal?: AbortSignal): Promise<number> {
    const deadline = Date.now() + this.#publishMs;
    let lastError: unknown;
    while (Date.now() < deadline && !signal?.aborted && !this.#nc.isClosed()) {
      try {
        const ack = await this.#js.publish(this.#subjects[kind], data, {
          timeout: Math.min(2_000, Math.max(100, deadline - Date.now())),
          expect: { streamName: this.stream },
        });
        return ack.seq;
      } catch (err) {
        lastError = err;
        await sleep(RETRY_MS, signal);
      }
    }
    if (!signal?.aborted && !this.#nc.isClosed()) this.#onAppendFailed?.(kind);
    throw unavailable(`stream ${this.stream} did not take a ${kind} message`, lastError);
  }

  /** `publish`, retried past its deadline until it succeeds or `signal` aborts (then it just returns). */
  async publishUntil(kind: LogKind, data: Uint8Array, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.#nc.isClosed()) {
      try {
        await this.publish(kind, data, signal);
        return;
      } catch {
        // Still unavailable: whoever waits for this message waits on.
      }
    }
  }

  /**
   * Every message from sequence `from` on, in order, following the stream
   * until `signal` aborts. A consumer whose server stops answering (two
   * missed heartbeats) is replaced by a new one from the next sequence.
   * A hole in the sequence means the log lost messages: ORDERER_LOG_GAP.
   */
  async *read(from: number, signal: AbortSignal): AsyncGenerator<LogMessage> {
    let next = from;
    while (!signal.aborted && !this.#nc.isClosed()) {
      let messages: ConsumerMessages;
      try {
        const consumer = await this.#js.consumers.get(this.stream, { opt_start_seq: next });
        messages = await consumer.consume({ max_messages: PULL_BATCH, expires: PULL_EXPIRES_MS });
      } catch {
        await sleep(RETRY_MS * 2, signal);
        continue;
      }
      const stop = () => void messages.stop();
      // An abort that came while the consumer was being made fired no listener.
      if (signal.aborted) stop();
      signal.addEventListener('abort', stop, { once: true });
      void watchHeartbeats(messages);
      try {
        for await (const m of messages) {
          // stop() lets buffered messages through; a reader told to stop takes none.
          if (signal.aborted) return;
          if (m.seq < next) continue;
          if (m.seq > next) {
            throw new OrdererError(
              'ORDERER_LOG_GAP',
              `stream ${this.stream} has no message ${next} (next is ${m.seq})`,
            );
          }
          yield {
            seq: m.seq,
            kind: this.#kindOf(m.subject),
            time: Math.floor(m.info.timestampNanos / 1e6),
            data: m.data,
          };
          next += 1;
        }
      } catch (err) {
        if (err instanceof OrdererError) throw err;
        // The consumer failed (server gone, consumer deleted): make a new one.
      } finally {
        signal.removeEventListener('abort', stop);
        messages.stop();
      }
    }
  }

  #kindOf(subject: string): LogKind | undefined {
    if (subject === this.#subjects.tx) return 'tx';
    if (subject === this.#subjects.ttc) return 'ttc';
    if (subject === this.#subjects.sig) return 'sig';
    return undefined;
  }

  async close(): Promise<void> {
    if (!this.#nc.isClosed()) await this.#nc.close().catch(() => {});
  }
}

/**
 * A connection to any of the servers, tried again until `deadline` (a
 * cluster started with us may not listen yet). Once connected it reconnects
 * forever; only this first wait is bounded, by trying rather than with
 * waitOnFirstConnect, whose attempts would go on after we gave up.
 */
async function connectBy(options: ChannelLogOptions, deadline: number): Promise<NatsConnection> {
  let lastError: unknown;
  do {
    try {
      return await connect({
        servers: [...options.servers],
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: Math.max(100, Math.min(2_000, deadline - Date.now())),
      });
    } catch (err) {
      lastError = err;
      await sleep(RETRY_MS * 2);
    }
  } while (Date.now() < deadline);
  throw unavailable(`no NATS server of ${options.servers.join(', ')} answered`, lastError);
}

/** Stops a consumer after two missed heartbeats: its server is gone and it would wait forever. */
async function watchHeartbeats(messages: ConsumerMessages): Promise<void> {
  for await (const s of messages.status()) {
    if (s.type === 'heartbeats_missed' && s.count >= 2) {
      messages.stop();
      return;
    }
  }
}

function unavailable(message: string, cause: unknown): OrdererError {
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return new OrdererError('ORDERER_LOG_UNAVAILABLE', `${message}${why}`, { cause });
}
