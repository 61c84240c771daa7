// Directions deep links (TRIP-060, LOC-030): Kakao Map inside Korea, Google Maps elsewhere.

/** South Korea's box as PRODUCT.md §4 gives it for the Kakao provider. */
export function inKorea(lat: number, lon: number): boolean {
  return lat >= 33 && lat <= 39 && lon >= 124 && lon <= 132;
}

export function directionsUrl(name: string, lat: number, lon: number): string {
  if (inKorea(lat, lon)) {
    // Kakao's link scheme is `/link/to/{name},{lat},{lng}`; commas in the name would split it.
    const label = encodeURIComponent(name.replace(/,/g, ' '));
    return `https://map.kakao.com/link/to/${label},${lat},${lon}`;
  }
  return `https://www.google.com/maps/dir/?api=1&destination=${lat},${lon}&travelmode=walking`;
}
