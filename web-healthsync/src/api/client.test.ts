import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from './client';
import { clearSession, getAccessToken, getRefreshToken, rememberState, setSession, takeState } from './session';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
  clearSession();
});

describe('api client', () => {
  it('turns problem+json into ApiError with code, field errors and Retry-After', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(422, { code: 'VALIDATION_FAILED', detail: 'bad', errors: [{ field: 'name', code: 'REQUIRED', message: 'required' }] })));
    const e = (await api('users/me/profile', { method: 'PUT', body: {} }).catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.fieldErrors().name.code).toBe('REQUIRED');
    vi.stubGlobal('fetch', vi.fn(async () => json(429, { code: 'RATE_LIMITED' }, { 'Retry-After': '30' })));
    expect(((await api('x').catch((x) => x)) as ApiError).retryAfter).toBe(30);
  });

  it('refreshes once on an expired token and retries with the new one', async () => {
    setSession({ accessToken: 'old', refreshToken: 'r1' });
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const auth = (init.headers as Record<string, string>).Authorization ?? '';
        calls.push(`${url} ${auth}`);
        if (url.endsWith('/auth/token/refresh')) return json(200, { accessToken: 'new', refreshToken: 'r2', expiresIn: 1800 });
        return auth === 'Bearer new' ? json(200, { ok: true }) : json(401, { code: 'TOKEN_EXPIRED' });
      }),
    );
    expect(await api('users/me')).toEqual({ ok: true });
    expect(calls).toEqual(['/api/v1/users/me Bearer old', '/api/v1/auth/token/refresh ', '/api/v1/users/me Bearer new']);
    expect(getAccessToken()).toBe('new');
    expect(getRefreshToken()).toBe('r2');
  });

  it('signs out on a refused refresh', async () => {
    setSession({ accessToken: 'old', refreshToken: 'r1' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (url.endsWith('/refresh') ? json(401, { code: 'REFRESH_TOKEN_REUSED' }) : json(401, { code: 'TOKEN_EXPIRED' }))),
    );
    await expect(api('users/me')).rejects.toBeInstanceOf(ApiError);
    expect(getRefreshToken()).toBeNull();
  });

  it('accepts a sign-in callback only for the state this tab started, once', () => {
    rememberState('abc');
    expect(takeState('other')).toBe(false);
    rememberState('abc');
    expect(takeState('abc')).toBe(true);
    expect(takeState('abc')).toBe(false);
  });
});
