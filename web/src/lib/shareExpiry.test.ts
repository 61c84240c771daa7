import { describe, expect, it } from 'vitest';
import { expiresAt, expiryDateBounds } from './shareExpiry';

// Local time (vitest runs in the machine's zone): 2026-05-01 08:00.
const now = new Date(2026, 4, 1, 8, 0, 0);

describe('share link expiry', () => {
  it('means no expiry, or a number of days from now', () => {
    expect(expiresAt('none', '', now)).toBeNull();
    expect(expiresAt('1', '', now)).toBe(new Date(now.getTime() + 86_400_000).toISOString());
    expect(expiresAt('7', '', now)).toBe(new Date(now.getTime() + 7 * 86_400_000).toISOString());
    expect(expiresAt('30', '', now)).toBe(new Date(now.getTime() + 30 * 86_400_000).toISOString());
  });

  it('lasts through the chosen day (until local midnight after it)', () => {
    expect(expiresAt('date', '2026-05-03', now)).toBe(new Date(2026, 4, 4).toISOString());
    expect(expiresAt('date', '2026-05-01', now)).toBe(new Date(2026, 4, 2).toISOString());
  });

  it('offers today to 364 days ahead, within the server’s 366 days', () => {
    const { min, max } = expiryDateBounds(now);
    expect(min).toBe('2026-05-01');
    expect(max).toBe('2027-04-30');
    const last = Date.parse(expiresAt('date', max, now)!);
    expect(last - now.getTime()).toBeLessThanOrEqual(366 * 86_400_000);
  });

  it('refuses a missing, past, too distant or impossible date', () => {
    expect(expiresAt('date', '', now)).toBeUndefined();
    expect(expiresAt('date', '2026-04-30', now)).toBeUndefined();
    expect(expiresAt('date', '2027-05-01', now)).toBeUndefined();
    expect(expiresAt('date', '2027-02-30', now)).toBeUndefined();
    expect(expiresAt('date', 'tomorrow', now)).toBeUndefined();
  });
});
