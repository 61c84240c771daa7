import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useOnline } from './connection';

export interface AsyncState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `fn` when `deps` change; exposes loading/error/data and a reload. A load that failed
 * because the server was unreachable runs again by itself once it is back. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [n, setN] = useState(0);
  const [s, set] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  useEffect(() => {
    let live = true;
    set((p) => ({ ...p, loading: true, error: undefined }));
    fn().then(
      (data) => live && set({ data, loading: false }),
      (error) => live && set({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  const online = useOnline();
  useEffect(() => {
    if (online && s.error instanceof ApiError && s.error.code === 'NETWORK') reload();
  }, [online]);
  return { ...s, reload };
}
