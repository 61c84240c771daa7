// The cities the server's place catalogue holds (GET /locations/cities): what the trip
// wizard offers as destinations, and whether there is anything to plan with at all.
import { locations } from '../api/endpoints';
import type { CatalogueCity } from '../api/types';
import { getLang } from '../i18n';

let cached: Promise<CatalogueCity[]> | undefined;

/** Fetched once per page load; `fresh` asks again (after an import). */
export function catalogueCities(fresh = false): Promise<CatalogueCity[]> {
  if (fresh || !cached) {
    cached = locations.cities().then(
      (list) => {
        // An empty catalogue is asked again next time (an import may be finishing): the
        // dashboard asks early for city names, the destination step must not inherit that.
        if (!list.length) cached = undefined;
        return list;
      },
      (e) => {
        cached = undefined; // a failed request is retried next time
        throw e;
      },
    );
  }
  return cached;
}

/** The city's name in the UI language, falling back to English, then the local name. */
export function catalogueCityName(c: Pick<CatalogueCity, 'name' | 'nameEn' | 'nameKo'>): string {
  return (getLang() === 'ko' ? c.nameKo ?? c.nameEn : c.nameEn) ?? c.name;
}

/** Whether `query` occurs in any of the city's names (case-insensitive). */
export function cityMatches(c: Pick<CatalogueCity, 'name' | 'nameEn' | 'nameKo'>, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return [c.name, c.nameEn, c.nameKo].some((n) => n?.toLocaleLowerCase().includes(q));
}
