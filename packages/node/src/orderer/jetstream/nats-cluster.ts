import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { sleep } from '../../util/sleep.js';
import { OrdererError } from '../errors.js';
import { ensureNatsServer } from './nats-install.js';

/** One server of the cluster: where it listens and keeps its JetStream files. */
export interface NatsServerSpec {
  name: string;
  clientPort: number;
  clusterPort: number;
  /** Monitoring (/healthz), used to wait until JetStream is ready. */
  httpPort: number;
  storeDir: string;
}

export interface NatsClusterOptions {
  /** Config files, logs and JetStream stores go under it (one subdirectory per server). */
  dir: string;
  /** Servers (default 3: JetStream's Raft needs a majority, so 3 survive one loss). */
  size?: number;
  host?: string;
  /** Fixed ports per server; default free ones picked now (kept across restarts). */
  ports?: readonly { client: number; cluster: number; http: number }[];
  /** Default: ensureNatsServer(). */
  binary?: string;
  clusterName?: string;
  /** How long start/restart wait for /healthz (default 30 s). */
  readyTimeoutMs?: number;
}

/** A port the OS says is free right now (bound on port 0, then released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Servers of every cluster in this process, killed when it exits so none outlives it. */
const children = new Set<ChildProcess>();
let exitHook = false;

function track(child: ChildProcess): void {
  if (!exitHook) {
    exitHook = true;
    // 'exit' handlers run synchronously, also after process.exit(): kill() is.
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** nats-server's config format; JSON strings are valid quoted strings in it. */
function configText(
  spec: NatsServerSpec,
  all: readonly NatsServerSpec[],
  o: Required<Pick<NatsClusterOptions, 'host' | 'clusterName'>>,
): string {
  const q = JSON.stringify;
  const routes = all
    .filter((s) => s !== spec)
    .map((s) => q(`nats-route://${o.host}:${s.clusterPort}`));
  return [
    `server_name: ${q(spec.name)}`,
    `listen: ${q(`${o.host}:${spec.clientPort}`)}`,
    `http: ${q(`${o.host}:${spec.httpPort}`)}`,
    `jetstream { store_dir: ${q(spec.storeDir)} }`,
    `cluster { name: ${q(o.clusterName)}, listen: ${q(`${o.host}:${spec.clusterPort}`)}, routes: [${routes.join(', ')}] }`,
    '',
  ].join('\n');
}

/**
 * A NATS cluster with JetStream as child processes: the replicated log of
 * jetstream ordering, for tests and `weft up`. Servers can be killed and
 * restarted one at a time (same ports, same store) to exercise failover.
 */
export class NatsCluster {
  readonly specs: readonly NatsServerSpec[];
  readonly #binary: string;
  readonly #host: string;
  readonly #dir: string;
  readonly #readyMs: number;
  readonly #procs: ({ child: ChildProcess; closed: Promise<void> } | undefined)[];

  private constructor(init: {
    specs: NatsServerSpec[];
    binary: string;
    host: string;
    dir: string;
    readyMs: number;
  }) {
    this.specs = init.specs;
    this.#binary = init.binary;
    this.#host = init.host;
    this.#dir = init.dir;
    this.#readyMs = init.readyMs;
    this.#procs = init.specs.map(() => undefined);
  }

  static async start(options: NatsClusterOptions): Promise<NatsCluster> {
    const size = options.size ?? 3;
    const host = options.host ?? '127.0.0.1';
    const clusterName = options.clusterName ?? 'weft';
    const binary = options.binary ?? ensureNatsServer();
    const specs: NatsServerSpec[] = [];
    for (let i = 0; i < size; i++) {
      const fixed = options.ports?.[i];
      specs.push({
        name: `nats-${i + 1}`,
        clientPort: fixed?.client ?? (await freePort(host)),
        clusterPort: fixed?.cluster ?? (await freePort(host)),
        httpPort: fixed?.http ?? (await freePort(host)),
        storeDir: path.join(options.dir, `nats-${i + 1}`, 'jetstream'),
      });
    }
    for (const spec of specs) {
      await mkdir(spec.storeDir, { recursive: true });
      const file = path.join(options.dir, spec.name, 'nats.conf');
      await writeFile(file, configText(spec, specs, { host, clusterName }));
    }
    const cluster = new NatsCluster({
      specs,
      binary,
      host,
      dir: options.dir,
      readyMs: options.readyTimeoutMs ?? 30_000,
    });
    try {
      for (let i = 0; i < size; i++) cluster.#spawn(i);
      await Promise.all(specs.map((_, i) => cluster.#waitReady(i)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Client URLs of every server (what a channel config's jetstream.servers lists). */
  get servers(): string[] {
    return this.specs.map((s) => `nats://${this.#host}:${s.clientPort}`);
  }

  /** The process id of server `i` while it runs (for CPU accounting). */
  pid(i: number): number | undefined {
    return this.running(i) ? this.#procs[i]?.child.pid : undefined;
  }

  running(i: number): boolean {
    const child = this.#procs[i]?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Kills server `i` (SIGKILL by default: a crash, not a clean shutdown); resolves once it is gone. */
  async kill(i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.#procs[i];
    if (!proc) return;
    if (this.running(i)) proc.child.kill(signal);
    await proc.closed;
  }

  /** Starts server `i` again on its ports and store, and waits until it is ready. */
  async restart(i: number): Promise<void> {
    if (this.running(i)) return;
    this.#spawn(i);
    await this.#waitReady(i);
  }

  /** Stops every server (SIGTERM: JetStream flushes its stores), SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    await Promise.all(
      this.#procs.map(async (proc, i) => {
        if (!proc) return;
        const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
        await this.kill(i, 'SIGTERM');
        clearTimeout(timer);
      }),
    );
  }

  #spawn(i: number): void {
    const spec = this.specs[i] as NatsServerSpec;
    const dir = path.join(this.#dir, spec.name);
    const log = createWriteStream(path.join(dir, 'nats.log'), { flags: 'a' });
    const child = spawn(this.#binary, ['-c', path.join(dir, 'nats.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    track(child);
    child.on('error', () => {
      // Reported by #waitReady as a server that never became ready.
    });
    // 'close' comes after the output pipes drained: only then may the log end.
    const closed = new Promise<void>((resolve) => {
      child.once('close', () => log.end(resolve));
    });
    this.#procs[i] = { child, closed };
  }

  /** Until /healthz says JetStream is up on server `i` (it answers 503 while catching up). */
  async #waitReady(i: number): Promise<void> {
    const spec = this.specs[i] as NatsServerSpec;
    const deadline = Date.now() + this.#readyMs;
    const url = `http://${this.#host}:${spec.httpPort}/healthz`;
    while (Date.now() < deadline) {
      if (!this.running(i)) break;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    const log = path.join(this.#dir, spec.name, 'nats.log');
    const tail = (await readFile(log, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-3);
    throw new OrdererError(
      'ORDERER_LOG_UNAVAILABLE',
      `${spec.name} did not become ready (${this.running(i) ? 'no healthy answer' : 'exited'}); ${log} ends:\n${tail.join('\n')}`,
    );
  }
}
