// Base ports for the benchmarks' own networks (nodes at base+i, WebSockets
// +100, ops +2000, and for jetstream the NATS servers at +3000..+3202).
import { freeBasePort } from '../e2e/ports.js';

const NATS_OFFSETS = [3000, 3100, 3200].flatMap((o) => [o, o + 1, o + 2]);

/** A base port in [min, max) free for `nodes` nodes and, for jetstream, the NATS servers. */
export function benchBasePort(options: {
  orderer: 'solo' | 'jetstream';
  nodes: number;
  min: number;
  max: number;
}): Promise<number> {
  const { orderer, ...range } = options;
  return freeBasePort({ ...range, extra: orderer === 'jetstream' ? NATS_OFFSETS : [] });
}
