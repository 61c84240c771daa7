// Map colours and line styles (TRIP-080): one colour per day, dashed walking legs.

/** Ten colours distinguishable on a light background, index = the route's `colorIndex`. */
export const DAY_COLORS = [
  '#0f766e', '#c2410c', '#1d4ed8', '#a21caf', '#15803d',
  '#b91c1c', '#6d28d9', '#0e7490', '#a16207', '#be185d',
] as const;

export function dayColor(colorIndex: number | undefined, day = 1): string {
  const i = Number.isInteger(colorIndex) ? (colorIndex as number) : day - 1;
  return DAY_COLORS[((i % DAY_COLORS.length) + DAY_COLORS.length) % DAY_COLORS.length];
}

export interface LegStyle {
  color: string;
  weight: number;
  dashArray?: string;
  opacity: number;
}

export function legStyle(mode: string, colorIndex: number | undefined, day: number): LegStyle {
  const color = dayColor(colorIndex, day);
  return mode === 'walk'
    ? { color, weight: 3, dashArray: '6 6', opacity: 0.9 }
    : { color, weight: 4, opacity: 0.8 };
}

/** A tile URL template is usable when it is http(s) with {z}/{x}/{y}. */
export function validTileUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const u = url.trim();
  return /^https?:\/\//.test(u) && u.includes('{z}') && u.includes('{x}') && u.includes('{y}') ? u : undefined;
}
