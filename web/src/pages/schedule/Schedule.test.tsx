// The schedule screen against a faked network (fetch): drag/keyboard reorder saved at once,
// a 409 SCHEDULE_RULES_VIOLATED showing the warnings on the stops, and "save anyway"; the
// regenerations left as the server counts them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider, Route, Router } from 'preact-iso';
import { Schedule } from '../Schedule';
import { clearSession, setSession } from '../../api/session';
import { setLang } from '../../i18n';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const stop = (id: string, name: string, start: number, warnings: unknown[] = []) => ({
  placeId: id, name, kind: 'visit', category: 'museum', position: { lat: 48.1, lon: 11.5 },
  arrival: start, start, end: start + 60, indoor: true, reason: { code: 'X', text: `${name} reason` }, warnings,
});
let regenerationsLeft = 3;
const day = (stops: ReturnType<typeof stop>[], version = 1) => ({
  day: 1, version, weekday: 'tue', timeZone: 'Europe/Berlin', regenerationsLeft, dayIndex: 0, date: '2026-12-01', city: 'Munich',
  start: { name: 'Hotel', position: { lat: 48.1, lon: 11.5 }, time: 540 }, end: { name: 'Hotel', position: { lat: 48.1, lon: 11.5 }, time: 1000 },
  stops, legs: Array.from({ length: stops.length + 1 }, () => ({ mode: 'walk', depart: 0, minutes: 5, metres: 300, kcal: 16 })),
  returnTime: 1000, walkingMetres: 900, walkingKcal: 48, weather: { sky: 'rain', minTempC: 2, maxTempC: 7 }, weatherNotes: [], warnings: [],
});
const A = stop('p:a', 'Alte Pinakothek', 600);
const B = stop('p:b', 'Lenbachhaus', 700);
const user = { id: 'u', username: 'kimtest', name: 'Kim', email: 'k@example.com', phone: '010', role: 'user', createdAt: '' };

let fetchMock: ReturnType<typeof vi.fn>;
let root: HTMLElement;
beforeEach(() => {
  setLang('en');
  regenerationsLeft = 3;
  setSession({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 1800, refreshExpiresIn: 1, user } as never);
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    if (url.endsWith('/schedules/check')) return json({ code: 'NOT_FOUND' }, 404);
    // City names in the UI language come from the catalogue.
    if (url.endsWith('/locations/cities')) return json([{ id: 'c1', name: 'München', nameEn: 'Munich', nameKo: '뮌헨', lat: 48.14, lon: 11.58, placeCount: 2 }]);
    if (url.endsWith('/schedules') && method === 'GET')
      return json({ tripId: 't1', schedule: { state: 'generated', days: 1, generation: { state: 'completed' } }, regenerationLimit: 5, days: [day([A, B])] });
    if (url.endsWith('/trips/t1')) return json({ id: 't1', tripName: 'Munich', step: { completed: ['basicSettings', 'destinations', 'generation'], missing: [] }, schedule: { days: 1 } });
    return put(url, init);
  });
  vi.stubGlobal('fetch', fetchMock);
  history.replaceState(null, '', '/trips/t1/schedule');
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  clearSession();
  vi.unstubAllGlobals();
});
let put: (url: string, init?: RequestInit) => Promise<Response>;

const settle = async () => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
};
const names = () => [...root.querySelectorAll('#day-panel li.stop h3')].map((h) => h.textContent);

async function mount() {
  await act(() => {
    render(
      <LocationProvider>
        <Router>
          <Route path="/trips/:id/schedule" component={Schedule} />
          <Route default component={() => <p>elsewhere</p>} />
        </Router>
      </LocationProvider>,
      root,
    );
  });
  await settle();
}

