#!/usr/bin/env node
// First contentful paint of the login page and of a generated schedule, measured in
// headless Chromium against the real binary serving the production build (Lighthouse-style
// figure; no throttling). Each page is loaded N times in a fresh browser context (cold
// cache) and the median is printed, with the request count and bytes of the first screen.
// Env as run.mjs (TRIPGEN_BIN, CHROMIUM_PATH), FCP_RUNS (default 5).
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');
const bin = resolve(web, process.env.TRIPGEN_BIN ?? '../target/debug/tripgen');
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runs = Number(process.env.FCP_RUNS ?? 5);

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'tripgen-fcp-'));
mkdirSync(join(web, 'e2e', '.out'), { recursive: true });
const log = openSync(join(web, 'e2e', '.out', 'fcp-server.log'), 'w');
const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
  cwd: repo,
  env: { ...process.env, TRIPGEN_GATEWAY__WEB_DIR: join(web, 'dist') },
  stdio: ['ignore', log, log],
});

const call = async (path, { method = 'GET', body, token } = {}) => {
  const r = await fetch(`${base}/api/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body && JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? undefined : r.json();
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let browser;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 480) throw new Error('server not ready');
    await new Promise((r) => setTimeout(r, 250));
  }
  // A user with a generated two-city trip.
  const u = `fcp${Date.now().toString(36).slice(-6)}`;
  const pw = 'Trip!gen2026';
  await call('users/register', {
    method: 'POST',
    body: { name: 'Fcp Test', email: `${u}@example.com`, phone: '010-1234-5678', username: u, password: pw, passwordConfirm: pw, termsAccepted: true },
  });
  const login = () => call('users/login', { method: 'POST', body: { username: u, password: pw } });
  const { accessToken: token } = await login();
  const trip = await call('trips', {
    method: 'POST',
    token,
    body: { tripName: 'FCP', transportMode: 'public', members: [{ name: 'Kim', age: 40, gender: 'female', healthStatus: 'good', preferences: ['culture'] }] },
  });
  await call(`trips/${trip.id}/destinations/batch`, {
    method: 'PUT',
    token,
    body: { startDate: '2026-12-01', destinations: [{ destinationName: 'Munich', nights: 2 }] },
  });
  const acc = await call(`trips/${trip.id}/schedules/generate`, { method: 'POST', token, body: {} });
  for (;;) {
    const s = await call(`trips/${trip.id}/schedules/generate/${acc.requestId}`, { token });
    if (s.status === 'completed') break;
    if (['failed', 'cancelled'].includes(s.status)) throw new Error(`generation ${s.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  browser = await chromium.launch({
    executablePath: chromePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  async function measure(path, ready, refreshToken) {
    const fcp = [];
    const shown = [];
    let requests = 0;
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'ko-KR', isMobile: true });
      if (refreshToken) {
        const rt = (await login()).refreshToken; // refresh tokens rotate: one per run
        await ctx.addInitScript((t) => sessionStorage.setItem('tripgen.refreshToken', t), rt);
      }
      const page = await ctx.newPage();
      let n = 0;
      let b = 0;
      page.on('requestfinished', async (r) => {
        n++;
        const s = await r.sizes().catch(() => undefined);
        if (s) b += s.responseBodySize + s.responseHeadersSize;
      });
      const t0 = Date.now();
      await page.goto(`${base}${path}`, { waitUntil: 'load' });
      await page.locator(ready).first().waitFor();
      shown.push(Date.now() - t0);
      const v = await page.evaluate(
        () =>
          new Promise((res) => {
            const e = performance.getEntriesByName('first-contentful-paint')[0];
            if (e) return res(e.startTime);
            new PerformanceObserver((l) => res(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
          }),
      );
      fcp.push(v);
      await page.waitForLoadState('networkidle');
      requests = n;
      bytes = b;
      await ctx.close();
    }
    return { fcp: median(fcp), shown: median(shown), requests, kb: bytes / 1024 };
  }
  const l = await measure('/login', 'form button[type=submit]');
  const s = await measure(`/trips/${trip.id}/schedule`, '#day-panel li.stop', true);
  const fmt = (name, m) =>
    `fcp: ${name}: first contentful paint ${m.fcp.toFixed(0)} ms (median of ${runs}), content ready ${m.shown} ms, ${m.requests} requests, ${m.kb.toFixed(1)} KiB transferred`;
  console.log(fmt('login', l));
  console.log(fmt('schedule', s));
} catch (e) {
  console.error('fcp: FAIL', e?.stack ?? e);
  process.exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
