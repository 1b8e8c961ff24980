import { useCallback, useEffect, useState } from 'react';

/** An API answer a screen shows: the data once loaded, or why it failed; `reload` fetches again. */
export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** Loads `load()` on mount and on `reload()`; the latest answer wins. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger; `load` is read fresh each round.
  useEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
      },
      (caught: unknown) => {
        if (current) setError(caught instanceof Error ? caught.message : String(caught));
      },
    );
    return () => {
      current = false;
    };
  }, [round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload };
}
