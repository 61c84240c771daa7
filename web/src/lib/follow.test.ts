import { afterEach, expect, it, vi } from 'vitest';
import { followGeneration } from './follow';
import { setSession } from '../api/session';

afterEach(() => vi.unstubAllGlobals());
const job = (status: string, progress: number) => ({ requestId: 'r', kind: 'k', status, progress, attempts: 1, maxAttempts: 3, deadLettered: false, createdAt: '', result: null });

it('falls back to polling when the event stream is unavailable', async () => {
  setSession({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 1, refreshExpiresIn: 1, user: { id: 'u', username: 'u', name: 'u', email: 'e', phone: 'p', role: 'user', createdAt: '' } });
  const answers = [job('running', 40), job('completed', 100)];
  const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
    if (url.endsWith('/events')) return new Response('nope', { status: 502 });
    return new Response(JSON.stringify(answers.shift()), { status: 200 });
  });
  vi.stubGlobal('fetch', fetchMock);
  const seen: number[] = [];
  const last = await followGeneration('t', 'r', (s) => seen.push(s.progress), new AbortController().signal, { pollMs: 1 });
  expect(last?.status).toBe('completed');
  expect(seen).toEqual([40, 100]);
  expect((fetchMock.mock.calls[0][1]!.headers as Record<string, string>).Authorization).toBe('Bearer a');
});
