// Server-sent events over fetch: EventSource cannot send an Authorization header and the
// events endpoint accepts only a bearer token, so we read the stream ourselves.
import { authFetch, toApiError } from './client';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Incremental text/event-stream parser (WHATWG rules for the fields we use). */
export class SseParser {
  private buf = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  push(chunk: string) {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buf.slice(0, nl);
      const sep = this.buf[nl] === '\r' && this.buf[nl + 1] === '\n' ? 2 : 1;
      // A lone trailing \r might be the first half of \r\n: wait for more.
      if (this.buf[nl] === '\r' && nl + 1 === this.buf.length) break;
      this.buf = this.buf.slice(nl + sep);
      this.line(line);
    }
  }

  private line(line: string) {
    if (line === '') {
      if (this.data.length) this.onEvent({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
  }
}

/** Streams events until the server closes the stream or `signal` aborts. */
export async function streamEvents(
  path: string,
  onEvent: (e: SseEvent) => void,
  signal: AbortSignal,
  lastEventId?: string,
): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const res = await authFetch(path, { signal, headers });
  if (!res.ok) throw await toApiError(res);
  if (!res.body) throw new Error('streaming not supported');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.push(value);
  }
}
