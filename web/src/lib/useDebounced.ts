import { useEffect, useState } from 'preact/hooks';

export type Check<T> = { state: 'idle' } | { state: 'checking' } | { state: 'done'; value: T } | { state: 'error' };

/** Runs `fn(value)` `delay` ms after `value` stops changing (when `enabled`); aborts stale runs. */
export function useDebouncedCheck<T>(
  value: string,
  enabled: boolean,
  fn: (v: string, signal: AbortSignal) => Promise<T>,
  delay = 400,
): Check<T> {
  const [res, set] = useState<Check<T>>({ state: 'idle' });
  useEffect(() => {
    if (!enabled) {
      set({ state: 'idle' });
      return;
    }
    const ctl = new AbortController();
    set({ state: 'checking' });
    const timer = setTimeout(() => {
      fn(value, ctl.signal).then(
        (v) => !ctl.signal.aborted && set({ state: 'done', value: v }),
        () => !ctl.signal.aborted && set({ state: 'error' }),
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [value, enabled]);
  return res;
}
