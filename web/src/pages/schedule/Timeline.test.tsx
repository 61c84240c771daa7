// The timeline shows a journey between cities as a fixed card (no handle, no delete) with
// its mode and both local times, marked as an estimate (docs/journeys.md).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Timeline } from './Timeline';
import { setLang } from '../../i18n';
import type { DayView } from '../../api/types';

const visit = (id: string, name: string, start: number) => ({
  placeId: id, name, kind: 'visit', category: 'museum', position: { lat: 48.1, lon: 11.5 },
  arrival: start, start, end: start + 60, indoor: true, reason: { code: 'X', text: `${name} reason` },
});
const journey = {
  placeId: 'journey:munich>porto', name: 'Munich → Porto', kind: 'journey', category: 'other',
  position: { lat: 48.14, lon: 11.57 }, arrival: 650, start: 660, end: 977, indoor: true,
  reason: { code: 'JOURNEY', text: 'Flight from Munich to Porto.' },
  journey: {
    kind: 'transfer', mode: 'flight', depart: 660, arrive: 977, ready: 977, minutes: 377, metres: 1769000, estimate: true, parts: [],
    from: { name: 'Bayerischer Hof', city: 'Munich', position: { lat: 48.14, lon: 11.57 }, timeZone: 'Europe/Berlin', utcOffsetMinutes: 120 },
    to: { name: 'Porto centre', city: 'Porto', position: { lat: 41.15, lon: -8.61 }, timeZone: 'Europe/Lisbon', utcOffsetMinutes: 60 },
  },
};
const stops = [visit('p:a', 'Marienplatz', 560), journey, visit('p:b', 'Ribeira', 1000)];
const day = {
  day: 2, version: 1, weekday: 'wed', timeZone: 'Europe/Lisbon', regenerationsLeft: 5, dayIndex: 1, date: '2027-06-02', city: 'Porto',
  start: { name: 'Bayerischer Hof', position: { lat: 48.14, lon: 11.57 }, time: 540 }, end: { name: 'Porto centre', position: { lat: 41.15, lon: -8.61 }, time: 1290 },
  stops, legs: Array.from({ length: stops.length + 1 }, () => ({ mode: 'walk', depart: 0, minutes: 5, metres: 300, kcal: 16 })),
  returnTime: 1100, walkingMetres: 900, walkingKcal: 48, weatherNotes: [], warnings: [],
} as unknown as DayView;

let root: HTMLElement;
beforeEach(() => {
  setLang('en');
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('journey in the timeline', () => {
  it('is a fixed card with the mode, both local times and the estimate', async () => {
    await act(() => render(<Timeline d={day} tripId="t1" />, root));
    const card = root.querySelector('li.stop-journey');
    expect(card).not.toBeNull();
    const text = card?.textContent ?? '';
    expect(text).toContain('Munich → Porto');
    expect(text).toContain('Flight');
    expect(text).toContain('11:00 (Europe/Berlin)');
    expect(text).toContain('16:17 (Europe/Lisbon)');
    expect(text).toContain('estimate');
    expect(card?.querySelector('button.handle')).toBeNull();
    // The other stops keep their handles.
    expect(root.querySelectorAll('li.stop button.handle').length).toBe(2);
  });
});
