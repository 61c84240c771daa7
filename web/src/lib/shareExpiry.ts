// When a share link stops working: the choices the share panel offers and the instant each
// one means. The server takes an RFC 3339 instant after now and within 366 days.

export type ExpiryChoice = 'none' | '1' | '7' | '30' | 'date';

export const EXPIRY_CHOICES: ExpiryChoice[] = ['none', '1', '7', '30', 'date'];

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a local calendar day. */
function localIso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The days a link may be set to last through: today up to 364 days ahead, so the end of the
 * last one (local midnight) stays inside the server's 366 days whatever the clock change. */
export function expiryDateBounds(now: Date): { min: string; max: string } {
  const max = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 364);
  return { min: localIso(now), max: localIso(max) };
}

/** The instant (ISO) a choice means at `now`: `null` for no expiry, `undefined` for a date
 * that is missing, unreadable or out of bounds. A date lasts through its end (local midnight). */
export function expiresAt(choice: ExpiryChoice, date: string, now: Date): string | null | undefined {
  if (choice === 'none') return null;
  if (choice !== 'date') return new Date(now.getTime() + Number(choice) * DAY_MS).toISOString();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const { min, max } = expiryDateBounds(now);
  if (date < min || date > max) return undefined;
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  // A day that does not exist (2027-02-30) rolls over in Date: refuse it.
  if (localIso(new Date(end.getTime() - 12 * 3_600_000)) !== date) return undefined;
  return end.toISOString();
}
