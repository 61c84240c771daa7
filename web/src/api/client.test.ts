import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api } from './client';
import { clearSession, getAccessToken, getRefreshToken, setSession } from './session';
import { getLang, setLang } from '../i18n';

const problem = (status: number, code: string, errors: unknown[] = []) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'x', status, detail: `${code} detail`, code, errors }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const user = { id: 'u', username: 'kimtest', name: 'Kim', email: 'k@example.com', phone: '010', role: 'user', createdAt: '' };
const tokens = (n: number) => ({ accessToken: `a${n}`, refreshToken: `r${n}`, tokenType: 'Bearer', expiresIn: 1800, refreshExpiresIn: 1, user });

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  clearSession();
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('turns problem+json into ApiError with field errors', async () => {
    fetchMock.mockResolvedValueOnce(
      problem(422, 'VALIDATION_FAILED', [
        { field: 'email', code: 'INVALID_FORMAT', message: 'bad' },
        { field: 'password', code: 'TOO_SHORT', message: 'short' },
        { field: 'password', code: 'MISSING_DIGIT', message: 'digit' },
      ]),
    );
    const err = (await api('users/register', { method: 'POST', body: {}, auth: false }).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.status).toBe(422);
    expect(Object.keys(err.fieldErrors())).toEqual(['email', 'password']);
    expect(err.fieldErrors().password.code).toBe('TOO_SHORT');
  });

  it('refreshes once on 401 TOKEN_EXPIRED and retries with the new token', async () => {
    setSession(tokens(1));
    fetchMock
      .mockResolvedValueOnce(problem(401, 'TOKEN_EXPIRED'))
      .mockResolvedValueOnce(json(tokens(2)))
      .mockResolvedValueOnce(json({ ok: true }));
    await expect(api('trips/summary')).resolves.toEqual({ ok: true });
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe('Bearer a1');
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/users/token/refresh');
    expect(JSON.parse(fetchMock.mock.calls[1][1].body)).toEqual({ refreshToken: 'r1' });
    expect(fetchMock.mock.calls[2][1].headers.Authorization).toBe('Bearer a2');
    expect(getRefreshToken()).toBe('r2');
  });

  it('shares one refresh between concurrent requests (refresh tokens rotate)', async () => {
    setSession(tokens(1));
    let refreshes = 0;
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      if (url.endsWith('/token/refresh')) {
        refreshes++;
        return json(tokens(2));
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer a1' ? problem(401, 'TOKEN_EXPIRED') : json({ ok: true });
    });
    await Promise.all([api('a'), api('b'), api('c')]);
    expect(refreshes).toBe(1);
  });

  it('signs out when the refresh token is rejected', async () => {
    setSession(tokens(1));
    fetchMock.mockResolvedValueOnce(problem(401, 'TOKEN_EXPIRED')).mockResolvedValueOnce(problem(401, 'INVALID_REFRESH_TOKEN'));
    await expect(api('trips/summary')).rejects.toMatchObject({ status: 401 });
    expect(getAccessToken()).toBeNull();
    expect(getRefreshToken()).toBeNull();
  });

  it('after a reload (refresh token only) gets an access token first', async () => {
    sessionStorage.setItem('tripgen.refreshToken', 'r9');
    fetchMock.mockResolvedValueOnce(json(tokens(10))).mockResolvedValueOnce(json([]));
    await api('trips');
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/users/token/refresh');
    expect(fetchMock.mock.calls[1][1].headers.Authorization).toBe('Bearer a10');
    expect(localStorage.length).toBe(0);
  });

  it('reports network failures as NETWORK', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api('x', { auth: false })).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('asks for texts in the UI language, and follows a switch on the next request', async () => {
    const before = getLang();
    fetchMock.mockImplementation(async () => json({ ok: true }));
    try {
      setLang('ko');
      await api('trips/t/schedules', { auth: false });
      expect(fetchMock.mock.calls[0][1].headers['Accept-Language']).toBe('ko');
      setLang('en');
      await api('trips/t/schedules', { auth: false });
      expect(fetchMock.mock.calls[1][1].headers['Accept-Language']).toBe('en');
    } finally {
      setLang(before);
      localStorage.removeItem('tripgen.lang');
    }
  });
});
