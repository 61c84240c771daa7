// Issue 22 — the rough edges a traveller hits in the first ten minutes, each checked on a
// phone (390×844, Korean) and a desktop (1280×800, English) against the real server:
// share links that live until revoked (1), a desktop layout (2), "keep me signed in" (3),
// international phone numbers (4), recovery after a lost connection (5), a confirmed and
// different regenerated day (6), place hours on the trip's days (7), Korean city names,
// singulars, progress and covers (8), directions in the leg's mode (9), the PDF's one page a
// day in the document's language (10), axe on every page with 0 violations (11), special
// requests kept on the generate page (12).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const VIEWS = [
  {
    name: 'phone',
    lang: 'ko',
    ctx: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'ko-KR', isMobile: true, hasTouch: true },
    L: {
      user: '아이디', pass: '비밀번호', remember: '로그인 상태 유지', signIn: '로그인', home: '내 여행', share: '공유', create: '링크 만들기',
      rotate: '새 링크 만들기', revoke: '공유 중지', cancel: '취소', regen: '이 날 다시 만들기', nearby: '주변 검색', directions: '길찾기',
      details: '상세 정보', requests: '특별 요청 (선택)', onTrip: '여행 일정의 날', day1: '1일차', city: '뮌헨', centre: '뮌헨 시내 중심',
      phone: '휴대폰 번호', close: '닫기', export: '내보내기', download: '다운로드', pdf: /PDF/, offline: '서버에 연결할 수 없습니다',
    },
  },
  {
    name: 'desktop',
    lang: 'en',
    ctx: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-GB' },
    L: {
      user: 'Username', pass: 'Password', remember: 'Keep me signed in', signIn: 'Sign in', home: 'My trips', share: 'Share', create: 'Create link',
      rotate: 'New link', revoke: 'Stop sharing', cancel: 'Cancel', regen: 'Regenerate day', nearby: 'Nearby', directions: 'Directions',
      details: 'Details', requests: 'Special requests (optional)', onTrip: 'On your trip', day1: 'Day 1', city: 'Munich', centre: 'Munich centre',
      phone: 'Mobile number', close: 'Close', export: 'Export', download: 'Download', pdf: /PDF/, offline: 'No connection to the server',
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

/** A user with a generated public-transport trip in Munich (3 days), made over the API. */
export async function tripOwner(base, username, password, step) {
  const reg = await api(base, 'users/register', {
    method: 'POST',
    body: { name: 'Park Test', email: `${username}@example.com`, phone: '+44 7700 900123', username, password, passwordConfirm: password, termsAccepted: true },
  });
  assert.equal(reg.status, 201, `register with an international phone: ${JSON.stringify(reg.json)}`);
  const token = (await api(base, 'users/login', { method: 'POST', body: { username, password } })).json.accessToken;
  const created = await api(base, 'trips', {
    method: 'POST',
    token,
    body: {
      tripName: 'Munich & More',
      transportMode: 'public',
      members: [{ name: 'Park', age: 41, gender: 'male', healthStatus: 'good', preferences: ['sightseeing', 'culture'] }],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.id;
  const dest = await api(base, `trips/${id}/destinations/batch`, {
    method: 'PUT',
    token,
    body: { startDate: '2026-12-01', destinations: [{ destinationName: 'Munich', nights: 2 }] },
  });
  assert.equal(dest.status, 200, JSON.stringify(dest.json));
  const gen = await api(base, `trips/${id}/schedules/generate`, { method: 'POST', token, body: { startTime: '09:00' } });
  assert.equal(gen.status, 202, JSON.stringify(gen.json));
  for (const until = Date.now() + 90_000; ; ) {
    const s = await api(base, `trips/${id}/schedules/generate/${gen.json.requestId}`, { token });
    if (s.json?.status === 'completed') break;
    assert.ok(!['failed', 'cancelled'].includes(s.json?.status), `generation ${JSON.stringify(s.json)}`);
    assert.ok(Date.now() < until, 'generation finished in 90 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  step('issue 22: trip owner with a generated public-transport trip');
  return { id, token };
}

/** axe-core on the current page: 0 violations (every rule axe runs by default). */
async function axe(page, what, found) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(AXE); // through the DevTools protocol: the page's CSP does not apply
  const v = await page.evaluate(async () => (await window.axe.run(document)).violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
  for (const x of v) found.push(`${what}: ${x}`);
}

async function signIn(page, base, V, username, password, remember) {
  await page.goto(`${base}/login`);
  await page.getByLabel(V.L.user).fill(username);
  await page.getByLabel(V.L.pass, { exact: true }).fill(password);
  if (remember) await page.getByLabel(V.L.remember).check();
  await page.getByRole('button', { name: V.L.signIn, exact: true }).click();
  await page.getByRole('heading', { name: V.L.home }).waitFor();
}

const tolerated = /the server responded with a status of (401|404|409|422|423|429)|ERR_INTERNET_DISCONNECTED|Failed to fetch dynamically imported module/;

export async function issue22({ browser, base, step, shots, outDir }) {
  const suffix = Date.now().toString(36).slice(-6);
  const password = 'Trip!gen2026';
  const axeFound = [];
  for (const V of VIEWS) {
    const username = `i22${V.name.slice(0, 1)}${suffix}`;
    const { id, token } = await tripOwner(base, username, password, step);
    const ctx = await browser.newContext(V.ctx);
    await ctx.route(/^(?!http:\/\/127\.0\.0\.1)/, (r) => r.abort());
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && !tolerated.test(m.text()) && problems.push(`console: ${m.text()}`));
    await page.goto(`${base}/login`);
    await page.evaluate((l) => localStorage.setItem('tripgen.lang', l), V.lang);
    const tag = `${V.name} ${V.lang}`;
    try {
      await view({ V, tag, page, ctx, browser, base, step, shots, outDir, username, password, id, token, axeFound });
    } catch (e) {
      await page.screenshot({ path: join(outDir, `issue22-failure-${V.name}.png`) }).catch(() => undefined);
      throw e;
    }
    assert.deepEqual(problems, [], `${tag}: page errors`);
    await ctx.close();
  }
  writeFileSync(join(outDir, 'axe.txt'), axeFound.join('\n'));
  assert.deepEqual(axeFound, [], `axe violations:\n${axeFound.join('\n')}`);
  step('issue 22: axe found 0 violations on every page in both viewports');
}

/** Every item of the issue in one viewport and language. */
async function view({ V, tag, page, ctx, browser, base, step, shots, outDir, username, password, id, token, axeFound }) {
  {

    // --- 4. International phone numbers at sign-up --------------------------------------
    await page.goto(`${base}/signup`);
    await page.getByLabel(V.L.phone).fill('+44 7700 900123');
    await page.getByLabel(V.L.phone).blur();
    assert.equal(await page.locator('#phone[aria-invalid="true"]').count(), 0, `${tag}: +44 7700 900123 accepted`);
    await page.getByLabel(V.L.phone).fill('+44 12');
    await page.getByLabel(V.L.phone).blur();
    await page.locator('#phone[aria-invalid="true"]').waitFor();
    await page.getByLabel(V.L.phone).fill('010-1234-5678');
    await page.getByLabel(V.L.phone).blur();
    assert.equal(await page.locator('#phone[aria-invalid="true"]').count(), 0, `${tag}: Korean format kept`);
    await axe(page, `${tag} signup`, axeFound);
    step(`issue 22 (${tag}): international phone numbers`);

    // --- 3. Keep me signed in ----------------------------------------------------------
    await page.goto(`${base}/login`);
    await axe(page, `${tag} login`, axeFound);
    await signIn(page, base, V, username, password, false);
    let tab = await ctx.newPage();
    await tab.goto(`${base}/`);
    await tab.waitForURL(/\/login/);
    await tab.close();
    await signIn(page, base, V, username, password, true);
    tab = await ctx.newPage();
    await tab.goto(`${base}/`);
    await tab.getByRole('heading', { name: V.L.home }).waitFor();
    // The heading shows before the token refresh answers: let the tab store the rotated token.
    await tab.locator('.trip-card').first().waitFor();
    await tab.close();
    // A browser restart keeps localStorage and cookies, never sessionStorage.
    const restarted = await browser.newContext({ ...V.ctx, storageState: await ctx.storageState() });
    const rp = await restarted.newPage();
    await rp.goto(`${base}/`);
    await rp.getByRole('heading', { name: V.L.home }).waitFor();
    await restarted.close();
    // The "restarted" copy rotated the kept token, so this (old) browser's copy is spent: a
    // reused refresh token ends the session, as it should. Sign in again to go on.
    await signIn(page, base, V, username, password, false);
    step(`issue 22 (${tag}): kept sessions survive new tabs and restarts, others do not`);

    // --- 8. Names, singulars, progress, cover (dashboard and all trips) -----------------
    await page.goto(`${base}/`);
    const card = page.locator('.trip-card').first();
    await card.getByText(V.L.city, { exact: true }).waitFor();
    assert.equal((await card.locator('.cover').textContent()).trim(), 'MM', `${tag}: cover initials`);
    const stepText = await card.locator('small.muted').last().textContent();
    const m = /(\d)\D+(\d)/.exec(stepText);
    if (m) {
      const [n, of] = V.lang === 'ko' ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
      const ratio = await card.locator('.progress').evaluate((e) => e.firstElementChild.getBoundingClientRect().width / e.getBoundingClientRect().width);
      assert.ok(Math.abs(ratio - n / of) < 0.03, `${tag}: progress ${ratio} for "${stepText}"`);
    }
    await axe(page, `${tag} dashboard`, axeFound);
    await page.screenshot({ path: join(shots, `22-dashboard-${V.name}.png`) });
    await page.goto(`${base}/trips`);
    await page.getByText(V.lang === 'ko' ? '여행 1개' : '1 trip', { exact: true }).waitFor();
    await axe(page, `${tag} trips`, axeFound);
    step(`issue 22 (${tag}): city names, "1 trip", progress, cover`);

    // --- 12. Special requests survive leaving the generate page ---------------------------
    await page.goto(`${base}/trips/${id}/generate`);
    await page.getByLabel(V.L.requests).fill('Museums first, please');
    await axe(page, `${tag} generate`, axeFound);
    await page.goto(`${base}/trips/${id}/destinations`);
    await axe(page, `${tag} destinations`, axeFound);
    await page.goBack();
    await page.waitForURL(/\/generate$/);
    assert.equal(await page.getByLabel(V.L.requests).inputValue(), 'Museums first, please', `${tag}: requests kept`);
    await page.goto(`${base}/trips/${id}/basic`);
    await axe(page, `${tag} basic`, axeFound);
    step(`issue 22 (${tag}): special requests kept`);

    // --- Schedule: 2 layout, 8 anchor name, 9 directions, 11 axe ---------------------------
    await page.goto(`${base}/trips/${id}/schedule`);
    await page.locator('#day-panel li.stop').first().waitFor();
    const bottom = await page.locator('.bottombar').isVisible();
    const topnav = await page.locator('.topnav').isVisible();
    if (V.name === 'desktop') {
      assert.ok(!bottom && topnav, `${tag}: top navigation instead of the bottom bar`);
      for (const a of await page.locator('.topnav a span').all()) assert.equal(await a.evaluate((e) => e.getClientRects().length), 1, `${tag}: nav label on one line`);
      await page.locator('.schedule-map .maplibregl-canvas').waitFor();
      const list = await page.locator('#day-panel').boundingBox();
      const map = await page.locator('.schedule-map').boundingBox();
      assert.ok(map.x >= list.x + list.width - 1 && map.width > 300, `${tag}: map beside the schedule`);
    } else {
      assert.ok(bottom && !topnav, `${tag}: bottom bar on phones`);
    }
    await page.locator('#day-panel li.anchor').first().getByText(V.L.centre).waitFor();
    // Directions in the mode of the leg that reaches each stop.
    const stops = page.locator('#day-panel li.stop');
    const modes = await page.locator('#day-panel .timeline > li').evaluateAll((lis) => {
      const out = [];
      let last;
      for (const li of lis) {
        if (li.classList.contains('leg')) last = [...li.classList].find((c) => c.startsWith('leg-'))?.slice(4);
        if (li.classList.contains('stop')) out.push(last);
      }
      return out;
    });
    const google = { walk: 'walking', transit: 'transit', car: 'driving', taxi: 'driving' };
    for (const i of [0, 1, 2].filter((k) => k < modes.length)) {
      await stops.nth(i).locator('button.stop-body').click();
      const href = await stops.nth(i).getByRole('link', { name: V.L.directions }).getAttribute('href');
      assert.ok(href.includes(`travelmode=${google[modes[i]]}`), `${tag}: stop ${i + 1} (${modes[i]}): ${href}`);
    }
    assert.ok(modes.includes('transit'), `${tag}: a public-transport day has transit legs (${modes})`);
    await stops.nth(0).locator('button.stop-body').click();
    await axe(page, `${tag} schedule`, axeFound);
    await page.screenshot({ path: join(shots, `22-schedule-${V.name}.png`) });
    step(`issue 22 (${tag}): layout, names, directions in the leg's mode (${modes.slice(0, 3)})`);

    // --- 1. Share link lives until revoked --------------------------------------------------
    await page.getByRole('button', { name: V.L.share, exact: true }).click();
    await page.getByRole('button', { name: V.L.create }).click();
    const url1 = await page.locator('#share-url').inputValue();
    await axe(page, `${tag} share panel`, axeFound);
    await page.screenshot({ path: join(shots, `22-share-${V.name}.png`) });
    await page.getByRole('button', { name: V.L.share, exact: true }).click(); // close
    await page.getByRole('button', { name: V.L.share, exact: true }).click(); // open again
    assert.equal(await page.locator('#share-url').inputValue(), url1, `${tag}: opening the panel keeps the link`);
    await page.reload();
    await page.getByRole('button', { name: V.L.share, exact: true }).click();
    assert.equal(await page.locator('#share-url').inputValue(), url1, `${tag}: and after a reload`);
    const anon = await browser.newContext(V.ctx);
    await anon.route(/^(?!http:\/\/127\.0\.0\.1)/, (r) => r.abort());
    const sp = await anon.newPage();
    await sp.goto(url1);
    await sp.locator('#day-panel li.stop').first().waitFor();
    await axe(sp, `${tag} shared`, axeFound);
    await page.getByRole('button', { name: V.L.rotate }).click();
    await page.getByRole('dialog').getByRole('button', { name: V.L.cancel }).click();
    assert.equal(await page.locator('#share-url').inputValue(), url1, `${tag}: cancelled rotation keeps the link`);
    await page.getByRole('button', { name: V.L.rotate }).click();
    await page.getByRole('dialog').getByRole('button', { name: V.L.rotate }).click();
    await page.waitForFunction((u) => document.querySelector('#share-url')?.value !== u, url1);
    const old = await fetch(`${base}/api/v1/trips/shared/${decodeURIComponent(url1.split('/shared/')[1])}`);
    assert.equal(old.status, 404, `${tag}: the rotated link stops working`);
    await page.getByRole('button', { name: V.L.revoke }).click();
    await page.getByRole('dialog').getByRole('button', { name: V.L.revoke }).click();
    await page.getByRole('button', { name: V.L.create }).waitFor();
    await anon.close();
    step(`issue 22 (${tag}): share link kept, rotation and revocation confirmed`);

    // --- 6. Regenerate asks first; the new day is another day --------------------------------
    const before = await stops.evaluateAll((els) => els.map((e) => e.dataset.place));
    await page.locator('.toolbar').getByRole('button', { name: new RegExp(V.L.regen) }).click();
    await page.getByRole('dialog').waitFor();
    await axe(page, `${tag} regenerate dialog`, axeFound);
    await page.screenshot({ path: join(shots, `22-regenerate-confirm-${V.name}.png`) });
    if (V.name === 'phone') {
      const regen = page.waitForResponse((r) => r.url().includes('/days/1/regenerate'));
      await page.getByRole('dialog').getByRole('button', { name: V.L.regen }).click();
      assert.equal((await regen).status(), 202);
      await page.getByText('1일차를 다시 만들었습니다.').waitFor({ timeout: 90_000 });
      const after = await stops.evaluateAll((els) => els.map((e) => e.dataset.place));
      const fresh = after.filter((p) => !before.includes(p)).length;
      assert.ok(fresh * 2 >= after.length, `${tag}: regenerated day has ${fresh} of ${after.length} new places`);
      step(`issue 22 (${tag}): regenerated after confirmation, ${fresh} of ${after.length} places new`);
    } else {
      await page.getByRole('dialog').getByRole('button', { name: V.L.cancel }).click();
      const s = await api(base, `trips/${id}/schedules`, { token });
      assert.equal(s.json.days[0].regenerationsLeft, s.json.regenerationLimit, `${tag}: a cancelled regeneration spends nothing`);
      step(`issue 22 (${tag}): cancelled regeneration spends nothing`);
    }

    // --- 10. The PDF: one page a day, every label translated ----------------------------------
    if (V.name === 'phone') {
      await page.getByRole('button', { name: V.L.export }).click();
      await page.getByLabel(V.L.pdf).check();
      const dl = page.waitForEvent('download');
      await page.getByRole('button', { name: V.L.download }).click();
      const file = join(outDir, 'issue22.pdf');
      await (await dl).saveAs(file);
      const days = (await api(base, `trips/${id}/schedules`, { token })).json.days.length;
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      assert.equal(Number(/Pages:\s+(\d+)/.exec(info)[1]), days + 1, `${tag}: a cover and one page per day`);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      const raw = /· (attraction|museum|gallery|viewpoint|park|nature|religious|historic|shopping|restaurant|cafe|bar|sports|place) ·/;
      assert.ok(!raw.test(text), `${tag}: raw category in the Korean PDF: ${raw.exec(text)?.[0]}`);
      await page.getByRole('button', { name: V.L.close }).click();
      step(`issue 22 (${tag}): PDF has ${days + 1} pages, labels in Korean`);
    }

    // --- 7. Place hours on the trip's days ---------------------------------------------------
    await stops.nth(0).locator('button.stop-body').click();
    await stops.nth(0).getByRole('link', { name: V.L.details }).click();
    await page.waitForURL(/\/places\/.+\?trip=/);
    const tripDays = page.locator('table.trip-days');
    await tripDays.getByText(V.L.onTrip).waitFor();
    await tripDays.getByText(V.L.day1).waitFor();
    assert.equal(await page.locator('table.week:not(.trip-days)').count(), 0, `${tag}: no week table on a trip's place page`);
    assert.equal(await page.getByText(/changes at 00:00|00:00에 변경/).count(), 0);
    await axe(page, `${tag} place`, axeFound);
    await page.screenshot({ path: join(shots, `22-place-in-trip-${V.name}.png`), fullPage: true });
    step(`issue 22 (${tag}): place hours on the trip's days`);

    // --- 5. Lost connection: banner, then recovery without a reload ----------------------------
    await page.goto(`${base}/trips/${id}/schedule`);
    await page.locator('#day-panel li.stop').first().waitFor();
    await ctx.setOffline(true);
    const nav = page.locator(V.name === 'desktop' ? '.topnav' : '.bottombar').getByRole('link', { name: V.L.nearby });
    await nav.click();
    await page.waitForURL(/\/nearby/);
    await page.getByRole('status').filter({ hasText: V.L.offline }).waitFor();
    await page.screenshot({ path: join(shots, `22-offline-${V.name}.png`) });
    await ctx.setOffline(false);
    await page.locator('main h1').filter({ hasText: V.lang === 'ko' ? '주변 검색' : 'What is nearby?' }).waitFor({ timeout: 20_000 });
    await page.getByRole('status').filter({ hasText: V.L.offline }).waitFor({ state: 'detached' });
    await axe(page, `${tag} nearby`, axeFound);
    step(`issue 22 (${tag}): offline banner, recovered without a reload`);

    // --- 11. The remaining pages under axe; focus never under the bottom bar --------------------
    for (const path of [`/trips/${id}/map`, '/profile', '/trips/new']) {
      await page.goto(`${base}${path}`);
      await page.locator('main h1').waitFor();
      await axe(page, `${tag} ${path}`, axeFound);
    }
    if (V.name === 'phone') {
      await page.locator('main h1').focus();
      const bar = await page.locator('.bottombar').boundingBox();
      let seen = false;
      for (let k = 0; k < 40 && !seen; k++) {
        await page.keyboard.press('Tab');
        const r = await page.evaluate(() => {
          const el = document.activeElement;
          const b = el.getBoundingClientRect();
          return { chip: !!el.closest('.chips'), bottom: b.bottom };
        });
        if (r.chip) {
          assert.ok(r.bottom <= bar.y, `${tag}: the focused chip is hidden by the bottom bar (${r.bottom} > ${bar.y})`);
          seen = true;
        }
      }
      assert.ok(seen, `${tag}: tabbing reaches the interest chips`);
    }
    step(`issue 22 (${tag}): axe on every page`);
  }
}
