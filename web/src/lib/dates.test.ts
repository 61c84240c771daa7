import { describe, expect, it } from 'vitest';
import { addDays, chainDates } from './dates';

describe('chainDates', () => {
  it('chains stays: each starts when the previous ends', () => {
    const c = chainDates('2026-12-01', [2, 3])!;
    expect(c.stays).toEqual([
      { from: '2026-12-01', to: '2026-12-03', nights: 2 },
      { from: '2026-12-03', to: '2026-12-06', nights: 3 },
    ]);
    expect(c.total).toEqual({ from: '2026-12-01', to: '2026-12-06', nights: 5, days: 6 });
  });
  it('crosses months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('treats missing or invalid nights as 0 and needs a start date', () => {
    expect(chainDates('2026-12-01', [NaN, -1])!.total.nights).toBe(0);
    expect(chainDates('', [1])).toBeNull();
  });
});
