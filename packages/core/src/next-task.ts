/**
 * A scheduler for the next macrotask: setImmediate in Node, a message to
 * itself in a browser or worker (setTimeout would be clamped to 4 ms).
 * Batching pools flush a partial batch on it.
 */
export function nextTask(): (fn: () => void) => void {
  if (typeof globalThis.setImmediate === 'function') return (fn) => globalThis.setImmediate(fn);
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}
