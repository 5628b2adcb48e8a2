import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

/** Starts `weft node start --config FILE` as its own process, its output in `logFile`. */
export async function startNodeProcess(options: {
  name: string;
  configFile: string;
  logDir: string;
}): Promise<NodeProcess> {
  await mkdir(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--import', TSX, MAIN, 'node', 'start', '--config', options.configFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name: options.name, child, logFile, exited };
}

/** Polls `url` (/healthz) until it answers 200, the process exits, or `timeoutMs` passes. */
export async function waitHealthy(
  url: string,
  proc: NodeProcess,
  timeoutMs = 60_000,
  accept: (health: { knownNodes?: number }) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.name} exited; see ${proc.logFile}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok && accept((await res.json()) as { knownNodes?: number })) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} not healthy after ${timeoutMs} ms; see ${proc.logFile}`);
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopNodeProcess(proc: NodeProcess, graceMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}
