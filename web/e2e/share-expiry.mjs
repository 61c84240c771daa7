// Issue 21 — a share link's expiry, chosen in the share panel on a phone (390×844, Korean)
// and a desktop (1280×800, English) against the real server: "for 7 days" makes a link that
// the server stores as expiring 7 days from now and the panel says until when; a date beyond
// the allowed year is refused at its field; "through a date" expires at the end of that day
// (local midnight); "until I stop sharing" makes a link without expiry. The shared page opens
// for a live expiring link.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tripOwner } from './issue22.mjs';

const VIEWS = [
  {
    name: 'phone',
    lang: 'ko',
    ctx: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'ko-KR', isMobile: true, hasTouch: true, timezoneId: 'Asia/Seoul' },
    L: {
      user: '아이디', pass: '비밀번호', signIn: '로그인', home: '내 여행', share: '공유', create: '링크 만들기', rotate: '새 링크 만들기',
      expiry: '링크 사용 기간', date: '링크를 쓸 수 있는 마지막 날', expires: /만료됩니다/, invalid: /까지의 날짜를 고르세요/, readOnly: '공유된 여행 (읽기 전용)',
    },
  },
  {
    name: 'desktop',
    lang: 'en',
    ctx: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/Berlin' },
    L: {
      user: 'Username', pass: 'Password', signIn: 'Sign in', home: 'My trips', share: 'Share', create: 'Create link', rotate: 'New link',
      expiry: 'Link works', date: 'Last day the link works', expires: /stops working on/, invalid: /Choose a day from today/, readOnly: 'Shared trip (read-only)',
    },
  },
];

const tolerated = /the server responded with a status of (401|404|409|422|423|429)/;
const DAY = 86_400_000;

/** `YYYY-MM-DD` `days` ahead of today in `timeZone`. */
function dayAhead(days, timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * DAY));
}

async function currentShare(base, id, token) {
  const r = await fetch(`${base}/api/v1/trips/${id}/share`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return r.json();
}

export async function shareExpiry({ browser, base, step, shots, outDir }) {
  const suffix = Date.now().toString(36).slice(-6);
  const password = 'Trip!gen2026';
  for (const V of VIEWS) {
    const username = `shx${V.name.slice(0, 1)}${suffix}`;
    const { id, token } = await tripOwner(base, username, password, step);
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
      await page.goto(`${base}/trips/${id}/schedule`);
      await page.getByRole('button', { name: V.L.share, exact: true }).click();

      // For 7 days: stored as now + 7 days, and the panel says until when.
      await page.getByLabel(V.L.expiry, { exact: true }).selectOption('7');
      const t0 = Date.now();
      await page.getByRole('button', { name: V.L.create }).click();
      await page.locator('#share-expires').filter({ hasText: V.L.expires }).waitFor();
      const week = await currentShare(base, id, token);
      const ahead = Date.parse(week.expiresAt) - t0;
      assert.ok(Math.abs(ahead - 7 * DAY) < 120_000, `${tag}: 7 days ahead, got ${week.expiresAt}`);
      await page.locator('.panel', { has: page.locator('#share-url') }).screenshot({ path: join(shots, `21-share-expiry-${V.name}.png`) });
      const url = await page.locator('#share-url').inputValue();
      const anon = await browser.newContext(V.ctx);
      await anon.route(/^(?!http:\/\/127\.0\.0\.1)/, (r) => r.abort());
      const sp = await anon.newPage();
      await sp.goto(url);
      await sp.getByText(V.L.readOnly).waitFor();
      await anon.close();
      step(`share expiry (${tag}): a 7-day link (${week.expiresAt}) opens`);

      // Through a date: a day beyond the allowed year is refused at its field …
      await page.getByLabel(V.L.expiry, { exact: true }).selectOption('date');
      await page.getByLabel(V.L.date, { exact: true }).fill(dayAhead(400, V.ctx.timezoneId));
      await page.locator('#share-expiry-date-msg').filter({ hasText: V.L.invalid }).waitFor();
      assert.ok(await page.getByRole('button', { name: V.L.rotate }).isDisabled(), `${tag}: no new link for an invalid date`);
      // … and a day 10 days ahead lasts through its end (midnight in the browser's zone).
      const day = dayAhead(10, V.ctx.timezoneId);
      await page.getByLabel(V.L.date, { exact: true }).fill(day);
      await page.getByRole('button', { name: V.L.rotate }).click();
      await page.getByRole('dialog').getByRole('button', { name: V.L.rotate }).click();
      await page.waitForFunction((u) => document.querySelector('#share-url')?.value !== u, url);
      const dated = await currentShare(base, id, token);
      const localEnd = new Intl.DateTimeFormat('en-CA', { timeZone: V.ctx.timezoneId, dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' }).format(new Date(Date.parse(dated.expiresAt) - 1000));
      assert.match(localEnd, new RegExp(`^${day}, 23:59:59$`), `${tag}: expires at the end of ${day} local, got ${dated.expiresAt} (${localEnd})`);
      step(`share expiry (${tag}): through ${day} = ${dated.expiresAt}`);

      // Until I stop sharing: no expiry, and the panel says none.
      await page.getByLabel(V.L.expiry, { exact: true }).selectOption('none');
      const before = await page.locator('#share-url').inputValue();
      await page.getByRole('button', { name: V.L.rotate }).click();
      await page.getByRole('dialog').getByRole('button', { name: V.L.rotate }).click();
      await page.waitForFunction((u) => document.querySelector('#share-url')?.value !== u, before);
      assert.equal(await page.locator('#share-expires').count(), 0, `${tag}: no expiry shown`);
      assert.equal((await currentShare(base, id, token)).expiresAt ?? null, null, `${tag}: stored without expiry`);
      const trip = await (await fetch(`${base}/api/v1/trips/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
      assert.equal(trip.shared, true, `${tag}: the trip counts as shared`);
      // Works from 320 px on a phone: the panel's controls do not overflow.
      if (V.name === 'phone') {
        await page.setViewportSize({ width: 320, height: 700 });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), `${tag}: horizontal overflow at 320 px`);
      }
      assert.deepEqual(problems, [], `${tag}: page errors`);
      step(`share expiry (${tag}): a link without expiry`);
    } catch (e) {
      await page.screenshot({ path: join(outDir, `share-expiry-failure-${V.name}.png`) }).catch(() => undefined);
      throw e;
    }
    await ctx.close();
  }
}
