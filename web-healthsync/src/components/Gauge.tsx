// The health score (0–100) as a half-circle gauge coloured by risk level. Drawn with
// d3-shape's arc; the number is text, so the gauge reads without the picture.
import { arc } from 'd3-shape';
import { t } from '../i18n';

const START = -Math.PI / 2;

export function ScoreGauge({ score, risk }: { score: number; risk: string }) {
  const clamped = Math.max(0, Math.min(100, score));
  const a = arc<{ end: number }>()
    .innerRadius(62)
    .outerRadius(80)
    .startAngle(START)
    .endAngle((d) => d.end)
    .cornerRadius(4);
  const track = a({ end: Math.PI / 2 }) ?? '';
  const value = a({ end: START + (Math.PI * clamped) / 100 }) ?? '';
  return (
    <figure class="gauge">
      <svg viewBox="-90 -90 180 100" role="img" aria-label={t('home.scoreLabel', { score: clamped })}>
        <path d={track} class="gauge-track" />
        <path d={value} class={`gauge-value risk-${risk}`} />
        <text x="0" y="-12" text-anchor="middle" class="gauge-number" aria-hidden="true">
          {clamped}
        </text>
        <text x="0" y="6" text-anchor="middle" class="gauge-unit" aria-hidden="true">
          / 100
        </text>
      </svg>
    </figure>
  );
}
