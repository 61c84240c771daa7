// Differential check: TripGen's evaluation of every distinct opening_hours value (the
// JSON lines written by `cargo run -p tripgen-location --example opening_hours_dump`)
// against opening_hours.js, the reference evaluator, day by day over the dumped year with
// the public holidays of each city's country (and region, see REGIONS).
//
//   node check.mjs ours.jsonl [--exceptions exceptions.tsv] [--write-exceptions file]
//
// Fails (exit 1) when any value is open in TripGen at a minute where the reference says
// closed or unknown, or when another disagreement is not listed in the exceptions file
// (tab-separated: city, value, reason; reviewed by hand). Prints a summary either way.
//
// The reference evaluates in the process's local time zone, so each zone's values are
// evaluated by a child process started with TZ set to that zone.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REGIONS, reference } from './reference.mjs';

// Days the reference counts as a public holiday for the whole region where the bundled
// cities do not have one (month-day, or a full date, per country): not compared, nor the
// day after (hours past midnight).
// de 08-08: Augsburger Friedensfest, a holiday only in the city of Augsburg; opening_hours.js
// counts it for all of Bavaria (so also for Munich).
// gb 2026-12-26: Boxing Day falls on a Saturday; the bank holiday is the substitute Monday,
// 28 December (gov.uk), which TripGen's calendar has; the reference counts the Saturday.
const REFERENCE_HOLIDAY_ERRORS = { de: ['08-08'], gb: ['2026-12-26'] };

// Days TripGen's holiday calendar (the `opening-hours` crate's) and the reference's differ,
// with why; a disagreement only on such days is explained by it.
const CALENDAR_DIFFERENCES = {
  fi: {
    '2026-06-19': 'Midsummer Eve (juhannusaatto)',
    '2026-12-24': 'Christmas Eve (jouluaatto)',
  },
};

// Minutes a sun-dependent boundary (sunrise, sunset, dawn, dusk) may differ: TripGen
// computes sun times with the `sunrise` crate, the reference with suncalc.
const SUN_TOLERANCE = 10;

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

