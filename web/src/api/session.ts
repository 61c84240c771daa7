// Session state: the access token lives only in memory (never in storage, so an XSS bug
// cannot read it back after a reload); the refresh token lives in sessionStorage, per tab,
// gone when the tab closes. An httpOnly, SameSite=Strict refresh cookie would be better
// (script could not read it at all) once the backend supports it: see docs/web.md.
import type { Profile, TokenResponse } from './types';

const REFRESH_KEY = 'tripgen.refreshToken';

let accessToken: string | null = null;
let user: Profile | null = null;
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

export function subscribeSession(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getUser(): Profile | null {
  return user;
}

export function setUser(p: Profile) {
  user = p;
  emit();
}

export function getRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

export function hasSession(): boolean {
  return accessToken !== null || getRefreshToken() !== null;
}

export function setSession(t: TokenResponse) {
  accessToken = t.accessToken;
  user = t.user;
  try {
    sessionStorage.setItem(REFRESH_KEY, t.refreshToken);
  } catch {
    /* storage disabled: the session lasts as long as the page */
  }
  emit();
}

export function clearSession() {
  accessToken = null;
  user = null;
  try {
    sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    /* ignore */
  }
  emit();
}
