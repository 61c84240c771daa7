// One checkup item over the years on its shaded normal/warning/danger bands (the user's sex).
// d3-scale maps values to pixels and d3-shape draws the line; Preact renders plain SVG, so
// the chart has a text alternative (aria-label) and a data table for screen readers.
import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import type { Bands } from '../api/types';
import { bandRects, chartDomain } from '../lib/checkup';
import { fmtNumber, t } from '../i18n';

export interface Point {
  year: number;
  value: number;
  status?: string | null;
}

const W = 340;
const H = 180;
const M = { top: 12, right: 14, bottom: 26, left: 40 };

export function TrendChart({ name, unit, points, bands }: { name: string; unit: string; points: Point[]; bands?: Bands | null }) {
  const years = points.map((p) => String(p.year));
  const x = scalePoint<string>().domain(years).range([M.left, W - M.right]).padding(0.4);
  const domain = chartDomain(
    points.map((p) => p.value),
    bands,
  );
  const y = scaleLinear().domain(domain).range([H - M.bottom, M.top]).nice();
  const [lo, hi] = y.domain() as [number, number];
  const path =
    line<Point>()
      .x((p) => x(String(p.year)) ?? 0)
      .y((p) => y(p.value))(points) ?? '';
  const last = points[points.length - 1];
  const label = t('chart.label', {
    name,
    n: points.length,
    from: points[0]?.year ?? '',
    to: last?.year ?? '',
    value: last ? `${fmtNumber(last.value, last.value % 1 ? 1 : 0)} ${unit}` : '–',
  });
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {bandRects(bands, [lo, hi]).map((b, i) => (
          <rect key={i} class={`band band-${b.status}`} x={M.left} width={W - M.left - M.right} y={y(b.to)} height={Math.max(0, y(b.from) - y(b.to))} />
        ))}
        {y.ticks(4).map((v) => (
          <g key={v} aria-hidden="true">
            <line class="grid" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
            <text class="axis" x={M.left - 6} y={y(v) + 4} text-anchor="end">
              {fmtNumber(v, v % 1 ? 1 : 0)}
            </text>
          </g>
        ))}
        {years.map((yr) => (
          <text key={yr} class="axis" x={x(yr)} y={H - 8} text-anchor="middle" aria-hidden="true">
            {yr}
          </text>
        ))}
        <path d={path} class="trend" fill="none" />
        {points.map((p) => (
          <circle key={p.year} class={`dot status-${p.status ?? 'none'}`} cx={x(String(p.year))} cy={y(p.value)} r="5" />
        ))}
      </svg>
      <figcaption class="legend" aria-hidden="true">
        <span class="key band-normal" /> {t('status.normal')} <span class="key band-warning" /> {t('status.warning')} <span class="key band-danger" /> {t('status.danger')}
      </figcaption>
      <table class="sr-only">
        <caption>{name}</caption>
        <thead>
          <tr>
            <th scope="col">{t('chart.year')}</th>
            <th scope="col">{t('chart.value')}</th>
            <th scope="col">{t('chart.status')}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.year}>
              <td>{p.year}</td>
              <td>
                {p.value} {unit}
              </td>
              <td>{p.status ? t(`status.${p.status}` as never) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
