import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError, type ShownError } from './errors.js';

export interface AsyncState<T> {
  loading: boolean;
  value?: T;
  error?: ShownError;
}

/**
 * Runs `load` when `deps` change (and on reload()), keeping the latest
 * result: a slow answer for an older input never overwrites a newer one.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loadRef.current(abort.signal).then(
      (value) => {
        if (!abort.signal.aborted) setState({ loading: false, value });
      },
      (err) => {
        if (!abort.signal.aborted) setState({ loading: false, error: describeError(err) });
      },
    );
    return () => abort.abort();
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** A button action's running and error state: run(fn) ignores clicks while one runs. */
export function useAction(): {
  running: boolean;
  error?: ShownError;
  run: (fn: () => Promise<void>) => Promise<void>;
} {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ShownError | undefined>();
  const busy = useRef(false);
  const run = useCallback(async (fn: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(describeError(err));
    } finally {
      busy.current = false;
      setRunning(false);
    }
  }, []);
  return { running, error, run };
}
