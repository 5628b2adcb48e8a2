import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { round } from './stats.js';

/** A process whose CPU time `weft bench e2e` measures (a node; pid undefined when not found). */
export interface Measured {
  name: string;
  roles: string[];
  pid: number | undefined;
}

/** utime + stime of `pid` (all its threads) in clock ticks, from /proc/<pid>/stat. */
async function processTicks(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields from 3 (state) on follow its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

async function clockTicksPerSecond(): Promise<number> {
  try {
    const { stdout } = await promisify(execFile)('getconf', ['CLK_TCK']);
    return Number(stdout.trim()) || 100;
  } catch {
    return 100;
  }
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * The pid of the process on this machine whose command line has `flag
 * FILE`: a `weft node start --config FILE` or `nats-server -c FILE` of a
 * network `weft up` started.
 */
export async function findPidByArg(flag: string, file: string): Promise<number | undefined> {
  const wanted = path.resolve(file);
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').then(
      (s) => s.split('\0'),
      () => [] as string[],
    );
    const at = argv.indexOf(flag);
    if (at >= 0 && argv[at + 1] && path.resolve(argv[at + 1]!) === wanted) return Number(entry);
  }
  return undefined;
}

/**
 * CPU time of each measured process and of this one (the load generator)
 * between start() and stop(), as cores used (CPU seconds per wall second)
 * and as a share of the whole machine; plus how busy the machine was.
 */
export async function startCpuSampling(measured: readonly Measured[]) {
  const hz = await clockTicksPerSecond();
  const before = await Promise.all(measured.map((m) => processTicks(m.pid)));
  const selfBefore = process.cpuUsage();
  const machineBefore = machineTimes();
  const t0 = performance.now();
  return {
    async stop() {
      const after = await Promise.all(measured.map((m) => processTicks(m.pid)));
      const self = process.cpuUsage(selfBefore);
      const machine = machineTimes();
      const wall = (performance.now() - t0) / 1000;
      const cores = os.cpus().length;
      const usage = (seconds: number | undefined) =>
        seconds === undefined
          ? { cpuSeconds: null, cores: null, machineShare: null }
          : {
              cpuSeconds: round(seconds, 2),
              cores: round(seconds / wall, 3),
              machineShare: round(seconds / (wall * cores), 3),
            };
      const busyShare = (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total);
      const selfSeconds = (self.user + self.system) / 1e6;
      const nodeSeconds = measured.map((_, i) => {
        const a = after[i];
        const b = before[i];
        return a === undefined || b === undefined ? undefined : (a - b) / hz;
      });
      const ours = selfSeconds + nodeSeconds.reduce<number>((s, x) => s + (x ?? 0), 0);
      return {
        wallSeconds: round(wall, 2),
        machine: {
          cores,
          busyShare: round(busyShare, 3),
          /** Cores busy with anything but the nodes and the load generator (others' work). */
          otherCores: round(Math.max(0, busyShare * cores - ours / wall), 3),
        },
        loadGenerator: usage(selfSeconds),
        nodes: measured.map((m, i) => ({
          name: m.name,
          roles: m.roles,
          pid: m.pid ?? null,
          ...usage(nodeSeconds[i]),
        })),
      };
    },
  };
}

/** The ordering service's processes: orderer nodes and the NATS servers of their log. */
export const isOrdering = (p: { roles: readonly string[] }): boolean =>
  p.roles.includes('orderer') || p.roles.includes('nats');

/** CPU seconds the measured processes `which` selects used together. */
export function cpuOf<P extends { roles: readonly string[]; cpuSeconds: number | null }>(
  usage: readonly P[],
  which: (p: P) => boolean,
): number {
  return usage.filter(which).reduce((sum, p) => sum + (p.cpuSeconds ?? 0), 0);
}
