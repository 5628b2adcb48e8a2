/**
 * Installs Promise.withResolvers (ES2024) where it is missing: libp2p 3
 * calls it, and Node 20 lacks it (every browser the light client targets
 * has it). Idempotent; leaves a native implementation alone. A function, not
 * a side effect of importing, so core stays free of side effects: the node's
 * and the light client's polyfill modules call it before libp2p loads.
 */
export function installPromiseWithResolvers(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
