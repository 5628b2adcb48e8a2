/**
 * The full nodes a transport may ask and the order it asks them in. A node
 * that answers moves to the front, one that fails moves behind the others,
 * and one caught lying (blamed) is asked only after every node that was not.
 * Blamed nodes are never dropped: with one node left, or all of them blamed,
 * they are still asked, because verification guards every answer anyway and
 * a false alarm must not lock the client out.
 */
export interface NodeEntry<T> {
  readonly id: string;
  readonly target: T;
}

interface State<T> extends NodeEntry<T> {
  blamed: boolean;
}

export class NodeSet<T> {
  #nodes: State<T>[];

  constructor(entries: readonly NodeEntry<T>[]) {
    if (entries.length === 0) throw new RangeError('at least one full node is needed');
    const ids = new Set(entries.map((e) => e.id));
    if (ids.size !== entries.length) throw new RangeError('a full node is listed twice');
    this.#nodes = entries.map((e) => ({ ...e, blamed: false }));
  }

  /** The nodes to try for one call, best first. */
  order(): NodeEntry<T>[] {
    return [...this.#nodes.filter((n) => !n.blamed), ...this.#nodes.filter((n) => n.blamed)];
  }

  ids(): string[] {
    return this.order().map((n) => n.id);
  }

  isBlamed(id: string): boolean {
    return this.#find(id)?.blamed ?? false;
  }

  /** It answered: ask it first next time (among nodes of its standing). */
  succeeded(id: string): void {
    this.#move(id, 'front');
  }

  /** It could not be reached or timed out: ask the others first. */
  failed(id: string): void {
    this.#move(id, 'back');
  }

  /** It served something that failed verification. */
  blame(id: string): void {
    const n = this.#find(id);
    if (!n) return;
    n.blamed = true;
    this.#move(id, 'back');
  }

  #find(id: string): State<T> | undefined {
    return this.#nodes.find((n) => n.id === id);
  }

  #move(id: string, to: 'front' | 'back'): void {
    const i = this.#nodes.findIndex((n) => n.id === id);
    if (i < 0) return;
    const [n] = this.#nodes.splice(i, 1);
    if (to === 'front') this.#nodes.unshift(n!);
    else this.#nodes.push(n!);
  }
}
