// Runtime settings the server gives the web app (`GET /app-config.json`, written by the
// gateway from its configuration): the base map's style (the built-in `/tiles/style.json`
// or an external one) or an external raster tile template.
import { validStyleUrl, validTileUrl } from './mapStyle';

export interface AppConfig {
  tileUrl?: string;
  styleUrl?: string;
}

let cached: Promise<AppConfig> | undefined;

export function appConfig(): Promise<AppConfig> {
  cached ??= fetch('/app-config.json', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : {}))
    .then((c: { tileUrl?: string | null; styleUrl?: string | null }) => ({ tileUrl: validTileUrl(c?.tileUrl), styleUrl: validStyleUrl(c?.styleUrl) }))
    .catch(() => ({}));
  return cached;
}
