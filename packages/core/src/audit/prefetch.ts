/**
 * `fetch(0) .. fetch(count - 1)` yielded in order with up to `depth`
 * requests in flight, so an auditor downloads ahead of its replay without
 * holding more than `depth` blocks. A failure surfaces when its turn comes.
 */
export async function* prefetchInOrder<T>(
  count: number,
  depth: number,
  fetch: (n: number) => Promise<T>,
): AsyncGenerator<T> {
  const window: Promise<T>[] = [];
  let next = 0;
  const fill = () => {
    while (next < count && window.length < Math.max(1, depth)) {
      const p = fetch(next++);
      // Awaited in turn below; until then a failure must not count as unhandled.
      p.catch(() => {});
      window.push(p);
    }
  };
  fill();
  while (window.length > 0) {
    const item = await window.shift()!;
    fill();
    yield item;
  }
}
