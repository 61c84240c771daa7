// Runtime settings the server gives the web app (`GET /app-config.json`, written by the
// gateway from its configuration): today only the map tile URL.
import { validTileUrl } from './mapStyle';

export interface AppConfig {
  tileUrl?: string;
}

let cached: Promise<AppConfig> | undefined;

export function appConfig(): Promise<AppConfig> {
  cached ??= fetch('/app-config.json', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : {}))
    .then((c: { tileUrl?: string | null }) => ({ tileUrl: validTileUrl(c?.tileUrl) }))
    .catch(() => ({}));
  return cached;
}
