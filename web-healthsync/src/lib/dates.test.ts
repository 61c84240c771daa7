import { describe, expect, it } from 'vitest';
import { addDays, isDay, periodFrom } from './dates';

describe('calendar days', () => {
  it('counts periods inclusively across months and leap days', () => {
    expect(periodFrom('2026-03-06', 7)).toBe('2026-02-28');
    expect(periodFrom('2024-03-01', 2)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('accepts only real YYYY-MM-DD days', () => {
    expect(isDay('2026-02-03')).toBe(true);
    expect(isDay('2026-2-3')).toBe(false);
    expect(isDay('')).toBe(false);
  });
});
