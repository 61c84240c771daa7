import { describe, expect, it } from 'vitest';
import { listQuery } from './TripsList';
import { avatarProblem } from './Profile';
import { clock, nextChangeText, rangesText } from './placeHours';
import { weatherLine } from './Schedule';
import { setLang } from '../i18n';
import type { DayView } from '../api/types';

describe('trips list query', () => {
  it('reads filters from the URL with safe defaults', () => {
    expect(listQuery('?status=planning&q=뮌헨&sort=name&page=3')).toEqual({ status: 'planning', q: '뮌헨', sort: 'name', page: 3 });
    expect(listQuery('')).toEqual({ status: '', q: '', sort: 'newest', page: 1 });
    expect(listQuery('?status=bogus&sort=evil&page=-4')).toEqual({ status: '', q: '', sort: 'newest', page: 1 });
  });
});

describe('avatar pre-check', () => {
  it('accepts JPG/PNG up to 5 MB only', () => {
    expect(avatarProblem({ type: 'image/png', size: 1000 })).toBeUndefined();
    expect(avatarProblem({ type: 'image/jpeg', size: 5 * 1024 * 1024 })).toBeUndefined();
    expect(avatarProblem({ type: 'image/jpeg', size: 5 * 1024 * 1024 + 1 })).toBe('size');
    expect(avatarProblem({ type: 'image/gif', size: 10 })).toBe('type');
  });
});

describe('opening hours text', () => {
  it('formats ranges, midnight and closed days', () => {
    setLang('en');
    expect(clock(0)).toBe('00:00');
    expect(clock(1440)).toBe('24:00');
    expect(rangesText({ date: '2026-12-01', open: [{ start: 600, end: 1080 }], unknown: [] })).toBe('10:00–18:00');
    expect(rangesText({ date: '2026-12-01', open: [{ start: 540, end: 720 }, { start: 780, end: 1440 }], unknown: [] })).toBe('09:00–12:00, 13:00–24:00');
    expect(rangesText({ date: '2026-12-01', open: [], unknown: [] })).toBe('Closed');
    expect(rangesText({ date: '2026-12-01', open: [], unknown: [{ start: 0, end: 1440 }] })).toBe('Hours not known');
    // Around the clock: said plainly, and no "changes at 00:00".
    const all = { date: '2026-12-01', open: [{ start: 0, end: 1440 }], unknown: [] };
    expect(rangesText(all)).toBe('Open 24 hours');
    const h = { timeZone: 'Europe/Berlin', localTime: '2026-12-01T10:00:00', state: 'open' as const, minuteOfDay: 600, nextChange: '2026-12-02T00:00:00+01:00', today: all, week: [all], malformed: false };
    expect(nextChangeText(h)).toBeUndefined();
    expect(nextChangeText({ ...h, today: { ...all, open: [{ start: 540, end: 1080 }] }, nextChange: '2026-12-01T18:00:00+01:00' })).toBe('changes at 18:00');
  });
});

describe('day weather line', () => {
  it('shows the icon and min/max when known', () => {
    const d = (weather: unknown) => ({ weather }) as unknown as DayView;
    expect(weatherLine(d({ sky: 'rain', minTempC: 3.4, maxTempC: 9.6 }))).toBe('🌧 3°/10°');
    expect(weatherLine(d({ sky: 'clear' }))).toBe('☀');
    expect(weatherLine(d(null))).toBe('');
  });
});