function main() {
  const exceptionsPath = option('--exceptions');
  const writePath = option('--write-exceptions');
  // Report again from a saved --results file (reviewing exceptions without re-evaluating).
  const saved = option('--from-results');
  if (saved) {
    const results = readFileSync(saved, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return report(results, exceptionsPath, writePath);
  }
  const input = args.find((a) => !a.startsWith('--') && !isOptionValue(a));
  if (!input) {
    console.error('usage: node check.mjs ours.jsonl [--exceptions file] [--write-exceptions file] [--results file] | --from-results file …');
    process.exit(2);
  }
  const lines = readFileSync(input, 'utf8').split('\n').filter(Boolean);
  const byZone = new Map();
  for (const line of lines) {
    const row = JSON.parse(line);
    const zone = row.timeZone || 'UTC';
    if (!byZone.has(zone)) byZone.set(zone, []);
    byZone.get(zone).push(line);
  }
  const dir = mkdtempSync(join(tmpdir(), 'oh-diff-'));
  const results = [];
  try {
    for (const [zone, zoneLines] of byZone) {
      const inFile = join(dir, 'in.jsonl');
      const outFile = join(dir, 'out.jsonl');
      const wallFile = join(dir, 'wallclock.json');
      writeFileSync(inFile, zoneLines.join('\n') + '\n');
      // The days around a DST change, read by the reference in UTC (see WALL_CLOCK).
      run(['--wallclock', inFile, wallFile, zone], 'UTC');
      run(['--worker', inFile, outFile, wallFile], zone);
      for (const l of readFileSync(outFile, 'utf8').split('\n').filter(Boolean)) {
        results.push(JSON.parse(l));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const resultsPath = option('--results');
  if (resultsPath) writeFileSync(resultsPath, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  report(results, exceptionsPath, writePath);
}

function run(workerArgs, zone) {
  const r = spawnSync(process.execPath, [self, ...workerArgs], {
    env: { ...process.env, TZ: zone },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    console.error(`${workerArgs[0]} worker for ${zone} failed`);
    process.exit(2);
  }
}

function isOptionValue(a) {
  const i = args.indexOf(a);
  return i > 0 && args[i - 1].startsWith('--');
}

function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function key(city, value) {
  return `${city}\t${value}`;
}

// Exceptions are listed per country and value: the country decides the holidays, the
// city (which of a metropolitan area's names a place falls in) does not matter.
function exceptionKey(country, value) {
  return `${(country || '').toUpperCase()}\t${value}`;
}

function readExceptions(path) {
  const map = new Map();
  if (!path) return map;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [country, value, reason] = line.split('\t');
    if (!reason || !reason.trim()) {
      console.error(`exception without a reason: ${line}`);
      process.exit(2);
    }
    map.set(exceptionKey(country, unescape(value)), reason);
  }
  return map;
}

// Values are written with tabs and newlines escaped (they never contain them in practice).
function escape(v) {
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
function unescape(v) {
  return v.replace(/\\(.)/g, (_, c) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}

function report(results, exceptionsPath, writePath) {
  const exceptions = readExceptions(exceptionsPath);
  const used = new Set();
  let readable = 0;
  let agree = 0;
  let unreadable = 0;
  const openWhereNot = [];
  const unlisted = [];
  const listed = [];
  for (const r of results) {
    if (r.referenceError) {
      unreadable++;
      continue;
    }
    readable++;
    if (r.openWhereNot > 0) {
      openWhereNot.push(r);
      continue;
    }
    if (r.otherMinutes === 0) {
      agree++;
      continue;
    }
    const k = exceptionKey(r.country, r.value);
    if (exceptions.has(k)) {
      used.add(k);
      listed.push(r);
    } else {
      unlisted.push(r);
    }
  }
  const stale = [...exceptions.keys()].filter((k) => !used.has(k));
  console.log(`opening hours vs opening_hours.js over ${results[0]?.year ?? '?'}:`);
  console.log(`  ${results.length} distinct (city, value) pairs; ${readable} readable by the reference, ${unreadable} not`);
  console.log(`  ${agree} agree at every minute`);
  console.log(`  ${openWhereNot.length} open in TripGen where the reference is closed or unknown (must be 0)`);
  console.log(`  ${listed.length} other disagreements listed in the exceptions file`);
  console.log(`  ${unlisted.length} other disagreements not listed (must be 0)`);
  if (stale.length) console.log(`  ${stale.length} exceptions no longer needed (remove them)`);
  for (const r of openWhereNot.slice(0, 40)) {
    const f = r.firstOpen;
    console.log(`OPEN-WHERE-NOT\t${r.city}\t${r.value}\t${r.openWhereNot} min/year, first ${f.day}: TripGen ${f.ours || 'closed'}, reference ${f.theirs || 'closed'}`);
  }
  for (const r of unlisted.slice(0, 40)) {
    console.log(`UNLISTED\t${r.city}\t${r.value}\t${r.otherMinutes} min/year (${r.kinds.join(',')}), first ${r.first}`);
  }
  for (const k of stale.slice(0, 40)) console.log(`STALE\t${k}`);
  if (writePath) {
    const rows = [
      ...new Set(
        [...listed, ...unlisted].map((r) => {
          const k = exceptionKey(r.country, r.value);
          return `${(r.country || '').toUpperCase()}\t${escape(r.value)}\t${exceptions.get(k) ?? suggest(r)}`;
        }),
      ),
    ].sort();
    writeFileSync(writePath, header() + rows.join('\n') + '\n');
    console.log(`wrote ${rows.length} exceptions to ${writePath} (review every reason)`);
  }
  // The plain closing line CI reads.
  const failed = openWhereNot.length + unlisted.length;
  console.log(`${readable - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

function header() {
  return [
    '# Reviewed disagreements between TripGen and opening_hours.js (tools/opening-hours-diff).',
    '# None may be "open in TripGen where the reference is not": those fail the check outright.',
    '# country<TAB>value<TAB>reason',
    '',
  ].join('\n');
}

// A reason for a disagreement, from what the worker found out about it; anything it cannot
// explain is "unreviewed" and must be looked at by hand.
function suggest(r) {
  const kinds = r.kinds;
  const calendar = CALENDAR_DIFFERENCES[(r.country || '').toLowerCase()] || {};
  const days = r.diffDays || [];
  const named = (d) => calendar[d] || calendar[dayBefore(d)];
  if (days.length && days.length < 40 && days.every(named)) {
    const names = [...new Set(days.map(named))].join(', ');
    return `differs only on ${names} (and the day after): TripGen's calendar (the opening-hours crate's) counts it as a public holiday, the reference does not; shops and offices mostly keep holiday hours then, so the PH reading is kept (TripGen closed or unknown, never open)`;
  }
  const oursUnknown = kinds.every((k) => k.startsWith('unknown-vs-'));
  if (r.malformed && oursUnknown) {
    return 'TripGen cannot read the value, so unknown every day; the reference reads it after correcting it (its warnings say how)';
  }
  if (oursUnknown && r.holidayOnly) {
    return `differs only on public holidays of some regions of the country (and the day after; the reference counts ${r.region}'s): TripGen does not know the place's region, so unknown`;
  }
  if (kinds.every((k) => k === 'closed-vs-unknown') && /^\s*"[^"]*"\s*$/.test(r.value)) {
    return 'a comment says closed: TripGen reads closed until the data changes, the reference unknown';
  }
  if (kinds.every((k) => k === 'closed-vs-unknown' || k === 'unknown-vs-closed') && r.holidayOnly) {
    return `differs only on public holidays of some regions (${r.region}) and the day after: TripGen unknown or closed where the reference is closed or unknown (never open)`;
  }
  return `unreviewed: ${kinds.join(',')}`;
}

// --- worker: evaluates one zone's values with the reference ------------------------------

function worker(inFile, outFile, wallFile) {
  const wall = JSON.parse(readFileSync(wallFile, 'utf8'));
  const out = [];
  for (const line of readFileSync(inFile, 'utf8').split('\n').filter(Boolean)) {
    const row = JSON.parse(line);
    out.push(JSON.stringify(compare(row, wall.values[key(row.city, row.value)] || {})));
  }
  writeFileSync(outFile, out.join('\n') + '\n');
}

// WALL_CLOCK: in a zone with daylight saving time, opening_hours.js loses an hour of the
// hours that spill past midnight from the day clocks go forward (`Su 20:00-01:00` ends at
// 00:00 on 29 March 2026 in Berlin). On the day of a DST change and the day after, the
// reference's reading is therefore taken in UTC, where wall-clock time has no gaps (values
// with sun times excepted: their times depend on the zone). Runs with TZ=UTC.
function wallclock(inFile, outFile, zone) {
  const rows = readFileSync(inFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const year = rows[0]?.year ?? new Date().getFullYear();
  const days = dstDays(zone, year);
  const values = {};
  for (const row of rows) {
    if (/sunrise|sunset|dawn|dusk/.test(row.value) || days.length === 0) continue;
    let oh;
    try {
      oh = reference(row.value, row.country, row.lat, row.lon);
      const byDay = {};
      for (const d of days) {
        byDay[d] = patternOf(referenceDays(oh, year, 1, d)[0]);
      }
      values[key(row.city, row.value)] = byDay;
    } catch {
      // Read (and reported) by the zone's worker.
    }
  }
  writeFileSync(outFile, JSON.stringify({ zone, days, values }));
}

// Days of `year` (indices) on which `zone` changes its UTC offset, and the days after.
function dstDays(zone, year) {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const offset = (d) => fmt.formatToParts(new Date(Date.UTC(year, 0, 1 + d, 12))).find((p) => p.type === 'timeZoneName')?.value;
  const out = [];
  for (let d = 1; d < 366; d++) {
    if (offset(d) !== offset(d - 1)) out.push(d, d + 1);
  }
  return out;
}

const O = 2;
const U = 1;
const C = 0;

function compare(row, wallDays) {
  const base = { city: row.city, country: row.country, value: row.value, year: row.year, malformed: row.malformed };
  let oh;
  try {
    oh = reference(row.value, row.country, row.lat, row.lon);
    // Evaluate once: a value whose holidays are not defined throws only when evaluated.
    oh.getOpenIntervals(new Date(row.year, 0, 1), new Date(row.year, 0, 8));
  } catch (e) {
    return { ...base, referenceError: String(e).split('\n')[0].slice(0, 200) };
  }
  const ref = referenceDays(oh, row.year, row.days.length);
  const sun = /sunrise|sunset|dawn|dusk/.test(row.value);
  let openWhereNot = 0;
  let otherMinutes = 0;
  let first = null;
  let firstDay = null;
  let firstOpen = null;
  let holidayOnly = true;
  const diffDays = [];
  // Holidays of the reference's region and TripGen's regional-only ones (from the dump).
  const hol = new Set([...holidays(row), ...(row.regionalHolidays || []).map((iso) => dayOf(iso, row.year))]);
  const kinds = new Set();
  const skip = new Set(REFERENCE_HOLIDAY_ERRORS[(row.country || '').toLowerCase()] || []);
  for (let d = 0; d < row.days.length; d++) {
    // A wrong holiday of the reference's, and the day after it (hours past midnight).
    if (skipped(skip, isoDay(row.year, d)) || (d > 0 && skipped(skip, isoDay(row.year, d - 1)))) continue;
    // Wall-clock minutes that do not exist (the hour clocks skip) are not compared.
    const gap = wallDays[d] !== undefined ? gapMinutes(row.year, d) : null;
    const ours = dayStates(row.patterns[row.days[d]]);
    const theirs = wallDays[d] !== undefined ? dayStates(wallDays[d] || '') : ref[d];
    let dayOpenWhereNot = 0;
    let dayOther = 0;
    for (let m = 0; m < 1440; m++) {
      if (ours[m] === theirs[m] || gap?.has(m)) continue;
      if (sun && nearChange(theirs, m, SUN_TOLERANCE)) continue;
      if (ours[m] === O) dayOpenWhereNot++;
      else {
        dayOther++;
        kinds.add(`${name(ours[m])}-vs-${name(theirs[m])}`);
      }
    }
    if (dayOpenWhereNot && firstOpen === null) {
      firstOpen = { day: isoDay(row.year, d), ours: row.patterns[row.days[d]], theirs: patternOf(theirs) };
    }
    if ((dayOpenWhereNot || dayOther) && !(hol.has(d) || hol.has(d - 1))) holidayOnly = false;
    if ((dayOpenWhereNot || dayOther) && diffDays.length < 40) diffDays.push(isoDay(row.year, d));
    if ((dayOpenWhereNot || dayOther) && first === null) {
      first = isoDay(row.year, d);
      firstDay = { ours: row.patterns[row.days[d]], theirs: patternOf(theirs) };
    }
    openWhereNot += dayOpenWhereNot;
    otherMinutes += dayOther;
  }
  return { ...base, openWhereNot, otherMinutes, kinds: [...kinds], first, firstDay, firstOpen, holidayOnly, diffDays, region: regionOf(row.country) };
}

// A day's states in the dump's pattern syntax (`o600-1080 u1080-1440`), for reports.
function patternOf(states) {
  const parts = [];
  let m = 0;
  while (m < 1440) {
    const s = states[m];
    let e = m;
    while (e < 1440 && states[e] === s) e++;
    if (s !== C) parts.push(`${s === O ? 'o' : 'u'}${m}-${e}`);
    m = e;
  }
  return parts.join(' ');
}

// Minutes of local day `d` that the zone (the process's TZ) skips when clocks go forward.
function gapMinutes(year, d) {
  const out = new Set();
  for (let m = 0; m < 1440; m++) {
    const t = new Date(year, 0, 1 + d, 0, m);
    if (t.getHours() * 60 + t.getMinutes() !== m) out.add(m);
  }
  return out;
}

// The reference's public holidays (day indices of the year) for a row's country and region.
const holidayCache = new Map();
function holidays(row) {
  const cc = (row.country || '').toLowerCase();
  if (!holidayCache.has(cc)) {
    const set = new Set();
    try {
      const oh = reference('PH', row.country, row.lat, row.lon);
      for (const [start, end] of oh.getOpenIntervals(new Date(row.year, 0, 1), new Date(row.year + 1, 0, 1))) {
        for (let d = dayIndex(start, row.year); d < dayIndex(end, row.year); d++) set.add(d);
      }
    } catch {
      // No holidays known for the country.
    }
    holidayCache.set(cc, set);
  }
  return holidayCache.get(cc);
}

function dayBefore(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

function dayOf(iso, year) {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(year, 0, 1)) / 86400000);
}

function regionOf(country) {
  const cc = (country || '').toLowerCase();
  return [cc.toUpperCase(), REGIONS[cc]].filter(Boolean).join('/');
}

function skipped(skip, iso) {
  return skip.has(iso) || skip.has(iso.slice(5));
}

function name(s) {
  return s === O ? 'open' : s === U ? 'unknown' : 'closed';
}

function isoDay(year, d) {
  const t = new Date(Date.UTC(year, 0, 1 + d));
  return t.toISOString().slice(0, 10);
}

// True when the reference's state changes within `tol` minutes of minute `m`.
function nearChange(states, m, tol) {
  const lo = Math.max(0, m - tol);
  const hi = Math.min(1439, m + tol);
  for (let i = lo; i < hi; i++) if (states[i] !== states[i + 1]) return true;
  return false;
}

function dayStates(pattern) {
  const s = new Uint8Array(1440); // closed
  for (const part of pattern.split(' ').filter(Boolean)) {
    const kind = part[0] === 'o' ? O : U;
    const [a, b] = part.slice(1).split('-').map(Number);
    for (let m = a; m < b && m < 1440; m++) s[m] = kind;
  }
  return s;
}

// Per local day of the year from day `first` on, the reference's state at each wall-clock
// minute.
function referenceDays(oh, year, count, first = 0) {
  const days = Array.from({ length: count }, () => new Uint8Array(1440));
  const from = new Date(year, 0, 1 + first);
  const to = new Date(year, 0, 1 + first + count);
  for (const [start, end, unknown] of oh.getOpenIntervals(from, to)) {
    const kind = unknown ? U : O;
    // Walk the interval one wall-clock minute at a time, day by day (DST-safe).
    let t = new Date(start);
    while (t < end) {
      const d = dayIndex(t, year) - first;
      const dayEnd = new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1);
      const stop = end < dayEnd ? end : dayEnd;
      const a = t.getHours() * 60 + t.getMinutes();
      const b = stop === dayEnd ? 1440 : stop.getHours() * 60 + stop.getMinutes();
      if (d >= 0 && d < count) for (let m = a; m < b; m++) days[d][m] = kind;
      t = stop;
    }
  }
  return days;
}

function dayIndex(t, year) {
  const utc = Date.UTC(t.getFullYear(), t.getMonth(), t.getDate());
  return Math.round((utc - Date.UTC(year, 0, 1)) / 86400000);
}

if (args[0] === '--worker') {
  worker(args[1], args[2], args[3]);
} else if (args[0] === '--wallclock') {
  wallclock(args[1], args[2], args[3]);
} else {
  main();
}
