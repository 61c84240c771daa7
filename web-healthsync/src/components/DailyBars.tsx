// Completed missions per day as bars (d3-scale's band scale), with today's rate as the
// bar's height share. Text alternative: a summary label and a data table.
import { scaleBand, scaleLinear } from 'd3-scale';
import { fmtDay, fmtRate, t } from '../i18n';

export interface Day {
  date: string;
  completed: number;
  active: number;
  rate?: number | null;
}

const W = 340;
const H = 140;
const M = { top: 8, right: 6, bottom: 22, left: 28 };

export function DailyBars({ days }: { days: Day[] }) {
  const x = scaleBand<string>()
    .domain(days.map((d) => d.date))
    .range([M.left, W - M.right])
    .paddingInner(days.length > 40 ? 0.15 : 0.3);
  const maxActive = Math.max(1, ...days.map((d) => d.active));
  const y = scaleLinear().domain([0, maxActive]).range([H - M.bottom, M.top]);
  const every = Math.ceil(days.length / 6);
  const done = days.reduce((s, d) => s + d.completed, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('stats.barsLabel', { n: days.length, done })}>
        {y.ticks(Math.min(4, maxActive)).map((v) => (
          <g key={v} aria-hidden="true">
            <line class="grid" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
            <text class="axis" x={M.left - 5} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        {days.map((d) => (
          <g key={d.date}>
            <rect class="bar-bg" x={x(d.date)} width={x.bandwidth()} y={y(d.active)} height={y(0) - y(d.active)} />
            <rect class="bar" x={x(d.date)} width={x.bandwidth()} y={y(d.completed)} height={y(0) - y(d.completed)} />
          </g>
        ))}
        {days.map((d, i) =>
          i % every === 0 ? (
            <text key={`l${d.date}`} class="axis" x={(x(d.date) ?? 0) + x.bandwidth() / 2} y={H - 6} text-anchor="middle" aria-hidden="true">
              {d.date.slice(5).replace('-', '/')}
            </text>
          ) : null,
        )}
      </svg>
      <table class="sr-only">
        <caption>{t('stats.daily')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stats.day')}</th>
            <th scope="col">{t('stats.done')}</th>
            <th scope="col">{t('stats.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <td>{fmtDay(d.date)}</td>
              <td>
                {d.completed}/{d.active}
              </td>
              <td>{fmtRate(d.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
