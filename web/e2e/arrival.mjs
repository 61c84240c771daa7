// Issue 18 — arrival and departure in the wizard, on a phone (390×844, Korean) and a desktop
// (1280×800, English) against the real server: the destinations step asks for the arrival
// and departure time and point (optional); an unknown point is refused at its field (the
// city centre does not stand in); with the airport named, the generated schedule's first day
// opens with the way from the airport and its last day closes with the way to it.
import assert from 'node:assert/strict';
import { join } from 'node:path';

const VIEWS = [
  {
    name: 'phone',
    lang: 'ko',
    ctx: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'ko-KR', isMobile: true, hasTouch: true },
    L: {
      user: '아이디', pass: '비밀번호', signIn: '로그인', home: '내 여행', start: '출발일', city: '도시', cityName: '뮌헨', nights: '숙박',
      arrivalTime: '도착 시간', arrivalPlace: /도착 장소/, departureTime: '출발 시간', departurePlace: /출발 장소/, airport: '뮌헨 공항',
      next: '다음', generate: '일정 만들기', view: '일정 보기', day: (n) => `${n}일차`, flight: '대중교통',
    },
  },
  {
    name: 'desktop',
    lang: 'en',
    ctx: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-GB' },
    L: {
      user: 'Username', pass: 'Password', signIn: 'Sign in', home: 'My trips', start: 'Start date', city: 'City', cityName: 'Munich', nights: 'Nights',
      arrivalTime: 'Arrival time', arrivalPlace: /Arriving at/, departureTime: 'Departure time', departurePlace: /Leaving from/, airport: 'Munich Airport',
      next: 'Next', generate: 'Create schedule', view: 'View the schedule', day: (n) => `Day ${n}`, flight: 'Public transport',
    },
  },
];

async function api(base, path, { method = 'GET', body, token } = {}) {
  const r = await fetch(`${base}/api/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

const tolerated = /the server responded with a status of (401|404|409|422|423|429)/;

export async function arrival({ browser, base, step, shots, outDir }) {
  const suffix = Date.now().toString(36).slice(-6);
  const password = 'Trip!gen2026';
  for (const V of VIEWS) {
    const username = `arr${V.name.slice(0, 1)}${suffix}`;
    const reg = await api(base, 'users/register', {
      method: 'POST',
      body: { name: 'Arrival Test', email: `${username}@example.com`, phone: '010-1234-5678', username, password, passwordConfirm: password, termsAccepted: true },
    });
    assert.equal(reg.status, 201, JSON.stringify(reg.json));
    const token = (await api(base, 'users/login', { method: 'POST', body: { username, password } })).json.accessToken;
    const created = await api(base, 'trips', {
      method: 'POST',
      token,
      body: { tripName: 'Fly in', transportMode: 'public', members: [{ name: 'Lee', age: 40, gender: 'female', healthStatus: 'good', preferences: ['culture'] }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id;

    const ctx = await browser.newContext(V.ctx);
    await ctx.route(/^(?!http:\/\/127\.0\.0\.1)/, (r) => r.abort());
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && !tolerated.test(m.text()) && problems.push(`console: ${m.text()}`));
    const tag = `${V.name} ${V.lang}`;
    try {
      await page.goto(`${base}/login`);
      await page.evaluate((l) => localStorage.setItem('tripgen.lang', l), V.lang);
      await page.goto(`${base}/login`);
      await page.getByLabel(V.L.user).fill(username);
      await page.getByLabel(V.L.pass, { exact: true }).fill(password);
      await page.getByRole('button', { name: V.L.signIn, exact: true }).click();
      await page.getByRole('heading', { name: V.L.home }).waitFor();

      // The destinations step with the optional arrival and departure.
      await page.goto(`${base}/trips/${id}/destinations`);
      await page.getByLabel(V.L.start).fill('2026-12-01');
      await page.getByRole('combobox', { name: V.L.city }).fill(V.L.cityName);
      await page.getByRole('option', { name: new RegExp(V.L.cityName) }).first().click();
      await page.getByLabel(V.L.nights).fill('2');
      await page.getByLabel(V.L.arrivalTime).fill('10:00');
      await page.getByLabel(V.L.arrivalPlace).fill('Xyzzy Station');
      await page.getByLabel(V.L.departureTime).fill('19:00');
      await page.getByLabel(V.L.departurePlace).fill('MUC');
      await page.getByRole('button', { name: V.L.next }).click();
      // An unknown point is refused at its field, never replaced by the city centre.
      await page.locator('.field-error', { has: page.getByLabel(V.L.arrivalPlace) }).waitFor();
      await page.locator('#travel-points').screenshot({ path: join(shots, `18-arrival-unknown-${V.name}.png`) });
      step(`arrival (${tag}): unknown point shown at its field`);
      await page.getByLabel(V.L.arrivalPlace).fill(V.L.airport);
      await page.getByRole('button', { name: V.L.next }).click();
      await page.waitForURL(/\/generate$/);
      const t = await api(base, `trips/${id}`, { token });
      assert.match(t.json.arrival?.name ?? '', /\(MUC\)/, `${tag}: arrival resolved ${JSON.stringify(t.json.arrival)}`);
      assert.equal(t.json.departure?.time, '19:00');

      // Generate, then the timeline: the way from the airport opens day 1 …
      await page.getByRole('button', { name: V.L.generate }).click();
      await page.getByRole('link', { name: V.L.view }).waitFor({ timeout: 90_000 });
      await page.getByRole('link', { name: V.L.view }).click();
      await page.waitForURL(/\/schedule$/);
      await page.getByRole('tab', { name: V.L.day(1) }).waitFor();
      const first = page.locator('#day-panel li.stop').first();
      await first.waitFor();
      assert.equal(await first.getAttribute('class').then((c) => c.includes('stop-journey')), true, `${tag}: day 1 opens with the arrival`);
      assert.match(await first.textContent(), /MUC/);
      await page.screenshot({ path: join(shots, `18-arrival-day1-${V.name}.png`) });
      // … and the way to it closes the last day.
      await page.getByRole('tab', { name: V.L.day(3) }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('#day-panel li.stop')].at(-1)?.classList.contains('stop-journey'));
      assert.match(await page.locator('#day-panel li.stop').last().textContent(), /MUC/);
      await page.screenshot({ path: join(shots, `18-departure-last-day-${V.name}.png`) });
      step(`arrival (${tag}): the timeline opens and closes the trip with the journeys`);
      assert.deepEqual(problems, [], `${tag}: page errors`);
    } catch (e) {
      await page.screenshot({ path: join(outDir, `arrival-failure-${V.name}.png`) }).catch(() => undefined);
      throw e;
    }
    await ctx.close();
  }
}
