// Calendar-day arithmetic on `YYYY-MM-DD` (local days of the server's time zone; the
// browser's own zone never enters).

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** The first day of a period of `days` days ending on `to` (inclusive). */
export function periodFrom(to: string, days: number): string {
  return addDays(to, -(days - 1));
}

export const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
