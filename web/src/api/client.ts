// Fetch wrapper: JSON in/out, problem+json errors as ApiError, bearer auth with one
// automatic refresh (deduplicated: refresh tokens rotate and reuse ends the session).
import type { FieldError, Problem, TokenResponse } from './types';
import { clearSession, getAccessToken, getRefreshToken, setSession } from './session';
import { getLang } from '../i18n';
import { reportOffline, reportOnline } from '../lib/connection';

export const API = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** The problem's machine-readable `extra` (e.g. the rejected day of an edit). */
  readonly extra: unknown;

  constructor(status: number, code: string, detail: string, errors: FieldError[] = [], extra?: unknown) {
    super(detail || code);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.extra = extra;
  }

  /** First error per field (`field` as the server names it, e.g. `destinations[0].nights`). */
  fieldErrors(): Record<string, FieldError> {
    const out: Record<string, FieldError> = {};
    for (const e of this.errors) if (!(e.field in out)) out[e.field] = e;
    return out;
  }
}

export async function toApiError(res: Response): Promise<ApiError> {
  let p: Partial<Problem> = {};
  try {
    p = (await res.json()) as Problem;
  } catch {
    /* not JSON (proxy error page …) */
  }
  return new ApiError(
    res.status,
    p.code ?? `HTTP_${res.status}`,
    p.detail ?? res.statusText ?? '',
    Array.isArray(p.errors) ? p.errors : [],
    p.extra ?? undefined,
  );
}

let refreshing: Promise<boolean> | null = null;

/** Exchanges the stored refresh token for a new pair; false (and signed out) if it fails. */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  if (!getRefreshToken()) return Promise.resolve(false);
  refreshing = exclusive(async () => {
    // Read inside the lock: another tab of a kept session may have just rotated it.
    const token = getRefreshToken();
    if (!token) return false;
    try {
      const res = await fetch(`${API}/users/token/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: token }),
      });
      if (!res.ok) {
        // Only a definite "no" ends the session; a network or server hiccup does not.
        if (res.status === 401 || res.status === 400) clearSession();
        return false;
      }
      setSession((await res.json()) as TokenResponse);
      return true;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Runs `f` while no other tab of this site refreshes (a kept refresh token is shared by all
 * tabs, rotates on use, and a reused one ends the session). Without the Web Locks API, as is. */
function exclusive<T>(f: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks ? (locks.request('tripgen.refresh', f) as Promise<T>) : f();
}

export interface FetchOpts {
  method?: string;
  body?: unknown;
  /** Sent as is (multipart uploads); `body` is ignored then. */
  form?: FormData;
  /** Send the bearer token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** fetch with auth: refreshes first after a reload, and once more on 401 TOKEN_EXPIRED. */
export async function authFetch(path: string, o: FetchOpts = {}): Promise<Response> {
  const auth = o.auth ?? true;
  if (auth && !getAccessToken() && getRefreshToken()) await refreshSession();
  const send = () => {
    // The server renders traveller-facing texts (reasons, warnings, tips) in this language.
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang(), ...o.headers };
    if (o.body !== undefined && !o.form) headers['Content-Type'] = 'application/json';
    const token = getAccessToken();
    if (auth && token) headers.Authorization = `Bearer ${token}`;
    return fetch(path.startsWith('/') ? path : `${API}/${path}`, {
      method: o.method ?? 'GET',
      headers,
      body: o.form ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
      signal: o.signal,
    });
  };
  let res: Response;
  try {
    res = await send();
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    reportOffline();
    throw new ApiError(0, 'NETWORK', 'network error');
  }
  reportOnline();
  if (auth && res.status === 401) {
    const err = await toApiError(res.clone());
    if (err.code === 'TOKEN_EXPIRED' && (await refreshSession())) {
      res = await send();
    } else if (err.code === 'SESSION_ENDED' || err.code === 'TOKEN_EXPIRED') {
      clearSession();
    }
  }
  return res;
}

/** JSON request; throws ApiError for any non-2xx answer. `path` is relative to /api/v1. */
export async function api<T>(path: string, o: FetchOpts = {}): Promise<T> {
  const res = await authFetch(path, o);
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
