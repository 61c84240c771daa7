// A server whose place catalogue is empty (no seed, nothing imported): the wizard's
// destination step explains how to import cities instead of a form that finds nothing,
// in Korean and in English. Runs its own `tripgen serve` beside run.mjs's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function emptyCatalogue({ browser, bin, repo, dist, port, outDir, shot, step }) {
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tripgen-e2e-empty-'));
  const log = openSync(join(outDir, 'server-empty.log'), 'w');
  const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    cwd: repo,
    env: {
      ...process.env,
      TRIPGEN_GATEWAY__WEB_DIR: dist,
      TRIPGEN_LOCATION__WEATHER__PROVIDER: 'none',
      TRIPGEN_LOCATION__SEED_DIRS: '[]',
    },
    stdio: ['ignore', log, log],
  });
  let ctx;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/health/ready`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error('the empty-catalogue server did not become ready');
      await new Promise((r) => setTimeout(r, 250));
    }
    const cities = await (await fetch(`${base}/api/v1/locations/cities`)).json();
    assert.deepEqual(cities, [], 'no seed: an empty catalogue');

    // A user and a trip through the API; the browser signs in and opens the destination step.
    const username = `empty${Date.now().toString(36).slice(-6)}`;
    const password = 'Trip!gen2026';
    const reg = await fetch(`${base}/api/v1/users/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Lee Test', email: `${username}@example.com`, phone: '010-2222-3333', username, password, passwordConfirm: password, termsAccepted: true }),
    });
    assert.equal(reg.status, 201, 'register');
    const login = await (
      await fetch(`${base}/api/v1/users/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) })
    ).json();
    const trip = await fetch(`${base}/api/v1/trips`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${login.accessToken}` },
      body: JSON.stringify({
        tripName: 'Nowhere yet',
        transportMode: 'public',
        members: [{ name: 'Lee', age: 40, gender: 'female', healthStatus: 'good', preferences: ['culture'] }],
      }),
    });
    assert.equal(trip.status, 201, 'create trip');
    const { id } = await trip.json();

    ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'ko-KR', isMobile: true, hasTouch: true });
    await ctx.route(/^(?!http:\/\/127\.0\.0\.1)/, (r) => r.abort());
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/login`);
    await page.getByLabel('아이디').fill(username);
    await page.getByLabel('비밀번호').fill(password);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/trips/${id}/destinations`);
    const card = page.getByTestId('empty-catalogue');
    await card.getByRole('heading', { name: '아직 여행을 계획할 수 있는 도시가 없습니다' }).waitFor();
    const text = await card.textContent();
    assert.match(text, /tripgen import osm https:\/\/download\.geofabrik\.de\//);
    assert.match(text, /tripgen import osm data\/osm/);
    assert.equal(await page.getByRole('combobox', { name: '도시' }).count(), 0, 'no form that can find nothing');
    await shot('05b-empty-catalogue.png', false, page);
    // "Check again" asks the server again (still empty).
    const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/locations/cities'));
    await card.getByRole('button', { name: '다시 확인' }).click();
    await again;
    await card.waitFor();
    // English.
    await page.evaluate(() => localStorage.setItem('tripgen.lang', 'en'));
    await page.reload();
    await page.getByTestId('empty-catalogue').getByRole('heading', { name: 'No cities to plan yet' }).waitFor();
    await page.getByRole('button', { name: 'Check again' }).waitFor();
    step('empty catalogue: the destination step shows the import commands (ko, en)');
  } finally {
    await ctx?.close().catch(() => undefined);
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
}
