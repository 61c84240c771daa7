// Generates trips through the real app (HTTP) across the bundled cities and checks every
// stop's time window with opening_hours.js (the reference). Run by bench/hours-trips.sh.
//
//   node trips.mjs BASE_URL [N]        (default N = 100)
//
// A stop is a violation when the reference says closed at any minute of the visit, or
// unknown at any minute while the day has no HOURS_UNKNOWN note for that place. Stops at
// places without an opening_hours value (open-air places) are counted, not checked.
// Prints the figures and a closing "N passed, N failed" line; exits 1 on any violation.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reference } from './reference.mjs';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

// The bundled cities (data/osm) and their countries.
const CITIES = [
  { name: 'München', country: 'DE' },
  { name: 'Porto', country: 'PT' },
  { name: 'London', country: 'GB' },
  { name: 'Helsinki', country: 'FI' },
  { name: 'Monaco', country: 'MC' },
  { name: 'Andorra la Vella', country: 'AD' },
];

const PREFERENCES = ['culture', 'sightseeing', 'nature', 'shopping', 'rest', 'sports'];
const HEALTH = ['excellent', 'good', 'caution', 'limited'];

if (args[0] === '--check') {
  checkWorker(args[1], args[2]);
} else {
  await main();
}

async function main() {
  const base = args[0];
  const n = Number(args[1] || 100);
  if (!base) {
    console.error('usage: node trips.mjs BASE_URL [N]');
    process.exit(2);
  }
  const api = client(base);
  const token = await api.user();
  const stops = [];
  let generated = 0;
  let failed = 0;
  const started = Date.now();
  for (let i = 0; i < n; i++) {
    const city = CITIES[i % CITIES.length];
    // Spread over a year (holidays, weekdays, seasons): every 11th day from 2027-01-04.
    const start = new Date(Date.UTC(2027, 0, 4 + i * 11)).toISOString().slice(0, 10);
    const members = [
      { name: 'Anna', age: 30 + (i % 40), gender: 'female', healthStatus: HEALTH[i % 4], preferences: [PREFERENCES[i % 6], PREFERENCES[(i + 3) % 6]] },
      { name: 'Ben', age: 8 + (i % 60), gender: 'male', healthStatus: HEALTH[(i + 1) % 4], preferences: [PREFERENCES[(i + 1) % 6]] },
    ];
    const tid = await api.trip(`Hours ${i}`, i % 3 === 0 ? 'car' : 'public', members, start, city.name, 2 + (i % 2));
    if (!tid) {
      failed++;
      continue;
    }
    const result = await api.generate(tid);
    if (result.status !== 'completed') {
      failed++;
      console.error(`trip ${i} (${city.name}): generation ${result.status}`);
      continue;
    }
    generated++;
    const schedule = await api.get(`/api/v1/trips/${tid}/schedules`);
    for (const day of schedule.days) {
      const notes = new Set(
        [...(day.warnings || []), ...(day.stops || []).flatMap((s) => s.warnings || [])]
          .filter((w) => w.code === 'HOURS_UNKNOWN')
          .map((w) => w.placeId),
      );
      for (const stop of day.stops || []) {
        stops.push({
          trip: i,
          city: city.name,
          country: city.country,
          date: day.date,
          timeZone: day.timeZone,
          placeId: stop.placeId,
          name: stop.name,
          start: stop.start,
          end: stop.end,
          noted: notes.has(stop.placeId),
        });
      }
    }
    if ((i + 1) % 10 === 0) {
      console.log(`  ${i + 1}/${n} trips, ${stops.length} stops, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  // The raw value of every place visited.
  const places = new Map();
  for (const s of stops) {
    if (places.has(s.placeId)) continue;
    const d = await api.get(`/api/v1/locations/places/${encodeURIComponent(s.placeId)}`);
    places.set(s.placeId, {
      value: d.hours?.openingHours ?? null,
      lat: d.place.position.lat,
      lon: d.place.position.lon,
    });
  }
  for (const s of stops) Object.assign(s, places.get(s.placeId));
  const results = checkByZone(stops);
  const violations = results.filter((r) => r.violation);
  const unchecked = results.filter((r) => r.unchecked).length;
  const unknownNoted = results.filter((r) => r.unknownNoted).length;
  console.log(`trips: ${generated} generated, ${failed} failed; ${stops.length} stops in ${places.size} places`);
  console.log(`  ${stops.length - unchecked} stops with an opening_hours value checked against opening_hours.js; ${unchecked} without one (open-air)`);
  console.log(`  ${unknownNoted} stops at unknown hours carrying the HOURS_UNKNOWN note`);
  console.log(`  opening-hours violations: ${violations.length}`);
  for (const v of violations.slice(0, 30)) {
    console.log(`VIOLATION\t${v.city}\t${v.date} ${hm(v.start)}-${hm(v.end)}\t${v.name}\t${v.value}\t${v.violation}`);
  }
  const passed = results.length - violations.length;
  console.log(`${passed} passed, ${violations.length + failed} failed`);
  process.exit(violations.length + failed > 0 ? 1 : 0);
}

function hm(m) {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function checkByZone(stops) {
  const zones = new Map();
  for (const s of stops) {
    const z = s.timeZone || 'UTC';
    if (!zones.has(z)) zones.set(z, []);
    zones.get(z).push(s);
  }
  const dir = mkdtempSync(join(tmpdir(), 'oh-trips-'));
  const out = [];
  try {
    for (const [zone, list] of zones) {
      const inFile = join(dir, 'in.json');
      const outFile = join(dir, 'out.json');
      writeFileSync(inFile, JSON.stringify(list));
      const r = spawnSync(process.execPath, [self, '--check', inFile, outFile], {
        env: { ...process.env, TZ: zone },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (r.status !== 0) throw new Error(`check worker for ${zone} failed`);
      out.push(...JSON.parse(readFileSync(outFile, 'utf8')));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// In the stops' zone (TZ set by the parent): the reference's state over each visit.
function checkWorker(inFile, outFile) {
  const stops = JSON.parse(readFileSync(inFile, 'utf8'));
  const out = stops.map((s) => {
    if (!s.value) return { ...s, unchecked: true };
    let oh;
    try {
      oh = reference(s.value, s.country, s.lat, s.lon);
    } catch (e) {
      return { ...s, violation: `the reference cannot read the value: ${String(e).slice(0, 120)}` };
    }
    const [y, mo, d] = s.date.split('-').map(Number);
    const from = new Date(y, mo - 1, d, 0, s.start);
    const to = new Date(y, mo - 1, d, 0, Math.max(s.end, s.start + 1));
    let closed = false;
    let unknown = false;
    try {
      // State at the start, then at every change inside the visit.
      let t = from;
      while (t < to) {
        if (oh.getUnknown(t)) unknown = true;
        else if (!oh.getState(t)) closed = true;
        const next = oh.getNextChange(t, to);
        if (!next || next >= to) break;
        t = next;
      }
    } catch (e) {
      return { ...s, violation: `the reference failed: ${String(e).slice(0, 120)}` };
    }
    if (closed) return { ...s, violation: 'closed during the visit' };
    if (unknown && !s.noted) return { ...s, violation: 'unknown hours and no HOURS_UNKNOWN note' };
    return { ...s, unknownNoted: unknown && s.noted };
  });
  writeFileSync(outFile, JSON.stringify(out));
}

function client(base) {
  let token = null;
  async function call(method, path, body) {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }
  return {
    async user() {
      const name = 'h' + Math.random().toString(16).slice(2, 14);
      const pw = 'Travel2026!';
      let r = await call('POST', '/api/v1/users/register', {
        name: 'Hours', email: `${name}@example.com`, phone: '010-1234-5678',
        username: name, password: pw, passwordConfirm: pw, termsAccepted: true,
      });
      if (r.status !== 201) throw new Error(`register: ${r.status} ${JSON.stringify(r.body)}`);
      r = await call('POST', '/api/v1/users/login', { username: name, password: pw });
      if (r.status !== 200) throw new Error(`login: ${r.status}`);
      token = r.body.accessToken;
      return token;
    },
    async trip(name, transport, members, startDate, city, nights) {
      let r = await call('POST', '/api/v1/trips', { tripName: name, transportMode: transport, members });
      if (r.status !== 201) {
        console.error(`create trip: ${r.status} ${JSON.stringify(r.body)}`);
        return null;
      }
      const tid = r.body.id;
      r = await call('PUT', `/api/v1/trips/${tid}/destinations/batch`, {
        startDate, destinations: [{ destinationName: city, nights }],
      });
      if (r.status !== 200) {
        console.error(`destinations (${city}): ${r.status} ${JSON.stringify(r.body)}`);
        return null;
      }
      return tid;
    },
    async generate(tid) {
      let r = await call('POST', `/api/v1/trips/${tid}/schedules/generate`, { startTime: '09:00' });
      if (r.status !== 202) return { status: `refused ${r.status} ${JSON.stringify(r.body)}` };
      const rid = r.body.requestId;
      const t0 = Date.now();
      for (;;) {
        r = await call('GET', `/api/v1/trips/${tid}/schedules/generate/${rid}`);
        if (['completed', 'failed', 'cancelled'].includes(r.body?.status)) return r.body;
        if (Date.now() - t0 > 600_000) return { status: 'timeout' };
        await new Promise((ok) => setTimeout(ok, 100));
      }
    },
    async get(path) {
      const r = await call('GET', path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}
