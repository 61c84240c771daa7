// City names in the UI language. Trips keep the name a destination was saved under (often
// the English one, "Munich"); the catalogue's cities carry their Korean and English names, so
// a Korean page says "뮌헨" wherever a city is named — cards, day headers, the "… centre"
// anchor of a trip whose hotel was not found.
import { useEffect, useState } from 'preact/hooks';
import type { CatalogueCity } from '../api/types';
import { t } from '../i18n';
import { catalogueCities, catalogueCityName } from './catalogue';

let byName: Map<string, CatalogueCity> | undefined;
let loading: Promise<void> | undefined;

function load(): Promise<void> {
  loading ??= catalogueCities().then(
    (cities) => {
      byName = new Map();
      for (const c of cities) for (const n of [c.name, c.nameEn, c.nameKo]) if (n) byName.set(n.toLocaleLowerCase(), c);
    },
    () => {
      loading = undefined; // offline: names stay as saved, asked again next time
    },
  );
  return loading;
}

/** The city's name in the UI language when the catalogue knows it, else as given. */
export function cityName(name: string): string {
  const c = byName?.get(name.trim().toLocaleLowerCase());
  return c ? catalogueCityName(c) : name;
}

/** An anchor's name: "Munich centre" (the planner's stand-in for an unknown hotel) in the UI
 * language; other names (hotels) as they are. */
export function anchorName(name: string): string {
  const m = /^(.+) centre$/.exec(name);
  return m ? t('sched.cityCentre', { city: cityName(m[1]) }) : name;
}

/** Re-renders once the catalogue's names are known. */
export function useCityNames(): void {
  const [, set] = useState(!!byName);
  useEffect(() => {
    if (!byName) void load().then(() => set(true));
  }, []);
}
