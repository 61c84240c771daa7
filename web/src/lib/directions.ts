// Directions deep links (TRIP-060, LOC-030): Kakao Map inside Korea, Google Maps elsewhere,
// in the mode of the leg that reaches the stop (a public-transport trip gets transit
// directions, a car trip driving ones), from the point that leg starts at.

/** South Korea's box as PRODUCT.md §4 gives it for the Kakao provider. */
export function inKorea(lat: number, lon: number): boolean {
  return lat >= 33 && lat <= 39 && lon >= 124 && lon <= 132;
}

export interface Point {
  name: string;
  lat: number;
  lon: number;
}

/** Our leg modes in Google's and Kakao's words. */
const GOOGLE: Record<string, string> = { walk: 'walking', transit: 'transit', car: 'driving', taxi: 'driving' };
const KAKAO: Record<string, string> = { walk: 'walk', transit: 'traffic', car: 'car', taxi: 'car' };

// Kakao's link scheme separates name and coordinates with commas: commas in a name would split it.
const kakaoPoint = (p: Point) => `${encodeURIComponent(p.name.replace(/,/g, ' '))},${p.lat},${p.lon}`;

export function directionsUrl(name: string, lat: number, lon: number, mode = 'walk', from?: Point): string {
  if (inKorea(lat, lon)) {
    const to = kakaoPoint({ name, lat, lon });
    // `/link/by/{mode}/from/to` picks the mode; without a start, `/link/to/` lets the app ask.
    return from ? `https://map.kakao.com/link/by/${KAKAO[mode] ?? 'walk'}/${kakaoPoint(from)}/${to}` : `https://map.kakao.com/link/to/${to}`;
  }
  const origin = from ? `&origin=${from.lat},${from.lon}` : '';
  return `https://www.google.com/maps/dir/?api=1${origin}&destination=${lat},${lon}&travelmode=${GOOGLE[mode] ?? 'walking'}`;
}
