import OpeningHours from 'opening_hours';
const [y,m,d,n] = (process.env.FROM || '2026-06-01-7').split('-').map(Number);
const vals = process.argv.slice(2);
const nom = { lat: '48.137', lon: '11.575', address: { country_code: process.env.CC || 'de', state: process.env.ST ?? 'Bayern' } };
for (const v of vals) {
  const oh = new OpeningHours(v, nom, { mode: 0, tag_key: 'opening_hours' });
  const from = new Date(y, m-1, d), to = new Date(y, m-1, d+n);
  const f = (a) => `${a.toString().slice(0,3)} ${a.getDate()} ${a.toTimeString().slice(0,5)}`;
  const out = oh.getOpenIntervals(from, to).map(([a,b,u,c]) => `${f(a)} - ${f(b)}${u?' U':''}${c?' '+c:''}`);
  console.log(v + '\n   ' + out.join('\n   '));
}
