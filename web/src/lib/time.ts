/** Minutes since local midnight → `HH:MM` (the schedule API's time unit). */
export function hhmm(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** `HH:MM` options from `from` to `to` in `step`-minute steps. */
export function timeOptions(from = 6 * 60, to = 12 * 60, step = 10): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m += step) out.push(hhmm(m));
  return out;
}
