// Whether the server can be reached. A failed request (or the browser's `offline` event) marks
// the app offline; it then asks `/health/live` every few seconds and marks it online again as
// soon as the server answers, so pages and on-demand screens recover without a reload.
import { useEffect, useState } from 'preact/hooks';

const PROBE_MS = 2_000;
let online = true;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(online: boolean) => void>();

function set(v: boolean) {
  if (v === online) return;
  online = v;
  for (const l of listeners) l(v);
}

export function isOnline(): boolean {
  return online;
}

async function probe() {
  timer = undefined;
  try {
    const r = await fetch('/health/live', { cache: 'no-store' });
    if (r.ok) return set(true);
  } catch {
    /* still unreachable */
  }
  if (!online) timer = setTimeout(() => void probe(), PROBE_MS);
}

/** A request failed at the network level: show the banner and start asking the server. */
export function reportOffline() {
  set(false);
  if (!timer) timer = setTimeout(() => void probe(), PROBE_MS);
}

/** A request got an answer: the server is reachable. */
export function reportOnline() {
  if (timer) clearTimeout(timer);
  timer = undefined;
  set(true);
}

export function subscribeConnection(fn: (online: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function useOnline(): boolean {
  const [v, setV] = useState(online);
  useEffect(() => subscribeConnection(setV), []);
  return v;
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => reportOffline());
  window.addEventListener('online', () => {
    if (timer) clearTimeout(timer);
    void probe();
  });
}