describe('schedule editing', () => {
  it('saves a keyboard move at once with the new order of place ids', async () => {
    const bodies: unknown[] = [];
    put = async (url, init) => {
      bodies.push({ url, body: JSON.parse(String(init?.body)) });
      return json(day([B, A], 2));
    };
    await mount();
    expect(names()).toEqual(['Alte Pinakothek', 'Lenbachhaus']);
    expect(root.textContent).toContain('🌧 2°/7°');
    const handle = root.querySelector<HTMLButtonElement>('#day-panel li.stop .handle')!;
    await act(() => {
      handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    await settle();
    expect(bodies).toEqual([{ url: '/api/v1/trips/t1/schedules/days/1', body: { placeIds: ['p:b', 'p:a'] } }]);
    expect(names()).toEqual(['Lenbachhaus', 'Alte Pinakothek']);
    expect(root.textContent).toContain('Saved.');
  });

  it('shows the warnings of a rejected edit on the stops and saves anyway with force=true', async () => {
    const urls: string[] = [];
    put = async (url) => {
      urls.push(url);
      if (!url.includes('force=true'))
        return json(
          {
            type: 'about:blank', title: 'Conflict', status: 409, code: 'SCHEDULE_RULES_VIOLATED', detail: 'rules',
            extra: { day: day([B, stop('p:a', 'Alte Pinakothek', 700, [{ code: 'CLOSED', message: 'Closed at 11:40' }])]), violations: [{ day: 0, rule: 'OPEN', message: 'Alte Pinakothek is closed at 11:40' }] },
          },
          409,
        );
      return json(day([B, A], 3));
    };
    await mount();
    const handle = root.querySelector<HTMLButtonElement>('#day-panel li.stop .handle')!;
    await act(() => {
      handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    await settle();
    expect(root.textContent).toContain('This order breaks rules of the plan');
    expect(root.textContent).toContain('Alte Pinakothek is closed at 11:40');
    const warned = root.querySelector('#day-panel li.stop.has-warning')!;
    expect(warned.textContent).toContain('Closed at 11:40');
    const anyway = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Save anyway')!;
    await act(() => anyway.click());
    await settle();
    expect(urls).toEqual(['/api/v1/trips/t1/schedules/days/1', '/api/v1/trips/t1/schedules/days/1?force=true']);
    expect(root.textContent).toContain('Saved with the warnings');
    expect(root.textContent).not.toContain('This order breaks rules');
  });

  it('undo drops a rejected edit and shows the stored day again', async () => {
    put = async () =>
      json({ status: 409, code: 'SCHEDULE_RULES_VIOLATED', detail: 'x', extra: { day: day([B, A]), violations: [{ rule: 'R', message: 'nope' }] } }, 409);
    await mount();
    await act(() => {
      root.querySelector<HTMLButtonElement>('#day-panel li.stop .handle')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    await settle();
    const undo = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Undo')!;
    expect(names()).toEqual(['Lenbachhaus', 'Alte Pinakothek']); // the proposed day
    await act(() => undo.click());
    await settle();
    expect(root.textContent).not.toContain('nope');
    expect(names()).toEqual(['Alte Pinakothek', 'Lenbachhaus']); // the stored day
  });
});

describe('day regenerations left', () => {
  const regenButton = () => [...root.querySelectorAll<HTMLButtonElement>('.toolbar button')].find((b) => b.textContent?.startsWith('Regenerate day'))!;

  it('asks before spending one, and a no sends nothing', async () => {
    await mount();
    await act(() => regenButton().click());
    const dialog = root.querySelector('dialog')!;
    expect(dialog.textContent).toContain('Regenerate day 1?');
    await act(() => [...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!.click());
    expect(root.querySelector('dialog')).toBeNull();
    expect(fetchMock.mock.calls.some(([u]) => String(u).endsWith('/regenerate'))).toBe(false);
  });

  it("shows the server's count, not a local one", async () => {
    await mount();
    expect(regenButton().textContent).toContain('3 left');
    expect(regenButton().disabled).toBe(false);
  });

  it('refuses at 0 and, after a 429, shows the limit and fetches the count again', async () => {
    const schedules = () => fetchMock.mock.calls.filter(([u, i]) => String(u).endsWith('/schedules') && (i?.method ?? 'GET') === 'GET').length;
    put = async (url) => {
      // Another device used the last one up meanwhile.
      regenerationsLeft = 0;
      return url.endsWith('/days/1/regenerate')
        ? json({ status: 429, code: 'REGENERATION_LIMIT', detail: 'limit', extra: { day: 1, limit: 5 } }, 429)
        : json({}, 404);
    };
    await mount();
    const before = schedules();
    await act(() => regenButton().click());
    // It spends one of the day's: asked first, and nothing is sent before the yes.
    const dialog = root.querySelector('dialog')!;
    expect(dialog.textContent).toContain('3 regenerations left');
    expect(fetchMock.mock.calls.some(([u]) => String(u).endsWith('/regenerate'))).toBe(false);
    await act(() => [...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Regenerate day')!.click());
    await settle();
    expect(root.textContent).toContain('This day was regenerated 5 times, the most allowed.');
    expect(schedules()).toBe(before + 1);
    expect(regenButton().textContent).toContain('0 left');
    expect(regenButton().disabled).toBe(true);
  });
});
