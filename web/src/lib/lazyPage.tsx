import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { ErrorState, Loading } from '../components/ui';
import { reportOffline, useOnline } from './connection';

/** A screen loaded on demand. Unlike preact-iso's `lazy`, a failed download (offline) is not
 * remembered: the screen says so, and loads as soon as the server is reachable again —
 * instead of leaving the previous page on screen under the new address until a reload. */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const get = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (e) => {
        pending = undefined;
        throw e;
      },
    ));
  return function LazyPage(props: P) {
    const online = useOnline();
    const [, setDone] = useState(0);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      setFailed(false);
      get().then(
        () => live && setDone((n) => n + 1),
        () => {
          if (!live) return;
          setFailed(true);
          reportOffline();
        },
      );
      return () => {
        live = false;
      };
    }, [online, attempt]);
    if (loaded) {
      const C = loaded;
      return <C {...props} />;
    }
    return failed ? <ErrorState error={new ApiError(0, 'NETWORK', '')} onRetry={() => setAttempt((n) => n + 1)} /> : <Loading />;
  };
}
