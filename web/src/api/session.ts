// Session state. The access token lives only in memory (never in storage: an XSS bug cannot
// read it back, and it vanishes with the page). Where the refresh token lives depends on
// "Keep me signed in" (docs/web.md, Auth tokens):
// * unticked: sessionStorage — this tab only, gone when it closes; a new tab asks to sign in;
// * ticked: localStorage — every tab of this site and browser restarts share it, for as long
//   as the server's remember-me lifetime. The page runs under a strict Content-Security-Policy
//   (only the app's own scripts), refresh tokens rotate on every use and a reused one ends the
//   session, and refreshes from several tabs are serialised (navigator.locks).
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

function read(s: () => Storage): string | null {
  try {
    return s().getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function remove(s: () => Storage) {
  try {
    s().removeItem(REFRESH_KEY);
  } catch {
    /* storage disabled */
  }
}

/** The tab's own token first, then a kept ("keep me signed in") one. */
export function getRefreshToken(): string | null {
  return read(() => sessionStorage) ?? read(() => localStorage);
}

/** Whether this session was started with "keep me signed in" (its token is kept). */
export function isRemembered(): boolean {
  return read(() => sessionStorage) === null && read(() => localStorage) !== null;
}

export function hasSession(): boolean {
  return accessToken !== null || getRefreshToken() !== null;
}

/** Stores a new token pair; `remember` says where the refresh token goes (a refresh keeps
 * the place the session started with). */
export function setSession(t: TokenResponse, remember = isRemembered()) {
  accessToken = t.accessToken;
  user = t.user;
  const [keep, drop] = remember ? [() => localStorage, () => sessionStorage] : [() => sessionStorage, () => localStorage];
  try {
    keep().setItem(REFRESH_KEY, t.refreshToken);
  } catch {
    /* storage disabled: the session lasts as long as the page */
  }
  remove(drop);
  emit();
}

export function clearSession() {
  accessToken = null;
  user = null;
  remove(() => sessionStorage);
  remove(() => localStorage);
  // Drafts typed while signed in (the generate form's special requests) go with the session.
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith('tripgen.generateDraft.')) sessionStorage.removeItem(k);
  } catch {
    /* storage disabled */
  }
  emit();
}

/** Another tab signed out (the kept token disappeared): this one follows. */
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === REFRESH_KEY && e.newValue === null && e.storageArea === localStorage && read(() => sessionStorage) === null) {
      accessToken = null;
      user = null;
      emit();
    }
  });
}
