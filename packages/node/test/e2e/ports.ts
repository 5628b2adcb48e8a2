// Test networks listen on base+i (TCP), base+100+i (WebSockets) and
// base+2000+i (ops). Test files run two at a time, so a random base can
// collide with another file's network: probe every port first (and any
// further ports a network uses above its base, such as jetstream's NATS ports).
import net from 'node:net';

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * A base port in [min, max) whose `nodes` ports at +0, +100 and +2000, and
 * base + each of `extra`, are all free now.
 */
export async function freeBasePort(options: {
  nodes: number;
  min: number;
  max: number;
  /** Further offsets from the base the network listens on. */
  extra?: readonly number[];
}): Promise<number> {
  const { nodes, min, max, extra = [] } = options;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = min + Math.floor(Math.random() * ((max - min) / 10)) * 10;
    const ports = Array.from({ length: nodes }, (_, i) => [
      base + i,
      base + 100 + i,
      base + 2000 + i,
    ]).flat();
    ports.push(...extra.map((offset) => base + offset));
    const ok = await Promise.all(ports.map(free));
    if (ok.every(Boolean)) return base;
  }
  throw new Error(`no free base port in [${min}, ${max})`);
}
