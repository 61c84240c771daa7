// What the server offers this app (`/app-config.json`, served by the gateway): whether the
// development sign-in is on. Missing or unreadable → Google only.
export interface AppConfig {
  devIssuer: boolean;
}

let cached: Promise<AppConfig> | null = null;

export function appConfig(): Promise<AppConfig> {
  cached ??= fetch('/app-config.json', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : {}))
    .then((c: Partial<AppConfig>) => ({ devIssuer: c.devIssuer === true }))
    .catch(() => ({ devIssuer: false }));
  return cached;
}
