import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms used so far by each thread of this process, by thread id (Linux /proc; empty elsewhere). */
export function threadCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name; utime and stime are the 14th and 15th of the line.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) * (1000 / 100));
    }
  } catch {
    // Not Linux: callers report no split.
  }
  return out;
}

export interface CpuSplit {
  /** The JavaScript main thread. */
  main: number;
  /** The `workers` busiest other threads: the worker pool, when it is the busiest. */
  workers: number;
  /** Everything else: V8 GC and compiler helpers, libuv, LevelDB's background threads. */
  other: number;
}

/**
 * CPU µs per unit of work between two `threadCpuMs()` snapshots, split so a
 * benchmark can say where the time goes beside the signatures. Node does not
 * name its worker threads, so the `workers` busiest non-main threads stand
 * for the pool.
 */
export function cpuSplitPerUnit(
  before: Map<string, number>,
  after: Map<string, number>,
  options: { units: number; workers: number },
): CpuSplit | undefined {
  if (after.size === 0 || options.units <= 0) return undefined;
  const main = String(process.pid);
  const used = (t: string) => (after.get(t) ?? 0) - (before.get(t) ?? 0);
  const others = [...after.keys()].filter((t) => t !== main).sort((a, b) => used(b) - used(a));
  const micros = (tids: string[]) =>
    Number(((tids.reduce((a, t) => a + used(t), 0) * 1000) / options.units).toFixed(1));
  return {
    main: micros([main]),
    workers: micros(others.slice(0, options.workers)),
    other: micros(others.slice(options.workers)),
  };
}
