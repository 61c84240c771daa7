// The base map under the route (issue 20, docs/maps.md): the server's style over the tiles
// `tripgen import osm` built (`/tiles/style.json`), an external style, or an external raster
// tile template when the operator configured one (`gateway.tile_url`). MapLibre's workers
// need absolute tile URLs, so the style's relative `/tiles/…` addresses are made absolute.
import type { StyleSpecification } from 'maplibre-gl';
import type { Lang } from '../i18n';

export const OSM_ATTRIBUTION =
  '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors, ODbL';

/** A plain background: what the map draws when no base map exists. */
export function plainStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f3' } }],
  };
}

/** The style for a raster tile template (an operator's external tile server). */
export function rasterStyle(tileUrl: string): StyleSpecification {
  return {
    version: 8,
    sources: { base: { type: 'raster', tiles: [tileUrl], tileSize: 256, maxzoom: 19, attribution: OSM_ATTRIBUTION } },
    layers: [{ id: 'base', type: 'raster', source: 'base' }],
  };
}

/**
 * Makes a URL template absolute against `origin` without resolving it through `URL`: the
 * WHATWG parser percent-encodes `{` and `}` in paths, and MapLibre would then request
 * `/tiles/x/%7Bz%7D/…` literally (what kept the base map from drawing, issue 20).
 */
export function absoluteTemplate(u: string, origin: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return u;
  const o = new URL(origin);
  if (u.startsWith('//')) return `${o.protocol}${u}`;
  if (u.startsWith('/')) return `${o.origin}${u}`;
  const dir = o.href.split(/[?#]/)[0].replace(/[^/]*$/, '');
  return `${dir}${u}`;
}

/** Makes every relative URL of a style's sources absolute against `origin`. */
export function absolutize(style: StyleSpecification, origin: string): StyleSpecification {
  const abs = (u: string) => absoluteTemplate(u, origin);
  const sources: StyleSpecification['sources'] = {};
  for (const [name, src] of Object.entries(style.sources ?? {})) {
    const s = { ...src } as Record<string, unknown>;
    if (Array.isArray(s.tiles)) s.tiles = (s.tiles as string[]).map(abs);
    if (typeof s.url === 'string') s.url = abs(s.url);
    sources[name] = s as StyleSpecification['sources'][string];
  }
  return { ...style, sources };
}

/** How many tile sets the built-in style covers (0 = routes on a plain background). */
export function tileSetCount(style: StyleSpecification): number {
  const ids = (style.metadata as Record<string, unknown> | undefined)?.['tripgen:tilesets'];
  return Array.isArray(ids) ? ids.length : Object.keys(style.sources ?? {}).length;
}

export interface BaseMap {
  style: StyleSpecification;
  /** False when the map has nothing under the routes. */
  hasBase: boolean;
}

/** Loads the base map the app config names; any failure falls back to a plain background. */
export async function loadBaseMap(cfg: { tileUrl?: string; styleUrl?: string }, lang: Lang, origin = location.origin): Promise<BaseMap> {
  if (cfg.tileUrl) return { style: rasterStyle(cfg.tileUrl), hasBase: true };
  const url = cfg.styleUrl ?? '/tiles/style.json';
  const builtIn = url.startsWith('/');
  try {
    const r = await fetch(builtIn ? `${url}${url.includes('?') ? '&' : '?'}lang=${lang}` : url, { headers: { Accept: 'application/json' } });
    if (!r.ok) return { style: plainStyle(), hasBase: false };
    const style = absolutize((await r.json()) as StyleSpecification, new URL(url, origin).href);
    return { style, hasBase: tileSetCount(style) > 0 };
  } catch {
    return { style: plainStyle(), hasBase: false };
  }
}
