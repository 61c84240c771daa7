// Fetch wrapper: JSON in/out, problem+json errors as ApiError, bearer auth with one automatic
// refresh (deduplicated: refresh tokens rotate and a reused one ends the session).
import { getLang } from '../i18n';
import { clearSession, getAccessToken, getRefreshToken, setSession, type TokenPair } from './session';

export const API = '/api/v1';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly retryAfter: number | null;

  constructor(status: number, code: string, detail: string, errors: FieldError[] = [], retryAfter: number | null = null) {
    super(detail || code);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }

  /** First error per field, as the server names the field. */
  fieldErrors(): Record<string, FieldError> {
    const out: Record<string, FieldError> = {};
    for (const e of this.errors) if (!(e.field in out)) out[e.field] = e;
    return out;
  }
}

export async function toApiError(res: Response): Promise<ApiError> {
  let p: { code?: string; detail?: string; errors?: FieldError[] } = {};
  try {
    p = await res.json();
  } catch {
    /* not JSON (a proxy's error page) */
  }
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError(
    res.status,
    p.code ?? `HTTP_${res.status}`,
    p.detail ?? res.statusText ?? '',
    Array.isArray(p.errors) ? p.errors : [],
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

let refreshing: Promise<boolean> | null = null;

/** Exchanges the stored refresh token for a new pair; false (and signed out) when refused. */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  const token = getRefreshToken();
  if (!token) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch(`${API}/auth/token/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: token }),
      });
      if (!res.ok) {
        // Only a definite "no" ends the session; a network or server hiccup does not.
        if (res.status === 401 || res.status === 400) clearSession();
        return false;
      }
      setSession((await res.json()) as TokenPair);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export interface FetchOpts {
  method?: string;
  body?: unknown;
  /** Sent as is (multipart uploads). */
  form?: FormData;
  /** Send the bearer token (default true). */
  auth?: boolean;
  query?: Record<string, string | number | boolean | undefined>;
}

function url(path: string, query?: FetchOpts['query']): string {
  const base = path.startsWith('/') ? path : `${API}/${path}`;
  const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
  return q.length ? `${base}?${new URLSearchParams(q.map(([k, v]) => [k, String(v)]))}` : base;
}

/** fetch with auth: refreshes first after a reload, and once more on 401 TOKEN_EXPIRED. */
export async function authFetch(path: string, o: FetchOpts = {}): Promise<Response> {
  const auth = o.auth ?? true;
  if (auth && !getAccessToken() && getRefreshToken()) await refreshSession();
  const send = () => {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang() };
    if (o.body !== undefined && !o.form) headers['Content-Type'] = 'application/json';
    const token = getAccessToken();
    if (auth && token) headers.Authorization = `Bearer ${token}`;
    return fetch(url(path, o.query), {
      method: o.method ?? 'GET',
      headers,
      body: o.form ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
    });
  };
  let res: Response;
  try {
    res = await send();
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (auth && res.status === 401) {
    const err = await toApiError(res.clone());
    if (err.code === 'TOKEN_EXPIRED' && (await refreshSession())) res = await send();
    else if (['SESSION_ENDED', 'TOKEN_EXPIRED', 'UNAUTHORIZED'].includes(err.code)) clearSession();
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
