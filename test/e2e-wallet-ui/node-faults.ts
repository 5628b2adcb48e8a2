// Faults a real network meets, made on `weft up`'s node processes: an
// orderer that stalls (SIGSTOP, then SIGCONT), a peer that goes down, and
// a peer restarted with the node's test-only switch
// WEFT_FAULT_ATTEST_WRONG_CODES (packages/node/src/gossip/test-faults.ts):
// it commits correctly but gossips attestations of wrong codes.
import path from 'node:path';
import type { DevNode } from '../../packages/node/src/up/dev-network.js';
import {
  startNodeProcess,
  stopNodeProcess,
  waitHealthy,
} from '../../packages/node/src/up/supervisor.js';
import type { RunningNetwork } from '../../packages/node/src/up/up.js';

const FAULT_ENV = 'WEFT_FAULT_ATTEST_WRONG_CODES';

export class NodeFaults {
  readonly #net: RunningNetwork;
  readonly #logDir: string;

  constructor(net: RunningNetwork, dir: string) {
    this.#net = net;
    this.#logDir = path.join(path.resolve(dir), 'logs');
  }

  /** The first node with `role` (other than `not`), or the one listening on the WebSocket multiaddr `ws`. */
  node(which: { role: 'orderer' | 'peer'; not?: DevNode } | { ws: string }): DevNode {
    const found = this.#net.prepared.nodes.find((n) =>
      'ws' in which ? n.ws === which.ws : n.roles.includes(which.role) && n !== which.not,
    );
    if (!found) throw new Error(`no node ${JSON.stringify(which)} in the dev network`);
    return found;
  }

  /** The org whose member the node is (its identity is <material>/orgs/<org>/<member>). */
  orgOf(node: DevNode): string {
    return path.basename(path.dirname(node.config.identity));
  }

  /** Freezes (true) or resumes (false) a node's process, as a stalled machine would. */
  pause(node: DevNode, paused: boolean): void {
    const proc = this.#process(node);
    if (!proc.child.kill(paused ? 'SIGSTOP' : 'SIGCONT')) {
      throw new Error(`could not signal ${node.name}`);
    }
  }

  async stop(node: DevNode): Promise<void> {
    await stopNodeProcess(this.#process(node));
  }

  /**
   * Starts a stopped node again (the same config, data and address), with
   * WEFT_FAULT_ATTEST_WRONG_CODES=1 when `attestWrongCodes`, and waits until
   * it is healthy and knows the other nodes.
   */
  async restart(node: DevNode, options: { attestWrongCodes?: boolean } = {}): Promise<void> {
    const i = this.#net.processes.findIndex((p) => p.name === node.name);
    const peers = this.#net.prepared.nodes.filter((n) => n !== node && n.roles.includes('peer'));
    const heardBefore = await Promise.all(peers.map((p) => heardAlive(p)));
    // startNodeProcess passes this process's environment to the child it spawns.
    if (options.attestWrongCodes) process.env[FAULT_ENV] = '1';
    try {
      // Replaced in place: the network's stop() stops what the array holds.
      this.#net.processes[i] = await startNodeProcess({
        name: node.name,
        configFile: node.configFile,
        logDir: this.#logDir,
      });
    } finally {
      delete process.env[FAULT_ENV];
    }
    const others = this.#net.prepared.nodes.length - 1;
    await waitHealthy(
      node.opsUrl,
      this.#net.processes[i]!,
      60_000,
      (h) => (h.knownNodes ?? 0) >= others,
    );
    // What it gossips reaches the other peers (its attestations travel the same way) once
    // they hear its announcements: until then a published attestation could be lost.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const heard = await Promise.all(peers.map((p) => heardAlive(p)));
      if (heard.every((n, j) => n > heardBefore[j]!)) return;
      if (Date.now() > deadline) throw new Error(`no peer hears ${node.name}'s gossip`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  #process(node: DevNode) {
    const proc = this.#net.processes.find((p) => p.name === node.name);
    if (!proc) throw new Error(`no process for ${node.name}`);
    return proc;
  }
}

/** Gossip announcements (alive) a node accepted so far, from its metrics. */
async function heardAlive(node: DevNode): Promise<number> {
  const res = await fetch(`${node.opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  let total = 0;
  for (const line of (await res.text()).split('\n')) {
    if (!line.startsWith('weft_gossip_messages_total{')) continue;
    if (!/direction="in"/.test(line) || !/type="alive"/.test(line)) continue;
    if (/verdict="accept"/.test(line)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
