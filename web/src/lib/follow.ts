// Follows a generation job: server-sent events read over fetch (with the bearer token),
// falling back to polling the status endpoint every second if streaming fails.
import { ApiError } from '../api/client';
import { trips } from '../api/endpoints';
import { streamEvents } from '../api/sse';
import type { JobStatus } from '../api/types';

export const FINAL = ['completed', 'failed', 'cancelled'];

export async function followGeneration(
  tripId: string,
  rid: string,
  onStatus: (s: JobStatus) => void,
  signal: AbortSignal,
  opts: { sse?: boolean; pollMs?: number } = {},
): Promise<JobStatus | undefined> {
  let last: JobStatus | undefined;
  let lastId: string | undefined;
  const seen = (s: JobStatus) => {
    last = s;
    onStatus(s);
  };
  if (opts.sse !== false) {
    try {
      const path = `/api/v1/trips/${encodeURIComponent(tripId)}/schedules/generate/${encodeURIComponent(rid)}/events`;
      await streamEvents(
        path,
        (e) => {
          if (e.event !== 'status') return;
          lastId = e.id;
          try {
            seen(JSON.parse(e.data) as JobStatus);
          } catch {
            /* ignore a malformed event */
          }
        },
        signal,
        lastId,
      );
      if (last && FINAL.includes(last.status)) return last;
    } catch (e) {
      if (signal.aborted) return last;
      // A 404 means the job is gone: polling will not help either.
      if (e instanceof ApiError && e.status === 404) throw e;
    }
  }
  // Polling fallback.
  const pollMs = opts.pollMs ?? 1000;
  while (!signal.aborted) {
    const s = await trips.generation(tripId, rid, signal);
    seen(s);
    if (FINAL.includes(s.status)) return s;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return last;
}
