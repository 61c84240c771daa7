// Map colours and line styles (TRIP-080, issue 20): one colour per day; walking legs
// dotted, transit legs with a light core, car legs solid, travel between cities dashed.
import type { FilterSpecification, GeoJSONSourceSpecification, LineLayerSpecification } from 'maplibre-gl';
import type { RouteCollection } from '../api/types';

/** Ten colours distinguishable on a light background, index = the route's `colorIndex`. */
export const DAY_COLORS = [
  '#0f766e', '#c2410c', '#1d4ed8', '#a21caf', '#15803d',
  '#b91c1c', '#6d28d9', '#0e7490', '#a16207', '#be185d',
] as const;

export function dayColor(colorIndex: number | undefined, day = 1): string {
  const i = Number.isInteger(colorIndex) ? (colorIndex as number) : day - 1;
  return DAY_COLORS[((i % DAY_COLORS.length) + DAY_COLORS.length) % DAY_COLORS.length];
}

/** How a leg is drawn: `journey` (between cities, `kind == "journey"`) or its mode. */
export type LegLook = 'walk' | 'transit' | 'car' | 'journey';

export function legLook(kind: string | undefined, mode: string | undefined): LegLook {
  if (kind === 'journey') return 'journey';
  if (mode === 'walk' || mode === 'transit') return mode;
  return 'car';
}

/** The route's lines with what the layers read: `color` (the day's) and `look`. */
export function routeLines(data: RouteCollection): Extract<GeoJSONSourceSpecification['data'], { type: 'FeatureCollection' }> {
  return {
    type: 'FeatureCollection',
    features: data.features
      .filter((f) => f.geometry.type === 'LineString')
      .map((f) => ({
        type: 'Feature',
        geometry: f.geometry,
        properties: { color: dayColor(f.properties.colorIndex, f.properties.day), look: legLook(f.properties.kind, f.properties.mode), mode: f.properties.mode ?? '' },
      })),
  };
}

const look = (l: LegLook): FilterSpecification => ['==', ['get', 'look'], l];
const width = (w: number) => ['interpolate', ['linear'], ['zoom'], 10, w * 0.6, 16, w] as unknown as number;
type LegLayer = Omit<LineLayerSpecification, 'source'>;

/** The route layers over the base map, bottom to top (source `route`). */
export const LEG_LAYERS: LegLayer[] = [
  { id: 'leg-casing', type: 'line', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': width(8), 'line-opacity': 0.85 } },
  { id: 'leg-car', type: 'line', filter: look('car'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': width(5) } },
  { id: 'leg-transit', type: 'line', filter: look('transit'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': width(6) } },
  { id: 'leg-transit-core', type: 'line', filter: look('transit'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': width(1.6) } },
  { id: 'leg-walk', type: 'line', filter: look('walk'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': width(5), 'line-dasharray': [0.1, 1.8] } },
  { id: 'leg-journey', type: 'line', filter: look('journey'), layout: { 'line-join': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': width(4), 'line-dasharray': [3, 2], 'line-opacity': 0.9 } },
];

/** A tile URL template is usable when it is http(s) with {z}/{x}/{y}. */
export function validTileUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const u = url.trim();
  return /^https?:\/\//.test(u) && u.includes('{z}') && u.includes('{x}') && u.includes('{y}') ? u : undefined;
}

/** A style URL is usable when it is the built-in one or an http(s) URL of a `.json`. */
export function validStyleUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const u = url.trim();
  const path = u.split(/[?#]/)[0];
  return (u.startsWith('/') && !u.startsWith('//')) || (/^https?:\/\//.test(u) && path.endsWith('.json')) ? u : undefined;
}
