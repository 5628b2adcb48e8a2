import { useEffect, useState } from 'preact/hooks';

/**
 * A value that components follow: set() notifies every subscriber. The
 * app's services (connection, wallet, audit) each hold one and the views
 * read it with useObservable, so no state library is needed.
 */
export class Observable<T> {
  #value: T;
  readonly #listeners = new Set<(value: T) => void>();

  constructor(value: T) {
    this.#value = value;
  }

  get value(): T {
    return this.#value;
  }

  set(value: T): void {
    this.#value = value;
    for (const listener of [...this.#listeners]) listener(value);
  }

  update(change: (current: T) => T): void {
    this.set(change(this.#value));
  }

  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The observable's current value; the component renders again when it changes. */
export function useObservable<T>(o: Observable<T>): T {
  const [value, setValue] = useState(o.value);
  useEffect(() => {
    setValue(o.value);
    return o.subscribe(setValue);
  }, [o]);
  return value;
}
