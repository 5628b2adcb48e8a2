/**
 * libp2p 3 calls Promise.withResolvers (ES2024), which Node 20 lacks; every
 * browser the light client targets has it. Loaded before a libp2p host is
 * created; leaves a native implementation alone. (Node 20 apps must also
 * give @libp2p/websockets a global WebSocket, e.g. from the `ws` package,
 * or pass TCP as an extra transport: this package imports no Node modules.)
 */
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
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

export {};
