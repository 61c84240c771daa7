// Tokens: the access token in memory only (spec §6); the refresh token in sessionStorage so a
// reload of this tab stays signed in, and closing the tab ends it. It rotates on every use.
const REFRESH_KEY = 'healthsync.refreshToken';
/** The `state` of a sign-in this tab started (the callback posts only for it). */
const STATE_KEY = 'healthsync.oidcState';

let accessToken: string | null = null;
const listeners = new Set<() => void>();

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

function store(key: string, value: string | null) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    /* storage blocked: the session lives until a reload */
  }
}

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export const getAccessToken = () => accessToken;
export const getRefreshToken = () => read(REFRESH_KEY);
export const isSignedIn = () => accessToken !== null || getRefreshToken() !== null;

export function setSession(t: TokenPair) {
  accessToken = t.accessToken;
  store(REFRESH_KEY, t.refreshToken);
  for (const fn of listeners) fn();
}

export function clearSession() {
  const was = isSignedIn();
  accessToken = null;
  store(REFRESH_KEY, null);
  if (was) for (const fn of listeners) fn();
}

export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const rememberState = (state: string) => store(STATE_KEY, state);

/** True once for the state this tab started; the stored state is used up either way. */
export function takeState(state: string): boolean {
  const mine = read(STATE_KEY);
  store(STATE_KEY, null);
  return mine !== null && mine === state;
}
