// Chained dates: each destination starts the day the previous one ends.

/** ISO date `YYYY-MM-DD` plus `days`. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d + days));
  return dt.toISOString().slice(0, 10);
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
}

export interface Span {
  from: string;
  to: string;
  nights: number;
}

/** Start and end date of each stay, and of the whole trip; null without a valid start date. */
export function chainDates(start: string, nights: number[]): { stays: Span[]; total: Span & { days: number } } | null {
  if (!isIsoDate(start)) return null;
  const stays: Span[] = [];
  let cur = start;
  for (const raw of nights) {
    const n = Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 0;
    const to = addDays(cur, n);
    stays.push({ from: cur, to, nights: n });
    cur = to;
  }
  const total = stays.reduce((s, x) => s + x.nights, 0);
  return { stays, total: { from: start, to: cur, nights: total, days: total + 1 } };
}
